#pragma once
// `export -O tsv|json`: the selected stored variants as a table, one row per variant or one
// per variant and carrier, streamed (JSON Lines-style rows inside one array) so memory does
// not grow with the store.
#include <cstdint>
#include <ostream>

#include "export/stored_records.hpp"

namespace vcfagent::exporting {

enum class TableRows { Variants, Carriers };
enum class TableFormat { Tsv, Json };

// Writes every record `reader` yields; returns the rows written.
int64_t write_table(StoredRecordReader& reader, std::ostream& out, TableRows rows,
                    TableFormat format);

}  // namespace vcfagent::exporting
