#include "CReference.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>


void cref_psgd_reshuffling(const double *hessians, const double *linear_terms, size_t n, size_t d,
                           double step_size, size_t epochs, unsigned long seed, double *x) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (rng == NULL) abort();
    gsl_rng_set(rng, seed);
    int32_t *order = malloc(n * sizeof(int32_t));
    double *g = malloc(d * sizeof(double));
    if (order == NULL || g == NULL) abort();
    for (size_t j = 0; j < n; j++) order[j] = (int32_t)j;
    const size_t dd = d * d;
    for (size_t epoch = 0; epoch < epochs; epoch++) {
        if (n > 1) gsl_ran_shuffle(rng, order, n, sizeof(int32_t));
        if (d == 1) {
            double xi = x[0];
            for (size_t j = 0; j < n; j++) {
                const size_t i = (size_t)order[j];
                xi -= step_size * (hessians[i] * xi - linear_terms[i]);
            }
            x[0] = xi;
        } else {
            for (size_t j = 0; j < n; j++) {
                const size_t i = (size_t)order[j];
                memcpy(g, linear_terms + i * d, d * sizeof(double));
                cblas_dgemv(CblasColMajor, CblasNoTrans, (int)d, (int)d, 1.0, hessians + i * dd, (int)d, x, 1, -1.0, g, 1);
                cblas_daxpy((int)d, -step_size, g, 1, x, 1);
            }
        }
    }
    free(g);
    free(order);
    gsl_rng_free(rng);
}
