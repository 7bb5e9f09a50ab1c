// RUN: hm-opt %s --split-input-file --convert-tilegraph-to-gpu="arch=sm_9" -verify-diagnostics
// RUN: not hm-opt %s --convert-tilegraph-to-gpu="block-size=100" 2>&1 | FileCheck %s --check-prefix=BLOCK

// expected-error @+1 {{convert-tilegraph-to-gpu: unknown arch 'sm_9'}}
func.func @unknown_arch() {
  return
}
// BLOCK: 'block-size' must be a positive multiple of 32 and at most 1024, got 100
