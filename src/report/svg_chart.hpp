#pragma once
// Inline SVG charts for the report: self-contained markup (no script, no external resource),
// styled by the page's CSS classes. Every chart is an <svg data-plot="ID"> whose marks are
// <rect> (bars) or <polyline> (lines), each with a <title> tooltip; labels are escaped here.
#include <string>
#include <utility>
#include <vector>

namespace vcfagent::report {

struct Bar {
    Bar(std::string label_, double value_, std::string css_class_ = "bar",
        std::string tooltip_ = "")
        : label(std::move(label_)),
          value(value_),
          css_class(std::move(css_class_)),
          tooltip(std::move(tooltip_)) {}
    std::string label;
    double value = 0;
    std::string css_class;  // e.g. "bar ts", "bar outlier"
    std::string tooltip;    // shown on hover; the label and value when empty
};

// Vertical columns over categories or bins; `label_every` thins the x labels (0: automatic).
std::string column_chart(const std::string& plot_id, const std::string& x_label,
                         const std::string& y_label, const std::vector<Bar>& bars,
                         size_t label_every = 0);

// Horizontal bars, one labelled row each (long names: genes, samples, consequence terms).
std::string row_chart(const std::string& plot_id, const std::string& value_label,
                      const std::vector<Bar>& bars);

struct Series {
    std::string name;
    std::string css_class;                          // e.g. "line a"
    std::vector<std::pair<double, double>> points;  // (x, y), x ascending
};

// Lines over a numeric x axis, with a legend.
std::string line_chart(const std::string& plot_id, const std::string& x_label,
                       const std::string& y_label, const std::vector<Series>& series);

// A number as the page prints it: integers with thousands separators, others with `decimals`.
std::string format_number(double value, int decimals = 0);

}  // namespace vcfagent::report
