#include "common/error.hpp"

namespace vcfagent {

namespace {
std::string format_input_error(const std::string& file, int64_t line, const std::string& reason) {
    std::string msg = file;
    if (line > 0) msg += ":" + std::to_string(line);
    msg += ": " + reason;
    return msg;
}
}  // namespace

InputError::InputError(std::string file, int64_t line, std::string reason, int exit_code)
    : std::runtime_error(format_input_error(file, line, reason)),
      file_(std::move(file)),
      line_(line),
      reason_(std::move(reason)),
      exit_code_(exit_code) {}

}  // namespace vcfagent
