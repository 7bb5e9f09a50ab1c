// RUN: hm-opt %s --hm-print-cost-model=arch=sm_9 -verify-diagnostics -o /dev/null

// The arch option names a built-in description; anything else is an error
// that lists the valid names.
// expected-error @+1 {{hm-print-cost-model: unknown arch 'sm_9'; expected one of: sm_70, v100, sm_80, a100, sm_90, h100}}
module {
}
