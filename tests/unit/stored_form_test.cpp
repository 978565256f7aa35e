// A load's variant in the form the graph returns it (index::stored_form) keeps the reader's
// transition rule, alleles in either case: the builtin vector of a stored row then equals the
// vector of the record read from its file.
#include <gtest/gtest.h>

#include "index/stored_variants.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::test {
namespace {

TEST(StoredForm, TransitionAsTheReaderDecidesItInEitherCase) {
    for (const auto& [ref, alt] :
         {std::pair{"a", "g"}, {"A", "g"}, {"c", "T"}, {"G", "A"}, {"a", "c"}, {"G", "t"}}) {
        vcf::Variant v;
        v.chrom = "1";
        v.pos = v.record_pos = v.end = 100;
        v.ref = ref;
        v.alt = alt;
        v.vclass = vcf::VariantClass::Snv;
        EXPECT_EQ(index::stored_form(v, 1).variant.transition, vcf::is_transition(ref[0], alt[0]))
            << ref << ">" << alt;
    }
    EXPECT_TRUE(vcf::is_transition('a', 'g'));
    EXPECT_FALSE(vcf::is_transition('a', 'c'));
}

}  // namespace
}  // namespace vcfagent::test
