#include "index/vector_spill.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/error.hpp"

namespace vcfagent::index {

namespace {
std::string reason() {
    return std::strerror(errno);
}
}  // namespace

template <class Io>
void VectorSpill::transfer(Io io, float* rows, size_t first, size_t n, const char* what) const {
    const size_t row_bytes = sizeof(float) * static_cast<size_t>(dim_);
    auto* bytes = reinterpret_cast<char*>(rows);
    size_t left = n * row_bytes;
    auto at = static_cast<off_t>(first * row_bytes);
    while (left > 0) {
        const ssize_t done = io(fd_, bytes, left, at);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0)
            throw StoreError(std::string(what) + " the temporary vector file in " + dir_.string() +
                             ": " + (done == 0 ? std::string("nothing moved") : reason()));
        bytes += done;
        left -= static_cast<size_t>(done);
        at += done;
    }
}

VectorSpill::VectorSpill(const std::filesystem::path& dir, int dim) : dim_(dim), dir_(dir) {
    std::filesystem::create_directories(dir);
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        // A file system without O_TMPFILE: a named file, unlinked at once.
        std::string name = (dir / "spill-XXXXXX").string();
        fd_ = ::mkostemp(name.data(), O_CLOEXEC);
        if (fd_ >= 0) ::unlink(name.c_str());
    }
    if (fd_ < 0)
        throw StoreError("cannot make a temporary vector file in " + dir.string() + ": " +
                         reason());
}

VectorSpill::~VectorSpill() {
    if (fd_ >= 0) ::close(fd_);
}

void VectorSpill::append(const float* x, size_t n) {
    // pwrite takes a const buffer; the cast only lets one loop serve both directions.
    transfer(::pwrite, const_cast<float*>(x), rows_, n, "writing");
    rows_ += n;
}

void VectorSpill::read(size_t first, size_t n, float* out) const {
    if (first + n > rows_)
        throw StoreError("reading vectors past the end of the temporary vector file");
    transfer(::pread, out, first, n, "reading");
}

void VectorSpill::clear() {
    if (::ftruncate(fd_, 0) != 0)
        throw StoreError("truncating the temporary vector file in " + dir_.string() + ": " +
                         reason());
    rows_ = 0;
}

}  // namespace vcfagent::index
