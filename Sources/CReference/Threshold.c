#include "CReference.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cblas.h>

int cref_threshold_forward(size_t n, size_t d, const double *points, size_t m, const double *normals,
                           size_t units, const long *offsets, const int *sources, const int64_t *weights,
                           const int64_t *thresholds, size_t output, unsigned char *out) {
    const size_t words_per_row = m > 64 ? (m + 63) / 64 : 1;
    uint64_t *bits = calloc(n * words_per_row, sizeof(uint64_t));
    size_t block = (size_t)1 << 22;
    block /= m > 1 ? m : 1;
    if (block > n) block = n;
    if (block < 1) block = 1;
    double *slice = malloc(block * d * sizeof(double));
    double *product = malloc(block * m * sizeof(double));
    int64_t *z = malloc((m + units) * sizeof(int64_t));
    if (bits == NULL || slice == NULL || product == NULL || z == NULL) abort();
    int status = 0;
    for (size_t start = 0; start < n; start += block) {
        const size_t rows = n - start < block ? n - start : block;
        for (size_t j = 0; j < d; j++)
            for (size_t i = 0; i < rows; i++) slice[i + j * rows] = points[start + i + j * n];
        memset(product, 0, rows * m * sizeof(double));
        cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)rows, (int)m, (int)d, 1.0, slice, (int)rows,
                    normals, (int)d, 0.0, product, (int)rows);
        for (size_t e = 0; e < rows * m; e++)
            if (!isfinite(product[e])) { status = -1; goto done; }
        for (size_t j = 0; j < m; j++)
            for (size_t i = 0; i < rows; i++)
                if (product[i + j * rows] >= 0) bits[(start + i) * words_per_row + (j >> 6)] |= (uint64_t)1 << (j & 63);
    }
    for (size_t i = 0; i < n; i++) {
        const uint64_t *row = bits + i * words_per_row;
        for (size_t j = 0; j < m; j++) z[j] = (row[j >> 6] >> (j & 63)) & 1;
        for (size_t u = 0; u < units; u++) {
            int64_t s = 0;
            for (long e = offsets[u]; e < offsets[u + 1]; e++) s += weights[e] * z[sources[e]];
            z[m + u] = s >= thresholds[u] ? 1 : 0;
        }
        out[i] = (unsigned char)z[output];
    }
done:
    free(z);
    free(product);
    free(slice);
    free(bits);
    return status;
}
