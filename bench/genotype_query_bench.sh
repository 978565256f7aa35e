#!/usr/bin/env bash
# Benchmark: genotype and inheritance questions answered by `vcf-agent` from its store, beside
# the pipeline a data-savvy user runs instead (`bcftools query` piped into DuckDB) and, for the
# inheritance questions, bcftools' own trio plugins, all on the same synthetic file in one run.
#
#   bash bench/genotype_query_bench.sh [--records N] [--samples S] [--trios T] [--seed X]
#                                      [--runs R] [--workdir DIR]
#
# Times are whole processes (start, store open, answer), the median of R runs; peak RSS is the
# largest of them. The store is built once per input (`ingest --no-vectors --ped`) and reused.
# DuckDB comes from npm (@duckdb/node-api, pinned in bench/duckdb/package-lock.json), installed
# here: the product does not use it.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
RECORDS=1000000
SAMPLES=100
TRIOS=30
SEED=7
RUNS=3
WORKDIR="${BENCH_DIR:-$REPO/build/bench-data}"
die() { printf 'genotype_query_bench: %s\n' "$*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --trios) TRIOS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --workdir) WORKDIR="$2"; shift 2 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[ $((TRIOS * 3)) -le "$SAMPLES" ] || die "--trios $TRIOS needs $((TRIOS * 3)) samples"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (Debian package 'time'; scripts/setup.sh installs it)"
bash scripts/setup.sh >/dev/null
[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
cmake --build --preset release --target vcf-agent vcf_generate >/dev/null
(cd bench/duckdb && npm ci --no-audit --no-fund --silent)
BIN="$REPO/build/release/vcf-agent"
GEN="$REPO/build/release/bench/vcf_generate"
mkdir -p "$WORKDIR"

# Children inherit from their parents (the generator's --trios), so inheritance answers are
# as rare as in a real family rather than half of all variants; sons and fathers are haploid on
# X between the two PARs. The generator's contigs are GRCh38's (chrX): `--build GRCh38` for
# vcf-agent, `--rules GRCh38` for bcftools +mendelian.
NAME="genotype-r$RECORDS-s$SAMPLES-t$TRIOS-seed$SEED"
FILE="$WORKDIR/$NAME.vcf.gz"
if [ ! -s "$FILE" ]; then
  "$GEN" --records "$RECORDS" --samples "$SAMPLES" --trios "$TRIOS" --seed "$SEED" --threads "$(nproc)" --index -o "$FILE.tmp.vcf.gz"
  mv "$FILE.tmp.vcf.gz" "$FILE"
  for ext in tbi csi; do [ -f "$FILE.tmp.vcf.gz.$ext" ] && mv "$FILE.tmp.vcf.gz.$ext" "$FILE.$ext"; done
fi
[ -f "$FILE.tbi" ] || [ -f "$FILE.csi" ] || tabix -p vcf "$FILE"
SAMPLES_TXT="$WORKDIR/genotype-samples.txt"
bcftools query -l "$FILE" >"$SAMPLES_TXT"

# Trio i: child 3i+1 (affected son), father 3i+2, mother 3i+3 (sample columns, 1-based).
PED="$WORKDIR/genotype-t$TRIOS.ped"
TRIO_IDX="$WORKDIR/genotype-t$TRIOS.idx"
: >"$PED"; : >"$TRIO_IDX"
for ((t = 0; t < TRIOS; t++)); do
  k=$(sed -n "$((3 * t + 1))p" "$SAMPLES_TXT"); d=$(sed -n "$((3 * t + 2))p" "$SAMPLES_TXT"); m=$(sed -n "$((3 * t + 3))p" "$SAMPLES_TXT")
  printf 'T%02d\t%s\t%s\t%s\t1\t2\nT%02d\t%s\t0\t0\t1\t1\nT%02d\t%s\t0\t0\t2\t1\n' "$t" "$k" "$d" "$m" "$t" "$d" "$t" "$m" >>"$PED"
  printf '%d %d %d\n' $((3 * t)) $((3 * t + 1)) $((3 * t + 2)) >>"$TRIO_IDX"
done

DB="$WORKDIR/$NAME.db"
if [ ! -f "$DB/ready" ]; then
  rm -rf "$DB"
  "$BIN" ingest "$FILE" --db "$DB" --no-vectors --ped "$PED" >/dev/null 2>"$WORKDIR/ingest.err" ||
    { cat "$WORKDIR/ingest.err" >&2; die "ingest of $FILE failed"; }
  touch "$DB/ready"
fi
"$BIN" ped load "$PED" --db "$DB" >/dev/null 2>&1

# Runs a shell command line R times; sets MED (s, median wall), RSS (MB, max) and OUT (last stdout).
timed() {
  local walls=() rss=0 log
  for ((r = 0; r < RUNS; r++)); do
    log=$(mktemp)
    /usr/bin/time -v bash -c "$1" >"$log.out" 2>"$log" || { cat "$log" >&2; die "failed: $1"; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")")
    rss=$(awk -F': ' -v r="$rss" '/Maximum resident set size/ {v=$2/1024; print (v>r)?v:r}' "$log")
    OUT=$(cat "$log.out")
    rm -f "$log" "$log.out"
  done
  MED=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  RSS=$(printf '%.0f' "$rss")
}

S1=$(sed -n 1p "$SAMPLES_TXT"); S2=$(sed -n 2p "$SAMPLES_TXT")
# (awk stops reading early: bcftools' broken pipe is not a failure here)
FIRST=$( { bcftools view -H "$FILE" 2>/dev/null || true; } | awk 'NR==5000 {print $1":"$2":"$4":"$5; exit}')
CHROM=${FIRST%%:*}
# Split into one record per ALT first, as the store holds them, so both count the same rows.
QUERY="bcftools norm -m -any -Ou $FILE 2>/dev/null | bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n'"
DUCK="node $REPO/bench/duckdb/query_tsv.mjs"

printf '%-44s %10s %8s %12s %8s %8s %10s\n' "question (${RECORDS}x${SAMPLES}, ${TRIOS} trios)" "agent (s)" "RSS MB" "reference(s)" "RSS MB" "ratio" "rows a/r"
row() {  # label agent_cmd ref_cmd
  timed "$2"; local a=$MED ar=$RSS ao=$OUT
  timed "$3"; local b=$MED br=$RSS bo=$OUT
  printf '%-44s %10s %8s %12s %8s %8.2f %10s\n' "$1" "$a" "$ar" "$b" "$br" "$(echo "$b / $a" | bc -l)" "$ao/$bo"
}
row "genotype: het $S1, hom-ref $S2, >=2 carriers" \
  "$BIN query genotype --db $DB --het $S1 --hom-ref $S2 --min-carriers 2 -O tsv | tail -n +2 | wc -l" \
  "$QUERY | $DUCK genotype $SAMPLES_TXT 0 1 2"
row "carriers of $FIRST" \
  "$BIN query variant $FIRST --db $DB -O tsv | tail -n +2 | wc -l" \
  "$QUERY | $DUCK carriers $SAMPLES_TXT $FIRST"
row "variants in $CHROM:1000000-2000000" \
  "$BIN query region $CHROM:1000000-2000000 --db $DB -O tsv | tail -n +2 | wc -l" \
  "$QUERY | $DUCK region $SAMPLES_TXT $CHROM 1000000 2000000"
row "variants $S1 carries" \
  "$BIN query sample $S1 --db $DB -O tsv | tail -n +2 | wc -l" \
  "$QUERY | $DUCK sample $SAMPLES_TXT 0"
row "variants $S1 and $S2 both carry" \
  "$BIN query shared $S1 $S2 --db $DB -O tsv | tail -n +2 | wc -l" \
  "$QUERY | $DUCK shared $SAMPLES_TXT 0 1"
# GEMINI-style groups: het in two affected children, hom-ref in all four of their parents.
K1=$(sed -n 1p "$SAMPLES_TXT"); K2=$(sed -n 4p "$SAMPLES_TXT")
PARENTS=$(sed -n '2p;3p;5p;6p' "$SAMPLES_TXT" | paste -sd,)
row "groups: all het (2 children), all hom-ref (4 parents)" \
  "$BIN query genotype --db $DB --group all:het:$K1,$K2 --group all:hom_ref:$PARENTS -O tsv | tail -n +2 | wc -l" \
  "$QUERY | $DUCK groups $SAMPLES_TXT 'all:het:0,3;all:hom_ref:1,2,4,5'"
row "de novo (lenient) in any trio" \
  "$BIN family de-novo --lenient --build GRCh38 --db $DB -O tsv 2>/dev/null | tail -n +2 | wc -l" \
  "$QUERY | $DUCK de-novo $SAMPLES_TXT $TRIO_IDX"
row "de novo (lenient) vs +trio-dnm2 --use-NAIVE" \
  "$BIN family de-novo --lenient --build GRCh38 --db $DB -O tsv 2>/dev/null | tail -n +2 | wc -l" \
  "bcftools +trio-dnm2 --use-NAIVE -P $PED $FILE -Ou | bcftools view -H -i 'FMT/DNM=1' | wc -l"
row "mendel errors, bcftools +mendelian" \
  "$BIN family mendel-errors --build GRCh38 --db $DB -O tsv 2>/dev/null | awk 'NF==0 {exit} NR>1' | wc -l" \
  "bcftools norm -m -any -Ou $FILE 2>/dev/null | bcftools +mendelian --rules GRCh38 -p $PED -m x - | grep -vc '^#'"
# Recessive in any trio (child hom-alt, both parents het) as one bcftools expression.
RECESSIVE=$(awk '{printf "%s(GT[%d]=\"AA\" && GT[%d]=\"het\" && GT[%d]=\"het\")", (NR>1 ? " || " : ""), $1, $2, $3}' "$TRIO_IDX")
row "recessive (lenient) in any trio, bcftools view -i" \
  "$BIN family recessive --lenient --build GRCh38 --db $DB -O tsv 2>/dev/null | tail -n +2 | wc -l" \
  "bcftools norm -m -any -Ou $FILE 2>/dev/null | bcftools view -H -i '$RECESSIVE' | wc -l"
# No bcftools pass pairs hets within a gene by transmission: vcf-agent alone.
timed "$BIN family comp-het --lenient --build GRCh38 --db $DB -O tsv 2>/dev/null | tail -n +2 | wc -l"
printf '%-44s %10s %8s %12s %8s %8s %10s\n' "compound hets (lenient), ${TRIOS} children" "$MED" "$RSS" "-" "-" "-" "$OUT/-"
echo "ratio = reference / vcf-agent (above 1: vcf-agent is faster); rows a/r = rows each answer has"
