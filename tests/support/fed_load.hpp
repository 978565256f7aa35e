#pragma once
// Loads a file into a store in small batches, handing every staged chunk to a LoadFeed when one
// is given (the variant index's rows made during the load), as `ingest` does.
#include <string>

#include "index/load_feed.hpp"
#include "store/graph_store.hpp"

namespace vcfagent::test {

void load_with_feed(store::GraphStore& graph, const std::string& file,
                    index::LoadFeed* feed = nullptr);

}  // namespace vcfagent::test
