#pragma once
// A tab-separated staging file for Kuzu's bulk COPY FROM. Values never contain tabs or
// newlines (VCF forbids them in the fields we stage; they are replaced by spaces if present),
// and a value with a double quote is quoted with the quote doubled, matching copy_source().
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vcfagent::store {

class StagingFile {
  public:
    explicit StagingFile(std::filesystem::path path);
    ~StagingFile();
    StagingFile(const StagingFile&) = delete;
    StagingFile& operator=(const StagingFile&) = delete;

    void row(std::initializer_list<std::string_view> fields);
    void close();
    // Leaves the file on disk when this object goes (Kuzu may still need to read it).
    void keep() { keep_ = true; }
    size_t rows() const { return rows_; }
    // The `'path' (options)` part of a COPY FROM statement that parses this file.
    std::string copy_source() const;

    // Number text for a float column (QUAL, INFO/AF: single precision in htslib); empty (NULL)
    // for NaN.
    static std::string number(float value);
    // The DOUBLE a column holds once number(value) is copied in (NaN for NULL): what a copy of
    // the rows made without reading them back must use.
    static double as_stored(float value);
    // Comma-separated integers ("12,-1,30"); empty (NULL) for an empty list.
    static std::string int_list(std::span<const int32_t> values);

  private:
    std::filesystem::path path_;
    std::ofstream out_;
    std::string line_;
    size_t rows_ = 0;
    bool keep_ = false;
};

}  // namespace vcfagent::store
