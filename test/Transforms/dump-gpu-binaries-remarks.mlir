// RUN: rm -rf %t && hm-opt %s --hm-dump-gpu-binaries="output-dir=%t remarks=true" -verify-diagnostics -o /dev/null

// expected-remark @+1 {{wrote}}
gpu.binary @kernel [#gpu.object<#nvvm.target<chip = "sm_90">, assembly = "ptx">]
