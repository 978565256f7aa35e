#pragma once
// Checks a VCF/BCF file against the VCF specification. htslib parses the header lines and the
// records; on top of that the validator checks what htslib tolerates silently (bad bases,
// non-numeric POS, sample column counts, unsorted records, ...). Validation goes on past every
// problem so that one run reports all of them, each with a stable rule id, a severity and the
// line (text VCF) or record ordinal (BCF) where it occurs.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace vcfagent::vcf {

enum class Severity { kError, kWarning, kInfo };
std::string_view severity_name(Severity s);

struct Finding {
    std::string rule;  // stable id, e.g. "record.ref.bases"
    Severity severity = Severity::kError;
    int64_t line = 0;  // 1-based line (text VCF) or record ordinal (BCF); 0: the file as a whole
    std::string message;
};

struct ValidateOptions {
    size_t max_findings = 1000;  // findings kept in the report; the rest are only counted
    bool allow_empty = false;    // a header-only file is valid
};

struct ValidationReport {
    std::string file;  // as given ("-" for standard input)
    bool is_bcf = false;
    int64_t records = 0;
    int64_t errors = 0;
    int64_t warnings = 0;
    int64_t infos = 0;
    std::vector<Finding> findings;  // in file order, at most ValidateOptions::max_findings
    int64_t findings_omitted = 0;
    // Reading stopped early (corrupt or truncated compressed data): the file is unreadable
    // past unreadable_line, and the findings cover only what came before.
    bool unreadable = false;
    int64_t unreadable_line = 0;
    std::string unreadable_reason;

    bool valid() const { return errors == 0 && !unreadable; }
};

// Validates a VCF (plain, gzip or bgzip), a BCF, or standard input ("-"). Throws InputError
// when the input cannot be read at all (missing, a directory, empty, not VCF/BCF); problems
// found while reading are returned as findings.
ValidationReport validate_vcf(const std::string& path, const ValidateOptions& opts = {});

// `FILE:LINE: severity: [rule] message` lines, then one summary line.
std::string format_validation_text(const ValidationReport& report);
// {"file","valid","errors","warnings","infos","records","findings":[{rule,severity,line,message}],
//  "findings_omitted", and "unreadable" when reading stopped early}.
nlohmann::json validation_to_json(const ValidationReport& report);

}  // namespace vcfagent::vcf
