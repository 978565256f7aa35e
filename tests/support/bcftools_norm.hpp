#pragma once
// The records a store keeps of a file, made by bcftools alone (the referee of export, report
// and compare tests): `bcftools norm -m -any` with a reference that holds the file's own REF
// bases at their positions (N elsewhere), so split alleles are trimmed to their minimal
// representation as store keys are, written as an indexed BCF (binary: QUAL keeps every digit
// a text VCF would round away).
#include <string>

#include "support/test_env.hpp"

namespace vcfagent::test {

struct NormaliseOptions {
    // Drop INFO/AC and AN, so bcftools counts allele frequencies from the genotypes, as it does
    // for records read back from a store (which keeps no AC/AN).
    bool drop_ac_an = false;
    // Declare FORMAT/AD Number=R first, so norm splits it per allele (some files declare
    // Number=., which norm copies whole to every split record).
    bool ad_per_allele = false;
};

// Writes DIR/NAME.norm.bcf (+ .csi) and returns its path; fails the test when bcftools does.
std::string bcftools_normalised(const std::string& vcf, const TempDir& dir, const std::string& name,
                                NormaliseOptions options = {});

}  // namespace vcfagent::test
