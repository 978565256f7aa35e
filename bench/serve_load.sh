#!/usr/bin/env bash
# Benchmark: `vcf-agent serve` under load from a real HTTP load generator (wrk, 64 keep-alive
# connections) on a synthetic store: region lookups, similarity searches and genotype filters,
# one kind per run, then all three mixed while an ingest job sent through the API adds a second
# file to the store (its own variants, the same samples; sized to outlast the mixed run, and
# the job's state at the run's end is printed to show it did). Reported beside one
# `bcftools view -r` of the same kind of region on the same file (the reference a user would
# script instead).
#
#   bash bench/serve_load.sh [--records N] [--samples S] [--seconds T] [--connections C]
#                            [--ingest-records M] [--workdir DIR] [--binary PATH]
#
# --ingest-records defaults to 40,000 per second of a run (measured: ~32,000 records/s under the
# mixed load on 2 cores); 0 runs the load without the ingest job. --binary serves with another
# build of vcf-agent (a before/after comparison on the same store and machine state). The store
# is copied before each run (the ingest job changes it).
#
# Prints per endpoint: requests/s, p50/p95/p99 latency, errors (and of them: 503 answers, other
# non-2xx answers, client timeouts); the ingest job's state at the end
# of the mixed run and its report; and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
RECORDS=1000000
SAMPLES=10
SECONDS_PER_RUN=20
CONNECTIONS=64
SEED=11
INGEST_RECORDS=""
BIN=""
WORKDIR="${BENCH_DIR:-$REPO/build/bench-data}"
die() { printf 'serve_load: %s\n' "$*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --ingest-records) INGEST_RECORDS="$2"; shift 2 ;;
    --binary) BIN="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[ -n "$INGEST_RECORDS" ] || INGEST_RECORDS=$((SECONDS_PER_RUN * 40000))
bash scripts/setup.sh >/dev/null
if ! command -v wrk >/dev/null; then  # the load generator is the benchmark's, not the product's
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build --preset release --target vcf-agent vcf_generate >/dev/null
BIN="${BIN:-$REPO/build/release/vcf-agent}"
GEN="$REPO/build/release/bench/vcf_generate"
mkdir -p "$WORKDIR"
VCF="$WORKDIR/serve-r$RECORDS-s$SAMPLES-seed$SEED.vcf.gz"
if [ ! -s "$VCF" ]; then
  "$GEN" --records "$RECORDS" --samples "$SAMPLES" --seed "$SEED" --threads "$(nproc)" -o "$VCF.tmp.vcf.gz"
  mv "$VCF.tmp.vcf.gz" "$VCF"
fi
[ -s "$VCF.tbi" ] || tabix -f -p vcf "$VCF"
DB="$WORKDIR/serve-db-r$RECORDS-s$SAMPLES"
if [ ! -f "$DB/.complete" ]; then
  rm -rf "$DB"
  start=$(date +%s.%N)
  "$BIN" ingest "$VCF" --db "$DB" >/dev/null
  printf 'ingest: %.1f s (%s records x %s samples, graph + vectors)\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$RECORDS" "$SAMPLES"
  touch "$DB/.complete"
fi
# The file the ingest job adds: other positions (another seed), the same sample names.
DATA="$WORKDIR/serve-data"
mkdir -p "$DATA"
EXTRA="$DATA/serve-extra-r$INGEST_RECORDS-s$SAMPLES-seed$((SEED + 1)).vcf.gz"
if [ "$INGEST_RECORDS" -gt 0 ] && [ ! -s "$EXTRA" ]; then
  "$GEN" --records "$INGEST_RECORDS" --samples "$SAMPLES" --seed $((SEED + 1)) --threads "$(nproc)" \
    -o "$EXTRA.tmp.vcf.gz"
  mv "$EXTRA.tmp.vcf.gz" "$EXTRA"
fi
LIVE="$WORKDIR/serve-db-live"
rm -rf "$LIVE"
cp -a "$DB" "$LIVE"
TOKENS="$WORKDIR/serve-tokens"
rm -f "$TOKENS"
TOKEN=$("$BIN" token add --role reader --tokens "$TOKENS")
WRITER=$("$BIN" token add --role writer --tokens "$TOKENS")
KEYS=$("$BIN" tools call variants_in_region '{"region": "chr1:1-50000000", "limit": 200}' --db "$DB" -O json |
  grep -o '"key":"[^"]*"' | cut -d'"' -f4 | paste -sd, -)
[ -n "$KEYS" ] || die "no variant keys found in the store"

PORTFILE="$WORKDIR/serve-port"
rm -f "$PORTFILE"
"$BIN" serve --db "$LIVE" --tokens "$TOKENS" --listen 127.0.0.1:0 --port-file "$PORTFILE" \
  --threads $((CONNECTIONS + 8)) --max-running "$(nproc)" --max-queue $((CONNECTIONS * 2)) \
  --max-wait-ms 5000 --allow-ingest --data-dir "$DATA" 2>"$WORKDIR/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$PORTFILE" ] && break; sleep 0.1; done
