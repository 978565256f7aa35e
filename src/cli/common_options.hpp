#pragma once
// Options shared by several commands, spelled as in bcftools: -r/-R regions, -s/-S samples,
// -O output format, --threads, --db.
#include <CLI/CLI.hpp>

#include <string>

#include "vcf/reader.hpp"

namespace vcfagent::cli {

struct InputSelection {
    std::string regions;       // -r chr:beg-end[,...]
    std::string regions_file;  // -R file.bed
    std::string samples;       // -s A,B  (a leading ^ is not supported)
    std::string samples_file;  // -S file, one sample per line
    int threads = 0;

    // Resolves the options into reader options (reads the region/sample files).
    vcf::ReaderOptions reader_options() const;
};

void add_region_options(CLI::App& cmd, InputSelection& sel);
void add_sample_options(CLI::App& cmd, InputSelection& sel);
void add_threads_option(CLI::App& cmd, int& threads);
// -O/--output-type restricted to `choices`; the first is the default.
void add_output_format_option(CLI::App& cmd, std::string& format, const std::vector<std::string>& choices);
// --db DIR, default ./vcf-agent-db
void add_db_option(CLI::App& cmd, std::string& db);
// --data-dir DIR: the only directory the file tools (validate_file, file_stats) may read
void add_data_dir_option(CLI::App& cmd, std::string& data_dir);

}  // namespace vcfagent::cli
