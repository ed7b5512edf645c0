"""Shared plumbing for the numpy references run by claimcheck-bench.

Protocol: `python3 <script>.py FOLDER RUNS`. FOLDER holds parameters.json and one little-endian float64 file per
input (<name>.bin, column-major for matrices). The script runs the workload once untimed, then RUNS timed runs
(inputs already loaded), writes FOLDER/result.bin (float64) and prints {"seconds": [...], "numpy": version}.
"""
import ctypes
import ctypes.util
import json
import os
import sys
import time

import numpy as np


def load(folder, name):
    return np.fromfile(os.path.join(folder, name + ".bin"), dtype="<f8")


def column_major(flat, rows, columns):
    """A rows×columns view of column-major storage."""
    return flat.reshape((columns, rows)).T


def gsl():
    """libgsl through ctypes (its CBLAS symbols come from libgslcblas, loaded first; numpy's own BLAS is separate)."""
    ctypes.CDLL(ctypes.util.find_library("gslcblas") or "libgslcblas.so.0", mode=ctypes.RTLD_GLOBAL)
    lib = ctypes.CDLL(ctypes.util.find_library("gsl") or "libgsl.so")
    lib.gsl_rng_alloc.restype = ctypes.c_void_p
    lib.gsl_rng_alloc.argtypes = [ctypes.c_void_p]
    lib.gsl_rng_set.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    lib.gsl_rng_free.argtypes = [ctypes.c_void_p]
    lib.gsl_ran_shuffle.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t]
    return lib


def main(run):
    """`run(folder, parameters)` returns a zero-argument callable (the timed work) that returns the result array."""
    folder, runs = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(folder, "parameters.json")) as handle:
        parameters = json.load(handle)
    work = run(folder, parameters)
    result = work()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    np.ascontiguousarray(result, dtype="<f8").tofile(os.path.join(folder, "result.bin"))
    print(json.dumps({"seconds": seconds, "numpy": np.__version__}))
