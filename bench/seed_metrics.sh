#!/usr/bin/env bash
# Benchmark: the seed's Success Metrics table, measured in one run beside a bcftools baseline.
#
#   bash bench/seed_metrics.sh [--workdir DIR] [--clients N] [--search-threads N] [--seconds S]
#
# Rows: (1) ingest of 1M sites-only records into both stores, variants/s and wall ratio vs
# `bcftools view -Ou -o /dev/null` on the same file; (2) genotype edges/s ingesting 1M x 100;
# (3) peak RSS of the 1M x 100 and 100k x 100 ingests and their ratio; (4) in-process clients
# searching and querying the graph during an ingest (bench/tools/concurrent_clients.cpp);
# (5) top-10 search latency over row 1's 1M-variant index under concurrent clients
# (bench/tools/search_latency.cpp); (6) embed_throughput's batched-async speed-up.
# A failing row prints "error: ..." and the run goes on. The table also goes to
# WORKDIR/seed-metrics.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
WORKDIR="${BENCH_DIR:-$REPO/build/bench-data}"
CLIENTS=64
SEARCH_THREADS=32
SECONDS_SEARCH=10
SEED=7
die() { printf 'seed_metrics: %s\n' "$*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --workdir) WORKDIR="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --search-threads) SEARCH_THREADS="$2"; shift 2 ;;
    --seconds) SECONDS_SEARCH="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[ -x /usr/bin/time ] || die "/usr/bin/time missing (Debian package 'time'; scripts/setup.sh installs it)"
command -v bcftools >/dev/null || die "bcftools not found (scripts/setup.sh installs it)"
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
echo "== building release tools" >&2
cmake --build --preset release --parallel "${JOBS:-2}" \
  --target vcf-agent vcf_generate concurrent_clients search_latency embed_throughput >/dev/null \
  || die "release build failed"
