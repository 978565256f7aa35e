#include "embed/embedder.hpp"

namespace vcfagent::embed {

std::string EmbedderInfo::to_string() const {
    std::string s = kind + "/" + model + "/" + std::to_string(dimension);
    if (!reduction.empty()) s += "/" + reduction;
    return s;
}

void Embedder::load_reducer(const std::string& path) {
    throw EmbedError(info().to_string() + " uses no dimension reducer; cannot load " + path);
}

}  // namespace vcfagent::embed
