#include "vcf/validate.hpp"

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/vcf.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace vcfagent::vcf {

std::string_view severity_name(Severity s) {
    switch (s) {
        case Severity::kError:
            return "error";
        case Severity::kWarning:
            return "warning";
        case Severity::kInfo:
            return "info";
    }
    return "error";
}

namespace {

constexpr const char* kFixedColumns[8] = {"#CHROM", "POS",  "ID",     "REF",
                                          "ALT",    "QUAL", "FILTER", "INFO"};
constexpr const char* kColumnNames[9] = {"CHROM", "POS",    "ID",   "REF",   "ALT",
                                         "QUAL",  "FILTER", "INFO", "FORMAT"};
// htslib repairs undefined contigs and tags by adding a header line; every other error bit
// means the record could not be parsed as written.
constexpr int kFatalBits = ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF);
constexpr int64_t kMaxPos = INT32_MAX;  // BCF stores POS as a signed 32-bit integer
constexpr size_t kMaxQuoted = 40;       // longest allele/value quoted verbatim in a message

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    for (;;) {
        const size_t p = s.find(sep, start);
        if (p == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, p - start));
        start = p + 1;
    }
}

std::vector<std::string_view> split_whitespace(std::string_view s) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        const size_t start = i;
        while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
        if (i > start) out.push_back(s.substr(start, i - start));
    }
    return out;
}

std::string quote(std::string_view s) {
    if (s.size() <= kMaxQuoted) return "'" + std::string(s) + "'";
    return "'" + std::string(s.substr(0, kMaxQuoted)) + "...' (" + std::to_string(s.size()) +
           " characters)";
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_base(char c) {
    switch (c) {
        case 'A':
        case 'C':
        case 'G':
        case 'T':
        case 'N':
        case 'a':
        case 'c':
        case 'g':
        case 't':
        case 'n':
            return true;
        default:
            return false;
    }
}

bool is_bases(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_base);
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

// VCF 4.3 section 1.6.1: INFO/FORMAT keys match ^([A-Za-z_][0-9A-Za-z_.]*|1000G)$.
bool valid_tag_name(std::string_view s) {
    if (s == "1000G") return true;
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    });
}

// VCF 4.3 section 1.4.7: contig names exclude whitespace, commas, quotes, brackets, '<' and
// '>', and must not start with '*' or '='.
bool valid_contig_name(std::string_view s) {
    if (s.empty() || s[0] == '*' || s[0] == '=') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > ' ' && u < 127 && !std::strchr("\\,\"'`()[]{}<>", c);
    });
}

// Alleles are integers or '.', separated by '/' (unphased) or '|' (phased); VCF 4.4 allows a
// leading phase marker.
bool valid_genotype(std::string_view g) {
    size_t i = 0;
    if (!g.empty() && (g[0] == '/' || g[0] == '|')) ++i;
    for (;;) {
        if (i >= g.size()) return false;
        if (g[i] == '.') {
            ++i;
        } else if (g[i] >= '0' && g[i] <= '9') {
            while (i < g.size() && g[i] >= '0' && g[i] <= '9') ++i;
        } else {
            return false;
        }
        if (i == g.size()) return true;
        if (g[i] != '/' && g[i] != '|') return false;
        ++i;
    }
}

bool is_breakend_base_part(std::string_view s) {
    return s == "." || is_bases(s);
}

// t[p[, t]p], ]p]t, [p[t (p = chrom:pos or <contig>:pos), and single breakends .t / t.
bool is_breakend(std::string_view a) {
    if (a.size() >= 2 && a.front() == '.' && is_bases(a.substr(1))) return true;
    if (a.size() >= 2 && a.back() == '.' && is_bases(a.substr(0, a.size() - 1))) return true;
    const size_t i = a.find_first_of("[]");
    if (i == std::string_view::npos) return false;
    const size_t j = a.find(a[i], i + 1);
    if (j == std::string_view::npos) return false;
    if (a.find_first_of("[]", j + 1) != std::string_view::npos) return false;
    const std::string_view mate = a.substr(i + 1, j - i - 1);
    const size_t colon = mate.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || !all_digits(mate.substr(colon + 1)))
        return false;
    const std::string_view before = a.substr(0, i), after = a.substr(j + 1);
    return (before.empty() && is_breakend_base_part(after)) ||
           (after.empty() && is_breakend_base_part(before));
}

bool is_symbolic(std::string_view a) {
    return a.size() >= 3 && a.front() == '<' && a.back() == '>' &&
           a.substr(1, a.size() - 2).find_first_of("<>") == std::string_view::npos;
}

std::string describe_errcode(int code) {
    std::string s;
    auto add = [&](const char* t) {
        if (!s.empty()) s += "; ";
        s += t;
    };
    if (code & BCF_ERR_NCOLS) add("wrong number of columns");
    if (code & BCF_ERR_LIMITS) add("a value is out of range");
    if (code & BCF_ERR_CHAR)
        add("invalid character (e.g. a non-number in an Integer or Float field)");
    if (code & BCF_ERR_CTG_INVALID) add("invalid contig");
    if (code & BCF_ERR_TAG_INVALID) add("invalid INFO/FORMAT tag or value");
    if (s.empty()) s = "malformed data";
    return s;
}

std::string number_text(int vl, uint64_t num) {
    switch (vl) {
        case BCF_VL_A:
            return "A";
        case BCF_VL_R:
            return "R";
        case BCF_VL_G:
            return "G";
        case BCF_VL_VAR:
            return ".";
        default:
            return std::to_string(num);
    }
}

bool info_single_value_missing(const bcf_info_t& info) {
    switch (info.type) {
        case BCF_BT_INT8:
            return info.v1.i == bcf_int8_missing;
        case BCF_BT_INT16:
            return info.v1.i == bcf_int16_missing;
        case BCF_BT_INT32:
            return info.v1.i == bcf_int32_missing;
        case BCF_BT_FLOAT:
            return bcf_float_is_missing(info.v1.f);
        default:
            return false;
    }
}

