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
    - `gpu.subgroup_mma_*` fragments (f16/f32) become vectors holding the
      whole fragment in every lane: loads read every element, stores write
      the lane's disjoint share, compute calls the runtime, and loads,
      stores and compute meet the warp to check divergence and uniform
      operands;
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

def InlineTileGraphKernels : Pass<"hm-inline-tilegraph-kernels", "func::FuncOp"> {
  let summary = "Inline tilegraph.kernel bodies, tagging the fused groups";
  let description = [{
    One-shot bufferization cannot bufferize a `tilegraph.kernel`. This pass
    runs on tensors, before bufferization: it inlines the body of every
    kernel into the function (region arguments become the kernel's operands,
    `tilegraph.connect` its input, the kernel's result the yielded value) and
    tags the `linalg` operations of every group of at least two operations
    (fills not counted) with discardable attributes that survive
    bufferization:

    - `tilegraph.member = {group = G, index = I, level = "register"|"shared"|"none"}`:
      the group, the operation's position in it, and the highest level any
      `tilegraph.connect` of its result names;
    - `tilegraph.root = {name = "...", tile = array<i64: ...>}` on the
      operation that computes the group's output.

    `--convert-tilegraph-to-gpu` turns each tagged group on buffers into one
    `gpu.launch`. Single-operation kernels, and kernels whose output is not
    one `linalg` result, are inlined without tags (with a remark under
    `remarks`): the ordinary lowerings take them.
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "A remark per kernel inlined without tags, saying why">,
  ];
}

def ConvertTileGraphToGPU : Pass<"convert-tilegraph-to-gpu", "func::FuncOp"> {
  let summary = "Lower each tagged Welder group on buffers to one gpu.launch";
  let description = [{
    Input: a bufferized function whose `linalg` operations carry the
    `tilegraph.member` / `tilegraph.root` tags of
    `--hm-inline-tilegraph-kernels`. Each group becomes one `gpu.launch`,
    its contractions and reductions through Roller's tiled code generation
    (docs/Welder.md, "Lowering"):

    - a group around one contraction with an element-wise epilogue is the
      contraction's tiled kernel (`convert-rtile-to-gpu`'s, on tensor cores
      where its configuration runs there) for the group's tile, with the
      prologue computed while staging and the epilogue applied to each
      accumulator before the store;
    - otherwise one block per tile of the root's output (the `tile` of the
      group), the blocks' tile origins delinearized from `blockIdx.x`;
      members tagged `shared` are computed by the block into workgroup
      memory (dynamic shared memory) over the tile the group's consumers
      read (tile propagation through the indexing maps, halos included),
      followed by a `gpu.barrier`; those with reduction loops (or that are
      the element-wise epilogue of one `register`-level contraction), and
      such a root, by the tiled kernel inside the launch (staged inputs,
      register tiles, reductions with few outputs split over the block);
    - other members (`register`) are recomputed in registers by each thread
      at each point a consumer needs; `linalg.fill` inits become their
      scalar; element-wise roots are computed point by point, strided over
      the block's threads, and stored to global memory.

    The group's intermediate buffers are erased when nothing else uses them.
    A group this pass cannot lower (an operation with several outputs or
    dynamic shapes, an intermediate used outside the group or written through
    a view, tiles read at different origins, more shared memory than the
    arch allows) has its tags removed and is left to `convert-rtile-to-gpu` /
    `convert-linalg-to-gpu`: a remark says why under `remarks`, a warning
    when shared memory is over the limit. Untagged operations are left
    alone.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::hm::rtile::RTileDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           // The tiled kernels of group contractions:
                           // vector loads/stores, WMMA accumulator loops as
                           // branches, bf16 nvvm.mma.sync (TiledAnchor.cpp).
                           "::mlir::vector::VectorDialect",
                           "::mlir::cf::ControlFlowDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"sm_90\"",
           "Built-in #rtile.arch whose shared memory per block bounds a group">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block, at most (a multiple of 32, at most 1024)">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "A remark per group lowered or left unfused, saying why">,
  ];
}

#endif // HEAVYMETAL_CONVERSION_PASSES_TD
