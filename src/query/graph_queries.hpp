#pragma once
// Ready-made questions over the graph (sample, variant, gene, region, shared, genotype
// filter), each one parameterised Cypher run through the store's read-only path.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "query/genotype_filter.hpp"
#include "query/result_table.hpp"
#include "query/variant_filter.hpp"
#include "store/graph_store.hpp"
#include "vcf/region_list.hpp"

namespace vcfagent::query {

// A genotype filter as Cypher: `patterns` joining the variant `v` to the Calls rows it reads
// (`(v)-[:CalledIn]->(g<first>:Calls)`, rows of the one source holding every named sample; see
// store/call_rows.hpp; none when the filter counts CarriedBy edges instead) and WHERE
// conditions, all literals (no parameters, so they also work inside EXISTS subqueries).
struct GenotypeConditions {
    std::vector<std::string> patterns;
    std::vector<std::string> where;
    // "MATCH (v:Variant)" and the patterns.
    std::string match() const;
};

// Counts over a subset of the store's variants, bcftools stats style (SN / TSTV sections).
struct VariantSummary {
    int64_t variants = 0;
    std::map<std::string, int64_t> by_class;     // variant class -> variants
    int64_t transitions = 0, transversions = 0;  // over SNVs: A<->G, C<->T are transitions
    std::map<std::string, int64_t> by_zygosity;  // the sample's calls (with a sample only)
};

class GraphQueries {
  public:
    // `limits` bound every statement these queries run (rows kept, time).
    explicit GraphQueries(store::GraphStore& store, store::ReadLimits limits = {})
        : store_(store), limits_(limits) {}

    ResultTable sample_variants(const std::string& sample, const VariantFilter& f);
    ResultTable variant_carriers(const std::string& key_or_rsid);
    ResultTable gene_variants(const std::string& gene, const VariantFilter& f);
    ResultTable region_variants(const vcf::Region& region, const VariantFilter& f);
    ResultTable shared_variants(const std::string& a, const std::string& b, const VariantFilter& f);
    ResultTable genotype_filter(const GenotypeFilter& g, const VariantFilter& f);
    // Counts over the variants that pass `f` (and that `sample` carries, when not empty).
    VariantSummary summary(const VariantFilter& f, const std::string& sample);

    // The one translation of a genotype filter (see GenotypeConditions); StoreError when the
    // named samples are unknown or not all in one loaded file.
    GenotypeConditions genotype_conditions(const GenotypeFilter& g);

    // Appends WHERE conditions for `f` on variable `v` to `where`: the one definition of what
    // each filter means, for every query over variants. With `params`, values are parameters
    // added to it (named f_*), so every statement of one shape has one text, which a pooled
    // connection prepares once; without, they are written in as escaped literals (for
    // statements built to run once). Either way Kuzu turns the locus bounds into column
    // predicates that skip rows unread.
    void add_filter(const VariantFilter& f, std::vector<std::string>& where,
                    store::QueryParams* params = nullptr) const;

  private:
    // MATCH `match` WHERE `where` and the filter [WITH `with`] RETURN `ret`, in locus order.
    ResultTable run(const std::string& match, std::vector<std::string> where,
                    store::QueryParams params, const std::string& ret, const VariantFilter& f,
                    const std::string& with = "");

    store::GraphStore& store_;
    const store::ReadLimits limits_;
};

}  // namespace vcfagent::query
