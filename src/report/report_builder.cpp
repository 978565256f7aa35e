#include "report/report_builder.hpp"

#include <algorithm>
#include <set>
#include <string_view>

namespace vcfagent::report {

namespace {

constexpr const char* kImpacts[] = {"HIGH", "MODERATE", "LOW", "MODIFIER"};

// Index into kImpacts (0 worst), or -1 for an unknown or empty impact.
int impact_rank(std::string_view impact) {
    for (int i = 0; i < 4; ++i) {
        std::string_view name = kImpacts[i];
        if (impact.size() != name.size()) continue;
        bool same = true;
        for (size_t c = 0; c < name.size() && same; ++c) same = (impact[c] & ~0x20) == name[c];
        if (same) return i;
    }
    return -1;
}

int file_samples(const bcf_hdr_t* hdr, int given) {
    if (given >= 0) return given;
    return hdr->keep_samples ? hdr->nsamples_ori : bcf_hdr_nsamples(hdr);
}

std::vector<SampleRow> sample_rows(const vcf::VcfStats& stats, std::vector<MetricRule>& rules_out) {
    std::vector<SampleRow> rows;
    for (const auto& s : stats.samples) {
        SampleRow r;
        r.name = s.name;
        r.hets = s.hets;
        r.hom_alt = s.non_ref_hom;
        r.het_hom_ratio =
            s.non_ref_hom ? static_cast<double>(s.hets) / static_cast<double>(s.non_ref_hom) : 0.0;
        r.indels = s.indels;
        r.missing = s.missing;
        r.singletons = s.singletons;
        rows.push_back(std::move(r));
    }
    using Get = double (*)(const SampleRow&);
    const std::pair<const char*, Get> metrics[] = {
        {"hets", [](const SampleRow& r) { return static_cast<double>(r.hets); }},
        {"hom_alt", [](const SampleRow& r) { return static_cast<double>(r.hom_alt); }},
        {"het_hom_ratio", [](const SampleRow& r) { return r.het_hom_ratio; }},
        {"missing", [](const SampleRow& r) { return static_cast<double>(r.missing); }},
        {"singletons", [](const SampleRow& r) { return static_cast<double>(r.singletons); }},
    };
    for (const auto& [name, get] : metrics) {
        std::vector<double> values;
        for (const auto& r : rows) values.push_back(get(r));
        const OutlierRule rule = outlier_rule(values);
        rules_out.push_back({name, rule});
        for (auto& r : rows)
            if (rule.is_outlier(get(r))) r.outlier_in.push_back(name);
    }
    return rows;
}

}  // namespace

ReportBuilder::ReportBuilder(const bcf_hdr_t* hdr, ReportOptions options)
    : hdr_(hdr),
      options_(std::move(options)),
      stats_(hdr, options_.source, file_samples(hdr, options_.samples_in_header),
             options_.sample_columns, !options_.sample_columns.empty()),
      annotations_(hdr) {}

ReportBuilder::~ReportBuilder() = default;

void ReportBuilder::add(bcf1_t* rec) {
    stats_.add(rec);  // unpacks the record
    add_position(rec);
    alt_alleles_ += rec->n_allele > 1 ? static_cast<uint64_t>(rec->n_allele - 1) : 0;
    if (annotations_.has_annotations()) add_annotations(rec);
}

void ReportBuilder::add_position(bcf1_t* rec) {
    auto it = contig_index_.find(rec->rid);
    if (it == contig_index_.end()) {
        const char* name = bcf_hdr_id2name(hdr_, rec->rid);
        const bcf_idpair_t& pair = hdr_->id[BCF_DT_CTG][rec->rid];
        const int64_t length = pair.val ? static_cast<int64_t>(pair.val->info[0]) : 0;
        contigs_.emplace_back(name, length, options_.bins_per_contig);
        it = contig_index_.emplace(rec->rid, contigs_.size() - 1).first;
    }
    contigs_[it->second].add(rec->pos + 1);
}

void ReportBuilder::add_annotations(bcf1_t* rec) {
    annotations_.parse(hdr_, rec, per_alt_);
    std::set<std::string> terms;
    std::set<std::string> genes;
    for (const auto& alt : per_alt_) {
        if (alt.empty()) continue;
        ++annotated_alleles_;
        terms.clear();
        genes.clear();
        int worst = 4;
        for (const auto& a : alt) {
            std::string_view c = a.consequence;
            size_t start = 0;
            while (start <= c.size()) {
                size_t end = c.find('&', start);
                if (end == std::string_view::npos) end = c.size();
                if (end > start) terms.emplace(c.substr(start, end - start));
                start = end + 1;
            }
            const int rank = impact_rank(a.impact);
            if (rank >= 0) worst = std::min(worst, rank);
            if (!a.gene.empty()) genes.insert(a.gene);
        }
        for (const auto& t : terms) ++consequences_[t];
        if (worst < 4) ++impacts_[static_cast<size_t>(worst)];
        for (const auto& g : genes) {
            GeneCount& count = genes_[g];
            ++count.alleles;
            // HIGH on this gene: any of its annotations of this allele.
            for (const auto& a : alt)
                if (a.gene == g && impact_rank(a.impact) == 0) {
                    ++count.high_impact;
                    break;
                }
        }
    }
}

ReportData ReportBuilder::finish() {
    ReportData data;
    data.stats = stats_.stats();
    data.contigs = std::move(contigs_);
    data.has_annotations = annotations_.has_annotations();
    data.alt_alleles = alt_alleles_;
    data.annotated_alleles = annotated_alleles_;
    for (const auto& [term, n] : consequences_) data.consequences.push_back({term, n});
    std::stable_sort(data.consequences.begin(), data.consequences.end(),
                     [](const NamedCount& a, const NamedCount& b) { return a.count > b.count; });
    for (size_t i = 0; i < 4; ++i) data.impacts.push_back({kImpacts[i], impacts_[i]});
    data.genes_hit = genes_.size();
    for (auto& [name, count] : genes_) {
        count.gene = name;
        data.top_genes.push_back(count);
    }
    // Most hit first; ties by name so the page does not depend on hash order.
    std::sort(data.top_genes.begin(), data.top_genes.end(),
              [](const GeneCount& a, const GeneCount& b) {
                  return a.alleles != b.alleles ? a.alleles > b.alleles : a.gene < b.gene;
              });
    if (data.top_genes.size() > options_.top_genes) data.top_genes.resize(options_.top_genes);
    data.samples = sample_rows(data.stats, data.outlier_rules);
    return data;
}

}  // namespace vcfagent::report
