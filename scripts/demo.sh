#!/usr/bin/env bash
# The main job on the bundled real VCF (1000 Genomes chr22 subset, 5 samples): validate,
# statistics, ingest into the default store (./vcf-agent-db: the Kuzu graph, and the FAISS
# similarity index derived from it),
# then a few questions and a similarity search.
#   DB=dir bash scripts/demo.sh   uses another store directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target vcf-agent >/dev/null
BIN=build/release/vcf-agent
VCF=tests/data/chr22.vcf.gz
DB="${DB:-vcf-agent-db}"
run() { printf '\n$ vcf-agent %s\n' "$*"; "$BIN" "$@"; }
run validate "$VCF"
run stats "$VCF"
run ingest "$VCF" --db "$DB"
run stats --db "$DB"
run query region 22:50300000-50301000 --db "$DB"
run query variant rs7410291 --db "$DB"
run query genotype --het HG00096 --hom-ref HG00097 --min-carriers 2 --limit 5 --db "$DB"
run search --like 22:50300078:A:G -k 5 --db "$DB"
run search --like 22:50300078:A:G -k 5 --class SNV -r 22:50900000-51000000 --db "$DB"
run graph "MATCH (s:Sample)<-[h:CarriedBy]-(v:Variant) RETURN s.id AS sample, count(*) AS non_ref_calls, \
sum(CASE WHEN h.zygosity = 'hom_alt' THEN 1 ELSE 0 END) AS hom_alt ORDER BY sample" --db "$DB"
run tools call variant_stats '{"sample": "HG00096", "region": "22:50300000-50400000"}' --db "$DB"
run tools call genotype_filter '{"het": ["HG00096"], "hom_ref": ["HG00097"], "limit": 3}' --db "$DB"
