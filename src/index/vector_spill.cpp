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
    const size_t row_bytes = sizeof(float) * static_cast<size_t>(dim_);
    const auto* bytes = reinterpret_cast<const char*>(x);
    size_t left = n * row_bytes;
    auto at = static_cast<off_t>(rows_ * row_bytes);
    while (left > 0) {
        const ssize_t w = ::pwrite(fd_, bytes, left, at);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0)
            throw StoreError("writing the temporary vector file in " + dir_.string() + ": " +
                             reason());
        bytes += w;
        left -= static_cast<size_t>(w);
        at += w;
    }
    rows_ += n;
}

void VectorSpill::read(size_t first, size_t n, float* out) const {
    const size_t row_bytes = sizeof(float) * static_cast<size_t>(dim_);
    if (first + n > rows_)
        throw StoreError("reading vectors past the end of the temporary vector file");
    auto* bytes = reinterpret_cast<char*>(out);
    size_t left = n * row_bytes;
    auto at = static_cast<off_t>(first * row_bytes);
    while (left > 0) {
        const ssize_t r = ::pread(fd_, bytes, left, at);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0)
            throw StoreError("reading the temporary vector file in " + dir_.string() + ": " +
                             (r == 0 ? std::string("short file") : reason()));
        bytes += r;
        left -= static_cast<size_t>(r);
        at += r;
    }
}

void VectorSpill::clear() {
    if (::ftruncate(fd_, 0) != 0)
        throw StoreError("truncating the temporary vector file in " + dir_.string() + ": " +
                         reason());
    rows_ = 0;
}

}  // namespace vcfagent::index
