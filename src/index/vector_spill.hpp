#pragma once
// Vectors held on disk instead of in memory while an index waits for all of them (a SpillFile
// of rows of `dim` floats).
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "index/spill_file.hpp"

namespace vcfagent::index {

class VectorSpill {
  public:
    // An empty spill of `dim`-float vectors in `dir` (created when missing); throws StoreError
    // when the file cannot be made.
    VectorSpill(const std::filesystem::path& dir, int dim) : file_(dir, "vector"), dim_(dim) {}

    // Appends n vectors (row-major); throws StoreError when the disk refuses them.
    void append(const float* x, size_t n) {
        file_.append(x, n * row_bytes());
        rows_ += n;
    }
    // Copies rows [first, first + n) into out.
    void read(size_t first, size_t n, float* out) const {
        file_.read(first * row_bytes(), out, n * row_bytes());
    }
    // Forgets every vector (the file shrinks to nothing).
    void clear() {
        file_.clear();
        rows_ = 0;
    }

    size_t rows() const { return rows_; }
    int dim() const { return dim_; }

  private:
    size_t row_bytes() const { return sizeof(float) * static_cast<size_t>(dim_); }

    SpillFile file_;
    int dim_ = 0;
    size_t rows_ = 0;
};

}  // namespace vcfagent::index
