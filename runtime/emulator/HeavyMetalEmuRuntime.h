//===- HeavyMetalEmuRuntime.h - C interface of the GPU emulator -*- C++ -*-===//
//
// Two groups of functions, all extern "C":
//  - hmEmu*: the host API, called by tools such as hm-run.
//  - hm_emu_*: the ABI called by code that convert-gpu-to-emulator generates;
//    their signatures must match the declarations the pass emits.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_RUNTIME_EMULATOR_HEAVYMETALEMURUNTIME_H
#define HEAVYMETAL_RUNTIME_EMULATOR_HEAVYMETALEMURUNTIME_H

#include <cstdint>

#define HM_EMU_EXPORT extern "C" __attribute__((visibility("default")))

//===----------------------------------------------------------------------===//
// Host API
//===----------------------------------------------------------------------===//

/// Registers a buffer the host passes to the module (an input or output), so
/// that errors can name the allocation an address belongs to.
HM_EMU_EXPORT void hmEmuRegisterBuffer(void *ptr, int64_t bytes);
/// Like hmEmuRegisterBuffer, with a name used in error messages.
HM_EMU_EXPORT void hmEmuRegisterNamedBuffer(void *ptr, int64_t bytes,
                                            const char *name);
/// Forgets a buffer registered with hmEmuRegisterBuffer.
HM_EMU_EXPORT void hmEmuUnregisterBuffer(void *ptr);
/// Number of errors (out-of-bounds accesses, divergent barriers, ...)
/// reported since the library was loaded.
HM_EMU_EXPORT int64_t hmEmuErrorCount(void);
/// Sets how many OS threads execute blocks (default: the hardware threads,
/// at most 16); 0 restores the default. Results of race-free kernels do not
/// depend on it.
HM_EMU_EXPORT void hmEmuSetWorkerCount(int64_t workers);
/// Number of kernel launches since the library was loaded.
HM_EMU_EXPORT int64_t hmEmuLaunchCount(void);

//===----------------------------------------------------------------------===//
// ABI of the generated code
//===----------------------------------------------------------------------===//

/// Entry point of an emulated kernel: runs one thread, whose context (see
/// mlir::hm::emu::ContextSlot) is `context`, on the packed arguments.
using HmEmuKernelEntry = void (*)(int64_t *context, void **args);

/// Runs a kernel over the grid and returns when every block is done.
/// `kernelName` is "module::function"; `flags` are emu::LaunchFlag bits.
HM_EMU_EXPORT void hm_emu_launch(HmEmuKernelEntry entry, const char *kernelName,
                                 int64_t flags, int64_t staticSharedBytes,
                                 int64_t dynamicSharedBytes, int64_t gridX,
                                 int64_t gridY, int64_t gridZ, int64_t blockX,
                                 int64_t blockY, int64_t blockZ, void **args);

/// gpu.barrier: no thread of the block passes until all have arrived.
/// `site` identifies the barrier operation ("file:line:col").
HM_EMU_EXPORT void hm_emu_barrier(int64_t *context, const char *site);

/// Lets other threads and blocks run; spin-waits on memory that another
/// block writes must call it (the pass inserts it into scf.while loops, and
/// kernels may call it as `func.call @hm_emu_yield() : () -> ()`).
HM_EMU_EXPORT void hm_emu_yield(void);

/// gpu.shuffle: the 64-bit pattern `bits` of this lane is exchanged among
/// lanes [0, width) of its warp (NVVM's member mask); returns the source
/// lane's bits (its own when invalid, as on NVIDIA GPUs).
HM_EMU_EXPORT int64_t hm_emu_shuffle(int64_t *context, int64_t bits,
                                     int32_t offset, int32_t width,
                                     int32_t mode, const char *site);
/// The `valid` result of gpu.shuffle (1 or 0); no synchronisation.
HM_EMU_EXPORT int32_t hm_emu_shuffle_valid(int64_t *context, int32_t offset,
                                           int32_t width, int32_t mode);
/// Deposits this lane's `bits`, waits for every lane of the warp and returns
/// the thread's own copy of the warp's deposited values, indexed by lane
/// (valid until the thread's next warp operation).
HM_EMU_EXPORT int64_t *hm_emu_warp_exchange(int64_t *context, int64_t bits,
                                            const char *site);

/// Reports an out-of-bounds access. `site` is "op\x1fspace\x1ftype\x1floc";
/// `indicesAndShape` holds `rank` indices then `rank` extents; `base` is the
/// aligned pointer of the memref and `linearIndex` the element offset of the
/// access from it.
HM_EMU_EXPORT void hm_emu_report_oob(int64_t *context, const char *site,
                                     int64_t rank,
                                     const int64_t *indicesAndShape,
                                     int64_t base, int64_t linearIndex,
                                     int64_t elementBytes);

/// Race detection: the thread accesses `bytes` bytes of workgroup memory at
/// `address`. Reports (once per block) an access that conflicts with one of
/// another thread since the block's last barrier: write/write, read/write
/// or write/read on the same byte. `site` is "file:line:col".
HM_EMU_EXPORT void hm_emu_shared_access(int64_t *context, int64_t address,
                                        int64_t bytes, int64_t isWrite,
                                        const char *site);

/// gpu.subgroup_mma_load_matrix / store_matrix: a warp operation at `site`
/// whose lanes must all pass the same byte `address` and, for stores, the
/// same `fragmentBytes` bytes of `fragment` (null for loads); reports
/// non-uniform lanes and partial warps.
HM_EMU_EXPORT void hm_emu_mma_sync(int64_t *context, int64_t address,
                                   const void *fragment, int64_t fragmentBytes,
                                   const char *site);
/// gpu.subgroup_mma_compute: D = A * B + C on row-major fragments (A m x k,
/// B k x n, C and D m x n) whose element types `types` packs
/// (mlir::hm::emu::MatrixElementType); a warp operation like
/// hm_emu_mma_sync, whose lanes must pass the same A, B and C.
/// With kMatrixLaneRegisters in `types`: nvvm.mma.sync, where a, b, c and d
/// are the lane's own registers in the PTX fragment layout (m16n8k16, bf16
/// A row-major in 4 words and B column-major in 2, f32 C and D in 4); the
/// lanes exchange their registers and each computes its share of D.
HM_EMU_EXPORT void hm_emu_mma_compute(int64_t *context, void *d, const void *a,
                                      const void *b, const void *c, int64_t m,
                                      int64_t n, int64_t k, int64_t types,
                                      const char *site);

/// Registers a device allocation (gpu.alloc) and fills it with 0xFF bytes
/// (NaN for floats) so that reads of uninitialised memory show.
HM_EMU_EXPORT void hm_emu_register_alloc(int64_t base, int64_t bytes,
                                         const char *what);
/// Forgets a device allocation (gpu.dealloc).
HM_EMU_EXPORT void hm_emu_unregister_alloc(int64_t base);

#endif // HEAVYMETAL_RUNTIME_EMULATOR_HEAVYMETALEMURUNTIME_H
