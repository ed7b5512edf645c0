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

typedef struct { size_t epochs; size_t lane; } cref_lane_order;

static int cref_lane_compare(const void *a, const void *b) {
    const cref_lane_order *x = a, *y = b;
    if (x->epochs != y->epochs) return x->epochs > y->epochs ? -1 : 1;
    return x->lane < y->lane ? -1 : (x->lane > y->lane);
}

void cref_psgd_skewed_ksweep(size_t n, size_t lanes, const size_t *epochs, const double *step_sizes, double steep, double shallow,
                             double kick, size_t runs, const unsigned long *seeds, double *mean_squares) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    cref_lane_order *order = malloc(lanes * sizeof(cref_lane_order));
    double *p = malloc(lanes * sizeof(double)), *q = malloc(lanes * sizeof(double)), *a = malloc(lanes * sizeof(double));
    double *x = malloc(lanes * sizeof(double)), *sum = calloc(lanes, sizeof(double));
    size_t *lane_epochs = malloc(lanes * sizeof(size_t));
    int8_t *signs = malloc(n);
    if (rng == NULL || order == NULL || p == NULL || q == NULL || a == NULL || x == NULL || sum == NULL || lane_epochs == NULL || signs == NULL) abort();
    for (size_t l = 0; l < lanes; l++) { order[l].epochs = epochs[l]; order[l].lane = l; }
    qsort(order, lanes, sizeof(cref_lane_order), cref_lane_compare);
    for (size_t l = 0; l < lanes; l++) {
        const double alpha = step_sizes[order[l].lane];
        p[l] = 1 - alpha * steep;
        q[l] = 1 - alpha * shallow;
        a[l] = alpha * kick;
        lane_epochs[l] = order[l].epochs;
    }
    for (size_t r = 0; r < runs; r++) {
        gsl_rng_set(rng, seeds[r]);
        for (size_t j = 0; j < n; j++) signs[j] = j < n / 2 ? 1 : -1;
        for (size_t l = 0; l < lanes; l++) x[l] = 0;
        size_t active = lanes;
        for (size_t epoch = 0; epoch < lane_epochs[0]; epoch++) {
            while (active > 0 && lane_epochs[active - 1] <= epoch) active--;
            if (n > 1) gsl_ran_shuffle(rng, signs, n, 1);
            for (size_t j = 0; j < n; j++) {
                const double s = (double)signs[j];
                for (size_t l = 0; l < active; l++) x[l] = (x[l] > 0 ? p[l] : q[l]) * x[l] - a[l] * s;
            }
        }
        for (size_t l = 0; l < lanes; l++) sum[l] += x[l] * x[l];
    }
    for (size_t l = 0; l < lanes; l++) mean_squares[order[l].lane] = sum[l] / (double)runs;
    free(signs); free(lane_epochs); free(sum); free(x); free(a); free(q); free(p); free(order);
    gsl_rng_free(rng);
}
