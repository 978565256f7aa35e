#pragma once
// Vectors held on disk instead of in memory while an index waits for all of them: an unnamed
// temporary file (O_TMPFILE) in the index directory, so nothing is left behind by a process
// that dies, and no other process (or a save's clean-up of stray files) can see or remove it.
// Written with pwrite and read with pread: its pages stay in the page cache, outside the
// process's resident set.
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace vcfagent::index {

class VectorSpill {
  public:
    // An empty spill of `dim`-float vectors in `dir` (created when missing); throws StoreError
    // when the file cannot be made.
    VectorSpill(const std::filesystem::path& dir, int dim);
    ~VectorSpill();
    VectorSpill(const VectorSpill&) = delete;
    VectorSpill& operator=(const VectorSpill&) = delete;

    // Appends n vectors (row-major); throws StoreError when the disk refuses them.
    void append(const float* x, size_t n);
    // Copies rows [first, first + n) into out.
    void read(size_t first, size_t n, float* out) const;
    // Forgets every vector (the file shrinks to nothing).
    void clear();

    size_t rows() const { return rows_; }
    int dim() const { return dim_; }

  private:
    // Moves rows [first, first + n) between `rows` and the file with pread or pwrite, retrying
    // short and interrupted transfers; `what` names the direction in errors.
    template <class Io>
    void transfer(Io io, float* rows, size_t first, size_t n, const char* what) const;

    int fd_ = -1;
    int dim_ = 0;
    size_t rows_ = 0;
    std::filesystem::path dir_;
};

}  // namespace vcfagent::index
