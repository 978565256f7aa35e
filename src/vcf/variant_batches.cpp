#include "vcf/variant_batches.hpp"

namespace vcfagent::vcf {

int64_t records_ending_in(const VariantBatch& batch, size_t begin, size_t end) {
    const auto& vs = batch.variants;
    int64_t n = 0;
    for (size_t i = begin; i < end; ++i)
        if (i + 1 == vs.size() || vs[i + 1].line != vs[i].line) ++n;
    return n;
}

VariantBatchReader::VariantBatchReader(VcfReader& reader, bool with_genotypes, bool with_depths)
    : reader_(reader), splitter_(reader.header(), with_genotypes, with_depths) {}

bool VariantBatchReader::next(VariantBatch& batch, size_t max_records, size_t max_calls) {
    batch.clear();
    // Batches are alike in size: reserving the last one's size (plus a little) avoids the
    // doubling growth that would leave up to half the vector unused and copy it on the way.
    if (last_variants_ > 0) batch.variants.reserve(last_variants_ + last_variants_ / 16 + 16);
    while (batch.records < max_records && batch.calls < max_calls) {
        bcf1_t* rec = reader_.next();
        if (!rec) break;
        const size_t before = batch.variants.size();
        splitter_.split(rec, reader_.line(), batch.variants);
        for (size_t i = before; i < batch.variants.size(); ++i)
            batch.calls += call_load(batch.variants[i]);
        if (batch.records == 0) batch.first_line = reader_.line();
        batch.last_line = reader_.line();
        ++batch.records;
    }
    last_variants_ = batch.variants.size();
    return batch.records > 0;
}

}  // namespace vcfagent::vcf
