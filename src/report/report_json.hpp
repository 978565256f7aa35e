#pragma once
// The report's numbers as bounded JSON (for the file_report tool): the summary, the small
// distributions (substitution types, indel lengths, impacts), and the long lists (samples,
// chromosomes, consequences, genes) cut to `max_rows` each, with their full lengths.
#include <cstddef>

#include <nlohmann/json.hpp>

#include "report/report_data.hpp"

namespace vcfagent::report {

nlohmann::json report_to_json(const ReportData& data, size_t max_rows);

}  // namespace vcfagent::report
