"""numpy reference: forward pass of a deep threshold network (ThresholdWorkload).

Layer 1: B = X G, b = [B >= 0] for all points at once; then the integer units in topological order, each
vectorised over the n points: z_u = [Z[:, sources_u] @ w_u >= T_u] (int64 arithmetic, exact).
"""
import numpy as np

import common


def run(folder, p):
    n, d, m = int(p["count"]), int(p["dimension"]), int(p["hyperplanes"])
    output, repeats = int(p["output"]), int(p["repeats"])
    points = common.column_major(common.load(folder, "points"), n, d)
    normals = common.column_major(common.load(folder, "normals"), d, m)
    offsets = common.load(folder, "offsets").astype(np.int64)
    sources = common.load(folder, "sources").astype(np.int64)
    weights = common.load(folder, "weights").astype(np.int64)
    thresholds = common.load(folder, "thresholds").astype(np.int64)
    units = len(thresholds)
    edges = [(sources[offsets[u]:offsets[u + 1]], weights[offsets[u]:offsets[u + 1]]) for u in range(units)]

    def forward():
        b = points @ normals
        if not np.isfinite(b).all():
            raise ValueError("non-finite first-layer pre-activations")
        z = np.empty((m + units, n), dtype=np.int64)
        z[:m] = (b >= 0).T
        for u, (src, w) in enumerate(edges):
            z[m + u] = (w @ z[src]) >= thresholds[u]
        return z[output].astype(np.float64)

    def work():
        out = None
        for _ in range(repeats):
            out = forward()
        return out

    return work


if __name__ == "__main__":
    common.main(run)
