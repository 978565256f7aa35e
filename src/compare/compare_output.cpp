#include "compare/compare_output.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "common/error.hpp"

namespace vcfagent::compare {

namespace {

using nlohmann::json;

const char* kClassKey[4] = {"hom_ref", "het", "hom_alt", "missing"};
const int kClassIndex[4] = {kHomRef, kHet, kHomAlt, kMissing};  // AA-het cannot occur

GenotypeTable combined(const CompareResult& r, size_t pair) {
    GenotypeTable t = r.concordance->by_sample(GenotypeConcordance::kSnps)[pair];
    const GenotypeTable& o = r.concordance->by_sample(GenotypeConcordance::kIndels)[pair];
    for (int j = 0; j < 5; ++j)
        for (int k = 0; k < 5; ++k) t.n[j][k] += o.n[j][k];
    t.x += o.x;
    t.xx += o.xx;
    t.y += o.y;
    t.yy += o.yy;
    t.yx += o.yx;
    t.count += o.count;
    return t;
}

double rate(uint64_t part, uint64_t whole) {
    return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0;
}

json r2_json(const GenotypeTable& t) {
    const double r2 = t.r_squared();
    return std::isfinite(r2) ? json(r2) : json(nullptr);
}

json table_json(const GenotypeTable& t) {
    json out = json::object();
    for (int j = 0; j < 4; ++j) {
        json row = json::object();
        for (int k = 0; k < 4; ++k) row[kClassKey[k]] = t.n[kClassIndex[j]][kClassIndex[k]];
        out[kClassKey[j]] = row;
    }
    return out;
}

json sample_kind_json(const GenotypeTable& t) {
    return {{"table", table_json(t)},       {"matches", t.matches()},
            {"mismatches", t.mismatches()}, {"concordance", rate(t.matches(), t.compared())},
            {"nrd", t.nrd_percent()},       {"r2", r2_json(t)}};
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace

json to_json(const CompareResult& r, size_t max_rows) {
    const auto& gc = *r.concordance;
    json out;
    out["a"] = r.a_name;
    out["b"] = r.b_name;
    out["collapse"] = std::string(to_string(r.mode));
    out["only_a"] = r.only_a;
    out["only_b"] = r.only_b;
    out["both"] = r.both;
    out["samples_a"] = r.a_samples.size();
    out["samples_b"] = r.b_samples.size();
    bool truncated = false;

    json samples = json::array();
    for (size_t p = 0; p < gc.pairs().size() && p < max_rows; ++p) {
        const GenotypeTable all = combined(r, p);
        json row = sample_kind_json(all);
        row.erase("r2");
        json entry = {{"a", gc.pairs()[p].a}, {"b", gc.pairs()[p].b}};
        entry["all"] = row;
        entry["snps"] = sample_kind_json(gc.by_sample(GenotypeConcordance::kSnps)[p]);
        entry["indels"] = sample_kind_json(gc.by_sample(GenotypeConcordance::kIndels)[p]);
        samples.push_back(std::move(entry));
    }
    truncated = truncated || gc.pairs().size() > samples.size();
    out["paired_samples"] = gc.pairs().size();
    out["samples"] = std::move(samples);

    json overall = json::object(), bins = json::object();
    uint64_t m_all = 0, mm_all = 0;
    for (int kind : {GenotypeConcordance::kSnps, GenotypeConcordance::kIndels}) {
        const char* name = kind == GenotypeConcordance::kSnps ? "snps" : "indels";
        const auto d = gc.overall(kind);
        m_all += d.matches;
        mm_all += d.mismatches;
        overall[name] = {{"sites", gc.sites_compared(kind)},
                         {"matches", d.matches},
                         {"mismatches", d.mismatches},
                         {"concordance", rate(d.matches, d.matches + d.mismatches)},
                         {"nrd", d.nrd},
                         {"rr_discordance", d.rr},
                         {"ra_discordance", d.ra},
                         {"aa_discordance", d.aa}};
        json rows = json::array();
        const auto af_rows = gc.af_rows(kind);
        truncated = truncated || af_rows.size() > max_rows;
        for (const auto& b : af_rows) {
            if (rows.size() >= max_rows) break;
            rows.push_back(
                {{"af", b.af},
                 {"matches",
                  {{"hom_ref", b.matches[0]}, {"het", b.matches[1]}, {"hom_alt", b.matches[2]}}},
                 {"mismatches",
                  {{"hom_ref", b.mismatches[0]},
                   {"het", b.mismatches[1]},
                   {"hom_alt", b.mismatches[2]}}},
                 {"r2", b.table.count ? r2_json(b.table) : json(nullptr)},
                 {"genotypes", static_cast<uint64_t>(b.table.count)}});
        }
        bins[name] = std::move(rows);
    }
    overall["all"] = {
        {"matches", m_all}, {"mismatches", mm_all}, {"concordance", rate(m_all, m_all + mm_all)}};
    out["overall"] = std::move(overall);
    out["af_bins"] = std::move(bins);

    json swaps = json::array();
    size_t suspects = 0;
    for (const auto& s : r.swaps) {
        suspects += s.suspect;
        if (swaps.size() >= max_rows) continue;
        json row = {{"sample", s.sample},
                    {"expected", s.expected.empty() ? json(nullptr) : json(s.expected)},
                    {"best", s.best.empty() ? json(nullptr) : json(s.best)},
                    {"best_discordance", s.best_rate()},
                    {"best_discordant", s.best_discordant},
                    {"best_compared", s.best_compared},
                    {"suspect", s.suspect}};
        if (!s.expected.empty()) {
            row["expected_discordance"] = s.expected_rate();
            row["expected_discordant"] = s.expected_discordant;
            row["expected_compared"] = s.expected_compared;
        }
        swaps.push_back(std::move(row));
    }
    truncated = truncated || r.swaps.size() > swaps.size();
    out["swap_check"] = std::move(swaps);
    out["suspected_swaps"] = suspects;
    out["truncated"] = truncated;
    return out;
}

std::string format_text(const CompareResult& r) {
    const auto& gc = *r.concordance;
    std::string out;
    out += "A: " + r.a_name + " (" + std::to_string(r.a_samples.size()) + " samples)\n";
    out += "B: " + r.b_name + " (" + std::to_string(r.b_samples.size()) + " samples)\n";
    out += "sites matched as bcftools isec -c " + std::string(to_string(r.mode)) +
           " would, after splitting multi-allelic records and trimming alleles\n";
    out += "  only in A  " + std::to_string(r.only_a) + "\n";
    out += "  only in B  " + std::to_string(r.only_b) + "\n";
    out += "  in both    " + std::to_string(r.both) + "\n";

    out += "\nGenotype concordance over the sites in both (" + std::to_string(gc.pairs().size()) +
           " sample pairs";
    out += gc.pairs().empty() ? "; none share a name: use --pairs A1=B1,...)\n" : ")\n";
    static const char* kLabel[4] = {"hom-ref", "het", "hom-alt", "missing"};
    for (size_t p = 0; p < gc.pairs().size(); ++p) {
        const GenotypeTable t = combined(r, p);
        const auto& pair = gc.pairs()[p];
        out += "\n" + pair.a + (pair.a == pair.b ? "" : " = " + pair.b) + ": " +
               std::to_string(t.compared()) + " called in both, concordance " +
               fmt("%.4f", rate(t.matches(), t.compared())) + ", non-reference discordance " +
               fmt("%.3f", t.nrd_percent()) + "%\n";
        char buf[128];
        std::snprintf(buf, sizeof buf, "  %-12s%10s%10s%10s%10s\n", "A \\ B", kLabel[0], kLabel[1],
                      kLabel[2], kLabel[3]);
        out += buf;
        for (int j = 0; j < 4; ++j) {
            std::snprintf(buf, sizeof buf, "  %-12s", kLabel[j]);
            out += buf;
            for (int k = 0; k < 4; ++k) {
                std::snprintf(buf, sizeof buf, "%10llu",
                              static_cast<unsigned long long>(t.n[kClassIndex[j]][kClassIndex[k]]));
                out += buf;
            }
            out += '\n';
        }
    }
    if (!gc.pairs().empty()) {
        out += "\nOverall (bcftools NRD lines)\n";
        for (int kind : {GenotypeConcordance::kSnps, GenotypeConcordance::kIndels}) {
            const auto d = gc.overall(kind);
            out += std::string(kind == GenotypeConcordance::kSnps ? "  SNPs:   " : "  others: ") +
                   std::to_string(gc.sites_compared(kind)) + " sites, concordance " +
                   fmt("%.4f", rate(d.matches, d.matches + d.mismatches)) + ", NRD " +
                   fmt("%.3f", d.nrd) + "%, RR/RA/AA discordance " + fmt("%.3f", d.rr) + "/" +
                   fmt("%.3f", d.ra) + "/" + fmt("%.3f", d.aa) + "%\n";
        }
    }

    if (!r.swaps.empty()) {
        out += "\nSwap check: the best-matching sample of B for each sample of A\n";
        char buf[256];
        std::snprintf(buf, sizeof buf, "  %-20s %-20s %12s  %-20s %12s\n", "sample", "partner",
                      "discordance", "best match", "discordance");
        out += buf;
        size_t suspects = 0;
        for (const auto& s : r.swaps) {
            suspects += s.suspect;
            std::snprintf(buf, sizeof buf, "  %-20s %-20s %12s  %-20s %12s%s\n", s.sample.c_str(),
                          s.expected.empty() ? "-" : s.expected.c_str(),
                          s.expected.empty() ? "-" : fmt("%.4f", s.expected_rate()).c_str(),
                          s.best.empty() ? "-" : s.best.c_str(),
                          s.best.empty() ? "-" : fmt("%.4f", s.best_rate()).c_str(),
                          s.suspect ? "  SWAP?" : "");
            out += buf;
        }
        if (suspects)
            out += "  " + std::to_string(suspects) +
                   " sample(s) match another sample better than their partner\n";
        else if (!gc.pairs().empty())
            out += "  every paired sample matches its partner best\n";
    }

    // bcftools prints these sections only when the inputs share samples.
    if (!gc.pairs().empty()) {
        out += "\n# Sections of `bcftools stats -s - A B`, computed on the same sites\n";
        out += gc.bcftools_sections();
    }
    return out;
}

TsvSiteWriter::TsvSiteWriter(std::ostream& out) : out_(out) {
    out_ << "#set\tchrom\tpos\tkey_a\tkey_b\n";
}

void TsvSiteWriter::line(const char* set, const ComparedSite& at, const std::string& key_a,
                         const std::string& key_b) {
    out_ << set << '\t' << at.chrom << '\t' << at.pos << '\t' << key_a << '\t' << key_b << '\n';
}

void TsvSiteWriter::only_a(const ComparedSite& a) {
    line("only_a", a, a.key, ".");
}
void TsvSiteWriter::only_b(const ComparedSite& b) {
    line("only_b", b, ".", b.key);
}
void TsvSiteWriter::both(const ComparedSite& a, const ComparedSite& b) {
    line("both", a, a.key, b.key);
}

VcfSiteWriter::VcfSiteWriter(const std::string& dir, const std::vector<std::string>& contigs,
                             const std::string& a_name, const std::string& b_name)
    : dir_(dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw InputError(dir, 0, "cannot create the output directory: " + ec.message());
    static const char* kWhat[4] = {"sites only in A", "sites only in B", "A's sites also in B",
                                   "B's sites also in A"};
    for (int i = 0; i < 4; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "%04d.vcf", i);
        const std::string path = (std::filesystem::path(dir) / name).string();
        files_[i].open(path);
        if (!files_[i]) throw InputError(path, 0, "cannot write this file");
        files_[i] << "##fileformat=VCFv4.2\n";
        for (const auto& c : contigs) files_[i] << "##contig=<ID=" << c << ">\n";
        files_[i]
            << "##vcf-agent_compare=<A=\"" << a_name << "\",B=\"" << b_name << "\",Description=\""
            << kWhat[i]
            << ", split per ALT and trimmed\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    }
}

void VcfSiteWriter::write(int file, const ComparedSite& s) {
    files_[file] << s.chrom << '\t' << s.pos << '\t' << (s.id.empty() ? "." : s.id) << '\t' << s.ref
                 << '\t' << s.alt << "\t.\t.\t.\n";
}

void VcfSiteWriter::only_a(const ComparedSite& a) {
    write(0, a);
}
void VcfSiteWriter::only_b(const ComparedSite& b) {
    write(1, b);
}
void VcfSiteWriter::both(const ComparedSite& a, const ComparedSite& b) {
    write(2, a);
    write(3, b);
}

void VcfSiteWriter::finish() {
    for (int i = 0; i < 4; ++i) {
        files_[i].flush();
        if (!files_[i]) throw InputError(dir_, 0, "writing the site lists failed");
        files_[i].close();
    }
}

}  // namespace vcfagent::compare
