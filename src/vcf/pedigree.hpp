#pragma once
// Pedigrees in the PED format (PLINK / GEMINI / slivar): six whitespace-separated columns
// (family, sample, father, mother, sex, phenotype) and any extra columns, one sample per line,
// '#' comment lines. '0' (or '.') names an unknown parent. Read whole and checked: a PED is a
// small file, and its errors (unknown parents, a sample that is its own ancestor, a father
// of sex 2) make every inheritance result wrong, so none is stored unless all lines pass.
#include <cstdint>
#include <string>
#include <vector>

namespace vcfagent::vcf {

struct PedigreeMember {
    std::string family, sample, father, mother;  // parents empty when unknown
    int64_t sex = 0;                             // 1 male, 2 female, 0 unknown
    int64_t phenotype = 0;  // 1 unaffected, 2 affected, 0 unknown (-9 is read as 0)
    std::string extra;      // columns past the sixth, tab-joined
    int64_t line = 0;       // line in the PED file, for messages
};

// Reads and checks a PED file; throws InputError naming the file, the line and the reason.
std::vector<PedigreeMember> read_pedigree(const std::string& path);

}  // namespace vcfagent::vcf
