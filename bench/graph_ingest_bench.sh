#!/usr/bin/env bash
# Benchmark: `vcf-agent ingest` (graph store) on synthetic VCFs of two sizes, beside
# `bcftools view -Ou -o /dev/null` on the same 1M file in the same run.
#
#   bash bench/graph_ingest_bench.sh [--records N] [--small N] [--samples S] [--seed X]
#                                    [--agent-args "ARGS"] [--workdir DIR]
#
# Prints, for the small and the large file: wall time, variants/s, genotype edges/s and peak RSS
# of the ingest; the bcftools wall time; the RSS ratio large/small (flat memory means ~1.0).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
RECORDS=1000000
SMALL=100000
SAMPLES=100
SEED=7
AGENT_ARGS=""
WORKDIR="${BENCH_DIR:-$REPO/build/bench-data}"
die() { printf 'graph_ingest_bench: %s\n' "$*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --small) SMALL="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --agent-args) AGENT_ARGS="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[ -x /usr/bin/time ] || die "/usr/bin/time missing (Debian package 'time'; scripts/setup.sh installs it)"
bash scripts/setup.sh >/dev/null
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build --preset release --target vcf-agent vcf_generate >/dev/null
BIN="$REPO/build/release/vcf-agent"
GEN="$REPO/build/release/bench/vcf_generate"
mkdir -p "$WORKDIR"

gen() {  # records -> path (cached)
  local f="$WORKDIR/ingest-r$1-s$SAMPLES-seed$SEED.vcf.gz"
  [ -s "$f" ] || "$GEN" --records "$1" --samples "$SAMPLES" --seed "$SEED" --threads "$(nproc)" -o "$f.tmp.vcf.gz"
  [ -s "$f" ] || mv "$f.tmp.vcf.gz" "$f"
  echo "$f"
}

# Runs a command under /usr/bin/time -v; sets WALL (s) and RSS (MB).
timed() {
  local log
  log=$(mktemp)
  /usr/bin/time -v "$@" >"$log.out" 2>"$log" || { cat "$log" >&2; die "failed: $*"; }
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$log")
  OUT=$(cat "$log.out")
  rm -f "$log" "$log.out"
}

ingest_run() {  # file -> sets V, E, WALL, RSS
  local db="$WORKDIR/bench-db"
  rm -rf "$db"
  # shellcheck disable=SC2086
  timed "$BIN" ingest "$1" --db "$db" -O json $AGENT_ARGS
  V=$(printf '%s' "$OUT" | sed -n 's/.*"variants":\([0-9]*\).*/\1/p')
  E=$(printf '%s' "$OUT" | sed -n 's/.*"new_edges":\([0-9]*\).*/\1/p')
  STAGES=$(printf '%s' "$OUT" | sed -n 's/.*"stage_seconds":\({[^}]*}\).*/\1/p')
  rm -rf "$db"
}

small=$(gen "$SMALL")
large=$(gen "$RECORDS")
cat "$large" >/dev/null  # both tools start from the page cache

ingest_run "$small"; S_WALL=$WALL S_RSS=$RSS S_V=$V S_E=$E S_ST=$STAGES
ingest_run "$large"; L_WALL=$WALL L_RSS=$RSS L_V=$V L_E=$E L_ST=$STAGES
timed bcftools view -Ou -o /dev/null "$large"; B_WALL=$WALL B_RSS=$RSS

printf '%-34s %10s %12s %14s %10s\n' "run" "wall (s)" "variants/s" "edges/s" "RSS (MB)"
printf '%-34s %10s %12.0f %14.0f %10s\n' "vcf-agent ingest ${SMALL}x${SAMPLES}" "$S_WALL" \
  "$(echo "$S_V / $S_WALL" | bc -l)" "$(echo "$S_E / $S_WALL" | bc -l)" "$S_RSS"
printf '%-34s %10s %12.0f %14.0f %10s\n' "vcf-agent ingest ${RECORDS}x${SAMPLES}" "$L_WALL" \
  "$(echo "$L_V / $L_WALL" | bc -l)" "$(echo "$L_E / $L_WALL" | bc -l)" "$L_RSS"
printf '%-34s %10s %12s %14s %10s\n' "bcftools view -Ou ${RECORDS}x${SAMPLES}" "$B_WALL" "" "" "$B_RSS"
printf 'ingest/bcftools wall ratio: %.1f   RSS large/small: %.2f\n' \
  "$(echo "$L_WALL / $B_WALL" | bc -l)" "$(echo "$L_RSS / $S_RSS" | bc -l)"
printf 'stage seconds (large): %s\n' "$L_ST"
