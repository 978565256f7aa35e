#include "index/stored_variants.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>

#include "common/error.hpp"
#include "store/gene_links.hpp"
#include "store/staging_file.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::index {

namespace {

constexpr const char* kColumns =
    "v.id, v.chrom, v.pos, v.ref, v.alt, v.rsid, v.qual, v.filter, v.vtype, v.af, v.end_pos, "
    "v.svtype, v.svlen, v.n_alts, v.rec_pos, v.source, v.batch, v.emb, v.carriers";

// Variant::transition of a stored variant, by the reader's rule (vcf/allele_split.cpp; alleles in
// either case): a row, a load's variant and a record read from a file get the same vector.
bool transition_of(const vcf::Variant& v) {
    return v.vclass == vcf::VariantClass::Snv && v.ref.size() == 1 && v.alt.size() == 1 &&
           vcf::is_transition(v.ref[0], v.alt[0]);
}

double real_or_nan(const store::RowView& r, size_t c) {
    return r.is_null(c) ? std::numeric_limits<double>::quiet_NaN() : r.real(c);
}
int64_t integer_or(const store::RowView& r, size_t c, int64_t otherwise) {
    return r.is_null(c) ? otherwise : r.integer(c);
}

StoredVariant from_row(const store::RowView& r) {
    StoredVariant s;
    auto& v = s.variant;
    v.key = r.text(0);
    v.chrom = r.text(1);
    v.pos = r.integer(2);
    v.ref = r.text(3);
    v.alt = r.text(4);
    v.id = r.text(5);
    s.qual = real_or_nan(r, 6);
    v.qual = static_cast<float>(s.qual);
    v.filter = r.text(7);
    if (!vcf::parse_variant_class(r.text(8), v.vclass)) v.vclass = vcf::VariantClass::Complex;
    s.af = real_or_nan(r, 9);
    v.af = static_cast<float>(s.af);
    v.end = integer_or(r, 10, v.pos);
    v.svtype = r.text(11);
    v.svlen = integer_or(r, 12, 0);
    v.n_alts = static_cast<int>(integer_or(r, 13, 1));
    v.record_pos = integer_or(r, 14, v.pos);
    v.transition = transition_of(v);
    s.source = static_cast<uint32_t>(integer_or(r, 15, 0));
    s.batch = static_cast<uint64_t>(integer_or(r, 16, 0));
    s.emb = r.text(17);
    s.carriers = integer_or(r, 18, 0);
    return s;
}

}  // namespace

StoredVariant stored_form(const vcf::Variant& v, uint32_t source) {
    StoredVariant s;
    auto& o = s.variant;
    o.key = v.key;
    o.chrom = v.chrom;
    o.pos = v.pos;
    o.ref = v.ref;
    o.alt = v.alt;
    o.id = v.id;
    o.qual = v.qual;
    o.filter = v.filter;
    o.vclass = v.vclass;
    o.af = v.af;
    o.end = v.end;
    o.svtype = v.svtype;
    o.svlen = v.svlen;
    o.n_alts = v.n_alts;
    o.record_pos = v.record_pos;
    o.transition = transition_of(v);
    for (const vcf::Annotation* a : store::gene_links(v)) {
        vcf::Annotation link;  // the columns annotation_from reads back
        link.gene = a->gene;
        link.consequence = a->consequence;
        link.impact = a->impact;
        o.annotations.push_back(std::move(link));
    }
    s.source = source;
    s.qual = store::StagingFile::as_stored(v.qual);
    s.af = store::StagingFile::as_stored(v.af);
    // A new row's count as the writer stages it; edges a later record adds are counted again
    // in the graph (Variant.carriers_batch), which the variant index catches up with.
    s.carriers = static_cast<int64_t>(v.calls.size());
    return s;
}

