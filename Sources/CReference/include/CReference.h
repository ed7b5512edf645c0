// Plain C references for the claimcheck benchmark workloads.
//
// Each function performs the same algorithm as the Swift code the claims run, with the same GSL random calls
// (gsl_rng_mt19937 seeded by gsl_rng_set, gsl_ran_shuffle) and the same BLAS calls in the same order, so that
// equal seeds give equal results (tested to 1e-12) and the timing ratio compares code generation only.
// Storage is column-major, as in ClaimCore's Matrix.
#ifndef CREFERENCE_H
#define CREFERENCE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Runs OpenBLAS on one thread (ClaimCore's LibrarySetup does the same for the Swift side).
void cref_blas_single_thread(void);

/// OpenBLAS's build configuration string (version, target core, threading), for the benchmark report.
const char *cref_openblas_config(void);

/// Permutation SGD with random reshuffling on F(x) = (1/n) Σᵢ ½xᵀAᵢx − bᵢᵀx:
/// `epochs` epochs, each a fresh gsl_ran_shuffle of the int32 order followed by n steps
/// x ← x − α(A_{σ(j)}x − b_{σ(j)}). d = 1 is a scalar recurrence; d > 1 copies bᵢ, calls dgemv (β = −1) and daxpy.
/// `hessians` holds n column-major d×d blocks, `linear_terms` n vectors of length d; `x` (length d) is updated in place.
void cref_psgd_reshuffling(const double *hessians, const double *linear_terms, size_t n, size_t d,
                           double step_size, size_t epochs, unsigned long seed, double *x);

/// C = A·B for column-major m×k A and k×n B (one cblas_dgemm, α = 1, β = 0).
void cref_dgemm(size_t m, size_t n, size_t k, const double *a, const double *b, double *c);

#ifdef __cplusplus
}
#endif

#endif
