#pragma once
// Streaming VCF/BCF reader over htslib: plain VCF, bgzip/gzip VCF, BCF and stdin ("-").
// Holds one record at a time; memory is independent of file size. Region access goes through
// the .tbi/.csi index. Every error is an InputError naming the file and the line (text VCF)
// or record ordinal (BCF).
#include <htslib/hts.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>

#include <cstdint>
#include <string>
#include <vector>

#include "vcf/region_list.hpp"

namespace vcfagent::vcf {

struct ReaderOptions {
    std::vector<Region> regions;       // empty: stream the whole file
    std::vector<std::string> samples;  // subset to read (in this order); empty: all
    bool drop_genotypes = false;       // parse no sample columns at all (fast sites-only path)
    bool allow_empty = false;          // a header-only file is not an error
    int threads = 0;                   // extra bgzf decompression threads
    bool skip_invalid = false;         // skip malformed records (counted) instead of failing
};

class VcfReader {
public:
    explicit VcfReader(std::string path, ReaderOptions opts = {});
    ~VcfReader();
    VcfReader(const VcfReader&) = delete;
    VcfReader& operator=(const VcfReader&) = delete;

    bcf_hdr_t* header() const { return hdr_; }
    // The next record, unpacked (BCF_UN_ALL), or nullptr at the end. The pointer stays valid
    // until the next call. Throws InputError on malformed or truncated input.
    bcf1_t* next();

    // Line number of the last record (text VCF, whole-file mode), else its record ordinal.
    int64_t line() const { return line_; }
    int64_t records_read() const { return records_; }
    // Malformed records skipped under ReaderOptions::skip_invalid, and the first such error.
    int64_t records_skipped() const { return skipped_; }
    const std::string& first_skipped_error() const { return first_skipped_error_; }
    // Header lines (text VCF) before the first record; 0 for BCF.
    int64_t header_lines() const { return header_lines_; }
    const std::string& path() const { return path_; }
    bool is_bcf() const { return is_bcf_; }
    std::vector<std::string> samples() const;
    // Compressed bytes consumed so far and the file size (for progress/ETA); -1 if unknown.
    int64_t bytes_read() const;
    int64_t file_size() const { return file_size_; }
    // "line 12" / "record 12 (chr1:1234)": where the last record came from, for messages.
    std::string where() const;

private:
    void open();
    void close();
    // The compressed stream hit corrupt or truncated data (htslib then reports a clean EOF).
    bool stream_failed() const;
    void read_text_header();
    void apply_sample_subset();
    void prepare_regions();
    bool read_next_in_file_order();
    bool read_region();
    void check_record(int parse_status);
    [[noreturn]] void fail(const std::string& reason) const;

    std::string path_;
    ReaderOptions opts_;
    htsFile* fp_ = nullptr;
    bcf_hdr_t* hdr_ = nullptr;
    bcf1_t* rec_ = nullptr;
    tbx_t* tbx_ = nullptr;
    hts_idx_t* idx_ = nullptr;
    hts_itr_t* itr_ = nullptr;
    kstring_t line_buf_ = {0, 0, nullptr};
    bool is_bcf_ = false;
    bool pending_line_ = false;  // first record line already read while scanning the header
    int64_t line_ = 0;
    int64_t records_ = 0;
    int64_t header_lines_ = 0;
    int64_t file_size_ = -1;
    int64_t skipped_ = 0;
    std::string first_skipped_error_;
    // Region mode: merged regions in index order and the one being read.
    std::vector<Region> regions_;
    size_t region_i_ = 0;
};

}  // namespace vcfagent::vcf
