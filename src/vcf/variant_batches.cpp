#include "vcf/variant_batches.hpp"

namespace vcfagent::vcf {

VariantBatchReader::VariantBatchReader(VcfReader& reader, bool with_genotypes)
    : reader_(reader), splitter_(reader.header(), with_genotypes) {}

bool VariantBatchReader::next(VariantBatch& batch, size_t max_records, size_t max_calls) {
    batch.clear();
    while (batch.records < max_records && batch.calls < max_calls) {
        bcf1_t* rec = reader_.next();
        if (!rec) break;
        const size_t before = batch.variants.size();
        splitter_.split(rec, reader_.line(), batch.variants);
        for (size_t i = before; i < batch.variants.size(); ++i) batch.calls += batch.variants[i].calls.size();
        if (batch.records == 0) batch.first_line = reader_.line();
        batch.last_line = reader_.line();
        ++batch.records;
    }
    return batch.records > 0;
}

}  // namespace vcfagent::vcf
