"""numpy reference: full-batch GD on the exponential loss with l2 worst-case inputs (AdversarialWorkload).

From w = 0: u = Z w, s = -eps ||w||, e_i = exp(-(u_i + s))/n, w <- (1 - eta eps sum(e)/||w||) w + eta Z^T e
(beta = 1 at w = 0). The margins of the final iterate are evaluated too, as in the Swift engine.
"""
import numpy as np

import common


def run(folder, p):
    n, d, epochs = int(p["count"]), int(p["dimension"]), int(p["epochs"])
    radius, step = p["radius"], p["step_size"]
    z = common.column_major(common.load(folder, "z"), n, d)
    inverse = 1.0 / n

    def work():
        w = np.zeros(d)
        for t in range(epochs + 1):
            u = z @ w
            norm = np.linalg.norm(w)
            shift = -radius * norm
            if t == epochs:
                break
            e = np.exp(-(u + shift)) * inverse
            total = e.sum()
            beta = 1 + step * -1.0 * radius * total / norm if norm > 0 else 1.0
            w = beta * w + step * (z.T @ e)
        return w

    return work


if __name__ == "__main__":
    common.main(run)
