#!/usr/bin/env bash
# Installs everything Netweave needs on a Debian/Ubuntu machine: the system
# packages (Chromium for the browser app and its end-to-end tests, PyTorch and
# Fashion-MNIST for the export and data-set tests) and the npm dependencies.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(chromium xvfb dataset-fashion-mnist python3-torch python3-numpy python3-onnx python3-h5py fonts-dejavu-core)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi

if ((${#missing[@]} > 0)); then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else sudo=(); fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ ${#sudo[@]} -gt 0 ]; }; then
    echo "Installing system packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "Note: cannot install ${missing[*]} (needs apt-get as root); the app still runs, some tests will say what they skip."
  fi
fi

# The Electron binary and tfjs-node's libtensorflow cannot always be downloaded;
# neither is needed to install, test, or run the app in a browser.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
# onnxruntime-node ships its CPU binaries; its install step only fetches a CUDA add-on.
export ONNXRUNTIME_NODE_INSTALL=skip
if [ "${CI:-}" = "true" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The CLI, the web host and the training worker run from JavaScript built here (dist/node):
# no transpiler starts with them. A later change to the sources is rebuilt on first use.
node scripts/build.mjs node
