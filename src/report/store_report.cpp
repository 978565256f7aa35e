#include "report/store_report.hpp"

#include <memory>
#include <stdexcept>

#include "common/error.hpp"
#include "export/stored_records.hpp"
#include "export/vcf_record_builder.hpp"
#include "report/report_builder.hpp"

namespace vcfagent::report {

ReportData store_report(store::GraphStore& graph, const exporting::StoredSelection& selection,
                        const std::string& name) {
    exporting::StoredRecordReader reader(graph, selection);
    exporting::VcfRecordBuilder records(reader);
    ReportOptions options;
    options.source = selection.source.empty() ? name : name + " (" + selection.source + ")";
    for (size_t i = 0; i < reader.samples().size(); ++i)
        options.sample_columns.push_back(static_cast<int>(i));
    ReportBuilder builder(records.header(), std::move(options));
    std::unique_ptr<bcf1_t, decltype(&bcf_destroy)> rec(bcf_init(), &bcf_destroy);
    exporting::StoredRecord stored;
    while (reader.next(stored)) {
        records.fill(stored, rec.get());
        try {
            builder.add(rec.get());
        } catch (const std::invalid_argument& e) {
            throw StoreError("variant " + stored.key + " of " + name + ": " + e.what());
        }
    }
    return builder.finish();
}

}  // namespace vcfagent::report
