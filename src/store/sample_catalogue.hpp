#pragma once
// The store's samples, where their calls are (each source's call-vector column of each), and
// its sources: what a genotype question needs before its one statement. Small (one entry per
// sample and source) and changed only by writes, so GraphStore keeps it per write generation
// (GraphStore::sample_catalogue) instead of asking the graph at every question.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vcfagent::store {

class GraphStore;

struct SampleCatalogue {
    // Every Sample row by id, with its (Source.num, SampleOf.idx) pairs (none for a sample
    // loaded before call vectors were stored).
    std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> columns;
    std::vector<int64_t> sources;  // every Source.num, ascending
    bool has(const std::string& sample) const { return columns.count(sample) > 0; }
};

// Read from the graph (three statements).
SampleCatalogue read_sample_catalogue(GraphStore& graph);

}  // namespace vcfagent::store
