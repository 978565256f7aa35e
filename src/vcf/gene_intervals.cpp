#include "vcf/gene_intervals.hpp"

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "common/error.hpp"

namespace vcfagent::vcf {

namespace {

enum class GeneFileFormat { Gtf, Gff3, Bed };

// Splits a tab-separated line into up to n fields (views into the line).
int split_tabs(std::string_view line, std::string_view* fields, int n) {
    int k = 0;
    size_t start = 0;
    while (k < n) {
        size_t tab = line.find('\t', start);
        fields[k++] = line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return k;
}

// Value of `key "value"` (GTF) or `key=value` (GFF3) in an attribute column.
std::string attribute(std::string_view attrs, std::string_view key, bool gtf) {
    size_t pos = 0;
    while ((pos = attrs.find(key, pos)) != std::string_view::npos) {
        const bool at_start = pos == 0 || attrs[pos - 1] == ';' || attrs[pos - 1] == ' ';
        size_t v = pos + key.size();
        if (at_start && v < attrs.size() && (gtf ? attrs[v] == ' ' : attrs[v] == '=')) {
            ++v;
            if (gtf && v < attrs.size() && attrs[v] == '"') {
                size_t close = attrs.find('"', v + 1);
                return std::string(attrs.substr(v + 1, close - v - 1));
            }
            size_t semi = attrs.find(';', v);
            return std::string(attrs.substr(v, semi == std::string_view::npos ? std::string_view::npos : semi - v));
        }
        pos += key.size();
    }
    return {};
}

int parse_line(const char* line, char** chr_beg, char** chr_end, hts_pos_t* beg, hts_pos_t* end, void* payload,
               void* usr) {
    const auto format = *static_cast<GeneFileFormat*>(usr);
    std::string_view l(line);
    if (l.empty() || l[0] == '#' || l.starts_with("track") || l.starts_with("browser")) return -1;
    std::string_view f[9];
    const int n = split_tabs(l, f, 9);
    std::string name;
    long b = 0, e = 0;
    if (format == GeneFileFormat::Bed) {
        if (n < 3) return -2;
        b = std::strtol(std::string(f[1]).c_str(), nullptr, 10);      // 0-based
        e = std::strtol(std::string(f[2]).c_str(), nullptr, 10) - 1;  // half-open -> inclusive
        name = n >= 4 ? std::string(f[3]) : std::string();
    } else {
        if (n < 9) return -2;
        if (f[2] != "gene") return -1;
        b = std::strtol(std::string(f[3]).c_str(), nullptr, 10) - 1;
        e = std::strtol(std::string(f[4]).c_str(), nullptr, 10) - 1;
        const bool gtf = format == GeneFileFormat::Gtf;
        name = attribute(f[8], gtf ? "gene_name" : "Name", gtf);
        if (name.empty()) name = attribute(f[8], gtf ? "gene_id" : "gene_name", gtf);
        if (name.empty()) name = attribute(f[8], "ID", false);
    }
    if (name.empty() || e < b) return -1;
    *chr_beg = const_cast<char*>(line);
    *chr_end = const_cast<char*>(line) + f[0].size() - 1;
    *beg = b;
    *end = e;
    *static_cast<char**>(payload) = strdup(name.c_str());
    return 0;
}

void free_payload(void* payload) { free(*static_cast<char**>(payload)); }

}  // namespace

GeneIntervals::GeneIntervals(const std::string& path) {
    static GeneFileFormat formats[3] = {GeneFileFormat::Gtf, GeneFileFormat::Gff3, GeneFileFormat::Bed};
    std::string p = path;
    if (p.ends_with(".gz")) p.resize(p.size() - 3);
    GeneFileFormat* format = &formats[2];
    if (p.ends_with(".gtf")) format = &formats[0];
    else if (p.ends_with(".gff") || p.ends_with(".gff3")) format = &formats[1];
    idx_ = regidx_init(path.c_str(), parse_line, free_payload, sizeof(char*), format);
    if (!idx_) throw InputError(path, 0, "cannot read gene intervals (expected GTF, GFF3 or BED)");
    itr_ = regitr_init(idx_);
}

GeneIntervals::~GeneIntervals() {
    if (itr_) regitr_destroy(itr_);
    if (idx_) regidx_destroy(idx_);
}

size_t GeneIntervals::size() const { return static_cast<size_t>(regidx_nregs(idx_)); }

std::vector<std::string> GeneIntervals::overlapping(const std::string& chrom, int64_t beg, int64_t end) const {
    std::vector<std::string> out;
    if (!regidx_overlap(idx_, chrom.c_str(), beg - 1, end - 1, itr_)) return out;
    while (regitr_overlap(itr_)) {
        std::string g = regitr_payload(itr_, char*);
        bool dup = false;
        for (const auto& o : out) dup = dup || o == g;
        if (!dup) out.push_back(std::move(g));
    }
    return out;
}

void GeneIntervals::annotate(std::vector<Variant>& variants) const {
    for (auto& v : variants) {
        if (!v.annotations.empty()) continue;
        const int64_t end = std::max<int64_t>(v.pos + static_cast<int64_t>(v.ref.size()) - 1, v.pos);
        for (auto& g : overlapping(v.chrom, v.pos, end)) {
            Annotation a;
            a.gene = std::move(g);
            a.source = "GENES";
            v.annotations.push_back(std::move(a));
        }
    }
}

}  // namespace vcfagent::vcf
