#!/usr/bin/env bash
# npm run models:standin — random-weight stand-ins with the real models' shapes and tokenizers, for timing
# (labels mean nothing). Deterministic (fixed seeds) and cached: skipped when both manifests exist
# (STANDIN_FORCE=1 rebuilds). Emotion goes through the project's own ONNX export; stance is quantised to
# Q4_K_M by llama.cpp's llama-quantize, built from the llama-cpp-python sdist (PyPI) into a cache folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${STANDIN_DIR:-models/standin}"
EMOTION="$OUT/emotion-distilroberta"
EMOTION_PT="$OUT/emotion-pytorch" # the save_pretrained form: the export's input, and the PyTorch baseline's model
STANCE="$OUT/stance-tinyllama"
VENV="${STANDIN_VENV:-.venv-standin}"
CACHE="${STANDIN_CACHE:-$HOME/.cache/political-tweets-etl/standin}"
LLAMA_CPP_PYTHON=0.3.16 # its vendored llama.cpp has the vocab files and the quantiser
SRC="$CACHE/llama_cpp_python-$LLAMA_CPP_PYTHON/vendor/llama.cpp"
QUANTIZE="$SRC/build/bin/llama-quantize"

if [ -z "${STANDIN_FORCE:-}" ] && [ -f "$EMOTION/manifest.json" ] && [ -f "$STANCE/manifest.json" ]; then
  echo "stand-ins already in $OUT (STANDIN_FORCE=1 rebuilds)"; exit 0
fi

# Python: the export's pinned requirements (PyPI only here, so without the CPU wheel index) + the generator's.
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
LOCK=scripts/models/requirements-export.txt
TORCH_URL="$(grep -o 'https://download.pytorch.org/[^ ]*' "$LOCK" | head -1)"
if curl -fsI -m 15 "$TORCH_URL" >/dev/null 2>&1; then
  cp "$LOCK" "$VENV/requirements-export.txt"
else
  # Only PyPI reachable (a mirror, no PyTorch index): the same versions without hashes, and PyPI's torch build
  # of the same version (larger: it brings CUDA libraries; the stand-ins only need it to run on the CPU).
  echo "the PyTorch CPU wheel index is out of reach; installing torch from PyPI for the stand-ins"
  sed -nE 's/^([A-Za-z0-9_.-]+==[^ ]+).*/\1/p' "$LOCK" > "$VENV/requirements-export.txt"
  sed -nE 's#^torch @ .*/torch-([0-9.]+)%2Bcpu.*#torch==\1#p' "$LOCK" >> "$VENV/requirements-export.txt"
fi
"$VENV/bin/pip" install -q -r "$VENV/requirements-export.txt" -r scripts/models/standin/requirements.txt

# llama.cpp source (vocab files + quantiser), downloaded and built once.
if [ ! -x "$QUANTIZE" ]; then
  mkdir -p "$CACHE"
  [ -d "$SRC" ] || {
    "$VENV/bin/pip" download -q --no-binary :all: --no-deps "llama-cpp-python==$LLAMA_CPP_PYTHON" -d "$CACHE"
    tar xzf "$CACHE/llama_cpp_python-$LLAMA_CPP_PYTHON.tar.gz" -C "$CACHE"
  }
  echo "building llama-quantize (a few minutes; log: $CACHE/build.log)"
  { cmake -S "$SRC" -B "$SRC/build" -DCMAKE_BUILD_TYPE=Release -DGGML_CUDA=OFF -DGGML_METAL=OFF -DLLAMA_CURL=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF &&
    cmake --build "$SRC/build" --target llama-quantize -j "$(nproc)"; } > "$CACHE/build.log" 2>&1 ||
    { tail -30 "$CACHE/build.log"; exit 1; }
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
rm -rf "$EMOTION" "$EMOTION_PT" "$STANCE"
mkdir -p "$EMOTION" "$STANCE"

"$VENV/bin/python" scripts/models/standin/make_emotion_standin.py "$EMOTION_PT" "$SRC/models/ggml-vocab-gpt-2.gguf"
"$VENV/bin/python" scripts/models/export_emotion.py "$EMOTION_PT" "$EMOTION"

"$VENV/bin/python" scripts/models/standin/make_stance_standin.py "$TMP/stance-f16.gguf" "$SRC/models/ggml-vocab-llama-spm.gguf"
"$QUANTIZE" "$TMP/stance-f16.gguf" "$STANCE/tinyllama-standin.Q4_K_M.gguf" Q4_K_M "$(nproc)" > "$TMP/quantize.log" 2>&1 ||
  { tail -20 "$TMP/quantize.log"; exit 1; }

npx tsx scripts/models/standin/write-manifests.ts "$OUT" "llama-cpp-python==$LLAMA_CPP_PYTHON"
du -sh "$EMOTION" "$STANCE"
echo "use them with: EMOTION_MODEL_DIR=$EMOTION STANCE_MODEL_PATH=$STANCE/tinyllama-standin.Q4_K_M.gguf"
