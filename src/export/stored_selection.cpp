#include "export/stored_selection.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "common/text_join.hpp"

namespace vcfagent::exporting {

int64_t resolve_source(store::GraphStore& graph, const std::string& name) {
    std::vector<int64_t> found;
    graph.scan("MATCH (s:Source) RETURN s.num, s.id, s.path", {}, [&](const store::RowView& r) {
        const std::string path = r.is_null(2) ? std::string() : r.text(2);
        if (r.text(1) == name || path == name || std::filesystem::path(path).filename() == name)
            found.push_back(r.integer(0));
    });
    if (found.empty())
        throw InputError(name, 0,
                         "no such source in the store (give the path it was ingested from, its "
                         "file name or its sha256 id)",
                         kExitUsage);
    if (found.size() > 1)
        throw InputError(name, 0, "names several sources of the store; give the full path or id",
                         kExitUsage);
    return found.front();
}

void add_selection_conditions(query::GraphQueries& queries, const StoredSelection& selection,
                              std::optional<int64_t> source_num, std::vector<std::string>& where) {
    query::VariantFilter filter = selection.variants;
    filter.limit = 0;
    queries.add_filter(filter, where);
    if (source_num) {
        // A variant of the file: it added the row, or the file called it (a shared variant).
        const std::string n = std::to_string(*source_num);
        where.push_back("(v.source = " + n + " OR EXISTS { MATCH (v)-[:CalledIn]->(x:Calls) " +
                        "WHERE x.source = " + n + " })");
    }
    if (selection.genotypes) {
        const auto c = queries.genotype_conditions(*selection.genotypes);
        // The conditions bind `v`, and for call vectors the Calls rows of their patterns.
        if (c.patterns.empty())
            where.insert(where.end(), c.where.begin(), c.where.end());
        else
            where.push_back("EXISTS { MATCH " + join(c.patterns, ", ") + " WHERE " +
                            join(c.where, " AND ") + " }");
    }
}

}  // namespace vcfagent::exporting
