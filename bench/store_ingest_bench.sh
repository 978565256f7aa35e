#!/usr/bin/env bash
# Benchmark of the store as one pipeline: the default `ingest` (graph, then the variant index
# caught up from it) beside `ingest --no-vectors` (graph only) and `bcftools view -Ou` on the
# same synthetic files in the same run, for a RECORDS x 100-sample file and a RECORDS
# sites-only file; the time to rebuild the index from the graph; and the search latency under
# 32 concurrent clients with its recall@10 (against an exact index rebuilt from the graph).
#
#   bash bench/store_ingest_bench.sh [--records N] [--seed X] [--threads T] [--seconds S]
#                                    [--before BIN] [--files "wide sites"] [--workdir DIR]
#
# --before BIN also runs the two ingests with another vcf-agent binary (e.g. a build of an
# earlier commit) on the same files, for before/after figures from one run (a failed run is
# reported, not fatal). --files picks the inputs (wide: RECORDS x 100 samples; sites: sites-only).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
RECORDS=1000000
SEED=7
THREADS=32
SECONDS_LOAD=10
BEFORE=""
FILES="wide sites"
WORKDIR="${BENCH_DIR:-$REPO/build/bench-data}"
die() { printf 'store_ingest_bench: %s\n' "$*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --seconds) SECONDS_LOAD="$2"; shift 2 ;;
    --before) BEFORE="$2"; shift 2 ;;
    --files) FILES="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[ -x /usr/bin/time ] || die "/usr/bin/time missing (Debian package 'time'; scripts/setup.sh installs it)"
bash scripts/setup.sh >/dev/null
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build --preset release --target vcf-agent vcf_generate search_latency >/dev/null
BIN="$REPO/build/release/vcf-agent"
GEN="$REPO/build/release/bench/vcf_generate"
LAT="$REPO/build/release/bench/search_latency"
mkdir -p "$WORKDIR"

gen() {  # records samples -> path (cached)
  local f="$WORKDIR/ingest-r$1-s$2-seed$SEED.vcf.gz"
  [ -s "$f" ] || "$GEN" --records "$1" --samples "$2" --seed "$SEED" --threads "$(nproc)" -o "$f.tmp.vcf.gz"
  [ -s "$f" ] || mv "$f.tmp.vcf.gz" "$f"
  echo "$f"
}

# Runs a command under /usr/bin/time -v; sets WALL (s) and RSS (MB), and FAILED to the last
# line of its error output when it fails (then only if TOLERATE=1 does the run go on).
timed() {
  local log
  log=$(mktemp)
  FAILED=""
  if ! /usr/bin/time -v "$@" >"$log.out" 2>"$log"; then
    [ "${TOLERATE:-0}" = 1 ] || { cat "$log" >&2; die "failed: $*"; }
    FAILED=$(grep -m1 'error' "$log" || echo "exit status non-zero")
  fi
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  rm -f "$log" "$log.out"
}

row() { printf '%-46s %9s %9s\n' "$1" "$2" "$3"; }

run_file() {  # label file
  local label="$1" f="$2" db="$WORKDIR/store-bench-db"
  cat "$f" >/dev/null  # every run starts from the page cache
  rm -rf "$db"; timed "$BIN" ingest "$f" --db "$db" --no-vectors
  local g_wall=$WALL g_rss=$RSS
  row "$label: ingest --no-vectors (graph only)" "$g_wall" "$g_rss"
  rm -rf "$db"; timed "$BIN" ingest "$f" --db "$db"
  local d_wall=$WALL d_rss=$RSS
  row "$label: ingest (graph + index, default)" "$d_wall" "$d_rss"
  rm -rf "$db/index"; timed "$BIN" embed --db "$db"
  row "$label: index rebuilt from the graph (embed)" "$WALL" "$RSS"
  if [ -n "$BEFORE" ]; then
    rm -rf "$db.before"; TOLERATE=1 timed "$BEFORE" ingest "$f" --db "$db.before" --no-vectors
    row "$label: before: ingest --no-vectors" "$WALL" "$RSS"
    [ -z "$FAILED" ] || printf '  failed: %s\n' "$FAILED"
    rm -rf "$db.before"; TOLERATE=1 timed "$BEFORE" ingest "$f" --db "$db.before"
    row "$label: before: ingest (default)" "$WALL" "$RSS"
    [ -z "$FAILED" ] || printf '  failed: %s\n' "$FAILED"
    rm -rf "$db.before"
  fi
  timed bcftools view -Ou -o /dev/null "$f"
  row "$label: bcftools view -Ou" "$WALL" "$RSS"
  printf '%s: default/graph-only wall %.2f, RSS %+d MB\n' "$label" \
    "$(echo "$d_wall / $g_wall" | bc -l)" "$((d_rss - g_rss))"
}

printf '%-46s %9s %9s\n' "run" "wall (s)" "RSS (MB)"
for which in $FILES; do
  case "$which" in
    wide) run_file "${RECORDS}x100" "$(gen "$RECORDS" 100)" ;;
    sites)
      sites=$(gen "$RECORDS" 0)
      run_file "${RECORDS} sites-only" "$sites"
      # The sites-only store is still in place: search it under concurrent clients.
      "$LAT" "$WORKDIR/store-bench-db" "$sites" --threads "$THREADS" --seconds "$SECONDS_LOAD" \
        --recall 200 ;;
    *) die "unknown input '$which' (wide, sites)" ;;
  esac
done
rm -rf "$WORKDIR/store-bench-db"
