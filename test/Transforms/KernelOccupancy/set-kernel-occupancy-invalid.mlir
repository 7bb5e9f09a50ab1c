// RUN: hm-opt %s --hm-set-kernel-occupancy=min-blocks-per-sm=0 -verify-diagnostics

// expected-error @below {{hm-set-kernel-occupancy: 'min-blocks-per-sm' must be at least 1}}
module {
  gpu.module @kernels {
    gpu.func @k() kernel {
      gpu.return
    }
  }
}
