#include "query/graph_queries.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include "common/error.hpp"
#include "common/text_join.hpp"
#include "store/call_rows.hpp"

#include "vcf/variant_key.hpp"

namespace vcfagent::query {

namespace {
const char* const kVariantColumns =
    "v.id AS key, v.chrom AS chrom, v.pos AS pos, v.ref AS ref, v.alt AS alt, v.rsid AS rsid, "
    "v.vtype AS vtype, "
    "v.qual AS qual, v.filter AS filter, v.af AS af";
// Kept by the writer as it adds CarriedBy edges (Variant.carriers, see graph_store.cpp).
const char* const kCarriersColumn = "v.carriers AS carriers";

// A Cypher string literal of `text`.
std::string string_literal(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

// A Cypher DOUBLE literal that reads back as `x` exactly.
std::string double_literal(double x) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", x);
    std::string out = text;
    // "1" would read as an INT64: a DOUBLE needs its decimal point (or an exponent).
    if (out.find_first_of(".e") == std::string::npos) out += ".0";
    return out;
}

}  // namespace

void GraphQueries::add_filter(const VariantFilter& f, std::vector<std::string>& where,
                              store::QueryParams* params) const {
    // A value as a parameter named `name` (the statement's text then stays the same from one
    // value to the next), or else as `literal`.
    auto value = [&](const char* name, nlohmann::json v, std::string literal) {
        if (!params) return literal;
        (*params)[name] = std::move(v);
        return std::string("$") + name;
    };
    if (f.region) {
        // Record overlap, as `bcftools view -r`: the variant starts before the region ends and
        // its record ends at or after the region start. The locus bounds let Kuzu skip the
        // node groups, and within a group the 2,048-row slices (third_party/kuzu patch 0003),
        // whose loci lie outside them: Kuzu turns literals, and parameters bound to values
        // (patch 0008), into such column predicates.
        using store::GraphStore;
        const int64_t rank = store_.contig_rank(f.region->chrom);
        // A variant overlapping the region starts at most the contig's longest span before it.
        const int64_t first_start =
            rank < 0
                ? 0
                : std::max<int64_t>(0, f.region->beg - store_.max_variant_span(f.region->chrom));
        const int64_t lo = rank < 0 ? -1 : GraphStore::locus_of(rank, first_start);
        const int64_t hi = rank < 0 ? -1 : GraphStore::locus_of(rank, f.region->end);
        where.push_back("v.locus >= " + value("f_lo", lo, std::to_string(lo)) +
                        " AND v.locus <= " + value("f_hi", hi, std::to_string(hi)));
        // (The contig is in the locus bounds: no string comparison, which would make Kuzu read
        // the chrom strings of every row in the node groups the bounds select.)
        where.push_back(
            "v.pos <= " + value("f_end", f.region->end, std::to_string(f.region->end)) +
            " AND v.end_pos >= " + value("f_beg", f.region->beg, std::to_string(f.region->beg)));
    }
    if (!f.gene.empty() || !f.impact.empty()) {
        // Always escaped literals: Kuzu 0.11.3 loses the parameters of an EXISTS subquery in
        // some plans (seen with a relationship in the outer MATCH: "Parameter f_gene not
        // found").
        std::vector<std::string> g;
        if (!f.gene.empty()) g.push_back("fg.symbol = " + string_literal(f.gene));
        if (!f.impact.empty()) g.push_back("fi.impact = " + string_literal(f.impact));
        where.push_back("EXISTS { MATCH (v)-[fi:InGene]->(fg:Gene) WHERE " + join(g, " AND ") +
                        " }");
    }
    if (!f.vtype.empty())
        where.push_back("v.vtype = " + value("f_vtype", f.vtype, string_literal(f.vtype)));
    if (!f.ref.empty()) where.push_back("v.ref = " + value("f_ref", f.ref, string_literal(f.ref)));
    if (!f.alt.empty()) where.push_back("v.alt = " + value("f_alt", f.alt, string_literal(f.alt)));
    if (f.min_af)
        where.push_back("v.af >= " + value("f_min_af", *f.min_af, double_literal(*f.min_af)));
    if (f.max_af)
        where.push_back("v.af <= " + value("f_max_af", *f.max_af, double_literal(*f.max_af)));
}

ResultTable GraphQueries::run(const std::string& match, std::vector<std::string> where,
                              store::QueryParams params, const std::string& ret,
                              const VariantFilter& f, const std::string& with) {
    add_filter(f, where, &params);
    std::string q = match;
    if (!where.empty()) q += " WHERE " + join(where, " AND ");
    if (!with.empty()) q += " WITH " + with;
    q += " RETURN " + ret + " ORDER BY v.locus, v.id";
    if (f.limit) q += " LIMIT " + std::to_string(f.limit);
    return store_.read(q, params, limits_);
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
               std::string(kVariantColumns) + ", consequences, impacts, hgvs_c, hgvs_p, " +
                   kCarriersColumn,
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
    const GenotypeConditions c = genotype_conditions(g);
    return run(c.match(), c.where, {}, std::string(kVariantColumns) + ", " + kCarriersColumn, f);
}

GenotypeConditions GraphQueries::genotype_conditions(const GenotypeFilter& g) {
    const GenotypeCalls calls = genotype_calls(*store_.sample_catalogue(), g);
    if (!calls.source)  // carriers across every source: the variant's count of its edges
        return {{}, {"v.carriers >= " + std::to_string(calls.min_carriers)}};
    const int64_t source = *calls.source;
    const auto& cols = calls.columns;
    store::ReadLimits lookup_limits = limits_;
    lookup_limits.max_rows = std::numeric_limits<size_t>::max();

    if (g.min_dp >= 0 || g.min_gq >= 0) {
        // A threshold on a field the file lacks would drop every variant silently.
        const auto t = store_.read(
            "MATCH (c:Calls) WHERE c.source = $n RETURN c.dp IS NOT NULL, c.gq IS NOT NULL LIMIT 1",
            {{"n", source}}, lookup_limits);
        const auto path = store_.read("MATCH (s:Source) WHERE s.num = $n RETURN s.path",
                                      {{"n", source}}, lookup_limits);
        if (!t.rows.empty() && !path.rows.empty()) {
            for (const auto& [name, threshold, present] :
                 {std::tuple{"DP", g.min_dp, t.rows[0][0].get<bool>()},
                  std::tuple{"GQ", g.min_gq, t.rows[0][1].get<bool>()}})
                if (threshold >= 0 && !present)
                    throw StoreError(std::string("a ") + name +
                                     " threshold was given, but the store holds no per-sample " +
                                     name + " of " + path.rows[0][0].get<std::string>() +
                                     " (the file has no FORMAT/" + name +
                                     ", or was ingested without --ped or --call-depths)");
        }
    }
    // The Calls rows the conditions read: those holding a named sample (the first row when
    // none is named), each bound to its own variable.
    std::set<int64_t> rows;
    for (const auto& [sample, col] : cols) rows.insert(store::calls_row_first(col));
    if (rows.empty()) rows.insert(0);
    // One sample's call matches a genotype class (and the thresholds), in Cypher over its
    // Calls row; columns are 1-based in Kuzu's string functions.
    auto matches = [&](const std::string& sample, const std::string& genotype) {
        const int64_t col = cols.at(sample), first = store::calls_row_first(col);
        const std::string row = store::calls_row_variable(first);
        const std::string k = std::to_string(col - first + 1);
        const std::string code = "substring(" + row + ".gt, " + k + ", 1)";
        std::string c = genotype == "het"       ? code + " = '1'"
                        : genotype == "hom_alt" ? code + " = '2'"
                        : genotype == "hom_ref" ? code + " = '0'"
                        : genotype == "missing" ? code + " = '.'"
                                                : code + " = '1' OR " + code + " = '2'";
        // The numbers are comma-separated text, -1 missing (see the Calls table).
        if (g.min_dp >= 0)
            c += " AND CAST(split_part(" + row + ".dp, ',', " + k +
                 ") AS INT64) >= " + std::to_string(g.min_dp);
        if (g.min_gq >= 0)
            c += " AND CAST(split_part(" + row + ".gq, ',', " + k +
                 ") AS INT64) >= " + std::to_string(g.min_gq);
        return "(" + c + ")";
    };
    GenotypeConditions out;
    for (const int64_t first : rows) {
        const std::string row = store::calls_row_variable(first);
        out.patterns.push_back("(v)-[:CalledIn]->(" + row + ":Calls)");
        out.where.push_back(row + ".source = " + std::to_string(source) + " AND " + row +
                            ".first = " + std::to_string(first));
    }
    std::vector<std::string>& where = out.where;

    for (const auto& group : calls.groups) {
        std::vector<std::string> each;
        for (const auto& s : group.samples) each.push_back(matches(s, group.genotype));
        using Q = GenotypeGroup::Quantifier;
        switch (group.quantifier) {
            case Q::All:
                where.push_back(join(each, " AND "));
                break;
            case Q::Any:
                where.push_back("(" + join(each, " OR ") + ")");
                break;
            case Q::None:
                where.push_back("NOT (" + join(each, " OR ") + ")");
                break;
            case Q::AtLeast: {
                std::vector<std::string> counted;
                for (const auto& e : each)
                    counted.push_back("CASE WHEN " + e + " THEN 1 ELSE 0 END");
                where.push_back("(" + join(counted, " + ") +
                                ") >= " + std::to_string(group.at_least));
                break;
            }
        }
    }
    // Carriers of this file: its call vector's '1' and '2' codes, counted on every row.
    // (Kuzu 0.11.3 evaluates `x IN [...]` inside CASE wrongly, so the conditions above spell
    // out each code.)
    if (g.min_carriers > 0)
        where.push_back(store::calls_row_variable(*rows.begin()) +
                        ".carriers >= " + std::to_string(g.min_carriers));
    return out;
}

std::string GenotypeConditions::match() const {
    std::string m = "MATCH (v:Variant)";
    for (const auto& p : patterns) m += ", " + p;
    return m;
}

VariantSummary GraphQueries::summary(const VariantFilter& f, const std::string& sample) {
    std::vector<std::string> where;
    store::QueryParams params;
    add_filter(f, where, &params);
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
    for (const auto& r : store_.read(q, params, all).rows) {
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
