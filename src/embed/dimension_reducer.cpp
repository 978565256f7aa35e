#include "embed/dimension_reducer.hpp"

#include <faiss/VectorTransform.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_io.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "embed/embedder.hpp"

namespace vcfagent::embed {

namespace {
void normalise_rows(float* x, size_t n, size_t d) {
    for (size_t i = 0; i < n; ++i) {
        float* row = x + i * d;
        double norm = 0;
        for (size_t j = 0; j < d; ++j) norm += double(row[j]) * row[j];
        if (norm <= 0) continue;
        const float inv = static_cast<float>(1.0 / std::sqrt(norm));
        for (size_t j = 0; j < d; ++j) row[j] *= inv;
    }
}
}  // namespace

DimensionReducer::DimensionReducer(Method method, int input_dim, int output_dim)
    : method_(method), input_dim_(input_dim), output_dim_(output_dim) {
    if (output_dim <= 0 || input_dim <= 0 || output_dim >= input_dim)
        throw EmbedError("dimension reduction from " + std::to_string(input_dim) + " to " +
                         std::to_string(output_dim) + " is not a reduction");
    if (method == Method::Pca)
        transform_ = std::make_unique<faiss::PCAMatrix>(input_dim, output_dim);
    else
        transform_ = std::make_unique<faiss::RemapDimensionsTransform>(input_dim, output_dim,
                                                                       /*uniform=*/false);
}

DimensionReducer::~DimensionReducer() = default;
DimensionReducer::DimensionReducer(DimensionReducer&&) noexcept = default;
DimensionReducer& DimensionReducer::operator=(DimensionReducer&&) noexcept = default;

std::string_view DimensionReducer::name() const {
    return method_ == Method::Pca ? "pca" : "truncate";
}

bool DimensionReducer::parse_method(std::string_view name, Method& out) {
    if (name == "pca")
        out = Method::Pca;
    else if (name == "truncate")
        out = Method::Truncate;
    else
        return false;
    return true;
}

bool DimensionReducer::is_trained() const {
    return transform_->is_trained;
}

void DimensionReducer::train(const float* x, size_t n) {
    if (method_ != Method::Pca) return;
    if (n <= static_cast<size_t>(output_dim_))
        throw EmbedError("PCA to " + std::to_string(output_dim_) + " dimensions needs more than " +
                         std::to_string(output_dim_) + " training vectors, got " +
                         std::to_string(n));
    try {
        transform_->train(static_cast<faiss::VectorTransform::idx_t>(n), x);
    } catch (const faiss::FaissException& e) {
        throw EmbedError(std::string("PCA training failed: ") + e.what());
    }
}

void DimensionReducer::apply(const float* in, size_t n, float* out) const {
    if (!is_trained())
        throw EmbedError("PCA reducer " + std::to_string(input_dim_) + "->" +
                         std::to_string(output_dim_) + " is not trained");
    transform_->apply_noalloc(static_cast<faiss::VectorTransform::idx_t>(n), in, out);
    normalise_rows(out, n, static_cast<size_t>(output_dim_));
}

void DimensionReducer::save(const std::string& path) const {
    if (!is_trained()) throw EmbedError("cannot save an untrained PCA reducer to " + path);
    const std::string tmp = path + ".tmp";
    try {
        faiss::write_VectorTransform(transform_.get(), tmp.c_str());
    } catch (const faiss::FaissException& e) {
        std::remove(tmp.c_str());
        throw EmbedError("cannot write dimension reducer " + path + ": " + e.what());
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        throw EmbedError("cannot write dimension reducer " + path + ": " + ec.message());
    }
}

DimensionReducer DimensionReducer::load(const std::string& path) {
    std::unique_ptr<faiss::VectorTransform> vt;
    try {
        vt.reset(faiss::read_VectorTransform(path.c_str()));
    } catch (const faiss::FaissException& e) {
        throw EmbedError("cannot read dimension reducer " + path + ": " + e.what());
    }
    DimensionReducer r;
    if (dynamic_cast<faiss::PCAMatrix*>(vt.get()))
        r.method_ = Method::Pca;
    else if (dynamic_cast<faiss::RemapDimensionsTransform*>(vt.get()))
        r.method_ = Method::Truncate;
    else
        throw EmbedError("dimension reducer " + path + " is neither PCA nor truncation");
    if (!vt->is_trained) throw EmbedError("dimension reducer " + path + " is not trained");
    r.input_dim_ = vt->d_in;
    r.output_dim_ = vt->d_out;
    r.transform_ = std::move(vt);
    return r;
}

}  // namespace vcfagent::embed
