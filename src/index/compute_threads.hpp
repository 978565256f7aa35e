#pragma once
// Caps the threads FAISS may use on the calling thread (its OpenMP teams and the BLAS calls
// inside them) for the lifetime of the object, then restores the previous limits.
// Why: with one query per search call an OpenMP team only adds start-up cost, and while the
// graph store loads on the same cores, idle OpenMP/BLAS workers spin-wait and take the CPU
// the graph needs (measured: over a third of an ingest's cycles spent spinning on 2 cores).
namespace vcfagent::index {

class ComputeThreadLimit {
  public:
    // n <= 0 leaves the limits as they are. The OpenMP limit is per calling thread; the BLAS
    // limit is process-wide, so only a single writer thread may ask for it (`blas_too`).
    ComputeThreadLimit(int n, bool blas_too);
    ~ComputeThreadLimit();
    ComputeThreadLimit(const ComputeThreadLimit&) = delete;
    ComputeThreadLimit& operator=(const ComputeThreadLimit&) = delete;

  private:
    int saved_omp_ = 0;
    int saved_blas_ = 0;
};

}  // namespace vcfagent::index
