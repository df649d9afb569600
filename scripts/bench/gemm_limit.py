"""This CPU's matmul rate through ONNX Runtime (the same MLAS kernels onnxruntime-node uses): fp32 GEMM at
the emotion model's feed-forward shape. The ceiling a transformer's inference can reach here. Prints JSON.

usage: python gemm_limit.py [THREADS] [ROWS]
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper


def matmul_model(k: int, n: int) -> bytes:
    weight = numpy_helper.from_array(np.random.default_rng(0).standard_normal((k, n), dtype=np.float32) * 0.02, "w")
    node = helper.make_node("MatMul", ["x", "w"], ["y"])
    graph = helper.make_graph([node], "gemm", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["m", k])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["m", n])], [weight])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString()


def main(threads: int, rows: int) -> None:
    k, n = 768, 3072  # DistilRoBERTa's hidden -> intermediate projection
    opts = ort.SessionOptions()
    if threads > 0:
        opts.intra_op_num_threads = threads
    session = ort.InferenceSession(matmul_model(k, n), opts, providers=["CPUExecutionProvider"])
    x = np.random.default_rng(1).standard_normal((rows, k), dtype=np.float32)
    for _ in range(3):
        session.run(None, {"x": x})
    best = float("inf")
    for _ in range(20):
        t0 = time.perf_counter()
        session.run(None, {"x": x})
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"gflops": 2 * rows * k * n / best / 1e9, "rows": rows, "k": k, "n": n, "threads": threads}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, int(sys.argv[2]) if len(sys.argv) > 2 else 512)
