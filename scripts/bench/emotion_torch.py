"""The figure users compare against: a transformers `pipeline` in PyTorch, one tweet at a time, on the same
weights (the emotion stand-in's PyTorch folder). Prints one JSON line; asserts nothing.

usage: python emotion_torch.py MODEL_DIR TEXTS_JSON [THREADS]
"""
import json
import resource
import sys
import time

import torch
from transformers import pipeline


def main(model_dir: str, texts_file: str, threads: int) -> None:
    if threads > 0:
        torch.set_num_threads(threads)
    texts = json.load(open(texts_file))
    t0 = time.perf_counter()
    clf = pipeline("text-classification", model=model_dir, top_k=None, device="cpu")
    load_s = time.perf_counter() - t0
    clf(texts[0])  # warm-up
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        for text in texts:
            clf(text, truncation=True)
        best = min(best, time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": len(texts), "ms_per_tweet": best * 1000 / len(texts), "load_s": load_s,
                      "peak_rss_mb": round(peak_mb), "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
