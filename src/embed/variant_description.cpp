#include "embed/variant_description.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "embed/impact.hpp"

namespace vcfagent::embed {

namespace {

// Long alleles carry no meaning an embedding model can use beyond their length.
constexpr size_t kMaxAlleleText = 12;

void append_allele(std::string& s, std::string_view allele) {
    if (allele.size() <= kMaxAlleleText) {
        s.append(allele);
        return;
    }
    s.append(allele.substr(0, 6));
    s += "...(" + std::to_string(allele.size()) + " bp)";
}

// The most severe annotation: the one a person would quote.
const vcf::Annotation* primary_annotation(const vcf::Variant& v) {
    const vcf::Annotation* best = nullptr;
    for (const auto& a : v.annotations) {
        if (!best || impact_rank(a.impact) < impact_rank(best->impact) ||
            (best->gene.empty() && !a.gene.empty() &&
             impact_rank(a.impact) == impact_rank(best->impact)))
            best = &a;
    }
    return best;
}

std::string format_number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", x);
    return buf;
}

}  // namespace

std::string describe_variant(const vcf::Variant& v) {
    std::string s;
    s.reserve(128);
    s.append(vcf::to_string(v.vclass));
    if (v.vclass == vcf::VariantClass::Snv && v.ref.size() == 1 && v.alt.size() == 1)
        s += v.transition ? " transition" : " transversion";
    if (!v.svtype.empty()) s += " " + v.svtype;
    if (v.svlen != 0) s += " length " + std::to_string(v.svlen);
    if (const vcf::Annotation* a = primary_annotation(v)) {
        if (!a->consequence.empty()) s += " " + a->consequence;
        if (!a->impact.empty()) s += " " + a->impact;
        if (!a->gene.empty()) s += " in " + a->gene;
        if (!a->hgvs_p.empty())
            s += " " + a->hgvs_p;
        else if (!a->hgvs_c.empty())
            s += " " + a->hgvs_c;
    }
    s += "; " + v.chrom + ":" + std::to_string(v.pos) + " ";
    append_allele(s, v.ref);
    s += ">";
    append_allele(s, v.alt);
    if (!v.id.empty()) s += "; " + v.id;
    if (!std::isnan(v.af)) s += "; AF " + format_number(v.af);
    for (const auto& a : v.annotations) {
        if (!a.clinsig.empty()) {
            s += "; ClinVar " + a.clinsig;
            break;
        }
    }
    if (!std::isnan(v.qual)) s += "; QUAL " + format_number(v.qual);
    if (!v.filter.empty()) s += (std::isnan(v.qual) ? "; " : " ") + v.filter;
    return s;
}

}  // namespace vcfagent::embed
