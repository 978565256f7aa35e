#include "ingest/ingest_job.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "common/bounded_queue.hpp"
#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "common/file_digest.hpp"
#include "common/process_memory.hpp"
#include "ingest/batch_committer.hpp"
#include "vcf/gene_intervals.hpp"
#include "vcf/variant_batches.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::ingest {

namespace {

// Smallest genotype-call bound the budget may shrink batches to: below it the per-batch
// overhead (a Kuzu checkpoint per batch) dominates and memory no longer drops.
constexpr size_t kMinBatchCalls = 20000;

void adapt_batch_calls(std::atomic<size_t>& batch_calls, const IngestOptions& options) {
    const uint64_t rss = current_rss_bytes();
    const size_t now = batch_calls.load();
    if (rss > options.memory_limit_bytes / 5 * 4)
        batch_calls.store(std::max(kMinBatchCalls, now / 2));
    else if (rss < options.memory_limit_bytes / 2)
        batch_calls.store(std::min(options.batch_calls, now * 2));
}

}  // namespace

IngestReport ingest_file(store::GraphStore& graph, const std::string& path,
                         const IngestOptions& options, const ProgressFn& progress,
                         IngestReport* partial) {
    store::BatchWriter batches(graph);
    BatchCommitter committer(batches, !options.sync);
    const auto t0 = std::chrono::steady_clock::now();
    IngestReport report;
    report.path = path;

    // Open first: a missing or unreadable file fails before the store is touched.
    vcf::VcfReader reader(path, options.reader);
    std::unique_ptr<vcf::GeneIntervals> gene_index;
    if (!options.genes_file.empty())
        gene_index = std::make_unique<vcf::GeneIntervals>(options.genes_file);

    std::string id;
    if (path == "-") {
        id = "stdin:" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
    } else {
        id = sha256_file(path);
        // A region or sample subset is a different load of the same file.
        if (!options.reader.regions.empty() || !options.reader.samples.empty()) {
            std::string subset;
            for (const auto& r : options.reader.regions) subset += r.to_string() + ",";
            subset += "|";
            for (const auto& s : options.reader.samples) subset += s + ",";
            id += ":" + std::to_string(vcf::stable_hash64(subset));
        }
    }
    report.source_id = id;

    store::SourceRecord source;
    source.id = id;
    source.path = path;
    source.status = "loading";
    int64_t skip_records = 0;
    if (auto existing = graph.find_source(id)) {
        if (existing->status == "complete" && !options.force) {
            report.skipped_already_loaded = true;
            return report;
        }
        source.num = existing->num;
        if (options.force) {
            graph.delete_source_edges(*existing);
        } else {
            // Interrupted earlier: its committed batches stay; continue after them.
            source = *existing;
            skip_records = existing->records_committed;
            report.resumed = true;
        }
    }
    source.status = "loading";
    if (options.force)
        source.records_committed = source.batches_committed = source.variants = source.edges = 0;
    graph.put_source(source);

    std::vector<std::string> samples =
        options.with_genotypes ? reader.samples() : std::vector<std::string>{};
    graph.ensure_samples(samples, &source);

    for (int64_t i = 0; i < skip_records && reader.next(); ++i) {
    }
    vcf::VariantBatchReader chunks(reader, options.with_genotypes, options.call_depths);
    const int64_t file_size = reader.file_size();
    // Read stage: parse, split and annotate into bounded chunks. In the default concurrent
    // mode it runs on its own thread, at most `queue_depth` chunks ahead of the writer, so
    // memory stays bounded by (queue_depth + 2) chunks whatever the file or batch size.
    // The writer shrinks `batch_calls` when the memory budget is close; the reader reads it
    // per chunk. Chunks end where a batch of `batch_records` records would end.
    std::atomic<size_t> batch_calls{options.batch_calls};
    int64_t records_chunked = 0;
    auto read_chunk = [&](vcf::VariantBatch& b) {
        const auto t = std::chrono::steady_clock::now();
        size_t max_records = options.chunk_records;
        if (options.batch_records > 0)
            max_records =
                std::min(max_records, options.batch_records - static_cast<size_t>(records_chunked) %
                                                                  options.batch_records);
        const bool got =
            chunks.next(b, max_records, std::min(options.chunk_calls, batch_calls.load()));
        if (got && gene_index) gene_index->annotate(b.variants);
        b.records_read = reader.records_read();
        b.bytes_read = reader.bytes_read();
        records_chunked += static_cast<int64_t>(b.records);
        report.read_seconds += seconds_since(t);
        return got;
    };
    using Chunk = std::unique_ptr<vcf::VariantBatch>;
    BoundedQueue<Chunk> queue(options.queue_depth);
    std::thread producer;
    if (!options.sync) {
        producer = std::thread([&] {
            try {
                for (;;) {
                    auto b = std::make_unique<vcf::VariantBatch>();
                    if (!read_chunk(*b)) break;
                    if (!queue.push(std::move(b))) return;
                }
                queue.close();
            } catch (...) {
                queue.fail(std::current_exception());
            }
        });
    }
    auto next_chunk = [&](Chunk& b) {
        if (!options.sync) return queue.pop(b);
        b = std::make_unique<vcf::VariantBatch>();
        return read_chunk(*b);
    };
    auto stop_producer = [&] {
        queue.close();
        if (producer.joinable()) producer.join();
    };

    // The open batch: what its chunks have staged so far (open while it holds a variant; every
    // stage() call stages at least one).
    int64_t batch_records = 0, batch_variants = 0, batch_call_count = 0;
    // The batch handed to the stores last, counted in the report once it has committed.
    int64_t handed_records = 0, handed_variants = 0;
    auto settle = [&] {
        const auto written = committer.wait();
        if (!written) return;
        report.records += handed_records;
        report.variants += handed_variants;
        report.new_variants += written->new_variants;
        report.new_edges += written->new_edges;
        report.new_gene_links += written->new_gene_links;
        report.batches += 1;
        report.graph_lookup_seconds += written->lookup_seconds;
        report.graph_stage_seconds += written->stage_seconds;
        report.graph_copy_seconds += written->copy_seconds;
        if (options.memory_limit_bytes > 0) adapt_batch_calls(batch_calls, options);
    };
    // Hands the open batch over; it commits while the next one is staged. Its Source row
    // counts it, so `source` moves on now: if it fails, the load stops.
    auto commit = [&] {
        settle();
        store::SourceRecord after = source;
        after.records_committed += batch_records;
        after.batches_committed += 1;
        const auto staged = committer.commit(after);
        source = after;
        source.variants += staged.new_variants;
        source.edges += staged.new_edges;
        handed_records = batch_records;
        handed_variants = batch_variants;
        batch_records = batch_variants = batch_call_count = 0;
    };

    auto discard_quietly = [&] {
        try {
            committer.discard();
        } catch (...) {  // the error that stopped the load is the one to report
        }
    };

    Chunk chunk;
    try {
        while (next_chunk(chunk)) {
            // A chunk may end its batch (at a node-group boundary, or at the batch's call bound)
            // and start the next one.
            std::vector<size_t> new_at;
            for (size_t at = 0; at < chunk->variants.size();) {
                const int64_t room =
                    batches.variants_to_node_group_end() - batches.staged_new_variants();
                const int64_t room_calls =
                    static_cast<int64_t>(batch_calls.load()) - batch_call_count;
                const auto staged = batches.stage(
                    *chunk, at, room, std::max<int64_t>(room_calls, 1), samples, source);
                batch_records += staged.records;
                batch_call_count += staged.calls;
                batch_variants += static_cast<int64_t>(staged.end - at);
                at = staged.end;
                new_at.insert(new_at.end(), staged.new_at.begin(), staged.new_at.end());
                // A batch also ends after a node group's worth of variants, new or not (a file
                // whose variants are mostly in the store already).
                if (batches.staged_new_variants() >= batches.variants_to_node_group_end() ||
                    batch_variants >= store::GraphStore::kNodeGroupRows ||
                    batch_call_count >= static_cast<int64_t>(batch_calls.load()))
                    commit();
            }
            if (batch_variants > 0 && options.batch_records > 0 &&
                batch_records >= static_cast<int64_t>(options.batch_records))
                commit();
            // From the chunk, not the reader: the reader thread is using the reader now.
            if (progress) progress(chunk->records_read, chunk->bytes_read, file_size);
            if (options.staged_chunks)
                options.staged_chunks(std::move(chunk), std::move(new_at),
                                      static_cast<uint32_t>(source.num));
            // A stop ends the batch here, at a chunk boundary: the open batch commits below
            // like a file's last one, and the records after it are left for a resumed load.
            if (options.stop_requested && options.stop_requested->load()) {
                report.interrupted = true;
                break;
            }
        }
        if (batch_variants > 0) commit();
        settle();
    } catch (const InputError&) {
        stop_producer();
        try {
            settle();    // the batches before the bad record stay committed and are reported
        } catch (...) {  // the bad input is the error to report
        }
        discard_quietly();
        report.records_skipped = reader.records_skipped();
        report.seconds = seconds_since(t0);
        report.peak_rss_bytes = peak_rss_bytes();
        if (partial) *partial = report;
        throw;
    } catch (...) {
        stop_producer();
        discard_quietly();
        throw;
    }
    stop_producer();
    report.records_skipped = reader.records_skipped();
    if (!report.interrupted) {
        source.status = "complete";
        graph.put_source(source);
    }
    report.seconds = seconds_since(t0);
    report.peak_rss_bytes = peak_rss_bytes();
    report.final_batch_calls = batch_calls.load();
    return report;
}

}  // namespace vcfagent::ingest
