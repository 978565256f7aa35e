#include "store/vector_distance.hpp"

namespace vcfagent::store {

__attribute__((target_clones("avx2", "default"))) float l2_squared(const float* a, const float* b,
                                                                   size_t dim) {
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (size_t i = 0; i < dim; ++i) {
        const float diff = a[i] - b[i];
        sum += diff * diff;
    }
    return sum;
}

}  // namespace vcfagent::store
