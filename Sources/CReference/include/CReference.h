// Plain C references for the claimcheck benchmark workloads.
//
// Each function performs the same algorithm as the Swift code the claims run, with the same GSL random calls
// (gsl_rng_mt19937 seeded by gsl_rng_set, gsl_ran_shuffle) and the same BLAS calls in the same order, so that
// equal seeds give equal results (tested to 1e-12) and the timing ratio compares code generation only.
// Storage is column-major, as in ClaimCore's Matrix.
#ifndef CREFERENCE_H
#define CREFERENCE_H

#include <stddef.h>
#include <stdint.h>

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

/// The authors' K-sweep on P1's skewed instance with common random numbers, as PermutationSGD's
/// `SkewedSignsRR.runLanes`: n int8 signs (n/2 of +1, n/2 of −1); `lanes` lanes, lane ℓ running epochs[ℓ] epochs with
/// step step_sizes[ℓ] from x₀ = 0, x ← (x > 0 ? 1 − αL : 1 − αμ)·x − (αG)·s. For run r: gsl_rng_mt19937 seeded with
/// seeds[r], one gsl_ran_shuffle of the signs per epoch shared by every lane still running (lanes in decreasing epoch
/// order, so the active lanes form a prefix). mean_squares[ℓ] = (1/runs) Σ_r x_ℓ².
void cref_psgd_skewed_ksweep(size_t n, size_t lanes, const size_t *epochs, const double *step_sizes, double steep, double shallow,
                             double kick, size_t runs, const unsigned long *seeds, double *mean_squares);

/// C = A·B for column-major m×k A and k×n B (one cblas_dgemm, α = 1, β = 0).
void cref_dgemm(size_t m, size_t n, size_t k, const double *a, const double *b, double *c);

/// Contrastive (symmetric InfoNCE, τ = 1) loss and gradient of a batch family, as ContrastiveMinibatch's `InfoNCE`:
/// Z = UᵀV (dgemm); for each batch 𝔅 (`batch_count` consecutive runs of `batch_size` indices in `members`)
/// 𝓛(𝔅) = (1/m) Σ_{i∈𝔅} [ln Σ_{j∈𝔅} e^{Zᵢⱼ} + ln Σ_{j∈𝔅} e^{Zⱼᵢ} − 2Zᵢᵢ], M += (1/|𝒮|)(1/m)(Pᵢⱼ + Qᵢⱼ − 2δᵢⱼ);
/// then ∇_U = V·Mᵀ, ∇_V = U·M (dgemm). U, V, ∇_U, ∇_V are d×n column-major. `workspace` holds 2n² + 2n doubles.
/// Returns 𝓛_𝒮 = (1/|𝒮|) Σ_𝔅 𝓛(𝔅).
double cref_infonce_loss_gradient(size_t n, size_t d, const double *u, const double *v, const int *members,
                                  size_t batch_size, size_t batch_count, double *grad_u, double *grad_v, double *workspace);

/// Full-batch gradient descent on the exponential loss of a linear classifier with ℓ2 adversarial (worst-case)
/// inputs, as AdversarialMargins' `ExponentialLossGD`: from w = 0, per step u = Zw (dgemv), s = −ε‖w‖,
/// eᵢ = exp(−(uᵢ + s))/n, w ← (1 − ηεΣe/‖w‖)w + ηZᵀe (dgemv; β = 1 at w = 0). Z is n×d column-major (rows zᵢ = yᵢxᵢ).
/// `sign` is −1 for worst-case inputs, 0 for clean, +1 for the wrong sign. `w` (length d) receives the iterate
/// after `iterations` steps (the margins Zw of that final iterate are computed too, as in the Swift engine);
/// `workspace` holds n doubles.
void cref_exponential_loss_gd(size_t n, size_t d, const double *z, double sign, double radius, double step_size,
                              size_t iterations, double *w, double *workspace);

