#pragma once
// The report as one self-contained HTML page: inline CSS and SVG charts, no script, no
// external resource, so it opens offline. Each part is a <section id="..."> with an <h2>;
// each chart an <svg data-plot="...">; exact numbers are in tables. Every string taken from
// the input (file, sample, contig, gene and consequence names) is HTML-escaped.
#include <string>
#include <vector>

#include "report/report_data.hpp"

namespace vcfagent::report {

// The section ids in page order.
const std::vector<std::string>& report_section_ids();

std::string render_report_html(const ReportData& data);

}  // namespace vcfagent::report
