#!/usr/bin/env bash
# Benchmark: `vcf-agent stats` against `bcftools stats` on the same synthetic VCF in the same run.
#
#   bash bench/stats_vs_bcftools.sh [--records N] [--samples S] [--seed X] [--runs R]
#                                   [--workdir DIR] [--agent-args "ARGS"] [--no-build]
#
# Builds the release preset (vcf-agent + vcf_generate), generates a bgzipped VCF once per parameter
# set (cached in the work dir, default build/bench-data), times both tools with /usr/bin/time -v,
# checks that their SN lines agree and prints wall time, the vcf-agent/bcftools ratio and peak RSS.
# Exits non-zero when a tool fails or the SN lines differ.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

RECORDS=1000000
SAMPLES=0
SEED=1
RUNS=1
WORKDIR="${BENCH_DIR:-$REPO/build/bench-data}"
AGENT_ARGS=""
BUILD=1

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
die() { printf 'stats_vs_bcftools: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    --agent-args) AGENT_ARGS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
for v in "$RECORDS" "$SAMPLES" "$SEED" "$RUNS"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "expected a non-negative integer, got '$v'"
done
[ "$RUNS" -ge 1 ] || die "--runs must be at least 1"
command -v bcftools >/dev/null || die "bcftools not found (Debian package 'bcftools'; scripts/setup.sh installs it)"

# ---- (a) build -------------------------------------------------------------------------------
BIN="$REPO/build/release/vcf-agent"
GEN="$REPO/build/release/bench/vcf_generate"
if [ "$BUILD" = 1 ]; then
  bash scripts/setup.sh >/dev/null
  [ -f build/release/build.ninja ] || cmake --preset release >/dev/null
  echo "== building release (vcf-agent, vcf_generate)" >&2
  cmake --build --preset release --target vcf-agent vcf_generate --parallel "${JOBS:-$(nproc)}" >/dev/null \
    || die "release build failed (run: cmake --build --preset release)"
fi
[ -x "$BIN" ] || die "$BIN missing: build the release preset first"
[ -x "$GEN" ] || die "$GEN missing: build the release preset first"
if ! "$BIN" stats --help >/dev/null 2>&1; then
  die "this vcf-agent has no 'stats' command yet (src/cli/cmd_stats.cpp); nothing to compare"
fi

# ---- (b) data, cached by parameters and generator source ---------------------------------------
mkdir -p "$WORKDIR"
GEN_SRC_ID=$(sha256sum bench/tools/vcf_generate.cpp | cut -c1-10)
DATA="$WORKDIR/synth-r${RECORDS}-s${SAMPLES}-seed${SEED}-${GEN_SRC_ID}.vcf.gz"
if [ ! -s "$DATA" ]; then
  echo "== generating $RECORDS records x $SAMPLES samples (seed $SEED) -> $DATA" >&2
  tmp="$DATA.tmp.$$.vcf.gz"
  trap 'rm -f "$tmp"' EXIT
  "$GEN" --records "$RECORDS" --samples "$SAMPLES" --seed "$SEED" --threads "$(nproc)" -o "$tmp"
  mv "$tmp" "$DATA"
  trap - EXIT
fi

# ---- (c) timing --------------------------------------------------------------------------------
OUT="$WORKDIR/stats-run.$$"
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT

# measure NAME CMD...: runs CMD with stdout to $OUT/NAME.out, sets WALL (s) and RSS_KB.
if [ -x /usr/bin/time ]; then
  measure() {
    local name="$1"; shift
    local rc=0
    /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
      cat "$OUT/$name.err" >&2
      die "'$*' exited with status $rc"
    fi
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {
             n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' \
           "$OUT/$name.time")
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/$name.time")
  }
else
  echo "note: /usr/bin/time not found (Debian package 'time'); measuring with bash time + /proc" >&2
  measure() {
    local name="$1"; shift
    local start end pid rc=0 peak=0 key val _
    start=$(date +%s%N)
    "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" &
    pid=$!
    # VmHWM is the process's own high-water mark; the last read before exit is close to the peak.
    # Builtins only, so the polling itself barely competes with the tool for CPU.
    while kill -0 "$pid" 2>/dev/null; do
      while read -r key val _; do
        if [ "$key" = "VmHWM:" ] && [ "$val" -gt "$peak" ]; then peak=$val; fi
      done <"/proc/$pid/status" 2>/dev/null || true
      sleep 0.05
    done
    wait "$pid" || rc=$?
    end=$(date +%s%N)
    if [ "$rc" -ne 0 ]; then
      cat "$OUT/$name.err" >&2
      die "'$*' exited with status $rc"
    fi
    WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    RSS_KB=$peak
  }
fi

cat "$DATA" >/dev/null  # both tools start with the file in the page cache
best_agent="" best_bcf="" rss_agent=0 rss_bcf=0
for ((run = 1; run <= RUNS; run++)); do
  echo "== run $run/$RUNS: bcftools stats, vcf-agent stats" >&2
  measure bcftools bcftools stats "$DATA"
  if [ -z "$best_bcf" ] || awk -v a="$WALL" -v b="$best_bcf" 'BEGIN { exit !(a < b) }'; then
    best_bcf=$WALL
  fi
  [ "$RSS_KB" -gt "$rss_bcf" ] && rss_bcf=$RSS_KB
  # shellcheck disable=SC2086  # AGENT_ARGS is a list of words by design
  measure agent "$BIN" stats $AGENT_ARGS "$DATA"
  if [ -z "$best_agent" ] || awk -v a="$WALL" -v b="$best_agent" 'BEGIN { exit !(a < b) }'; then
    best_agent=$WALL
  fi
  [ "$RSS_KB" -gt "$rss_agent" ] && rss_agent=$RSS_KB
done

# ---- (d) SN lines --------------------------------------------------------------------------------
# "SN <id> <key>: <value>" -> "<key>\t<value>", one per line, sorted.
sn_pairs() { awk -F'\t' '$1 == "SN" { k = $3; sub(/:$/, "", k); print k "\t" $4 }' "$1" | sort; }
sn_pairs "$OUT/bcftools.out" >"$OUT/bcftools.sn"
sn_pairs "$OUT/agent.out" >"$OUT/agent.sn"
[ -s "$OUT/bcftools.sn" ] || die "bcftools stats printed no SN lines"
SN_STATUS="agree ($(wc -l <"$OUT/bcftools.sn") keys)"
SN_OK=1
if [ ! -s "$OUT/agent.sn" ]; then
  SN_STATUS="vcf-agent stats printed no bcftools-style SN lines"
  SN_OK=0
elif ! diff "$OUT/bcftools.sn" "$OUT/agent.sn" >/dev/null; then
  SN_STATUS="DIFFER"
  SN_OK=0
  {
    echo "SN lines differ (< bcftools, > vcf-agent):"
    diff "$OUT/bcftools.sn" "$OUT/agent.sn" || true
  } >&2
fi

# ---- (e) table -----------------------------------------------------------------------------------
echo
printf 'input: %s (%s records, %s samples, %s MB)\n' "$(basename "$DATA")" "$RECORDS" "$SAMPLES" \
  "$(awk -v b="$(stat -c %s "$DATA")" 'BEGIN { printf "%.1f", b / 1048576 }')"
printf '%-18s %12s %16s\n' "tool" "wall (s)" "peak RSS (MB)"
printf '%-18s %12s %16s\n' "vcf-agent stats" "$best_agent" "$(awk -v k="$rss_agent" 'BEGIN { printf "%.1f", k / 1024 }')"
printf '%-18s %12s %16s\n' "bcftools stats" "$best_bcf" "$(awk -v k="$rss_bcf" 'BEGIN { printf "%.1f", k / 1024 }')"
printf '%-18s %12s\n' "ratio agent/bcf" \
  "$(awk -v a="$best_agent" -v b="$best_bcf" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"
[ "$RUNS" -gt 1 ] && printf '(best wall time and highest peak RSS of %s runs)\n' "$RUNS"
printf 'SN lines: %s\n' "$SN_STATUS"
[ "$SN_OK" = 1 ]
