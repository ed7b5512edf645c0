#include "CReference.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cblas.h>

void cref_exponential_loss_gd(size_t n, size_t d, const double *z, double sign, double radius, double step_size,
                              size_t iterations, double *w, double *workspace) {
    double *u = workspace;
    const double inverse_count = 1.0 / (double)n;
    const int ni = (int)n, di = (int)d;
    memset(w, 0, d * sizeof(double));
    for (size_t t = 0; t <= iterations; t++) {
        cblas_dgemv(CblasColMajor, CblasNoTrans, ni, di, 1.0, z, ni, w, 1, 0.0, u, 1);
        const double norm = cblas_dnrm2(di, w, 1);
        if (t == iterations) break;  // the Swift engine evaluates the margins of the final iterate too
        const double shift = sign * radius * norm;
        double total = 0.0;
        for (size_t i = 0; i < n; i++) {
            const double e = exp(-(u[i] + shift)) * inverse_count;
            u[i] = e;
            total += e;
        }
        const double beta = norm > 0 ? 1 + step_size * sign * radius * total / norm : 1.0;
        cblas_dgemv(CblasColMajor, CblasTrans, ni, di, step_size, z, ni, u, 1, beta, w, 1);
    }
}
