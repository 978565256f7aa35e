#include "export/parquet_export.hpp"

#include <cctype>
#include <cstdio>

#include "common/error.hpp"
#include "common/text_join.hpp"

namespace vcfagent::exporting {

namespace {

namespace fs = std::filesystem;
using store::GraphStore;

// A Hive partition value: characters outside [A-Za-z0-9._-] percent-encoded, as Hive and
// Spark write them, so any contig name makes one safe directory name.
std::string partition_value(const std::string& chrom) {
    std::string out;
    for (unsigned char c : chrom) {
        if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

// A path as a Cypher string literal.
std::string path_literal(const fs::path& path) {
    std::string out = "'";
    for (char c : path.string()) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

// The chromosome is the partition (the directory name), not a column of the files, as Hive
// layout has it: DuckDB (hive_partitioning) and Spark add it back as a column when reading.
struct TableQuery {
    const char* name;
    const char* match;    // binds v (and the edge)
    const char* columns;  // RETURN list, named columns
};

const TableQuery kTables[] = {
    {"variants", "MATCH (v:Variant)",
     "v.id AS key, v.pos AS pos, v.ref AS ref, v.alt AS alt, v.rsid AS id, "
     "v.qual AS qual, v.filter AS filter, v.vtype AS type, v.af AS af, v.end_pos AS end_pos, "
     "v.svtype AS svtype, v.svlen AS svlen, v.n_alts AS n_alts, "
     "v.carriers AS carriers"},
    {"calls", "MATCH (v:Variant)-[h:CarriedBy]->(s:Sample)",
     "v.id AS key, v.pos AS pos, s.id AS sample, h.gt AS gt, "
     "h.zygosity AS zygosity, h.dp AS dp, h.gq AS gq, h.phased AS phased"},
    {"genes", "MATCH (v:Variant)-[a:InGene]->(g:Gene)",
     "v.id AS key, v.pos AS pos, g.symbol AS gene, g.gene_id AS gene_id, "
     "a.consequence AS consequence, a.impact AS impact, a.feature AS feature, "
     "a.hgvs_c AS hgvs_c, a.hgvs_p AS hgvs_p, a.clinsig AS clinsig"},
};

}  // namespace

ParquetExportReport write_parquet(store::GraphStore& graph, const StoredSelection& selection,
                                  const fs::path& dir) {
    if (fs::exists(dir) && !fs::is_empty(dir))
        throw InputError(dir.string(), 0, "the Parquet output directory is not empty", kExitUsage);
    fs::create_directories(dir);
    const fs::path root = fs::absolute(dir);
    query::GraphQueries queries(graph);
    const std::optional<int64_t> source =
        selection.source.empty() ? std::nullopt
                                 : std::optional<int64_t>(resolve_source(graph, selection.source));

    std::vector<std::pair<std::string, int64_t>> contigs;
    graph.scan("MATCH (c:Contig) RETURN c.name, c.rank ORDER BY c.rank", {},
               [&](const store::RowView& r) { contigs.emplace_back(r.text(0), r.integer(1)); });
    ParquetExportReport report;
    for (const auto& [chrom, rank] : contigs) {
        if (selection.variants.region && selection.variants.region->chrom != chrom) continue;
        // The contig's variants by locus bounds (literals: Kuzu prunes node groups by them).
        std::vector<std::string> where = {
            "v.locus >= " + std::to_string(GraphStore::locus_of(rank, 0)) + " AND v.locus <= " +
            std::to_string(GraphStore::locus_of(rank, GraphStore::kLocusShift - 1))};
        add_selection_conditions(queries, selection, source, where);
        int64_t variants = 0;
        graph.scan("MATCH (v:Variant) WHERE " + join(where, " AND ") + " RETURN count(*)", {},
                   [&](const store::RowView& r) { variants = r.integer(0); });
        if (variants == 0) continue;  // no empty partitions
        ++report.partitions;
        for (const auto& table : kTables) {
            std::vector<std::string> conditions = where;
            store::QueryParams p;
            if (std::string(table.name) == "calls" && !selection.samples.empty()) {
                conditions.push_back("s.id IN $export_samples");
                p["export_samples"] = selection.samples;
            }
            if (std::string(table.name) == "calls" && selection.no_samples) continue;
            // A loaded file's calls only (another file's samples may carry a shared variant).
            if (std::string(table.name) == "calls" && source)
                conditions.push_back("h.source = " + std::to_string(*source));
            const fs::path file =
                root / table.name / ("chrom=" + partition_value(chrom)) / "part-0.parquet";
            fs::create_directories(file.parent_path());
            graph.scan("COPY (" + std::string(table.match) + " WHERE " + join(conditions, " AND ") +
                           " RETURN " + table.columns + " ORDER BY v.locus, v.id) TO " +
                           path_literal(file),
                       p, [](const store::RowView&) {});
            graph.scan("LOAD FROM " + path_literal(file) + " RETURN count(*)", {},
                       [&](const store::RowView& r) { report.rows[table.name] += r.integer(0); });
        }
    }
    graph.scan(
        "COPY (MATCH (s:Sample) RETURN s.id AS sample, s.family AS family, s.sex AS sex, "
        "s.phenotype AS phenotype, s.father AS father, s.mother AS mother ORDER BY s.id) TO " +
            path_literal(root / "samples.parquet"),
        {}, [](const store::RowView&) {});
    graph.scan(
        "COPY (MATCH (s:Source) RETURN s.num AS num, s.id AS sha256, s.path AS path, "
        "s.variants AS variants, s.edges AS edges, s.status AS status ORDER BY s.num) TO " +
            path_literal(root / "sources.parquet"),
        {}, [](const store::RowView&) {});
    return report;
}

}  // namespace vcfagent::exporting
