#include "compare/genotype_concordance.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace vcfagent::compare {

namespace {

// printf-style formatting into a std::string (the bcftools lines use %f, %.3f and %.0f).
template <typename... Args>
void append(std::string& out, const char* format, Args... args) {
    const int n = std::snprintf(nullptr, 0, format, args...);
    if (n <= 0) return;
    const size_t at = out.size();
    out.resize(at + static_cast<size_t>(n) + 1);
    std::snprintf(out.data() + at, static_cast<size_t>(n) + 1, format, args...);
    out.resize(at + static_cast<size_t>(n));
}

// bcftools prints an undefined r² as "0".
void append_r2(std::string& out, const GenotypeTable& t) {
    const double r2 = t.r_squared();
    if (t.count != 0 && !std::isnan(r2))
        append(out, "\t%f", r2);
    else
        out += "\t0";
}

double percent(uint64_t part, uint64_t whole) {
    return whole ? static_cast<double>(part) * 100.0 / static_cast<double>(whole) : 0;
}

const char* kKindLetter = "si";

}  // namespace

int genotype_class(char code) {
    switch (code) {
        case kGtHomRef:
            return kHomRef;
        case kGtHet:
            return kHet;
        case kGtHomAlt:
            return kHomAlt;
        default:
            return kMissing;
    }
}

uint64_t GenotypeTable::matches() const {
    uint64_t m = 0;
    for (int j = 0; j < 4; ++j) m += n[j][j];
    return m;
}

uint64_t GenotypeTable::mismatches() const {
    uint64_t mm = 0;
    for (int j = 0; j < 4; ++j)
        for (int k = 0; k < 4; ++k)
            if (j != k) mm += n[j][k];
    return mm;
}

double GenotypeTable::nrd_percent() const {
    // bcftools' GCsS: matches are non-reference only; mismatches among RR/RA/AA.
    const uint64_t m = n[kHet][kHet] + n[kHomAlt][kHomAlt];
    uint64_t mm = 0;
    for (int j = 0; j < 3; ++j)
        for (int k = 0; k < 3; ++k)
            if (j != k) mm += n[j][k];
    return percent(mm, m + mm);
}

double GenotypeTable::r_squared() const {
    if (count == 0) return std::numeric_limits<double>::quiet_NaN();
    double r2 = yx - x * y / count;
    r2 /= std::sqrt((xx - x * x / count) * (yy - y * y / count));
    return r2 * r2;
}

GenotypeConcordance::GenotypeConcordance(std::vector<SamplePair> pairs, size_t samples_a,
                                         size_t samples_b)
    : pairs_(std::move(pairs)), n_bins_(std::max<size_t>({101, samples_a + 1, samples_b + 1})) {
    for (int kind = 0; kind < 2; ++kind) {
        by_sample_[kind].resize(pairs_.size());
        by_af_[kind].resize(n_bins_);
    }
}

int GenotypeConcordance::af_bin(const ComparedSite& site) const {
    if (site.ac < 0 || site.an < 0 || site.ac == 1) return 0;  // singleton or unknown
    if (site.an == 0) return 1;
    // Single precision and truncation, as bcftools bins.
    float af = static_cast<float>(site.ac) / static_cast<float>(site.an);
    af = std::clamp(af, 0.0f, 1.0f);
    const int i = static_cast<int>(af * static_cast<float>(n_bins_ - 2));
    return i + 1;
}

double GenotypeConcordance::bin_af(size_t i) const {
    return static_cast<double>(i - 1) / static_cast<double>(n_bins_ - 1);
}

void GenotypeConcordance::add(const ComparedSite& a, const ComparedSite& b) {
    if (a.gt.empty() || b.gt.empty()) return;
    const int kind = a.vclass == vcf::VariantClass::Snv ? kSnps : kIndels;
    const size_t bin = static_cast<size_t>(af_bin(a));
    ++sites_[kind];
    GenotypeTable& af = by_af_[kind][bin];
    for (size_t p = 0; p < pairs_.size(); ++p) {
        const int ca = genotype_class(a.gt[pairs_[p].a_index]);
        const int cb = genotype_class(b.gt[pairs_[p].b_index]);
        GenotypeTable& s = by_sample_[kind][p];
        ++s.n[ca][cb];
        ++af.n[ca][cb];
        if (ca == kMissing || cb == kMissing) continue;
        const double y = ca, x = cb;  // dosages: the class index is the ALT count
        for (GenotypeTable* t : {&s, &af}) {
            t->yx += y * x;
            t->x += x;
            t->xx += x * x;
            t->y += y;
            t->yy += y * y;
            t->count += 1;
        }
    }
}

GenotypeConcordance::Discordance GenotypeConcordance::overall(int kind) const {
    uint64_t m[4] = {0, 0, 0, 0}, mm[4] = {0, 0, 0, 0};
    for (const auto& t : by_af_[kind])
        for (int j = 0; j < 4; ++j)
            for (int k = 0; k < 4; ++k) (j == k ? m[j] : mm[j]) += t.n[j][k];
    Discordance d;
    d.nrd =
        percent(mm[0] + mm[1] + mm[2] + mm[3], m[1] + m[2] + m[3] + mm[0] + mm[1] + mm[2] + mm[3]);
    d.rr = percent(mm[0], m[0] + mm[0]);
    d.ra = percent(mm[1], m[1] + mm[1]);
    d.aa = percent(mm[2], m[2] + mm[2]);
    d.matches = m[0] + m[1] + m[2] + m[3];
    d.mismatches = mm[0] + mm[1] + mm[2] + mm[3];
    return d;
}

