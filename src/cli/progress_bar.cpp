#include "cli/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>

namespace vcfagent::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(int64_t records, int64_t bytes, int64_t total_bytes) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(records) / secs : 0;
    char eta[32] = "";
    double pct = -1;
    if (total_bytes > 0 && bytes > 0) {
        pct = 100.0 * static_cast<double>(bytes) / static_cast<double>(total_bytes);
        const double left = secs * (static_cast<double>(total_bytes) / static_cast<double>(bytes) - 1);
        std::snprintf(eta, sizeof eta, " ETA %.0fs", left > 0 ? left : 0);
    }
    const int width = 30;
    std::string bar;
    if (pct >= 0) {
        const int filled = static_cast<int>(pct / 100 * width);
        bar = "[" + std::string(static_cast<size_t>(std::min(filled, width)), '#') +
              std::string(static_cast<size_t>(width - std::min(filled, width)), ' ') + "] ";
    }
    std::fprintf(stderr, "\r%s %s%lld records  %.0f rec/s%s%s", label_.c_str(), bar.c_str(),
                 static_cast<long long>(records), rate, pct >= 0 ? "" : "", eta);
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressBar::finish() {
    if (enabled_ && drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
}

}  // namespace vcfagent::cli
