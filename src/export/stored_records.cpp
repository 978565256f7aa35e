#include "export/stored_records.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <unordered_map>

#include "common/error.hpp"
#include "common/text_join.hpp"

namespace vcfagent::exporting {

namespace {

using store::GraphStore;

// Field `i` (0-based) of comma-separated integers as the CalledIn lists hold them; -1 when
// the list is absent or the field is empty.
int32_t list_field(const std::string& list, int64_t i) {
    size_t start = 0;
    for (int64_t k = 0; k < i; ++k) {
        start = list.find(',', start);
        if (start == std::string::npos) return -1;
        ++start;
    }
    const size_t end = std::min(list.find(',', start), list.size());
    if (end == start) return -1;
    try {
        return static_cast<int32_t>(std::stol(list.substr(start, end - start)));
    } catch (const std::exception&) {
        return -1;
    }
}

std::string text_or_empty(const store::RowView& r, size_t c) {
    return r.is_null(c) ? std::string() : r.text(c);
}

}  // namespace

StoredRecordReader::StoredRecordReader(store::GraphStore& graph, StoredSelection selection)
    : graph_(graph), queries_(graph), selection_(std::move(selection)) {
    if (!selection_.source.empty()) source_num_ = resolve_source(graph_, selection_.source);
    resolve_samples();
    // A stored record costs ~60 bytes per exported call.
    windows_.emplace(graph_, store::LocusWindows::target_rows(60 * samples_.size()),
                     selection_.variants.region);
}

void StoredRecordReader::resolve_samples() {
    if (selection_.no_samples) return;
    // Every sample's columns, ordered by source and column.
    std::vector<std::pair<std::string, SampleColumn>> all;
    graph_.scan(
        "MATCH (s:Sample)-[m:SampleOf]->(src:Source) RETURN s.id, src.num, m.idx ORDER BY "
        "src.num, m.idx",
        {}, [&](const store::RowView& r) {
            all.push_back({r.text(0), SampleColumn{r.integer(1), r.integer(2)}});
        });
    std::set<std::string> known;
    graph_.scan("MATCH (s:Sample) RETURN s.id", {},
                [&](const store::RowView& r) { known.insert(r.text(0)); });
    if (selection_.samples.empty()) {
        std::set<std::string> seen;
        for (const auto& [name, column] : all)
            if ((!source_num_ || column.source == *source_num_) && seen.insert(name).second)
                samples_.push_back(name);
        // Samples without call vectors (a store loaded before they existed): carriers only.
        if (!source_num_)
            for (const auto& name : known)
                if (!seen.count(name)) samples_.push_back(name);
    } else {
        for (const auto& name : selection_.samples)
            if (!known.count(name))
                throw InputError(name, 0, "no such sample in the store", kExitUsage);
        samples_ = selection_.samples;
    }
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < samples_.size(); ++i) index[samples_[i]] = i;
    columns_.assign(samples_.size(), {});
    for (const auto& [name, column] : all) {
        const auto it = index.find(name);
        if (it != index.end() && (!source_num_ || column.source == *source_num_))
            columns_[it->second].push_back(column);
    }
}

std::vector<std::string> StoredRecordReader::filter_ids() {
    std::set<std::string> ids;
    graph_.scan("MATCH (v:Variant) RETURN DISTINCT v.filter", {}, [&](const store::RowView& r) {
        const std::string text = text_or_empty(r, 0);
        size_t start = 0;
        while (start < text.size()) {
            const size_t end = std::min(text.find(';', start), text.size());
            if (end > start) ids.insert(text.substr(start, end - start));
            start = end + 1;
        }
    });
    ids.erase("PASS");
    return {ids.begin(), ids.end()};
}