std::string rule_for_header_key(std::string_view key) {
    if (key == "INFO") return "header.info";
    if (key == "FORMAT") return "header.format";
    if (key == "FILTER") return "header.filter";
    if (key == "contig") return "header.contig";
    return "header.line";
}

class Validator {
  public:
    Validator(std::string path, const ValidateOptions& opts)
        : path_(std::move(path)), name_(path_ == "-" ? "<stdin>" : path_), opts_(opts) {
        report_.file = path_;
    }
    ~Validator() {
        free(gt_);
        free(end_buf_);
        free(line_.s);
        free(sites_.s);
        if (rec_) bcf_destroy(rec_);
        if (hdr_) bcf_hdr_destroy(hdr_);
        if (scratch_hdr_) bcf_hdr_destroy(scratch_hdr_);
        if (fp_) hts_close(fp_);
    }
    Validator(const Validator&) = delete;
    Validator& operator=(const Validator&) = delete;

    ValidationReport run();

  private:
    void add(Severity sev, std::string_view rule, int64_t line, std::string message);
    void error(std::string_view rule, int64_t line, std::string m) {
        add(Severity::kError, rule, line, std::move(m));
    }
    void warning(std::string_view rule, int64_t line, std::string m) {
        add(Severity::kWarning, rule, line, std::move(m));
    }
    void info(std::string_view rule, int64_t line, std::string m) {
        add(Severity::kInfo, rule, line, std::move(m));
    }
    void stop_corrupt(int64_t line, std::string reason);

    void open();
    void run_text();
    void run_bcf();
    bool next_line();
    void header_meta_line(int64_t line);
    void header_fileformat_line(int64_t line);
    void header_chrom_line(int64_t line);
    void check_structured(const bcf_hrec_t* h, int64_t line, std::string_view raw);
    bool build_header(int64_t first_record_line);
    void text_record(int64_t line);
    bool check_sample_columns(const std::vector<std::string_view>& cols, int64_t line);
    bool check_alleles(std::string_view ref, const std::vector<std::string_view>& alts,
                       int64_t line);
    void check_qual_text(std::string_view q, int64_t line);
    void check_chrom_name(std::string_view chrom, int64_t line);
    void report_new_header_records(int nhrec_before, int64_t line);
    void check_site(int64_t line, bool pos_ok);
    void check_samples(int64_t line);
    void finish();
    std::string sample_name(size_t i) const {
        return i < sample_names_.size() ? "'" + sample_names_[i] + "'"
                                        : "in column " + std::to_string(i + 10);
    }
    const char* unit() const { return report_.is_bcf ? "record" : "line"; }

    std::string path_;
    std::string name_;  // for messages: "<stdin>" for "-"
    ValidateOptions opts_;
    ValidationReport report_;
    htsFile* fp_ = nullptr;
    bool compressed_ = false;  // gzip or bgzf: read through fp_->fp.bgzf
    bcf_hdr_t* hdr_ = nullptr;
    bcf_hdr_t* scratch_hdr_ = nullptr;  // only a parsing context for bcf_hdr_parse_line
    bcf1_t* rec_ = nullptr;
    kstring_t line_ = {0, 0, nullptr};
    kstring_t sites_ = {0, 0, nullptr};
    int64_t lineno_ = 0;
    bool stopped_ = false;  // corrupt data: nothing after this can be read
    bool records_checked_ = true;

    // Header state (text VCF).
    int64_t fileformat_line_ = 0;
    std::string fileformat_text_;
    std::string header_text_;  // accepted meta-information lines, in order
    int64_t chrom_line_ = 0;
    std::string chrom_canonical_;
    bool samples_known_ = true;  // false when the #CHROM line is too broken to name samples
    std::vector<std::string> sample_names_;
    std::map<std::pair<std::string, std::string>, int64_t> defined_;  // (INFO, DP) -> line
    int64_t contigs_without_length_ = 0;
    int64_t first_contig_without_length_ = 0;

    // Record state.
    std::string raw_;
    std::unordered_set<std::string> bad_chrom_names_;
    int prev_rid_ = -1;
    int64_t prev_pos_ = -1;
    int64_t prev_line_ = 0;
    std::unordered_map<int, int64_t> contig_last_line_;  // contigs whose block has ended
    int32_t* gt_ = nullptr;
    int n_gt_ = 0;
    int32_t* end_buf_ = nullptr;
    int n_end_buf_ = 0;
};

void Validator::add(Severity sev, std::string_view rule, int64_t line, std::string message) {
    switch (sev) {
        case Severity::kError:
            ++report_.errors;
            break;
        case Severity::kWarning:
            ++report_.warnings;
            break;
        case Severity::kInfo:
            ++report_.infos;
            break;
    }
    if (report_.findings.size() >= opts_.max_findings) {
        ++report_.findings_omitted;
        return;
    }
    report_.findings.push_back({std::string(rule), sev, line, std::move(message)});
}

void Validator::stop_corrupt(int64_t line, std::string reason) {
    stopped_ = true;
    report_.unreadable = true;
    report_.unreadable_line = line;
    report_.unreadable_reason = reason;
    error("file.corrupt", line, std::move(reason));
}

