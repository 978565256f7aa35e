#include "vcf/region_list.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace vcfagent::vcf {

std::string Region::to_string() const {
    std::string s = chrom + ":" + std::to_string(beg);
    if (end < INT64_MAX / 4) s += "-" + std::to_string(end);
    return s;
}

namespace {

bool parse_int(std::string_view s, int64_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

Region parse_one(std::string_view item) {
    Region r;
    auto colon = item.rfind(':');
    if (colon == std::string_view::npos) {
        r.chrom = std::string(item);
        return r;
    }
    r.chrom = std::string(item.substr(0, colon));
    std::string_view range = item.substr(colon + 1);
    auto dash = range.find('-');
    std::string_view b = dash == std::string_view::npos ? range : range.substr(0, dash);
    if (!parse_int(b, r.beg) || r.beg < 1)
        throw std::invalid_argument("bad region start in '" + std::string(item) + "'");
    if (dash == std::string_view::npos) {
        r.end = r.beg;
    } else if (dash + 1 < range.size()) {
        if (!parse_int(range.substr(dash + 1), r.end) || r.end < r.beg)
            throw std::invalid_argument("bad region end in '" + std::string(item) + "'");
    }
    if (r.chrom.empty()) throw std::invalid_argument("empty chromosome in region '" + std::string(item) + "'");
    return r;
}

}  // namespace

std::vector<Region> parse_regions(const std::string& spec) {
    std::vector<Region> out;
    std::string_view rest = spec;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        if (!item.empty()) out.push_back(parse_one(item));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (out.empty()) throw std::invalid_argument("no region given");
    return out;
}

std::vector<Region> read_regions_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "cannot open regions file");
    const bool bed = path.size() >= 4 && (path.ends_with(".bed") || path.ends_with(".BED"));
    std::vector<Region> out;
    std::string line;
    int64_t lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.empty() || line[0] == '#' || line.starts_with("track") || line.starts_with("browser"))
            continue;
        std::istringstream fields(line);
        std::string chrom, b, e;
        std::getline(fields, chrom, '\t');
        std::getline(fields, b, '\t');
        std::getline(fields, e, '\t');
        if (!e.empty() && e.back() == '\r') e.pop_back();
        Region r;
        r.chrom = chrom;
        int64_t beg = 0, end = 0;
        if (chrom.empty() || !parse_int(b, beg) || (!e.empty() && !parse_int(e, end)))
            throw InputError(path, lineno, "expected CHROM<TAB>BEG<TAB>END");
        if (e.empty()) end = bed ? beg + 1 : beg;
        r.beg = bed ? beg + 1 : beg;
        r.end = end;
        if (r.end < r.beg) throw InputError(path, lineno, "region end before start");
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace vcfagent::vcf
