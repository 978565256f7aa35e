#include "report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/html_escape.hpp"

namespace vcfagent::report {

namespace {

// Plot area geometry (SVG user units; the page scales the SVG to its column width).
constexpr double kWidth = 760;
constexpr double kLeft = 64;
constexpr double kRight = 16;
constexpr double kTop = 16;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// A "nice" upper end for an axis holding `max` (1, 2 or 5 times a power of ten).
double axis_max(double max) {
    if (max <= 0) return 1;
    const double p = std::pow(10, std::floor(std::log10(max)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= max) return m * p;
    return 10 * p;
}

std::string open_svg(const std::string& plot_id, double height, const std::string& label) {
    return "<svg data-plot=\"" + html_escape(plot_id) + "\" viewBox=\"0 0 " + num(kWidth) + " " +
           num(height) + "\" role=\"img\" aria-label=\"" + html_escape(label) +
           "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
}

std::string text(double x, double y, const std::string& content, const std::string& extra = "") {
    return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + extra + ">" + html_escape(content) +
           "</text>";
}

std::string tooltip(const Bar& b) {
    return b.tooltip.empty() ? b.label + ": " + format_number(b.value, 2) : b.tooltip;
}

// Horizontal grid lines and y tick labels from 0 to `top` over a plot of height `h`.
std::string y_axis(double top, double plot_h, const std::string& y_label) {
    std::string out;
    for (int i = 0; i <= 4; ++i) {
        const double v = top * i / 4;
        const double y = kTop + plot_h - plot_h * i / 4;
        out += "<line class=\"grid\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) +
               "\" y1=\"" + num(y) + "\" y2=\"" + num(y) + "\"/>";
        out += text(kLeft - 6, y + 4, format_number(v, top < 10 ? 2 : 0),
                    " class=\"tick\" text-anchor=\"end\"");
        out += "\n";
    }
    out += text(14, kTop + plot_h / 2, y_label,
                " class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
                    num(kTop + plot_h / 2) + ")\"");
    return out + "\n";
}

}  // namespace

std::string format_number(double value, int decimals) {
    char buf[64];
    if (decimals > 0 || std::fabs(value - std::round(value)) > 1e-9) {
        std::snprintf(buf, sizeof buf, "%.*f", decimals > 0 ? decimals : 2, value);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%.0f", value);
    std::string digits = buf, out;
    const size_t start = digits[0] == '-' ? 1 : 0;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > start && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string column_chart(const std::string& plot_id, const std::string& x_label,
                         const std::string& y_label, const std::vector<Bar>& bars,
                         size_t label_every) {
    const double plot_h = 220, height = kTop + plot_h + 52;
    std::string out = open_svg(plot_id, height, y_label + " by " + x_label);
    double max = 0;
    for (const auto& b : bars) max = std::max(max, b.value);
    const double top = axis_max(max);
    out += y_axis(top, plot_h, y_label);
    const double plot_w = kWidth - kLeft - kRight;
    const double slot = bars.empty() ? plot_w : plot_w / static_cast<double>(bars.size());
    if (label_every == 0) label_every = std::max<size_t>(1, bars.size() / 12);
    for (size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        const double h = b.value > 0 ? std::max(1.0, plot_h * b.value / top) : 0;
        const double x = kLeft + slot * static_cast<double>(i);
        const double w = std::max(1.0, slot * (slot > 4 ? 0.8 : 1.0));
        out += "<rect class=\"" + html_escape(b.css_class) + "\" x=\"" + num(x) + "\" y=\"" +
               num(kTop + plot_h - h) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
               "\"><title>" + html_escape(tooltip(b)) + "</title></rect>\n";
        if (i % label_every == 0)
            out += text(x + w / 2, kTop + plot_h + 16, b.label,
                        " class=\"tick\" text-anchor=\"middle\"") +
                   "\n";
    }
    out += text(kLeft + plot_w / 2, height - 8, x_label,
                " class=\"axis-label\" text-anchor=\"middle\"");
    return out + "\n</svg>\n";
}

std::string row_chart(const std::string& plot_id, const std::string& value_label,
                      const std::vector<Bar>& bars) {
    const double row = 20, label_w = 220;
    const double height = kTop + row * static_cast<double>(bars.size()) + 36;
    std::string out = open_svg(plot_id, height, value_label);
    double max = 0;
    for (const auto& b : bars) max = std::max(max, b.value);
    const double top = axis_max(max);
    const double left = label_w, plot_w = kWidth - left - kRight - 60;
    for (size_t i = 0; i < bars.size(); ++i) {
        const Bar& b = bars[i];
        const double y = kTop + row * static_cast<double>(i);
        const double w = b.value > 0 ? std::max(1.0, plot_w * b.value / top) : 0;
        std::string label = b.label.size() > 34 ? b.label.substr(0, 31) + "..." : b.label;
        out += text(left - 6, y + 14, label, " class=\"tick\" text-anchor=\"end\"");
        out += "<rect class=\"" + html_escape(b.css_class) + "\" x=\"" + num(left) + "\" y=\"" +
               num(y + 3) + "\" width=\"" + num(w) + "\" height=\"" + num(row - 6) + "\"><title>" +
               html_escape(tooltip(b)) + "</title></rect>";
        out += text(left + w + 4, y + 14, format_number(b.value), " class=\"value\"") + "\n";
    }
    out += text(left + plot_w / 2, height - 8, value_label,
                " class=\"axis-label\" text-anchor=\"middle\"");
    return out + "\n</svg>\n";
}

std::string line_chart(const std::string& plot_id, const std::string& x_label,
                       const std::string& y_label, const std::vector<Series>& series) {
    const double plot_h = 220, height = kTop + plot_h + 52;
    std::string out = open_svg(plot_id, height, y_label + " by " + x_label);
    double xmin = 0, xmax = 1, ymax = 0;
    bool first = true;
    for (const auto& s : series)
        for (const auto& [x, y] : s.points) {
            xmin = first ? x : std::min(xmin, x);
            xmax = first ? x : std::max(xmax, x);
            first = false;
            ymax = std::max(ymax, y);
        }
    if (xmax <= xmin) xmax = xmin + 1;
    const double top = axis_max(ymax);
    out += y_axis(top, plot_h, y_label);
    const double plot_w = kWidth - kLeft - kRight;
    auto px = [&](double x) { return kLeft + plot_w * (x - xmin) / (xmax - xmin); };
    auto py = [&](double y) { return kTop + plot_h - plot_h * y / top; };
    for (int i = 0; i <= 4; ++i) {
        const double x = xmin + (xmax - xmin) * i / 4;
        out += text(px(x), kTop + plot_h + 16, format_number(std::round(x)),
                    " class=\"tick\" text-anchor=\"middle\"");
    }
    out += "\n";
    double legend_x = kLeft + 8;
    for (const auto& s : series) {
        if (s.points.empty()) continue;
        std::string points;
        for (const auto& [x, y] : s.points) points += num(px(x)) + "," + num(py(y)) + " ";
        out += "<polyline class=\"" + html_escape(s.css_class) + "\" points=\"" + points +
               "\"><title>" + html_escape(s.name) + "</title></polyline>\n";
        out += "<rect class=\"" + html_escape(s.css_class) + " swatch\" x=\"" + num(legend_x) +
               "\" y=\"" + num(kTop + 2) + "\" width=\"12\" height=\"4\"/>";
        out += text(legend_x + 16, kTop + 8, s.name, " class=\"tick\"") + "\n";
        legend_x += 24 + 7.0 * static_cast<double>(s.name.size());
    }
    out += text(kLeft + plot_w / 2, height - 8, x_label,
                " class=\"axis-label\" text-anchor=\"middle\"");
    return out + "\n</svg>\n";
}

}  // namespace vcfagent::report