void Validator::open() {
    if (path_ != "-") {
        struct stat st {};
        if (stat(path_.c_str(), &st) != 0)
            throw InputError(name_, 0, std::string("cannot open: ") + std::strerror(errno));
        if (S_ISDIR(st.st_mode)) throw InputError(name_, 0, "is a directory, not a VCF/BCF file");
        if (st.st_size == 0) throw InputError(name_, 0, "empty file (no VCF header)");
    }
    errno = 0;
    fp_ = hts_open(path_.c_str(), "r");
    if (!fp_) {
        // htslib reports data it cannot classify at all as ENOEXEC.
        if (errno == ENOEXEC)
            throw InputError(name_, 0, "not a VCF or BCF file (unrecognised binary data)");
        throw InputError(name_, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    const htsFormat* fmt = hts_get_format(fp_);
    compressed_ = fmt->compression == gzip || fmt->compression == bgzf;
    if (fmt->format == empty_format) {
        throw InputError(name_, 0,
                         compressed_ ? "no data could be decompressed (empty, truncated or "
                                       "corrupt compressed file)"
                                     : "empty input (no VCF header)");
    }
    if (fmt->format == ::bcf) {
        report_.is_bcf = true;
        return;
    }
    // Text that htslib does not recognise as VCF (e.g. no ##fileformat line) is still checked
    // as VCF, so the report can say what is wrong with it.
    const bool text = fmt->format == ::vcf || fmt->format == text_format;
    if (!text || fmt->category == sequence_data || fmt->category == region_list) {
        char* desc = hts_format_description(fmt);
        std::string d = desc ? desc : "unknown";
        free(desc);
        throw InputError(name_, 0, "not a VCF or BCF file (detected: " + d + ")");
    }
}

ValidationReport Validator::run() {
    open();
    rec_ = bcf_init();
    if (report_.is_bcf)
        run_bcf();
    else
        run_text();
    finish();
    // Header findings detected only at the end of the header (e.g. a missing ##fileformat) go
    // to their line; whole-file findings (line 0) come last.
    std::stable_sort(report_.findings.begin(), report_.findings.end(),
                     [](const Finding& a, const Finding& b) {
                         const int64_t la = a.line == 0 ? INT64_MAX : a.line;
                         const int64_t lb = b.line == 0 ? INT64_MAX : b.line;
                         return la < lb;
                     });
    return std::move(report_);
}

bool Validator::next_line() {
    if (stopped_) return false;
    const int ret = hts_getline(fp_, KS_SEP_LINE, &line_);
    // A decompression error can come with a partial last line (ret > 0) and then a plain
    // end of file, so the stream's error state is what tells truncation apart from the end.
    if (ret < -1 || (compressed_ && fp_->fp.bgzf->errcode)) {
        if (lineno_ == 0)
            throw InputError(name_, 0,
                             "cannot read the data (truncated or corrupt compressed file)");
        stop_corrupt(lineno_, "compressed data is truncated or corrupt after line " +
                                  std::to_string(lineno_) +
                                  "; the rest of the file cannot be read");
        return false;
    }
    if (ret == -1) return false;
    ++lineno_;
    return true;
}

void Validator::run_text() {
    scratch_hdr_ = bcf_hdr_init("r");
    bool pending = false;
    int64_t header_lines = 0;
    while (next_line()) {
        const std::string_view l(line_.s, line_.l);
        if (l.empty()) {
            error("header.line.malformed", lineno_, "blank line inside the header");
            continue;
        }
        if (l[0] != '#') {
            pending = true;
            break;
        }
        ++header_lines;
        if (l.starts_with("#CHROM"))
            header_chrom_line(lineno_);
        else if (l.starts_with("##"))
            header_meta_line(lineno_);
        else
            error("header.line.malformed", lineno_,
                  "header lines must start with '##' (or be the #CHROM line): " + quote(l));
    }
    if (header_lines == 0) {
        if (stopped_) return;
        error("header.fileformat.missing", 1,
              "no VCF header: the first line must be ##fileformat=VCFv4.x; records were not "
              "checked");
        error("header.chrom.missing", 1,
              "no #CHROM header line (the line naming the columns and samples)");
        records_checked_ = false;
        return;
    }
    if (!build_header(pending ? lineno_ : lineno_ + 1)) return;
    if (pending) text_record(lineno_);
    while (next_line()) {
        const std::string_view l(line_.s, line_.l);
        if (l.empty()) {
            warning("record.blank_line", lineno_, "blank line (htslib skips it)");
        } else if (l.starts_with("##fileformat")) {
            error("header.fileformat.misplaced", lineno_,
                  "##fileformat line among the records; it must be the first line of the file");
        } else if (l[0] == '#') {
            error("header.line.misplaced", lineno_,
                  "header line after the first record; all header lines must come before it");
        } else {
            text_record(lineno_);
        }
    }
}

void Validator::header_fileformat_line(int64_t line) {
    const std::string_view l(line_.s, line_.l);
    if (fileformat_line_ > 0) {
        error("header.fileformat.misplaced", line,
              "second ##fileformat line (the first is at line " + std::to_string(fileformat_line_) +
                  ")");
        return;
    }
    fileformat_line_ = line;
    fileformat_text_ = std::string(l);
    if (line != 1)
        error("header.fileformat.misplaced", line,
              "##fileformat must be the first line of the file");
    const std::string_view version = l.substr(std::strlen("##fileformat="));
    const size_t dot = version.find('.');
    if (!version.starts_with("VCFv") || dot == std::string_view::npos ||
        !all_digits(version.substr(4, dot - 4)) || !all_digits(version.substr(dot + 1))) {
        error("header.fileformat.invalid", line,
              "file format " + quote(version) + " is not of the form VCFv4.x");
        fileformat_text_.clear();
        return;
    }
    const std::string_view major = version.substr(4, dot - 4), minor = version.substr(dot + 1);
    if (major != "4" || minor.size() != 1 || minor[0] > '5')
        warning("header.fileformat.version", line,
                "VCF version " + std::string(version.substr(4)) +
                    " is not one of 4.0-4.5; the file is checked by the VCFv4 rules");
}

void Validator::header_meta_line(int64_t line) {
    const std::string_view l(line_.s, line_.l);
    if (chrom_line_ > 0) {
        error("header.line.misplaced", line,
              "meta-information line after the #CHROM line (line " + std::to_string(chrom_line_) +
                  "); it must come before it");
        return;
    }
    if (l.starts_with("##fileformat=")) {
        header_fileformat_line(line);
        return;
    }
    int len = 0;
    bcf_hrec_t* h = bcf_hdr_parse_line(scratch_hdr_, line_.s, &len);
    if (!h) {
        error("header.line.malformed", line,
              "cannot parse this meta-information line; expected ##key=value or "
              "##key=<ID=...,...>: " +
                  quote(l));
        return;
    }
    if (!h->value) check_structured(h, line, l);  // ##key=<...>
    bcf_hrec_destroy(h);
    header_text_.append(l);
    header_text_ += '\n';
}

// Checks one structured header line (##KEY=<k=v,...>) as htslib parsed it. `raw` is the text
// line for text VCF and empty for BCF.
void Validator::check_structured(const bcf_hrec_t* h, int64_t line, std::string_view raw) {
    const std::string key = h->key ? h->key : "";
    const std::string rule = rule_for_header_key(key) + ".malformed";
    auto value = [&](const char* k) -> std::optional<std::string_view> {
        const int i = bcf_hrec_find_key(const_cast<bcf_hrec_t*>(h), k);
        if (i < 0) return std::nullopt;
        return std::string_view(h->vals[i] ? h->vals[i] : "");
    };
    const auto id = value("ID");
    const std::string what = "##" + key + (id ? " " + std::string(*id) : "");

    if (!raw.empty()) {
        std::string_view t = raw;
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
        if (t.back() != '>')
            error(rule, line,
                  what + " line does not end with '>' (unterminated, or text after it)");
    }
    for (int i = 0; i < h->nkeys; ++i) {
        const std::string_view v = h->vals[i] ? h->vals[i] : "";
        if (!v.empty() && v[0] == '"' && (v.size() < 2 || v.back() != '"'))
            error(rule, line,
                  what + ": the quoted value of " + h->keys[i] + " has no closing quote");
    }

    const bool typed = key == "INFO" || key == "FORMAT";
    if (!typed && key != "FILTER" && key != "contig") return;
    if (!id || id->empty()) {
        error(rule, line, "##" + key + " line has no ID=; htslib ignores it");
        return;
    }
    const auto [it, inserted] = defined_.try_emplace({key, std::string(*id)}, line);
    if (!inserted && line > 0)
        warning(rule_for_header_key(key) + ".duplicate", line,
                what + " is defined again (first at line " + std::to_string(it->second) +
                    "); the first definition is used");

    auto check_description = [&] {
        const auto d = value("Description");
        if (!d)
            warning(rule, line, what + " has no Description=");
        else if (d->empty() || (*d)[0] != '"')
            warning(rule, line, what + ": Description must be a quoted string");
    };

    if (typed) {
        if (!valid_tag_name(*id))
            warning(rule, line,
                    what + ": " + quote(*id) +
                        " is not a valid tag name (letters, digits, '_' and '.', not starting "
                        "with a digit)");
        const auto number = value("Number"), type = value("Type");
        if (!number) {
            error(rule, line, what + " has no Number=; htslib assumes '.'");
        } else if (!(all_digits(*number) || *number == "A" || *number == "R" || *number == "G" ||
                     *number == ".")) {
            std::string m = what + ": Number=" + std::string(*number) +
                            " is invalid; it must be a non-negative integer, A, R, G or '.'";
            if (*number == "-1") m += " (-1 was the VCFv3.3 spelling of '.')";
            error(rule, line, m);
        }
        static const std::set<std::string_view> kTypes = {"Integer", "Float", "Flag", "Character",
                                                          "String"};
        if (!type) {
            error(rule, line, what + " has no Type=; htslib assumes String");
        } else if (!kTypes.count(*type)) {
            error(rule, line,
                  what + ": Type=" + std::string(*type) +
                      " is invalid; it must be Integer, Float, Flag, Character or String");
        } else if (*type == "Flag" && key == "FORMAT") {
            error(rule, line, what + ": FORMAT fields cannot have Type=Flag");
        } else if (*type == "Flag" && number && *number != "0") {
            error(rule, line, what + ": a Flag must have Number=0, not " + std::string(*number));
        }
        check_description();
    } else if (key == "FILTER") {
        if (id->find_first_of("; \t") != std::string_view::npos)
            error(rule, line, what + ": a filter ID cannot contain ';' or whitespace");
        check_description();
    } else {  // contig
        if (!valid_contig_name(*id))
            warning(rule, line,
                    what + ": " + quote(*id) +
                        " is not a valid contig name (no whitespace, commas, quotes, brackets "
                        "or '<>'; not starting with '*' or '=')");
        const auto length = value("length");
        if (!length) {
            if (contigs_without_length_++ == 0) first_contig_without_length_ = line;
        } else if (!all_digits(*length) ||
                   length->find_first_not_of('0') == std::string_view::npos) {
            error(rule, line,
                  what + ": length=" + std::string(*length) +
                      " is not a positive integer; htslib ignores this contig line");
        }
    }
}

void Validator::header_chrom_line(int64_t line) {
    const std::string_view l(line_.s, line_.l);
    if (chrom_line_ > 0) {
        error("header.line.misplaced", line,
              "second #CHROM line (the first is at line " + std::to_string(chrom_line_) + ")");
        return;
    }
    chrom_line_ = line;
    chrom_canonical_ = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";
    const std::string rule = "header.chrom.malformed";
    std::vector<std::string_view> f = split(l, '\t');
    auto fixed_ok = [](const std::vector<std::string_view>& v) {
        if (v.size() < 8) return false;
        for (size_t i = 0; i < 8; ++i)
            if (v[i] != kFixedColumns[i]) return false;
        return true;
    };
    if (f.size() < 8) {
        auto ws = split_whitespace(l);
        if (fixed_ok(ws)) {
            error(rule, line, "the #CHROM line must be tab-separated, not space-separated");
            f = std::move(ws);
        } else {
            error(rule, line,
                  "the #CHROM line must name the 8 fixed columns, tab-separated: "
                  "#CHROM POS ID REF ALT QUAL FILTER INFO");
            samples_known_ = false;
            return;
        }
    } else {
        for (size_t i = 0; i < 8; ++i) {
            if (f[i] != kFixedColumns[i]) {
                error(rule, line,
                      "column " + std::to_string(i + 1) + " of the #CHROM line is " + quote(f[i]) +
                          ", expected '" + kFixedColumns[i] + "'");
                break;
            }
        }
    }
    if (f.size() == 8) return;
    if (f[8] != "FORMAT")
        error(rule, line,
              "column 9 of the #CHROM line is " + quote(f[8]) +
                  ", expected 'FORMAT' (sample columns follow FORMAT)");
    if (f.size() == 9) {
        warning(rule, line, "FORMAT column without any sample columns");
        return;
    }
    chrom_canonical_ += "\tFORMAT";
    std::map<std::string_view, size_t> seen;
    for (size_t i = 9; i < f.size(); ++i) {
        std::string name(f[i]);
        if (f[i].empty()) {
            error(rule, line, "sample column " + std::to_string(i + 1) + " has an empty name");
            name = "sample" + std::to_string(i + 1);
        } else if (const auto [it, inserted] = seen.try_emplace(f[i], i); !inserted) {
            error(rule, line,
                  "duplicate sample name " + quote(f[i]) + " (columns " +
                      std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")");
            name += "#" + std::to_string(i + 1);  // keeps htslib's sample list unique
        }
        chrom_canonical_ += '\t';
        chrom_canonical_ += name;
        sample_names_.emplace_back(f[i]);
    }
}

bool Validator::build_header(int64_t first_record_line) {
    if (fileformat_line_ == 0)
        error("header.fileformat.missing", 1,
              "the first line must be ##fileformat=VCFv4.x (the VCF version)");
    if (chrom_line_ == 0) {
        error("header.chrom.missing", first_record_line,
              "no #CHROM header line (it names the columns and samples and must be the last "
              "header line)");
        chrom_canonical_ = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";
        samples_known_ = false;
    }
    if (contigs_without_length_ > 0)
        info("header.contig.length", first_contig_without_length_,
             std::to_string(contigs_without_length_) +
                 " ##contig line(s) have no length=; positions cannot be checked against the "
                 "contig lengths");
    std::string text = fileformat_text_.empty() ? "##fileformat=VCFv4.2" : fileformat_text_;
    text += '\n';
    text += header_text_;
    text += chrom_canonical_;
    text += '\n';
    hdr_ = bcf_hdr_init("r");
    if (bcf_hdr_parse(hdr_, text.data()) < 0) {
        error("header.malformed", chrom_line_ > 0 ? chrom_line_ : 1,
              "htslib cannot parse the header; records were not checked");
        records_checked_ = false;
        return false;
    }
    return true;
}

void Validator::check_chrom_name(std::string_view chrom, int64_t line) {
    if (valid_contig_name(chrom)) return;
    if (!bad_chrom_names_.emplace(chrom).second) return;
    warning("record.chrom.invalid", line,
            "CHROM " + quote(chrom) +
                " is not a valid contig name (no whitespace, commas, quotes, brackets or '<>'; "
                "reported once per name)");
}

bool Validator::check_alleles(std::string_view ref, const std::vector<std::string_view>& alts,
                              int64_t line) {
    bool bad = false;
    const bool ref_ok = is_bases(ref);
    if (!ref_ok) {
        error("record.ref.bases", line,
              "REF " + quote(ref) + " must consist of the bases A, C, G, T, N");
        bad = true;
    }
    if (alts.size() == 1 && alts[0] == ".") return bad;
    std::vector<std::string_view> seen;
    for (const std::string_view a : alts) {
        if (a == ".") {
            error("record.alt.bases", line,
                  "ALT '.' (no alternate allele) cannot be listed with other alleles");
            bad = true;
            continue;
        }
        const bool bases = is_bases(a);
        if (!bases && a != "*" && !is_symbolic(a) && !is_breakend(a)) {
            error("record.alt.bases", line,
                  "ALT allele " + quote(a) +
                      " is not valid: expected bases A, C, G, T, N, '*', a symbolic allele "
                      "such as <DEL>, or a breakend");
            bad = true;
            continue;
        }
        if (std::any_of(seen.begin(), seen.end(),
                        [&](std::string_view s) { return iequals(s, a); }))
            warning("record.alt.duplicate", line, "ALT allele " + quote(a) + " is listed twice");
        seen.push_back(a);
        if (!bases || !ref_ok) continue;
        if (iequals(a, ref)) {
            warning("record.alt.same_as_ref", line,
                    "ALT allele " + quote(a) + " is the same as REF");
        } else if ((ref.size() == 1) != (a.size() == 1) &&
                   std::toupper(static_cast<unsigned char>(a[0])) !=
                       std::toupper(static_cast<unsigned char>(ref[0]))) {
            warning("record.alt.padding", line,
                    "REF " + quote(ref) + " and ALT " + quote(a) +
                        " differ in length but not in their first base; an insertion or "
                        "deletion must include the base before the event in both alleles");
        }
    }
    return bad;
}

void Validator::check_qual_text(std::string_view q, int64_t line) {
    if (q.empty() || q == ".") return;
    const std::string s(q);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v)) {
        error("record.qual.invalid", line, "QUAL " + quote(q) + " is not a number or '.'");
    } else if (v < 0) {
        warning("record.qual.negative", line,
                "QUAL " + s +
                    " is negative; use '.' for an unknown quality (-1 was VCFv3.3's "
                    "missing value)");
    }
}

