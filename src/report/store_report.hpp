#pragma once
// The report of a store (optionally one loaded file, a region or a sample subset): the stored
// variants read back as the records `export` writes (StoredRecordReader + VcfRecordBuilder)
// and fed to the same ReportBuilder as a file's records, so a store and a file are counted by
// the same code. The records are split and trimmed, as after `bcftools norm -m -any`: a store
// has no multi-allelic records.
#include <string>

#include "export/stored_selection.hpp"
#include "report/report_data.hpp"

namespace vcfagent::report {

// `name` labels the report (the store directory). Throws InputError for an unknown sample or
// source, StoreError when the store cannot be read.
ReportData store_report(store::GraphStore& graph, const exporting::StoredSelection& selection,
                        const std::string& name);

}  // namespace vcfagent::report
