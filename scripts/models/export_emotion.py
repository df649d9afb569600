"""Exports the official emotion weights (already downloaded and verified by fetch.ts) to what
transformers.js loads: config.json, tokenizer files, onnx/model.onnx (fp32) and onnx/model_quantized.onnx
(dynamic int8). Then checks the ONNX logits against PyTorch's on a few sentences: the export is only
accepted if they agree.

usage: python export_emotion.py SRC_DIR OUT_DIR
"""
import json
import os
import shutil
import sys
import tempfile

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


def main(src: str, out: str) -> None:
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ORTModelForSequenceClassification.from_pretrained(src, export=True).save_pretrained(tmp)
        tokenizer = AutoTokenizer.from_pretrained(src)  # the fast tokenizer writes tokenizer.json
        tokenizer.save_pretrained(out)
        write_config(os.path.join(tmp, "config.json"), os.path.join(out, "config.json"))
        shutil.copy(os.path.join(tmp, "model.onnx"), os.path.join(out, "onnx", "model.onnx"))
        quantizer = ORTQuantizer.from_pretrained(tmp, file_name="model.onnx")
        qdir = os.path.join(tmp, "q")
        quantizer.quantize(save_dir=qdir, quantization_config=AutoQuantizationConfig.avx2(is_static=False, per_channel=False))
        shutil.copy(os.path.join(qdir, "model_quantized.onnx"), os.path.join(out, "onnx", "model_quantized.onnx"))

    reference = AutoModelForSequenceClassification.from_pretrained(src).eval()
    enc = tokenizer(CHECK, padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        expected = reference(**enc).logits.numpy()
    feeds = {k: v.numpy() for k, v in enc.items() if k in ("input_ids", "attention_mask")}
    for name, tolerance in (("model.onnx", 1e-3), ("model_quantized.onnx", None)):
        got = ort.InferenceSession(os.path.join(out, "onnx", name)).run(["logits"], feeds)[0]
        diff = float(np.abs(got - expected).max())
        agree = int((got.argmax(1) == expected.argmax(1)).sum())
        print(f"{name}: max |logit diff| vs PyTorch {diff:.2e}, top label agrees on {agree}/{len(CHECK)}")
        if tolerance is not None and diff > tolerance:
            sys.exit(f"export rejected: {name} differs from PyTorch by {diff}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
