"""numpy reference: random-reshuffling SGD on a quadratic sum (PermutationSGDWorkload).

K epochs; each epoch shuffles the int32 order with GSL's gsl_ran_shuffle on an mt19937 stream seeded like the
Swift RandomStream (so the orders are identical), then takes n steps x <- x - alpha (A_i x - b_i).
"""
import ctypes

import numpy as np

import common


def run(folder, p):
    d, n, epochs = int(p["dimension"]), int(p["components"]), int(p["epochs"])
    alpha, seed = p["step_size"], int(p["seed"])
    hessians = common.load(folder, "hessians").reshape((n, d, d)).transpose(0, 2, 1)  # column-major blocks
    linear = common.load(folder, "linear_terms").reshape((n, d))
    start = common.load(folder, "start")
    gsl = common.gsl()
    mt19937 = ctypes.c_void_p.in_dll(gsl, "gsl_rng_mt19937").value

    def work():
        rng = gsl.gsl_rng_alloc(mt19937)
        gsl.gsl_rng_set(rng, seed)
        order = np.arange(n, dtype=np.int32)
        address = order.ctypes.data
        if d == 1:
            a, b = hessians.reshape(n), linear.reshape(n)
            x = start[0]
            for _ in range(epochs):
                gsl.gsl_ran_shuffle(rng, address, n, 4)
                for i in order.tolist():
                    x -= alpha * (a[i] * x - b[i])
            result = np.array([x])
        else:
            x = start.copy()
            for _ in range(epochs):
                gsl.gsl_ran_shuffle(rng, address, n, 4)
                for i in order.tolist():
                    x -= alpha * (hessians[i] @ x - linear[i])
            result = x
        gsl.gsl_rng_free(rng)
        return result

    return work


if __name__ == "__main__":
    common.main(run)
