#include "cli/common_options.hpp"

#include <fstream>

#include "common/error.hpp"

namespace vcfagent::cli {

namespace {
std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        if (comma > start) out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}
}  // namespace

vcf::ReaderOptions InputSelection::reader_options() const {
    vcf::ReaderOptions o;
    o.threads = threads;
    try {
        if (!regions.empty()) o.regions = vcf::parse_regions(regions);
    } catch (const std::invalid_argument& e) {
        throw InputError("-r " + regions, 0, e.what(), kExitUsage);
    }
    if (!regions_file.empty()) {
        auto more = vcf::read_regions_file(regions_file);
        o.regions.insert(o.regions.end(), more.begin(), more.end());
    }
    if (!samples.empty() && samples != "-") o.samples = split_list(samples);
    if (!samples_file.empty()) {
        std::ifstream in(samples_file);
        if (!in) throw InputError(samples_file, 0, "cannot open samples file", kExitUsage);
        std::string line;
        while (std::getline(in, line))
            if (!line.empty()) o.samples.push_back(line);
    }
    return o;
}

void add_region_options(CLI::App& cmd, InputSelection& sel) {
    cmd.add_option("-r,--regions", sel.regions, "Regions chr:beg-end[,...] (needs .tbi/.csi index)");
    cmd.add_option("-R,--regions-file", sel.regions_file, "Regions from a BED file (or chr/beg/end TSV)");
}

void add_sample_options(CLI::App& cmd, InputSelection& sel) {
    cmd.add_option("-s,--samples", sel.samples, "Comma-separated samples to include");
    cmd.add_option("-S,--samples-file", sel.samples_file, "File of samples to include, one per line");
}

void add_threads_option(CLI::App& cmd, int& threads) {
    cmd.add_option("--threads", threads, "Extra worker threads (decompression, pipeline stages)")
        ->check(CLI::Range(0, 256));
}

void add_output_format_option(CLI::App& cmd, std::string& format, const std::vector<std::string>& choices) {
    format = choices.front();
    cmd.add_option("-O,--output-type", format, "Output format")
        ->check(CLI::IsMember(choices))
        ->capture_default_str();
}

void add_db_option(CLI::App& cmd, std::string& db) {
    db = "vcf-agent-db";
    cmd.add_option("--db", db, "Store directory")->capture_default_str();
}

void add_data_dir_option(CLI::App& cmd, std::string& data_dir) {
    cmd.add_option("--data-dir", data_dir,
                   "Directory whose VCF/BCF files the file tools may read (default: none)");
}

}  // namespace vcfagent::cli
