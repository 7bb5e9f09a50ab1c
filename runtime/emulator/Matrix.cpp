//===- Matrix.cpp - Warp-collective matrix operations of the emulator -----===//
//
// The runtime half of gpu.subgroup_mma_*: every lane holds the whole
// fragment (row-major), so the lanes of a warp meet at each load, store and
// multiply to check that they execute it together and agree on its operands;
// the multiply itself runs natively, f16 products accumulated in f32.
//
// nvvm.mma.sync (m16n8k16, bf16 -> f32) is the other kind: each lane holds
// only its registers, in PTX's fragment layout. The lanes exchange pointers
// to their registers, each computes its four elements of D, and a second
// meeting keeps every lane's registers alive until all have read them.
//
//===----------------------------------------------------------------------===//

#include "Runtime.h"

#include <cmath>
#include <cstring>

using namespace hm::emu;
using namespace mlir::hm::emu;

namespace {

float halfToFloat(uint16_t half) {
  uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1F;
  uint32_t mantissa = half & 0x3FF;
  uint32_t bits;
  if (exponent == 0x1F) { // inf, NaN
    bits = sign | 0x7F800000 | (mantissa << 13);
  } else if (exponent != 0) { // normal
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) { // zero
    bits = sign;
  } else { // subnormal: mantissa * 2^-24, exact in float
    float value = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -value : value;
  }
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// Rounds to nearest even, like cvt.rn.f16.f32.
uint16_t floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7FFFFFFF;
  if (magnitude >= 0x7F800000) // inf, NaN (kept quiet)
    return sign | 0x7C00 | (magnitude > 0x7F800000 ? 0x200 : 0);
  if (magnitude >= 0x477FF000) // rounds to >= 65520: overflow
    return sign | 0x7C00;
  if (magnitude < 0x38800000) { // below the smallest normal half
    // Subnormal halves are multiples of 2^-24: round value * 2^24.
    float scaled = std::ldexp(std::fabs(value), 24);
    return sign | static_cast<uint16_t>(std::nearbyint(scaled));
  }
  uint32_t rounded = magnitude + 0xFFF + ((magnitude >> 13) & 1);
  return sign | static_cast<uint16_t>((rounded - 0x38000000) >> 13);
}

/// bf16 is the upper half of an f32: exact.
float bfloat16ToFloat(uint16_t bits) {
  uint32_t word = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &word, sizeof(value));
  return value;
}

float loadElement(const void *base, int64_t type, int64_t index) {
  if (type == kMatrixF16)
    return halfToFloat(static_cast<const uint16_t *>(base)[index]);
  return static_cast<const float *>(base)[index];
}

void storeElement(void *base, int64_t type, int64_t index, float value) {
  if (type == kMatrixF16)
    static_cast<uint16_t *>(base)[index] = floatToHalf(value);
  else
    static_cast<float *>(base)[index] = value;
}

int64_t elementBytes(int64_t type) { return type == kMatrixF16 ? 2 : 4; }

/// FNV-1a over `bytes` bytes, continuing from `hash`.
uint64_t hashBytes(const void *data, int64_t bytes,
                   uint64_t hash = 0xCBF29CE484222325ull) {
  const auto *p = static_cast<const unsigned char *>(data);
  for (int64_t i = 0; i < bytes; ++i)
    hash = (hash ^ p[i]) * 0x100000001B3ull;
  return hash;
}

/// Meets the other lanes of the warp at `site` with `key`; the lowest lane
/// whose key differs from lane 0's reports `what`. A matrix operation needs
/// a full warp: lane 0 of a partial one reports it.
void meetInWarp(int64_t *context, int64_t key, const char *site,
                const char *what) {
  Thread &thread = *reinterpret_cast<Thread *>(context);
  int64_t *keys = exchangeInWarp(thread, key, site, kWarpSize);
  if (!thread.block)
    return; // one thread at a time: no partners to compare with
  int64_t lane = context[kLaneId];
  int64_t lanes = context[kWarpLanes];
  if (lanes < kWarpSize) {
    if (lane == 0)
      reportError(&thread, "warp-collective matrix operation at " +
                               std::string(site) + " in a warp of " +
                               std::to_string(lanes) +
                               " threads: it needs all 32 lanes");
    return;
  }
  for (int64_t other = 1; other < lanes; ++other) {
    if (keys[other] == keys[0])
      continue;
    if (other == lane)
      reportError(&thread,
                  "non-uniform warp-collective matrix operation at " +
                      std::string(site) + ": lane " + std::to_string(lane) +
                      " passes a different " + what +
                      " than lane 0 (every lane of the warp must pass the "
                      "same)");
    return;
  }
}

/// One lane's multiplicand registers of mma.sync m16n8k16 (bf16 pairs).
struct MmaSyncRegisters {
  uint32_t a[4];
  uint32_t b[2];
};

/// Element `k` (0..15) of a bf16 pair register: the lower k in the low half.
float pairElement(uint32_t word, int64_t k) {
  return bfloat16ToFloat(
      static_cast<uint16_t>(k % 2 ? word >> 16 : word & 0xFFFF));
}