// Column-count and per-sample checks that htslib does not make or cannot locate. Returns
// whether an error was found in the sample columns.
bool Validator::check_sample_columns(const std::vector<std::string_view>& cols, int64_t line) {
    bool bad = false;
    const size_t n_cols = cols.size();
    if (samples_known_) {
        const size_t n = sample_names_.size();
        std::string m;
        if (n == 0 && n_cols > 9)
            m = std::to_string(n_cols - 9) +
                " sample column(s), but the #CHROM line names no samples";
        else if (n > 0 && n_cols == 8)
            m = "no FORMAT or sample columns, but the #CHROM line names " + std::to_string(n) +
                " sample(s)";
        else if (n > 0 && n_cols - 9 != n)
            m = std::to_string(n_cols - 9) + " sample column(s), but the #CHROM line names " +
                std::to_string(n) + " sample(s)";
        if (!m.empty()) {
            error("record.genotype.count", line, m);
            bad = true;
        }
    }
    if (n_cols <= 9 || cols[8].empty()) return bad;
    const std::vector<std::string_view> keys = split(cols[8], ':');
    const auto gt_it = std::find(keys.begin(), keys.end(), "GT");
    const size_t gt = static_cast<size_t>(gt_it - keys.begin());
    size_t first_fields = 0, n_fields = 0, first_gt = 0, n_gt = 0, first_empty = 0, n_empty = 0;
    std::string_view bad_gt;
    size_t bad_fields_count = 0;
    for (size_t j = 9; j < n_cols; ++j) {
        const std::string_view s = cols[j];
        if (s.empty()) {
            if (n_empty++ == 0) first_empty = j - 9;
            continue;
        }
        const std::vector<std::string_view> values = split(s, ':');
        if (values.size() > keys.size() && n_fields++ == 0) {
            first_fields = j - 9;
            bad_fields_count = values.size();
        }
        if (gt < values.size() && !valid_genotype(values[gt]) && n_gt++ == 0) {
            first_gt = j - 9;
            bad_gt = values[gt];
        }
    }
    auto more = [](size_t n) {
        return n > 1 ? " (and " + std::to_string(n - 1) + " more sample(s) on this line)"
                     : std::string();
    };
    if (n_empty) {
        error("record.field.empty", line,
              "the column of sample " + sample_name(first_empty) +
                  " is empty; use '.' for missing data" + more(n_empty));
        bad = true;
    }
    if (n_fields) {
        error("record.format.fields", line,
              "sample " + sample_name(first_fields) + " has " + std::to_string(bad_fields_count) +
                  " ':'-separated values but FORMAT " + quote(cols[8]) + " has " +
                  std::to_string(keys.size()) + " key(s)" + more(n_fields));
        bad = true;
    }
    if (n_gt) {
        error("record.genotype.invalid", line,
              "sample " + sample_name(first_gt) + " has the invalid genotype " + quote(bad_gt) +
                  ": alleles are numbers or '.', separated by '/' (unphased) or '|' (phased)" +
                  more(n_gt));
        bad = true;
    }
    return bad;
}

