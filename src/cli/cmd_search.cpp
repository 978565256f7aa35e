// vcf-agent search --db DIR (--like KEY | --text "..." | --vector "0.1,...") [-k N] [filters]:
// "find variants like this one" over the variant index, with attribute filters applied inside
// the ANN search.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_registry.hpp"
#include "cli/common_options.hpp"
#include "common/error.hpp"
#include "embed/embedder.hpp"
#include "index/store_embedder.hpp"
#include "index/variant_index.hpp"
#include "store/graph_store.hpp"
#include "vcf/region_list.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::cli {

namespace {

struct SearchArgs {
    std::string db;
    std::string like, text, vector;
    int k = 10;
    std::string chroms, regions, classes, genes, impacts, sources;
    std::optional<float> min_af, max_af;
    float min_af_value = 0, max_af_value = 1;
    std::string format;
    embed::EmbedderConfig embedder;
    bool embedder_given = false;
    int ef_search = 0, nprobe = 0;
};

[[noreturn]] void usage(const std::string& what, const std::string& reason) {
    throw InputError(what, 0, reason, kExitUsage);
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

index::VectorFilter build_filter(const SearchArgs& a) {
    index::VectorFilter f;
    f.chroms = split_list(a.chroms);
    if (!a.regions.empty()) {
        try {
            f.regions = vcf::parse_regions(a.regions);
        } catch (const std::invalid_argument& e) {
            usage("-r " + a.regions, e.what());
        }
    }
    for (const auto& c : split_list(a.classes)) {
        vcf::VariantClass vc;
        if (!vcf::parse_variant_class(upper(c), vc))
            usage("--class " + c,
                  "unknown variant class (expected SNV, MNV, INS, DEL, COMPLEX, SV, BND, SPANDEL, "
                  "NOALT)");
        f.classes.push_back(vc);
    }
    f.genes = split_list(a.genes);
    for (const auto& i : split_list(a.impacts)) {
        index::Impact impact;
        if (!index::parse_impact(i, impact))
            usage("--impact " + i, "unknown impact (expected HIGH, MODERATE, LOW, MODIFIER, NONE)");
        f.impacts.push_back(impact);
    }
    f.min_af = a.min_af;
    f.max_af = a.max_af;
    if (f.min_af && f.max_af && *f.min_af > *f.max_af)
        usage("--min-af/--max-af", "--min-af is larger than --max-af");
    for (const auto& s : split_list(a.sources)) {
        try {
            f.sources.push_back(static_cast<uint32_t>(std::stoul(s)));
        } catch (const std::exception&) {
            usage("--source " + s, "source ids are non-negative integers");
        }
    }
    return f;
}

std::vector<float> parse_vector(const std::string& text) {
    std::vector<float> v;
    for (const auto& item : split_list(text)) {
        try {
            size_t used = 0;
            const float x = std::stof(item, &used);
            if (used != item.size() || !std::isfinite(x)) throw std::invalid_argument(item);
            v.push_back(x);
        } catch (const std::exception&) {
            usage("--vector", "'" + item + "' is not a finite number");
        }
    }
    if (v.empty()) usage("--vector", "no numbers given");
    return v;
}

// The embedder for --text: by default the one the store was built with (only the endpoint
// and credentials come from the command line or the environment).

std::string format_af(float af) {
    if (std::isnan(af)) return ".";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", af);
    return buf;
}

std::string format_distance(float d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", d);
    return buf;
}

void write_stdout(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
        throw std::runtime_error("cannot write the search results to standard output");
}

// Floats printed with the digits they carry (0.51, not 0.5099999904632568).
double json_number(float x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", x);
    return std::strtod(buf, nullptr);
}

std::string source_label(const std::map<uint32_t, std::string>& sources, uint32_t id) {
    auto it = sources.find(id);
    return it == sources.end() ? std::to_string(id) : it->second;
}

void print_results(const SearchArgs& a, const std::vector<index::VectorHit>& hits,
                   const std::map<uint32_t, std::string>& sources) {
    const std::vector<std::string> header = {"rank",  "key",  "distance", "chrom", "pos",
                                             "class", "gene", "impact",   "af",    "source"};
    if (a.format == "json") {
        nlohmann::json results = nlohmann::json::array();
        for (size_t i = 0; i < hits.size(); ++i) {
            const auto& h = hits[i];
            const auto& at = h.attributes;
            results.push_back({
                {"rank", i + 1},
                {"key", h.key},
                {"distance", json_number(h.distance)},
                {"chrom", at.chrom},
                {"pos", at.pos},
                {"class", std::string(vcf::to_string(at.vclass))},
                {"gene", at.gene.empty() ? nlohmann::json(nullptr) : nlohmann::json(at.gene)},
                {"impact", std::string(index::to_string(at.impact))},
                {"af",
                 std::isnan(at.af) ? nlohmann::json(nullptr) : nlohmann::json(json_number(at.af))},
                {"source", at.source},
                {"source_label", source_label(sources, at.source)},
            });
        }
        nlohmann::json out = {{"k", a.k}, {"count", hits.size()}, {"results", results}};
        if (!a.like.empty()) out["like"] = a.like;
        if (!a.text.empty()) out["text"] = a.text;
        write_stdout(out.dump(2) + "\n");
        return;
    }
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < hits.size(); ++i) {
        const auto& h = hits[i];
        const auto& at = h.attributes;
        rows.push_back({std::to_string(i + 1), h.key, format_distance(h.distance), at.chrom,
                        std::to_string(at.pos), std::string(vcf::to_string(at.vclass)),
                        at.gene.empty() ? "." : at.gene, std::string(index::to_string(at.impact)),
                        format_af(at.af), source_label(sources, at.source)});
        // The table shows the file name; tsv keeps the whole label.
        if (a.format == "table")
            rows.back().back() = std::filesystem::path(rows.back().back()).filename().string();
    }
    std::string out;
    if (a.format == "tsv") {
        auto line = [&](const std::vector<std::string>& cells) {
            for (size_t c = 0; c < cells.size(); ++c) out += (c ? "\t" : "") + cells[c];
            out += "\n";
        };
        std::vector<std::string> h = header;
        h[0] = "#" + h[0];
        line(h);
        for (const auto& r : rows) line(r);
    } else {
        std::vector<size_t> width(header.size());
        for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
        for (const auto& r : rows)
            for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
        auto line = [&](const std::vector<std::string>& cells) {
            for (size_t c = 0; c < cells.size(); ++c) {
                out += cells[c];
                if (c + 1 < cells.size()) out += std::string(width[c] - cells[c].size() + 2, ' ');
            }
            out += "\n";
        };
        line(header);
        for (const auto& r : rows) line(r);
    }
    write_stdout(out);
}

void run_search(const SearchArgs& a) {
    const int modes = !a.like.empty() + !a.text.empty() + !a.vector.empty();
    if (modes != 1) usage("search", "give exactly one of --like KEY, --text TEXT, --vector LIST");
    if (a.k <= 0) usage("-k", "must be at least 1");
    const index::VectorFilter filter = build_filter(a);

    store::GraphStoreOptions gopt;
    gopt.read_only = true;
    store::GraphStore graph(a.db, gopt);
    index::VariantIndex vs(graph, index::open_store_embedder(graph, a.embedder, a.embedder_given));
    if (!vs.open_note().empty()) std::cerr << "vcf-agent: warning: " << vs.open_note() << "\n";

    std::vector<float> query;
    if (!a.like.empty()) {
        const std::string key = vcf::canonical_variant_key(a.like);
        auto v = vs.vector_of(key);
        if (!v)
            throw InputError("--like " + a.like, 0,
                             "variant is not in the store " + a.db + " (" +
                                 std::to_string(vs.size()) +
                                 " variants; keys are chrom:pos:ref:alt as in the VCF after "
                                 "splitting and trimming)",
                             kExitInvalid);
        query = std::move(*v);
    } else if (!a.vector.empty()) {
        query = parse_vector(a.vector);
    } else {
        if (vs.embedder().info().kind == "builtin")
            usage("--text",
                  "free-text search needs a store embedded with an HTTP embedder (`vcf-agent "
                  "embed --db DIR --embedder ollama|openai --model ...`); " + a.db +
                      " holds " + vs.embedder().info().to_string() +
                      " vectors, which cannot embed text");
        query = vs.embedder().embed_text(a.text);
    }
    index::SearchTuning tuning;
    tuning.ef_search = a.ef_search;
    tuning.nprobe = a.nprobe;
    const auto hits = vs.search(query, a.k, filter, tuning);
    std::map<uint32_t, std::string> sources;
    graph.scan("MATCH (s:Source) RETURN s.num, s.path", {}, [&](const store::RowView& r) {
        sources[static_cast<uint32_t>(r.integer(0))] = r.text(1);
    });
    print_results(a, hits, sources);
    set_exit_code(kExitOk);
}

const CommandRegistration registration("search", [](CLI::App& app) {
    auto a = std::make_shared<SearchArgs>();
    CLI::App* cmd = app.add_subcommand(
        "search", "Find variants similar to a variant, a text or a vector (variant index)");
    add_db_option(*cmd, a->db);
    cmd->add_option("--like", a->like,
                    "Query with the stored vector of this variant key (chrom:pos:ref:alt)");
    cmd->add_option("--text", a->text, "Query with a free-text description (HTTP embedders only)");
    cmd->add_option("--vector", a->vector, "Query with a comma-separated vector");
    cmd->add_option("-k", a->k, "Number of results")->capture_default_str();
    cmd->add_option("--chrom", a->chroms, "Only these chromosomes (comma-separated)");
    cmd->add_option("-r,--regions", a->regions, "Only variants in chr:beg-end[,...]");
    cmd->add_option("--class", a->classes,
                    "Only these classes: SNV,MNV,INS,DEL,COMPLEX,SV,BND,...");
    cmd->add_option("--gene", a->genes, "Only variants in these genes (as `query gene`)");
    cmd->add_option("--impact", a->impacts,
                    "Only these worst impacts: HIGH,MODERATE,LOW,MODIFIER,NONE");
    auto* min_af = cmd->add_option("--min-af", a->min_af_value, "Only variants with INFO/AF >= x");
    auto* max_af = cmd->add_option("--max-af", a->max_af_value, "Only variants with INFO/AF <= y");
    cmd->add_option("--source", a->sources,
                    "Only variants first loaded by these sources (numbers, as listed in results)");
    add_output_format_option(*cmd, a->format, {"table", "tsv", "json"});
    auto* kind = cmd->add_option("--embedder", a->embedder.kind,
                                 "The store's embedder, checked (default: the store's)");
    cmd->add_option("--model", a->embedder.model, "Embedding model (default: the store's)");
    cmd->add_option("--endpoint", a->embedder.endpoint,
                    "Embedding server base URL (env OLLAMA_HOST / OPENAI_BASE_URL)");
    cmd->add_option("--dimension", a->embedder.dimension,
                    "Embedding dimension (default: the store's)");
    cmd->add_option("--ef-search", a->ef_search,
                    "HNSW candidate list size (default: the store's, 128; at most 256)");
    cmd->add_option("--nprobe", a->nprobe, "IVF lists probed (default: the store's)");
    cmd->footer(
        "Distances are Euclidean. Filters combine with AND; comma-separated values of one "
        "filter with OR. A filtered search still returns k results when k variants match.");
    cmd->callback([a, kind, min_af, max_af] {
        a->embedder_given = kind->count() > 0;
        if (min_af->count()) a->min_af = a->min_af_value;
        if (max_af->count()) a->max_af = a->max_af_value;
        run_search(*a);
    });
});

}  // namespace

}  // namespace vcfagent::cli