/// nvvm.mma.sync m16n8k16.row.col.f32.bf16.bf16.f32 for the calling lane
/// (g = lane / 4, t = lane % 4): A element (r, k) is in lane
/// (r % 8) * 4 + (k % 8) / 2, register r / 8 + 2 * (k / 8); B element
/// (k, n) in lane n * 4 + (k % 8) / 2, register k / 8; D element i of the
/// lane is (g + 8 * (i / 2), 2t + i % 2).
void mmaSyncM16N8K16(int64_t *context, float *d, const uint32_t *a,
                     const uint32_t *b, const float *c, const char *site) {
  Thread &thread = *reinterpret_cast<Thread *>(context);
  MmaSyncRegisters mine;
  std::memcpy(mine.a, a, sizeof(mine.a));
  std::memcpy(mine.b, b, sizeof(mine.b));
  std::memcpy(d, c, 4 * sizeof(float));
  int64_t *lanes = exchangeInWarp(
      thread, static_cast<int64_t>(reinterpret_cast<uintptr_t>(&mine)), site,
      kWarpSize);
  if (!thread.block)
    return; // one thread at a time: no partners (the pass uses fibers)
  Warp &warp = thread.block->warps[thread.index / kWarpSize];
  int64_t lane = context[kLaneId];
  if (context[kWarpLanes] < kWarpSize) {
    if (lane == 0)
      reportError(&thread, "warp-collective matrix operation at " +
                               std::string(site) + " in a warp of " +
                               std::to_string(context[kWarpLanes]) +
                               " threads: it needs all 32 lanes");
  } else if (warp.exitedMask == 0) {
    // (A lane that exited was reported as divergence; its slot is stale.)
    auto registers = [&](int64_t owner) {
      return reinterpret_cast<const MmaSyncRegisters *>(
          static_cast<uintptr_t>(lanes[owner]));
    };
    int64_t group = lane / 4, inGroup = lane % 4;
    for (int64_t i = 0; i < 4; ++i) {
      int64_t row = group + 8 * (i / 2), column = 2 * inGroup + i % 2;
      float sum = c[i];
      for (int64_t k = 0; k < 16; ++k) {
        float x = pairElement(
            registers((row % 8) * 4 + (k % 8) / 2)->a[row / 8 + 2 * (k / 8)],
            k);
        float y = pairElement(
            registers(column * 4 + (k % 8) / 2)->b[k / 8], k);
        sum += x * y; // exact product, f32 sum in k order
      }
      d[i] = sum;
    }
  }
  exchangeInWarp(thread, 0, site, kWarpSize);
}

} // namespace

HM_EMU_EXPORT void hm_emu_mma_sync(int64_t *context, int64_t address,
                                   const void *fragment, int64_t fragmentBytes,
                                   const char *site) {
  meetInWarp(context, address, site, "address");
  if (fragment)
    meetInWarp(context, static_cast<int64_t>(hashBytes(fragment, fragmentBytes)),
               site, "fragment to store");
}

HM_EMU_EXPORT void hm_emu_mma_compute(int64_t *context, void *d, const void *a,
                                      const void *b, const void *c, int64_t m,
                                      int64_t n, int64_t k, int64_t types,
                                      const char *site) {
  if (types & kMatrixLaneRegisters) {
    int64_t expected = kMatrixBF16 | kMatrixBF16 << 8 | kMatrixF32 << 16 |
                       kMatrixF32 << 24 | kMatrixLaneRegisters;
    if (m != 16 || n != 8 || k != 16 || types != expected) {
      if (context[kLaneId] == 0)
        reportError(reinterpret_cast<Thread *>(context),
                    "unsupported warp-collective matrix operation at " +
                        std::string(site) +
                        ": the emulator runs nvvm.mma.sync m16n8k16 with "
                        "bf16 A (row) and B (col) and f32 C and D only");
      return;
    }
    mmaSyncM16N8K16(context, static_cast<float *>(d),
                    static_cast<const uint32_t *>(a),
                    static_cast<const uint32_t *>(b),
                    static_cast<const float *>(c), site);
    return;
  }
  int64_t aType = types & 0xFF, bType = (types >> 8) & 0xFF;
  int64_t cType = (types >> 16) & 0xFF, dType = (types >> 24) & 0xFF;
  uint64_t hash = hashBytes(a, m * k * elementBytes(aType));
  hash = hashBytes(b, k * n * elementBytes(bType), hash);
  hash = hashBytes(c, m * n * elementBytes(cType), hash);
  meetInWarp(context, static_cast<int64_t>(hash), site, "A, B or C fragment");
  // Products of halves are exact in f32; sums are rounded in f32, in k order.
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      float sum = loadElement(c, cType, i * n + j);
      for (int64_t p = 0; p < k; ++p)
        sum += loadElement(a, aType, i * k + p) *
               loadElement(b, bType, p * n + j);
      storeElement(d, dType, i * n + j, sum);
    }
  }
}
