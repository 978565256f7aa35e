#include "index/spill_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.hpp"

namespace vcfagent::index {

namespace {
std::string reason() {
    return std::strerror(errno);
}
}  // namespace

template <class Io>
void SpillFile::transfer(Io io, char* bytes, uint64_t at, size_t n, const char* direction) const {
    auto offset = static_cast<off_t>(at);
    while (n > 0) {
        const ssize_t done = io(fd_, bytes, n, offset);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0)
            throw StoreError(std::string(direction) + " the temporary " + what_ + " file in " +
                             dir_.string() + ": " +
                             (done == 0 ? std::string("nothing moved") : reason()));
        bytes += done;
        n -= static_cast<size_t>(done);
        offset += done;
    }
}

SpillFile::SpillFile(const std::filesystem::path& dir, std::string what)
    : dir_(dir), what_(std::move(what)) {
    std::filesystem::create_directories(dir);
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        // A file system without O_TMPFILE: a named file, unlinked at once.
        std::string name = (dir / "spill-XXXXXX").string();
        fd_ = ::mkostemp(name.data(), O_CLOEXEC);
        if (fd_ >= 0) ::unlink(name.c_str());
    }
    if (fd_ < 0)
        throw StoreError("cannot make a temporary " + what_ + " file in " + dir.string() + ": " +
                         reason());
}

SpillFile::~SpillFile() {
    if (fd_ >= 0) ::close(fd_);
}

void SpillFile::append(const void* bytes, size_t n) {
    // pwrite takes a const buffer; the cast only lets one loop serve both directions.
    transfer(::pwrite, const_cast<char*>(static_cast<const char*>(bytes)), size_, n, "writing");
    size_ += n;
}

void SpillFile::read(uint64_t at, void* out, size_t n) const {
    if (at + n > size_)
        throw StoreError("reading past the end of the temporary " + what_ + " file");
    transfer(::pread, static_cast<char*>(out), at, n, "reading");
}

void SpillFile::clear() {
    if (::ftruncate(fd_, 0) != 0)
        throw StoreError("truncating the temporary " + what_ + " file in " + dir_.string() + ": " +
                         reason());
    size_ = 0;
}

}  // namespace vcfagent::index
