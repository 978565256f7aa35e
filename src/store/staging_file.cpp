#include "store/staging_file.hpp"

#include <charconv>
#include <limits>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/error.hpp"

namespace vcfagent::store {

StagingFile::StagingFile(std::filesystem::path path) : path_(std::move(path)) {
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) throw StoreError("cannot write staging file " + path_.string());
}

StagingFile::~StagingFile() {
    if (out_.is_open()) out_.close();
    std::error_code ec;
    if (!keep_) std::filesystem::remove(path_, ec);
}

void StagingFile::row(std::initializer_list<std::string_view> fields) {
    line_.clear();
    bool first = true;
    for (std::string_view f : fields) {
        if (!first) line_ += '\t';
        first = false;
        const bool plain = std::none_of(f.begin(), f.end(), [](char c) {
            return c == '\t' || c == '\n' || c == '\r' || c == '"';
        });
        if (plain) {  // the usual case: copied as it is
            line_ += f;
            continue;
        }
        const bool quote = f.find('"') != std::string_view::npos;
        if (quote) line_ += '"';
        for (char c : f) {
            if (c == '\t' || c == '\n' || c == '\r') c = ' ';
            if (c == '"') line_ += '"';
            line_ += c;
        }
        if (quote) line_ += '"';
    }
    line_ += '\n';
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    ++rows_;
}

void StagingFile::close() {
    out_.close();
    if (out_.fail())
        throw StoreError("cannot write staging file " + path_.string() + " (disk full?)");
}

std::string StagingFile::copy_source() const {
    std::string p = path_.string();
    std::string escaped;
    for (char c : p) {
        if (c == '\'' || c == '\\') escaped += '\\';
        escaped += c;
    }
    return "'" + escaped +
           "' (HEADER=false, DELIM='\t', QUOTE='\"', ESCAPE='\"', AUTO_DETECT=false)";
}

std::string StagingFile::number(float value) {
    if (std::isnan(value)) return "";
    // The shortest text that reads back as the same float: QUAL 101944.44 stays 101944.44
    // (a fixed %g precision kept 6 digits and stored 101944).
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc() ? std::string(buf, end) : std::string();
}

double StagingFile::as_stored(float value) {
    const std::string text = number(value);
    if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
    double out = 0;
    // Correctly rounded, as Kuzu's CSV reader parses a DOUBLE.
    std::from_chars(text.data(), text.data() + text.size(), out);
    return out;
}

std::string StagingFile::int_list(std::span<const int32_t> values) {
    if (values.empty()) return {};
    std::string out;
    out.reserve(values.size() * 4 + 2);
    char buf[16];
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        const auto r = std::to_chars(buf, buf + sizeof buf, values[i]);
        out.append(buf, r.ptr);
    }
    return out;
}

}  // namespace vcfagent::store
