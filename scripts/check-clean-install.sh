#!/usr/bin/env bash
# A fresh clone of HEAD, then `npm ci` as a user types it, with no ONNXRUNTIME_NODE_INSTALL_CUDA. Passes when the
# install succeeds and no CUDA binary of onnxruntime-node was fetched. NPM_CI_FLAGS picks the network:
# --prefer-offline (default: the npm cache first, the registry for what it lacks; on a machine without GitHub
# access that proves no GitHub download) or --offline (the npm cache only: no network at all; needs a cache that
# holds every package of the lock). Slow (a full install): run by hand, not in CI.
#   bash scripts/check-clean-install.sh            # the check
#   bash scripts/check-clean-install.sh --control  # also without .npmrc, which must fail where GitHub is unreachable
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
NPM_CI_FLAGS="${NPM_CI_FLAGS:---prefer-offline}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

install() { # install DIR LABEL
  local started=$SECONDS
  if (cd "$1" && env -u ONNXRUNTIME_NODE_INSTALL_CUDA -u npm_config_onnxruntime_node_install_cuda \
    npm ci $NPM_CI_FLAGS --no-audit --no-fund >"$work/$2.log" 2>&1); then
    local cuda
    cuda="$(find "$1/node_modules/onnxruntime-node/bin" -name 'libonnxruntime_providers_cuda*' | wc -l)"
    echo "$2: npm ci $NPM_CI_FLAGS exited 0 in $((SECONDS - started)) s; CUDA provider files: $cuda"
    [ "$cuda" = 0 ]
  else
    echo "$2: npm ci $NPM_CI_FLAGS FAILED after $((SECONDS - started)) s:"
    grep -iE 'error|ENOTFOUND|github' "$work/$2.log" | head -5
    return 1
  fi
}

git clone -q --no-local "$repo" "$work/clone"
echo "clean clone of $(git -C "$work/clone" log -1 --format='%h %s' | cut -c1-70)"
echo "ONNXRUNTIME_NODE_INSTALL_CUDA=${ONNXRUNTIME_NODE_INSTALL_CUDA-<unset>} (unset for the install)"
install "$work/clone" with-npmrc

if [ "${1:-}" = --control ]; then
  git clone -q --no-local "$repo" "$work/control"
  rm "$work/control/.npmrc"
  if install "$work/control" without-npmrc; then
    echo "control: without .npmrc the install also passed (GitHub reachable here?): the check proves less"
  else
    echo "control: without .npmrc it fails, as expected where GitHub cannot be reached"
  fi
fi
