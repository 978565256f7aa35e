#include "vcf/stats.hpp"

#include <htslib/vcfutils.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <stdexcept>

#include "common/error.hpp"

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
double rounded(float v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, static_cast<double>(v));
    return std::strtod(buf, nullptr);
}

// Integer FORMAT values of one sample; `missing`/`vector_end` are the sentinels of type T.
template <typename T>
void add_depth_typed(const bcf_fmt_t* fmt, bool sum_vector, const std::vector<int>& columns,
                     std::vector<SampleStats>& out, T missing, T vector_end) {
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
    }
}

void add_depth_values(const bcf_fmt_t* fmt, bool sum_vector, const std::vector<int>& columns,
                      std::vector<SampleStats>& out) {
    switch (fmt->type) {
        case BCF_BT_INT8:
            add_depth_typed<int8_t>(fmt, sum_vector, columns, out, bcf_int8_missing,
                                    bcf_int8_vector_end);
            break;
        case BCF_BT_INT16:
            add_depth_typed<int16_t>(fmt, sum_vector, columns, out, bcf_int16_missing,
                                     bcf_int16_vector_end);
            break;
        case BCF_BT_INT32:
            add_depth_typed<int32_t>(fmt, sum_vector, columns, out, bcf_int32_missing,
                                     bcf_int32_vector_end);
            break;
        default:  // a Float-typed DP/AD header: not a depth we can count
            break;
    }
}

}  // namespace

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
    if (per_sample) {
        stats_.samples.resize(columns_.size());
        for (size_t k = 0; k < columns_.size(); ++k)
            stats_.samples[k].name = hdr->samples[columns_[k]];
    } else {
        columns_.clear();
    }
}

void StatsCollector::add(bcf1_t* rec) {
    const int types = bcf_get_variant_types(rec);
    ++stats_.records;
    // A record is counted once in every class it contains (a SNP+indel site in both).
    if (types == VCF_REF) ++stats_.no_alts;
    if (types & VCF_SNP) add_snp_alleles(rec);
    if (types & VCF_INDEL) ++stats_.indels;
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
}

void StatsCollector::add_snp_alleles(bcf1_t* rec) {
    ++stats_.snps;
    const int ref = base_code(rec->d.allele[0][0]);
    if (ref < 0) return;
    for (int i = 1; i < rec->n_allele; ++i) {
        if (!(bcf_get_variant_type(rec, i) & VCF_SNP)) continue;
        const int alt = base_code(rec->d.allele[i][0]);
        // A SNP inside a longer allele (AC>AT) has the same first base: not a ts nor a tv.
        if (alt < 0 || alt == ref) continue;
        if (is_transition(ref, alt)) {
            ++stats_.ts;
            if (i == 1) ++stats_.ts_alt1;
        } else {
            ++stats_.tv;
            if (i == 1) ++stats_.tv_alt1;
        }
    }
}

void StatsCollector::add_genotypes(bcf1_t* rec) {
    bcf_fmt_t* gt = bcf_get_fmt(hdr_, rec, "GT");
    if (!gt) return;
    const int ref = base_code(rec->d.allele[0][0]);
    int n_non_ref = 0;
    size_t last_non_ref = 0;
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
                // bcftools stops looking at this genotype here (skipping its indel count).
                if (alt < 0) continue;
                if (is_transition(ref, alt))
                    ++s.transitions;
                else
                    ++s.transversions;
            }
        }
        if ((allele_types & VCF_INDEL) && type != GT_HOM_RR) ++s.indels;
    }
    if (n_non_ref == 1) ++stats_.samples[last_non_ref].singletons;
}

void StatsCollector::add_depth(bcf1_t* rec) {
    if (const bcf_fmt_t* dp = bcf_get_fmt(hdr_, rec, "DP"))
        add_depth_values(dp, false, columns_, stats_.samples);
    else if (const bcf_fmt_t* ad = bcf_get_fmt(hdr_, rec, "AD"))
        add_depth_values(ad, true, columns_, stats_.samples);
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

std::string format_stats_text(const VcfStats& s) {
    using ull = unsigned long long;
    std::string out;
    out += "# vcf-agent stats: SN, TSTV and PSC sections in the bcftools stats layout.\n";
    out += "# ID\t[2]id\t[3]file\n";
    appendf(out, "ID\t0\t%s\n", s.source == "-" ? "<STDIN>" : s.source.c_str());

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

    if (!s.per_sample) return out;
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
    return out;
}

nlohmann::ordered_json stats_to_json(const VcfStats& s) {
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
    }
    return j;
}

}  // namespace vcfagent::vcf
