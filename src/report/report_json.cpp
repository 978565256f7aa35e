#include "report/report_json.hpp"

#include "vcf/stats_sections.hpp"

namespace vcfagent::report {

using nlohmann::json;

json report_to_json(const ReportData& data, size_t max_rows) {
    json out = json::parse(vcf::stats_to_json(data.stats, /*summary_only=*/true).dump());
    out.erase("per_sample");
    json st = json::object();
    for (const auto& r : vcf::substitution_rows(data.stats)) st[r.type] = r.count;
    out["substitution_types"] = std::move(st);
    json idd = json::array();
    for (const auto& r : vcf::indel_length_rows(data.stats))
        idd.push_back({{"length", r.length}, {"alleles", r.sites}});
    out["indel_lengths"] = std::move(idd);

    bool truncated = false;
    auto capped = [&](size_t n) {
        truncated |= n > max_rows;
        return std::min(n, max_rows);
    };
    json samples = json::array();
    for (size_t i = 0; i < capped(data.samples.size()); ++i) {
        const auto& r = data.samples[i];
        samples.push_back({{"sample", r.name},
                           {"hets", r.hets},
                           {"hom_alt", r.hom_alt},
                           {"het_hom_ratio", r.het_hom_ratio},
                           {"indels", r.indels},
                           {"missing", r.missing},
                           {"singletons", r.singletons},
                           {"outlier_in", r.outlier_in}});
    }
    out["rows"] = std::move(samples);
    out["total"] = data.samples.size();
    json rules = json::array();
    for (const auto& m : data.outlier_rules)
        rules.push_back({{"metric", m.metric},
                         {"median", m.rule.median},
                         {"scaled_mad", m.rule.scaled_mad},
                         {"applied", m.rule.usable}});
    out["outlier_rule"] = {
        {"mads", kOutlierMads}, {"min_samples", kMinOutlierSamples}, {"metrics", std::move(rules)}};
    json contigs = json::array();
    for (size_t i = 0; i < capped(data.contigs.size()); ++i)
        contigs.push_back({{"chrom", data.contigs[i].contig()},
                           {"records", data.contigs[i].total()},
                           {"max_position", data.contigs[i].max_position()}});
    out["chromosomes"] = std::move(contigs);
    out["chromosome_total"] = data.contigs.size();
    json impacts = json::object();
    for (const auto& i : data.impacts) impacts[i.name] = i.count;
    out["annotated_alleles"] = data.annotated_alleles;
    out["alt_alleles"] = data.alt_alleles;
    out["impacts"] = std::move(impacts);
    json terms = json::array();
    for (size_t i = 0; i < capped(data.consequences.size()); ++i)
        terms.push_back(
            {{"consequence", data.consequences[i].name}, {"alleles", data.consequences[i].count}});
    out["consequences"] = std::move(terms);
    json genes = json::array();
    for (size_t i = 0; i < capped(data.top_genes.size()); ++i)
        genes.push_back({{"gene", data.top_genes[i].gene},
                         {"alleles", data.top_genes[i].alleles},
                         {"high_impact", data.top_genes[i].high_impact}});
    out["top_genes"] = std::move(genes);
    out["genes_hit"] = data.genes_hit;
    out["truncated"] = truncated;
    return out;
}

}  // namespace vcfagent::report
