"""numpy reference: forward pass of a linear-attention transformer without MLPs (LinearAttentionWorkload).

Per layer: H <- H + sum_heads (W_V H) [(W_K H)^T (W_Q H)], weights W_V, W_K, W_Q per head (column-major D x D).
"""
import numpy as np

import common


def run(folder, p):
    width, tokens, repeats = int(p["width"]), int(p["tokens"]), int(p["repeats"])
    prompt = common.column_major(common.load(folder, "prompt"), width, tokens)
    heads = common.load(folder, "heads").astype(int)
    flat = common.load(folder, "weights")
    layers, offset = [], 0
    for count in heads:
        layer = []
        for _ in range(count):
            v, k, q = (common.column_major(flat[offset + i * width * width: offset + (i + 1) * width * width], width, width) for i in range(3))
            layer.append((v, k, q))
            offset += 3 * width * width
        layers.append(layer)

    def forward():
        h = prompt
        for layer in layers:
            out = h
            for v, k, q in layer:
                out = out + (v @ h) @ ((k @ h).T @ (q @ h))
            h = out
        return h

    def work():
        h = None
        for _ in range(repeats):
            h = forward()
        return h.ravel(order="F")

    return work


if __name__ == "__main__":
    common.main(run)
