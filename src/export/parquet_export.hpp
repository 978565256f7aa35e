#pragma once
// `export -O parquet`: the selected variants, their carriers' calls and their gene links as
// Parquet files written by Kuzu itself (`COPY (MATCH ...) TO 'file.parquet'`), partitioned by
// chromosome in Hive layout so DuckDB, Spark or pandas read only the chromosomes a query
// names:
//   DIR/variants/chrom=22/part-0.parquet   one row per variant
//   DIR/calls/chrom=22/part-0.parquet      one row per (variant, carrier)
//   DIR/genes/chrom=22/part-0.parquet      one row per InGene edge
//   DIR/samples.parquet, DIR/sources.parquet
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "export/stored_selection.hpp"

namespace vcfagent::exporting {

struct ParquetExportReport {
    std::map<std::string, int64_t> rows;  // table -> rows written over every partition
    int64_t partitions = 0;               // chromosome directories per table
};

// Writes into `dir` (created; must be empty or absent). Throws InputError when `dir` holds
// files, StoreError when Kuzu cannot write.
ParquetExportReport write_parquet(store::GraphStore& graph, const StoredSelection& selection,
                                  const std::filesystem::path& dir);

}  // namespace vcfagent::exporting
