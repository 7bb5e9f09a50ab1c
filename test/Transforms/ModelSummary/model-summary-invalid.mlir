// RUN: hm-opt %s --hm-model-summary="format=yaml" -o /dev/null --verify-diagnostics --split-input-file
// RUN: not hm-opt %s --hm-model-summary="arch=sm_99" -o /dev/null 2>&1 | FileCheck %s --check-prefix=ARCH
// RUN: not hm-opt %s --hm-model-summary="block-size=0" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BLOCK

// expected-error @below {{hm-model-summary: unknown format 'yaml'; expected 'text' or 'json'}}
module {
}

// ARCH: hm-model-summary: unknown arch 'sm_99'
// BLOCK: hm-model-summary: 'block-size' must be positive
