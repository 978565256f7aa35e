#pragma once
// Bounded batches of split variants from a VcfReader: the unit every store write works on.
// A batch never exceeds max_records source records nor roughly max_calls genotype calls, so
// memory is bounded by the batch limits, not by the file.
#include <cstddef>
#include <vector>

#include "vcf/allele_split.hpp"
#include "vcf/reader.hpp"

namespace vcfagent::vcf {

struct VariantBatch {
    std::vector<Variant> variants;
    int64_t first_line = 0;  // line/ordinal of the first and last source record in the batch
    int64_t last_line = 0;
    size_t records = 0;
    size_t calls = 0;
    // The reader's progress when the batch was complete (for progress reports, which must not
    // ask the reader itself while another thread reads).
    int64_t records_read = 0;
    int64_t bytes_read = 0;
    void clear() {
        variants.clear();
        first_line = last_line = 0;
        records = calls = 0;
    }
};

// Records whose last variant lies in [begin, end) of the batch: the records a store has
// taken whole once it has taken those variants (the variants of a record share its line).
int64_t records_ending_in(const VariantBatch& batch, size_t begin, size_t end);

class VariantBatchReader {
  public:
    VariantBatchReader(VcfReader& reader, bool with_genotypes, bool with_depths = false);

    // Fills `batch` (cleared first). Returns false when the input is exhausted and the batch
    // is empty. Throws InputError from the reader on malformed input.
    bool next(VariantBatch& batch, size_t max_records, size_t max_calls = static_cast<size_t>(-1));

    VcfReader& reader() { return reader_; }

  private:
    VcfReader& reader_;
    RecordSplitter splitter_;
    size_t last_variants_ = 0;
};

}  // namespace vcfagent::vcf
