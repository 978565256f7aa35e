#include "query/graph_queries.hpp"

#include <algorithm>
#include <limits>

#include "vcf/variant_key.hpp"

namespace vcfagent::query {

namespace {
const char* const kVariantColumns =
    "v.id AS key, v.chrom AS chrom, v.pos AS pos, v.ref AS ref, v.alt AS alt, v.rsid AS rsid, "
    "v.vtype AS vtype, "
    "v.qual AS qual, v.filter AS filter, v.af AS af";
const char* const kCarriersColumn = "COUNT { MATCH (c:Sample)<-[:CarriedBy]-(v) } AS carriers";

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
    return out;
}
}  // namespace

void GraphQueries::add_filter(const VariantFilter& f, std::vector<std::string>& where,
                              store::QueryParams& params) const {
    if (f.region) {
        // Record overlap, as `bcftools view -r`: the variant starts before the region ends and
        // its record ends at or after the region start. The locus bounds let Kuzu skip the
        // node groups outside them via zone maps; they are written into the statement as
        // integers because Kuzu 0.11.3 prunes by zone maps only for literals (measured on a 1M
        // store: 100 ms with parameters, 33 ms with literals).
        using store::GraphStore;
        const int64_t rank = store_.contig_rank(f.region->chrom);
        // A variant overlapping the region starts at most the contig's longest span before it.
        const int64_t first_start =
            rank < 0 ? 0 : std::max<int64_t>(0, f.region->beg - store_.max_variant_span(f.region->chrom));
        const int64_t lo = rank < 0 ? -1 : GraphStore::locus_of(rank, first_start);
        const int64_t hi = rank < 0 ? -1 : GraphStore::locus_of(rank, f.region->end);
        where.push_back("v.locus >= " + std::to_string(lo) + " AND v.locus <= " + std::to_string(hi));
        where.push_back("v.chrom = $r_chrom AND v.pos <= $r_end AND v.end_pos >= $r_beg");
        params["r_chrom"] = f.region->chrom;
        params["r_beg"] = f.region->beg;
        params["r_end"] = f.region->end;
    }
    if (!f.gene.empty() || !f.impact.empty()) {
        std::vector<std::string> g;
        if (!f.gene.empty()) {
            g.push_back("fg.symbol = $f_gene");
            params["f_gene"] = f.gene;
        }
        if (!f.impact.empty()) {
            g.push_back("fi.impact = $f_impact");
            params["f_impact"] = f.impact;
        }
        where.push_back("EXISTS { MATCH (v)-[fi:InGene]->(fg:Gene) WHERE " + join(g, " AND ") +
                        " }");
    }
    if (!f.vtype.empty()) {
        where.push_back("v.vtype = $f_vtype");
        params["f_vtype"] = f.vtype;
    }
    if (!f.ref.empty()) {
        where.push_back("v.ref = $f_ref");
        params["f_ref"] = f.ref;
    }
    if (!f.alt.empty()) {
        where.push_back("v.alt = $f_alt");
        params["f_alt"] = f.alt;
    }
}

ResultTable GraphQueries::run(const std::string& match, std::vector<std::string> where,
                              store::QueryParams params, const std::string& ret,
                              const VariantFilter& f, const std::string& with) {
    add_filter(f, where, params);
    std::string q = match;
    if (!where.empty()) q += " WHERE " + join(where, " AND ");
    if (!with.empty()) q += " WITH " + with;
    q += " RETURN " + ret + " ORDER BY v.locus, v.id";
    if (f.limit) q += " LIMIT " + std::to_string(f.limit);
    return store_.read_only_query(q, params, limits_);
}

ResultTable GraphQueries::sample_variants(const std::string& sample, const VariantFilter& f) {
    return run("MATCH (s:Sample {id: $sample})<-[h:CarriedBy]-(v:Variant)", {},
               {{"sample", sample}},
               std::string(kVariantColumns) +
                   ", h.gt AS gt, h.zygosity AS zygosity, h.dp AS dp, h.gq AS gq",
               f);
}

ResultTable GraphQueries::variant_carriers(const std::string& key_or_rsid) {
    VariantFilter none;
    return run("MATCH (s:Sample)<-[h:CarriedBy]-(v:Variant)", {"(v.id = $k OR v.rsid = $k)"},
               {{"k", key_or_rsid}},
               "v.id AS key, v.rsid AS rsid, s.id AS sample, h.gt AS gt, h.zygosity AS zygosity, "
               "h.dp AS dp, "
               "h.gq AS gq, h.phased AS phased",
               none);
}

