"""numpy reference: C = A @ B for n x n matrices (DgemmWorkload), one BLAS thread."""
import numpy as np

import common


def run(folder, p):
    n = int(p["size"])
    a = common.column_major(common.load(folder, "a"), n, n)
    b = common.column_major(common.load(folder, "b"), n, n)

    def work():
        return (a @ b).ravel(order="F")

    return work


if __name__ == "__main__":
    common.main(run)
