#pragma once
// Strings of every row of a column, concatenated, with the end of each row's string: no heap
// object per row. `Offset` bounds the column's bytes (uint32_t: 4 GB). For the variant index's
// keys and its text site columns.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "index/index_io.hpp"

namespace vcfagent::index {

template <typename Offset>
struct TextColumn {
    std::string bytes;
    std::vector<Offset> ends;  // end of row r's string in bytes

    size_t size() const { return ends.size(); }
    void append(std::string_view s) {
        if (s.size() > std::numeric_limits<Offset>::max() - bytes.size())
            throw std::length_error("a text column of the variant index is full (" +
                                    std::to_string(bytes.size()) + " bytes)");
        bytes += s;
        ends.push_back(static_cast<Offset>(bytes.size()));
    }
    std::string_view at(size_t r) const {
        const Offset begin = r == 0 ? 0 : ends[r - 1];
        return std::string_view(bytes).substr(begin, ends[r] - begin);
    }
    // Room for `rows` rows in all, their strings sized like the rows so far (or `guess` bytes
    // each while there are none).
    void reserve(size_t rows, size_t guess) {
        if (rows <= ends.size()) return;
        bytes.reserve(ends.empty() ? rows * guess : bytes.size() * rows / ends.size() + 64);
        ends.reserve(rows);
    }
    size_t memory_bytes() const { return bytes.capacity() + ends.capacity() * sizeof(Offset); }

    void write(HashingWriter& w) const {
        write_string(w, bytes);
        write_array(w, ends.data(), ends.size());
    }
    // Replaces the contents with what write() wrote for `rows` rows; StoreError unless the
    // offsets rise to exactly the bytes read.
    void read(FileReader& r, uint64_t rows) {
        bytes = read_string(r);
        ends.clear();
        read_array_append(r, ends, rows);
        Offset last = 0;
        for (const Offset e : ends) {
            if (e < last || e > bytes.size())
                throw StoreError(r.path().string() + ": a text column's offsets are out of order");
            last = e;
        }
        if (last != bytes.size())
            throw StoreError(r.path().string() + ": a text column's offsets miss its last bytes");
    }
};

}  // namespace vcfagent::index
