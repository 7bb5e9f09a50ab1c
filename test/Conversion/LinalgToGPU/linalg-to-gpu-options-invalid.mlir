// RUN: hm-opt %s --verify-diagnostics --pass-pipeline='builtin.module(func.func(convert-linalg-to-gpu{block-size=100}))'

// expected-error @+1 {{convert-linalg-to-gpu: 'block-size' must be a positive multiple of 32 and at most 1024, got 100}}
func.func @bad_block_size() {
  return
}
