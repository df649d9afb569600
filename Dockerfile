# syntax=docker/dockerfile:1
# Two images from one file: `api` (serverless-offline on Node 20) and `models` (the model step:
# download + verify + ONNX export, which needs Python and PyTorch on top of Node).

FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
# onnxruntime-node's install script would try to download CUDA parts.
ENV ONNXRUNTIME_NODE_INSTALL_CUDA=skip SLS_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:20.20.2-bookworm-slim AS api
WORKDIR /app
ENV SLS_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000
# Debian point releases drop old package versions, so exact apt pins would break rebuilds; the base image is pinned.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=deps /app/node_modules ./node_modules
COPY . .
EXPOSE 3000
CMD ["npx", "serverless", "offline", "start"]

FROM node:20.20.2-bookworm-slim AS models
WORKDIR /app
ENV SLS_TELEMETRY_DISABLED=1 PYTHON=/opt/export/bin/python
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/models/requirements-export.txt /tmp/requirements-export.txt
RUN python3 -m venv /opt/export \
 && /opt/export/bin/pip install --no-cache-dir -r /tmp/requirements-export.txt
COPY --from=deps /app/node_modules ./node_modules
COPY . .
CMD ["npx", "tsx", "scripts/models/fetch.ts"]
