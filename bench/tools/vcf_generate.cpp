// vcf_generate: seeded synthetic VCF for benchmarks (see bench/README.md for the mix).
//
//   vcf_generate --records 1000000 --samples 100 --seed 1 --chroms chr1..chr22,chrX -o x.vcf.gz
//
// Design invariants:
// * Every random draw comes from one xoshiro256** stream seeded from --seed, consumed in a fixed
//   order, and numbers are printed with std::to_chars: the same arguments give the same bytes.
// * The "reference" is a hash of (chromosome, position) and the gene layout a hash of
//   (chromosome, block), both independent of --seed, so REF bases of overlapping records agree,
//   indels are left-aligned against it and a position always falls in the same gene.
// * Records are produced one at a time in position order; memory does not grow with --records.
#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/tbx.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---------------------------------------------------------------------------------------------
// Randomness

constexpr uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t hash_text(std::string_view s) {
    uint64_t h = 0x243f6a8885a308d3ULL;
    for (unsigned char c : s) h = mix64(h ^ c);
    return h;
}

class Rng {
  public:
    explicit Rng(uint64_t seed) {
        for (auto& w : s_) w = seed = mix64(seed);
    }
    uint64_t next() {
        const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = std::rotl(s_[3], 45);
        return result;
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [0, n) without modulo bias worth caring about at these sizes.
    uint64_t below(uint64_t n) {
        return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
    }
    int64_t between(int64_t lo, int64_t hi) {
        return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1)));
    }
    bool chance(double p) { return uniform() < p; }
    // Geometric on 1..cap with success probability p (mean ~1/p).
    int geometric(double p, int cap) {
        int k = 1;
        while (k < cap && !chance(p)) ++k;
        return k;
    }
    double log_uniform(double lo, double hi) {
        return lo * std::exp(uniform() * std::log(hi / lo));
    }

  private:
    uint64_t s_[4];
};

// ---------------------------------------------------------------------------------------------
// Text output

void put_int(std::string& s, int64_t v) {
    char b[24];
    auto r = std::to_chars(b, b + sizeof b, v);
    s.append(b, r.ptr);
}

void put_float(std::string& s, double v, int precision) {
    char b[40];
    auto r = std::to_chars(b, b + sizeof b, v, std::chars_format::general, precision);
    s.append(b, r.ptr);
}

// QUAL with two decimals, as most callers print it.
void put_qual(std::string& s, int64_t hundredths) {
    put_int(s, hundredths / 100);
    s += '.';
    s += static_cast<char>('0' + hundredths / 10 % 10);
    s += static_cast<char>('0' + hundredths % 10);
}

class Output {
  public:
    Output() { buf_.reserve(kFlushAt + (1 << 16)); }
    ~Output() { close(); }

    void open(const std::string& path, int threads) {
        path_ = path;
        const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
        if (gz) {
            bgzf_ = bgzf_open(path.c_str(), "w");
            if (!bgzf_) throw std::runtime_error("cannot create " + path);
            if (threads > 0 && bgzf_mt(bgzf_, threads, 256) != 0)
                throw std::runtime_error("cannot start compression threads");
        } else if (path == "-") {
            file_ = stdout;
        } else {
            file_ = std::fopen(path.c_str(), "wb");
            if (!file_) throw std::runtime_error("cannot create " + path);
        }
    }
    bool bgzipped() const { return bgzf_ != nullptr; }
    std::string& buf() { return buf_; }
    void maybe_flush() {
        if (buf_.size() >= kFlushAt) flush();
    }
    void flush() {
        if (buf_.empty()) return;
        if (bgzf_) {
            if (bgzf_write(bgzf_, buf_.data(), buf_.size()) < 0)
                throw std::runtime_error("write failed: " + path_);
        } else if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size()) {
            throw std::runtime_error("write failed: " + path_);
        }
        buf_.clear();
    }
    void close() {
        if (bgzf_) {
            flush();
            const int rc = bgzf_close(bgzf_);
            bgzf_ = nullptr;
            if (rc != 0) throw std::runtime_error("close failed: " + path_);
        } else if (file_) {
            flush();
            const bool bad = file_ == stdout ? std::fflush(file_) != 0 : std::fclose(file_) != 0;
            file_ = nullptr;
            if (bad) throw std::runtime_error("close failed: " + path_);
        }
    }

  private:
    static constexpr size_t kFlushAt = 1 << 20;
    std::string path_;
    std::string buf_;
    BGZF* bgzf_ = nullptr;
    FILE* file_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Contigs

struct KnownContig {
    const char* name;  // without "chr"
    int64_t length;    // GRCh38 primary assembly
};
constexpr KnownContig kGrch38[] = {
    {"1", 248956422},  {"2", 242193529},  {"3", 198295559},  {"4", 190214555},  {"5", 181538259},
    {"6", 170805979},  {"7", 159345973},  {"8", 145138636},  {"9", 138394717},  {"10", 133797422},
    {"11", 135086622}, {"12", 133275309}, {"13", 114364328}, {"14", 107043718}, {"15", 101991189},
    {"16", 90338345},  {"17", 83257441},  {"18", 80373285},  {"19", 58617616},  {"20", 64444167},
    {"21", 46709983},  {"22", 50818468},  {"X", 156040895},  {"Y", 57227415},   {"M", 16569},
    {"MT", 16569},
};

struct Contig {
    std::string name;
    int64_t length = 0;
    int64_t records = 0;
    uint64_t salt = 0;       // seeds the pseudo-reference and the gene layout
    int64_t first_gene = 0;  // ordinal of the gene in this contig's first block
    int64_t blocks = 0;
};

int64_t known_length(std::string_view name) {
    std::string_view bare = name;
    if (bare.substr(0, 3) == "chr") bare.remove_prefix(3);
    for (const auto& k : kGrch38)
        if (bare == k.name) return k.length;
    return 0;
}

int64_t parse_int(std::string_view text, const char* what) {
    int64_t v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size())
        throw std::invalid_argument(std::string("bad ") + what + ": '" + std::string(text) + "'");
    return v;
}

// "chr1..chr22,chrX,scaffold7:120000": ranges expand over a numeric suffix; a name not in
// GRCh38 needs an explicit ":length".
std::vector<Contig> parse_chroms(std::string_view spec) {
    std::vector<std::string> names;
    std::vector<int64_t> lengths;
    auto add = [&](std::string name, int64_t len) {
        if (len == 0) len = known_length(name);
        if (len == 0)
            throw std::invalid_argument("unknown contig '" + name + "': give it as NAME:LENGTH");
        if (len < 1000) throw std::invalid_argument("contig '" + name + "' is shorter than 1000");
        if (std::find(names.begin(), names.end(), name) != names.end())
            throw std::invalid_argument("contig '" + name + "' listed twice");
        names.push_back(std::move(name));
        lengths.push_back(len);
    };
    while (!spec.empty()) {
        const size_t comma = spec.find(',');
        std::string_view item = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
        if (item.empty()) continue;
        if (const size_t dots = item.find(".."); dots != std::string_view::npos) {
            auto split = [](std::string_view s) {
                size_t i = s.size();
                while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') --i;
                return std::pair{s.substr(0, i), s.substr(i)};
            };
            auto [p1, n1] = split(item.substr(0, dots));
            auto [p2, n2] = split(item.substr(dots + 2));
            if (n1.empty() || n2.empty() || (p1 != p2 && !p2.empty()))
                throw std::invalid_argument("bad contig range '" + std::string(item) + "'");
            const int64_t a = parse_int(n1, "contig range"), b = parse_int(n2, "contig range");
            if (b < a)
                throw std::invalid_argument("empty contig range '" + std::string(item) + "'");
            for (int64_t i = a; i <= b; ++i) add(std::string(p1) + std::to_string(i), 0);
        } else if (const size_t colon = item.rfind(':'); colon != std::string_view::npos) {
            add(std::string(item.substr(0, colon)),
                parse_int(item.substr(colon + 1), "contig length"));
        } else {
            add(std::string(item), 0);
        }
    }
    if (names.empty()) throw std::invalid_argument("no contigs given");
    std::vector<Contig> out(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        out[i].name = names[i];
        out[i].length = lengths[i];
        out[i].salt = hash_text(names[i]);
    }
    return out;
}

