#!/usr/bin/env bash
# The main job: set up and build HeavyMetal, then compile the bundled example
# (examples/mlp.mlir, or the file given) through the GPU pipeline and show what
# came out: the kernels with their launch sizes, PTX files, ptxas resources,
# and the kernels' results on the GPU emulator against the CPU reference.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${HM_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh" >/dev/null

source=${1:-$root/examples/mlp.mlir}
out=${HM_OUT:-$root/out/$(basename "$source" .mlir)}
PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}" HM_OPT="$build_dir/bin/hm-opt" \
  /usr/bin/python3 -m heavymetal compile "$source" --out "$out"

echo
echo "== the kernels run on the GPU emulator, checked against the CPU reference =="
entry=$(sed -n 's/^ *func\.func @\([A-Za-z0-9_]*\).*/\1/p' "$source" | head -n 1)
"$build_dir/bin/hm-run" "$source" --entry="$entry" --random-inputs=1 \
  --device=emu --compare=cpu

echo
first_ptx=$(ls "$out"/*.ptx 2>/dev/null | head -n 1 || true)
if [ -n "$first_ptx" ]; then
  echo "== $(basename "$first_ptx") (first 40 lines) =="
  head -n 40 "$first_ptx"
fi
