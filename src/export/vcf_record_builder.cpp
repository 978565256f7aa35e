#include "export/vcf_record_builder.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace vcfagent::exporting {

namespace {

// INFO/ANN text may not hold the VCF's separators; annotation values are plain identifiers
// and HGVS strings, so anything else becomes '_'.
std::string ann_value(const std::string& text) {
    std::string out = text;
    for (char& c : out)
        if (c == ',' || c == '|' || c == ';' || c == '=' || c == ' ' || c == '\t') c = '_';
    return out;
}

const char* const kAnnDescription =
    "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | "
    "Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / "
    "cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / "
    "INFO'";

// One allele of a carrier's GT text mapped onto the split record: this ALT is 1, REF and the
// other ALTs are 0. `first_alt` is the ALT index taken to be this one in a het-alt call.
int32_t split_allele(int allele, int first_alt, bool hom_alt, bool phased) {
    if (allele < 0) return phased ? bcf_gt_missing | 1 : bcf_gt_missing;
    const int mapped = allele == 0 ? 0 : (hom_alt || allele == first_alt) ? 1 : 0;
    return phased ? bcf_gt_phased(mapped) : bcf_gt_unphased(mapped);
}

}  // namespace

VcfRecordBuilder::VcfRecordBuilder(StoredRecordReader& reader) {
    hdr_ = bcf_hdr_init("w");
    if (!hdr_) throw std::runtime_error("cannot allocate a VCF header");
    auto add = [&](const std::string& line) {
        if (bcf_hdr_append(hdr_, line.c_str()) != 0)
            throw std::runtime_error("cannot add header line " + line);
    };
    add("##source=vcf-agent export");
    for (const auto& contig : reader.contigs()) add("##contig=<ID=" + contig + ">");
    for (const auto& id : reader.filter_ids())
        add("##FILTER=<ID=" + id + ",Description=\"" + id + " (as loaded)\">");
    add("##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele frequency (as loaded)\">");
    add("##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position of the variant\">");
    add("##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"Type of structural variant\">");
    add("##INFO=<ID=SVLEN,Number=A,Type=Integer,Description=\"Length of structural variant\">");
    add(std::string("##INFO=<ID=ANN,Number=.,Type=String,Description=\"") + kAnnDescription +
        "\">");
    add("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">");
    add("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">");
    add("##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">");
    add("##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths (REF, this ALT)\">");
    for (const auto& sample : reader.samples())
        if (bcf_hdr_add_sample(hdr_, sample.c_str()) != 0)
            throw std::runtime_error("cannot add sample " + sample + " to the VCF header");
    if (bcf_hdr_sync(hdr_) != 0) throw std::runtime_error("cannot build the VCF header");
    samples_ = reader.samples().size();
}

VcfRecordBuilder::~VcfRecordBuilder() {
    if (scratch_) bcf_destroy(scratch_);
    if (hdr_) bcf_hdr_destroy(hdr_);
}

std::vector<std::string> VcfRecordBuilder::genotype_texts(const StoredRecord& rec) {
    if (!scratch_ && !(scratch_ = bcf_init()))
        throw std::runtime_error("cannot allocate a VCF record");
    fill(rec, scratch_);
    bcf_unpack(scratch_, BCF_UN_FMT);
    std::vector<std::string> out;
    bcf_fmt_t* gt = bcf_get_fmt(hdr_, scratch_, "GT");
    kstring_t text = {0, 0, nullptr};
    for (size_t s = 0; gt && s < samples_; ++s) {
        text.l = 0;
        bcf_format_gt(gt, static_cast<int>(s), &text);
        out.emplace_back(text.s, text.l);
    }
    free(text.s);
    return out;
}

void VcfRecordBuilder::fill(const StoredRecord& rec, bcf1_t* out) {
    bcf_clear(out);
    out->rid = bcf_hdr_name2id(hdr_, rec.chrom.c_str());
    if (out->rid < 0) throw std::runtime_error("contig " + rec.chrom + " is not in the header");
    out->pos = rec.pos - 1;
    const std::string alleles = rec.ref + "," + rec.alt;
    bcf_update_alleles_str(hdr_, out, alleles.c_str());
    if (!rec.rsid.empty()) bcf_update_id(hdr_, out, rec.rsid.c_str());
    if (std::isnan(rec.qual))
        bcf_float_set_missing(out->qual);
    else
        out->qual = static_cast<float>(rec.qual);

    filters_.clear();
    for (size_t start = 0; start < rec.filter.size();) {
        const size_t end = std::min(rec.filter.find(';', start), rec.filter.size());
        const std::string id = rec.filter.substr(start, end - start);
        if (!id.empty()) filters_.push_back(bcf_hdr_id2int(hdr_, BCF_DT_ID, id.c_str()));
        start = end + 1;
    }
    if (!filters_.empty())
        bcf_update_filter(hdr_, out, filters_.data(), static_cast<int>(filters_.size()));

    if (rec.af) {
        const float af = static_cast<float>(*rec.af);
        bcf_update_info_float(hdr_, out, "AF", &af, 1);
    }
    if (!rec.svtype.empty()) bcf_update_info_string(hdr_, out, "SVTYPE", rec.svtype.c_str());
    if (rec.svlen != 0) {
        const int32_t svlen = static_cast<int32_t>(rec.svlen);
        bcf_update_info_int32(hdr_, out, "SVLEN", &svlen, 1);
    }
    if (rec.end_pos != rec.pos + static_cast<int64_t>(rec.ref.size()) - 1) {
        const int32_t end = static_cast<int32_t>(rec.end_pos);
        bcf_update_info_int32(hdr_, out, "END", &end, 1);
    }
    if (!rec.annotations.empty()) {
        std::string ann;
        for (const auto& a : rec.annotations) {
            if (!ann.empty()) ann += ',';
            ann += ann_value(rec.alt) + "|" + ann_value(a.consequence) + "|" + ann_value(a.impact) +
                   "|" + ann_value(a.gene) + "|" + ann_value(a.gene_id) + "|" +
                   (a.feature.empty() ? "" : "transcript") + "|" + ann_value(a.feature) + "||" +
                   "|" + ann_value(a.hgvs_c) + "|" + ann_value(a.hgvs_p) + "|||||";
        }
        bcf_update_info_string(hdr_, out, "ANN", ann.c_str());
    }
    if (samples_ == 0) return;

    // Ploidy of the record: its carriers' (the only calls whose GT text is kept), else 2.
    int ploidy = 0;
    for (const auto& call : rec.calls)
        if (!call.gt.empty()) {
            int n = 1;
            for (char c : call.gt) n += c == '/' || c == '|';
            ploidy = std::max(ploidy, n);
        }
    if (ploidy == 0) ploidy = 2;

    gt_.assign(samples_ * static_cast<size_t>(ploidy), bcf_int32_vector_end);
    dp_.assign(samples_, bcf_int32_missing);
    gq_.assign(samples_, bcf_int32_missing);
    ad_.assign(samples_ * 2, bcf_int32_missing);
    bool any_dp = false, any_gq = false, any_ad = false;
    for (size_t s = 0; s < samples_; ++s) {
        const StoredCall& call = rec.calls[s];
        int32_t* gt = &gt_[s * static_cast<size_t>(ploidy)];
        if (!call.gt.empty()) {
            // The carrier's own alleles; the first non-REF allele stands for this ALT.
            std::vector<int> alleles;
            std::vector<bool> phased_after;  // separator before allele i+1 is '|'
            std::string number;
            auto flush = [&] {
                alleles.push_back(number.empty() || number == "." ? -1 : std::stoi(number));
                number.clear();
            };
            for (char c : call.gt) {
                if (c == '/' || c == '|') {
                    flush();
                    phased_after.push_back(c == '|');
                } else {
                    number += c;
                }
            }
            flush();
            int first_alt = 0;
            for (int a : alleles)
                if (a > 0) {
                    first_alt = a;
                    break;
                }
            const bool hom_alt = call.code == '2';
            for (size_t i = 0; i < alleles.size() && i < static_cast<size_t>(ploidy); ++i)
                gt[i] = split_allele(alleles[i], first_alt, hom_alt, i > 0 && phased_after[i - 1]);
        } else {
            const int32_t allele = call.code == '0'   ? bcf_gt_unphased(0)
                                   : call.code == '1' ? bcf_gt_unphased(1)
                                   : call.code == '2' ? bcf_gt_unphased(1)
                                                      : bcf_gt_missing;
            for (int i = 0; i < ploidy; ++i)
                gt[i] = (call.code == '1' && i == 0) ? bcf_gt_unphased(0) : allele;
        }
        if (call.dp >= 0) dp_[s] = call.dp, any_dp = true;
        if (call.gq >= 0) gq_[s] = call.gq, any_gq = true;
        if (call.ad_ref >= 0 || call.ad_alt >= 0) {
            if (call.ad_ref >= 0) ad_[2 * s] = call.ad_ref;
            if (call.ad_alt >= 0) ad_[2 * s + 1] = call.ad_alt;
            any_ad = true;
        }
    }
    const int n = static_cast<int>(samples_);
    bcf_update_genotypes(hdr_, out, gt_.data(), n * ploidy);
    if (any_dp) bcf_update_format_int32(hdr_, out, "DP", dp_.data(), n);
    if (any_gq) bcf_update_format_int32(hdr_, out, "GQ", gq_.data(), n);
    if (any_ad) bcf_update_format_int32(hdr_, out, "AD", ad_.data(), n * 2);
}

}  // namespace vcfagent::exporting