// Records per contig proportional to length (largest remainder, ties to the earlier contig).
void allocate_records(std::vector<Contig>& contigs, int64_t total) {
    long double sum = 0;
    for (const auto& c : contigs) sum += c.length;
    int64_t given = 0;
    std::vector<std::pair<long double, size_t>> rest;
    for (size_t i = 0; i < contigs.size(); ++i) {
        const long double exact = total * (contigs[i].length / sum);
        contigs[i].records = static_cast<int64_t>(exact);
        given += contigs[i].records;
        rest.push_back({exact - contigs[i].records, i});
    }
    std::stable_sort(rest.begin(), rest.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (size_t k = 0; given < total; ++k, ++given) ++contigs[rest[k % rest.size()].second].records;
}

char ref_base(uint64_t salt, int64_t pos) {
    return "ACGT"[mix64(salt ^ (static_cast<uint64_t>(pos) * 0xd6e8feb86659fd93ULL)) >> 62];
}

char complement(char b) {
    switch (b) {
        case 'A':
            return 'T';
        case 'C':
            return 'G';
        case 'G':
            return 'C';
        case 'T':
            return 'A';
        default:
            return 'N';
    }
}

// ---------------------------------------------------------------------------------------------
// Genes: one per block of the genome, named from a fixed pool so names repeat across seeds.

constexpr int kGenePool = 2000;
constexpr int kWindow = 128;       // gene bodies are tiled in windows: exon or intron
constexpr int kExonPerMille = 50;  // share of exon windows
constexpr int kFlank = 5000;       // SnpEff's default up/downstream distance
constexpr int kSpliceRegion = 8;

constexpr const char* kFamilies[] = {
    "ZNF",   "SLC",   "TMEM",  "CCDC", "KLHL", "ANKRD",  "FAM",  "LRRC", "RBM", "TRIM",
    "ABCA",  "KIF",   "ADAM",  "CDH",  "COL",  "DNAH",   "MYO",  "PCDH", "SEC", "USP",
    "WDR",   "ZBTB",  "NUP",   "PPP",  "RAB",  "ARHGAP", "CYP",  "HOXB", "KRT", "OR",
    "SPATA", "TBC1D", "MAP3K", "EPHA", "GRIN", "ATP",    "POLR", "PRDM", "SH3", "NLRP"};
constexpr int kFamilyCount = sizeof kFamilies / sizeof kFamilies[0];

void put_gene_name(std::string& s, int64_t ordinal) {
    const int64_t i = ordinal % kGenePool;
    s += kFamilies[i % kFamilyCount];
    put_int(s, 1 + i / kFamilyCount);
    // A letter suffix on some names, as in real families (e.g. SLC12A4); still unique by (family,
    // number) because the suffix is a function of the ordinal.
    if (mix64(static_cast<uint64_t>(i)) % 4 == 0) s += static_cast<char>('A' + i % 3);
}

void put_gene_id(std::string& s, int64_t ordinal) {
    char b[16];
    std::snprintf(b, sizeof b, "%011lld", static_cast<long long>(100000 + ordinal % kGenePool));
    s += "ENSG";
    s += b;
}

void put_transcript_id(std::string& s, int64_t ordinal, int tx) {
    char b[16];
    std::snprintf(b, sizeof b, "%011lld",
                  static_cast<long long>(300000 + (ordinal % kGenePool) * 8 + tx));
    s += "ENST";
    s += b;
}

struct Gene {
    int64_t ordinal = -1, block = -1, blocks = 0;
    int64_t body_start = 0, body_end = 0;  // inclusive, 1-based
    int64_t windows = 0;
    uint64_t salt = 0;
    bool minus = false, coding = true;
    int exons = 0, transcripts = 1;
    int64_t tx_len = 0, utr5 = 0, cds_len = 0;
};

Gene make_gene(const Contig& c, int64_t block_len, int64_t block) {
    Gene g;
    g.block = block;
    g.blocks = c.blocks;
    g.ordinal = c.first_gene + block;
    g.salt = mix64(c.salt ^ mix64(static_cast<uint64_t>(block)));
    const uint64_t h = g.salt;
    const int64_t start = block * block_len + 1;
    const int64_t end = std::min(c.length, start + block_len - 1);
    const int64_t room = end - start + 1 - 2 * kFlank - 2 * kWindow;
    const int64_t span =
        std::max<int64_t>(kWindow, room * (30 + static_cast<int64_t>(h % 41)) / 100);
    g.windows = std::max<int64_t>(2, span / kWindow);
    const int64_t len = g.windows * kWindow;
    const int64_t slack = std::max<int64_t>(0, room - len);
    g.body_start = start + kFlank + kWindow + static_cast<int64_t>((h >> 8) % (slack + 1));
    g.body_end = g.body_start + len - 1;
    g.minus = (h >> 20) & 1;
    g.coding = (h >> 21) % 100 < 88;
    g.exons = 4 + static_cast<int>((h >> 28) % 37);
    g.transcripts = 1 + static_cast<int>((h >> 36) % 3);
    g.tx_len = 1200 + static_cast<int64_t>((h >> 40) % 5000);
    g.utr5 = 40 + g.tx_len / 20;
    g.cds_len = (g.tx_len - g.utr5 - 150 - g.tx_len / 5) / 3 * 3;
    return g;
}

bool is_exon_window(const Gene& g, int64_t w) {
    if (w < 0 || w >= g.windows) return false;
    if (w == 0 || w == g.windows - 1) return true;  // a transcript begins and ends in an exon
    return mix64(g.salt + static_cast<uint64_t>(w) * 0x9fb21c651e98df25ULL) % 1000 < kExonPerMille;
}

enum class Region {
    Intergenic,
    Upstream,
    Downstream,
    Utr5,
    Utr3,
    Cds,
    NcExon,
    Intron,
    SpliceCore,    // first/last two intron bases
    SpliceRegion,  // the rest of the 8 bases next to an exon
};

struct Site {
    Region region = Region::Intergenic;
    int rank = 0, rank_of = 0;
    int64_t tx_pos = 0, cds_pos = 0, distance = 0;
    bool donor = false;
};

// Where a position falls relative to gene g, and its HGVS coordinate token ("123", "-45",
// "*67", "123+5", "124-2", or for intergenic the genomic position) appended to tok.
Site locate(const Gene& g, int64_t pos, std::string* tok) {
    Site s;
    auto coding_token = [&](int64_t tx) {
        // cDNA position -> c. coordinate: negative in the 5'UTR, '*' after the stop codon.
        if (!g.coding) {
            put_int(*tok, tx);
        } else if (tx <= g.utr5) {
            *tok += '-';
            put_int(*tok, g.utr5 - tx + 1);
        } else if (tx > g.utr5 + g.cds_len) {
            *tok += '*';
            put_int(*tok, tx - g.utr5 - g.cds_len);
        } else {
            put_int(*tok, tx - g.utr5);
        }
    };
    if (pos < g.body_start - kFlank || pos > g.body_end + kFlank) {
        s.region = Region::Intergenic;
        if (tok) put_int(*tok, pos);
        return s;
    }
    if (pos < g.body_start || pos > g.body_end) {
        const bool before = pos < g.body_start;
        s.distance = before ? g.body_start - pos : pos - g.body_end;
        s.region = (before != g.minus) ? Region::Upstream : Region::Downstream;
        if (tok) {
            if (s.region == Region::Upstream) {
                *tok += '-';
                put_int(*tok, (g.coding ? g.utr5 : 0) + s.distance);
            } else {
                *tok += '*';
                put_int(*tok, (g.coding ? g.tx_len - g.utr5 - g.cds_len : 0) + s.distance);
            }
        }
        return s;
    }
    const int64_t q = pos - g.body_start;
    const int64_t w = q / kWindow;
    const int64_t tw = g.minus ? g.windows - 1 - w : w;  // window in transcript orientation
    const int64_t toff = g.minus ? kWindow - 1 - q % kWindow : q % kWindow;
    auto tx_at = [&](int64_t window, int64_t off) {
        return 1 + window * (g.tx_len - kWindow) / g.windows + off;
    };
    if (is_exon_window(g, w)) {
        s.rank = 1 + static_cast<int>(tw * g.exons / g.windows);
        s.rank_of = g.exons;
        s.tx_pos = tx_at(tw, toff);
        if (!g.coding) {
            s.region = Region::NcExon;
        } else if (s.tx_pos <= g.utr5) {
            s.region = Region::Utr5;
        } else if (s.tx_pos > g.utr5 + g.cds_len) {
            s.region = Region::Utr3;
        } else {
            s.region = Region::Cds;
            s.cds_pos = s.tx_pos - g.utr5;
        }
        if (tok) coding_token(s.tx_pos);
        return s;
    }
    s.region = Region::Intron;
    s.rank = 1 + static_cast<int>(tw * (g.exons - 1) / g.windows);
    s.rank_of = g.exons - 1;
    // Transcript-order neighbours of this window.
    const bool exon_before = is_exon_window(g, g.minus ? w + 1 : w - 1);
    const bool exon_after = is_exon_window(g, g.minus ? w - 1 : w + 1);
    const int64_t from_prev = toff + 1, to_next = kWindow - toff;
    const bool use_prev = from_prev <= to_next;
    if (exon_before && from_prev <= kSpliceRegion) {
        s.region = from_prev <= 2 ? Region::SpliceCore : Region::SpliceRegion;
        s.donor = true;
    } else if (exon_after && to_next <= kSpliceRegion) {
        s.region = to_next <= 2 ? Region::SpliceCore : Region::SpliceRegion;
        s.donor = false;
    }
    if (tok) {
        // Offsets are measured from the nearer window edge plus a per-window amount, so introns
        // look intron-long while neighbouring bases stay one apart.
        const int64_t extra = static_cast<int64_t>(mix64(g.salt ^ static_cast<uint64_t>(w)) % 3000);
        const bool near_exon = s.region == Region::SpliceCore || s.region == Region::SpliceRegion;
        if (near_exon ? s.donor : use_prev) {
            coding_token(std::max<int64_t>(1, tx_at(tw, 0) - 1));
            *tok += '+';
            put_int(*tok, near_exon ? from_prev : from_prev + extra);
        } else {
            coding_token(tx_at(tw + 1, 0));
            *tok += '-';
            put_int(*tok, near_exon ? to_next : to_next + extra);
        }
    }
    return s;
}

// ---------------------------------------------------------------------------------------------
// Records

struct Mix {
    // Cumulative per-mille thresholds for the primary draw; '*' records are scheduled after
    // deletions instead (see kStarAfterDeletion).
    // A breakend draw writes a pair of records, and 8% of deletions add a '*' record (counted
    // as multi-allelic), so record shares come out at about 80.4 / 12.1 / 2.0 / 4.1 / 1.0 / 0.4.
    static constexpr int kSnv = 810, kIndel = kSnv + 122, kMnv = kIndel + 20, kMulti = kMnv + 36,
                         kSv = kMulti + 10, kBnd = kSv + 2;
    static_assert(kBnd == 1000);
};
constexpr double kStarAfterDeletion = 0.08;
// Biallelic ts/tv 0.69 / 0.31 ≈ 2.2; the second ALT of multi-allelic SNVs is mostly a
// transversion, which brings the file's overall ts/tv to about 2.05.
constexpr double kTransition = 0.69;
constexpr double kRsid = 0.30;
constexpr double kLowQual = 0.07;
constexpr int kMaxIndel = 50;
// Per child and site: chance that a transmitted allele becomes a new ALT (--trios).
constexpr double kDeNovoRate = 1e-4;

struct AltInfo {
    enum Type { Snv, Mnv, Ins, Del, Symbolic, Breakend, Overlap } type;
    int64_t pos = 0;               // first affected base (insertions: the base before)
    std::string ref_seq, alt_seq;  // changed bases only
};

class Generator {
  public:
    struct Options {
        int64_t records = 10000;
        int samples = 0;
        // The first 3*trios samples form trios (child, father, mother): each child inherits one
        // allele of each parent, with a de novo ALT at kDeNovoRate of its sites.
        int trios = 0;
        uint64_t seed = 1;
        std::string chroms = "chr1..chr22,chrX";
        std::string command_line;
    };

    Generator(Options opt, Output& out) : opt_(std::move(opt)), out_(out), rng_(opt_.seed) {
        contigs_ = parse_chroms(opt_.chroms);
        allocate_records(contigs_, opt_.records);
        int64_t genome = 0;
        for (const auto& c : contigs_) genome += c.length;
        block_len_ = std::max<int64_t>(4 * kFlank, (genome + kGenePool - 1) / kGenePool);
        int64_t ordinal = 0;
        for (auto& c : contigs_) {
            c.blocks = (c.length + block_len_ - 1) / block_len_;
            c.first_gene = ordinal;
            ordinal += c.blocks;
        }
        cohort_ = opt_.samples > 0 ? opt_.samples : 5000;
        coverage_.resize(opt_.samples);
        for (auto& f : coverage_) f = static_cast<int>(rng_.between(10, 22));  // x/16 of 32x
        gt_a_.resize(opt_.samples);
        gt_b_.resize(opt_.samples);
        gt_flags_.resize(opt_.samples);
        gt_dp_.resize(opt_.samples);
    }

    void run() {
        write_header();
        for (const auto& c : contigs_) generate_contig(c);
        out_.flush();
    }

    const std::vector<Contig>& contigs() const { return contigs_; }

  private:
    // ---- header ---------------------------------------------------------------------------
    void write_header() {
        std::string& s = out_.buf();
        s += "##fileformat=VCFv4.2\n";
        s += "##FILTER=<ID=PASS,Description=\"All filters passed\">\n";
        s += "##FILTER=<ID=LowQual,Description=\"Low quality (QUAL < 30)\">\n";
        s += "##ALT=<ID=DEL,Description=\"Deletion\">\n";
        s += "##ALT=<ID=DUP,Description=\"Duplication\">\n";
        s += "##ALT=<ID=INS,Description=\"Insertion of novel sequence\">\n";
        s += "##ALT=<ID=INV,Description=\"Inversion\">\n";
        s += "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"Allele count in genotypes, for "
             "each ALT allele, in the same order as listed\">\n";
        s += "##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele Frequency, for each ALT "
             "allele, in the same order as listed\">\n";
        s += "##INFO=<ID=AN,Number=1,Type=Integer,Description=\"Total number of alleles in called "
             "genotypes\">\n";
        s += "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Combined depth across "
             "samples\">\n";
        s += "##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural "
             "variant\">\n";
        s += "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position of the variant "
             "described in this record\">\n";
        s += "##INFO=<ID=SVLEN,Number=.,Type=Integer,Description=\"Difference in length between "
             "REF and ALT alleles\">\n";
        s += "##INFO=<ID=MATEID,Number=.,Type=String,Description=\"ID of mate breakends\">\n";
        s += "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | "
             "Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | "
             "Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / "
             "CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' \">\n";
        if (opt_.samples > 0) {
            s += "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
            s += "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n";
            s += "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">\n";
        }
        for (const auto& c : contigs_) {
            s += "##contig=<ID=";
            s += c.name;
            s += ",length=";
            put_int(s, c.length);
            s += ">\n";
        }
        s += "##source=vcf_generate\n";
        s += "##vcf_generateCommand=";
        s += opt_.command_line;
        s += "\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO";
        if (opt_.samples > 0) {
            s += "\tFORMAT";
            char b[24];
            for (int i = 0; i < opt_.samples; ++i) {
                std::snprintf(b, sizeof b, "\tSAMPLE%05d", i + 1);
                s += b;
            }
        }
        s += '\n';
    }

    // ---- positions and alleles ---------------------------------------------------------
    char base(int64_t pos) const { return ref_base(contig_->salt, pos); }
    void ref_span(std::string& s, int64_t from, int64_t to) const {
        for (int64_t p = from; p <= to; ++p) s += base(p);
    }
    char random_base() { return "ACGT"[rng_.below(4)]; }
    char snv_base(char ref) {
        if (rng_.chance(kTransition)) {
            switch (ref) {
                case 'A':
                    return 'G';
                case 'G':
                    return 'A';
                case 'C':
                    return 'T';
                default:
                    return 'C';
            }
        }
        const bool first = rng_.below(2) == 0;
        switch (ref) {
            case 'A':
            case 'G':
                return first ? 'C' : 'T';
            default:
                return first ? 'A' : 'G';
        }
    }
    char other_base(char not1, char not2) {
        for (;;) {
            const char b = random_base();
            if (b != not1 && b != not2) return b;
        }
    }
    // Inserted sequence whose last base differs from the anchor, so the insertion is already
    // left-aligned.
    void insertion_seq(std::string& s, int len, char anchor) {
        for (int i = 0; i + 1 < len; ++i) s += random_base();
        s += other_base(anchor, anchor);
    }
    // A deletion of len bases after pos is left-aligned iff the last deleted base differs from
    // the anchor; try a few lengths before giving up.
    int left_aligned_deletion(int64_t pos, int len) {
        for (int k = len; k <= kMaxIndel; ++k)
            if (base(pos + k) != base(pos)) return k;
        for (int k = len - 1; k >= 1; --k)
            if (base(pos + k) != base(pos)) return k;
        return 0;
    }

    int64_t next_position(int64_t pos, int64_t remaining) {
        const int64_t usable =
            contig_->length - (contig_->length > 20000 ? 1000 : 2 * kMaxIndel + 10);
        const double mean = static_cast<double>(usable - pos) / static_cast<double>(remaining + 1);
        int64_t gap = 1;
        if (mean > 1)
            gap += static_cast<int64_t>(-std::log1p(-rng_.uniform()) * (mean - 1));
        else
            gap = rng_.chance(mean) ? 1 : 0;
        int64_t next = pos + gap;
        next = std::min(next, usable - (remaining - 1));
        return std::max({next, pos, int64_t{1}});
    }

    void make_id(int64_t ordinal) {
        id_.clear();
        if (!rng_.chance(kRsid)) {
            id_ = ".";
            return;
        }
        // An odd multiplier and an xor are bijections mod 2^30: record ordinals map to distinct
        // rs numbers.
        const uint64_t x =
            (static_cast<uint64_t>(ordinal) * 0x2545f491ULL) ^ (opt_.seed * 0x9e37ULL);
        id_ = "rs";
        put_int(id_, 1 + static_cast<int64_t>(x & ((1ULL << 30) - 1)));
    }

    // ---- frequencies and genotypes -----------------------------------------------------
    double draw_af() {
        const double floor_af = 1.0 / (2.0 * cohort_);
        if (rng_.chance(0.7)) return rng_.log_uniform(floor_af, 0.01);
        return rng_.log_uniform(0.01, 0.95);
    }

    void draw_genotypes(int n_alt) {
        double af[3];
        double total = 0;
        for (int a = 0; a < n_alt; ++a) total += af[a] = draw_af() / (a == 0 ? 1 : 1 + a);
        if (total > 0.98)
            for (int a = 0; a < n_alt; ++a) af[a] *= 0.98 / total;
        ac_.assign(n_alt, 0);
        an_ = 0;
        info_dp_ = 0;
        const int S = opt_.samples;
        if (S == 0) {
            an_ = 2 * cohort_ - static_cast<int64_t>(rng_.below(cohort_ / 50 + 1));
            for (int a = 0; a < n_alt; ++a)
                ac_[a] = std::max<int64_t>(1, std::llround(af[a] * static_cast<double>(an_)));
            info_dp_ = cohort_ * 30 + static_cast<int64_t>(rng_.below(cohort_ * 4));
            return;
        }
        // Haplotype allele from a 32-bit draw: 0 below cut[0], ALT a below cut[a].
        uint64_t cut[3];
        double acc = 1.0;
        for (int a = 0; a < n_alt; ++a) acc -= af[a];
        for (int a = 0; a < n_alt; ++a) {
            cut[a] = static_cast<uint64_t>(acc * 4294967296.0);
            acc += af[a];
        }
        auto hap = [&](uint64_t x) -> uint8_t {
            uint8_t a = 0;
            while (a < n_alt && x >= cut[a]) ++a;
            return a;
        };
        for (int i = 0; i < S; ++i) {
            const uint64_t r = rng_.next();
            const uint64_t f = rng_.next();
            gt_a_[i] = hap(r & 0xffffffffULL);
            gt_b_[i] = hap(r >> 32);
            // ~1% missing, ~2% phased; depth is binomial around 32x scaled per sample.
            gt_flags_[i] = static_cast<uint8_t>(((f & 1023) < 10 ? kMissing : 0) |
                                                (((f >> 10) & 1023) < 20 ? kPhased : 0));
            gt_dp_[i] = static_cast<uint16_t>(std::popcount(f >> 20) * coverage_[i] * 3 / 32);
        }
        inherit_in_trios(n_alt);
        // Multi-allelic sites usually carry one 1/2 call.
        if (n_alt >= 2 && rng_.chance(0.3)) {
            const size_t i = founder(rng_.below(founders()));
            gt_a_[i] = 1;
            gt_b_[i] = 2;
            gt_flags_[i] &= ~kMissing;
        }
        // Every ALT is seen at least once, as in a joint-called VCF: give an unobserved ALT to a
        // homozygous-reference sample (never taking the only copy of another ALT).
        for (int a = 1; a <= n_alt; ++a) {
            bool seen = false;
            for (int i = 0; i < S && !seen; ++i)
                seen = !(gt_flags_[i] & kMissing) && (gt_a_[i] == a || gt_b_[i] == a);
            if (seen) continue;
            const size_t start = rng_.below(founders());
            for (size_t k = 0; k < founders(); ++k) {
                const size_t i = founder((start + k) % founders());
                if ((gt_a_[i] == 0 && gt_b_[i] == 0) || gt_flags_[i] & kMissing) {
                    gt_a_[i] = 0;
                    gt_b_[i] = static_cast<uint8_t>(a);
                    gt_flags_[i] &= ~kMissing;
                    break;
                }
            }
        }
        count_alleles();
    }

    // AN and AC of the calls drawn (after making the hemizygous calls haploid).
    void count_alleles() {
        for (int i = 0; i < opt_.samples; ++i) {
            if (haploid(i)) gt_a_[i] = gt_b_[i] = gt_b_[i] ? gt_b_[i] : gt_a_[i];
            if (gt_flags_[i] & kMissing) continue;
            an_ += haploid(i) ? 1 : 2;
            info_dp_ += gt_dp_[i];
            if (gt_a_[i]) ++ac_[gt_a_[i] - 1];
            if (gt_b_[i] && !haploid(i)) ++ac_[gt_b_[i] - 1];
        }
    }

    // With --trios, sons and fathers are male: one X between the two PARs (GRCh38 bounds, as the
    // contig lengths), written as a haploid call.
    bool haploid(int i) const { return hemizygous_x_ && i < 3 * opt_.trios && i % 3 != 2; }

    // Samples that are not a trio's child, numbered 0..founders()-1: the fix-ups that make a
    // record valid (an ALT nobody carries, a 1/2 call) change founders only, so that children
    // stay as inherited. Without --trios every sample is a founder, numbered as itself.
    size_t founders() const { return static_cast<size_t>(opt_.samples - opt_.trios); }
    size_t founder(size_t j) const {
        const size_t parents = 2 * static_cast<size_t>(opt_.trios);
        return j < parents ? 3 * (j / 2) + 1 + j % 2 : j + static_cast<size_t>(opt_.trios);
    }

    // Children of --trios take one allele of each parent (father's first, as a phased child
    // reads paternal|maternal); rarely a parent's allele is replaced by a new ALT (a de novo).
    // Runs before the fix-ups below, which may add the rare Mendelian error a real file has.
    void inherit_in_trios(int n_alt) {
        for (int t = 0; t < opt_.trios; ++t) {
            const int kid = 3 * t, dad = kid + 1, mom = kid + 2;
            const uint64_t r = rng_.next();
            gt_a_[kid] = (r & 1) ? gt_b_[dad] : gt_a_[dad];
            gt_b_[kid] = (r & 2) ? gt_b_[mom] : gt_a_[mom];
            if (static_cast<double>(r >> 11) * 0x1p-53 < kDeNovoRate) {
                uint8_t& allele = (r & 4) ? gt_b_[kid] : gt_a_[kid];
                if (allele == 0) allele = static_cast<uint8_t>(1 + ((r >> 3) & 7) % n_alt);
            }
            if (haploid(kid)) gt_a_[kid] = gt_b_[kid];  // a son's X is his mother's
        }
    }

    void star_genotypes() {
        const double af = draw_af();
        const int64_t del_ac = ac_[0];
        ac_.assign(2, 0);
        info_dp_ = 0;
        const int S = opt_.samples;
        if (S == 0) {
            ac_[0] = std::clamp<int64_t>(std::llround(af * static_cast<double>(an_)), 1,
                                         std::max<int64_t>(1, an_ - del_ac));
            ac_[1] = del_ac;
            info_dp_ = cohort_ * 30 + static_cast<int64_t>(rng_.below(cohort_ * 4));
            return;
        }
        const uint64_t cut = static_cast<uint64_t>((1.0 - af) * 4294967296.0);
        for (int i = 0; i < S; ++i) {
            const uint64_t r = rng_.next();
            gt_a_[i] = gt_a_[i] ? 2 : (r & 0xffffffffULL) >= cut;
            gt_b_[i] = gt_b_[i] ? 2 : (r >> 32) >= cut;
        }
        inherit_in_trios(2);
        bool seen = false;
        for (int i = 0; i < S && !seen; ++i)
            seen = !(gt_flags_[i] & kMissing) && (gt_a_[i] == 1 || gt_b_[i] == 1);
        if (!seen) {
            const size_t start = rng_.below(founders());
            for (size_t k = 0; k < founders(); ++k) {
                const size_t i = founder((start + k) % founders());
                if (gt_flags_[i] & kMissing) continue;
                if (gt_a_[i] == 0)
                    gt_a_[i] = 1;
                else if (gt_b_[i] == 0)
                    gt_b_[i] = 1;
                else
                    continue;
                break;
            }
        }
        an_ = 0;
        count_alleles();
    }

    void put_samples(std::string& s) {
        s += "\tGT:DP:GQ";
        const int S = opt_.samples;
        for (int i = 0; i < S; ++i) {
            if (gt_flags_[i] & kMissing) {
                s += haploid(i) ? "\t.:.:." : "\t./.:.:.";
                continue;
            }
            uint8_t a = gt_a_[i], b = gt_b_[i];
            if (haploid(i)) {
                s += '\t';
                s += static_cast<char>('0' + a);
                s += ':';
                put_int(s, gt_dp_[i]);
                s += ':';
                put_int(s, std::min(a ? 3 * gt_dp_[i] : (gt_dp_[i] >= 12 ? 99 : 8 * gt_dp_[i] + 3),
                                    99));
                continue;
            }
            const bool phased = gt_flags_[i] & kPhased;
            if (!phased && a > b) std::swap(a, b);
            char g[4] = {static_cast<char>('0' + a), phased ? '|' : '/', static_cast<char>('0' + b),
                         ':'};
            s += '\t';
            s.append(g, 4);
            const int dp = gt_dp_[i];
            put_int(s, dp);
            s += ':';
            int gq;
            if (a == 0 && b == 0)
                gq = dp >= 12 ? 99 : 8 * dp + 3;
            else if (a == b)
                gq = 3 * dp;
            else
                gq = 2 * dp + dp % 7;
            put_int(s, std::min(gq, 99));
        }
    }

    // ---- annotations ---------------------------------------------------------------------
    const Gene& gene_at(int64_t pos) {
        const int64_t block = (pos - 1) / block_len_;
        if (block != gene_.block) gene_ = make_gene(*contig_, block_len_, block);
        return gene_;
    }

    // Decompose one ALT against REF into the bases it changes (common suffix, then prefix,
    // trimmed, keeping the anchor base of an indel).
    AltInfo describe(int64_t pos, std::string_view ref, std::string_view alt) const {
        AltInfo d;
        d.pos = pos;
        if (alt == "*") {
            d.type = AltInfo::Overlap;
            return d;
        }
        if (alt.front() == '<') {
            d.type = AltInfo::Symbolic;
            return d;
        }
        if (alt.find_first_of("[]") != std::string_view::npos) {
            d.type = AltInfo::Breakend;
            return d;
        }
        while (ref.size() > 1 && alt.size() > 1 && ref.back() == alt.back()) {
            ref.remove_suffix(1);
            alt.remove_suffix(1);
        }
        if (ref.size() == alt.size()) {
            size_t i = 0;
            while (i < ref.size() && ref[i] == alt[i]) ++i;
            size_t j = ref.size();
            while (j > i && ref[j - 1] == alt[j - 1]) --j;
            d.type = j - i == 1 ? AltInfo::Snv : AltInfo::Mnv;
            d.pos = pos + static_cast<int64_t>(i);
            d.ref_seq = ref.substr(i, j - i);
            d.alt_seq = alt.substr(i, j - i);
        } else if (alt.size() == 1) {
            d.type = AltInfo::Del;
            d.pos = pos + 1;
            d.ref_seq = ref.substr(1);
        } else if (ref.size() == 1) {
            d.type = AltInfo::Ins;
            d.alt_seq = alt.substr(1);
        } else {
            d.type = AltInfo::Mnv;  // complex: shown as delins
            d.ref_seq = ref;
            d.alt_seq = alt;
        }
        return d;
    }

    static constexpr const char* kAminoAcids[] = {"Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu",
                                                  "Gly", "His", "Ile", "Leu", "Lys", "Met", "Phe",
                                                  "Pro", "Ser", "Thr", "Trp", "Tyr", "Val"};
    const char* amino_acid() { return kAminoAcids[rng_.below(20)]; }

    // Appends one ANN entry for ALT allele text `allele`, described by d.
    void put_ann_entry(std::string& s, std::string_view allele, const AltInfo& d, int64_t sv_end) {
        const Gene& g = gene_at(d.pos);
        hgvs_.clear();
        const Site site = locate(g, d.pos, nullptr);
        const char* effect = nullptr;
        const char* impact = "MODIFIER";
        protein_.clear();
        const bool genic = site.region != Region::Intergenic && site.region != Region::Upstream &&
                           site.region != Region::Downstream;

        if (d.type == AltInfo::Symbolic || d.type == AltInfo::Breakend) {
            const bool overlaps = sv_end >= g.body_start && d.pos <= g.body_end;
            if (d.type == AltInfo::Symbolic && overlaps && allele != "<INS>") {
                if (allele == "<DEL>")
                    effect = "exon_loss_variant", impact = "HIGH";
                else if (allele == "<DUP>")
                    effect = "duplication", impact = "HIGH";
                else
                    effect = "inversion", impact = "HIGH";
            } else if (site.region == Region::Cds || site.region == Region::Utr5 ||
                       site.region == Region::Utr3 || site.region == Region::NcExon) {
                effect = "exon_loss_variant", impact = "HIGH";
            }
        } else {
            hgvs_c(d, g, site);
            switch (site.region) {
                case Region::Cds:
                    coding_effect(d, site, effect, impact);
                    break;
                case Region::SpliceCore:
                    effect = site.donor ? "splice_donor_variant&intron_variant"
                                        : "splice_acceptor_variant&intron_variant";
                    impact = "HIGH";
                    break;
                case Region::SpliceRegion:
                    effect = "splice_region_variant&intron_variant";
                    impact = "LOW";
                    break;
                default:
                    break;
            }
        }
        if (!effect) {
            switch (site.region) {
                case Region::Intergenic:
                    effect = "intergenic_region";
                    break;
                case Region::Upstream:
                    effect = "upstream_gene_variant";
                    break;
                case Region::Downstream:
                    effect = "downstream_gene_variant";
                    break;
                case Region::Utr5:
                    effect = "5_prime_UTR_variant";
                    break;
                case Region::Utr3:
                    effect = "3_prime_UTR_variant";
                    break;
                case Region::NcExon:
                    effect = "non_coding_transcript_exon_variant";
                    break;
                default:
                    effect = "intron_variant";
                    break;
            }
        }

        s.append(allele);
        s += '|';
        s += effect;
        s += '|';
        s += impact;
        s += '|';
        if (site.region == Region::Intergenic) {
            // SnpEff names the flanking genes: "LEFT-RIGHT" in genomic order.
            const bool left_side = d.pos < g.body_start;
            auto name_pair = [&](bool ids) {
                auto one = [&](int64_t block) {
                    if (block < 0)
                        s += "CHR_START";
                    else if (block >= g.blocks)
                        s += "CHR_END";
                    else if (ids)
                        put_gene_id(s, g.ordinal - g.block + block);
                    else
                        put_gene_name(s, g.ordinal - g.block + block);
                };
                one(left_side ? g.block - 1 : g.block);
                s += '-';
                one(left_side ? g.block : g.block + 1);
            };
            name_pair(false);
            s += '|';
            name_pair(true);
            s += "|intergenic_region|";
            name_pair(true);
            s += "|||";
            s += hgvs_;
            s += "||||||";
            return;
        }
        put_gene_name(s, g.ordinal);
        s += '|';
        put_gene_id(s, g.ordinal);
        s += "|transcript|";
        put_transcript_id(s, g.ordinal, 0);
        s += g.coding ? "|protein_coding|" : "|lncRNA|";
        if (genic && site.rank > 0) {
            put_int(s, site.rank);
            s += '/';
            put_int(s, site.rank_of);
        }
        s += '|';
        s += hgvs_;
        s += '|';
        s += protein_;
        s += '|';
        const bool exonic = site.region == Region::Cds || site.region == Region::Utr5 ||
                            site.region == Region::Utr3 || site.region == Region::NcExon;
        if (exonic && d.type != AltInfo::Symbolic && d.type != AltInfo::Breakend) {
            put_int(s, site.tx_pos);
            s += '/';
            put_int(s, g.tx_len);
        }
        s += '|';
        if (site.region == Region::Cds && d.type != AltInfo::Symbolic &&
            d.type != AltInfo::Breakend) {
            put_int(s, site.cds_pos);
            s += '/';
            put_int(s, g.cds_len);
            s += '|';
            put_int(s, (site.cds_pos + 2) / 3);
            s += '/';
            put_int(s, g.cds_len / 3);
        } else {
            s += '|';
        }
        s += '|';
        if (site.distance > 0) put_int(s, site.distance);
        s += '|';
        if (site.region == Region::Cds && (d.type == AltInfo::Ins || d.type == AltInfo::Del) &&
            rng_.chance(0.1))
            s += "INFO_REALIGN_3_PRIME";

        // A second, non-coding isoform for some genes, as SnpEff lists every transcript.
        if (genic && g.transcripts > 1 && d.type != AltInfo::Symbolic &&
            d.type != AltInfo::Breakend) {
            static constexpr const char* kIsoforms[] = {"retained_intron", "processed_transcript",
                                                        "nonsense_mediated_decay"};
            s += ',';
            s.append(allele);
            s += exonic ? "|non_coding_transcript_exon_variant|MODIFIER|"
                        : "|intron_variant|MODIFIER|";
            put_gene_name(s, g.ordinal);
            s += '|';
            put_gene_id(s, g.ordinal);
            s += "|transcript|";
            put_transcript_id(s, g.ordinal, 1);
            s += '|';
            s += kIsoforms[g.salt % 3];
            s += '|';
            put_int(s, site.rank);
            s += '/';
            put_int(s, site.rank_of);
            s += "|n.";
            s.append(hgvs_.begin() + 2, hgvs_.end());
            s += "||||||";
        }
    }

    void hgvs_c(const AltInfo& d, const Gene& g, const Site& site) {
        const bool genic_tx = site.region != Region::Intergenic;
        hgvs_ = (genic_tx && g.coding) ? "c." : "n.";
        const bool rc = genic_tx && g.minus;
        auto seq = [&](const std::string& x) {
            if (!rc) {
                hgvs_ += x;
                return;
            }
            for (auto it = x.rbegin(); it != x.rend(); ++it) hgvs_ += complement(*it);
        };
        auto range = [&](int64_t lo, int64_t hi) {
            // Transcript order: on the minus strand the higher genomic position comes first.
            locate(g, rc ? hi : lo, &hgvs_);
            if (hi != lo) {
                hgvs_ += '_';
                locate(g, rc ? lo : hi, &hgvs_);
            }
        };
        switch (d.type) {
            case AltInfo::Snv:
                range(d.pos, d.pos);
                seq(d.ref_seq);
                hgvs_ += '>';
                seq(d.alt_seq);
                break;
            case AltInfo::Mnv:
                range(d.pos, d.pos + static_cast<int64_t>(d.ref_seq.size()) - 1);
                hgvs_ += "delins";
                seq(d.alt_seq);
                break;
            case AltInfo::Del:
                range(d.pos, d.pos + static_cast<int64_t>(d.ref_seq.size()) - 1);
                hgvs_ += "del";
                seq(d.ref_seq);
                break;
            case AltInfo::Ins:
                range(d.pos, d.pos + 1);
                hgvs_ += "ins";
                seq(d.alt_seq);
                break;
            default:
                break;
        }
    }

    void coding_effect(const AltInfo& d, const Site& site, const char*& effect,
                       const char*& impact) {
        const int64_t aa = (site.cds_pos + 2) / 3;
        auto protein = [&](const char* from, const char* to, const char* tail = "") {
            protein_ = "p.";
            protein_ += from;
            put_int(protein_, aa);
            protein_ += to;
            protein_ += tail;
        };
        if (d.type == AltInfo::Ins || d.type == AltInfo::Del) {
            const size_t len = d.type == AltInfo::Ins ? d.alt_seq.size() : d.ref_seq.size();
            if (len % 3 != 0) {
                effect = "frameshift_variant", impact = "HIGH";
                protein(amino_acid(), "fs");
            } else if (d.type == AltInfo::Del) {
                effect = "conservative_inframe_deletion", impact = "MODERATE";
                protein(amino_acid(), "del");
            } else {
                effect = "conservative_inframe_insertion", impact = "MODERATE";
                protein(amino_acid(), "_");
                protein_ += amino_acid();
                put_int(protein_, aa + 1);
                protein_ += "ins";
                for (size_t k = 0; k < len / 3; ++k) protein_ += amino_acid();
            }
            return;
        }
        const double u = rng_.uniform();
        if (site.cds_pos <= 3 && u < 0.5) {
            effect = "start_lost", impact = "HIGH";
            protein_ = "p.Met1?";
        } else if (u < 0.03) {
            effect = "stop_gained", impact = "HIGH";
            protein(amino_acid(), "*");
        } else if (u < 0.035) {
            effect = "stop_lost", impact = "HIGH";
            protein("*", amino_acid(), "ext*?");
        } else if (u < 0.67 || d.type == AltInfo::Mnv) {
            effect = "missense_variant", impact = "MODERATE";
            const char* from = amino_acid();
            const char* to;
            do to = amino_acid();
            while (to == from);
            protein(from, to);
        } else {
            effect = "synonymous_variant", impact = "LOW";
            const char* same = amino_acid();
            protein(same, same);
        }
    }

    // ---- one record ------------------------------------------------------------------------
    void emit(int64_t pos, int64_t sv_end, std::string_view svtype, int64_t svlen,
              std::string_view mate) {
        std::string& s = out_.buf();
        const int n_alt = static_cast<int>(alts_.size());
        hemizygous_x_ = opt_.trios > 0 && (contig_->name == "chrX" || contig_->name == "X") &&
                        pos > 2781479 && pos < 155701383;
        // A '*' record directly follows the deletion it lies in (whose calls are still in the
        // buffers): the deletion's carriers carry '*' here.
        if (n_alt == 2 && alts_[1] == "*")
            star_genotypes();
        else
            draw_genotypes(n_alt);

        s += contig_->name;
        s += '\t';
        put_int(s, pos);
        s += '\t';
        s += id_;
        s += '\t';
        s += ref_;
        s += '\t';
        for (int a = 0; a < n_alt; ++a) {
            if (a) s += ',';
            s += alts_[a];
        }
        s += '\t';
        const bool low = rng_.chance(kLowQual);
        const int64_t qual =
            low ? rng_.between(300, 2999) : static_cast<int64_t>(rng_.log_uniform(3000, 2000000));
        put_qual(s, qual);
        s += low ? "\tLowQual\tAC=" : "\tPASS\tAC=";
        for (int a = 0; a < n_alt; ++a) {
            if (a) s += ',';
            put_int(s, ac_[a]);
        }
        s += ";AF=";
        for (int a = 0; a < n_alt; ++a) {
            if (a) s += ',';
            put_float(s, an_ > 0 ? static_cast<double>(ac_[a]) / static_cast<double>(an_) : 0.0, 4);
        }
        s += ";AN=";
        put_int(s, an_);
        s += ";DP=";
        put_int(s, info_dp_);
        if (!svtype.empty()) {
            s += ";SVTYPE=";
            s += svtype;
            if (svtype != "BND") {
                s += ";END=";
                put_int(s, sv_end);
                s += ";SVLEN=";
                put_int(s, svlen);
            } else {
                s += ";MATEID=";
                s += mate;
            }
        }
        bool first_ann = true;
        for (int a = 0; a < n_alt; ++a) {
            const AltInfo d = describe(pos, ref_, alts_[a]);
            if (d.type == AltInfo::Overlap) continue;
            s += first_ann ? ";ANN=" : ",";
            first_ann = false;
            put_ann_entry(s, alts_[a], d, sv_end);
        }
        if (opt_.samples > 0) put_samples(s);
        s += '\n';
        out_.maybe_flush();
    }

    void generate_contig(const Contig& c) {
        contig_ = &c;
        gene_ = Gene{};
        int64_t pos = 0;
        // Pending overlap: a '*' record inside the last deletion, or the mate of a breakend.
        int64_t del_pos = 0, del_len = 0, mate_pos = 0, mate_of = 0;
        int64_t bnd_count = 0, sv_count = 0;
        for (int64_t i = 0; i < c.records; ++i, ++ordinal_) {
            const int64_t remaining = c.records - i;
            ref_.clear();
            alts_.clear();
            if (mate_pos) {
                pos = mate_pos;
                mate_pos = 0;
                id_ = "bnd_" + std::to_string(bnd_count) + "_2";
                mate_id_ = "bnd_" + std::to_string(bnd_count) + "_1";
                const char b = base(pos);
                ref_ = b;
                alts_.emplace_back();
                std::string& alt = alts_.back();
                alt = "]" + c.name + ":" + std::to_string(mate_of) + "]";
                alt += b;
                emit(pos, 0, "BND", 0, mate_id_);
                continue;
            }
            if (del_len > 0) {
                pos = del_pos + rng_.between(1, del_len);
                del_len = 0;
                make_id(ordinal_);
                const char b = base(pos);
                ref_ = b;
                alts_.emplace_back(1, snv_base(b));
                alts_.emplace_back("*");
                emit(pos, 0, {}, 0, {});
                continue;
            }
            pos = next_position(pos, remaining);
            int draw = static_cast<int>(rng_.below(1000));
            if (draw >= Mix::kSv && remaining < 2) draw = 0;  // a breakend pair needs two slots
            const char b = base(pos);

            if (draw < Mix::kSnv) {
                make_id(ordinal_);
                ref_ = b;
                alts_.emplace_back(1, snv_base(b));
            } else if (draw < Mix::kIndel) {
                make_id(ordinal_);
                const int len = rng_.geometric(0.45, kMaxIndel);
                const int del = rng_.chance(0.55) ? left_aligned_deletion(pos, len) : 0;
                if (del > 0) {
                    ref_span(ref_, pos, pos + del);
                    alts_.emplace_back(1, b);
                    if (rng_.chance(kStarAfterDeletion) && remaining > 1) {
                        del_pos = pos;
                        del_len = del;
                    }
                } else {
                    ref_ = b;
                    alts_.emplace_back(1, b);
                    insertion_seq(alts_.back(), len, b);
                }
            } else if (draw < Mix::kMnv) {
                make_id(ordinal_);
                const int len = rng_.chance(0.8) ? 2 : 3;
                ref_span(ref_, pos, pos + len - 1);
                alts_.emplace_back();
                for (char r : ref_) alts_.back() += other_base(r, r);
            } else if (draw < Mix::kMulti) {
                make_id(ordinal_);
                multi_allelic(pos);
            } else if (draw < Mix::kSv) {
                structural(pos, ++sv_count);
                continue;
            } else {
                // Breakend pair joining pos to a nearby mate (a deletion-type junction); the mate
                // is the next record, so order is kept without buffering.
                ++bnd_count;
                mate_of = pos;
                mate_pos = std::max(pos + 1, next_position(pos, remaining - 1));
                id_ = "bnd_" + std::to_string(bnd_count) + "_1";
                mate_id_ = "bnd_" + std::to_string(bnd_count) + "_2";
                ref_ = b;
                alts_.emplace_back(1, b);
                alts_.back() += "[" + c.name + ":" + std::to_string(mate_pos) + "[";
                emit(pos, 0, "BND", 0, mate_id_);
                continue;
            }
            emit(pos, 0, {}, 0, {});
        }
    }

    // 2-3 ALTs: SNV+SNV, SNV+SNV+SNV, SNV+deletion, SNV+insertion, deletion+deletion,
    // deletion+insertion. REF spans the longest deletion; other ALTs carry its tail.
    void multi_allelic(int64_t pos) {
        const char b = base(pos);
        const int shape = static_cast<int>(rng_.below(100));
        if (shape < 45) {
            ref_ = b;
            const char x = snv_base(b);
            alts_.emplace_back(1, x);
            alts_.emplace_back(1, other_base(b, x));
            if (rng_.chance(0.2)) {
                const char y = alts_[1][0];
                for (char z : {'A', 'C', 'G', 'T'})
                    if (z != b && z != x && z != y) alts_.emplace_back(1, z);
            }
            return;
        }
        const int del = left_aligned_deletion(pos, rng_.geometric(0.45, kMaxIndel / 2));
        if (shape < 65 || del == 0) {  // SNV + insertion
            ref_ = b;
            alts_.emplace_back(1, snv_base(b));
            alts_.emplace_back(1, b);
            insertion_seq(alts_.back(), rng_.geometric(0.45, kMaxIndel / 2), b);
            return;
        }
        ref_span(ref_, pos, pos + del);
        const std::string tail = ref_.substr(1);
        if (shape < 85) {  // SNV + deletion
            alts_.emplace_back(1, snv_base(b));
            alts_.back() += tail;
            alts_.emplace_back(1, b);
        } else if (shape < 93 && del >= 2) {  // two deletions of different lengths
            const int shorter = static_cast<int>(rng_.between(1, del - 1));
            // Shorter deletion: anchor then the REF bases after the deleted ones.
            if (base(pos + shorter) != b) {
                alts_.emplace_back(1, b);
                alts_.back() += ref_.substr(1 + shorter);
            } else {
                alts_.emplace_back(1, snv_base(b));
                alts_.back() += tail;
            }
            alts_.emplace_back(1, b);
        } else {  // deletion + insertion
            alts_.emplace_back(1, b);
            alts_.emplace_back(1, b);
            insertion_seq(alts_.back(), rng_.geometric(0.45, 10), b);
            alts_.back() += tail;
        }
        if (rng_.chance(0.1)) {
            const char x = other_base(b, alts_[0][0]);
            bool dup = false;
            std::string third(1, x);
            third += tail;
            for (const auto& a : alts_) dup |= a == third;
            if (!dup) alts_.push_back(std::move(third));
        }
    }

    void structural(int64_t pos, int64_t n) {
        static constexpr const char* kTypes[] = {"DEL", "DUP", "INS", "INV"};
        const int64_t t = rng_.below(100);
        const int kind = t < 40 ? 0 : t < 60 ? 1 : t < 85 ? 2 : 3;
        int64_t len = static_cast<int64_t>(rng_.log_uniform(50, kind == 2   ? 6500
                                                                : kind == 1 ? 250000
                                                                            : 100000));
        len = std::min(len, contig_->length - pos - 1);
        const int64_t end = kind == 2 ? pos : pos + len;
        id_ = "sv_";
        id_ += kTypes[kind];
        id_ += '_';
        put_int(id_, n);
        ref_ = base(pos);
        alts_.emplace_back("<");
        alts_.back() += kTypes[kind];
        alts_.back() += '>';
        emit(pos, end, kTypes[kind], kind == 0 ? -len : len, {});
    }

    static constexpr uint8_t kMissing = 1, kPhased = 2;

    Options opt_;
    Output& out_;
    Rng rng_;
    std::vector<Contig> contigs_;
    const Contig* contig_ = nullptr;
    int64_t block_len_ = 0;
    int64_t cohort_ = 0;
    int64_t ordinal_ = 0;
    Gene gene_;

    std::string id_, mate_id_, ref_, hgvs_, protein_;
    std::vector<std::string> alts_;
    std::vector<int64_t> ac_;
    int64_t an_ = 0, info_dp_ = 0;
    std::vector<int> coverage_;
    std::vector<uint8_t> gt_a_, gt_b_, gt_flags_;
    bool hemizygous_x_ = false;  // this record is on X between the PARs (see haploid())
    std::vector<uint16_t> gt_dp_;
};

// The pseudo-reference of the chosen contigs as FASTA, for checking REF and left-alignment with
// `bcftools norm -f`.
void write_fasta(const std::string& path, const std::vector<Contig>& contigs) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot create " + path);
    std::string line;
    for (const auto& c : contigs) {
        line = ">" + c.name + "\n";
        for (int64_t p = 1; p <= c.length; ++p) {
            line += ref_base(c.salt, p);
            if (p % 60 == 0 || p == c.length) line += '\n';
            if (line.size() >= (1 << 16)) {
                std::fwrite(line.data(), 1, line.size(), f);
                line.clear();
            }
        }
        std::fwrite(line.data(), 1, line.size(), f);
        line.clear();
    }
    if (std::fclose(f) != 0) throw std::runtime_error("write failed: " + path);
}

