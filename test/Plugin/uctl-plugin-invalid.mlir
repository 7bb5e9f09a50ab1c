// The dialect's verifiers run inside upstream mlir-opt too.
// RUN: mlir-opt %s --load-dialect-plugin=%hm_plugin --verify-diagnostics -o /dev/null

func.func @ssa_predicate(%c: i1) {
  // expected-error @+1 {{must be a predicate in device memory}}
  uctl.if %c : i1 {
  }
  return
}
