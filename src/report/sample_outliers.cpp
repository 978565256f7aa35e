#include "report/sample_outliers.hpp"

#include <algorithm>
#include <cmath>

namespace vcfagent::report {

namespace {

double median_of(std::vector<double>& v) {
    const size_t n = v.size();
    std::sort(v.begin(), v.end());
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

OutlierRule outlier_rule(std::vector<double> values) {
    OutlierRule rule;
    if (values.empty()) return rule;
    rule.median = median_of(values);
    std::vector<double> deviations;
    deviations.reserve(values.size());
    for (double v : values) deviations.push_back(std::fabs(v - rule.median));
    rule.scaled_mad = 1.4826 * median_of(deviations);
    rule.usable = values.size() >= kMinOutlierSamples && rule.scaled_mad > 0;
    return rule;
}

}  // namespace vcfagent::report
