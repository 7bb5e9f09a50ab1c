// RUN: rm -rf %t && hm-opt %s --hm-dump-gpu-binaries=output-dir=%t | FileCheck %s --check-prefix=IR
// RUN: FileCheck %s --check-prefix=PTX < %t/single.ptx
// RUN: FileCheck %s --check-prefix=SM80 < %t/multi.sm_80.ptx
// RUN: FileCheck %s --check-prefix=SM90 < %t/multi.sm_90.ptx
// RUN: FileCheck %s --check-prefix=BIN < %t/cubin.cubin
// RUN: not ls %t/multi.ptx

// The pass leaves the IR unchanged.
// IR: gpu.binary @single
// IR: gpu.binary @multi
// IR: gpu.binary @cubin

// PTX: .target sm_90
// PTX-NEXT: .entry single
gpu.binary @single [#gpu.object<#nvvm.target<chip = "sm_90">, assembly = ".target sm_90\0A.entry single\0A">]

// A binary with one object per chip gets the chip in each file name.
// SM80: .target sm_80
// SM90: .target sm_90
gpu.binary @multi [#gpu.object<#nvvm.target<chip = "sm_80">, assembly = ".target sm_80\0A">,
                   #gpu.object<#nvvm.target<chip = "sm_90">, assembly = ".target sm_90\0A">]

// BIN: not really a cubin
gpu.binary @cubin [#gpu.object<#nvvm.target<chip = "sm_90">, bin = "not really a cubin\0A">]
