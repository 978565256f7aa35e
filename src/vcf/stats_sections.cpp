#include "vcf/stats_sections.hpp"

#include <algorithm>

namespace vcfagent::vcf {

namespace {

// HWE keeps this many het-fraction bins per AF bin (bcftools' naf_hwe).
constexpr size_t kHweBins = 100;

// bcftools labels AF bin i (i >= 1) by its lower bound (i - 1) / (bins - 1).
double af_label(size_t bin, size_t bins) {
    return static_cast<double>(bin - 1) / static_cast<double>(bins - 1);
}

}  // namespace

std::vector<AlleleFrequencyRow> allele_frequency_rows(const VcfStats& s) {
    std::vector<AlleleFrequencyRow> rows;
    for (size_t i = 1; i < s.af.size(); ++i) {
        AlleleFrequencyBin c = s.af[i];
        if (i == 1) {
            c.snps += s.af[0].snps;
            c.ts += s.af[0].ts;
            c.tv += s.af[0].tv;
            c.indels += s.af[0].indels;
        }
        if (c.snps + c.ts + c.tv + c.indels == 0) continue;
        rows.push_back({af_label(i, s.af.size()), c});
    }
    return rows;
}

std::vector<QualityRow> quality_rows(const VcfStats& s) {
    std::vector<QualityRow> rows;
    const size_t n = std::max({s.qual_ts.size(), s.qual_tv.size(), s.qual_indels.size()});
    auto count = [](const LogBins& bins, size_t i) { return i < bins.size() ? bins.count(i) : 0; };
    for (size_t i = 0; i < n; ++i) {
        QualityRow r;
        r.ts = count(s.qual_ts, i);
        r.tv = count(s.qual_tv, i);
        r.indels = count(s.qual_indels, i);
        if (r.ts + r.tv + r.indels == 0) continue;
        // Bin 0 holds missing and negative values; bin b >= 1 starts at QUAL (b - 1) / 10,
        // computed in double and kept in single precision as bcftools does.
        const uint32_t lower = s.qual_ts.lower_bound(i);
        r.missing_quality = lower == 0;
        r.quality = r.missing_quality ? 0.0f : static_cast<float>(0.1 * (lower - 1));
        rows.push_back(r);
    }
    return rows;
}

std::vector<IndelLengthRow> indel_length_rows(const VcfStats& s) {
    std::vector<IndelLengthRow> rows;
    auto row = [&](int length, uint64_t sites) {
        IndelLengthRow r;
        r.length = length;
        r.sites = sites;
        const size_t bin = static_cast<size_t>(kMaxIndelLength + length);
        r.genotypes = s.vaf_n[bin];
        r.has_vaf = r.genotypes > 0;
        if (r.has_vaf) r.mean_vaf = s.vaf_sum[bin] / static_cast<double>(r.genotypes);
        rows.push_back(r);
    };
    for (int i = kMaxIndelLength - 1; i >= 0; --i)
        if (s.deletions[i]) row(-i - 1, s.deletions[i]);
    for (int i = 0; i < kMaxIndelLength; ++i)
        if (s.insertions[i]) row(i + 1, s.insertions[i]);
    return rows;
}

std::vector<SubstitutionRow> substitution_rows(const VcfStats& s) {
    static const char kBases[] = "ACGT";
    std::vector<SubstitutionRow> rows;
    for (int ref = 0; ref < 4; ++ref)
        for (int alt = 0; alt < 4; ++alt) {
            if (ref == alt) continue;
            SubstitutionRow r;
            r.type = {kBases[ref], '>', kBases[alt]};
            r.transition = (ref > alt ? ref - alt : alt - ref) == 2;
            r.count = s.substitutions[ref << 2 | alt];
            rows.push_back(r);
        }
    return rows;
}

std::vector<DepthRow> depth_rows(const VcfStats& s) {
    std::vector<DepthRow> rows;
    uint64_t sum = 0, sum_sites = 0;
    for (uint64_t v : s.depth_genotypes) sum += v;
    for (uint64_t v : s.depth_sites) sum_sites += v;
    const size_t n = s.depth_genotypes.size();
    for (size_t i = 0; i < n; ++i) {
        const uint64_t g = s.depth_genotypes[i], st = s.depth_sites[i];
        if (g == 0 && st == 0) continue;
        DepthRow r;
        if (i == 0) {
            r.depth = -1;
            r.label = "<0";
        } else if (i + 1 == n) {
            r.depth = kMaxDepth + 1;
            r.label = ">" + std::to_string(kMaxDepth);
        } else {
            r.depth = static_cast<int>(i) - 1;
            r.label = std::to_string(r.depth);
        }
        r.genotypes = g;
        r.genotype_percent = sum ? static_cast<double>(g) * 100. / static_cast<double>(sum) : 0;
        r.sites = st;
        r.site_percent =
            sum_sites ? static_cast<double>(st) * 100. / static_cast<double>(sum_sites) : 0;
        rows.push_back(r);
    }
    return rows;
}

std::vector<HweRow> hwe_rows(const VcfStats& s) {
    std::vector<HweRow> rows;
    if (s.hwe.empty()) return rows;
    std::vector<uint64_t> hwe = s.hwe;
    for (size_t j = 0; j < kHweBins; ++j) hwe[j + kHweBins] += hwe[j];  // singletons
    const size_t bins = s.af.size();
    for (size_t i = 1; i < bins; ++i) {
        const uint64_t* p = &hwe[i * kHweBins];
        uint64_t total = 0;
        for (size_t j = 0; j < kHweBins; ++j) total += p[j];
        if (!total) continue;
        HweRow r;
        r.af = af_label(i, bins);
        r.observations = total;
        // The first het-fraction bins at which the cumulative share reaches 1/4, 1/2, 3/4.
        int missing = 3;
        float* out[3] = {&r.p75, &r.median, &r.p25};
        uint64_t sum = 0;
        for (size_t j = 0; j < kHweBins && missing > 0; ++j) {
            sum += p[j];
            const float frac = static_cast<float>(sum) / static_cast<float>(total);
            const float value = static_cast<float>(j) / static_cast<float>(kHweBins);
            const int wanted = frac >= 0.75f ? 0 : frac >= 0.5f ? 1 : frac >= 0.25f ? 2 : 3;
            while (missing > wanted) *out[--missing] = value;
        }
        rows.push_back(r);
    }
    return rows;
}

}  // namespace vcfagent::vcf
