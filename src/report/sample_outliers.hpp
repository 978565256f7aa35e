#pragma once
// Robust outlier marking for per-sample numbers: a value is an outlier when it lies more than
// k scaled median absolute deviations from the median (the MAD times 1.4826 estimates the
// standard deviation of normally distributed values, unaffected by the outliers themselves).
// With fewer than kMinSamples values, or a MAD of 0 (most samples equal), nothing is marked:
// there is then no spread to measure against.
#include <cstddef>
#include <vector>

namespace vcfagent::report {

inline constexpr double kOutlierMads = 3.0;
inline constexpr size_t kMinOutlierSamples = 5;

struct OutlierRule {
    double median = 0;
    double scaled_mad = 0;  // 1.4826 * median(|x - median|)
    bool usable = false;    // enough values and a non-zero spread
    double low() const { return median - kOutlierMads * scaled_mad; }
    double high() const { return median + kOutlierMads * scaled_mad; }
    bool is_outlier(double v) const { return usable && (v < low() || v > high()); }
};

OutlierRule outlier_rule(std::vector<double> values);

}  // namespace vcfagent::report
