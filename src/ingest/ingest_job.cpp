#include "ingest/ingest_job.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "common/elapsed.hpp"
#include "common/error.hpp"
#include "common/file_digest.hpp"
#include "common/process_memory.hpp"
#include "ingest/bounded_queue.hpp"
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

IngestReport ingest_file(store::DualStore& stores, const std::string& path,
                         const IngestOptions& options, const ProgressFn& progress,
                         IngestReport* partial) {
    store::GraphStore& graph = stores.graph();
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

    const uint32_t vector_source = stores.vector_source(id);
    std::vector<std::string> samples =
        options.with_genotypes ? reader.samples() : std::vector<std::string>{};
    graph.ensure_samples(samples);

    for (int64_t i = 0; i < skip_records && reader.next(); ++i) {
    }
    vcf::VariantBatchReader batches(reader, options.with_genotypes);
    // Read stage: parse, split and annotate into bounded batches. In the default concurrent
    // mode it runs on its own thread, at most `queue_depth` batches ahead of the writer, so
    // memory stays bounded by (queue_depth + 2) batches whatever the file size.
    // The writer shrinks this when the memory budget is close; the reader reads it per batch.
    std::atomic<size_t> batch_calls{options.batch_calls};
    auto read_batch = [&](vcf::VariantBatch& b) {
        const auto t = std::chrono::steady_clock::now();
        const bool got = batches.next(b, options.batch_records, batch_calls.load());
        if (got && gene_index) gene_index->annotate(b.variants);
        report.read_seconds += seconds_since(t);
        return got;
    };
    BoundedQueue<vcf::VariantBatch> queue(options.queue_depth);
    std::thread producer;
    if (!options.sync) {
        producer = std::thread([&] {
            try {
                vcf::VariantBatch b;
                while (read_batch(b))
                    if (!queue.push(std::move(b))) return;
                queue.close();
            } catch (...) {
                queue.fail(std::current_exception());
            }
        });
    }
    auto next_batch = [&](vcf::VariantBatch& b) {
        return options.sync ? read_batch(b) : queue.pop(b);
    };
    auto stop_producer = [&] {
        queue.close();
        if (producer.joinable()) producer.join();
    };

    vcf::VariantBatch batch;
    try {
        while (next_batch(batch)) {
            store::SourceRecord after = source;
            after.records_committed += static_cast<int64_t>(batch.records);
            after.batches_committed += 1;
            const auto dual = stores.write_batch(batch, samples, after, vector_source);
            const auto& written = dual.graph;
            report.vectors_added += static_cast<int64_t>(dual.vectors_added);
            report.embed_seconds += dual.embed_seconds;
            report.vector_seconds += dual.vector_seconds;
            source = after;
            source.variants += written.new_variants;
            source.edges += written.new_edges;
            report.records += static_cast<int64_t>(batch.records);
            report.variants += static_cast<int64_t>(batch.variants.size());
            report.new_variants += written.new_variants;
            report.new_edges += written.new_edges;
            report.new_gene_links += written.new_gene_links;
            report.batches += 1;
            report.graph_lookup_seconds += written.lookup_seconds;
            report.graph_stage_seconds += written.stage_seconds;
            report.graph_copy_seconds += written.copy_seconds;
            if (options.memory_limit_bytes > 0) adapt_batch_calls(batch_calls, options);
            if (progress) progress(reader.records_read(), reader.bytes_read(), reader.file_size());
        }
    } catch (const InputError&) {
        stop_producer();
        report.records_skipped = reader.records_skipped();
        report.seconds = seconds_since(t0);
        report.peak_rss_bytes = peak_rss_bytes();
        if (partial) *partial = report;
        throw;
    } catch (...) {
        stop_producer();
        throw;
    }
    stop_producer();
    report.records_skipped = reader.records_skipped();
    source.status = "complete";
    graph.put_source(source);
    report.seconds = seconds_since(t0);
    report.peak_rss_bytes = peak_rss_bytes();
    report.final_batch_calls = batch_calls.load();
    return report;
}

}  // namespace vcfagent::ingest
