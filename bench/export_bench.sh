#!/usr/bin/env bash
# Benchmark: `vcf-agent export` of a whole store beside bcftools writing the same kind of file
# from the original VCF, on the same synthetic input in one run.
#
#   bash bench/export_bench.sh [--records N] [--samples S] [--seed X] [--runs R] [--workdir DIR]
#
# Rows (whole processes: start, store open, write, index; median wall of R runs, largest peak
# RSS):
#   export -O vcf   (bgzipped + tabix)  vs  `bcftools norm -m -any -Oz` then `bcftools index -t`
#   export -O bcf   (+ CSI)             vs  `bcftools norm -m -any -Ob` then `bcftools index`
#   export -O parquet (3 tables, partitioned by chromosome): no bcftools equivalent; the
#                                           reference is `bcftools query` of the sites and
#                                           the carriers' calls as text
#   export -O vcf -r (a 1 Mb region)    vs  `bcftools view -r` of the original (indexed)
# The store is built once per input (`ingest --no-vectors`) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
RECORDS=1000000
SAMPLES=100
SEED=7
RUNS=3
WORKDIR="${BENCH_DIR:-$REPO/build/bench-data}"
die() { printf 'export_bench: %s\n' "$*" >&2; exit 1; }
while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="$2"; shift 2 ;;
    --samples) SAMPLES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
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
# shellcheck source=bench/lib.sh
. bench/lib.sh

FILE="$WORKDIR/export-r$RECORDS-s$SAMPLES-seed$SEED.vcf.gz"
synthetic_vcf "$FILE" "$RECORDS" "$SAMPLES" "$SEED"
DB="$WORKDIR/export-r$RECORDS-s$SAMPLES-seed$SEED.db"
if [ ! -f "$DB/ready" ]; then
  rm -rf "$DB"
  "$BIN" ingest "$FILE" --db "$DB" --no-vectors >/dev/null 2>&1
  touch "$DB/ready"
fi
DEST="$WORKDIR/export-out"
# The first record's locus (read without a pipeline that `head` would cut short).
read -r CHROM BEG < <(bcftools view -H "$FILE" 2>/dev/null | awk 'NR == 1 {print $1, $2; exit}') || true
REGION="$CHROM:$BEG-$((BEG + 1000000))"

printf 'input: %s records x %s samples; store %s\n' "$RECORDS" "$SAMPLES" "$(du -sh "$DB" | cut -f1)"
printf '%-34s %10s %9s   %-40s %10s %9s %7s\n' "vcf-agent" "wall s" "RSS MB" "reference" "wall s" "RSS MB" "ratio"
row() {  # label ours-command reference-label reference-command
  local label="$1" ours="$2" rlabel="$3" ref="$4" our_med our_rss
  timed "$ours"; our_med=$MED; our_rss=$RSS
  timed "$ref"
  printf '%-34s %10.2f %9.0f   %-40s %10.2f %9.0f %7.2f\n' "$label" "$our_med" "$our_rss" "$rlabel" "$MED" "$RSS" \
    "$(awk -v a="$our_med" -v b="$MED" 'BEGIN{print (b>0)?a/b:0}')"
}
row "export -O vcf (bgzip + tbi)" \
  "rm -f $DEST.vcf.gz*; $BIN export --db $DB -o $DEST.vcf.gz 2>/dev/null" \
  "bcftools norm -m -any -Oz; index -t" \
  "bcftools norm -m -any -Oz -o $DEST.ref.vcf.gz $FILE 2>/dev/null && bcftools index -f -t $DEST.ref.vcf.gz"
row "export -O bcf (+ csi)" \
  "rm -f $DEST.bcf*; $BIN export --db $DB -O bcf -o $DEST.bcf 2>/dev/null" \
  "bcftools norm -m -any -Ob; index" \
  "bcftools norm -m -any -Ob -o $DEST.ref.bcf $FILE 2>/dev/null && bcftools index -f $DEST.ref.bcf"
row "export -O parquet (3 tables)" \
  "rm -rf $DEST.pq; $BIN export --db $DB -O parquet -o $DEST.pq 2>/dev/null" \
  "bcftools query sites + carriers" \
  "bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\t%ID\t%QUAL\t%FILTER\t%INFO/AF\n' $FILE >$DEST.sites.tsv && bcftools query -i 'GT=\"alt\"' -f '[%CHROM\t%POS\t%SAMPLE\t%GT\n]' $FILE >$DEST.calls.tsv"
row "export -r $REGION" \
  "$BIN export --db $DB -r $REGION -o - 2>/dev/null | wc -l" \
  "bcftools view -r (indexed original)" \
  "bcftools view -r $REGION $FILE | wc -l"
# The same number of records (the tests check that they are the same records and genotypes:
# bcftools norm without a reference does not trim alleles, the store does, so isec here would
# list the multi-allelic records' untrimmed alleles as private).
printf 'records exported %s, bcftools norm -m -any %s\n' \
  "$(bcftools index -n "$DEST.vcf.gz")" "$(bcftools index -n "$DEST.ref.vcf.gz")"
