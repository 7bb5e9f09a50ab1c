#!/usr/bin/env bash
# The main job: set up and build HeavyMetal, then compile the bundled example
# (examples/mlp.mlir, or the file given) through the GPU pipeline and show what
# came out: the kernels with their launch sizes, PTX files, and ptxas resources.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${HM_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh" >/dev/null

source=${1:-$root/examples/mlp.mlir}
out=${HM_OUT:-$root/out/$(basename "$source" .mlir)}
PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}" HM_OPT="$build_dir/bin/hm-opt" \
  /usr/bin/python3 -m heavymetal compile "$source" --out "$out"

echo
first_ptx=$(ls "$out"/*.ptx 2>/dev/null | head -n 1 || true)
if [ -n "$first_ptx" ]; then
  echo "== $(basename "$first_ptx") (first 40 lines) =="
  head -n 40 "$first_ptx"
fi