// ---------------------------------------------------------------------------------------------

void usage(FILE* f) {
    std::fputs(
        "usage: vcf_generate [options]\n"
        "  --records N     records to write (default 10000)\n"
        "  --samples S     genotype columns; 0 writes a sites-only VCF (default 0)\n"
        "  --trios T       the first 3T samples are trios (child, father, mother): children\n"
        "                  inherit one allele of each parent, rarely a de novo ALT (default 0)\n"
        "  --seed X        random seed; same arguments give byte-identical output (default 1)\n"
        "  --chroms LIST   contigs, e.g. chr1..chr22,chrX or chr1,ctg7:500000 (GRCh38 lengths\n"
        "                  for known names; default chr1..chr22,chrX)\n"
        "  -o, --output F  output file; '-' is stdout (default); a name ending .gz is BGZF\n"
        "  --threads N     extra BGZF compression threads (default 0)\n"
        "  --index         write a tabix index next to a .gz output\n"
        "  --fasta F       also write the pseudo-reference the REF alleles come from\n"
        "  -h, --help      this text\n",
        f);
}

}  // namespace

int main(int argc, char** argv) {
    Generator::Options opt;
    std::string output = "-";
    int threads = 0;
    bool index = false;
    std::string fasta;
    try {
        opt.command_line = "vcf_generate";
        for (int i = 1; i < argc; ++i) {
            const std::string_view a = argv[i];
            auto value = [&]() -> std::string_view {
                if (i + 1 >= argc) throw std::invalid_argument(std::string(a) + " needs a value");
                return argv[++i];
            };
            auto record = [&](std::string_view v) {
                opt.command_line += ' ';
                opt.command_line += a;
                opt.command_line += ' ';
                opt.command_line += v;
            };
            if (a == "-h" || a == "--help") {
                usage(stdout);
                return 0;
            } else if (a == "--records") {
                const auto v = value();
                opt.records = parse_int(v, "--records");
                if (opt.records < 0) throw std::invalid_argument("--records must be >= 0");
                record(v);
            } else if (a == "--samples") {
                const auto v = value();
                const int64_t s = parse_int(v, "--samples");
                if (s < 0 || s > 1000000) throw std::invalid_argument("--samples out of range");
                opt.samples = static_cast<int>(s);
                record(v);
            } else if (a == "--trios") {
                const auto v = value();
                opt.trios = static_cast<int>(parse_int(v, "--trios"));
                if (opt.trios < 0) throw std::invalid_argument("--trios must be >= 0");
                record(v);
            } else if (a == "--seed") {
                const auto v = value();
                opt.seed = static_cast<uint64_t>(parse_int(v, "--seed"));
                record(v);
            } else if (a == "--chroms") {
                const auto v = value();
                opt.chroms = v;
                record(v);
            } else if (a == "-o" || a == "--output") {
                output = value();
            } else if (a == "--threads") {
                threads = static_cast<int>(parse_int(value(), "--threads"));
            } else if (a == "--fasta") {
                fasta = value();
            } else if (a == "--index") {
                index = true;
            } else {
                throw std::invalid_argument("unknown option '" + std::string(a) + "'");
            }
        }
        if (3 * static_cast<int64_t>(opt.trios) > opt.samples)
            throw std::invalid_argument("--trios " + std::to_string(opt.trios) + " needs " +
                                        std::to_string(3 * opt.trios) + " samples");
        Output out;
        out.open(output, threads);
        if (index && !out.bgzipped())
            throw std::invalid_argument("--index needs an output name ending in .gz");
        Generator gen(opt, out);
        gen.run();
        out.close();
        if (!fasta.empty()) write_fasta(fasta, gen.contigs());
        if (index) {
            int64_t longest = 0;
            for (const auto& c : gen.contigs()) longest = std::max(longest, c.length);
            // TBI cannot address beyond 2^29; fall back to CSI for longer contigs.
            const int min_shift = longest >= (int64_t{1} << 29) ? 14 : 0;
            if (tbx_index_build(output.c_str(), min_shift, &tbx_conf_vcf) != 0)
                throw std::runtime_error("cannot index " + output);
        }
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "vcf_generate: %s\n", e.what());
        usage(stderr);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vcf_generate: %s\n", e.what());
        return 1;
    }
    return 0;
}
