#include "vcf/allele_split.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "vcf/variant_key.hpp"

namespace vcfagent::vcf {

RecordSplitter::RecordSplitter(const bcf_hdr_t* hdr, bool with_genotypes, bool with_depths)
    : hdr_(hdr),
      with_genotypes_(with_genotypes && bcf_hdr_nsamples(hdr) > 0),
      with_depths_(with_depths),
      annotations_(hdr) {}

RecordSplitter::~RecordSplitter() {
    free(gt_);
    free(dp_);
    free(gq_);
    free(gq_float_);
    free(ad_);
    free(af_);
    free(svlen_);
    free(svtype_);
}

void RecordSplitter::split(bcf1_t* rec, int64_t line, std::vector<Variant>& out) {
    const size_t first = out.size();
    const std::string chrom = bcf_hdr_id2name(hdr_, rec->rid);
    const int n_alts = rec->n_allele > 1 ? rec->n_allele - 1 : 0;

    std::string id = rec->d.id && std::string_view(rec->d.id) != "." ? rec->d.id : "";
    std::string filter;
    for (int i = 0; i < rec->d.n_flt; ++i) {
        if (!filter.empty()) filter += ';';
        filter += bcf_hdr_int2id(hdr_, BCF_DT_ID, rec->d.flt[i]);
    }
    const float qual =
        bcf_float_is_missing(rec->qual) ? std::numeric_limits<float>::quiet_NaN() : rec->qual;
    const int n_af = bcf_get_info_float(hdr_, rec, "AF", &af_, &n_af_);
    const int n_svlen = bcf_get_info_int32(hdr_, rec, "SVLEN", &svlen_, &n_svlen_);
    const int n_svtype = bcf_get_info_string(hdr_, rec, "SVTYPE", &svtype_, &n_svtype_);
    per_alt_annotations_.clear();
    if (annotations_.has_annotations()) annotations_.parse(hdr_, rec, per_alt_annotations_);

    auto make = [&](std::string alt, int alt_index) {
        Variant v;
        v.chrom = chrom;
        v.record_pos = rec->pos + 1;
        v.pos = v.record_pos;
        v.ref = rec->d.allele[0];
        v.alt = std::move(alt);
        trim_to_minimal(v.pos, v.ref, v.alt);
        v.vclass = classify_allele(v.ref, v.alt);
        v.key = make_variant_key(v.chrom, v.pos, v.ref, v.alt);
        v.id = id;
        v.qual = qual;
        v.filter = filter;
        v.alt_index = alt_index;
        v.n_alts = n_alts;
        v.end = rec->pos + rec->rlen;  // htslib derives rlen from INFO/END or REF length
        if (n_svtype > 0) v.svtype = svtype_;
        if (alt_index >= 1) {
            if (n_af >= alt_index && !bcf_float_is_missing(af_[alt_index - 1]) &&
                !bcf_float_is_vector_end(af_[alt_index - 1]))
                v.af = af_[alt_index - 1];
            // SVLEN is Number=A in VCF 4.3+ but often Number=. with one value: take the
            // allele's own value when there is one per ALT, else the single value.
            const int si = n_svlen >= n_alts ? alt_index - 1 : 0;
            if (n_svlen > si && svlen_[si] != bcf_int32_missing &&
                svlen_[si] != bcf_int32_vector_end)
                v.svlen = svlen_[si];
            if (static_cast<int>(per_alt_annotations_.size()) >= alt_index)
                v.annotations = std::move(per_alt_annotations_[alt_index - 1]);  // used once
        }
        v.transition = v.vclass == VariantClass::Snv && is_transition(v.ref[0], v.alt[0]);
        v.line = line;
        out.push_back(std::move(v));
    };

    if (n_alts == 0) {
        make(".", 0);
        return;
    }
    for (int a = 1; a <= n_alts; ++a) make(rec->d.allele[a], a);
    if (with_genotypes_) add_calls(rec, first, out);
}

namespace {

// One FORMAT integer of sample `s` (-1 when missing or the field has no value per sample).
int32_t sample_int(const int32_t* values, int n_values, int n_samples, int per_sample, int s,
                   int i = 0) {
    if (n_values < n_samples * per_sample || per_sample <= i) return -1;
    const int32_t v = values[static_cast<ptrdiff_t>(s) * per_sample + i];
    return v == bcf_int32_missing || v == bcf_int32_vector_end ? -1 : v;
}

}  // namespace

void RecordSplitter::add_calls(bcf1_t* rec, size_t first, std::vector<Variant>& out) {
    const int n_samples = bcf_hdr_nsamples(hdr_);
    const int n_gt = bcf_get_genotypes(hdr_, rec, &gt_, &n_gt_);
    if (n_gt <= 0 || n_gt % n_samples != 0) return;
    const int ploidy_max = n_gt / n_samples;
    const int n_dp = bcf_get_format_int32(hdr_, rec, "DP", &dp_, &n_dp_);
    int n_gq = bcf_get_format_int32(hdr_, rec, "GQ", &gq_, &n_gq_);
    int n_gq_float =
        n_gq < 0 ? bcf_get_format_float(hdr_, rec, "GQ", &gq_float_, &n_gq_float_) : -1;
    const int n_ad = bcf_get_format_int32(hdr_, rec, "AD", &ad_, &n_ad_);
    const int ad_per_sample = n_ad > 0 ? n_ad / n_samples : 0;
    const int n_alts = rec->n_allele - 1;

    // Call vectors: every sample hom-ref until its genotype says otherwise.
    for (int a = 1; a <= n_alts; ++a) {
        auto& cv = out[first + static_cast<size_t>(a - 1)].call_vector;
        cv.gt.assign(static_cast<size_t>(n_samples), '0');
        if (!with_depths_) continue;
        if (n_dp >= n_samples) cv.dp.resize(static_cast<size_t>(n_samples));
        if (n_gq >= n_samples || n_gq_float >= n_samples)
            cv.gq.resize(static_cast<size_t>(n_samples));
        if (ad_per_sample > a) {
            cv.ad_ref.resize(static_cast<size_t>(n_samples));
            cv.ad_alt.resize(static_cast<size_t>(n_samples));
        }
    }

    std::string gt_text;
    for (int s = 0; s < n_samples; ++s) {
        const int32_t* g = gt_ + static_cast<ptrdiff_t>(s) * ploidy_max;
        int ploidy = 0;
        bool any_alt = false, any_missing = false;
        for (int i = 0; i < ploidy_max && g[i] != bcf_int32_vector_end; ++i) {
            ++ploidy;
            if (bcf_gt_is_missing(g[i]))
                any_missing = true;
            else if (bcf_gt_allele(g[i]) > 0)
                any_alt = true;
        }
        int32_t dp = sample_int(dp_, n_dp, n_samples, 1, s);
        int32_t gq = sample_int(gq_, n_gq, n_samples, 1, s);
        if (n_gq_float >= n_samples && !bcf_float_is_missing(gq_float_[s]) &&
            !bcf_float_is_vector_end(gq_float_[s]))
            gq = static_cast<int32_t>(std::lround(gq_float_[s]));
        for (int a = 1; a <= n_alts; ++a) {
            auto& cv = out[first + static_cast<size_t>(a - 1)].call_vector;
            if (!cv.dp.empty()) cv.dp[s] = dp;
            if (!cv.gq.empty()) cv.gq[s] = gq;
            if (!cv.ad_ref.empty()) {
                cv.ad_ref[s] = sample_int(ad_, n_ad, n_samples, ad_per_sample, s, 0);
                cv.ad_alt[s] = sample_int(ad_, n_ad, n_samples, ad_per_sample, s, a);
            }
            if (ploidy == 0 || any_missing) cv.gt[s] = '.';
        }
        if (!any_alt) continue;  // hom-ref, missing or partly missing without ALT: no edge

        gt_text.clear();
        bool phased = false;
        for (int i = 0; i < ploidy; ++i) {
            if (i > 0) {
                const bool p = bcf_gt_is_phased(g[i]);
                phased = phased || p;
                gt_text += p ? '|' : '/';
            }
            if (bcf_gt_is_missing(g[i]))
                gt_text += '.';
            else
                gt_text += std::to_string(bcf_gt_allele(g[i]));
        }

        for (int a = 1; a <= n_alts; ++a) {
            int count_this = 0, count_other = 0;
            for (int i = 0; i < ploidy; ++i) {
                if (bcf_gt_is_missing(g[i])) continue;
                const int al = bcf_gt_allele(g[i]);
                if (al == a)
                    ++count_this;
                else if (al > 0)
                    ++count_other;
            }
            if (count_this == 0) continue;
            auto& variant = out[first + static_cast<size_t>(a - 1)];
            if (!any_missing) variant.call_vector.gt[s] = count_this == ploidy ? '2' : '1';
            SampleCall call;
            call.sample = static_cast<uint32_t>(s);
            if (ploidy == 1)
                call.zygosity = Zygosity::Hemizygous;
            else if (count_this == ploidy)
                call.zygosity = Zygosity::HomAlt;
            else if (count_other > 0)
                call.zygosity = Zygosity::HetAlt;
            else
                call.zygosity = Zygosity::Het;
            call.phased = phased;
            call.dp = dp;
            call.gq = gq;
            call.gt = gt_text;
            variant.calls.push_back(std::move(call));
        }
    }
    // push_back leaves up to half of each list unused; a batch holds millions of calls, so
    // the slack would be a third of its memory.
    for (size_t i = first; i < out.size(); ++i) out[i].calls.shrink_to_fit();
}

}  // namespace vcfagent::vcf
