#pragma once
// Loads a PED file onto the samples of a store (`ped load`, `ingest --ped`): the file is read
// and checked whole before the store is touched, then written in one transaction.
#include <string>
#include <vector>

#include "store/graph_store.hpp"

namespace vcfagent::ingest {

struct PedigreeLoadReport {
    size_t members = 0;                        // lines of the PED
    size_t stored = 0;                         // members that are samples of the store
    std::vector<std::string> not_in_store;     // PED samples the store does not hold
    std::vector<std::string> not_in_pedigree;  // store samples the PED does not name
};

// Throws InputError (naming the file, line and reason) for a PED that fails its checks.
PedigreeLoadReport load_pedigree_file(store::GraphStore& store, const std::string& path);

// One line per kind of mismatch ("3 PED samples are not in the store: A, B, C"), for stderr.
std::vector<std::string> pedigree_warnings(const PedigreeLoadReport& report);

}  // namespace vcfagent::ingest
