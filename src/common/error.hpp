#pragma once
// Errors that reach the user. Every input error names the file and, where one exists, the line
// (text VCF) or record ordinal (BCF) so a person can find the offending data.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace vcfagent {

// Process exit codes shared by all commands.
enum ExitCode : int { kExitOk = 0, kExitInvalid = 1, kExitUnreadable = 2, kExitUsage = 3 };

class InputError : public std::runtime_error {
public:
    // line <= 0 means "no line applies" (e.g. the file cannot be opened at all).
    InputError(std::string file, int64_t line, std::string reason, int exit_code = kExitUnreadable);

    const std::string& file() const { return file_; }
    int64_t line() const { return line_; }
    const std::string& reason() const { return reason_; }
    int exit_code() const { return exit_code_; }

private:
    std::string file_;
    int64_t line_;
    std::string reason_;
    int exit_code_;
};

// A store-level failure (Kuzu, FAISS, manifest). Carries the store directory.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace vcfagent
