#pragma once
// A one-line progress display on stderr (records, records/s, percent and ETA from bytes read),
// shown only when stderr is a terminal; piped runs stay quiet.
#include <chrono>
#include <cstdint>
#include <string>

namespace vcfagent::cli {

class ProgressBar {
public:
    explicit ProgressBar(std::string label);
    ~ProgressBar();
    void update(int64_t records, int64_t bytes, int64_t total_bytes);
    void finish();

private:
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace vcfagent::cli
