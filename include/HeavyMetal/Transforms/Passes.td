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

#endif // HEAVYMETAL_TRANSFORMS_PASSES_TD
