#include "CReference.h"

#include <gsl/gsl_cblas.h>

/// Full-batch GD on one hidden ReLU layer, f(x) = v·relu(U x), loss (1/2n)Σ(f − y)², column-major X (n×d),
/// U (m×d), updated in place with per-layer rates: H = X Uᵀ (dgemm), A = relu(H), f = A v (dgemv),
/// r = (f − y)/n, ∇v = Aᵀ r (dgemv), D = (r vᵀ) ⊙ 1[H > 0] (product formed unconditionally, then masked: the same
/// select-not-branch loop as the Swift side), U ← U − lr_u·Dᵀ X (dgemm), v ← v − lr_v·∇v (daxpy).
/// Workspace: 3·n·m + 2·n + m doubles. Returns the loss before the last step.
double cref_width_gradient_descent(size_t n, size_t d, size_t m, const double *x, const double *y, double *u, double *v,
                                   double lr_u, double lr_v, size_t steps, double *workspace) {
    double *h = workspace, *a = h + n * m, *delta = a + n * m, *f = delta + n * m, *r = f + n, *gv = r + n;
    const int ni = (int)n, di = (int)d, mi = (int)m;
    double loss = 0.0;
    for (size_t t = 0; t < steps; t++) {
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, ni, mi, di, 1.0, x, ni, u, mi, 0.0, h, ni);
        for (size_t k = 0; k < n * m; k++) a[k] = h[k] > 0 ? h[k] : 0.0;
        cblas_dgemv(CblasColMajor, CblasNoTrans, ni, mi, 1.0, a, ni, v, 1, 0.0, f, 1);
        loss = 0.0;
        for (size_t i = 0; i < n; i++) {
            const double e = f[i] - y[i];
            loss += e * e;
            r[i] = e / (double)n;
        }
        loss /= 2.0 * (double)n;
        cblas_dgemv(CblasColMajor, CblasTrans, ni, mi, 1.0, a, ni, r, 1, 0.0, gv, 1);
        for (size_t j = 0; j < m; j++) {
            const double vj = v[j], *hj = h + j * n;
            double *dj = delta + j * n;
            for (size_t i = 0; i < n; i++) {
                const double product = r[i] * vj;
                dj[i] = hj[i] > 0 ? product : 0.0;
            }
        }
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, mi, di, ni, -lr_u, delta, ni, x, ni, 1.0, u, mi);
        cblas_daxpy(mi, -lr_v, gv, 1, v, 1);
    }
    return loss;
}