std::vector<GenotypeConcordance::AfRow> GenotypeConcordance::af_rows(int kind) const {
    std::vector<AfRow> out;
    const auto& bins = by_af_[kind];
    for (size_t i = 1; i < bins.size(); ++i) {
        AfRow row;
        row.table = bins[i];
        if (i == 1) {
            // bcftools moves the singleton bin's r² sums into bin 1, all but x.
            row.table.y += bins[0].y;
            row.table.yy += bins[0].yy;
            row.table.xx += bins[0].xx;
            row.table.yx += bins[0].yx;
            row.table.count += bins[0].count;
        }
        uint64_t n = 0;
        for (int j = 0; j < 4; ++j)
            for (int k = 0; k < 4; ++k) {
                n += bins[i].n[j][k];
                if (j < 3) (j == k ? row.matches[j] : row.mismatches[j]) += bins[i].n[j][k];
            }
        if (n == 0) continue;
        row.af = bin_af(i);
        out.push_back(row);
    }
    return out;
}

std::string GenotypeConcordance::bcftools_sections() const {
    std::string out;
    static const char* kAfTitle[2] = {"SNPs", "indels"};
    for (int kind = 0; kind < 2; ++kind) {
        const char c = kKindLetter[kind];
        append(out,
               "# GC%cAF, Genotype concordance by non-reference allele frequency (%s)\n"
               "# GC%cAF\t[2]id\t[3]allele frequency\t[4]RR Hom matches\t[5]RA Het matches"
               "\t[6]AA Hom matches\t[7]RR Hom mismatches\t[8]RA Het mismatches"
               "\t[9]AA Hom mismatches\t[10]dosage r-squared\t[11]number of genotypes\n",
               c, kAfTitle[kind], c);
        for (const AfRow& row : af_rows(kind)) {
            append(out, "GC%cAF\t2\t%f", c, row.af);
            for (uint64_t v : row.matches)
                append(out, "\t%llu", static_cast<unsigned long long>(v));
            for (uint64_t v : row.mismatches)
                append(out, "\t%llu", static_cast<unsigned long long>(v));
            append_r2(out, row.table);
            append(out, "\t%.0f\n", row.table.count);
        }
        const Discordance d = overall(kind);
        append(out,
               "# Non-Reference Discordance (NRD), %s\n"
               "# NRD%c\t[2]id\t[3]NRD\t[4]Ref/Ref discordance\t[5]Ref/Alt discordance"
               "\t[6]Alt/Alt discordance\n",
               kAfTitle[kind], c);
        append(out, "NRD%c\t2\t%f\t%f\t%f\t%f\n", c, d.nrd, d.rr, d.ra, d.aa);
    }
    for (int kind = 0; kind < 2; ++kind) {
        const char c = kKindLetter[kind];
        append(out,
               "# GC%cS, Genotype concordance by sample (%s)\n"
               "# GC%cS\t[2]id\t[3]sample\t[4]non-reference discordance rate"
               "\t[5]RR Hom matches\t[6]RA Het matches\t[7]AA Hom matches"
               "\t[8]RR Hom mismatches\t[9]RA Het mismatches\t[10]AA Hom mismatches"
               "\t[11]dosage r-squared\n",
               c, kAfTitle[kind], c);
        for (size_t p = 0; p < pairs_.size(); ++p) {
            const GenotypeTable& t = by_sample_[kind][p];
            out += "GC";
            out += c;
            out += "S\t2\t" + pairs_[p].a;
            append(out, "\t%.3f", t.nrd_percent());
            for (int j = 0; j < 3; ++j)
                append(out, "\t%llu", static_cast<unsigned long long>(t.n[j][j]));
            for (int j = 0; j < 3; ++j) {
                uint64_t mm = 0;
                for (int k = 0; k < 3; ++k)
                    if (k != j) mm += t.n[j][k];
                append(out, "\t%llu", static_cast<unsigned long long>(mm));
            }
            append_r2(out, t);
            out += '\n';
        }
    }
    static const char* kClassName[5] = {"RR Hom", "RA Het", "AA Hom", "AA Het", "missing"};
    for (int kind = 0; kind < 2; ++kind) {
        const char c = kKindLetter[kind];
        append(out, "# GCT%c, Genotype concordance table (%s)\n# GCT%c\t[2]sample", c,
               kAfTitle[kind], c);
        int col = 3;
        for (int j = 0; j < 5; ++j)
            for (int k = 0; k < 5; ++k)
                append(out, "\t[%d]%s -> %s", col++, kClassName[j], kClassName[k]);
        out += '\n';
        for (size_t p = 0; p < pairs_.size(); ++p) {
            out += "GCT";
            out += c;
            out += '\t' + pairs_[p].a;
            for (int j = 0; j < 5; ++j)
                for (int k = 0; k < 5; ++k)
                    append(out, "\t%llu",
                           static_cast<unsigned long long>(by_sample_[kind][p].n[j][k]));
            out += '\n';
        }
    }
    return out;
}

}  // namespace vcfagent::compare
