// One C module over GSL, OpenBLAS, LAPACKE and MPFR (multiprecision floating point, libmpfr-dev).
// GSL's gsl_randist.h pulls in gsl_cblas.h, whose declarations clash with OpenBLAS's cblas.h;
// we therefore include GSL's CBLAS header only. The symbols resolve to OpenBLAS at link time
// because libgslcblas is never linked.
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_combination.h>
#include <gsl/gsl_roots.h>
#include <lapacke.h>
#include <mpfr.h>

// OpenBLAS's thread control (declared in its cblas.h, which we cannot include next to gsl_cblas.h).
// claimcheck parallelises over repetitions itself and runs BLAS single-threaded, so results do not depend
// on OPENBLAS_NUM_THREADS.
void openblas_set_num_threads(int num_threads);
