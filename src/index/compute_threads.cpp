#include "index/compute_threads.hpp"

#include <omp.h>

// OpenBLAS's thread controls, when the BLAS in use is OpenBLAS (weak: absent otherwise).
extern "C" {
void openblas_set_num_threads(int) __attribute__((weak));
int openblas_get_num_threads(void) __attribute__((weak));
}

namespace vcfagent::index {

ComputeThreadLimit::ComputeThreadLimit(int n, bool blas_too) {
    if (n <= 0) return;
    saved_omp_ = omp_get_max_threads();
    omp_set_num_threads(n);
    if (blas_too && openblas_set_num_threads && openblas_get_num_threads) {
        saved_blas_ = openblas_get_num_threads();
        openblas_set_num_threads(n);
    }
}

ComputeThreadLimit::~ComputeThreadLimit() {
    if (saved_omp_ > 0) omp_set_num_threads(saved_omp_);
    if (saved_blas_ > 0) openblas_set_num_threads(saved_blas_);
}

}  // namespace vcfagent::index
