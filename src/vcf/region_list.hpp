#pragma once
// Genomic regions from `-r chr:beg-end[,...]` or a BED file (`-R`), 1-based inclusive.
#include <cstdint>
#include <string>
#include <vector>

namespace vcfagent::vcf {

struct Region {
    std::string chrom;
    int64_t beg = 1;                  // 1-based inclusive
    int64_t end = INT64_MAX / 4;      // 1-based inclusive; open end when omitted
    std::string to_string() const;    // "chr:beg-end" (htslib region syntax)
};

// Parses "chr", "chr:pos", "chr:beg-end", "chr:beg-" separated by commas. Thousands
// separators (1,000) are not supported because ',' separates regions, as in bcftools -r.
std::vector<Region> parse_regions(const std::string& spec);

// Reads a BED file (0-based half-open) or a tab-separated chr/beg/end 1-based file when the
// name does not end in .bed, as bcftools -R does. Comment/track/browser lines are skipped.
std::vector<Region> read_regions_file(const std::string& path);

}  // namespace vcfagent::vcf
