#pragma once
// The genotype codes of the store's call vectors, kept beside the variant index's rows so a
// genotype filter is answered without a statement (VariantIndex::genotype_filter). They mirror
// the graph's Calls rows (store/call_rows.hpp): a call vector of one loaded file is split into
// parts of at most kSamplesPerCallsRow samples, part `first` holding columns [first, first +
// its length). Codes are packed two bits each ('0', '1', '2', '.' as 0-3).
//
// The codes are a cache like the rest of the index, bounded by a byte budget: past it they are
// given up whole (abandoned) and genotype filters go to the graph. A file with two call
// vectors for one row (a record repeated in a file), or a part whose length disagrees with its
// file's, is ambiguous: the graph answers its filters.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "index/index_io.hpp"
#include "index/spill_file.hpp"

namespace vcfagent::index {

class CallColumns {
  public:
    explicit CallColumns(size_t budget_bytes = kDefaultBudgetBytes) : budget_(budget_bytes) {}
    static constexpr size_t kDefaultBudgetBytes = size_t{256} << 20;

    // One part (a Calls row): index row `row`'s call vector of file `source` from column
    // `first` on. Rows may come in any order; settle() before reading.
    void add(uint32_t row, uint32_t source, uint32_t first, std::string_view codes);
    // A whole call vector, split into parts as the store splits it.
    void add_vector(uint32_t row, uint32_t source, std::string_view gt);
    // Moves every part of `other` (for the same rows) in; neither may have parked codes.
    void merge(CallColumns&& other);
    // Orders what was added since the last call; finds rows with two vectors of one file.
    void settle();

    // Whether filters on file `source` can be answered: codes kept and not ambiguous.
    bool usable(uint32_t source) const;
    bool abandoned() const { return abandoned_; }
    // Drops every code; nothing is kept from here on (until a new CallColumns replaces this).
    void abandon();

    // The packed codes of row `row`'s part `first` of file `source`, or nullptr when it has
    // none. Needs settle() since the last add.
    const uint8_t* part(uint32_t source, uint32_t first, uint32_t row) const;
    // Code of column `k` within a part ('0', '1', '2' or '.').
    static char code(const uint8_t* packed, uint32_t k) {
        return "012."[(packed[k / 4] >> (2 * (k % 4))) & 3];
    }
    // The '1' and '2' codes of row `row`'s whole vector of file `source`.
    int64_t carriers(uint32_t source, uint32_t row) const;

    // The highest Calls.id whose codes are here, with every lower one's (-1: none).
    int64_t covered = -1;

    // While the codes wait for an index to take them (a load's fed rows, beside the load's own
    // memory): park() moves the codes added since the last call to `spill`, keeping the runs;
    // unpark() brings every parked code back (codes are read only while none is parked).
    void park(SpillFile& spill);
    void unpark(const SpillFile& spill);

    size_t memory_bytes() const;
    void write(HashingWriter& w) const;
    // Replaces the contents (and the budget stays) with what write() wrote; settled. Codes
    // given up under a smaller budget than this one's come back empty with `covered` -1, to be
    // read again.
    void read(FileReader& r);

  private:
    // Rows [row, row + count) have their codes at slots [slot, slot + count) of the part.
    struct Run {
        uint32_t row, count, slot;
    };
    struct Part {
        uint32_t length = 0;          // columns in every vector's part
        std::vector<Run> runs;        // by row once settled
        std::vector<uint8_t> packed;  // (length + 3) / 4 bytes per slot after the parked ones
        uint32_t parked = 0;          // slots [0, parked) are in a spill (see park())
        bool sorted = true;
        uint32_t stride() const { return (length + 3) / 4; }
        uint32_t slots() const { return parked + static_cast<uint32_t>(packed.size() / stride()); }
    };
    using PartKey = std::pair<uint32_t, uint32_t>;  // (source, first)
    size_t budget_;
    size_t bytes_ = 0;
    bool abandoned_ = false;
    // The budget the codes were given up under (kept in the files: a larger budget at the next
    // open tries again, the same one does not read them all again).
    size_t abandoned_budget_ = 0;
    std::map<PartKey, Part> parts_;
    std::set<uint32_t> ambiguous_;
    // Each park() call's parts and bytes moved, in the order written to the spill.
    std::vector<std::vector<std::pair<PartKey, uint64_t>>> parked_chunks_;
};

}  // namespace vcfagent::index
