# Two images from one file: `api` (serverless-offline on Node 20) and `models` (the model step:
# download + verify + ONNX export, which needs Python and PyTorch on top of Node).
# No `# syntax=` line on purpose: it makes BuildKit pull a frontend image from Docker Hub before anything else.

FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
ENV SLS_TELEMETRY_DISABLED=1
# .npmrc tells onnxruntime-node's install script not to download its CUDA build (this project runs on CPU).
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

# What the API runs: production dependencies, and the native binaries of this platform only (node-llama-cpp
# ships CUDA/Vulkan/ARM builds, ~630 MB; onnxruntime-node every OS, ~170 MB; the API uses the CPU build), and of
# echarts and swagger-ui-dist only the files the dashboard and /docs serve (functions/dashboard.ts, docs.ts).
FROM deps AS runtime-deps
RUN npm prune --omit=dev --no-audit --no-fund \
 && arch="$(node -p process.arch)" \
 && find node_modules/@node-llama-cpp -mindepth 1 -maxdepth 1 ! -name "linux-${arch}" -exec rm -rf {} + \
 && find node_modules/onnxruntime-node/bin/napi-v3 -mindepth 2 -maxdepth 2 ! -path "*/linux/${arch}" -exec rm -rf {} + \
 && find node_modules/onnxruntime-node/bin/napi-v3 -mindepth 1 -maxdepth 1 ! -name linux -exec rm -rf {} + \
 && find node_modules/echarts -mindepth 1 -maxdepth 1 ! -name dist ! -name package.json -exec rm -rf {} + \
 && find node_modules/echarts/dist -mindepth 1 ! -name echarts.min.js -exec rm -rf {} + \
 && find node_modules/swagger-ui-dist -mindepth 1 ! -name package.json ! -name swagger-ui.css \
      ! -name swagger-ui-bundle.js -exec rm -rf {} +

FROM node:20.20.2-bookworm-slim AS api
WORKDIR /app
ENV NODE_ENV=production SLS_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000
RUN useradd --create-home --uid 10001 --user-group app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY package.json serverless.yml esbuild.config.ts tsconfig.json ./
COPY functions ./functions
COPY lib ./lib
# The local serverless plugin (warm-up) that serverless.yml lists.
COPY scripts/serverless ./scripts/serverless
COPY public ./public
COPY models/models.json ./models/models.json
COPY data ./data
# serverless-esbuild bundles the handlers into .esbuild at start; everything else stays root-owned, read-only.
RUN mkdir .esbuild .serverless && chown app:app .esbuild .serverless
USER app
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=30 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not npx (which asks the npm registry on every start) and not a shell: SIGTERM reaches
# serverless-offline, which stops its server and exits 0.
CMD ["node", "node_modules/serverless/bin/serverless.js", "offline", "start"]

FROM node:20.20.2-bookworm-slim AS models
WORKDIR /app
# ONNX_EXPORT=0: no Python/PyTorch (~1 GB less); the step then only fetches the GGUF and verifies files already
# in the volume (the emotion export, if needed, fails with a message saying so).
ARG ONNX_EXPORT=1
# A mirror of the CPU wheel (same file: the lock's sha256 is still checked).
ARG TORCH_WHEEL_URL=
ENV SLS_TELEMETRY_DISABLED=1 PYTHON=/opt/export/bin/python MODELS_DIR=/models
# Debian point releases drop old package versions, so exact apt pins would break rebuilds; the base image is pinned.
# hadolint ignore=DL3008
RUN if [ "$ONNX_EXPORT" = 1 ]; then apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*; fi
COPY scripts/models/requirements-export.txt scripts/models/check-export-sources.py /tmp/export/
# Hash-checked lock (every transitive package, torch by URL): pip cannot pick another build. The check first
# turns an unreachable index into one message within seconds, instead of minutes of retries.
RUN if [ "$ONNX_EXPORT" = 1 ]; then cd /tmp/export \
 && if [ -n "$TORCH_WHEEL_URL" ]; then sed -i "s|^torch @ [^ ]*|torch @ ${TORCH_WHEEL_URL}|" requirements-export.txt; fi \
 && python3 check-export-sources.py requirements-export.txt \
 && python3 -m venv /opt/export \
 && /opt/export/bin/pip install --no-cache-dir --require-hashes --only-binary=:all: --retries 1 --timeout 30 \
    -r requirements-export.txt; fi
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY lib ./lib
COPY scripts ./scripts
COPY models/models.json ./models/models.json
# Root on purpose, unlike the api: this one-shot step owns the models volume, which earlier versions (and tools
# that fill it) created as root; it publishes no port and exits. Files already there are made readable by the
# api's unprivileged user, whatever modes they came with; new ones are (umask 022). Then node gets the signals.
CMD ["sh", "-c", "chmod -R a+rX \"$MODELS_DIR\" && exec node node_modules/tsx/dist/cli.mjs scripts/models/fetch.ts"]
