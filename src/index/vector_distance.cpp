#include "index/vector_distance.hpp"

namespace vcfagent::index {

// An AVX2 clone chosen at load time by an ifunc resolver; ThreadSanitizer instruments the
// resolver, which then runs before its runtime is up and crashes, so TSan builds keep one.
#if defined(__SANITIZE_THREAD__)
#define VCF_AGENT_DISTANCE_CLONES
#else
#define VCF_AGENT_DISTANCE_CLONES __attribute__((target_clones("avx2", "default")))
#endif

VCF_AGENT_DISTANCE_CLONES float l2_squared(const float* a, const float* b,
                                                                   size_t dim) {
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (size_t i = 0; i < dim; ++i) {
        const float diff = a[i] - b[i];
        sum += diff * diff;
    }
    return sum;
}

}  // namespace vcfagent::index