void Validator::report_new_header_records(int nhrec_before, int64_t line) {
    for (int i = nhrec_before; i < hdr_->nhrec; ++i) {
        bcf_hrec_t* h = hdr_->hrec[i];
        const int k = bcf_hrec_find_key(h, "ID");
        if (k < 0 || !h->vals[k] || !*h->vals[k]) continue;
        const std::string id = h->vals[k];
        switch (h->type) {
            case BCF_HL_INFO:
                warning("record.info.undefined", line,
                        "INFO tag '" + id +
                            "' is not defined by a ##INFO header line; htslib treats it as "
                            "Type=String (reported once per tag)");
                break;
            case BCF_HL_FMT:
                warning("record.format.undefined", line,
                        "FORMAT key '" + id +
                            "' is not defined by a ##FORMAT header line; htslib treats it as "
                            "Type=String (reported once per key)");
                break;
            case BCF_HL_FLT:
                if (id == "0") break;  // record.filter.reserved reports it on every record
                warning("record.filter.undefined", line,
                        "FILTER '" + id +
                            "' is not defined by a ##FILTER header line (reported once per "
                            "filter)");
                break;
            case BCF_HL_CTG:
                warning("record.contig.undeclared", line,
                        "contig '" + id +
                            "' is not declared by a ##contig header line (reported once per "
                            "contig)");
                break;
            default:
                break;
        }
    }
}

