#include "store/batch_writer.hpp"

#include <malloc.h>

#include <chrono>
#include <exception>
#include <string_view>

#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "store/call_rows.hpp"
#include "store/gene_links.hpp"
#include "store/graph_store_impl.hpp"

namespace vcfagent::store {

BatchWriter::BatchWriter(GraphStore& store) : im_(*store.impl_) {}

int64_t BatchWriter::staged_new_variants() const {
    MutexLock lock(im_.stage_mutex);
    return im_.batch ? im_.batch->totals.new_variants : 0;
}

int64_t BatchWriter::variants_to_node_group_end() const {
    MutexLock lock(im_.stage_mutex);
    return GraphStore::kNodeGroupRows - im_.next_variant_offset % GraphStore::kNodeGroupRows;
}

StageResult BatchWriter::stage(const vcf::VariantBatch& chunk, size_t begin,
                               int64_t max_new_variants, int64_t max_calls,
                               const std::vector<std::string>& sample_ids,
                               const SourceRecord& source) {
    const int64_t source_num = source.num;
    GraphStore::Impl& im = im_;
    MutexLock lock(im.stage_mutex);
    StageResult result;
    result.end = begin;
    const auto& vs = chunk.variants;
    if (begin >= vs.size()) return result;
    const auto t_start = std::chrono::steady_clock::now();

    // Keys already in the store, found per contig by a locus range the zone maps can answer.
    // The range covers the whole rest of the chunk: where staging stops is known only later.
    std::unordered_map<std::string, std::pair<int64_t, int64_t>> ranges;
    for (size_t i = begin; i < vs.size(); ++i) {
        const int64_t locus = im.locus(vs[i]);
        auto [it, fresh] = ranges.try_emplace(vs[i].chrom, locus, locus);
        if (!fresh) {
            it->second.first = std::min(it->second.first, locus);
            it->second.second = std::max(it->second.second, locus);
        }
    }
    for (const auto& [chrom, range] : ranges)
        im.wait_for_commit_reaching(range.first, range.second);
    {
        MutexLock extent(im.extent_mutex);
        for (auto it = ranges.begin(); it != ranges.end();) {
            if (it->second.second < im.min_locus || it->second.first > im.max_locus)
                it = ranges.erase(it);
            else
                ++it;
        }
    }
    // `match` reads the variants of one locus range: its bounds are written in as literals, so
    // Kuzu reads only the node groups and slices that hold them (third_party/kuzu patch 0003).
    auto lookup = [&](const std::string& match, const std::pair<int64_t, int64_t>& range,
                      const std::string& rest) REQUIRES(im.stage_mutex) {
        ReadLock gate(im.commit_gate);  // a read: why at Impl::commit_gate
        // (No parameters either: Kuzu would plan the statement twice, to prepare and to run.)
        auto r = im.run(*im.lookup, match + " WHERE v.locus >= " + std::to_string(range.first) +
                                        " AND v.locus <= " + std::to_string(range.second) + rest);
        std::vector<std::string> rows;
        while (r->hasNext()) {
            auto t = r->getNext();
            std::string row = t->getValue(0)->getValue<std::string>();
            if (t->len() > 1) row += '\x1f' + t->getValue(1)->getValue<std::string>();
            rows.push_back(std::move(row));
        }
        return rows;
    };
    std::unordered_set<std::string> existing;
    for (const auto& [chrom, range] : ranges)
        for (auto& key : lookup("MATCH (v:Variant)", range, " RETURN v.id"))
            existing.insert(std::move(key));
    // Edges already present can only hang off variants that already existed.
    std::unordered_set<std::string> store_edges, store_called;
    if (!existing.empty()) {
        for (const auto& [chrom, range] : ranges) {
            for (auto& edge :
                 lookup("MATCH (s:Sample)<-[:CarriedBy]-(v:Variant)", range, " RETURN s.id, v.id"))
                store_edges.insert(std::move(edge));
            for (auto& key : lookup("MATCH (v:Variant)-[:CalledIn]->(c:Calls)", range,
                                    " AND c.source = " + std::to_string(source_num) +
                                        " AND c.first = 0 RETURN v.id"))
                store_called.insert(std::move(key));
        }
    }
    const double lookup_seconds = seconds_since(t_start);

    const auto t_stage = std::chrono::steady_clock::now();
    GraphStore::Impl::OpenBatch& b = im.open_batch();
    const std::string source_text = std::to_string(source_num);
    const std::string batch_text = std::to_string(b.id);
    size_t i = begin;
    for (; i < vs.size() && result.new_variants < max_new_variants && result.calls < max_calls;
         ++i) {
        const auto& v = vs[i];
        const bool in_store = existing.count(v.key) > 0;
        auto [key_it, first_time] = b.keys.try_emplace(v.key, 0u, 0u);
        const bool is_new = !in_store && first_time;
        // Edges are checked when the key is in the store or was staged before in this batch.
        const bool check_edges = !is_new;
        if (!first_time && key_it->second.second > 0) {
            const auto [from, count] = key_it->second;
            for (uint32_t e = from; e < from + count; ++e)
                b.checked_edges.insert(sample_ids.at(b.edge_samples[e]) + '\x1f' + v.key);
            key_it->second = {0u, 0u};
        }
        const int64_t locus = im.locus(v);
        b.staged_min_locus = std::min(b.staged_min_locus, locus);
        b.staged_max_locus = std::max(b.staged_max_locus, locus);
        if (is_new) {
            b.min_locus = std::min(b.min_locus, locus);
            b.max_locus = std::max(b.max_locus, locus);
            b.variants.row({v.key,
                            v.chrom,
                            std::to_string(v.pos),
                            v.ref,
                            v.alt,
                            v.id,
                            StagingFile::number(v.qual),
                            v.filter,
                            std::string(vcf::to_string(v.vclass)),
                            StagingFile::number(v.af),
                            std::to_string(v.end),
                            v.svtype,
                            v.svlen ? std::to_string(v.svlen) : "",
                            std::to_string(v.n_alts),
                            std::to_string(v.record_pos),
                            std::to_string(locus),
                            source_text,
                            batch_text,
                            "",
                            std::to_string(v.calls.size()),
                            "0"});
            ++result.new_variants;
            result.new_at.push_back(i);
            for (const vcf::Annotation* link : gene_links(v)) {
                const vcf::Annotation& a = *link;
                if (im.genes.insert(a.gene).second) {
                    b.genes.row({a.gene, a.gene_id});
                    b.new_genes.push_back(a.gene);
                }
                b.in_gene.row({v.key, a.gene, a.consequence, a.impact, a.feature, a.hgvs_c,
                               a.hgvs_p, a.clinsig, a.source});
                ++b.totals.new_gene_links;
            }
        }
        const auto first_edge = static_cast<uint32_t>(b.edge_samples.size());
        const int64_t edges_before = b.totals.new_edges;
        for (const auto& c : v.calls) {
            const std::string& sample = sample_ids.at(c.sample);
            if (check_edges) {
                std::string edge = sample + '\x1f' + v.key;
                if (store_edges.count(edge) || !b.checked_edges.insert(std::move(edge)).second)
                    continue;
            } else {
                b.edge_samples.push_back(c.sample);
            }
            b.carried_by.row({v.key, sample, c.gt, std::string(vcf::to_string(c.zygosity)),
                              c.dp >= 0 ? std::to_string(c.dp) : "",
                              c.gq >= 0 ? std::to_string(c.gq) : "", c.phased ? "true" : "false",
                              source_text});
            ++b.totals.new_edges;
        }
        if (!is_new && b.totals.new_edges > edges_before)
            b.added_edges[v.key] += b.totals.new_edges - edges_before;
        // One call vector per (variant, source): the first record that has the variant.
        if (!v.call_vector.empty() && !store_called.count(v.key) &&
            b.called_keys.insert(v.key).second) {
            stage_call_rows(b.calls, b.called_in, b.next_calls_id, v.key, source_text,
                            v.call_vector);
        }
        if (!check_edges)
            key_it->second = {first_edge,
                              static_cast<uint32_t>(b.edge_samples.size()) - first_edge};
        result.calls += static_cast<int64_t>(vcf::call_load(v));
    }
    result.end = i;
    result.records = vcf::records_ending_in(chunk, begin, i);
    b.totals.new_variants += result.new_variants;
    b.totals.lookup_seconds += lookup_seconds;
    b.totals.stage_seconds += seconds_since(t_stage);
    return result;
}

void BatchWriter::discard_batch() {
    GraphStore::Impl& im = im_;
    MutexLock lock(im.stage_mutex);
    im.forget(im.batch);
    std::vector<std::pair<std::string, int64_t>> unwritten;
    {
        WriteLock contigs(im.contig_mutex);
        unwritten = std::exchange(im.unwritten_contigs, {});
    }
    im.forget_contigs(unwritten);
    std::unique_ptr<GraphStore::Impl::OpenBatch> sealed;
    {
        MutexLock extent(im.extent_mutex);
        if (!im.sealed) return;
        sealed = std::move(im.sealed);
        im.committing.reset();
    }
    im.commit_ended.notify_all();
    im.next_variant_offset -= sealed->totals.new_variants;
    im.next_batch_id -= 1;
    im.forget(sealed);
}

BatchWriteResult BatchWriter::seal_batch() {
    GraphStore::Impl& im = im_;
    MutexLock lock(im.stage_mutex);
    MutexLock extent(im.extent_mutex);
    if (im.sealed || im.committing)
        throw StoreError("graph store: the previous batch has not finished its commit");
    auto& b = im.open_batch();
    {
        WriteLock contigs(im.contig_mutex);
        b.new_contigs = std::exchange(im.unwritten_contigs, {});
    }
    im.next_variant_offset += b.totals.new_variants;
    im.next_batch_id += 1;
    im.next_calls_id = b.next_calls_id;
    im.committing.emplace(b.staged_min_locus, b.staged_max_locus);
    im.sealed = std::move(im.batch);
    return im.sealed->totals;
}

BatchWriteResult BatchWriter::commit_batch(const SourceRecord& source_after,
                                           const std::function<void()>& before_commit) {
    GraphStore::Impl& im = im_;
    // Not under stage_mutex: stage() may hold it while it waits for this commit.
    auto take_sealed = [&] {
        MutexLock extent(im.extent_mutex);
        return std::move(im.sealed);
    };
    std::unique_ptr<GraphStore::Impl::OpenBatch> batch = take_sealed();
    if (!batch) {
        seal_batch();
        batch = take_sealed();
    }
    GraphStore::Impl::OpenBatch& b = *batch;
    const int64_t new_min_locus = b.min_locus, new_max_locus = b.max_locus;
    const auto t_copy = std::chrono::steady_clock::now();
    BatchWriteResult result = b.totals;
    SourceRecord src = source_after;
    src.variants += result.new_variants;
    src.edges += result.new_edges;
    std::exception_ptr failure;
    bool committed = false;  // the batch is in the store (maybe not checkpointed)
    {
        MutexLock writing(im.write_mutex);
        try {
            b.variants.close();
            b.genes.close();
            b.in_gene.close();
            b.carried_by.close();
            b.calls.close();
            b.called_in.close();
            for (const auto& [key, n] : b.added_edges) b.recount.row({key, std::to_string(n)});
            b.recount.close();
            im.run(*im.writer, "BEGIN TRANSACTION");
            for (const auto& [name, rank] : b.new_contigs)
                im.run(*im.writer, "CREATE (:Contig {name: $n, rank: $r})",
                       {{"n", name}, {"r", rank}});
            if (b.variants.rows())
                im.run(*im.writer, "COPY Variant FROM " + b.variants.copy_source());
            if (b.genes.rows()) im.run(*im.writer, "COPY Gene FROM " + b.genes.copy_source());
            if (b.in_gene.rows()) im.run(*im.writer, "COPY InGene FROM " + b.in_gene.copy_source());
            if (b.carried_by.rows())
                im.run(*im.writer, "COPY CarriedBy FROM " + b.carried_by.copy_source());
            if (b.recount.rows())
                // Looked up by primary key, row by row (a pattern with the variant's edges
                // here is planned as a join over every edge of the store).
                im.run(*im.writer, "LOAD FROM " + b.recount.copy_source() +
                                       " MATCH (v:Variant {id: column0}) SET v.carriers = "
                                       "v.carriers + CAST(column1 AS INT64), v.carriers_batch = " +
                                       std::to_string(b.id));
            if (b.calls.rows()) {
                im.run(*im.writer, "COPY Calls FROM " + b.calls.copy_source());
                im.run(*im.writer, "COPY CalledIn FROM " + b.called_in.copy_source());
            }
            im.run(*im.writer, kSetSource, source_params(src));
            im.run(*im.writer, "MERGE (m:Meta {key: 'last_batch'}) SET m.value = $b",
                   {{"b", std::to_string(b.id)}});
            if (before_commit) before_commit();
            WriteLock gate(im.commit_gate);
            // Counted as the gate opens (this guard ends before `gate`), however the scope is
            // left: no reader sees the batch before then, so a copy that read the count
            // before its rows holds the batch or is seen as stale, and one current at the
            // count before may answer until then.
            GenerationOnExit counted(im.write_generation);
            im.run(*im.writer, "COMMIT");
            committed = true;
            // Kuzu replays a committed COPY from its WAL by reading the staged file again, so
            // the batch is checkpointed while its staging files still exist (they are removed
            // with the batch). Measured: a SIGKILL after COMMIT without this lost the batch's
            // rows while keeping its Source/Meta updates.
            im.run(*im.writer, "CHECKPOINT");
        } catch (const std::exception& e) {
            im.writer->query("ROLLBACK");
            // Kuzu checkpoints inside COMMIT after the transaction is durable, so a COMMIT that
            // failed may have committed: the batch id it wrote to Meta tells.
            if (!committed) {
                try {
                    auto r =
                        im.run(*im.writer, "MATCH (m:Meta {key: 'last_batch'}) RETURN m.value");
                    committed =
                        r->hasNext() &&
                        r->getNext()->getValue(0)->getValue<std::string>() == std::to_string(b.id);
                } catch (const std::exception&) {
                }
            }
            const bool pool_full =
                std::string_view(e.what()).find("buffer pool is full") != std::string_view::npos;
            const std::string pool_hint =
                pool_full ? " Kuzu checkpoints a node group of " +
                                std::to_string(GraphStore::kNodeGroupRows) +
                                " variants with all their genotype edges in its buffer pool (" +
                                std::to_string(im.buffer_pool_mb) +
                                " MB here), and wide files have many edges per variant (measured "
                                "with 2,500 samples: 256 MB held a group of ~5 million edges, "
                                "1,536 MB ~15 million)."
                          : std::string();
            if (committed)
                failure = std::make_exception_ptr(StoreError(
                    std::string(e.what()) + "; batch " + std::to_string(b.id) +
                    " was committed, but Kuzu could not checkpoint it, so this load stops here. "
                    "The next writer to open the store rebuilds it from its rows and, if Kuzu "
                    "lost this batch's rows, rolls this file's load back (other files stay)." +
                    pool_hint +
                    " Ingest the file again (with a larger --buffer-pool-mb and "
                    "--memory-limit-mb if the pool was full) to finish it."));
            else if (pool_full)
                failure = std::make_exception_ptr(StoreError(
                    std::string(e.what()) + "; the batch was rolled back (earlier batches stay)." +
                    pool_hint +
                    " Load again with a larger --buffer-pool-mb and --memory-limit-mb."));
            else
                failure = std::current_exception();
        } catch (...) {
            im.writer->query("ROLLBACK");
            failure = std::current_exception();
        }
    }
    {
        MutexLock extent(im.extent_mutex);
        if (committed) {
            im.min_locus = std::min(im.min_locus, new_min_locus);
            im.max_locus = std::max(im.max_locus, new_max_locus);
        }
        im.committing.reset();
    }
    // First: a stage() waiting for this commit holds stage_mutex.
    im.commit_ended.notify_all();
    if (failure) {
        MutexLock lock(im.stage_mutex);
        if (committed) {
            // Kuzu 0.11.3 holds the batch in memory until a checkpoint writes it, and may
            // reopen without its rows or with their keys: the store is left as after a crash
            // (marker kept), which the next writer repairs (rebuild_from_rows).
            batch->keep_files();
            im.keep_open_marker = true;
        } else {
            im.next_variant_offset -= result.new_variants;
            im.next_batch_id -= 1;
        }
        im.forget(batch);
        std::rethrow_exception(failure);
    }
    batch.reset();
    // Kuzu's COPY threads free the batch's working memory into their malloc arenas; hand
    // it back so the next batch does not grow RSS (1M x 100: peak 878 -> 805 MB).
    malloc_trim(0);
    result.copy_seconds = seconds_since(t_copy);
    return result;
}

}  // namespace vcfagent::store