namespace {

constexpr size_t column_count(const char* columns) {
    size_t n = 1;
    for (const char* c = columns; *c; ++c) n += *c == ',';
    return n;
}

// The InGene columns of an annotation, returned from column `first` on.
constexpr const char* kGeneColumns = "g.symbol, e.consequence, e.impact";
vcf::Annotation annotation_from(const store::RowView& r, size_t first) {
    vcf::Annotation a;
    a.gene = r.text(first);
    a.consequence = r.text(first + 1);
    a.impact = r.text(first + 2);
    return a;
}
// Reads below that return v.id, then an annotation.
const std::string kAnnotationColumns = std::string("v.id, ") + kGeneColumns;

// Adds their InGene annotations to variants read by key (a page, or a single variant).
void annotate_by_key(store::GraphStore& graph, std::vector<StoredVariant>& variants) {
    if (variants.empty()) return;
    std::unordered_map<std::string_view, size_t> at;
    at.reserve(variants.size());
    nlohmann::json keys = nlohmann::json::array();
    for (size_t i = 0; i < variants.size(); ++i) {
        at.emplace(variants[i].variant.key, i);
        keys.push_back(variants[i].variant.key);
    }
    // `v.id IN $keys`: one scan of the InGene edges (Kuzu looks keys up by primary key only
    // one at a time). Not `UNWIND $keys ... {id: k}`: Kuzu plans that as a hash join whose
    // build side is every InGene edge of the store with its strings (0.9 s and a full 256 MB
    // buffer pool for one key on 1M variants).
    graph.scan(
        "MATCH (v:Variant)-[e:InGene]->(g:Gene) WHERE v.id IN $keys RETURN " + kAnnotationColumns,
        {{"keys", keys}}, [&](const store::RowView& r) {
            auto it = at.find(r.text(0));
            if (it != at.end())
                variants[it->second].variant.annotations.push_back(annotation_from(r, 1));
        });
}

// Variants one read of for_each_stored_variant returns at most, about (a locus shared by more
// is not split).
constexpr size_t kReadWindowRows = 32768;

// Locus windows [lo, hi], in order and disjoint, that split the rows satisfying `where` into
// runs of about kReadWindowRows; `rows` is set to how many rows they hold together.
std::vector<std::pair<int64_t, int64_t>> split_by_locus(store::GraphStore& graph,
                                                        const std::string& where, size_t& rows) {
    std::vector<int64_t> loci;
    graph.scan("MATCH (v:Variant) WHERE " + where + " RETURN v.locus", {},
               [&](const store::RowView& r) { loci.push_back(r.integer(0)); });
    rows = loci.size();
    std::sort(loci.begin(), loci.end());
    std::vector<std::pair<int64_t, int64_t>> windows;
    for (size_t i = 0; i < loci.size();) {
        size_t last = std::min(loci.size(), i + kReadWindowRows) - 1;
        while (last + 1 < loci.size() && loci[last + 1] == loci[last]) ++last;
        windows.emplace_back(loci[i], loci[last]);
        i = last + 1;
    }
    return windows;
}

}  // namespace

std::vector<StoredVariant> read_stored_variants(store::GraphStore& graph, const std::string& where,
                                                size_t limit) {
    std::vector<StoredVariant> out;
    graph.scan("MATCH (v:Variant) WHERE " + where + " RETURN " + kColumns + " LIMIT " +
                   std::to_string(limit),
               {}, [&](const store::RowView& r) { out.push_back(from_row(r)); });
    annotate_by_key(graph, out);
    return out;
}

void for_each_stored_variant(store::GraphStore& graph, const std::string& where, size_t chunk_rows,
                             const std::function<void(std::vector<StoredVariant>&)>& chunk) {
    std::vector<StoredVariant> buffer;
    buffer.reserve(chunk_rows);
    auto flush = [&] {
        if (buffer.empty()) return;
        chunk(buffer);
        buffer.clear();
    };
    // Kuzu holds a statement's whole result in its buffer pool: the rows are read in windows
    // of loci holding about kReadWindowRows variants each (with their annotations), so any
    // number of matching rows is read within a small pool.
    size_t expected = 0;
    size_t read = 0;
    for (const auto& [lo, hi] : split_by_locus(graph, where, expected)) {
        const std::string in_window = "(" + where + ") AND v.locus >= " + std::to_string(lo) +
                                      " AND v.locus <= " + std::to_string(hi);
        std::unordered_map<std::string, std::vector<vcf::Annotation>> annotations;
        graph.scan("MATCH (v:Variant)-[e:InGene]->(g:Gene) WHERE " + in_window + " RETURN " +
                       kAnnotationColumns,
                   {}, [&](const store::RowView& r) {
                       annotations[r.text(0)].push_back(annotation_from(r, 1));
                   });
        graph.scan("MATCH (v:Variant) WHERE " + in_window + " RETURN " + kColumns, {},
                   [&](const store::RowView& r) {
                       buffer.push_back(from_row(r));
                       ++read;
                       auto it = annotations.find(buffer.back().variant.key);
                       if (it != annotations.end()) {
                           buffer.back().variant.annotations = std::move(it->second);
                           annotations.erase(it);
                       }
                       if (buffer.size() >= chunk_rows) flush();
                   });
    }
    flush();
    // Windows cover every locus the matching rows had: a row missed (changed between the two
    // reads) is an error, never a silently smaller result.
    if (read != expected)
        throw StoreError("reading the store's variants: " + std::to_string(read) + " of " +
                         std::to_string(expected) +
                         " matching rows read (the store changed during the read; try again)");
}

std::optional<StoredVariant> read_stored_variant(store::GraphStore& graph, const std::string& key) {
    // The variant with its InGene edges, one row per edge; a variant without any is read
    // alone after. (An OPTIONAL MATCH would be one statement, but Kuzu 0.11.3 plans it as hash
    // joins over thousands of rows: several times slower than both of these together.)
    std::optional<StoredVariant> found;
    constexpr size_t first_annotation = column_count(kColumns);
    graph.scan(std::string("MATCH (v:Variant {id: $k})-[e:InGene]->(g:Gene) RETURN ") + kColumns +
                   ", " + kGeneColumns,
               {{"k", key}}, [&](const store::RowView& r) {
                   if (!found) found = from_row(r);
                   found->variant.annotations.push_back(annotation_from(r, first_annotation));
               });
    if (!found)
        graph.scan(std::string("MATCH (v:Variant {id: $k}) RETURN ") + kColumns, {{"k", key}},
                   [&](const store::RowView& r) { found = from_row(r); });
    return found;
}

}  // namespace vcfagent::index
