#pragma once
// Squared L2 distance for the store's own exact scans (filtered searches, IVF-PQ re-ranking).
// Debian's FAISS 1.7.3 is built for the x86-64 baseline, where faiss::fvec_L2sqr falls back
// to its scalar reference loop; this one lets the compiler vectorise the reduction (and pick
// AVX2 at run time where the CPU has it).
#include <cstddef>

namespace vcfagent::index {

float l2_squared(const float* a, const float* b, size_t dim);

}  // namespace vcfagent::index