BIN="$REPO/build/release/vcf-agent"
TOOLS="$REPO/build/release/bench"
mkdir -p "$WORKDIR"
TMP=$(mktemp -d "$WORKDIR/seed-metrics.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
LOAD_START=$(uptime)

gen() {  # records samples -> path (cached)
  local f="$WORKDIR/ingest-r$1-s$2-seed$SEED.vcf.gz"
  if [ ! -s "$f" ]; then
    echo "== generating $1 x $2 -> $f" >&2
    "$TOOLS/vcf_generate" --records "$1" --samples "$2" --seed "$SEED" --threads 2 -o "$f.tmp.vcf.gz" >&2
    mv "$f.tmp.vcf.gz" "$f"
  fi
  echo "$f"
}

# timed NAME CMD...: sets WALL (s), RSS (MB), OUT (stdout); returns the command's status.
timed() {
  local name="$1"; shift
  local rc=0
  /usr/bin/time -v -o "$TMP/$name.time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' \
    "$TMP/$name.time" 2>/dev/null || true)
  RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$TMP/$name.time" 2>/dev/null || true)
  OUT=$(cat "$TMP/$name.out")
  return "$rc"
}
errmsg() {  # name -> last stderr line of a failed step, one line
  local m
  m=$(grep -v '^\s*$' "$TMP/$1.err" 2>/dev/null | grep -v 'Command exited' | tail -n 1 | tr '|' '/' | cut -c1-200)
  echo "error: ${m:-exit status non-zero}"
}
json_field() { printf '%s' "$2" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
ok() { awk "BEGIN { exit !($1) }" && echo "met" || echo "missed"; }

# Rows: metric | seed target | seed expected | our goal | measured | status
declare -a M T E G V S
row() { M+=("$1"); T+=("$2"); E+=("$3"); G+=("$4"); V+=("$5"); S+=("$6"); }

SITES=$(gen 1000000 0) || SITES=""
GT1M=$(gen 1000000 100) || GT1M=""
GT100K=$(gen 100000 100) || GT100K=""
SITES_DB="$TMP/sites-db"

# ---- baseline ------------------------------------------------------------------------------------
B_WALL=""
if [ -n "$SITES" ]; then
  cat "$SITES" >/dev/null
  echo "== bcftools view -Ou (1M sites-only)" >&2
  if timed bcf bcftools view -Ou -o /dev/null "$SITES"; then B_WALL=$WALL; B_RSS=$RSS; fi
fi
BG_WALL=""
if [ -n "$GT1M" ]; then
  cat "$GT1M" >/dev/null
  echo "== bcftools view -Ou (1M x 100)" >&2
  if timed bcfgt bcftools view -Ou -o /dev/null "$GT1M"; then BG_WALL=$WALL; BG_RSS=$RSS; fi
fi

# ---- 1: ingest throughput, sites-only ------------------------------------------------------------
R1="1. ingest throughput, both stores, 1M sites-only"
echo "== row 1: vcf-agent ingest 1M sites-only" >&2
if [ -z "$SITES" ]; then
  row "$R1" "1,000 var/s" "1,500 var/s" "≥150,000 var/s, ≤4× bcftools" "error: generating the input failed" "error"
elif timed ing1 "$BIN" ingest "$SITES" --db "$SITES_DB" -O json; then
  v=$(json_field variants "$OUT")
  rate=$(calc %.0f "$v / $WALL")
  if [ -n "$B_WALL" ]; then
    ratio=$(calc %.1f "$WALL / $B_WALL")
    st=$(ok "$rate >= 150000 && $WALL <= 4 * $B_WALL")
  else
    ratio="n/a (bcftools failed)"
    st=$(ok "$rate >= 150000")
  fi
  row "$R1" "1,000 var/s" "1,500 var/s" "≥150,000 var/s, ≤4× bcftools" \
    "$rate var/s ($v in ${WALL} s), ${ratio}× bcftools" "$st"
else
  row "$R1" "1,000 var/s" "1,500 var/s" "≥150,000 var/s, ≤4× bcftools" "$(errmsg ing1)" "error"
fi

# ---- 2 + 3: ingest with genotypes and its memory ---------------------------------------------------
R2="2. ingest with genotypes, 1M × 100"
R3="3. peak RSS, ingest 1M × 100 (vs 100k × 100)"
G_OK=0 S_OK=0
if [ -n "$GT1M" ]; then
  echo "== rows 2-3: vcf-agent ingest 1M x 100" >&2
  rm -rf "$TMP/gt-db"
  if timed ing2 "$BIN" ingest "$GT1M" --db "$TMP/gt-db" -O json; then
    G_OK=1 G_WALL=$WALL G_RSS=$RSS G_E=$(json_field new_edges "$OUT")
  fi
  rm -rf "$TMP/gt-db"
fi
if [ -n "$GT100K" ]; then
  echo "== row 3: vcf-agent ingest 100k x 100" >&2
  if timed ing3 "$BIN" ingest "$GT100K" --db "$TMP/gt-db" -O json; then S_OK=1 S_RSS=$RSS; fi
  rm -rf "$TMP/gt-db"
fi
if [ "$G_OK" = 1 ]; then
  erate=$(calc %.0f "$G_E / $G_WALL")
  extra=""
  [ -n "$BG_WALL" ] && extra=", $(calc %.1f "$G_WALL / $BG_WALL")× bcftools"
  row "$R2" "—" "—" "≥1,000,000 edges/s" "$erate edges/s ($G_E in ${G_WALL} s$extra)" "$(ok "$erate >= 1000000")"
else
  row "$R2" "—" "—" "≥1,000,000 edges/s" "$( [ -n "$GT1M" ] && errmsg ing2 || echo 'error: generating the input failed')" "error"
fi
if [ "$G_OK" = 1 ] && [ "$S_OK" = 1 ]; then
  r=$(calc %.2f "$G_RSS / $S_RSS")
  row "$R3" "<1,024 MB" "<800 MB" "≤300 MB, flat (ratio ≤1.15)" "$G_RSS MB (100k: $S_RSS MB, ratio $r)" \
    "$(ok "$G_RSS <= 300 && $r <= 1.15")"
elif [ "$G_OK" = 1 ]; then
  row "$R3" "<1,024 MB" "<800 MB" "≤300 MB, flat (ratio ≤1.15)" "$G_RSS MB; 100k: $(errmsg ing3)" "error"
else
  row "$R3" "<1,024 MB" "<800 MB" "≤300 MB, flat (ratio ≤1.15)" "error: the 1M × 100 ingest failed" "error"
fi

# ---- 4: concurrent clients during an ingest ----------------------------------------------------------
R4="4. concurrent users during an ingest (100k × 100)"
echo "== row 4: $CLIENTS clients during an ingest" >&2
if [ -z "$GT100K" ]; then
  row "$R4" "—" "—" "64, 0 errors" "error: generating the input failed" "error"
else
  rc=0
  timed cc "$TOOLS/concurrent_clients" "$GT100K" --clients "$CLIENTS" --dir "$TMP/cc-db" || rc=$?
  line=$(grep '^clients=' "$TMP/cc.out" || true)
  if [ -n "$line" ]; then
    f() { printf '%s' "$line" | sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p"; }
    meas="$(f clients) clients: $(f ops) ops ($(f searches) searches, $(f graph_queries) graph), $(f errors) errors, $(f ops_per_s) ops/s; ingest committed $(f batches) batches"
    if [ "$rc" -ne 0 ]; then
      first=$(grep -m1 -E '^(ingest failed|error):' "$TMP/cc.err" | tr '|' '/' | cut -c1-220 || true)
      [ -n "$first" ] && meas="$meas; error: $first"
      row "$R4" "—" "—" "64, 0 errors" "$meas" "missed"
    else
      row "$R4" "—" "—" "64, 0 errors" "$meas" "$(ok "$(f clients) >= 64 && $(f errors) == 0")"
    fi
  else
    row "$R4" "—" "—" "64, 0 errors" "$(errmsg cc)" "error"
  fi
fi

# ---- 5: search latency over 1M variants -----------------------------------------------------------
R5="5. search top-10 over 1M variants, $SEARCH_THREADS clients"
echo "== row 5: search latency, $SEARCH_THREADS threads" >&2
if [ ! -d "$SITES_DB" ]; then
  row "$R5" "—" "—" "p95 ≤5 ms" "error: no 1M-variant store (row 1 failed)" "error"
elif timed sl "$TOOLS/search_latency" "$SITES_DB" "$SITES" --threads "$SEARCH_THREADS" --seconds "$SECONDS_SEARCH"; then
  f() { printf '%s' "$OUT" | sed -n "s/.*\b$1=\([0-9.a-z]*\).*/\1/p"; }
  row "$R5" "—" "—" "p95 ≤5 ms" \
    "p50 $(f p50_ms) / p95 $(f p95_ms) / p99 $(f p99_ms) ms, $(f qps) QPS ($(f rows) rows, $(f index))" \
    "$(ok "$(f p95_ms) <= 5")"
else
  row "$R5" "—" "—" "p95 ≤5 ms" "$(errmsg sl)" "error"
fi
rm -rf "$SITES_DB"

# ---- 6: embedding, batched async vs sequential -----------------------------------------------------
R6="6. embedding, batched async vs sequential"
echo "== row 6: embed_throughput" >&2
if timed emb "$TOOLS/embed_throughput"; then
  sp=$(printf '%s' "$OUT" | sed -n 's/.*speed-up[^:]*: \([0-9.]*\)x.*/\1/p')
  if [ -n "$sp" ]; then
    row "$R6" "—" "—" "≥10×" "${sp}×" "$(ok "$sp >= 10")"
  else
    row "$R6" "—" "—" "≥10×" "error: no speed-up line in embed_throughput output" "error"
  fi
else
  row "$R6" "—" "—" "≥10×" "$(errmsg emb)" "error"
fi

# ---- table ---------------------------------------------------------------------------------------------
LOAD_END=$(uptime)
{
  echo "# Seed success metrics"
  echo
  echo "| metric | seed target | seed expected | our goal | measured | status |"
  echo "|---|---|---|---|---|---|"
  for i in "${!M[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s |\n' "${M[$i]}" "${T[$i]}" "${E[$i]}" "${G[$i]}" "${V[$i]}" "${S[$i]}"
  done
  echo
  echo "bcftools baseline (same run): \`bcftools view -Ou -o /dev/null\` 1M sites-only" \
    "${B_WALL:-error} s (${B_RSS:-?} MB); 1M × 100 ${BG_WALL:-error} s (${BG_RSS:-?} MB)"
  echo
  echo "machine: $(nproc) cores; load at start:${LOAD_START#*load average:}; at end:${LOAD_END#*load average:}"
} >"$WORKDIR/seed-metrics.md"
echo
cat "$WORKDIR/seed-metrics.md"