void Validator::text_record(int64_t line) {
    ++report_.records;
    raw_.assign(line_.s, line_.l);
    const std::vector<std::string_view> cols = split(raw_, '\t');
    if (cols.size() < 8) {
        std::string m = "only " + std::to_string(cols.size()) +
                        " tab-separated column(s); a record needs at least 8: CHROM POS ID REF "
                        "ALT QUAL FILTER INFO";
        if (cols.size() == 1 && raw_.find(' ') != std::string::npos)
            m += " (columns must be separated by tabs, not spaces)";
        error("record.columns", line, m);
        return;
    }
    bool site_bad = false;
    for (size_t i = 0; i < 9 && i < cols.size(); ++i) {
        if (!cols[i].empty()) continue;
        error("record.field.empty", line,
              std::string("the ") + kColumnNames[i] +
                  " column is empty; use '.' for a missing "
                  "value");
        if (i < 8) site_bad = true;
    }
    if (!cols[0].empty()) check_chrom_name(cols[0], line);
    bool pos_ok = false;
    if (!cols[1].empty()) {
        if (!all_digits(cols[1])) {
            error("record.pos.nonnumeric", line,
                  "POS " + quote(cols[1]) + " is not a non-negative integer");
            site_bad = true;
        } else if (cols[1].size() > 10 || std::stoll(std::string(cols[1])) > kMaxPos) {
            error("record.pos.range", line,
                  "POS " + quote(cols[1]) + " exceeds the VCF/BCF limit of 2^31-1");
            site_bad = true;
        } else {
            pos_ok = true;
        }
    }
    if (!cols[3].empty() && !cols[4].empty())
        site_bad |= check_alleles(cols[3], split(cols[4], ','), line);
    check_qual_text(cols[5], line);
    const bool sample_bad = check_sample_columns(cols, line);

    const int nhrec_before = hdr_->nhrec;
    int ret = vcf_parse(&line_, hdr_, rec_);
    bool sites_ok = ret >= 0 && !(rec_->errcode & kFatalBits);
    const bool samples_ok = sites_ok;
    if (!sites_ok) {
        const int code = rec_->errcode;
        // The eight site columns alone: tells whether the damage is in the sample columns, and
        // lets the site checks below still run.
        const std::string_view site_text(
            raw_.data(), static_cast<size_t>(cols[7].data() + cols[7].size() - raw_.data()));
        sites_.l = 0;
        kputsn(site_text.data(), site_text.size(), &sites_);
        ret = vcf_parse(&sites_, hdr_, rec_);
        sites_ok = ret >= 0 && !(rec_->errcode & kFatalBits);
        if (sites_ok && !sample_bad)
            error("record.format.invalid", line,
                  "htslib cannot parse the FORMAT/sample columns: " + describe_errcode(code));
        else if (!sites_ok && !site_bad && !sample_bad)
            error("record.malformed", line,
                  "htslib cannot parse this record: " + describe_errcode(code | rec_->errcode));
    }
    report_new_header_records(nhrec_before, line);
    if (!sites_ok) return;
    if (bcf_unpack(rec_, BCF_UN_ALL) < 0) {
        error("record.malformed", line, "htslib cannot decode this record");
        return;
    }
    check_site(line, pos_ok);
    if (samples_ok) check_samples(line);
}

