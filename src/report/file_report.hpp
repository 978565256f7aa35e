#pragma once
// The report of a VCF/BCF file (optionally a region or sample subset): reads it with VcfReader
// and feeds every record to a ReportBuilder. Per-sample numbers cover the samples asked for
// in ReaderOptions::samples, or every sample of the file when that list is empty.
#include <string>

#include "report/report_data.hpp"
#include "vcf/reader.hpp"

namespace vcfagent::report {

// Throws InputError naming the file (and the line of a record that cannot be counted).
ReportData file_report(const std::string& path, vcf::ReaderOptions opts);

}  // namespace vcfagent::report
