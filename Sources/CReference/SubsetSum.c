#include "CReference.h"

#include <math.h>
#include <stdlib.h>

/// Writes merge(s[0..m), s[0..m) + v) (both ascending) into out (2m slots).
static void merge_shifted(const double *s, size_t m, double v, double *out) {
    size_t i = 0, j = 0, k = 0;
    while (i < m && j < m) {
        const double a = s[i], b = s[j] + v;
        if (a <= b) { out[k++] = a; i++; } else { out[k++] = b; j++; }
    }
    while (i < m) out[k++] = s[i++];
    while (j < m) out[k++] = s[j++] + v;
}

void cref_sorted_subset_sums(const double *x, size_t n, double *out, double *scratch) {
    double *s = out, *t = scratch;
    size_t length = 1;
    s[0] = 0.0;
    for (size_t i = 0; i < n; i++) {
        merge_shifted(s, length, x[i], t);
        double *swap = s; s = t; t = swap;
        length *= 2;
    }
    if (s != out) for (size_t k = 0; k < length; k++) out[k] = s[k];
}

/// Distance from z to the nearest element of the ascending s[0..count).
static double distance(const double *s, size_t count, double z) {
    size_t lo = 0, hi = count;
    while (lo < hi) { const size_t mid = (lo + hi) / 2; if (s[mid] < z) lo = mid + 1; else hi = mid; }
    double best = INFINITY;
    if (lo < count) best = s[lo] - z;
    if (lo > 0 && z - s[lo - 1] < best) best = z - s[lo - 1];
    return best;
}

double cref_sup_error(const double *s, size_t count, double a, double b) {
    double worst = fmax(distance(s, count, a), distance(s, count, b));
    for (size_t k = 0; k + 1 < count; k++) {
        const double mid = (s[k] + s[k + 1]) / 2;
        if (mid >= a && mid <= b && (s[k + 1] - s[k]) / 2 > worst) worst = (s[k + 1] - s[k]) / 2;
    }
    return worst;
}

double cref_worst_case_error(const double *x, size_t n, double a, double b) {
    const size_t total = (size_t)1 << n;
    double *out = malloc(total * sizeof(double)), *scratch = malloc(total * sizeof(double));
    if (!out || !scratch) { free(out); free(scratch); return NAN; }
    cref_sorted_subset_sums(x, n, out, scratch);
    const double worst = cref_sup_error(out, total, a, b);
    free(out);
    free(scratch);
    return worst;
}

/// merge_shifted carrying each sum's subset mask: the shifted copy gains `bit`.
static void merge_shifted_masks(const double *s, const uint32_t *ms, size_t m, double v, uint32_t bit, double *out,
                                uint32_t *mout) {
    size_t i = 0, j = 0, k = 0;
    while (i < m && j < m) {
        const double a = s[i], b = s[j] + v;
        if (a <= b) { out[k] = a; mout[k] = ms[i]; i++; } else { out[k] = b; mout[k] = ms[j] | bit; j++; }
        k++;
    }
    while (i < m) { out[k] = s[i]; mout[k] = ms[i]; i++; k++; }
    while (j < m) { out[k] = s[j] + v; mout[k] = ms[j] | bit; j++; k++; }
}

/// Index of the element of the ascending, non-empty s[0..count) nearest to z (the lower one on a tie).
static size_t nearest_index(const double *s, size_t count, double z) {
    size_t lo = 0, hi = count;
    while (lo < hi) { const size_t mid = (lo + hi) / 2; if (s[mid] < z) lo = mid + 1; else hi = mid; }
    if (lo == count) return lo - 1;
    if (lo == 0) return 0;
    return z - s[lo - 1] <= s[lo] - z ? lo - 1 : lo;
}

int cref_prefix_errors(const double *x, size_t n, const double *z, size_t m, double *errors, int *sizes, double *residuals) {
    if (n > 30) return -1;
    const size_t total = (size_t)1 << n;
    double *s = malloc(total * sizeof(double)), *t = malloc(total * sizeof(double));
    uint32_t *ms = malloc(total * sizeof(uint32_t)), *mt = malloc(total * sizeof(uint32_t));
    size_t *nearest = malloc((m > 0 ? m : 1) * sizeof(size_t));
    if (!s || !t || !ms || !mt || !nearest) { free(s); free(t); free(ms); free(mt); free(nearest); return -1; }
    s[0] = 0.0;
    ms[0] = 0;
    size_t length = 1;
    for (size_t k = 0; k <= n; k++) {
        if (k > 0) {
            merge_shifted_masks(s, ms, length, x[k - 1], (uint32_t)1 << (k - 1), t, mt);
            double *swap = s; s = t; t = swap;
            uint32_t *mswap = ms; ms = mt; mt = mswap;
            length *= 2;
        }
        double *row = errors + k * m;
        for (size_t i = 0; i < m; i++) {
            nearest[i] = nearest_index(s, length, z[i]);
            row[i] = fabs(s[nearest[i]] - z[i]);
        }
    }
    for (size_t i = 0; i < m; i++) {
        sizes[i] = __builtin_popcount(ms[nearest[i]]);
        residuals[i] = z[i] - s[nearest[i]];
    }
    free(s); free(t); free(ms); free(mt); free(nearest);
    return 0;
}
