#pragma once
// Rows of the vector store persist in immutable segments: `seg.<begin>-<end>.cols` (keys and
// filter attributes) and `seg.<begin>-<end>.f32` (the exact vectors) for rows [begin, end).
// A version lists segments that tile [0, rows). Rows never change once written (deletions
// live in deleted.bin), so a commit writes only the rows added since the previous version
// and hard-links the earlier segments: commit cost follows the batch, not the store.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "store/manifest.hpp"
#include "store/vector_attributes.hpp"
#include "store/vector_keys.hpp"

namespace vcfagent::store {

struct RowSegment {
    uint64_t begin = 0, end = 0;
    ManifestFile cols, vectors;
};

// The segments a version lists, in row order. Throws StoreError naming the version directory
// unless they tile [0, v.rows) exactly.
std::vector<RowSegment> segments_of(const ManifestVersion& v, const std::filesystem::path& vdir);

// Writes rows [begin, end) into vdir. `vector_of(row)` gives the row's `dim` floats; rows are
// contiguous in memory from a row up to `run_end(row)` (exclusive).
RowSegment write_segment(const std::filesystem::path& vdir, uint64_t begin, uint64_t end,
                         const KeyTable& keys, const AttributeColumns& attrs, int dim,
                         const std::function<const float*(int64_t)>& vector_of,
                         const std::function<int64_t(int64_t)>& run_end);

// Verifies and appends a segment's keys and attributes.
void read_segment_columns(const std::filesystem::path& vdir, const RowSegment& s, KeyTable& keys,
                          AttributeColumns& attrs);

// Verifies a segment's vectors and hands them to `sink` in chunks: (first row, rows, data).
void read_segment_vectors(const std::filesystem::path& vdir, const RowSegment& s, int dim,
                          const std::function<void(uint64_t, int64_t, const float*)>& sink);

}  // namespace vcfagent::store
