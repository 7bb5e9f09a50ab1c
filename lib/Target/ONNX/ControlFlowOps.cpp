#include "Importer.h"
using namespace mlir;
void mlir::hm::onnx_import::populateControlFlowConverters(ConverterMap &) {}