bool StoredRecordReader::read_window() {
    window_.clear();
    window_i_ = 0;
    while (const auto next_window = windows_->next()) {
        const std::string& window = *next_window;

        // The variants and their call vectors (a row per source that called the variant).
        std::vector<std::string> where = {window};
        add_selection_conditions(queries_, selection_, source_num_, where);
        std::unordered_map<std::string, size_t> at;
        graph_.scan(
            "MATCH (v:Variant) WHERE " + join(where, " AND ") +
                " OPTIONAL MATCH (v)-[:CalledIn]->(c:Calls) RETURN v.id, v.chrom, v.pos, "
                "v.ref, v.alt, v.rsid, v.qual, v.filter, v.vtype, v.af, v.end_pos, v.svtype, "
                "v.svlen, v.n_alts, c.source, c.gt, c.dp, c.gq, c.ad_ref, c.ad_alt, c.first "
                "ORDER BY v.locus, v.id",
            {}, [&](const store::RowView& r) {
                const std::string key = r.text(0);
                auto [it, added] = at.try_emplace(key, window_.size());
                if (added) {
                    StoredRecord rec;
                    rec.key = key;
                    rec.chrom = r.text(1);
                    rec.pos = r.integer(2);
                    rec.ref = r.text(3);
                    rec.alt = r.text(4);
                    rec.rsid = text_or_empty(r, 5);
                    if (!r.is_null(6)) rec.qual = r.real(6);
                    rec.filter = text_or_empty(r, 7);
                    rec.vtype = text_or_empty(r, 8);
                    if (!r.is_null(9)) rec.af = r.real(9);
                    rec.end_pos = r.is_null(10) ? rec.pos : r.integer(10);
                    rec.svtype = text_or_empty(r, 11);
                    rec.svlen = r.is_null(12) ? 0 : r.integer(12);
                    rec.n_alts = r.is_null(13) ? 1 : r.integer(13);
                    rec.calls.assign(samples_.size(), StoredCall{});
                    window_.push_back(std::move(rec));
                }
                if (r.is_null(14) || r.is_null(15) || samples_.empty()) return;
                // Fill the calls of the samples this Calls row holds (the first source wins;
                // see store/call_rows.hpp for the rows of a call vector).
                StoredRecord& rec = window_[it->second];
                const int64_t source = r.integer(14), first = r.integer(20);
                const std::string gt = r.text(15);
                const std::string dp = text_or_empty(r, 16), gq = text_or_empty(r, 17),
                                  ad_ref = text_or_empty(r, 18), ad_alt = text_or_empty(r, 19);
                for (size_t s = 0; s < samples_.size(); ++s) {
                    StoredCall& call = rec.calls[s];
                    if (call.code != '.') continue;
                    for (const auto& column : columns_[s]) {
                        const int64_t at = column.idx - first;
                        if (column.source != source || at < 0 ||
                            at >= static_cast<int64_t>(gt.size()))
                            continue;
                        call.code = gt[static_cast<size_t>(at)];
                        call.dp = list_field(dp, at);
                        call.gq = list_field(gq, at);
                        call.ad_ref = list_field(ad_ref, at);
                        call.ad_alt = list_field(ad_alt, at);
                    }
                }
            });
        windows_->observe(window_.size());
        if (window_.empty()) continue;

        if (!samples_.empty()) {
            std::unordered_map<std::string, size_t> sample_index;
            for (size_t i = 0; i < samples_.size(); ++i) sample_index[samples_[i]] = i;
            graph_.scan("MATCH (v:Variant)-[h:CarriedBy]->(s:Sample) WHERE " + window +
                            " RETURN v.id, s.id, h.gt, CASE WHEN h.phased THEN 1 ELSE 0 END, "
                            "CAST(h.dp AS INT64), CAST(h.gq AS INT64), h.zygosity",
                        {}, [&](const store::RowView& r) {
                            const auto v = at.find(r.text(0));
                            const auto s = sample_index.find(r.text(1));
                            if (v == at.end() || s == sample_index.end()) return;
                            StoredCall& call = window_[v->second].calls[s->second];
                            call.gt = text_or_empty(r, 2);
                            call.phased = !r.is_null(3) && r.integer(3) != 0;
                            if (!r.is_null(4) && r.integer(4) >= 0)
                                call.dp = static_cast<int32_t>(r.integer(4));
                            if (!r.is_null(5) && r.integer(5) >= 0)
                                call.gq = static_cast<int32_t>(r.integer(5));
                            // A store without call vectors still knows its carriers.
                            if (call.code == '.' || call.code == '0') {
                                const std::string z = text_or_empty(r, 6);
                                call.code = z == "hom_alt" || z == "hemizygous" ? '2' : '1';
                            }
                        });
        }
        graph_.scan("MATCH (v:Variant)-[a:InGene]->(g:Gene) WHERE " + window +
                        " RETURN v.id, g.symbol, g.gene_id, a.consequence, a.impact, a.feature, "
                        "a.hgvs_c, a.hgvs_p",
                    {}, [&](const store::RowView& r) {
                        const auto v = at.find(r.text(0));
                        if (v == at.end()) return;
                        window_[v->second].annotations.push_back(
                            {text_or_empty(r, 1), text_or_empty(r, 2), text_or_empty(r, 3),
                             text_or_empty(r, 4), text_or_empty(r, 5), text_or_empty(r, 6),
                             text_or_empty(r, 7)});
                    });
        return true;
    }
    return false;
}

int64_t StoredRecordReader::count() {
    std::vector<std::string> where;
    add_selection_conditions(queries_, selection_, source_num_, where);
    int64_t n = 0;
    graph_.scan("MATCH (v:Variant)" +
                    (where.empty() ? std::string() : " WHERE " + join(where, " AND ")) +
                    " RETURN count(*)",
                {}, [&](const store::RowView& r) { n = r.integer(0); });
    return n;
}

bool StoredRecordReader::next(StoredRecord& out) {
    if (selection_.variants.limit && returned_ >= selection_.variants.limit) return false;
    while (window_i_ >= window_.size())
        if (!read_window()) return false;
    out = std::move(window_[window_i_++]);
    ++returned_;
    return true;
}

}  // namespace vcfagent::exporting
