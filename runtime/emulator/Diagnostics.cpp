//===- Diagnostics.cpp - Allocations and error reports of the emulator ----===//
//
// Errors are counted when they happen and printed when their launch ends,
// sorted by block and thread, so that the output does not depend on how the
// blocks were spread over worker threads. Only the first few errors of a
// launch are kept (the smallest (block, thread) keys, so which ones is
// deterministic too).
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
#include <tuple>

using namespace hm::emu;

namespace {

struct Allocation {
  int64_t bytes;
  std::string what;
};

struct ErrorRecord {
  std::tuple<int64_t, int64_t, uint32_t> key; // block, thread, sequence
  std::string text;
  bool operator<(const ErrorRecord &other) const { return key < other.key; }
};

/// Errors printed per launch; the rest are counted.
constexpr size_t kMaxPrintedErrors = 16;

struct Diagnostics {
  std::mutex mutex;
  std::map<uintptr_t, Allocation> allocations;
  int64_t hostBuffers = 0;
  std::atomic<int64_t> errorCount{0};
  // Errors of the running launch: a max-heap of the smallest keys.
  std::vector<ErrorRecord> pending;
  int64_t pendingDropped = 0;
};

Diagnostics &diagnostics() {
  static Diagnostics *instance = new Diagnostics();
  return *instance;
}

thread_local Thread *tlsCurrentThread = nullptr;

} // namespace

Thread *hm::emu::currentThread() { return tlsCurrentThread; }
void hm::emu::setCurrentThread(Thread *thread) { tlsCurrentThread = thread; }

std::string hm::emu::describeThread(const Thread &thread) {
  const int64_t *c = thread.context;
  char buffer[160];
  snprintf(buffer, sizeof(buffer),
           "block (%" PRId64 ",%" PRId64 ",%" PRId64 "), thread (%" PRId64
           ",%" PRId64 ",%" PRId64 ")",
           c[mlir::hm::emu::kBlockIdX], c[mlir::hm::emu::kBlockIdX + 1],
           c[mlir::hm::emu::kBlockIdX + 2], c[mlir::hm::emu::kThreadIdX],
           c[mlir::hm::emu::kThreadIdX + 1], c[mlir::hm::emu::kThreadIdX + 2]);
  return buffer;
}

void hm::emu::reportError(Thread *thread, const std::string &message) {
  Diagnostics &d = diagnostics();
  d.errorCount.fetch_add(1, std::memory_order_relaxed);
  if (!thread || !thread->launch) {
    fprintf(stderr, "hm-emu: error: %s\n", message.c_str());
    fflush(stderr);
    return;
  }
  const int64_t *c = thread->context;
  using namespace mlir::hm::emu;
  int64_t block =
      c[kBlockIdX] +
      c[kGridDimX] * (c[kBlockIdX + 1] + c[kGridDimX + 1] * c[kBlockIdX + 2]);
  int64_t linearThread =
      c[kThreadIdX] + c[kBlockDimX] * (c[kThreadIdX + 1] +
                                       c[kBlockDimX + 1] * c[kThreadIdX + 2]);
  ErrorRecord record{{block, linearThread, thread->errorSequence++}, ""};
  std::lock_guard<std::mutex> lock(d.mutex);
  if (d.pending.size() >= kMaxPrintedErrors) {
    ++d.pendingDropped;
    if (!(record < d.pending.front()))
      return;
    std::pop_heap(d.pending.begin(), d.pending.end());
    d.pending.pop_back();
  }
  // The headline, then where (like compute-sanitizer), then the details.
  size_t newline = message.find('\n');
  std::string headline = message.substr(0, newline);
  std::string details =
      newline == std::string::npos ? "" : message.substr(newline);
  record.text = "hm-emu: error: " + headline + "\n  in kernel @" +
                thread->launch->kernelName + ", " + describeThread(*thread) +
                details + "\n";
  d.pending.push_back(std::move(record));
  std::push_heap(d.pending.begin(), d.pending.end());
}

void hm::emu::flushLaunchErrors(Launch &launch) {
  Diagnostics &d = diagnostics();
  std::lock_guard<std::mutex> lock(d.mutex);
  if (d.pending.empty())
    return;
  std::sort(d.pending.begin(), d.pending.end());
  for (const ErrorRecord &record : d.pending)
    fputs(record.text.c_str(), stderr);
  if (d.pendingDropped)
    fprintf(stderr, "hm-emu: %" PRId64 " more errors in kernel @%s not shown\n",
            d.pendingDropped, launch.kernelName.c_str());
  fflush(stderr);
  d.pending.clear();
  d.pendingDropped = 0;
}

