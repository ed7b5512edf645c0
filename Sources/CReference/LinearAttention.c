#include "CReference.h"

#include <string.h>
#include <gsl/gsl_cblas.h>

/// C (m×n) = op(A)·op(B), one dgemm (β = 0).
static void product(int transpose_a, int transpose_b, size_t m, size_t n, size_t k, const double *a, size_t lda,
                    const double *b, size_t ldb, double *c) {
    cblas_dgemm(CblasColMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans,
                (int)m, (int)n, (int)k, 1.0, a, (int)lda, b, (int)ldb, 0.0, c, (int)m);
}

void cref_linear_attention_forward(size_t width, size_t tokens, size_t layers, const int *heads_per_layer,
                                   const double *weights, double *h, double *workspace) {
    const size_t dn = width * tokens, dd = width * width;
    double *keys = workspace, *queries = keys + dn, *values = queries + dn, *head = values + dn, *scores = head + dn;
    double *out = scores + tokens * tokens;
    const double *w = weights;
    for (size_t l = 0; l < layers; l++) {
        memcpy(out, h, dn * sizeof(double));
        for (int k = 0; k < heads_per_layer[l]; k++, w += 3 * dd) {
            const double *value_weight = w, *key_weight = w + dd, *query_weight = w + 2 * dd;
            product(0, 0, width, tokens, width, key_weight, width, h, width, keys);
            product(0, 0, width, tokens, width, query_weight, width, h, width, queries);
            product(1, 0, tokens, tokens, width, keys, width, queries, width, scores);
            product(0, 0, width, tokens, width, value_weight, width, h, width, values);
            product(0, 0, width, tokens, tokens, values, width, scores, tokens, head);
            for (size_t e = 0; e < dn; e++) out[e] = out[e] + head[e];
        }
        memcpy(h, out, dn * sizeof(double));
    }
}
