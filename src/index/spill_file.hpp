#pragma once
// Bytes held on disk instead of in memory while an index waits for the rest of its rows: an
// unnamed temporary file (O_TMPFILE) in the index directory, so nothing is left behind by a
// process that dies, and no other process (or a save's clean-up of stray files) can see or
// remove it. Written with pwrite and read with pread: its pages stay in the page cache,
// outside the process's resident set.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace vcfagent::index {

class SpillFile {
  public:
    // An empty file in `dir` (created when missing); `what` names its contents in errors.
    // Throws StoreError when the file cannot be made.
    SpillFile(const std::filesystem::path& dir, std::string what);
    ~SpillFile();
    SpillFile(const SpillFile&) = delete;
    SpillFile& operator=(const SpillFile&) = delete;

    // Appends n bytes; throws StoreError when the disk refuses them.
    void append(const void* bytes, size_t n);
    // Copies bytes [at, at + n) into out.
    void read(uint64_t at, void* out, size_t n) const;
    // Forgets every byte (the file shrinks to nothing).
    void clear();
    uint64_t size() const { return size_; }

  private:
    // Moves n bytes between `bytes` and the file at `at` with pread or pwrite, retrying short
    // and interrupted transfers; `direction` names it in errors.
    template <class Io>
    void transfer(Io io, char* bytes, uint64_t at, size_t n, const char* direction) const;

    int fd_ = -1;
    uint64_t size_ = 0;
    std::filesystem::path dir_;
    std::string what_;
};

}  // namespace vcfagent::index
