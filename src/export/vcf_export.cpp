#include "export/vcf_export.hpp"

#include <htslib/hts.h>

#include <memory>
#include <stdexcept>

#include "export/vcf_record_builder.hpp"

namespace vcfagent::exporting {

VcfExportReport write_vcf(StoredRecordReader& reader, const std::string& path, VcfFormat format) {
    VcfRecordBuilder builder(reader);
    const bool to_stdout = path == "-";
    const char* mode = to_stdout ? "w" : format == VcfFormat::Bcf ? "wb" : "wz";
    std::unique_ptr<htsFile, decltype(&hts_close)> fp(hts_open(path.c_str(), mode), &hts_close);
    if (!fp) throw std::runtime_error(path + ": cannot open for writing");
    if (bcf_hdr_write(fp.get(), builder.header()) != 0)
        throw std::runtime_error(path + ": cannot write the VCF header");
    VcfExportReport report;
    if (!to_stdout) {
        // Built while writing: a CSI (min_shift 14) for BCF, a tabix index for bgzipped VCF.
        report.index_path = path + (format == VcfFormat::Bcf ? ".csi" : ".tbi");
        if (bcf_idx_init(fp.get(), builder.header(), format == VcfFormat::Bcf ? 14 : 0,
                         report.index_path.c_str()) != 0)
            throw std::runtime_error(path + ": cannot start its index");
    }
    std::unique_ptr<bcf1_t, decltype(&bcf_destroy)> rec(bcf_init(), &bcf_destroy);
    StoredRecord stored;
    while (reader.next(stored)) {
        builder.fill(stored, rec.get());
        if (bcf_write(fp.get(), builder.header(), rec.get()) != 0)
            throw std::runtime_error(path + ": cannot write record " + stored.key);
        ++report.records;
    }
    if (!to_stdout && bcf_idx_save(fp.get()) != 0)
        throw std::runtime_error(report.index_path + ": cannot write the index");
    if (hts_close(fp.release()) != 0) throw std::runtime_error(path + ": cannot close");
    return report;
}

}  // namespace vcfagent::exporting
