#include "vcf/reader.hpp"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/kseq.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.hpp"

namespace vcfagent::vcf {

namespace {

// Human-readable reasons for htslib's record error bits.
std::string describe_errcode(int code) {
    std::string s;
    auto add = [&](const char* t) {
        if (!s.empty()) s += "; ";
        s += t;
    };
    if (code & BCF_ERR_CTG_UNDEF) add("contig not defined in the header");
    if (code & BCF_ERR_TAG_UNDEF) add("INFO/FORMAT tag not defined in the header");
    if (code & BCF_ERR_NCOLS) add("wrong number of columns (a VCF record needs at least 8)");
    if (code & BCF_ERR_LIMITS) add("value out of range (e.g. POS or allele length)");
    if (code & BCF_ERR_CHAR) add("invalid character");
    if (code & BCF_ERR_CTG_INVALID) add("invalid contig name");
    if (code & BCF_ERR_TAG_INVALID) add("invalid INFO/FORMAT tag or value");
    if (s.empty()) s = "malformed record";
    return s;
}

}  // namespace

VcfReader::VcfReader(std::string path, ReaderOptions opts) : path_(std::move(path)), opts_(std::move(opts)) {
    try {
        open();
    } catch (...) {
        close();
        throw;
    }
}

VcfReader::~VcfReader() { close(); }

bool VcfReader::stream_failed() const {
    if (!fp_) return false;
    const auto c = fp_->format.compression;
    return (c == gzip || c == bgzf) && fp_->fp.bgzf && fp_->fp.bgzf->errcode != 0;
}

void VcfReader::close() {
    if (itr_) hts_itr_destroy(itr_), itr_ = nullptr;
    if (tbx_) tbx_destroy(tbx_), tbx_ = nullptr;
    if (idx_) hts_idx_destroy(idx_), idx_ = nullptr;
    if (rec_) bcf_destroy(rec_), rec_ = nullptr;
    if (hdr_) bcf_hdr_destroy(hdr_), hdr_ = nullptr;
    if (fp_) hts_close(fp_), fp_ = nullptr;
    free(line_buf_.s);
    line_buf_ = {0, 0, nullptr};
}

void VcfReader::fail(const std::string& reason) const {
    throw InputError(path_, line_, reason, kExitInvalid);
}

void VcfReader::open() {
    if (path_ != "-") {
        struct stat st {};
        if (stat(path_.c_str(), &st) != 0)
            throw InputError(path_, 0, std::string("cannot open: ") + std::strerror(errno));
        if (S_ISDIR(st.st_mode)) throw InputError(path_, 0, "is a directory, not a VCF/BCF file");
        if (st.st_size == 0) throw InputError(path_, 0, "empty file (no VCF header)");
        file_size_ = st.st_size;
    }
    errno = 0;
    fp_ = hts_open(path_.c_str(), "r");
    if (!fp_) {
        if (errno == ENOEXEC) throw InputError(path_, 0, "not a VCF or BCF file (unrecognised binary data)");
        throw InputError(path_, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    const htsFormat* fmt = hts_get_format(fp_);
    if (fmt->format != ::vcf && fmt->format != ::bcf) {
        char* desc = hts_format_description(fmt);
        std::string d = desc ? desc : "unknown";
        free(desc);
        throw InputError(path_, 0, "not a VCF or BCF file (detected: " + d + ")");
    }
    is_bcf_ = fmt->format == ::bcf;
    if (opts_.threads > 0) hts_set_threads(fp_, opts_.threads);

    if (is_bcf_) {
        hdr_ = bcf_hdr_read(fp_);
        if (!hdr_) throw InputError(path_, 0, "cannot read the BCF header (truncated or corrupt)");
    } else {
        read_text_header();
    }
    apply_sample_subset();
    rec_ = bcf_init();
    if (!opts_.regions.empty()) prepare_regions();
}

// Reads the '#' lines ourselves (instead of bcf_hdr_read) so that record line numbers are
// exact; htslib still parses the header text.
void VcfReader::read_text_header() {
    kstring_t text = {0, 0, nullptr};
    int ret;
    while ((ret = hts_getline(fp_, KS_SEP_LINE, &line_buf_)) >= 0) {
        if (stream_failed()) {
            ret = -2;
            break;
        }
        ++line_;
        if (line_buf_.l == 0 || line_buf_.s[0] != '#') {
            pending_line_ = true;
            break;
        }
        kputsn(line_buf_.s, line_buf_.l, &text);
        kputc('\n', &text);
        ++header_lines_;
        if (std::strncmp(line_buf_.s, "#CHROM", 6) == 0) break;
    }
    if (ret < -1) {
        free(text.s);
        throw InputError(path_, line_, "truncated or corrupt compressed data in the header", kExitUnreadable);
    }
    if (header_lines_ == 0) {
        free(text.s);
        line_ = 1;
        fail("no VCF header: the first line must start with '##fileformat=VCFv4.x'");
    }
    if (text.l < 6 || std::strncmp(text.s, "##fileformat=", 13) != 0) {
        free(text.s);
        line_ = 1;
        fail("missing ##fileformat line at the start of the header");
    }
    hdr_ = bcf_hdr_init("r");
    const int parsed = bcf_hdr_parse(hdr_, text.s);
    const bool has_chrom_line = std::strstr(text.s, "\n#CHROM") != nullptr;
    free(text.s);
    if (!has_chrom_line) fail("header has no #CHROM line");
    if (parsed < 0) fail("malformed VCF header");
    if (pending_line_) --line_;  // line_ counts the record line when it is consumed in next()
}

void VcfReader::apply_sample_subset() {
    if (opts_.drop_genotypes) {
        if (bcf_hdr_set_samples(hdr_, nullptr, 0) < 0) throw InputError(path_, 0, "cannot drop samples");
        return;
    }
    if (opts_.samples.empty()) return;
    std::string list;
    for (const auto& s : opts_.samples) {
        if (bcf_hdr_id2int(hdr_, BCF_DT_SAMPLE, s.c_str()) < 0)
            throw InputError(path_, 0, "sample '" + s + "' is not in the file", kExitUsage);
        if (!list.empty()) list += ',';
        list += s;
    }
    if (bcf_hdr_set_samples(hdr_, list.c_str(), 0) != 0)
        throw InputError(path_, 0, "cannot select samples " + list, kExitUsage);
}

void VcfReader::prepare_regions() {
    if (path_ == "-") throw InputError(path_, 0, "regions need an indexed file, not stdin", kExitUsage);
    if (is_bcf_) {
        idx_ = bcf_index_load3(path_.c_str(), nullptr, HTS_IDX_SILENT_FAIL);
    } else {
        if (hts_get_format(fp_)->compression != bgzf)
            throw InputError(path_, 0, "regions need a bgzip-compressed, indexed VCF", kExitUsage);
        tbx_ = tbx_index_load3(path_.c_str(), nullptr, HTS_IDX_SILENT_FAIL);
    }
    if (!idx_ && !tbx_)
        throw InputError(path_, 0, "no index (.tbi/.csi) found; create one with `tabix -p vcf` or `bcftools index`",
                         kExitUsage);
    // Sort by contig order in the header, then merge overlapping regions so a record is
    // produced once even when the user's regions overlap.
    regions_ = opts_.regions;
    auto rank = [&](const std::string& c) {
        int id = bcf_hdr_name2id(hdr_, c.c_str());
        return id < 0 ? INT32_MAX : id;
    };
    std::stable_sort(regions_.begin(), regions_.end(), [&](const Region& a, const Region& b) {
        int ra = rank(a.chrom), rb = rank(b.chrom);
        if (ra != rb) return ra < rb;
        if (a.chrom != b.chrom) return a.chrom < b.chrom;
        return a.beg < b.beg;
    });
    std::vector<Region> merged;
    for (const auto& r : regions_) {
        if (!merged.empty() && merged.back().chrom == r.chrom && r.beg <= merged.back().end + 1)
            merged.back().end = std::max(merged.back().end, r.end);
        else
            merged.push_back(r);
    }
    regions_ = std::move(merged);
    line_ = 0;
}

int64_t VcfReader::bytes_read() const {
    if (!fp_ || path_ == "-") return -1;
    if (fp_->format.compression == no_compression) return fp_->fp.hfile ? htell(fp_->fp.hfile) : -1;
    return fp_->fp.bgzf && fp_->fp.bgzf->fp ? htell(fp_->fp.bgzf->fp) : -1;
}

std::vector<std::string> VcfReader::samples() const {
    std::vector<std::string> out;
    for (int i = 0; i < bcf_hdr_nsamples(hdr_); ++i) out.emplace_back(hdr_->samples[i]);
    return out;
}

std::string VcfReader::where() const {
    if (!is_bcf_ && regions_.empty()) return "line " + std::to_string(line_);
    std::string s = "record " + std::to_string(records_);
    if (rec_ && hdr_ && rec_->rid >= 0 && rec_->rid < hdr_->n[BCF_DT_CTG])
        s += " (" + std::string(bcf_hdr_id2name(hdr_, rec_->rid)) + ":" + std::to_string(rec_->pos + 1) + ")";
    return s;
}

void VcfReader::check_record(int parse_status) {
    // Undefined contigs/tags are repaired by htslib (it adds a header line and warns), as
    // bcftools does; everything else means the record cannot be trusted.
    const int fatal = rec_->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF);
    if (parse_status < 0 || fatal) fail(describe_errcode(fatal));
    if (bcf_unpack(rec_, BCF_UN_ALL) < 0) fail("cannot decode record");
    if (rec_->n_allele < 1) fail("record has no REF allele");
}

bool VcfReader::read_next_in_file_order() {
    if (is_bcf_) {
        const int ret = bcf_read(fp_, hdr_, rec_);
        if (ret == -1) return false;
        ++line_;
        if (ret < -1) throw InputError(path_, line_, "truncated or corrupt BCF data", kExitUnreadable);
        check_record(0);
        return true;
    }
    for (;;) {
        if (pending_line_) {
            pending_line_ = false;
        } else {
            const int ret = hts_getline(fp_, KS_SEP_LINE, &line_buf_);
            if (ret < -1 || stream_failed())
                throw InputError(path_, line_, "truncated or corrupt compressed data after this line",
                                 kExitUnreadable);
            if (ret == -1) return false;
        }
        ++line_;
        if (line_buf_.l == 0) continue;  // tolerate blank lines, as htslib does
        try {
            if (line_buf_.s[0] == '#') fail("header line after the first record");
            // htslib fills missing trailing columns with '.', so check the count here.
            int columns = 1;
            for (size_t i = 0; i < line_buf_.l; ++i) columns += line_buf_.s[i] == '\t';
            if (columns < 8)
                fail("only " + std::to_string(columns) +
                     " tab-separated column(s); a VCF record needs at least 8 (CHROM POS ID REF ALT QUAL FILTER INFO)");
            const int status = vcf_parse(&line_buf_, hdr_, rec_);
            check_record(status);
        } catch (const InputError& e) {
            if (!opts_.skip_invalid) throw;
            if (skipped_++ == 0) first_skipped_error_ = e.what();
            continue;
        }
        return true;
    }
}

bool VcfReader::read_region() {
    while (region_i_ < regions_.size()) {
        const Region& r = regions_[region_i_];
        if (!itr_) {
            const std::string q = r.to_string();
            itr_ = is_bcf_ ? bcf_itr_querys(idx_, hdr_, q.c_str()) : tbx_itr_querys(tbx_, q.c_str());
            if (!itr_) {  // contig absent from the index: nothing there
                ++region_i_;
                continue;
            }
        }
        int ret;
        if (is_bcf_) {
            ret = bcf_itr_next(fp_, itr_, rec_);
        } else {
            ret = tbx_itr_next(fp_, tbx_, itr_, &line_buf_);
            if (ret >= 0) ret = vcf_parse(&line_buf_, hdr_, rec_) < 0 ? -3 : 0;
        }
        if (ret == -1) {
            hts_itr_destroy(itr_);
            itr_ = nullptr;
            ++region_i_;
            continue;
        }
        ++line_;
        if (ret < -1 && ret != -3) fail("truncated or corrupt data while reading region " + r.to_string());
        check_record(ret == -3 ? -1 : 0);
        // A record overlapping the previous (merged, disjoint) region on the same contig was
        // already produced there.
        if (region_i_ > 0) {
            const Region& prev = regions_[region_i_ - 1];
            if (prev.chrom == r.chrom && rec_->pos + 1 < r.beg && rec_->pos + 1 <= prev.end &&
                rec_->pos + rec_->rlen >= prev.beg) {
                --line_;
                continue;
            }
        }
        return true;
    }
    return false;
}

bcf1_t* VcfReader::next() {
    const bool got = regions_.empty() && opts_.regions.empty() ? read_next_in_file_order() : read_region();
    if (!got) {
        if (records_ == 0 && !opts_.allow_empty && opts_.regions.empty())
            throw InputError(path_, 0, "no variant records (the file has a header only)", kExitInvalid);
        return nullptr;
    }
    ++records_;
    return rec_;
}

}  // namespace vcfagent::vcf