// Checks on the parsed record common to VCF and BCF.
void Validator::check_site(int64_t line, bool pos_ok) {
    const int rid = rec_->rid;
    if (rid < 0 || rid >= hdr_->n[BCF_DT_CTG]) return;
    const std::string chrom = bcf_hdr_id2name(hdr_, rid);
    const int64_t pos1 = rec_->pos + 1;
    if (pos_ok) {
        if (rid == prev_rid_) {
            if (rec_->pos < prev_pos_)
                error("record.unsorted", line,
                      chrom + ":" + std::to_string(pos1) + " comes after " + chrom + ":" +
                          std::to_string(prev_pos_ + 1) + " (" + unit() + " " +
                          std::to_string(prev_line_) +
                          "); records must be sorted by position to be indexed (bcftools sort)");
        } else {
            if (prev_rid_ >= 0) contig_last_line_[prev_rid_] = prev_line_;
            if (const auto it = contig_last_line_.find(rid); it != contig_last_line_.end())
                error("record.unsorted", line,
                      "records of contig '" + chrom + "' resume here after other contigs (its " +
                          "earlier records end at " + unit() + " " + std::to_string(it->second) +
                          "); each contig's records must be together to be indexed "
                          "(bcftools sort)");
        }
        prev_rid_ = rid;
        prev_pos_ = rec_->pos;
        prev_line_ = line;

        const uint64_t length = hdr_->id[BCF_DT_CTG][rid].val->info[0];
        // POS may be length+1 for a telomere.
        if (length > 0 && static_cast<uint64_t>(pos1) > length + 1)
            error("record.pos.range", line,
                  "POS " + std::to_string(pos1) + " is beyond the end of contig '" + chrom +
                      "' (length " + std::to_string(length) + " in its ##contig line)");

        if (bcf_get_info_int32(hdr_, rec_, "END", &end_buf_, &n_end_buf_) >= 1 &&
            end_buf_[0] != bcf_int32_missing && end_buf_[0] < pos1)
            error("record.end.before_pos", line,
                  "INFO/END=" + std::to_string(end_buf_[0]) + " is before POS " +
                      std::to_string(pos1) + "; END is the last position the record covers");
    }

    for (int i = 0; i < rec_->d.n_flt; ++i) {
        if (std::strcmp(bcf_hdr_int2id(hdr_, BCF_DT_ID, rec_->d.flt[i]), "0") == 0)
            warning("record.filter.reserved", line,
                    "FILTER '0' is reserved by the VCF specification (VCFv3.3 used it for "
                    "passing sites); use PASS");
    }

    std::vector<int> keys;
    for (int i = 0; i < rec_->n_info; ++i) {
        const bcf_info_t& inf = rec_->d.info[i];
        if (!inf.vptr) continue;
        const int key = inf.key;
        const char* name = bcf_hdr_int2id(hdr_, BCF_DT_ID, key);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
            warning("record.info.duplicate", line,
                    std::string("INFO/") + name + " appears more than once");
            continue;
        }
        keys.push_back(key);
        if (!bcf_hdr_idinfo_exists(hdr_, BCF_HL_INFO, key)) continue;
        const auto type = bcf_hdr_id2type(hdr_, BCF_HL_INFO, key);
        if (type != BCF_HT_INT && type != BCF_HT_REAL) continue;
        const int vl = bcf_hdr_id2length(hdr_, BCF_HL_INFO, key);
        const uint64_t num = bcf_hdr_id2number(hdr_, BCF_HL_INFO, key);
        int64_t expected = -1;
        if (vl == BCF_VL_FIXED && num > 0 && num < 0xfffff) expected = static_cast<int64_t>(num);
        if (vl == BCF_VL_A && rec_->n_allele > 1) expected = rec_->n_allele - 1;
        if (vl == BCF_VL_R) expected = rec_->n_allele;
        if (expected < 0 || inf.len == expected) continue;
        if (inf.len == 1 && info_single_value_missing(inf)) continue;
        warning("record.info.count", line,
                std::string("INFO/") + name + " has " + std::to_string(inf.len) +
                    " value(s), but its header definition (Number=" + number_text(vl, num) +
                    ") calls for " + std::to_string(expected) + " here");
    }
}

void Validator::check_samples(int64_t line) {
    const int gt_id = bcf_hdr_id2int(hdr_, BCF_DT_ID, "GT");
    bool has_gt = false;
    for (int i = 0; i < rec_->n_fmt; ++i) {
        const bcf_fmt_t& f = rec_->d.fmt[i];
        if (!f.p) continue;
        if (f.id == gt_id) {
            has_gt = true;
            if (i > 0)
                error("record.format.gt_first", line,
                      "GT must be the first FORMAT key; here it is key " + std::to_string(i + 1));
            continue;
        }
        if (!bcf_hdr_idinfo_exists(hdr_, BCF_HL_FMT, f.id)) continue;
        const auto type = bcf_hdr_id2type(hdr_, BCF_HL_FMT, f.id);
        if (type != BCF_HT_INT && type != BCF_HT_REAL) continue;
        const int vl = bcf_hdr_id2length(hdr_, BCF_HL_FMT, f.id);
        const uint64_t num = bcf_hdr_id2number(hdr_, BCF_HL_FMT, f.id);
        int64_t expected = -1;
        if (vl == BCF_VL_FIXED && num > 0 && num < 0xfffff) expected = static_cast<int64_t>(num);
        if (vl == BCF_VL_A && rec_->n_allele > 1) expected = rec_->n_allele - 1;
        if (vl == BCF_VL_R) expected = rec_->n_allele;
        // Samples may give fewer values (trailing ones missing), never more.
        if (expected >= 0 && f.n > expected)
            warning("record.format.count", line,
                    std::string("FORMAT/") + bcf_hdr_int2id(hdr_, BCF_DT_ID, f.id) + " has up to " +
                        std::to_string(f.n) +
                        " value(s) per sample, but its header definition (Number=" +
                        number_text(vl, num) + ") calls for " + std::to_string(expected) + " here");
    }
    const int n_samples = bcf_hdr_nsamples(hdr_);
    if (!has_gt || n_samples == 0) return;
    const int n = bcf_get_genotypes(hdr_, rec_, &gt_, &n_gt_);
    if (n <= 0) return;
    const int ploidy = n / n_samples;
    int n_bad = 0, first_bad = -1, bad_allele = 0;
    for (int s = 0; s < n_samples; ++s) {
        for (int k = 0; k < ploidy; ++k) {
            const int32_t v = gt_[s * ploidy + k];
            if (v == bcf_int32_vector_end) break;
            if (bcf_gt_is_missing(v)) continue;
            if (bcf_gt_allele(v) >= rec_->n_allele) {
                if (n_bad++ == 0) {
                    first_bad = s;
                    bad_allele = bcf_gt_allele(v);
                }
                break;
            }
        }
    }
    if (n_bad > 0)
        error("record.genotype.allele", line,
              "sample " + sample_name(static_cast<size_t>(first_bad)) + " has allele " +
                  std::to_string(bad_allele) + " in GT, but the record has only " +
                  std::to_string(rec_->n_allele) + " allele(s) (REF and " +
                  std::to_string(rec_->n_allele - 1) + " ALT)" +
                  (n_bad > 1 ? " (and " + std::to_string(n_bad - 1) + " more sample(s))" : ""));
}

