#!/usr/bin/env bash
# Times a 256x256x256 f32 matmul through HeavyMetal's baseline GPU pipeline
# on the GPU emulator (hm-run --device=emu), next to the CPU reference, and
# checks that the two agree. A benchmark, not a test: it prints times.
#
#   bench/emu_matmul.sh [BUILD_DIR] [SIZE]
#
# BUILD_DIR defaults to build/; SIZE (M = N = K) to 256. Timings are host
# wall-clock per call (after JIT compilation), mean/min/median of 10 runs
# after 2 warm-up runs; with 1 worker and with the default (one per
# hardware thread).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
size="${2:-256}"
hm_run="$build/bin/hm-run"
if [[ ! -x "$hm_run" ]]; then
  echo "error: $hm_run not found; build it first (ninja -C $build hm-run HeavyMetalEmuRuntime)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/matmul.mlir" <<MLIR
func.func @matmul(%a: tensor<${size}x${size}xf32>, %b: tensor<${size}x${size}xf32>) -> tensor<${size}x${size}xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<${size}x${size}xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<${size}x${size}xf32>) -> tensor<${size}x${size}xf32>
  %r = linalg.matmul ins(%a, %b : tensor<${size}x${size}xf32>, tensor<${size}x${size}xf32>)
                     outs(%c : tensor<${size}x${size}xf32>) -> tensor<${size}x${size}xf32>
  return %r : tensor<${size}x${size}xf32>
}
MLIR
echo "matmul ${size}x${size}x${size} f32, baseline pipeline (one thread per output, $(nproc) hardware threads)"
start=$(date +%s.%N)
"$hm_run" "$work/matmul.mlir" --device=emu --random-inputs=1 --compare=cpu \
  --repeat=10 --warmup=2 | grep -E "^time|compare"
end=$(date +%s.%N)
echo "whole hm-run process (parse, both pipelines, JIT, 12 emu runs, compare): $(echo "$end - $start" | bc) s"
"$hm_run" "$work/matmul.mlir" --device=emu --emu-workers=1 --random-inputs=1 \
  --repeat=10 --warmup=2 | grep -E "^time" | sed 's/^time emu/time emu, 1 worker/'
"$hm_run" "$work/matmul.mlir" --device=cpu --random-inputs=1 \
  --repeat=10 --warmup=2 | grep -E "^time"
