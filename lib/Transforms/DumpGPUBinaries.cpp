//===- DumpGPUBinaries.cpp - Write gpu.binary objects to files ------------===//
//
// Lets a user get the PTX / cubin that gpu-module-to-binary embedded in the
// IR as files, e.g. to run `ptxas -v` or `cuobjdump` on them.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::hm {
#define GEN_PASS_DEF_DUMPGPUBINARIES
#include "HeavyMetal/Transforms/Passes.h.inc"
} // namespace mlir::hm

using namespace mlir;

#define DEBUG_TYPE "hm-dump-gpu-binaries"

namespace {

StringRef getExtension(gpu::CompilationTarget format) {
  switch (format) {
  case gpu::CompilationTarget::Offload:
    return "ll";
  case gpu::CompilationTarget::Assembly:
    return "ptx";
  case gpu::CompilationTarget::Binary:
    return "cubin";
  case gpu::CompilationTarget::Fatbin:
    return "fatbin";
  }
  llvm_unreachable("unknown compilation target");
}

/// The chip of an object's target, when it has one.
std::string getChip(gpu::ObjectAttr object) {
  if (auto nvvm = dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget()))
    return nvvm.getChip().str();
  return "target";
}

struct DumpGPUBinaries final
    : hm::impl::DumpGPUBinariesBase<DumpGPUBinaries> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (outputDir.empty()) {
      module.emitError("hm-dump-gpu-binaries: 'output-dir' must be given");
      return signalPassFailure();
    }
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir)) {
      module.emitError() << "hm-dump-gpu-binaries: cannot create '"
                         << outputDir << "': " << ec.message();
      return signalPassFailure();
    }
    WalkResult result = module.walk([&](gpu::BinaryOp binary) {
      ArrayAttr objects = binary.getObjects();
      for (Attribute attr : objects) {
        auto object = cast<gpu::ObjectAttr>(attr);
        SmallString<128> path(outputDir);
        std::string name = binary.getSymName().str();
        if (objects.size() > 1)
          name += "." + getChip(object);
        name += "." + getExtension(object.getFormat()).str();
        llvm::sys::path::append(path, name);
        std::error_code ec;
        llvm::raw_fd_ostream os(path, ec);
        if (ec) {
          binary.emitError() << "cannot write '" << path
                             << "': " << ec.message();
          return WalkResult::interrupt();
        }
        os << object.getObject().getValue();
        if (remarks)
          binary.emitRemark() << "wrote " << path;
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
