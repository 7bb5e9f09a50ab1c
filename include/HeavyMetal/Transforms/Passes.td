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

def ConvertRTileToGPU : Pass<"convert-rtile-to-gpu", "func::FuncOp"> {
  let summary = "Lower linalg operations configured by Roller to tiled GPU "
                "kernels (experimental)";
  let description = [{
    For every `linalg` operation on buffers that carries an `rtile.config`
    (attached by `--hm-roller` before bufferization), emits one `gpu.launch`
    that follows the configuration:

    - a 1-d grid of `prod(ceil(extent / block))` blocks, each computing one
      block tile, and `prod(block / thread)` threads, each computing a
      `thread`-sized register tile of contiguous points;
    - the inputs that Roller stages (reused by several threads: broadcasts,
      windows, transposes; see docs/CostModel.md) are copied cooperatively
      into workgroup memory, one reduction step at a time, with the innermost
      extent padded by `padding`, between two `gpu.barrier`s;
    - for operations with reduction loops, per-thread accumulators in private
      memory, initialised from the output and written back once;
    - guards for tiles that overhang the iteration space.

    Not yet: vectorised accesses (`vector`), double buffering, the warp tile,
    tensor cores, dynamic shared memory (kernels over 48 KiB of workgroup
    memory do not assemble for a real GPU). The kernels are checked against
    host loops under the GPU emulator (test/Transforms/Roller/
    rtile-to-gpu-emu.test); no named pipeline runs this pass yet.

    Operations without `rtile.config` are left for `convert-linalg-to-gpu`;
    a configured operation it cannot lower (its outputs do not use every
    parallel loop) is left alone with a remark under `remarks`.
  }];
  let options = [
    Option<"remarks", "remarks", "bool", /*default=*/"false",
           "Emit a remark for every configured operation left alone">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // HEAVYMETAL_TRANSFORMS_PASSES_TD
