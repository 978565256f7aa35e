#include "vcf/stats.hpp"

#include <htslib/vcfutils.h>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "common/error.hpp"
#include "vcf/stats_sections.hpp"

namespace vcfagent::vcf {

namespace {

// Base code with A,C,G,T = 0,1,2,3 so that transitions (A<->G, C<->T) differ by exactly 2.
// Only the first character of an allele is looked at, as bcftools does.
int base_code(char c) {
    switch (c) {
        case 'A':
        case 'a':
            return 0;
        case 'C':
        case 'c':
            return 1;
        case 'G':
        case 'g':
            return 2;
        case 'T':
        case 't':
            return 3;
        default:
            return -1;
    }
}

bool is_transition(int ref, int alt) {
    return std::abs(ref - alt) == 2;
}

float ratio(uint64_t num, uint64_t den) {
    return den ? static_cast<float>(num) / static_cast<float>(den) : 0.0f;
}

void appendf(std::string& out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string& out, const char* fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    const int n = std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (static_cast<size_t>(n) < sizeof buf) {
        out.append(buf, static_cast<size_t>(n));
        return;
    }
    std::string big(static_cast<size_t>(n) + 1, '\0');
    va_start(ap, fmt);
    std::vsnprintf(big.data(), big.size(), fmt, ap);
    va_end(ap);
    big.resize(static_cast<size_t>(n));
    out += big;
}

// The value the text output shows, as a JSON number (e.g. 3.05 for "%.2f").
double rounded(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return std::strtod(buf, nullptr);
}

// The DP-section bin of a depth (see VcfStats::depth_genotypes).
size_t depth_bin(int64_t depth) {
    if (depth < 0) return 0;
    if (depth > kMaxDepth) return kMaxDepth + 3;
    return static_cast<size_t>(depth) + 1;
}

// Integer FORMAT values of one sample; `missing`/`vector_end` are the sentinels of type T.
template <typename T>
void add_depth_typed(const bcf_fmt_t* fmt, bool sum_vector, const std::vector<int>& columns,
                     std::vector<SampleStats>& out, std::vector<uint64_t>& histogram, T missing,
                     T vector_end) {
    for (size_t k = 0; k < columns.size(); ++k) {
        // htslib packs FORMAT values without alignment: read them with memcpy.
        const uint8_t* p = fmt->p + static_cast<size_t>(fmt->size) * columns[k];
        int64_t depth = 0;
        bool has_value = false;
        const int n = sum_vector ? fmt->n : 1;
        for (int i = 0; i < n; ++i) {
            T value;
            std::memcpy(&value, p + sizeof(T) * static_cast<size_t>(i), sizeof value);
            if (value == vector_end) break;
            if (value == missing) continue;
            depth += value;
            has_value = true;
        }
        if (!has_value) continue;
        out[k].depth_sum += static_cast<uint64_t>(depth);
        ++out[k].depth_n;
        ++histogram[depth_bin(depth)];
    }
}

void add_depth_values(const bcf_fmt_t* fmt, bool sum_vector, const std::vector<int>& columns,
                      std::vector<SampleStats>& out, std::vector<uint64_t>& histogram) {
    switch (fmt->type) {
        case BCF_BT_INT8:
            add_depth_typed<int8_t>(fmt, sum_vector, columns, out, histogram, bcf_int8_missing,
                                    bcf_int8_vector_end);
            break;
        case BCF_BT_INT16:
            add_depth_typed<int16_t>(fmt, sum_vector, columns, out, histogram, bcf_int16_missing,
                                     bcf_int16_vector_end);
            break;
        case BCF_BT_INT32:
            add_depth_typed<int32_t>(fmt, sum_vector, columns, out, histogram, bcf_int32_missing,
                                     bcf_int32_vector_end);
            break;
        default:  // a Float-typed DP/AD header: not a depth we can count
            break;
    }
}

// Value `i` of an integer-typed INFO/FORMAT vector at `p`, sign-extended as stored (the
// missing and end-of-vector sentinels keep their narrow values). False for other types.
bool raw_int(const uint8_t* p, int type, int i, int32_t& out) {
    switch (type) {
        case BCF_BT_INT8: {
            int8_t v;
            std::memcpy(&v, p + i, sizeof v);
            out = v;
            return true;
        }
        case BCF_BT_INT16: {
            int16_t v;
            std::memcpy(&v, p + 2 * i, sizeof v);
            out = v;
            return true;
        }
        case BCF_BT_INT32:
            std::memcpy(&out, p + 4 * i, sizeof out);
            return true;
        default:
            return false;
    }
}

// As raw_int, with the sentinels mapped to bcf_int32_missing / bcf_int32_vector_end.
bool int_value(const uint8_t* p, int type, int i, int32_t& out) {
    if (!raw_int(p, type, i, out)) return false;
    if (type == BCF_BT_INT8) {
        if (out == bcf_int8_missing) out = bcf_int32_missing;
        if (out == bcf_int8_vector_end) out = bcf_int32_vector_end;
    } else if (type == BCF_BT_INT16) {
        if (out == bcf_int16_missing) out = bcf_int32_missing;
        if (out == bcf_int16_vector_end) out = bcf_int32_vector_end;
    }
    return true;
}

// The QUAL-section value of a record: 1 + 10 * QUAL truncated, 0 for missing or negative.
// Bounded so that absurd values cannot overflow the conversion.
uint32_t quality_value(float qual) {
    if (std::isnan(qual) || qual < 0) return 0;
    const float scaled = qual * 10;  // single precision, as bcftools multiplies
    if (scaled >= 4.0e9f) return 4000000000u;
    return 1 + static_cast<uint32_t>(static_cast<int64_t>(scaled));
}

// LogBins layout (bcftools dist_init(5)): values up to kExact have a bin each; above, each
// decade has kPerLevel bins.
constexpr int kExactPower = 5;
constexpr uint32_t kExact = 100000;
constexpr uint32_t kPerLevel = kExact - kExact / 10;

}  // namespace

void LogBins::add(uint32_t value) {
    size_t bin;
    if (value <= kExact) {
        bin = value;
    } else {
        const int power = static_cast<int>(std::log10(value));
        const int level = power - kExactPower + 1;
        const auto step = static_cast<uint32_t>(std::pow(10, level));
        bin = static_cast<size_t>(kExact + kPerLevel * (level - 1) +
                                  (value - std::pow(10, power)) / step);
    }
    if (bin >= bins_.size()) bins_.resize(bin + 1, 0);
    ++bins_[bin];
}

uint32_t LogBins::lower_bound(size_t bin) const {
    if (bin < kExact) return static_cast<uint32_t>(bin);
    const auto level = static_cast<int>((bin - kExact) / kPerLevel + 1);
    const size_t within = bin - kExact - kPerLevel * static_cast<size_t>(level - 1);
    const auto step = static_cast<uint32_t>(std::pow(10, level));
    return static_cast<uint32_t>(std::pow(10, level + kExactPower - 1)) +
           step * static_cast<uint32_t>(within);
}

float SampleStats::average_depth() const {
    return ratio(depth_sum, depth_n);
}
float VcfStats::ts_tv() const {
    return ratio(ts, tv);
}
float VcfStats::ts_tv_alt1() const {
    return ratio(ts_alt1, tv_alt1);
}

StatsCollector::StatsCollector(const bcf_hdr_t* hdr, std::string source, int samples_in_header,
                               std::vector<int> sample_columns, bool per_sample)
    : hdr_(hdr), columns_(std::move(sample_columns)) {
    stats_.source = std::move(source);
    stats_.samples_in_header = samples_in_header;
    stats_.per_sample = per_sample;
    // bcftools sizes the AF bins by the file's samples, before any subset is applied.
    stats_.af.resize(static_cast<size_t>(std::max(101, samples_in_header + 1)));
    stats_.depth_genotypes.assign(kMaxDepth + 4, 0);
    stats_.depth_sites.assign(kMaxDepth + 4, 0);
    if (per_sample) {
        stats_.samples.resize(columns_.size());
        for (size_t k = 0; k < columns_.size(); ++k)
            stats_.samples[k].name = hdr->samples[columns_[k]];
        stats_.hwe.assign(stats_.af.size() * 100, 0);
    } else {
        columns_.clear();
    }
}

StatsCollector::~StatsCollector() {
    std::free(info_dp_);
}

void StatsCollector::add(bcf1_t* rec) {
    bcf_unpack(rec, BCF_UN_ALL);
    const int types = bcf_get_variant_types(rec);
    allele_frequency_bins(rec);
    ++stats_.records;
    const uint32_t qual = quality_value(rec->qual);
    // A record is counted once in every class it contains (a SNP+indel site in both).
    if (types == VCF_REF) ++stats_.no_alts;
    if (types & VCF_SNP) add_snp_alleles(rec, qual);
    if (types & VCF_INDEL) add_indel_alleles(rec, qual);
    if (types & VCF_MNP) ++stats_.mnps;
    if (types & VCF_OTHER) ++stats_.others;
    if (rec->n_allele > 2) {
        ++stats_.multiallelic;
        if (types == VCF_SNP) ++stats_.multiallelic_snps;
    }
    if (!columns_.empty()) {
        add_genotypes(rec);
        add_depth(rec);
    }
    add_site_depth(rec);
}

// Allele counts as htslib's bcf_calc_ac (INFO/AC and AN when both are present, else, with
// samples requested, the called alleles of the genotypes), then the AF bin of every ALT as
// bcftools' init_iaf: AC == 1 is a singleton (bin 0), no called allele bin 1. Inconsistent
// counts are errors here where htslib would end the process.
void StatsCollector::allele_frequency_bins(bcf1_t* rec) {
    const int n_allele = rec->n_allele;
    counts_.assign(static_cast<size_t>(n_allele), 0);
    af_bin_.assign(static_cast<size_t>(n_allele), 0);
    bool have_counts = false;
    const int an_id = bcf_hdr_id2int(hdr_, BCF_DT_ID, "AN");
    const int ac_id = bcf_hdr_id2int(hdr_, BCF_DT_ID, "AC");
    if (an_id >= 0 && ac_id >= 0) {
        int64_t an = -1;
        const bcf_info_t* ac = nullptr;
        for (int i = 0; i < rec->n_info; ++i) {
            const bcf_info_t* z = &rec->d.info[i];
            if (z->key == an_id)
                an = z->v1.i;
            else if (z->key == ac_id)
                ac = z;
        }
        if (an >= 0 && ac) {
            // A wrong number of AC values: htslib warns and gives no counts (all in bin 0).
            if (ac->len != n_allele - 1) return;
            int64_t sum = 0;
            for (int i = 0; i < ac->len; ++i) {
                // htslib counts the stored value as it is, a missing one included.
                int32_t raw = 0;
                if (!raw_int(ac->vptr, ac->type, i, raw))
                    throw std::invalid_argument("INFO/AC is not an integer");
                counts_[static_cast<size_t>(i) + 1] = raw;
                sum += raw;
            }
            if (an < sum)
                throw std::invalid_argument("INFO/AN (" + std::to_string(an) +
                                            ") is smaller than the sum of INFO/AC (" +
                                            std::to_string(sum) + ")");
            counts_[0] = static_cast<int>(an - sum);
            have_counts = true;
        }
    }
    if (!have_counts && stats_.per_sample) {
        const bcf_fmt_t* gt = bcf_get_fmt(hdr_, rec, "GT");
        if (!gt) return;
        for (int s = 0; s < rec->n_sample; ++s) {
            const uint8_t* p = gt->p + static_cast<size_t>(gt->size) * static_cast<size_t>(s);
            for (int i = 0; i < gt->n; ++i) {
                int32_t v = 0;
                if (!int_value(p, gt->type, i, v)) return;
                if (v == bcf_int32_vector_end) break;
                if (bcf_gt_is_missing(v)) continue;
                const int allele = bcf_gt_allele(v);
                if (allele >= n_allele)
                    throw std::invalid_argument("a genotype refers to allele " +
                                                std::to_string(allele) + " but the record has " +
                                                std::to_string(n_allele - 1) + " ALT allele(s)");
                ++counts_[static_cast<size_t>(allele)];
            }
        }
        have_counts = true;
    }
    if (!have_counts) return;
    int64_t an = 0;
    for (int c : counts_) an += c;
    const int scale = static_cast<int>(stats_.af.size()) - 2;
    for (int i = 1; i < n_allele; ++i) {
        const int ac = counts_[static_cast<size_t>(i)];
        if (ac == 1) {
            af_bin_[static_cast<size_t>(i)] = 0;
        } else if (an == 0) {
            af_bin_[static_cast<size_t>(i)] = 1;
        } else {
            float af = static_cast<float>(ac) / static_cast<float>(an);
            if (af < 0) af = 0;
            if (af > 1) af = 1;
            af_bin_[static_cast<size_t>(i)] = static_cast<int>(af * static_cast<float>(scale)) + 1;
        }
    }
}

void StatsCollector::add_snp_alleles(bcf1_t* rec, uint32_t qual) {
    ++stats_.snps;
    const int ref = base_code(rec->d.allele[0][0]);
    if (ref < 0) return;
    for (int i = 1; i < rec->n_allele; ++i) {
        if (!(bcf_get_variant_type(rec, i) & VCF_SNP)) continue;
        const int alt = base_code(rec->d.allele[i][0]);
        // A SNP inside a longer allele (AC>AT) has the same first base: not a ts nor a tv.
        if (alt < 0 || alt == ref) continue;
        ++stats_.substitutions[static_cast<size_t>(ref << 2 | alt)];
        AlleleFrequencyBin& bin = stats_.af[static_cast<size_t>(af_bin_[static_cast<size_t>(i)])];
        ++bin.snps;
        // The QUAL section counts a record by its first ALT only.
        if (is_transition(ref, alt)) {
            ++stats_.ts;
            ++bin.ts;
            if (i == 1) {
                ++stats_.ts_alt1;
                stats_.qual_ts.add(qual);
            }
        } else {
            ++stats_.tv;
            ++bin.tv;
            if (i == 1) {
                ++stats_.tv_alt1;
                stats_.qual_tv.add(qual);
            }
        }
    }
}

void StatsCollector::add_indel_alleles(bcf1_t* rec, uint32_t qual) {
    ++stats_.indels;
    stats_.qual_indels.add(qual);
    for (int i = 1; i < rec->n_allele; ++i) {
        if (!(bcf_get_variant_type(rec, i) & VCF_INDEL)) continue;
        ++stats_.af[static_cast<size_t>(af_bin_[static_cast<size_t>(i)])].indels;
        const int len = rec->d.var[i].n;  // inserted (> 0) or deleted (< 0) bases
        if (len == 0) continue;
        const int bin = std::min(std::abs(len), kMaxIndelLength) - 1;
        ++(len > 0 ? stats_.insertions : stats_.deletions)[static_cast<size_t>(bin)];
    }
}

namespace {

// The read fraction of allele `ial` against `jal` in one sample's FORMAT/AD, as bcftools'
// update_dvaf; false when either count is missing or both are zero.
bool allele_fraction(const bcf_fmt_t* ad, int column, int ial, int jal, float& out) {
    if (!ad || ial >= ad->n || jal >= ad->n) return false;
    const uint8_t* p = ad->p + static_cast<size_t>(ad->size) * static_cast<size_t>(column);
    int32_t a = 0, b = 0;
    if (!int_value(p, ad->type, ial, a) || !int_value(p, ad->type, jal, b)) return false;
    if (a == bcf_int32_vector_end || b == bcf_int32_vector_end) return false;
    if (a == bcf_int32_missing || b == bcf_int32_missing) return false;
    if (a == 0 && b == 0) return false;
    out = static_cast<float>(a) / static_cast<float>(a + b);
    return true;
}

}  // namespace

void StatsCollector::add_genotypes(bcf1_t* rec) {
    bcf_fmt_t* gt = bcf_get_fmt(hdr_, rec, "GT");
    if (!gt) return;
    const bool has_indel = bcf_get_variant_types(rec) & VCF_INDEL;
    // Indel het genotypes add their ALT's read fraction to the IDD section. bcftools reads the
    // AD of the n-th sample of the file there; we read the sample's own, which is the same when
    // all samples (or a leading run of them) are analysed.
    const bcf_fmt_t* ad = has_indel ? bcf_get_fmt(hdr_, rec, "AD") : nullptr;
    auto add_vaf = [&](int column, int ial, int jal) {
        float vaf = 0;
        if (!allele_fraction(ad, column, ial, jal, vaf)) return;
        const int len = std::clamp(rec->d.var[ial].n, -kMaxIndelLength, kMaxIndelLength);
        const auto bin = static_cast<size_t>(kMaxIndelLength + len);
        ++stats_.vaf_n[bin];
        stats_.vaf_sum[bin] += vaf;
    };
    const int ref = base_code(rec->d.allele[0][0]);
    int n_non_ref = 0;
    size_t last_non_ref = 0;
    int n_hom_ref = 0, n_het = 0, n_hom_alt = 0;  // diploid calls, for the HWE section
    for (size_t k = 0; k < columns_.size(); ++k) {
        SampleStats& s = stats_.samples[k];
        int ial = 0, jal = 0;
        const int type = bcf_gt_type(gt, columns_[k], &ial, &jal);
        if (type == GT_UNKN) {
            ++s.missing;
            continue;
        }
        // Haploid calls get their own columns and take no part in the SNP/indel/singleton counts.
        if (type == GT_HAPL_R) {
            ++s.hap_ref;
            continue;
        }
        if (type == GT_HAPL_A) {
            ++s.hap_alt;
            continue;
        }
        if (ial >= rec->n_allele || jal >= rec->n_allele)
            throw std::invalid_argument("genotype of sample " + s.name + " refers to allele " +
                                        std::to_string(ial >= rec->n_allele ? ial : jal) +
                                        " but the record has " + std::to_string(rec->n_allele - 1) +
                                        " ALT allele(s)");
        if (type != GT_HOM_RR) {
            ++n_non_ref;
            last_non_ref = k;
        }
        if (type == GT_HOM_RR)
            ++n_hom_ref;
        else if (type == GT_HET_RA)
            ++n_het;
        else
            ++n_hom_alt;
        int allele_types = 0;
        if (ial > 0) allele_types |= bcf_get_variant_type(rec, ial);
        if (jal > 0) allele_types |= bcf_get_variant_type(rec, jal);
        // Hom-ref calls (no ALT allele involved) are counted in nRefHom at every kind of site.
        if ((allele_types & VCF_SNP) || allele_types == VCF_REF) {
            if (type == GT_HET_RA || type == GT_HET_AA)
                ++s.hets;
            else if (type == GT_HOM_RR)
                ++s.ref_hom;
            else if (type == GT_HOM_AA)
                ++s.non_ref_hom;
            if (type != GT_HOM_RR && (bcf_get_variant_type(rec, ial) & VCF_SNP)) {
                const int alt = base_code(rec->d.allele[ial][0]);
                // bcftools stops looking at this genotype here (skipping its indel counts).
                if (alt < 0) continue;
                if (is_transition(ref, alt))
                    ++s.transitions;
                else
                    ++s.transversions;
            }
        }
        if (!(allele_types & VCF_INDEL) || type == GT_HOM_RR) continue;
        ++s.indels;
        if (type == GT_HET_RA || type == GT_HET_AA) {
            // An ins+del het counts in both columns.
            bool ins = false, del = false;
            for (auto [a, b] : {std::pair{ial, jal}, std::pair{jal, ial}}) {
                if (!(bcf_get_variant_type(rec, a) & VCF_INDEL)) continue;
                (rec->d.var[a].n < 0 ? del : ins) = true;
                add_vaf(columns_[k], a, b);
            }
            if (del) ++s.del_hets;
            if (ins) ++s.ins_hets;
        } else if (type == GT_HOM_AA) {
            ++(rec->d.var[ial].n < 0 ? s.del_homs : s.ins_homs);
        }
    }
    if (n_non_ref == 1) ++stats_.samples[last_non_ref].singletons;
    const int called = n_hom_ref + n_het + n_hom_alt;
    if (called) {
        const float het_fraction = static_cast<float>(n_het) / static_cast<float>(called);
        size_t bin = static_cast<size_t>(het_fraction * 99.0f);
        if (rec->n_allele > 1) bin += 100 * static_cast<size_t>(af_bin_[1]);
        ++stats_.hwe[bin];
    }
}

void StatsCollector::add_depth(bcf1_t* rec) {
    if (const bcf_fmt_t* dp = bcf_get_fmt(hdr_, rec, "DP"))
        add_depth_values(dp, false, columns_, stats_.samples, stats_.depth_genotypes);
    else if (const bcf_fmt_t* ad = bcf_get_fmt(hdr_, rec, "AD"))
        add_depth_values(ad, true, columns_, stats_.samples, stats_.depth_genotypes);
}

// INFO/DP with exactly one integer value feeds the sites column of the DP section.
void StatsCollector::add_site_depth(bcf1_t* rec) {
    if (bcf_get_info_int32(hdr_, rec, "DP", &info_dp_, &info_dp_size_) == 1)
        ++stats_.depth_sites[depth_bin(info_dp_[0])];
}

VcfStats compute_stats(const std::string& path, ReaderOptions opts, bool samples_wanted) {
    opts.drop_genotypes = !samples_wanted;
    if (!samples_wanted) opts.samples.clear();
    const std::vector<std::string> requested = opts.samples;
    VcfReader reader(path, std::move(opts));
    bcf_hdr_t* hdr = reader.header();
    // After a subset (or dropping all samples) htslib keeps the original count aside; bcftools
    // reports the file's sample count either way.
    const int in_header = hdr->keep_samples ? hdr->nsamples_ori : bcf_hdr_nsamples(hdr);

    std::vector<int> columns;
    if (samples_wanted) {
        if (bcf_hdr_nsamples(hdr) == 0)
            throw InputError(path, 0, "no sample columns, so no per-sample counts (-s/-S)",
                             kExitUsage);
        if (requested.empty()) {
            for (int i = 0; i < bcf_hdr_nsamples(hdr); ++i) columns.push_back(i);
        } else {
            // The reader keeps the subset in header order; report in the order asked for.
            for (const auto& name : requested) {
                const int idx = bcf_hdr_id2int(hdr, BCF_DT_SAMPLE, name.c_str());
                if (idx < 0)
                    throw InputError(path, 0, "sample '" + name + "' is not in the file",
                                     kExitUsage);
                columns.push_back(idx);
            }
        }
    }
    StatsCollector collector(hdr, path, in_header, std::move(columns), samples_wanted);
    while (bcf1_t* rec = reader.next()) {
        try {
            collector.add(rec);
        } catch (const std::invalid_argument& e) {
            throw InputError(path, 0, reader.where() + ": " + e.what(), kExitInvalid);
        }
    }
    return collector.stats();
}

namespace {

using ull = unsigned long long;

void format_summary(std::string& out, const VcfStats& s) {
    out += "# SN, summary numbers. records: data lines; no-ALTs: ALT is '.' (or reference-like);\n";
    out += "# SNPs/MNPs/indels/others: records with at least one ALT of that class (a record\n";
    out += "# with several classes counts in each); others: symbolic or complex alleles;\n";
    out += "# multiallelic (SNP) sites: records with 2+ ALT alleles (all of them SNPs).\n";
    out += "# SN\t[2]id\t[3]key\t[4]value\n";
    appendf(out, "SN\t0\tnumber of samples:\t%d\n", s.samples_in_header);
    auto sn = [&](const char* key, uint64_t v) {
        appendf(out, "SN\t0\tnumber of %s:\t%llu\n", key, static_cast<ull>(v));
    };
    sn("records", s.records);
    sn("no-ALTs", s.no_alts);
    sn("SNPs", s.snps);
    sn("MNPs", s.mnps);
    sn("indels", s.indels);
    sn("others", s.others);
    sn("multiallelic sites", s.multiallelic);
    sn("multiallelic SNP sites", s.multiallelic_snps);

    out += "# TSTV, transitions/transversions over all SNP ALT alleles and over 1st ALTs only.\n";
    out += "# TSTV\t[2]id\t[3]ts\t[4]tv\t[5]ts/tv";
    out += "\t[6]ts (1st ALT)\t[7]tv (1st ALT)\t[8]ts/tv (1st ALT)\n";
    appendf(out, "TSTV\t0\t%llu\t%llu\t%.2f\t%llu\t%llu\t%.2f\n", static_cast<ull>(s.ts),
            static_cast<ull>(s.tv), static_cast<double>(s.ts_tv()), static_cast<ull>(s.ts_alt1),
            static_cast<ull>(s.tv_alt1), static_cast<double>(s.ts_tv_alt1()));
}

// SiS, AF, QUAL, IDD, ST and DP: the sections every run prints.
void format_distributions(std::string& out, const VcfStats& s) {
    // Without a reference sequence every indel is "not applicable" for repeat consistency.
    out += "# SiS, singletons (ALT alleles with AC 1).\n";
    out += "# SiS\t[2]id\t[3]allele count\t[4]number of SNPs\t[5]number of transitions";
    out += "\t[6]number of transversions\t[7]number of indels\t[8]repeat-consistent";
    out += "\t[9]repeat-inconsistent\t[10]not applicable\n";
    const AlleleFrequencyBin& one = s.af.front();
    appendf(out, "SiS\t0\t1\t%llu\t%llu\t%llu\t%llu\t0\t0\t%llu\n", static_cast<ull>(one.snps),
            static_cast<ull>(one.ts), static_cast<ull>(one.tv), static_cast<ull>(one.indels),
            static_cast<ull>(one.indels));

    out += "# AF, ALT alleles by non-reference allele frequency (AC/AN, else from the\n";
    out += "# genotypes); singletons are in the first bin.\n";
    out += "# AF\t[2]id\t[3]allele frequency\t[4]number of SNPs\t[5]number of transitions";
    out += "\t[6]number of transversions\t[7]number of indels\t[8]repeat-consistent";
    out += "\t[9]repeat-inconsistent\t[10]not applicable\n";
    for (const auto& r : allele_frequency_rows(s)) {
        const auto& c = r.counts;
        appendf(out, "AF\t0\t%f\t%llu\t%llu\t%llu\t%llu\t0\t0\t%llu\n", r.af,
                static_cast<ull>(c.snps), static_cast<ull>(c.ts), static_cast<ull>(c.tv),
                static_cast<ull>(c.indels), static_cast<ull>(c.indels));
    }

    out += "# QUAL, records by quality (SNPs by their 1st ALT; '.': missing).\n";
    out += "# QUAL\t[2]id\t[3]Quality\t[4]number of SNPs\t[5]number of transitions (1st ALT)";
    out += "\t[6]number of transversions (1st ALT)\t[7]number of indels\n";
    for (const auto& r : quality_rows(s)) {
        out += "QUAL\t0\t";
        if (r.missing_quality)
            out += ".";
        else
            appendf(out, "%.1f", static_cast<double>(r.quality));
        appendf(out, "\t%llu\t%llu\t%llu\t%llu\n", static_cast<ull>(r.ts + r.tv),
                static_cast<ull>(r.ts), static_cast<ull>(r.tv), static_cast<ull>(r.indels));
    }

    out += "# IDD, indel ALT alleles by length (deletions negative); genotypes and mean VAF:\n";
    out += "# het genotypes with FORMAT/AD.\n";
    out += "# IDD\t[2]id\t[3]length (deletions negative)\t[4]number of sites";
    out += "\t[5]number of genotypes\t[6]mean VAF\n";
    for (const auto& r : indel_length_rows(s)) {
        appendf(out, "IDD\t0\t%d\t%llu\t", r.length, static_cast<ull>(r.sites));
        if (r.has_vaf)
            appendf(out, "%llu\t%.2f\n", static_cast<ull>(r.genotypes), r.mean_vaf);
        else
            out += "0\t.\n";
    }

    out += "# ST, substitution types of SNP ALT alleles.\n";
    out += "# ST\t[2]id\t[3]type\t[4]count\n";
    for (const auto& r : substitution_rows(s))
        appendf(out, "ST\t0\t%s\t%llu\n", r.type.c_str(), static_cast<ull>(r.count));

    out += "# DP, depth distribution: FORMAT/DP (or the sum of AD) of the samples analysed,\n";
    out += "# and INFO/DP of the sites.\n";
    out += "# DP\t[2]id\t[3]bin\t[4]number of genotypes\t[5]fraction of genotypes (%)";
    out += "\t[6]number of sites\t[7]fraction of sites (%)\n";
    for (const auto& r : depth_rows(s))
        appendf(out, "DP\t0\t%s\t%llu\t%f\t%llu\t%f\n", r.label.c_str(),
                static_cast<ull>(r.genotypes), r.genotype_percent, static_cast<ull>(r.sites),
                r.site_percent);
}

// PSC, PSI and HWE: with samples requested.
void format_per_sample(std::string& out, const VcfStats& s) {
    out += "# PSC, per-sample counts. RefHom/NonRefHom/Hets and ts/tv cover SNP genotypes;\n";
    out += "# nIndels counts non-ref genotypes with an indel allele; haploid and missing calls\n";
    out += "# have their own columns.\n";
    out += "# PSC\t[2]id\t[3]sample\t[4]nRefHom\t[5]nNonRefHom\t[6]nHets\t[7]nTransitions";
    out += "\t[8]nTransversions\t[9]nIndels\t[10]average depth\t[11]nSingletons";
    out += "\t[12]nHapRef\t[13]nHapAlt\t[14]nMissing\n";
    for (const auto& p : s.samples) {
        appendf(
            out, "PSC\t0\t%s\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%.1f\t%llu\t%llu\t%llu\t%llu\n",
            p.name.c_str(), static_cast<ull>(p.ref_hom), static_cast<ull>(p.non_ref_hom),
            static_cast<ull>(p.hets), static_cast<ull>(p.transitions),
            static_cast<ull>(p.transversions), static_cast<ull>(p.indels),
            static_cast<double>(p.average_depth()), static_cast<ull>(p.singletons),
            static_cast<ull>(p.hap_ref), static_cast<ull>(p.hap_alt), static_cast<ull>(p.missing));
    }
    out += "# PSI, per-sample indels (frameshift columns need an exon list: always 0 here);\n";
    out += "# a het genotype with an inserted and a deleted allele counts in both het columns.\n";
    out += "# PSI\t[2]id\t[3]sample\t[4]in-frame\t[5]out-frame\t[6]not applicable";
    out += "\t[7]out/(in+out) ratio\t[8]nInsHets\t[9]nDelHets\t[10]nInsAltHoms\t[11]nDelAltHoms\n";
    for (const auto& p : s.samples)
        appendf(out, "PSI\t0\t%s\t0\t0\t0\t0.00\t%llu\t%llu\t%llu\t%llu\n", p.name.c_str(),
                static_cast<ull>(p.ins_hets), static_cast<ull>(p.del_hets),
                static_cast<ull>(p.ins_homs), static_cast<ull>(p.del_homs));
    out += "# HWE, fraction of het calls per site by 1st-ALT allele frequency: quartiles.\n";
    out += "# HWE\t[2]id\t[3]1st ALT allele frequency\t[4]Number of observations";
    out += "\t[5]25th percentile\t[6]median\t[7]75th percentile\n";
    for (const auto& r : hwe_rows(s))
        appendf(out, "HWE\t0\t%f\t%llu\t%f\t%f\t%f\n", r.af, static_cast<ull>(r.observations),
                static_cast<double>(r.p25), static_cast<double>(r.median),
                static_cast<double>(r.p75));
}

}  // namespace

std::string format_stats_text(const VcfStats& s) {
    std::string out;
    // MultiQC recognises a bcftools stats file by the phrase on this line.
    out += "# This file was produced by bcftools stats compatible code: vcf-agent, with the\n";
    out += "# sections and layout of bcftools stats 1.16 (no second file, exons or reference).\n";
    out += "# ID\t[2]id\t[3]file\n";
    appendf(out, "ID\t0\t%s\n", s.source == "-" ? "<STDIN>" : s.source.c_str());
    format_summary(out, s);
    format_distributions(out, s);
    if (s.per_sample) format_per_sample(out, s);
    return out;
}

namespace {

nlohmann::ordered_json distributions_to_json(const VcfStats& s) {
    using nlohmann::ordered_json;
    ordered_json j;
    const AlleleFrequencyBin& one = s.af.front();
    j["singletons"] = {{"snps", one.snps}, {"ts", one.ts}, {"tv", one.tv}, {"indels", one.indels}};
    ordered_json af = ordered_json::array();
    for (const auto& r : allele_frequency_rows(s))
        af.push_back({{"af", r.af},
                      {"snps", r.counts.snps},
                      {"ts", r.counts.ts},
                      {"tv", r.counts.tv},
                      {"indels", r.counts.indels}});
    j["allele_frequency"] = std::move(af);
    ordered_json qual = ordered_json::array();
    for (const auto& r : quality_rows(s))
        qual.push_back({{"quality", r.missing_quality ? ordered_json(nullptr)
                                                      : ordered_json(rounded(r.quality, 1))},
                        {"snps", r.ts + r.tv},
                        {"ts", r.ts},
                        {"tv", r.tv},
                        {"indels", r.indels}});
    j["quality"] = std::move(qual);
    ordered_json idd = ordered_json::array();
    for (const auto& r : indel_length_rows(s))
        idd.push_back({{"length", r.length},
                       {"sites", r.sites},
                       {"genotypes", r.genotypes},
                       {"mean_vaf",
                        r.has_vaf ? ordered_json(rounded(r.mean_vaf, 2)) : ordered_json(nullptr)}});
    j["indel_lengths"] = std::move(idd);
    ordered_json st = ordered_json::object();
    for (const auto& r : substitution_rows(s)) st[r.type] = r.count;
    j["substitution_types"] = std::move(st);
    ordered_json dp = ordered_json::array();
    for (const auto& r : depth_rows(s))
        dp.push_back({{"bin", r.label},
                      {"genotypes", r.genotypes},
                      {"genotype_percent", r.genotype_percent},
                      {"sites", r.sites},
                      {"site_percent", r.site_percent}});
    j["depth"] = std::move(dp);
    return j;
}

}  // namespace

nlohmann::ordered_json stats_to_json(const VcfStats& s, bool summary_only) {
    nlohmann::ordered_json j;
    j["source"] = s.source;
    j["samples"] = s.samples_in_header;
    j["records"] = s.records;
    j["no_alts"] = s.no_alts;
    j["snps"] = s.snps;
    j["mnps"] = s.mnps;
    j["indels"] = s.indels;
    j["others"] = s.others;
    j["multiallelic_sites"] = s.multiallelic;
    j["multiallelic_snp_sites"] = s.multiallelic_snps;
    j["tstv"] = {
        {"ts", s.ts},
        {"tv", s.tv},
        {"ts_tv", rounded(s.ts_tv(), 2)},
        {"ts_1st_alt", s.ts_alt1},
        {"tv_1st_alt", s.tv_alt1},
        {"ts_tv_1st_alt", rounded(s.ts_tv_alt1(), 2)},
    };
    if (!summary_only) {
        const nlohmann::ordered_json distributions = distributions_to_json(s);
        for (const auto& [key, value] : distributions.items()) j[key] = value;
    }
    if (s.per_sample) {
        nlohmann::ordered_json per = nlohmann::ordered_json::array();
        for (const auto& p : s.samples) {
            per.push_back({
                {"sample", p.name},
                {"ref_hom", p.ref_hom},
                {"non_ref_hom", p.non_ref_hom},
                {"hets", p.hets},
                {"transitions", p.transitions},
                {"transversions", p.transversions},
                {"indels", p.indels},
                {"average_depth", rounded(p.average_depth(), 1)},
                {"singletons", p.singletons},
                {"hap_ref", p.hap_ref},
                {"hap_alt", p.hap_alt},
                {"missing", p.missing},
            });
        }
        j["per_sample"] = std::move(per);
        if (!summary_only) {
            nlohmann::ordered_json psi = nlohmann::ordered_json::array();
            for (const auto& p : s.samples)
                psi.push_back({{"sample", p.name},
                               {"ins_hets", p.ins_hets},
                               {"del_hets", p.del_hets},
                               {"ins_homs", p.ins_homs},
                               {"del_homs", p.del_homs}});
            j["per_sample_indels"] = std::move(psi);
            nlohmann::ordered_json hwe = nlohmann::ordered_json::array();
            for (const auto& r : hwe_rows(s))
                hwe.push_back({{"af", r.af},
                               {"observations", r.observations},
                               {"p25", rounded(r.p25, 6)},
                               {"median", rounded(r.median, 6)},
                               {"p75", rounded(r.p75, 6)}});
            j["hwe"] = std::move(hwe);
        }
    }
    return j;
}

}  // namespace vcfagent::vcf