std::string hm::emu::describeAddress(uintptr_t address) {
  Diagnostics &d = diagnostics();
  std::lock_guard<std::mutex> lock(d.mutex);
  char buffer[512];
  auto after = d.allocations.upper_bound(address);
  // The allocation starting at or below the address, and the next one.
  if (after != d.allocations.begin()) {
    auto at = std::prev(after);
    uintptr_t begin = at->first;
    uintptr_t end = begin + at->second.bytes;
    if (address < end) {
      snprintf(buffer, sizeof(buffer),
               "address 0x%" PRIxPTR " is %" PRIuPTR
               " bytes inside the %" PRId64 "-byte allocation at 0x%" PRIxPTR
               " (%s)",
               address, address - begin, at->second.bytes, begin,
               at->second.what.c_str());
      return buffer;
    }
    snprintf(buffer, sizeof(buffer),
             "address 0x%" PRIxPTR " is %" PRIuPTR
             " bytes after the end of the %" PRId64
             "-byte allocation at 0x%" PRIxPTR " (%s)",
             address, address - end, at->second.bytes, begin,
             at->second.what.c_str());
    return buffer;
  }
  if (after != d.allocations.end()) {
    snprintf(buffer, sizeof(buffer),
             "address 0x%" PRIxPTR " is %" PRIuPTR " bytes before the %" PRId64
             "-byte allocation at 0x%" PRIxPTR " (%s)",
             address, after->first - address, after->second.bytes, after->first,
             after->second.what.c_str());
    return buffer;
  }
  snprintf(buffer, sizeof(buffer),
           "address 0x%" PRIxPTR " is not in any registered allocation",
           address);
  return buffer;
}

//===----------------------------------------------------------------------===//
// Host API and allocation ABI
//===----------------------------------------------------------------------===//

HM_EMU_EXPORT void hmEmuRegisterNamedBuffer(void *ptr, int64_t bytes,
                                            const char *name) {
  Diagnostics &d = diagnostics();
  std::lock_guard<std::mutex> lock(d.mutex);
  d.allocations[reinterpret_cast<uintptr_t>(ptr)] =
      Allocation{bytes, name ? name : "host buffer"};
}

HM_EMU_EXPORT void hmEmuRegisterBuffer(void *ptr, int64_t bytes) {
  int64_t index;
  {
    Diagnostics &d = diagnostics();
    std::lock_guard<std::mutex> lock(d.mutex);
    index = d.hostBuffers++;
  }
  std::string name = "host buffer #" + std::to_string(index);
  hmEmuRegisterNamedBuffer(ptr, bytes, name.c_str());
}

HM_EMU_EXPORT void hmEmuUnregisterBuffer(void *ptr) {
  Diagnostics &d = diagnostics();
  std::lock_guard<std::mutex> lock(d.mutex);
  d.allocations.erase(reinterpret_cast<uintptr_t>(ptr));
}

HM_EMU_EXPORT int64_t hmEmuErrorCount(void) {
  return diagnostics().errorCount.load(std::memory_order_relaxed);
}

HM_EMU_EXPORT void hm_emu_register_alloc(int64_t base, int64_t bytes,
                                         const char *what) {
  if (bytes > 0)
    memset(reinterpret_cast<void *>(base), 0xFF, bytes);
  hmEmuRegisterNamedBuffer(reinterpret_cast<void *>(base), bytes, what);
}

HM_EMU_EXPORT void hm_emu_unregister_alloc(int64_t base) {
  hmEmuUnregisterBuffer(reinterpret_cast<void *>(base));
}

//===----------------------------------------------------------------------===//
// Out-of-bounds accesses
//===----------------------------------------------------------------------===//

HM_EMU_EXPORT void hm_emu_report_oob(int64_t *context, const char *site,
                                     int64_t rank,
                                     const int64_t *indicesAndShape,
                                     int64_t base, int64_t linearIndex,
                                     int64_t elementBytes) {
  // site = "op\x1fspace\x1ftype\x1flocation" (see BoundsChecks.cpp).
  std::string fields[4];
  const char *cursor = site;
  for (int i = 0; i < 4; ++i) {
    const char *end = strchr(cursor, '\x1f');
    if (!end || i == 3) {
      fields[i] = cursor;
      break;
    }
    fields[i].assign(cursor, end);
    cursor = end + 1;
  }
  std::string indices, shape;
  for (int64_t i = 0; i < rank; ++i) {
    indices += (i ? ", " : "") + std::to_string(indicesAndShape[i]);
    shape += (i ? ", " : "") + std::to_string(indicesAndShape[rank + i]);
  }
  std::string message = "out-of-bounds " + fields[0] + " on " + fields[1] +
                        " memory at " + fields[3] + "\n  index [" + indices +
                        "] is outside " + fields[2] + " (shape [" + shape +
                        "])";
  uintptr_t address = static_cast<uintptr_t>(base) +
                      static_cast<uintptr_t>(linearIndex * elementBytes);
  if (fields[1] == "global")
    message += "\n  " + describeAddress(address);
  reportError(reinterpret_cast<Thread *>(context), message);
}