void Validator::run_bcf() {
    hdr_ = bcf_hdr_read(fp_);
    if (!hdr_) throw InputError(name_, 0, "cannot read the BCF header (truncated or corrupt)");
    for (int i = 0; i < hdr_->nhrec; ++i)
        if (hdr_->hrec[i]->type != BCF_HL_GEN) check_structured(hdr_->hrec[i], 0, {});
    for (int i = 0; i < bcf_hdr_nsamples(hdr_); ++i) sample_names_.emplace_back(hdr_->samples[i]);
    int64_t n = 0;
    for (;;) {
        const int ret = bcf_read(fp_, hdr_, rec_);
        if (ret == -1) break;
        if (ret < -1) {
            stop_corrupt(n, "BCF data is truncated or corrupt after record " + std::to_string(n) +
                                "; the rest of the file cannot be read");
            break;
        }
        ++n;
        ++report_.records;
        if (rec_->errcode & kFatalBits) {
            error("record.malformed", n,
                  "htslib cannot parse this record: " + describe_errcode(rec_->errcode));
            continue;
        }
        if (bcf_unpack(rec_, BCF_UN_ALL) < 0 || rec_->n_allele < 1) {
            error("record.malformed", n, "htslib cannot decode this record");
            continue;
        }
        std::vector<std::string_view> alts;
        for (int i = 1; i < rec_->n_allele; ++i) alts.emplace_back(rec_->d.allele[i]);
        if (alts.empty()) alts.emplace_back(".");
        check_alleles(rec_->d.allele[0], alts, n);
        if (!bcf_float_is_missing(rec_->qual) && rec_->qual < 0)
            warning("record.qual.negative", n,
                    "QUAL " + std::to_string(rec_->qual) +
                        " is negative; use missing for an "
                        "unknown quality");
        check_site(n, rec_->pos >= 0);
        check_samples(n);
    }
}

void Validator::finish() {
    if (!records_checked_) return;  // the header was unusable
    if (!stopped_ && fp_->format.compression == bgzf && path_ != "-" &&
        bgzf_check_EOF(fp_->fp.bgzf) == 0)
        warning("file.eof_marker.missing", 0,
                "no BGZF end-of-file marker: the file may be truncated at a block boundary");
    if (report_.records == 0 && !stopped_ && !opts_.allow_empty)
        error("file.no_records", 0,
              "no variant records (the file has a header only; pass --allow-empty to accept "
              "that)");
}

std::string display_name(const std::string& file) {
    return file == "-" ? "<stdin>" : file;
}

}  // namespace

ValidationReport validate_vcf(const std::string& path, const ValidateOptions& opts) {
    Validator v(path, opts);
    return v.run();
}

std::string format_validation_text(const ValidationReport& r) {
    const std::string name = display_name(r.file);
    std::string out;
    for (const Finding& f : r.findings) {
        out += name;
        if (f.line > 0) out += ":" + std::to_string(f.line);
        out += ": ";
        out += severity_name(f.severity);
        out += ": [" + f.rule + "] " + f.message + "\n";
    }
    if (r.findings_omitted > 0)
        out += name + ": note: " + std::to_string(r.findings_omitted) +
               " more finding(s) not shown (raise --max-findings to see them)\n";
    out += name + ": ";
    out += r.unreadable ? "UNREADABLE" : r.valid() ? "valid" : "INVALID";
    out += " (" + std::to_string(r.errors) + " error(s), " + std::to_string(r.warnings) +
           " warning(s), " + std::to_string(r.infos) + " info; " + std::to_string(r.records) +
           (r.is_bcf ? " BCF" : "") + " record(s) checked)\n";
    return out;
}

nlohmann::json validation_to_json(const ValidationReport& r) {
    nlohmann::json findings = nlohmann::json::array();
    for (const Finding& f : r.findings)
        findings.push_back({{"rule", f.rule},
                            {"severity", std::string(severity_name(f.severity))},
                            {"line", f.line},
                            {"message", f.message}});
    nlohmann::json j = {{"file", r.file},
                        {"format", r.is_bcf ? "BCF" : "VCF"},
                        {"valid", r.valid()},
                        {"errors", r.errors},
                        {"warnings", r.warnings},
                        {"infos", r.infos},
                        {"records", r.records},
                        {"findings", std::move(findings)},
                        {"findings_omitted", r.findings_omitted},
                        {"unreadable", r.unreadable}};
    if (r.unreadable) j["unreadable_reason"] = r.unreadable_reason;
    return j;
}

}  // namespace vcfagent::vcf
