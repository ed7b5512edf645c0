#include "CReference.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cblas.h>

/// 𝓛(𝔅) of one batch from Z; if weight ≠ 0, adds weight·∂𝓛(𝔅)/∂Z into dz.
static double batch_loss(size_t n, const double *z, double *dz, double *row_sums, double *column_sums,
                         const int *members, size_t m, double weight) {
    double total = 0.0;
    for (size_t a = 0; a < m; a++) {
        const size_t i = (size_t)members[a];
        double row = 0.0, column = 0.0;
        for (size_t b = 0; b < m; b++) {
            const size_t j = (size_t)members[b];
            row += exp(z[i + j * n]);
            column += exp(z[j + i * n]);
        }
        row_sums[a] = row;
        column_sums[a] = column;
        total += log(row) + log(column) - 2 * z[i + i * n];
    }
    if (weight != 0) {
        const double scale = weight / (double)m;
        for (size_t b = 0; b < m; b++) {
            const size_t j = (size_t)members[b];
            for (size_t a = 0; a < m; a++) {
                const size_t i = (size_t)members[a];
                const double e = exp(z[i + j * n]);
                dz[i + j * n] += scale * (e / row_sums[a] + e / column_sums[b] - (i == j ? 2.0 : 0.0));
            }
        }
    }
    return total / (double)m;
}

double cref_infonce_loss_gradient(size_t n, size_t d, const double *u, const double *v, const int *members,
                                  size_t batch_size, size_t batch_count, double *grad_u, double *grad_v, double *workspace) {
    double *z = workspace, *dz = workspace + n * n, *row_sums = dz + n * n, *column_sums = row_sums + n;
    const int ni = (int)n, di = (int)d;
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, ni, ni, di, 1.0, u, di, v, di, 0.0, z, ni);
    memset(dz, 0, n * n * sizeof(double));
    const double weight = 1.0 / (double)batch_count;
    double total = 0.0;
    for (size_t b = 0; b < batch_count; b++)
        total += batch_loss(n, z, dz, row_sums, column_sums, members + b * batch_size, batch_size, weight);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, di, ni, ni, 1.0, v, di, dz, ni, 0.0, grad_u, di);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, di, ni, ni, 1.0, u, di, dz, ni, 0.0, grad_v, di);
    return total / (double)batch_count;
}
