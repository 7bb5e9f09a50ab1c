#!/usr/bin/env bash
# Installs what HeavyMetal needs from Debian's packages (only what is missing),
# then configures and builds the project into build/ (or $HM_BUILD_DIR).
# Idempotent: on a machine that has everything it only runs the build.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${HM_BUILD_DIR:-$root/build}

packages=(cmake ninja-build ccache python3 python3-numpy
          clang-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
          libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx
          libonnx-testdata
          # hm-bench: the model zoo (PyTorch, CPU), plots, the IREE venv
          python3-torch python3-torchvision python3-matplotlib python3-venv)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -q "${missing[@]}"; then
    $sudo apt-get update -q
    $sudo apt-get install -y -q "${missing[@]}"
  fi
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build_dir" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH=/usr/lib/llvm-22 \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DPython3_EXECUTABLE=/usr/bin/python3 \
    "${launcher[@]}"
fi
ninja -C "$build_dir"

# hm-bench's peer compiler (IREE) comes from PyPI into the project's own
# virtualenv .venv (python/requirements-bench.txt). Only hm-bench's IREE
# columns need it, so a slow or failing pip is a warning, not an error;
# HM_SKIP_VENV=1 skips the step. Done once per version of the requirements.
requirements=$root/python/requirements-bench.txt
stamp=$root/.venv/.requirements-bench.stamp
if [ "${HM_SKIP_VENV:-0}" != 1 ] && ! cmp -s "$requirements" "$stamp"; then
  if { [ -x "$root/.venv/bin/python" ] ||
       /usr/bin/python3 -m venv --system-site-packages "$root/.venv"; } &&
     timeout 300 "$root/.venv/bin/python" -m pip install -q \
       --disable-pip-version-check -r "$requirements"; then
    cp "$requirements" "$stamp"
  else
    echo "setup: warning: could not install $requirements into .venv;" \
         "hm-bench will report IREE as not installed" >&2
  fi
fi
