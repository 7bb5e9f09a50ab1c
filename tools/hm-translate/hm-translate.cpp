//===- hm-translate.cpp - Translations into HeavyMetal's input IR ---------===//
//
//   hm-translate --import-onnx model.onnx [--dim NAME=SIZE ...] [--elide]
//                [--emit-bytecode] [-o out.mlir]
//
// mlir-translate with HeavyMetal's translations. --import-onnx turns an ONNX
// model into a func.func on tensors (linalg, tensor, arith, math, scf);
// docs/ONNX.md is the manual.
//
//===----------------------------------------------------------------------===//

#include "HeavyMetal/Target/ONNX/ONNXImporter.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {
/// The options of --import-onnx. They live in main() for the whole run.
struct ONNXImportCLOptions {
  cl::OptionCategory category{"ONNX import options (--import-onnx)"};
  cl::list<std::string> dims{
      "dim",
      cl::desc("Give a symbolic input dimension a size: NAME=SIZE, with NAME "
               "the dimension's dim_param (or INPUT:INDEX for an unnamed "
               "one); repeatable"),
      cl::value_desc("name=size"), cl::cat(category)};
  cl::opt<std::string> functionName{
      "onnx-function-name", cl::desc("Name of the imported function"),
      cl::init("main"), cl::value_desc("name"), cl::cat(category)};
  cl::opt<int64_t> resourceThreshold{
      "onnx-resource-threshold",
      cl::desc("Constants of at least this many bytes become dense_resource "
               "blobs (default 64)"),
      cl::init(64), cl::value_desc("bytes"), cl::cat(category)};
  cl::opt<bool> elide{
      "elide",
      cl::desc("Print large constants and resource blobs elided: small, "
               "readable IR (that cannot be parsed back)"),
      cl::cat(category)};
  cl::opt<bool> emitBytecode{
      "emit-bytecode",
      cl::desc("Write MLIR bytecode instead of text (weights stay binary)"),
      cl::cat(category)};
};

/// Prints diagnostics as `MODEL: error: MESSAGE`: locations inside a binary
/// model have no line to show.
class ModelDiagnosticPrinter {
public:
  ModelDiagnosticPrinter(MLIRContext *context, llvm::StringRef modelPath)
      : handler(context, [modelPath = modelPath.str()](Diagnostic &diag) {
          print(modelPath, diag);
          return success();
        }) {}

private:
  static void print(llvm::StringRef modelPath, Diagnostic &diag) {
    llvm::raw_ostream &os = llvm::errs();
    auto severity = [](DiagnosticSeverity s) {
      switch (s) {
      case DiagnosticSeverity::Error:
        return "error";
      case DiagnosticSeverity::Warning:
        return "warning";
      case DiagnosticSeverity::Note:
        return "note";
      case DiagnosticSeverity::Remark:
        return "remark";
      }
      return "error";
    };
    os << modelPath << ": " << severity(diag.getSeverity()) << ": " << diag
       << "\n";
    for (Diagnostic &note : diag.getNotes())
      os << modelPath << ": note: " << note << "\n";
  }
  ScopedDiagnosticHandler handler;
};
} // namespace

/// Drops the data of the resource blobs larger than `limit` bytes. MLIR's
/// printer hex-encodes a blob before deciding to elide it; with --elide the
/// data is never shown, so it is released instead (seconds on BERT-base).
static void releaseLargeResourceData(ModuleOp module, size_t limit) {
  module.walk([&](Operation *op) {
    for (NamedAttribute attr : op->getAttrs()) {
      auto resource = dyn_cast<DenseResourceElementsAttr>(attr.getValue());
      if (!resource)
        continue;
      DenseResourceElementsHandle handle = resource.getRawHandle();
      AsmResourceBlob *blob = handle.getBlob();
      if (blob && blob->getData().size() > limit)
        handle.getResource()->setBlob(AsmResourceBlob());
    }
  });
}

int main(int argc, char **argv) {
  ONNXImportCLOptions cli;
  TranslateRegistration importONNX(
      "import-onnx",
      "Import an ONNX model (.onnx) as a func.func on tensors (linalg, "
      "tensor, arith, math, scf)",
      [&](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
          llvm::raw_ostream &output, MLIRContext *context) -> LogicalResult {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        ModelDiagnosticPrinter printer(context, buffer->getBufferIdentifier());
        hm::ONNXImportOptions options;
        options.functionName = cli.functionName;
        options.resourceThresholdBytes = cli.resourceThreshold;
        for (const std::string &spec : cli.dims) {
          std::string error;
          auto dim = hm::parseDimSizeOption(spec, error);
          if (!dim)
            return emitError(UnknownLoc::get(context)) << error;
          options.dimSizes.push_back(*dim);
        }
        OwningOpRef<ModuleOp> module =
            hm::importONNXModel(buffer->getMemBufferRef(), context, options);
        if (!module)
          return failure();
        if (cli.emitBytecode)
          return writeBytecodeToFile(*module, output);
        OpPrintingFlags flags;
        if (cli.elide) {
          // Every blob is elided (the smallest ones are shown inline as
          // `dense` anyway, --onnx-resource-threshold).
          releaseLargeResourceData(*module, 0);
          flags.elideLargeElementsAttrs(16).elideLargeResourceString(0);
        }
        module->print(output, flags);
        return success();
      });
  return failed(mlirTranslateMain(argc, argv, "HeavyMetal translation tool"));
}