//===----------------------------------------------------------------------===//
// Shared-memory races
//===----------------------------------------------------------------------===//

/// "thread (x,y,z)" of the thread with linear index `index` in its block.
static std::string describeThreadIndex(const Thread &thread, int64_t index) {
  using namespace mlir::hm::emu;
  const int64_t *c = thread.context;
  int64_t bx = c[kBlockDimX], by = c[kBlockDimX + 1];
  return "thread (" + std::to_string(index % bx) + "," +
         std::to_string((index / bx) % by) + "," +
         std::to_string(index / (bx * by)) + ")";
}

/// Reports the first race of a block (the rest of the block's are counted
/// only through this one report, to keep the output readable).
[[gnu::noinline]] static void reportRace(Thread &thread, int64_t offset,
                                         int64_t bytes, bool isWrite,
                                         uint64_t other, bool otherWrote,
                                         const char *site) {
  thread.shadow->reported = true;
  std::string otherThread =
      other == SharedShadow::kManyReaders
          ? std::string("other threads")
          : describeThreadIndex(thread, static_cast<int64_t>(other) - 1);
  reportError(&thread,
              std::string("shared-memory race: the thread ") +
                  (isWrite ? "writes " : "reads ") + std::to_string(bytes) +
                  " bytes at offset " + std::to_string(offset) +
                  " of workgroup memory at " + site + "\n  that " +
                  otherThread + (otherWrote ? " wrote" : " read") +
                  " since the last gpu.barrier (no barrier orders the two "
                  "accesses)");
}

HM_EMU_EXPORT void hm_emu_shared_access(int64_t *context, int64_t address,
                                        int64_t bytes, int64_t isWrite,
                                        const char *site) {
  using namespace mlir::hm::emu;
  Thread &thread = *reinterpret_cast<Thread *>(context);
  SharedShadow *shadow = thread.shadow;
  int64_t offset = address - context[kSharedBase];
  // Out-of-bounds accesses are reported (and skipped) by the bounds checks.
  if (!shadow || offset < 0 || offset + bytes > context[kSharedBytes])
    return;
  if (static_cast<int64_t>(shadow->entries.size()) < context[kSharedBytes])
    shadow->entries.assign(context[kSharedBytes], 0);
  // Entry: epoch << 32 | writer << 16 | reader. Accesses usually find the
  // same entry in all their bytes (an element accessed as a whole): decide
  // once, and write only when something changes.
  const uint64_t self = static_cast<uint64_t>(thread.index) + 1;
  const uint64_t epoch = static_cast<uint64_t>(shadow->epoch) << 32;
  uint64_t *entries = shadow->entries.data() + offset;
  uint64_t first = entries[0];
  bool uniform = true;
  for (int64_t i = 1; i < bytes; ++i)
    uniform &= entries[i] == first;
  for (int64_t i = 0; i < bytes; i += uniform ? bytes : 1) {
    uint64_t entry = entries[i];
    if ((entry & ~uint64_t(0xFFFFFFFF)) != epoch)
      entry = epoch; // nothing recorded in this epoch yet
    uint64_t writer = (entry >> 16) & 0xFFFF;
    uint64_t reader = entry & 0xFFFF;
    uint64_t updated;
    if (isWrite) {
      uint64_t other = writer && writer != self   ? writer
                       : reader && reader != self ? reader
                                                  : 0;
      if (other && !shadow->reported)
        reportRace(thread, offset, bytes, true, other, other == writer, site);
      updated = epoch | (self << 16) | reader;
    } else {
      if (writer && writer != self && !shadow->reported)
        reportRace(thread, offset, bytes, false, writer, true, site);
      uint64_t newReader =
          reader == 0 || reader == self ? self : SharedShadow::kManyReaders;
      updated = epoch | (writer << 16) | newReader;
    }
    if (updated == entries[i])
      continue;
    if (uniform)
      std::fill(entries, entries + bytes, updated);
    else
      entries[i] = updated;
  }
}
