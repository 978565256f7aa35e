#include "embed/http_embedder.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "embed/model_server.hpp"
#include "embed/variant_description.hpp"
#include "vcf/variant_key.hpp"

namespace vcfagent::embed {

namespace {

constexpr const char* kProbeText = "dimension probe";

std::string variant_key(const vcf::Variant& v) {
    return v.key.empty() ? vcf::make_variant_key(v.chrom, v.pos, v.ref, v.alt) : v.key;
}

}  // namespace

HttpEmbedder::HttpEmbedder(EmbedderConfig config)
    : config_(std::move(config)), cache_(config_.cache_bytes) {
    std::unique_ptr<EmbeddingProtocol> protocol;
    if (config_.kind == "ollama") {
        protocol = make_ollama_protocol();
        if (config_.model.empty()) config_.model = "nomic-embed-text";

    } else if (config_.kind == "openai") {
        protocol = make_openai_protocol();
        if (config_.model.empty()) config_.model = "text-embedding-3-small";
        config_.api_key = model_server_api_key(config_.kind, config_.api_key);
    } else {
        throw EmbedError("HttpEmbedder: unknown kind '" + config_.kind +
                         "' (expected ollama or openai)");
    }
    if (config_.dimension < 0) throw EmbedError("embedding dimension must not be negative");
    if (!DimensionReducer::parse_method(config_.reduction, method_))
        throw EmbedError("unknown reduction '" + config_.reduction +
                         "' (expected pca or truncate)");
    // nomic-embed-text was trained with task prefixes; documents and queries need theirs to
    // land in the same space.
    if (config_.model.rfind("nomic-embed-text", 0) == 0) {
        document_prefix_ = "search_document: ";
        query_prefix_ = "search_query: ";
    }
    RequestPoolOptions o;
    o.endpoint = model_server_endpoint(config_.kind, config_.endpoint);
    o.model = config_.model;
    o.api_key = config_.api_key;
    o.batch_size = config_.batch_size;
    o.concurrency = config_.concurrency;
    o.timeout = std::chrono::milliseconds(config_.timeout_ms);
    o.max_retries = config_.max_retries;
    o.retry_base = std::chrono::milliseconds(config_.retry_base_ms);
    pool_ = std::make_unique<RequestPool>(std::move(o), std::move(protocol));
}

HttpEmbedder::~HttpEmbedder() = default;

int HttpEmbedder::natural_dimension() const {
    if (int d = pool_->dimension(); d > 0) return d;
    pool_->embed({document_prefix_ + kProbeText});
    return pool_->dimension();
}

EmbedderInfo HttpEmbedder::info() const {
    EmbedderInfo info{config_.kind, config_.model, config_.dimension, ""};
    const int natural = natural_dimension();
    if (config_.dimension <= 0 || config_.dimension == natural) {
        info.dimension = natural;
    } else {
        check_fits(natural);
        info.reduction = config_.reduction;
    }
    return info;
}

bool HttpEmbedder::needs_training() const {
    if (config_.dimension <= 0 || method_ != DimensionReducer::Method::Pca) return false;
    const int natural = pool_->dimension();
    if (natural > 0 && natural <= config_.dimension) return false;
    ReadLock<SharedMutex> lock(reducer_mutex_);
    return !reducer_ || !reducer_->is_trained();
}

void HttpEmbedder::check_fits(int natural) const {
    if (config_.dimension > natural)
        throw EmbedError(config_.kind + " model " + config_.model + " returns " +
                         std::to_string(natural) +
                         "-dimensional vectors; the configured dimension " +
                         std::to_string(config_.dimension) + " is larger");
}

void HttpEmbedder::prepare_reducer_locked(int natural) {
    if (config_.dimension <= 0 || config_.dimension == natural) return;
    check_fits(natural);
    if (reducer_) {
        if (reducer_->input_dim() != natural)
            throw EmbedError("dimension reducer expects " + std::to_string(reducer_->input_dim()) +
                             "-dimensional input but " + config_.model + " returns " +
                             std::to_string(natural));
        return;
    }
    reducer_ = std::make_unique<DimensionReducer>(method_, natural, config_.dimension);
}

const DimensionReducer* HttpEmbedder::reducer() const {
    ReadLock<SharedMutex> lock(reducer_mutex_);
    return reducer_.get();
}

void HttpEmbedder::load_reducer(const std::string& path) {
    DimensionReducer loaded = DimensionReducer::load(path);
    if (loaded.method() != method_)
        throw EmbedError("dimension reducer " + path + " uses " + std::string(loaded.name()) +
                         " but the configuration asks for " + config_.reduction);
    if (config_.dimension > 0 && loaded.output_dim() != config_.dimension)
        throw EmbedError(
            "dimension reducer " + path + " outputs " + std::to_string(loaded.output_dim()) +
            " dimensions but the configuration asks for " + std::to_string(config_.dimension));
    if (!pool_->expect_dimension(loaded.input_dim()))
        throw EmbedError("dimension reducer " + path + " expects " +
                         std::to_string(loaded.input_dim()) + "-dimensional input but " +
                         config_.model + " returns " + std::to_string(pool_->dimension()));
    WriteLock<SharedMutex> lock(reducer_mutex_);
    reducer_ = std::make_unique<DimensionReducer>(std::move(loaded));
}

std::string HttpEmbedder::untrained_message() const {
    return config_.kind + "/" + config_.model + ": reducing " + std::to_string(pool_->dimension()) +
           " to " + std::to_string(config_.dimension) +
           " dimensions with PCA needs a trained reducer: call train() on a sample of variants "
           "or load_reducer() first";
}

std::string HttpEmbedder::document_text(const vcf::Variant& v) const {
    return document_prefix_ + describe_variant(v);
}

std::vector<float> HttpEmbedder::embed_raw(std::span<const vcf::Variant> variants) {
    const size_t n = variants.size();
    int d = pool_->dimension();
    std::vector<float> raw(d > 0 ? n * static_cast<size_t>(d) : 0);
    std::vector<std::string> keys(n);
    // Variants to fetch, each distinct key once, with the rows that wait for it.
    std::vector<std::string> texts;
    std::vector<size_t> unique_of(n, SIZE_MAX);
    std::vector<size_t> unique_first;
    std::unordered_map<std::string_view, size_t> seen;
    for (size_t i = 0; i < n; ++i) {
        keys[i] = variant_key(variants[i]);
        if (d > 0 &&
            cache_.get(keys[i], std::span<float>(raw.data() + i * d, static_cast<size_t>(d))))
            continue;
        auto [it, inserted] = seen.emplace(keys[i], texts.size());
        if (inserted) {
            texts.push_back(document_text(variants[i]));
            unique_first.push_back(i);
        }
        unique_of[i] = it->second;
    }
    if (texts.empty()) return raw;
    std::vector<std::vector<float>> rows = pool_->embed(std::move(texts));
    if (d == 0) {
        d = pool_->dimension();
        raw.resize(n * static_cast<size_t>(d));
    }
    for (size_t i = 0; i < n; ++i) {
        if (unique_of[i] == SIZE_MAX) continue;
        const auto& row = rows[unique_of[i]];
        std::memcpy(raw.data() + i * d, row.data(), sizeof(float) * static_cast<size_t>(d));
    }
    for (size_t u = 0; u < rows.size(); ++u) cache_.put(keys[unique_first[u]], rows[u]);
    return raw;
}

void HttpEmbedder::reduce(const float* raw, size_t n, float* out) {
    const int natural = pool_->dimension();
    {
        WriteLock<SharedMutex> lock(reducer_mutex_);
        prepare_reducer_locked(natural);
    }
    ReadLock<SharedMutex> lock(reducer_mutex_);
    if (!reducer_) {
        std::memcpy(out, raw, sizeof(float) * n * static_cast<size_t>(natural));
        return;
    }
    if (!reducer_->is_trained()) throw EmbedError(untrained_message());
    reducer_->apply(raw, n, out);
}

void HttpEmbedder::embed(std::span<const vcf::Variant> variants, float* out) {
    if (variants.empty()) return;
    // Fail before any request when the answer is already known to be unusable.
    if (pool_->dimension() > 0 && needs_training()) throw EmbedError(untrained_message());
    const std::vector<float> raw = embed_raw(variants);
    reduce(raw.data(), variants.size(), out);
}

std::vector<float> HttpEmbedder::embed_text(const std::string& text) {
    auto rows = pool_->embed({query_prefix_ + text});
    std::vector<float> out(static_cast<size_t>(info().dimension));
    reduce(rows.front().data(), 1, out.data());
    return out;
}

void HttpEmbedder::train(std::span<const vcf::Variant> sample) {
    const std::vector<float> raw = embed_raw(sample);
    train_raw(raw.data(), sample.size());
}

void HttpEmbedder::train_raw(const float* raw, size_t n) {
    const int natural = pool_->dimension();
    if (natural <= 0)
        throw EmbedError("train_raw: the model's dimension is not known yet; use train()");
    WriteLock<SharedMutex> lock(reducer_mutex_);
    prepare_reducer_locked(natural);
    if (!reducer_ || reducer_->method() != DimensionReducer::Method::Pca) return;
    // Train a fresh reducer and swap it in, so a failed training leaves the old one usable.
    auto fresh = std::make_unique<DimensionReducer>(DimensionReducer::Method::Pca, natural,
                                                    config_.dimension);
    fresh->train(raw, n);
    reducer_ = std::move(fresh);
}

}  // namespace vcfagent::embed