ResultTable GraphQueries::gene_variants(const std::string& gene, const VariantFilter& f) {
    // One row per variant: its annotations in the gene (one per transcript) are collected.
    return run("MATCH (v:Variant)-[g:InGene]->(:Gene {symbol: $gene})", {}, {{"gene", gene}},
               std::string(kVariantColumns) +
                   ", consequences, impacts, hgvs_c, hgvs_p, " + kCarriersColumn,
               f,
               "v, collect(DISTINCT g.consequence) AS consequences, collect(DISTINCT g.impact) "
               "AS impacts, collect(DISTINCT g.hgvs_c) AS hgvs_c, collect(DISTINCT g.hgvs_p) AS "
               "hgvs_p");
}

ResultTable GraphQueries::region_variants(const vcf::Region& region, const VariantFilter& f) {
    VariantFilter with_region = f;
    with_region.region = region;
    return run("MATCH (v:Variant)", {}, {},
               std::string(kVariantColumns) + ", v.rec_pos AS record_pos, " + kCarriersColumn,
               with_region);
}

ResultTable GraphQueries::shared_variants(const std::string& a, const std::string& b,
                                          const VariantFilter& f) {
    return run(
        "MATCH (a:Sample {id: $a})<-[ha:CarriedBy]-(v:Variant)-[hb:CarriedBy]->(b:Sample {id: $b})",
        {}, {{"a", a}, {"b", b}}, std::string(kVariantColumns) + ", ha.gt AS gt_a, hb.gt AS gt_b",
        f);
}

ResultTable GraphQueries::genotype_filter(const GenotypeFilter& g, const VariantFilter& f) {
    std::vector<std::string> where;
    store::QueryParams params;

    // Sample ids are inlined as escaped literals: Kuzu 0.11.3 loses parameters of EXISTS
    // subqueries when the query also has a COUNT subquery ("Parameter gs1 not found").
    auto literal = [](const std::string& text) {
        std::string out = "'";
        for (char c : text) {
            if (c == '\\' || c == '\'') out += '\\';
            out += c;
        }
        return out + "'";
    };
    auto zyg = [&](const std::vector<std::string>& samples, const std::string& cond, bool exists) {
        for (const auto& s : samples) {
            where.push_back(std::string(exists ? "" : "NOT ") +
                            "EXISTS { MATCH (:Sample {id: " + literal(s) + "})<-[h:CarriedBy]-(v)" +
                            (cond.empty() ? "" : " WHERE " + cond) + " }");
        }
    };
    zyg(g.het, "h.zygosity IN ['het', 'het_alt']", true);
    zyg(g.hom_alt, "h.zygosity IN ['hom_alt', 'hemizygous']", true);
    zyg(g.carrier, "", true);
    // Only non-reference calls are stored, so hom-ref means "no call carrying this allele".
    zyg(g.hom_ref, "", false);
    zyg(g.non_carrier, "", false);
    if (g.min_carriers > 0) {
        where.push_back("COUNT { MATCH (c:Sample)<-[:CarriedBy]-(v) } >= $min_carriers");
        params["min_carriers"] = g.min_carriers;
    }
    return run("MATCH (v:Variant)", where, params,
               std::string(kVariantColumns) + ", " + kCarriersColumn, f);
}

VariantSummary GraphQueries::summary(const VariantFilter& f, const std::string& sample) {
    std::vector<std::string> where;
    store::QueryParams params;
    add_filter(f, where, params);
    std::string q = sample.empty() ? "MATCH (v:Variant)"
                                   : "MATCH (s:Sample {id: $sample})<-[h:CarriedBy]-(v:Variant)";
    if (!sample.empty()) params["sample"] = sample;
    if (!where.empty()) q += " WHERE " + join(where, " AND ");
    // SNVs are grouped by their alleles, so transitions and transversions are counted here.
    q += " RETURN v.vtype, CASE WHEN v.vtype = 'SNV' THEN v.ref ELSE '' END, CASE WHEN v.vtype "
         "= 'SNV' THEN v.alt ELSE '' END, ";
    q += sample.empty() ? "''" : "h.zygosity";
    q += ", count(*)";
    store::ReadLimits all = limits_;
    all.max_rows = std::numeric_limits<size_t>::max();
    VariantSummary out;
    for (const auto& r : store_.read_only_query(q, params, all).rows) {
        const int64_t n = r[4].get<int64_t>();
        out.variants += n;
        out.by_class[r[0].is_null() ? "" : r[0].get<std::string>()] += n;
        if (!sample.empty()) out.by_zygosity[r[3].is_null() ? "" : r[3].get<std::string>()] += n;
        const std::string ref = r[1].is_null() ? "" : r[1].get<std::string>();
        const std::string alt = r[2].is_null() ? "" : r[2].get<std::string>();
        if (ref.size() != 1 || alt.size() != 1) continue;
        (vcf::is_transition(ref[0], alt[0]) ? out.transitions : out.transversions) += n;
    }
    return out;
}

}  // namespace vcfagent::query
