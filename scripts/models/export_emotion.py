"""Exports the official emotion weights (already downloaded and verified by fetch.ts) to what
transformers.js loads: config.json, tokenizer files, onnx/model.onnx (fp32) and onnx/model_quantized.onnx
(dynamic int8). The fp32 graph is fused offline (attention, LayerNorm, GELU: ONNX Runtime's transformer
optimizer) and the fused one is kept only if its logits stay within 1e-4 of PyTorch's and it runs 5 % faster
here; the int8 model is quantised from the plain graph. Then checks the ONNX logits against PyTorch's on a few
sentences: the export is only accepted if they agree. EMOTION_FUSE=0 skips the fusion.

usage: python export_emotion.py SRC_DIR OUT_DIR
"""
import json
import os
import shutil
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort
import torch
from optimum.onnxruntime import ORTModelForSequenceClassification, ORTQuantizer
from optimum.onnxruntime.configuration import AutoQuantizationConfig
from transformers import AutoModelForSequenceClassification, AutoTokenizer

CHECK = ["I love this!", "This is outrageous and I am furious.", "The meeting is on Tuesday.", "I'm scared of what comes next."]


def write_config(src: str, dst: str) -> None:
    # save_pretrained records the local folder it read from: drop it, so the output is the same wherever it ran.
    with open(src) as f:
        config = json.load(f)
    config.pop("_name_or_path", None)
    with open(dst, "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")


def pytorch_logits(src: str, tokenizer, texts):
    reference = AutoModelForSequenceClassification.from_pretrained(src).eval()
    enc = tokenizer(texts, padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        expected = reference(**enc).logits.numpy()
    return expected, {k: v.numpy() for k, v in enc.items() if k in ("input_ids", "attention_mask")}


def best_ms(session: ort.InferenceSession, feeds, rounds: int = 5) -> float:
    session.run(["logits"], feeds)  # warm-up
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        session.run(["logits"], feeds)
        times.append((time.perf_counter() - t0) * 1000)
    return min(times)


def fused_if_better(model_dir: str, src: str, tokenizer) -> str:
    """The fp32 graph to ship: model_dir/model.onnx fused, when that is as exact (1e-4) and 5 % faster here."""
    from onnxruntime.transformers.optimizer import optimize_model

    plain, fused = os.path.join(model_dir, "model.onnx"), os.path.join(model_dir, "model_fused.onnx")
    # opt_level 0: the optimizer's own fusions only; ONNX Runtime applies its machine-specific ones at load time.
    optimized = optimize_model(plain, model_type="bert", num_heads=0, hidden_size=0, opt_level=0, use_gpu=False)
    optimized.save_model_to_file(fused)
    ops = {k: v for k, v in optimized.get_fused_operator_statistics().items() if v}
    expected, feeds = pytorch_logits(src, tokenizer, CHECK)
    diff = float(np.abs(ort.InferenceSession(fused).run(["logits"], feeds)[0] - expected).max())
    _, timing_feeds = pytorch_logits(src, tokenizer, CHECK * 8)  # 32 texts, as a batch of the pipeline
    sessions = {"plain": ort.InferenceSession(plain), "fused": ort.InferenceSession(fused)}
    ms = {"plain": float("inf"), "fused": float("inf")}
    for _ in range(3):  # interleaved, best of each: a busy machine slows both alike
        for name, session in sessions.items():
            ms[name] = min(ms[name], best_ms(session, timing_feeds, rounds=3))
    keep = diff <= 1e-4 and ms["fused"] < 0.95 * ms["plain"]
    print(
        f"fusion {ops}: max |logit diff| vs PyTorch {diff:.2e}, 32 texts {ms['plain']:.0f} ms plain, "
        f"{ms['fused']:.0f} ms fused: {'kept' if keep else 'not kept'}"
    )
    return fused if keep else plain


def main(src: str, out: str) -> None:
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ORTModelForSequenceClassification.from_pretrained(src, export=True).save_pretrained(tmp)
        tokenizer = AutoTokenizer.from_pretrained(src)  # the fast tokenizer writes tokenizer.json
        tokenizer.save_pretrained(out)
        fp32 = os.path.join(tmp, "model.onnx")
        if os.environ.get("EMOTION_FUSE", "1") != "0":
            fp32 = fused_if_better(tmp, src, tokenizer)
        write_config(os.path.join(tmp, "config.json"), os.path.join(out, "config.json"))
        shutil.copy(fp32, os.path.join(out, "onnx", "model.onnx"))
        # Quantised from the plain graph: the quantiser cannot type the fused graph's contrib operators.
        quantizer = ORTQuantizer.from_pretrained(tmp, file_name="model.onnx")
        qdir = os.path.join(tmp, "q")
        quantizer.quantize(save_dir=qdir, quantization_config=AutoQuantizationConfig.avx2(is_static=False, per_channel=False))
        shutil.copy(os.path.join(qdir, "model_quantized.onnx"), os.path.join(out, "onnx", "model_quantized.onnx"))

    expected, feeds = pytorch_logits(src, tokenizer, CHECK)
    for name, tolerance in (("model.onnx", 1e-3), ("model_quantized.onnx", None)):
        got = ort.InferenceSession(os.path.join(out, "onnx", name)).run(["logits"], feeds)[0]
        diff = float(np.abs(got - expected).max())
        agree = int((got.argmax(1) == expected.argmax(1)).sum())
        print(f"{name}: max |logit diff| vs PyTorch {diff:.2e}, top label agrees on {agree}/{len(CHECK)}")
        if tolerance is not None and diff > tolerance:
            sys.exit(f"export rejected: {name} differs from PyTorch by {diff}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
