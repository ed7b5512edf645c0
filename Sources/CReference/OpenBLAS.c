#include "CReference.h"

// Declared in OpenBLAS's cblas.h, which clashes with GSL's gsl_cblas.h (see Sources/CLinearAlgebra/shim.h).
void openblas_set_num_threads(int num_threads);
char *openblas_get_config(void);

void cref_blas_single_thread(void) { openblas_set_num_threads(1); }

const char *cref_openblas_config(void) { return openblas_get_config(); }
