#include "CReference.h"

#include <gsl/gsl_cblas.h>

void cref_dgemm(size_t m, size_t n, size_t k, const double *a, const double *b, double *c) {
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0, a, (int)(m > 0 ? m : 1),
                b, (int)(k > 0 ? k : 1), 0.0, c, (int)(m > 0 ? m : 1));
}