/// Forward pass of a linear-attention transformer without MLPs, as NewtonAttention's `LinearTransformer<Double>`:
/// per layer, H ← H + Σ_heads (W_V H)·[(W_K H)ᵀ(W_Q H)], every product one dgemm into fresh storage, the sums
/// element by element in head order. `heads_per_layer[l]` heads in layer l; `weights` holds, head after head,
/// W_V, W_K, W_Q (each D×D column-major). `h` (D×N) is the prompt on entry and the output on return.
/// `workspace` holds 5DN + N² doubles.
void cref_linear_attention_forward(size_t width, size_t tokens, size_t layers, const int *heads_per_layer,
                                   const double *weights, double *h, double *workspace);

/// Forward pass of a deep threshold network over n points, as ThresholdMemorization's `ThresholdNetwork.evaluate`:
/// layer 1 by dgemm in blocks of max(1, min(n, 2²²/m)) rows (each block copied out of the n×d column-major points,
/// B = X_block·G into fresh zeroed storage, a finiteness scan, then bᵢⱼ = 1[Bᵢⱼ ≥ 0] packed 64 per word, row-major);
/// then per point the integer units in topological order, u = 1[Σ w·z[src] ≥ T] (CSR: `offsets` has units + 1
/// entries). `out[i]` = value of unit `output` for point i. Returns 0, or −1 if a pre-activation is not finite.
int cref_threshold_forward(size_t n, size_t d, const double *points, size_t m, const double *normals,
                           size_t units, const long *offsets, const int *sources, const int64_t *weights,
                           const int64_t *thresholds, size_t output, unsigned char *out);

/// Full-batch gradient descent on a one-hidden-layer ReLU network, as InfiniteWidth's `WidthNetwork.step`:
/// H = X Uᵀ (dgemm), f = relu(H) v (dgemv), r = (f − y)/n, ∇v = relu(H)ᵀ r (dgemv), D = (r vᵀ) ⊙ 1[H > 0],
/// U ← U − lr_u·Dᵀ X (dgemm), v ← v − lr_v·∇v. X is n×d and U m×d, column-major; u and v are updated in place.
/// `workspace` holds 3nm + 2n + m doubles. Returns the loss (1/2n)Σ(f − y)² before the last step.
double cref_width_gradient_descent(size_t n, size_t d, size_t m, const double *x, const double *y, double *u, double *v,
                                   double lr_u, double lr_v, size_t steps, double *workspace);
/// All 2ⁿ subset sums of x in ascending order, as LotterySubsetSum's `SubsetSum.sortedSums`: the Horowitz–Sahni merge
/// s ← merge(s, s + xᵢ). `out` and `scratch` hold 2ⁿ doubles each.
void cref_sorted_subset_sums(const double *x, size_t n, double *out, double *scratch);

/// sup over z ∈ [a, b] of the distance to the ascending s[0..count), as `SubsetSum.supError`.
double cref_sup_error(const double *s, size_t count, double a, double b);

/// ε_[a,b](x) as `SubsetSum.worstCaseError`: both 2ⁿ buffers allocated per call; NaN if allocation fails.
double cref_worst_case_error(const double *x, size_t n, double a, double b);

/// Per-target errors of every prefix of x, as `SubsetSum.prefixErrors`: the merge above carrying a uint32 subset
/// mask per sum (the shifted copy gains bit k), and after each prefix k = 0…n (k = 0: only ∅) the nearest sum to each
/// target z[t] by bisection (the lower one on a tie). errors[k·m + t] = |sum − z[t]| ((n + 1)·m doubles); at k = n,
/// sizes[t] = popcount of the nearest sum's mask and residuals[t] = z[t] − sum (m each). The four 2ⁿ buffers are
/// allocated per call. Returns 0, or −1 if n > 30 or an allocation fails.
int cref_prefix_errors(const double *x, size_t n, const double *z, size_t m, double *errors, int *sizes, double *residuals);

#ifdef __cplusplus
}
#endif

#endif
