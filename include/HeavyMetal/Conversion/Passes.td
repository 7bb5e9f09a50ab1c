//===- Passes.td - HeavyMetal conversion passes ------------*- tablegen -*-===//

#ifndef HEAVYMETAL_CONVERSION_PASSES_TD
#define HEAVYMETAL_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLinalgToGPU : Pass<"convert-linalg-to-gpu", "func::FuncOp"> {
  let summary = "Map each linalg operation on buffers to one gpu.launch";
  let description = [{
    The baseline GPU mapping: every `linalg` operation with buffer semantics
    (and every `memref.copy`, as a `linalg.copy`) in host code becomes one
    `gpu.launch`. The operation's parallel loops are flattened into one index
    space of `P` points; the launch has `ceil(P / block-size)` blocks of
    `min(P, block-size)` threads in x, each thread computes one point, and the
    reduction loops run sequentially inside the thread. An operation with no
    parallel loop runs on a single thread.

    Input: a function after bufferization (memrefs with static shapes).
    Output: the same function with `gpu.launch` regions holding `scf` loops,
    `memref` loads/stores and the scalar payload; ready for
    `gpu-kernel-outlining`. Operations already inside a `gpu.launch` are left
    alone.

    Errors: a `linalg` operation still on tensors (run bufferization first)
    and dynamic loop extents.

    This is deliberately simple; Roller (`--hm-roller`) brings real tiling.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block (a multiple of 32, at most 1024)">,
  ];
}

def ConvertHostBuffersToGPU : Pass<"convert-host-buffers-to-gpu", "func::FuncOp"> {
  let summary = "Place the buffers of host code in GPU memory";
  let description = [{
    After bufferization, host code allocates its buffers with `memref.alloc`
    and reads constants from `memref.global`s; the kernels that use them run
    on the device. This pass moves them to device memory:

    - `memref.alloc` becomes `gpu.alloc`, `memref.dealloc` becomes
      `gpu.dealloc`;
    - `memref.get_global` becomes a `gpu.alloc` filled by `gpu.memcpy` from
      the host global.

    Function arguments and results are device buffers: the caller (the
    runtime) passes device pointers and reads results from device memory.
    Allocations inside `gpu.launch` regions and in GPU modules are left alone.

    Errors: host code that loads from or stores to a buffer (only kernels may
    touch device memory).
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

#endif // HEAVYMETAL_CONVERSION_PASSES_TD
