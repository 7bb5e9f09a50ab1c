//===- Passes.td - HeavyMetal transform passes -------------*- tablegen -*-===//

#ifndef HEAVYMETAL_TRANSFORMS_PASSES_TD
#define HEAVYMETAL_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DumpGPUBinaries : Pass<"hm-dump-gpu-binaries", "ModuleOp"> {
  let summary = "Write the objects of every gpu.binary to files";
  let description = [{
    For each `gpu.binary` in the module and each of its `#gpu.object`s, writes
    the object to `<output-dir>/<binary>.<ext>`: `.ptx` for PTX text (format
    `isa`), `.cubin` for `bin`, `.fatbin` for `fatbin`, `.ll`/`.bc` for LLVM IR
    offload formats. When a binary holds several objects (several targets),
    the chip is added to the name (`<binary>.<chip>.<ext>`). The IR is left
    unchanged; each written file is reported as a remark on its `gpu.binary`
    when `remarks` is set.

    Errors: an `output-dir` that is empty or cannot be created, a file that
    cannot be written.
  }];
  let options = [
    Option<"outputDir", "output-dir", "std::string", /*default=*/"",
           "Directory the files are written to (created if missing)">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark naming each written file">,
  ];
}

def SetKernelOccupancy : Pass<"hm-set-kernel-occupancy", "ModuleOp"> {
  let summary = "Tell ptxas how many blocks per SM each kernel needs";
  let description = [{
    Sets `nvvm.minctasm` (PTX `.minnctapersm`) on every `gpu.func` kernel
    that has none. Outlined kernels carry their block size as `.maxntid`;
    from it alone ptxas derives a register budget that also aims at several
    resident blocks per SM, and spills to meet it. Roller chose each tiled
    kernel's block and register tile for the occupancy its model predicts,
    so the GPU pipelines ask for `min-blocks-per-sm` (default 1): ptxas then
    keeps the registers the kernel needs up to the cap that the block size
    allows (65536 / threads), instead of spilling.

    Errors: `min-blocks-per-sm` of 0.
  }];
  let options = [
    Option<"minBlocksPerSM", "min-blocks-per-sm", "unsigned",
           /*default=*/"1", "Blocks per SM each kernel must allow">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def Roller : Pass<"hm-roller", "ModuleOp"> {
  let summary = "Construct Roller's hardware-aligned tile configurations";
  let description = [{
    Roller (OSDI 2022) constructs a kernel's tiles instead of searching for
    them. For every `linalg` operation on tensors with static shapes and f32,
    f16 or bf16 operands — named (matmul, batch_matmul, convolutions,
    depthwise convolutions, pooling, fill, transpose, ...) and
    `linalg.generic` (element-wise, broadcasts, reductions along any axis,
    transposes) — this pass:

    1. aligns each loop to the hardware: block steps of a loop walking an
       operand's innermost dimension are multiples of the memory transaction
       in elements (8 for f32), the reduction step is 8 (64 on tensor cores)
       and convolution/pooling windows are loaded whole;
    2. grows the block (shared-memory) tile one loop at a time, choosing the
       loop with the best data-reuse score (global traffic saved per byte of
       shared memory added), within the arch's shared-memory limit, until the
       tile saturates DRAM (compute-bound at that level);
    3. for each block tile, grows the thread (register) tile the same way
       against shared-memory traffic, within the register limits, keeping
       thread counts a multiple of 32 (of 128 where possible) up to 512;
    4. adds the warp tile, shared-memory padding against bank conflicts, the
       vector width and double buffering, and ranks every candidate with the
       micro-performance model (docs/CostModel.md).

    The best configuration is attached as the discardable attribute
    `rtile.config`; with `top-k` > 1 the next ones, in rank order, as
    `rtile.candidates` (for measuring on a GPU). The module records the arch
    it was configured for as `rtile.arch`.

    The target is the `arch` option when given (it then replaces every
    `rtile.arch` in the module), else the nearest enclosing `rtile.arch`
    attribute, else `sm_90`.

    Left alone (with a remark under `remarks`, an error under
    `unsupported-is-error`): operations on buffers, with dynamic shapes, with
    element types other than f32/f16/bf16, without parallel loops (a
    reduction to a scalar), and operations that already carry an
    `rtile.config` (kept as written). Non-`linalg` operations are never
    touched.

    `report` prints, per operation, the chosen tile per level, grid and block,
    shared memory, estimated registers, predicted time and whether it is
    compute- or memory-bound to standard output. All predictions are
    modelled, not measured.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"\"",
           "Target GPU, a built-in name: sm_70 (v100), sm_80 (a100), sm_90 "
           "(h100). Empty: the nearest rtile.arch attribute, else sm_90">,
    Option<"topK", "top-k", "unsigned", /*default=*/"1",
           "Configurations kept per operation: the best as rtile.config, the "
           "next top-k - 1 as rtile.candidates">,
    Option<"unsupportedIsError", "unsupported-is-error", "bool",
           /*default=*/"false",
           "Report an operation that cannot be configured as an error "
           "instead of leaving it alone">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for every operation: the chosen configuration, or "
           "why it was left alone">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Print a table of the chosen configurations and their modelled "
           "cost to standard output">,
  ];
  let dependentDialects = ["::mlir::hm::rtile::RTileDialect"];
}

def PrintCostModel : Pass<"hm-print-cost-model", "ModuleOp"> {
  let summary = "Print the micro-performance model's prediction for every "
                "configured operation";
  let description = [{
    For every `linalg` operation carrying an `rtile.config`, prints to
    standard output what the micro-performance model (docs/CostModel.md)
    predicts for it: grid, threads and reduction steps, shared memory and
    estimated registers, occupancy and its limiter, waves, compute, DRAM and
    shared-memory time with their derating factors, and the bound. Nothing
    is measured. The IR is left unchanged.

    The arch is the `arch` option when given, else the nearest enclosing
    `rtile.arch`, else `sm_90`. An operation the model cannot describe
    (dynamic shapes, unsupported types) is reported as such.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"\"",
           "Target GPU, a built-in name: sm_70 (v100), sm_80 (a100), sm_90 "
           "(h100). Empty: the nearest rtile.arch attribute, else sm_90">,
  ];
  let dependentDialects = ["::mlir::hm::rtile::RTileDialect"];
}

def ModelSummary : Pass<"hm-model-summary", "ModuleOp"> {
  let summary = "Sum the modelled traffic and time of every linalg operation "
                "and count kernel launches per call";
  let description = [{
    A report for benchmarks (hm-bench, docs/Benchmarks.md); the IR is left
    unchanged. Prints to standard output, as text or one JSON object:

    - for every `linalg` operation outside `gpu.module`s, on tensors or
      buffers, what the micro-performance model (docs/CostModel.md) predicts
      on the arch: global-memory bytes, compulsory bytes, flops and time,
      summed over the module. An operation with an `rtile.config` is modelled
      with it; one without (or every one, with `naive`) as the kernel the
      baseline `convert-linalg-to-gpu` makes of it: the parallel loops
      flattened, `block-size` points per block, one point per thread,
      reduction loops sequential (a block tile of powers of two from the
      innermost parallel loop, thread tile 1, reduction step 1);
    - every `gpu.launch_func` / `gpu.launch` in host code (launch sites);
    - each weighted by how often it runs per call: the product of the static
      trip counts of the enclosing `scf.for` loops. Inside a loop without a
      static trip count it counts once, inside an `scf.if` as if taken; both
      are reported (`in_dynamic_loops`, `in_branches`).

    Operations the model cannot describe (dynamic shapes, unsupported
    element types) are counted with the reason, not silently dropped.
    Non-`linalg` data movement (`tensor.pad`, `tensor.concat`, slices) is
    not modelled. Every number is modelled, not measured.

    The arch is the `arch` option when given, else the nearest `rtile.arch`,
    else `sm_90`.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"\"",
           "Target GPU, a built-in name: sm_70 (v100), sm_80 (a100), sm_90 "
           "(h100). Empty: the nearest rtile.arch attribute, else sm_90">,
    Option<"naive", "naive", "bool", /*default=*/"false",
           "Model every operation as the baseline one-kernel-per-op kernel, "
           "ignoring rtile.config">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block of the baseline mapping (as the pipelines' "
           "block-size)">,
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "Output format: text or json">,
  ];
  let dependentDialects = ["::mlir::hm::rtile::RTileDialect"];
}

def ConvertRTileToGPU : Pass<"convert-rtile-to-gpu", "func::FuncOp"> {
  let summary = "Lower linalg operations configured by Roller to tiled GPU "
                "kernels";
  let description = [{
    For every `linalg` operation on buffers that carries an `rtile.config`
    (attached by `--hm-roller` before bufferization), emits one `gpu.launch`
    that follows the configuration:

    - a 1-d grid of `prod(ceil(extent / block))` blocks, each computing one
      block tile, and `prod(block / thread)` threads, each computing a
      `thread`-sized register tile; along the last parallel loop a thread
      owns chunks of `vector` consecutive points, consecutive threads on
      consecutive chunks (coalesced stores; 16-byte `vector.store`s of the
      outputs and `vector.load`s of element-wise inputs where aligned);
    - the inputs that Roller stages (reused by several threads: broadcasts,
      windows, transposes, matmul operands; see docs/CostModel.md) are copied
      cooperatively into workgroup memory, one reduction step at a time, with
      the innermost extent padded by `padding`, by 16-byte `vector.load`s
      where the tile, the buffer and the offsets are aligned (narrower or
      scalar otherwise);
    - with `double_buffer`, two buffers per staged input: the next step is
      copied into one while the current step is computed from the other, one
      `gpu.barrier` per step;
    - staged buffers over 48 KiB are views (`memref.view`) into the launch's
      dynamic shared memory (`gpu.dynamic_shared_memory`);
    - for operations with reduction loops, per-thread accumulators in private
      memory, initialised from the output and written back once; for each
      reduction iteration of a step, the register tile's points (unrolled up
      to 256 points);
    - guards for tiles that overhang the iteration space.

    Tensor-core configurations (f16/bf16 matmul-like operations on sm_80+)
    go to the tensor-core lowering instead. Operations without `rtile.config`
    are left for `convert-linalg-to-gpu`; a configured operation it cannot
    lower (its outputs do not use every parallel loop) is left alone with a
    remark under `remarks`. A configuration that needs more shared memory
    than the nearest `rtile.arch` gives a block is an error.
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for every configured operation left alone">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::cf::ControlFlowDialect",
                           // bf16 tensor cores: nvvm.mma.sync on i32 / LLVM
                           // struct operands (TensorCore.cpp, MmaSync.cpp).
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def Welder : Pass<"hm-welder", "ModuleOp"> {
  let summary = "Fuse operators across the memory hierarchy with Welder's "
                "tile graph";
  let description = [{
    Welder (OSDI 2023) schedules the memory traffic of a whole operator
    graph. For every function, this pass builds the tile graph: the `linalg`
    operations on tensors directly in the body are the nodes (fills that
    only initialise outputs are recomputed by their users, not nodes), the
    tensors between them the edges (through `tensor.expand_shape` /
    `tensor.collapse_shape` that only add or drop unit dimensions).

    The connecting algorithm walks the nodes in order; from each ungrouped
    node it grows a group along its edges to consumers, adding the nodes on
    every path in between (at most `max-group-size`). A candidate group is
    rejected when an intermediate value is also used outside it, when it
    would have two outputs, when no output tile fits the arch's shared
    memory and registers, or (policy `welder`) when the model does not
    predict it faster than its members compiled separately with Roller's
    configurations, or slower than the group without the new node. Each
    group's output tile comes from Welder's sub-graph scheduling search
    (best-first by global traffic x waves, at most `max-tiles` tiles), each
    tile priced with Roller's micro-performance model composed over the
    group (`Analysis/FusedCost`).

    Every group is emitted as a `tilegraph.kernel` with its output tile;
    edges inside it go through `tilegraph.connect` at `register` (each
    thread reads what it produced: element-wise chains, reduction or
    contraction epilogues) or `shared` (a window, a reduction over the
    edge, a broadcast along a parallel loop, a transpose). Operations that
    cannot be fused (dynamic shapes, unsupported types, reductions to a
    scalar) are left alone. Other operations are not touched.

    `policy=elementwise` is rule-based element-wise fusion, the baseline
    Welder is compared against: only operators whose loops are all parallel
    and whose inputs are read through projected permutations are fused,
    whenever legal. `report` prints a per-function summary (kernels,
    modelled global traffic and time fused vs unfused); `dot-file` writes the
    tile graph as Graphviz DOT; `remarks` explains each kernel and each edge
    left in global memory. All numbers are modelled, not measured.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"\"",
           "Target GPU, a built-in name: sm_70 (v100), sm_80 (a100), sm_90 "
           "(h100). Empty: the nearest rtile.arch attribute, else sm_90">,
    Option<"policy", "policy", "std::string", /*default=*/"\"welder\"",
           "Fusion policy: 'welder' (cost-driven, any operators) or "
           "'elementwise' (element-wise operators only, whenever legal)">,
    Option<"maxGroupSize", "max-group-size", "int64_t", /*default=*/"10",
           "Operators in one group, at most">,
    Option<"maxTiles", "max-tiles", "int64_t", /*default=*/"1000",
           "Output tiles the scheduling search evaluates per group, at most">,
    Option<"dotFile", "dot-file", "std::string", /*default=*/"\"\"",
           "Write the tile graph as Graphviz DOT to this file">,
    Option<"report", "report", "bool", /*default=*/"false",
           "Print a per-function summary to standard output">,
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark per kernel and per edge left in global memory">,
  ];
  let dependentDialects = ["::mlir::hm::tilegraph::TileGraphDialect",
                           "::mlir::hm::rtile::RTileDialect"];
}

def PrintTilePropagation : Pass<"hm-print-tile-propagation", "ModuleOp"> {
  let summary = "Print Welder's tile propagation from annotated operations "
                "(a test pass)";
  let description = [{
    For every `linalg` operation carrying `hm.tile = array<i64: ...>` (a tile
    of its result #0, optionally placed by `hm.tile_offsets`), propagates
    the tile backwards through the operation and every `linalg` producer it
    transitively reads (through unit-dimension reshapes; fills are not
    followed) and prints, per operation, its iteration tile, the tile of
    each operand it reads (halos included) and its recomputation factor over
    the whole grid of such tiles. The IR is left unchanged.
  }];
}

#endif // HEAVYMETAL_TRANSFORMS_PASSES_TD