PORT=$(cat "$PORTFILE")
URL="http://127.0.0.1:$PORT"

job_status() { curl -s -H "Authorization: Bearer $WRITER" "$URL/v1/jobs/$JOB"; }
json_field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }
run_load() {  # kind -> one table row
  local line
  line=$(ENDPOINT=$1 TOKEN=$TOKEN KEYS=$KEYS SAMPLES=$SAMPLES \
    wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --timeout 10s -s bench/serve_load/mix.lua "$URL" |
    grep '^RESULT')
  # shellcheck disable=SC2086
  set -- $line
  printf '%-9s %9s %8s %8s %8s %8s %7s %5s %5s %8s\n' "$2" "${3#requests=}" "${5#rps=}" "${6#p50_ms=}" \
    "${7#p95_ms=}" "${8#p99_ms=}" "${9#errors=}" "${10#status503=}" "${11#status_other=}" "${12#timeouts=}"
}

printf '\n%-9s %9s %8s %8s %8s %8s %7s %5s %5s %8s\n' endpoint requests rps p50_ms p95_ms p99_ms errors 503 other timeouts
for endpoint in region search genotype; do run_load "$endpoint"; done
JOB=""
if [ "$INGEST_RECORDS" -gt 0 ]; then
  JOB=$(curl -s -X POST -H "Authorization: Bearer $WRITER" -H 'Content-Type: application/json' \
    -d "{\"path\": \"$(basename "$EXTRA")\"}" "$URL/v1/ingest" | json_field job)
  [ -n "$JOB" ] || die "the server did not accept the ingest job"
fi
metrics() { curl -s -H "Authorization: Bearer $TOKEN" "$URL/metrics" | grep '^vcf_agent_request_duration_seconds_bucket'; }
metrics >"$WORKDIR/serve-metrics-before"
run_load mix
metrics >"$WORKDIR/serve-metrics-after"
# The mix per endpoint, from the server's latency histograms (the difference over the run):
# each percentile as the histogram bucket it falls in ("<= bound"), as Prometheus would.
awk '
  function key(line) { match(line, /endpoint="[^"]*"/); e = substr(line, RSTART + 10, RLENGTH - 11)
                       match(line, /le="[^"]*"/); return e SUBSEP substr(line, RSTART + 4, RLENGTH - 5) }
  FNR == NR { before[key($1)] = $2; next }
  { k = key($1); split(k, p, SUBSEP); n = $2 - before[k]; count[p[1], p[2]] = n
    if (!(p[1] in seen)) { seen[p[1]] = 1; order[++m] = p[1] } bounds[p[1]] = bounds[p[1]] " " p[2] }
  END {
    for (i = 1; i <= m; i++) {
      e = order[i]; nb = split(bounds[e], b, " "); total = count[e, "+Inf"]
      if (total < 10 || (e != "variants" && e != "search" && e != "tool_call")) continue
      line = sprintf("mix %-10s %7d requests", e, total)
      split("0.5 0.95 0.99", qs, " ")
      for (j = 1; j <= 3; j++)
        for (x = 1; x <= nb; x++)
          if (count[e, b[x]] >= qs[j] * total) {
            line = line sprintf("  p%g <= %s ms", qs[j] * 100, b[x] == "+Inf" ? "inf" : b[x] * 1000); break }
      print line
    }
  }' "$WORKDIR/serve-metrics-before" "$WORKDIR/serve-metrics-after"
if [ -n "$JOB" ]; then
  status=$(job_status)
  printf 'ingest job through POST /v1/ingest during the mix (%s records x %s samples): %s, %s records at its end\n' \
    "$INGEST_RECORDS" "$SAMPLES" "$(json_field status <<<"$status")" "$(json_field records <<<"$status")"
  while [ "$(job_status | json_field status)" = running ] || [ "$(job_status | json_field status)" = queued ]; do
    sleep 1
  done
  printf 'ingest job after the load: %s\n' "$(job_status)"
fi
# Who answered the region lookups (the variant index while current; the graph while the index
# caught up with a commit).
curl -s -H "Authorization: Bearer $TOKEN" "$URL/metrics" | grep '^vcf_agent_region_lookups_total' |
  sed 's/^/region lookups: /'
RSS=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SERVER/status")
printf '\nserver peak RSS: %s MB\n' "$RSS"

# The reference: one region of the same size answered by bcftools, a process per question.
start=$(date +%s.%N)
for i in $(seq 20); do
  beg=$((RANDOM * 3000 + 1))
  bcftools view -H -r "chr1:$beg-$((beg + 20000))" "$VCF" | head -20 >/dev/null
done
printf 'bcftools view -r (20 regions, one process each): %.1f ms per region\n' \
  "$(echo "($(date +%s.%N) - $start) * 1000 / 20" | bc -l)"
