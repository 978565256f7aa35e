#include "report/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/version.hpp"
#include "report/html_escape.hpp"
#include "report/svg_chart.hpp"
#include "vcf/stats_sections.hpp"

namespace vcfagent::report {

namespace {

// Charts stay readable: at most this many columns or rows each.
constexpr size_t kAfColumns = 100;
constexpr size_t kQualityColumns = 60;
constexpr size_t kMaxRows = 40;
constexpr size_t kMaxContigPlots = 30;

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header{background:#24364b;color:#fff;padding:18px 28px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;opacity:.85}
nav{padding:8px 28px;background:#e7ebf0;font-size:14px} nav a{margin-right:14px;color:#24364b}
main{max-width:980px;margin:0 auto;padding:8px 20px 40px}
section{background:#fff;border:1px solid #dde2e8;border-radius:6px;margin:18px 0;padding:6px 20px 16px}
h2{font-size:18px;border-bottom:1px solid #e3e7ec;padding-bottom:6px}
h3{font-size:15px;margin:16px 0 4px}
p.note{color:#56616e;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
th,td{border-bottom:1px solid #e6e9ed;padding:3px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}
th{background:#f0f3f6}
tr.outlier td{background:#fdecea} td.flag{color:#b3261e;font-weight:600}
svg{width:100%;height:auto;display:block;margin:6px 0}
svg .bar{fill:#4f7cac} svg .bar.ts{fill:#3a9e6f} svg .bar.tv{fill:#d08c35}
svg .bar.del{fill:#c0504d} svg .bar.ins{fill:#4f7cac} svg .bar.outlier{fill:#b3261e}
svg .bar.high{fill:#b3261e} svg .bar.moderate{fill:#d08c35} svg .bar.low{fill:#3a9e6f}
svg .bar.modifier{fill:#8a96a3}
svg .grid{stroke:#e6e9ed} svg .tick,svg .value{font-size:11px;fill:#56616e}
svg .axis-label{font-size:12px;fill:#1d2733}
svg polyline{fill:none;stroke-width:2} svg .line.a{stroke:#4f7cac} svg .line.b{stroke:#d08c35}
svg .swatch.a{fill:#4f7cac} svg .swatch.b{fill:#d08c35}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}
)";

struct SectionInfo {
    const char* id;
    const char* title;
};
const SectionInfo kSections[] = {
    {"summary", "Summary"},
    {"variant-classes", "Variant classes"},
    {"substitutions", "Substitution types and Ts/Tv"},
    {"indels", "Indel lengths"},
    {"allele-frequency", "Allele-frequency spectrum"},
    {"quality", "Quality"},
    {"depth", "Depth"},
    {"samples", "Per-sample counts"},
    {"chromosomes", "Variants along the chromosomes"},
    {"consequences", "Consequences and impact"},
    {"genes", "Most-hit genes"},
};

std::string fmt(uint64_t v) {
    return format_number(static_cast<double>(v));
}

class Page {
  public:
    void open(const char* id, const char* title) {
        out_ += "<section id=\"" + std::string(id) + "\">\n<h2>" + title + "</h2>\n";
    }
    void close() { out_ += "</section>\n"; }
    void note(const std::string& escaped_html) {
        out_ += "<p class=\"note\">" + escaped_html + "</p>\n";
    }
    void add(const std::string& html) { out_ += html; }
    // A table of rows whose cells are already escaped. `row_attributes` (optional, per row,
    // escaped) carry the exact values for scripts: class, data-key, data-value, ...
    void table(const std::vector<std::string>& head,
               const std::vector<std::vector<std::string>>& rows,
               const std::vector<std::string>& row_attributes = {}) {
        out_ += "<table><thead><tr>";
        for (const auto& h : head) out_ += "<th>" + h + "</th>";
        out_ += "</tr></thead><tbody>\n";
        for (size_t i = 0; i < rows.size(); ++i) {
            out_ += "<tr" + (i < row_attributes.size() ? row_attributes[i] : std::string()) + ">";
            for (const auto& c : rows[i]) out_ += "<td>" + c + "</td>";
            out_ += "</tr>\n";
        }
        out_ += "</tbody></table>\n";
    }
    std::string& text() { return out_; }

  private:
    std::string out_;
};

void summary(Page& p, const ReportData& d) {
    const auto& s = d.stats;
    p.open("summary", "Summary");
    p.note(
        "The SN and TSTV numbers of <code>bcftools stats</code>, computed by the same code as "
        "<code>vcf-agent stats</code>; the .vchk file beside this page holds every section.");
    const std::vector<std::pair<const char*, uint64_t>> counts = {
        {"samples", static_cast<uint64_t>(std::max(0, s.samples_in_header))},
        {"records", s.records},
        {"no-ALTs", s.no_alts},
        {"SNPs", s.snps},
        {"MNPs", s.mnps},
        {"indels", s.indels},
        {"others", s.others},
        {"multiallelic sites", s.multiallelic},
        {"multiallelic SNP sites", s.multiallelic_snps}};
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> attributes;
    for (const auto& [key, value] : counts) {
        rows.push_back({key, fmt(value)});
        attributes.push_back(" data-key=\"number of " + std::string(key) + ":\" data-value=\"" +
                             std::to_string(value) + "\"");
    }
    rows.push_back({"ts/tv", format_number(s.ts_tv(), 2)});
    rows.push_back({"ts/tv (1st ALT)", format_number(s.ts_tv_alt1(), 2)});
    p.table({"", "count"}, rows, attributes);
    p.close();
}

void variant_classes(Page& p, const ReportData& d) {
    const auto& s = d.stats;
    p.open("variant-classes", "Variant classes");
    p.note(
        "Records with at least one ALT allele of each class; a record with several classes "
        "counts in each.");
    std::vector<Bar> bars = {{"SNPs", static_cast<double>(s.snps)},
                             {"MNPs", static_cast<double>(s.mnps)},
                             {"indels", static_cast<double>(s.indels)},
                             {"others", static_cast<double>(s.others)},
                             {"no-ALTs", static_cast<double>(s.no_alts)},
                             {"multiallelic", static_cast<double>(s.multiallelic)}};
    p.add(column_chart("variant-classes", "class", "records", bars, 1));
    p.close();
}

void substitutions(Page& p, const ReportData& d) {
    const auto& s = d.stats;
    p.open("substitutions", "Substitution types and Ts/Tv");
    std::vector<Bar> bars;
    for (const auto& r : vcf::substitution_rows(s))
        bars.push_back(
            {r.type, static_cast<double>(r.count), r.transition ? "bar ts" : "bar tv",
             r.type + (r.transition ? " (transition): " : " (transversion): ") + fmt(r.count)});
    p.add(column_chart("substitution-types", "substitution (green: transition)", "SNP alleles",
                       bars, 1));
    p.table({"", "transitions", "transversions", "ts/tv"},
            {{"all SNP ALT alleles", fmt(s.ts), fmt(s.tv), format_number(s.ts_tv(), 2)},
             {"1st ALT only", fmt(s.ts_alt1), fmt(s.tv_alt1), format_number(s.ts_tv_alt1(), 2)}});
    p.close();
}

void indels(Page& p, const ReportData& d) {
    p.open("indels", "Indel lengths");
    const auto rows = vcf::indel_length_rows(d.stats);
    if (rows.empty()) {
        p.note("No indel in the input.");
        p.close();
        return;
    }
    std::vector<Bar> bars;
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows) {
        // Built in steps: GCC 12 warns (-Wrestrict, a false positive) on the one-expression form.
        std::string label = std::to_string(r.length);
        if (r.length > 0) label.insert(0, 1, '+');
        if (std::abs(r.length) == vcf::kMaxIndelLength) label += '+';
        bars.push_back({label, static_cast<double>(r.sites), r.length < 0 ? "bar del" : "bar ins",
                        label + " bp: " + fmt(r.sites) + " alleles"});
        table.push_back({label, fmt(r.sites), fmt(r.genotypes),
                         r.has_vaf ? format_number(r.mean_vaf, 2) : "."});
    }
    p.add(column_chart("indel-lengths", "length (bp; red: deletions, blue: insertions)",
                       "indel alleles", bars));
    p.note("Lengths of " + std::to_string(vcf::kMaxIndelLength) +
           " bases or more share the last bin. Mean VAF: the ALT read fraction (FORMAT/AD) of "
           "het genotypes.");
    p.table({"length", "alleles", "het genotypes with AD", "mean VAF"}, table);
    p.close();
}

void allele_frequency(Page& p, const ReportData& d) {
    p.open("allele-frequency", "Allele-frequency spectrum");
    const auto rows = vcf::allele_frequency_rows(d.stats);
    std::vector<double> snps(kAfColumns, 0), indel(kAfColumns, 0);
    for (const auto& r : rows) {
        const auto bin = std::min(kAfColumns - 1, static_cast<size_t>(r.af * kAfColumns + 1e-9));
        snps[bin] += static_cast<double>(r.counts.snps);
        indel[bin] += static_cast<double>(r.counts.indels);
    }
    std::vector<Bar> bars;
    for (size_t i = 0; i < kAfColumns; ++i) {
        const std::string label = format_number(static_cast<double>(i) / kAfColumns, 2);
        bars.push_back({label, snps[i] + indel[i], "bar",
                        "AF " + label + ": " + format_number(snps[i]) + " SNP, " +
                            format_number(indel[i]) + " indel alleles"});
    }
    p.add(column_chart("allele-frequency", "non-reference allele frequency", "ALT alleles", bars,
                       10));
    const auto& one = d.stats.af.front();
    p.note(
        "Frequency from INFO/AC and AN, else from the genotypes; alleles without either are "
        "in the first bin. Singletons (AC = 1) are in the first bin too: " +
        fmt(one.snps) + " SNP and " + fmt(one.indels) + " indel alleles.");
    p.close();
}

void quality(Page& p, const ReportData& d) {
    p.open("quality", "Quality");
    const auto rows = vcf::quality_rows(d.stats);
    uint64_t missing = 0, total = 0;
    for (const auto& r : rows) {
        total += r.ts + r.tv + r.indels;
        if (r.missing_quality) missing += r.ts + r.tv + r.indels;
    }
    // The axis ends at the 99th percentile so that a few huge values do not flatten the rest.
    double upper = 0;
    uint64_t seen = missing;
    for (const auto& r : rows) {
        if (r.missing_quality) continue;
        seen += r.ts + r.tv + r.indels;
        upper = r.quality;
        if (static_cast<double>(seen) >= 0.99 * static_cast<double>(total)) break;
    }
    std::vector<Bar> bars;
    if (total > missing) {
        const double width = std::max(0.1, std::ceil(upper / kQualityColumns * 10) / 10);
        std::vector<double> counts(kQualityColumns + 1, 0);
        for (const auto& r : rows) {
            if (r.missing_quality) continue;
            const auto bin = std::min(kQualityColumns, static_cast<size_t>(r.quality / width));
            counts[bin] += static_cast<double>(r.ts + r.tv + r.indels);
        }
        for (size_t i = 0; i <= kQualityColumns; ++i) {
            // Whole numbers once the bins are a unit or wider.
            const double start = width * static_cast<double>(i);
            const std::string value =
                width >= 1 ? format_number(std::round(start)) : format_number(start, 1);
            const std::string label = (i == kQualityColumns ? ">" : "") + value;
            bars.push_back({label, counts[i], "bar",
                            "QUAL " + label + ": " + format_number(counts[i]) + " records"});
        }
    }
    if (missing)
        bars.insert(bars.begin(), Bar{"missing", static_cast<double>(missing), "bar tv", ""});
    if (bars.empty()) {
        p.note("No SNP or indel record.");
    } else {
        p.add(column_chart("quality", "QUAL", "records (SNPs by 1st ALT, indels)", bars, 10));
    }
    p.note("From the QUAL section: " + fmt(total) + " records, " + fmt(missing) +
           " without a quality.");
    p.close();
}

void depth(Page& p, const ReportData& d) {
    p.open("depth", "Depth");
    const auto rows = vcf::depth_rows(d.stats);
    Series genotypes{"genotypes (FORMAT/DP)", "line a", {}};
    Series sites{"sites (INFO/DP)", "line b", {}};
    uint64_t below = 0, above = 0;
    for (const auto& r : rows) {
        if (r.depth < 0 || r.depth > vcf::kMaxDepth) {
            (r.depth < 0 ? below : above) += r.genotypes + r.sites;
            continue;
        }
        if (r.genotypes) genotypes.points.push_back({r.depth, r.genotype_percent});
        if (r.sites) sites.points.push_back({r.depth, r.site_percent});
    }
    if (genotypes.points.empty() && sites.points.empty()) {
        p.note("No FORMAT/DP, FORMAT/AD or INFO/DP in the input.");
    } else {
        std::vector<Series> series;
        if (!genotypes.points.empty()) series.push_back(genotypes);
        if (!sites.points.empty()) series.push_back(sites);
        p.add(line_chart("depth", "depth", "% of genotypes / sites", series));
        p.note("Depths above " + std::to_string(vcf::kMaxDepth) + ": " + fmt(above) +
               "; below 0: " + fmt(below) + ".");
    }
    p.close();
}

void samples(Page& p, const ReportData& d) {
    p.open("samples", "Per-sample counts");
    if (d.samples.empty()) {
        p.note("The input has no sample columns.");
        p.close();
        return;
    }
    std::vector<Bar> hets, ratio;
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> attributes;
    size_t flagged = 0;
    for (const auto& r : d.samples) {
        auto marked = [&](const char* metric) {
            return std::find(r.outlier_in.begin(), r.outlier_in.end(), metric) !=
                   r.outlier_in.end();
        };
        hets.push_back({r.name, static_cast<double>(r.hets), marked("hets") ? "bar outlier" : "bar",
                        r.name + ": " + fmt(r.hets) + " het"});
        ratio.push_back({r.name, r.het_hom_ratio, marked("het_hom_ratio") ? "bar outlier" : "bar",
                         r.name + ": het/hom-alt " + format_number(r.het_hom_ratio, 2)});
        auto cell = [&](const std::string& v, const char* metric) {
            return marked(metric) ? "<span class=\"flag\">" + v + " &#9650;</span>" : v;
        };
        std::string flags;
        for (const auto& m : r.outlier_in) flags += (flags.empty() ? "" : ", ") + m;
        table.push_back({html_escape(r.name), cell(fmt(r.hets), "hets"),
                         cell(fmt(r.hom_alt), "hom_alt"),
                         cell(format_number(r.het_hom_ratio, 2), "het_hom_ratio"), fmt(r.indels),
                         cell(fmt(r.missing), "missing"), cell(fmt(r.singletons), "singletons"),
                         html_escape(flags)});
        attributes.push_back((r.outlier_in.empty() ? "" : " class=\"outlier\"") +
                             std::string(" data-sample=\"") + html_escape(r.name) +
                             "\" data-hets=\"" + std::to_string(r.hets) + "\" data-hom-alt=\"" +
                             std::to_string(r.hom_alt) + "\" data-missing=\"" +
                             std::to_string(r.missing) + "\" data-singletons=\"" +
                             std::to_string(r.singletons) + "\"");
        if (!r.outlier_in.empty()) ++flagged;
    }
    const bool many = d.samples.size() > kMaxRows;
    p.add(many ? column_chart("sample-hets", "sample", "het SNP genotypes", hets)
               : row_chart("sample-hets", "het SNP genotypes", hets));
    p.add(many ? column_chart("sample-het-hom-ratio", "sample", "het / hom-alt", ratio)
               : row_chart("sample-het-hom-ratio", "het / hom-alt SNP genotypes", ratio));
    std::string rule =
        "Outliers (red, &#9650;): a value more than " + format_number(kOutlierMads, 0) +
        " scaled median absolute deviations (1.4826 &times; MAD) from the median "
        "of all samples, per column; with fewer than " +
        std::to_string(kMinOutlierSamples) + " samples or no spread (MAD 0) nothing is marked. " +
        std::to_string(flagged) + " of " + std::to_string(d.samples.size()) + " samples marked.";
    p.note(rule);
    std::vector<std::vector<std::string>> rules;
    for (const auto& m : d.outlier_rules)
        rules.push_back({html_escape(m.metric), format_number(m.rule.median, 2),
                         format_number(m.rule.scaled_mad, 2),
                         m.rule.usable ? format_number(m.rule.low(), 2) + " &ndash; " +
                                             format_number(m.rule.high(), 2)
                                       : "not applied"});
    p.table({"metric", "median", "scaled MAD", "accepted range"}, rules);
    p.note(
        "Het, hom-alt and their ratio count SNP genotypes, as the PSC section of bcftools "
        "stats; indels: non-reference genotypes with an indel allele; singletons: sites where "
        "the sample is the only one with a non-reference call.");
    p.table({"sample", "het", "hom-alt", "het/hom-alt", "indels", "missing", "singletons",
             "outlier in"},
            table, attributes);
    p.close();
}

void chromosomes(Page& p, const ReportData& d) {
    p.open("chromosomes", "Variants along the chromosomes");
    if (d.contigs.empty()) {
        p.note("No record.");
        p.close();
        return;
    }
    std::vector<const PositionHistogram*> by_count;
    for (const auto& c : d.contigs) by_count.push_back(&c);
    std::stable_sort(by_count.begin(), by_count.end(),
                     [](auto* a, auto* b) { return a->total() > b->total(); });
    std::vector<Bar> counts;
    for (size_t i = 0; i < by_count.size() && i < kMaxRows; ++i)
        counts.push_back({by_count[i]->contig(), static_cast<double>(by_count[i]->total())});
    p.add(row_chart("contig-counts", "records per chromosome", counts));
    if (by_count.size() > kMaxRows)
        p.note("The " + std::to_string(kMaxRows) + " chromosomes with the most records of " +
               std::to_string(by_count.size()) + ".");
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> attributes;
    for (size_t i = 0; i < by_count.size() && i < kMaxRows; ++i) {
        const PositionHistogram& c = *by_count[i];
        table.push_back({html_escape(c.contig()), fmt(c.total()),
                         fmt(static_cast<uint64_t>(c.max_position())),
                         c.length() ? fmt(static_cast<uint64_t>(c.length())) : "."});
        attributes.push_back(" data-chrom=\"" + html_escape(c.contig()) + "\" data-value=\"" +
                             std::to_string(c.total()) + "\"");
    }
    p.table({"chromosome", "records", "last position", "length (header)"}, table, attributes);
    // Position plots for the chromosomes with the most records, in the input's order.
    const std::set<const PositionHistogram*> plotted(
        by_count.begin(), by_count.begin() + std::min(by_count.size(), kMaxContigPlots));
    for (const auto& c : d.contigs) {
        if (!plotted.count(&c)) continue;
        const double mb = static_cast<double>(c.bin_width()) / 1e6;
        std::vector<Bar> bars;
        for (size_t i = 0; i < c.bins().size(); ++i) {
            const double start = static_cast<double>(i) * mb;
            bars.push_back({format_number(start, mb < 0.1 ? 3 : 1),
                            static_cast<double>(c.bins()[i]), "bar",
                            c.contig() + ":" + fmt(i * static_cast<uint64_t>(c.bin_width()) + 1) +
                                "-" + fmt((i + 1) * static_cast<uint64_t>(c.bin_width())) + ": " +
                                fmt(c.bins()[i]) + " records"});
        }
        p.add("<h3>" + html_escape(c.contig()) + "</h3>\n");
        p.add(column_chart("positions-" + c.contig(), "position (Mb)", "records", bars));
    }
    p.close();
}

void consequences(Page& p, const ReportData& d) {
    p.open("consequences", "Consequences and impact");
    if (!d.has_annotations || d.annotated_alleles == 0) {
        p.note("The input has no functional annotation (SnpEff ANN/EFF, VEP CSQ).");
        p.close();
        return;
    }
    p.note(fmt(d.annotated_alleles) + " of " + fmt(d.alt_alleles) +
           " ALT alleles are annotated. Each allele counts once per consequence term it has and "
           "once under its most severe impact.");
    std::vector<Bar> impact;
    for (const auto& i : d.impacts) {
        std::string cls = "bar " + i.name;
        std::transform(cls.begin(), cls.end(), cls.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        impact.push_back({i.name, static_cast<double>(i.count), cls});
    }
    p.add(column_chart("impacts", "most severe impact", "ALT alleles", impact, 1));
    std::vector<Bar> terms;
    for (size_t i = 0; i < d.consequences.size() && i < kMaxRows; ++i)
        terms.push_back({d.consequences[i].name, static_cast<double>(d.consequences[i].count)});
    p.add(row_chart("consequences", "ALT alleles with the consequence", terms));
    std::vector<std::vector<std::string>> table;
    for (const auto& c : d.consequences) table.push_back({html_escape(c.name), fmt(c.count)});
    p.table({"consequence", "ALT alleles"}, table);
    p.close();
}

void genes(Page& p, const ReportData& d) {
    p.open("genes", "Most-hit genes");
    if (d.top_genes.empty()) {
        p.note("No gene named in the annotations.");
        p.close();
        return;
    }
    std::vector<Bar> bars;
    std::vector<std::vector<std::string>> table;
    for (const auto& g : d.top_genes) {
        bars.push_back({g.gene, static_cast<double>(g.alleles)});
        table.push_back({html_escape(g.gene), fmt(g.alleles), fmt(g.high_impact)});
    }
    p.add(row_chart("top-genes", "ALT alleles annotated with the gene", bars));
    p.note(fmt(d.genes_hit) + " genes are named in the annotations; the " +
           std::to_string(d.top_genes.size()) + " with the most ALT alleles are shown.");
    p.table({"gene", "ALT alleles", "with HIGH impact"}, table);
    p.close();
}

}  // namespace

const std::vector<std::string>& report_section_ids() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> out;
        for (const auto& s : kSections) out.push_back(s.id);
        return out;
    }();
    return ids;
}

std::string render_report_html(const ReportData& data) {
    const std::string source = data.stats.source == "-" ? "standard input" : data.stats.source;
    Page page;
    std::string& out = page.text();
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<title>Variant report: " + html_escape(source) + "</title>\n";
    out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
    out += "<header><h1>Variant report</h1><p>" + html_escape(source) + " &middot; " +
           fmt(data.stats.records) + " records &middot; " + std::to_string(data.samples.size()) +
           " samples &middot; vcf-agent " + std::string(kVersion) + "</p></header>\n<nav>";
    for (const auto& s : kSections)
        out += "<a href=\"#" + std::string(s.id) + "\">" + s.title + "</a>";
    out += "</nav>\n<main>\n";
    summary(page, data);
    variant_classes(page, data);
    substitutions(page, data);
    indels(page, data);
    allele_frequency(page, data);
    quality(page, data);
    depth(page, data);
    samples(page, data);
    chromosomes(page, data);
    consequences(page, data);
    genes(page, data);
    out += "</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace vcfagent::report
