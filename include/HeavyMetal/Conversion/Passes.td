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

def ConvertGPUToEmulator : Pass<"convert-gpu-to-emulator", "ModuleOp"> {
  let summary = "Run GPU kernels on the CPU through the HeavyMetal emulator";
  let description = [{
    Turns a module at the GPU level (host `func.func`s launching outlined
    `gpu.module`/`gpu.func` kernels, the output of
    `hm-linalg-to-gpu-pipeline`) into host code that runs every kernel on the
    CPU with GPU semantics through `libHeavyMetalEmuRuntime.so`
    (docs/Emulator.md):

    - each function of a `gpu.module` becomes a private `func.func` whose
      first argument is the emulated thread's context; thread/block ids and
      sizes are loads from it (constants where `known_block_size` /
      `known_grid_size` say so), `gpu.barrier`, `gpu.shuffle` and
      `gpu.subgroup_reduce` call the runtime, workgroup memory (attributions,
      `memref.alloc`/`alloca`/`memref.global` in workgroup space,
      `gpu.dynamic_shared_memory`) becomes views of the block's shared
      buffer, private attributions become `memref.alloca`, `gpu.printf`
      calls `printf`, and memory spaces are dropped; `gpu.all_reduce` is
      first expanded with upstream's patterns;
    - every `memref.load`/`store`, `memref.atomic_rmw`,
      `memref.generic_atomic_rmw` and `vector.load`/`store` of a kernel is
      checked against the memref's extents (`bounds-checks`); an
      out-of-bounds access is reported with the kernel, block, thread,
      index and allocation, and skipped;
    - every plain load and store of workgroup memory is reported to the
      runtime's race detector (`race-checks`), which reports two threads of
      a block touching the same byte between barriers, one of them writing;
    - every `scf.while` in a kernel yields to other threads and blocks once
      per iteration (`yield-in-loops`), so spin-waits on flags that other
      blocks set make progress; kernels may also call
      `func.call @hm_emu_yield() : () -> ()` (declared in their
      `gpu.module`);
    - host `gpu.launch_func` becomes `hm_emu_launch` with the arguments
      packed in an array; `gpu.alloc`/`dealloc` become `memref.alloc`/
      `dealloc` registered with the runtime, `gpu.memcpy` becomes
      `memref.copy`, `gpu.memset` a loop nest; asynchronous tokens and
      `gpu.wait` disappear (the emulator runs GPU work synchronously).

    Output: `func`/`memref`/`arith`/`scf`/`llvm` (and the `affine`, `math`,
    `vector` operations the kernels already had), ready for the standard
    host lowering to LLVM; host functions keep their signatures.

    Errors: a GPU operation the emulator cannot run (named), a `gpu.launch`
    that is not outlined, an asynchronous token used by a non-GPU
    operation, a launch whose block size contradicts the kernel's
    `known_block_size`, and workgroup memory of dynamic shape.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect"];
  let options = [
    Option<"boundsChecks", "bounds-checks", "bool", /*default=*/"true",
           "Check every kernel memory access against the memref's extents">,
    Option<"raceChecks", "race-checks", "bool", /*default=*/"true",
           "Report shared-memory races: two threads of a block touching the "
           "same workgroup-memory byte between barriers, one writing">,
    Option<"yieldInLoops", "yield-in-loops", "bool", /*default=*/"true",
           "Yield to other threads and blocks in every scf.while iteration "
           "of a kernel (spin-waits)">,
  ];
}

#endif // HEAVYMETAL_CONVERSION_PASSES_TD
