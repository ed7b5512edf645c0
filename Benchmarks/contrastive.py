"""numpy reference: symmetric InfoNCE loss and gradient over a batch family (ContrastiveWorkload).

Z = U^T V; per batch B (consecutive runs of batch_size indices in `members`): row/column log-sum-exp on Z[B, B],
loss (1/m) sum_i [lse_row_i + lse_col_i - 2 Z_ii], dL/dZ[B, B] += (1/|S|)(1/m)(P + Q - 2I); then grad_U = V M^T,
grad_V = U M. Vectorised per batch, as one would write it in numpy.
"""
import numpy as np

import common


def run(folder, p):
    n, d, m, repeats = int(p["points"]), int(p["dimension"]), int(p["batch_size"]), int(p["repeats"])
    u = common.column_major(common.load(folder, "u"), d, n)
    v = common.column_major(common.load(folder, "v"), d, n)
    members = common.load(folder, "members").astype(np.int64).reshape((-1, m))

    def once():
        z = u.T @ v
        dz = np.zeros((n, n))
        weight = 1.0 / len(members)
        total = 0.0
        for batch in members:
            block = np.exp(z[np.ix_(batch, batch)])
            rows, columns = block.sum(axis=1), block.sum(axis=0)
            total += (np.log(rows) + np.log(columns) - 2 * z[batch, batch]).sum() / m
            grad = block / rows[:, None] + block / columns[None, :] - 2 * np.eye(m)
            dz[np.ix_(batch, batch)] += weight / m * grad
        grad_u, grad_v = v @ dz.T, u @ dz
        return np.concatenate(([total / len(members)], grad_u.ravel(order="F"), grad_v.ravel(order="F")))

    def work():
        result = None
        for _ in range(repeats):
            result = once()
        return result

    return work


if __name__ == "__main__":
    common.main(run)
