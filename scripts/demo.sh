#!/usr/bin/env bash
# The main job on the bundled real VCF (1000 Genomes chr22 subset): validate, statistics.
#   DB=dir bash scripts/demo.sh   uses another store directory (default ./vcf-agent-db).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
BIN=build/release/vcf-agent
VCF=tests/data/chr22.vcf.gz
echo "== vcf-agent validate $VCF"
"$BIN" validate "$VCF"
echo "== vcf-agent stats $VCF"
"$BIN" stats "$VCF"
