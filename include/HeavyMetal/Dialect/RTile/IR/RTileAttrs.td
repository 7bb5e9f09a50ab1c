//===- RTileAttrs.td - rtile attribute definitions ---------*- tablegen -*-===//
//
// #rtile.arch (a GPU model) and #rtile.config (an rTile per memory level).
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_RTILE_IR_RTILEATTRS_TD
#define HEAVYMETAL_DIALECT_RTILE_IR_RTILEATTRS_TD

include "HeavyMetal/Dialect/RTile/IR/RTileDialect.td"
include "mlir/IR/AttrTypeBase.td"

class RTile_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<RTile_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def RTile_ArchAttr : RTile_Attr<"Arch", "arch"> {
  let summary = "A GPU model: compute units, memory hierarchy and peak rates";
  let description = [{
    Describes a GPU the way Roller's micro-performance model needs it. All
    sizes are in bytes, bandwidths in GB/s, rates in GFLOP/s, the clock in MHz.

    The short form names a built-in description (`"sm_70"`/`"v100"`,
    `"sm_80"`/`"a100"`, `"sm_90"`/`"h100"`); the long form spells every field:

    ```mlir
    #rtile.arch<"sm_90">
    #rtile.arch<name = "my_gpu", sms = 80, warp_size = 32, sub_partitions = 4,
                max_threads_per_block = 1024, max_threads_per_sm = 2048,
                max_blocks_per_sm = 32, smem_per_sm = 98304,
                smem_per_block = 98304, regs_per_sm = 65536,
                regs_per_block = 65536, max_regs_per_thread = 255,
                transaction_bytes = 32, smem_banks = 32, l2_bytes = 6291456,
                dram_gbps = 900, clock_mhz = 1530, fp32_gflops = 15700,
                fp16_gflops = 125000, bf16_gflops = 0>
    ```

    A value that equals a built-in description prints in the short form.
  }];
  let parameters = (ins
    StringRefParameter<"architecture name">:$name,
    AttrParameter<"int64_t", "streaming multiprocessors (SMs)">:$sms,
    AttrParameter<"int64_t", "threads per warp">:$warpSize,
    AttrParameter<"int64_t", "warp schedulers (sub-partitions) per SM">:$subPartitions,
    AttrParameter<"int64_t", "threads per block, at most">:$maxThreadsPerBlock,
    AttrParameter<"int64_t", "resident threads per SM, at most">:$maxThreadsPerSM,
    AttrParameter<"int64_t", "resident blocks per SM, at most">:$maxBlocksPerSM,
    AttrParameter<"int64_t", "shared memory per SM, bytes">:$smemPerSM,
    AttrParameter<"int64_t", "shared memory per block (opt-in maximum), bytes">:$smemPerBlock,
    AttrParameter<"int64_t", "32-bit registers per SM">:$regsPerSM,
    AttrParameter<"int64_t", "32-bit registers per block">:$regsPerBlock,
    AttrParameter<"int64_t", "32-bit registers per thread, at most">:$maxRegsPerThread,
    AttrParameter<"int64_t", "global-memory transaction (sector) size, bytes">:$transactionBytes,
    AttrParameter<"int64_t", "shared-memory banks (4 bytes wide)">:$smemBanks,
    AttrParameter<"int64_t", "L2 cache size, bytes">:$l2Bytes,
    AttrParameter<"int64_t", "DRAM bandwidth, GB/s">:$dramGBps,
    AttrParameter<"int64_t", "boost clock, MHz">:$clockMHz,
    AttrParameter<"int64_t", "peak f32 rate (CUDA cores), GFLOP/s">:$fp32GFlops,
    AttrParameter<"int64_t", "peak dense f16 tensor-core rate, GFLOP/s (0: none)">:$fp16GFlops,
    AttrParameter<"int64_t", "peak dense bf16 tensor-core rate, GFLOP/s (0: none)">:$bf16GFlops
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Shared-memory bandwidth of one SM in GB/s: banks x 4 bytes x clock.
    double getSmemGBpsPerSM() const;
    /// Peak GFLOP/s for `elementType` (f32 on CUDA cores; f16/bf16 on tensor
    /// cores), or 0 when the architecture has no such unit.
    int64_t getPeakGFlops(::mlir::Type elementType) const;
  }];
}

def RTile_ConfigAttr : RTile_Attr<"Config", "config"> {
  let summary = "An rTile per memory level for one operation";
  let description = [{
    Roller's tile configuration for an operation's iteration space:

    - `block`: the tile one thread block computes, one extent per parallel
      loop of the operation (in loop order); staged through shared memory.
    - `warp` (optional): the tile one warp computes, per parallel loop.
    - `thread`: the register tile one thread computes, per parallel loop.
    - `reduction` (optional): the reduction step per reduction loop, i.e. the
      extent of each reduction loop loaded into shared memory at a time.
    - `padding`: elements added to the innermost shared-memory extent against
      bank conflicts.
    - `vector`: elements per vectorised global access (1, 2, 4 or 8).
    - `double_buffer`: whether shared-memory tiles are double-buffered.

    The threads per block are the product of `block[i] / thread[i]`; they must
    be a multiple of the warp size (32) and at most 1024. The grid is derived
    from the operation's loop extents (`getGridSize`).

    ```mlir
    #rtile.config<block = [64, 128], warp = [32, 64], thread = [4, 8],
                  reduction = [8], padding = 4, vector = 4, double_buffer>
    ```
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "block tile per parallel loop">:$block,
    ArrayRefParameter<"int64_t", "warp tile per parallel loop">:$warp,
    ArrayRefParameter<"int64_t", "thread tile per parallel loop">:$thread,
    ArrayRefParameter<"int64_t", "reduction step per reduction loop">:$reduction,
    AttrParameter<"int64_t", "shared-memory padding, elements">:$padding,
    AttrParameter<"int64_t", "elements per vectorised global access">:$vector,
    AttrParameter<"bool", "double-buffered shared memory">:$doubleBuffer
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Threads per block: the product of block[i] / thread[i].
    int64_t getThreadsPerBlock() const;
    /// Blocks needed to cover `parallelExtents` (one extent per parallel
    /// loop): the product of ceil(extent[i] / block[i]).
    int64_t getGridSize(::llvm::ArrayRef<int64_t> parallelExtents) const;
  }];
}

#endif // HEAVYMETAL_DIALECT_RTILE_IR_RTILEATTRS_TD
