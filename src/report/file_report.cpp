#include "report/file_report.hpp"

#include <stdexcept>

#include "common/error.hpp"
#include "report/report_builder.hpp"

namespace vcfagent::report {

ReportData file_report(const std::string& path, vcf::ReaderOptions opts) {
    const std::vector<std::string> requested = opts.samples;
    vcf::VcfReader reader(path, std::move(opts));
    bcf_hdr_t* hdr = reader.header();
    ReportOptions options;
    options.source = path;
    if (requested.empty()) {
        for (int i = 0; i < bcf_hdr_nsamples(hdr); ++i) options.sample_columns.push_back(i);
    } else {
        // In the order asked for, as `stats -s` lists them.
        for (const auto& name : requested) {
            const int idx = bcf_hdr_id2int(hdr, BCF_DT_SAMPLE, name.c_str());
            if (idx < 0)
                throw InputError(path, 0, "sample '" + name + "' is not in the file", kExitUsage);
            options.sample_columns.push_back(idx);
        }
    }
    ReportBuilder builder(hdr, std::move(options));
    while (bcf1_t* rec = reader.next()) {
        try {
            builder.add(rec);
        } catch (const std::invalid_argument& e) {
            throw InputError(path, 0, reader.where() + ": " + e.what(), kExitInvalid);
        }
    }
    return builder.finish();
}

}  // namespace vcfagent::report
