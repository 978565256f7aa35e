#include "support/bcftools_norm.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace vcfagent::test {

namespace {

std::string must(const std::string& command_line) {
    const auto r = run_shell(command_line);
    EXPECT_EQ(r.exit_code, 0) << command_line << "\n" << r.err;
    return r.out;
}

void write_reference_of(const std::string& vcf, const std::string& fasta) {
    std::map<std::string, std::string> seq;
    std::istringstream in(must("bcftools query -f '%CHROM\\t%POS\\t%REF\\n' " + vcf));
    std::string chrom, ref;
    int64_t pos = 0;
    while (in >> chrom >> pos >> ref) {
        std::string& s = seq[chrom];
        const size_t end = static_cast<size_t>(pos - 1) + ref.size();
        if (s.size() < end) s.resize(end, 'N');
        s.replace(static_cast<size_t>(pos - 1), ref.size(), ref);
    }
    std::string text;
    for (const auto& [name, bases] : seq) {
        text += ">" + name + "\n";
        for (size_t i = 0; i < bases.size(); i += 60) text += bases.substr(i, 60) + "\n";
    }
    write_file(fasta, text);
}

}  // namespace

std::string bcftools_normalised(const std::string& vcf, const TempDir& dir, const std::string& name,
                                NormaliseOptions options) {
    const std::string fasta = dir.file(name + ".ref.fa");
    write_reference_of(vcf, fasta);
    std::string input = vcf;
    if (options.ad_per_allele) {
        const std::string header = dir.file(name + ".header.txt");
        must("bcftools view -h " + vcf +
             " | sed 's/^##FORMAT=<ID=AD,Number=\\./##FORMAT=<ID=AD,Number=R/' > " + header);
        input = dir.file(name + ".reheader.bcf");
        must("bcftools reheader -h " + header + " " + vcf + " | bcftools view -Ob -o " + input);
    }
    const std::string out = dir.file(name + ".norm.bcf");
    std::string command = "bcftools norm -f " + fasta + " -m -any " + input + " -Ob 2>/dev/null";
    if (options.drop_ac_an) command += " | bcftools annotate -x INFO/AC,INFO/AN -Ob";
    must(command + " -o " + out);
    must("bcftools index -f " + out);
    return out;
}

}  // namespace vcfagent::test
