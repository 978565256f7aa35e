#pragma once
// `export -O vcf|bcf`: stored variants written as a bgzipped VCF with a tabix index, or a BCF
// with a CSI index, through htslib (or plain VCF text to standard output for "-").
#include <cstdint>
#include <string>

#include "export/stored_records.hpp"

namespace vcfagent::exporting {

enum class VcfFormat { Vcf, Bcf };

struct VcfExportReport {
    int64_t records = 0;
    std::string index_path;  // empty when not indexed (standard output)
};

// Writes every record `reader` yields to `path` (replaced) and indexes it. Throws
// std::runtime_error naming the path when writing or indexing fails.
VcfExportReport write_vcf(StoredRecordReader& reader, const std::string& path, VcfFormat format);

}  // namespace vcfagent::exporting
