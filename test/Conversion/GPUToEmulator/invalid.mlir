// RUN: hm-opt %s --convert-gpu-to-emulator --split-input-file -verify-diagnostics

// Every error convert-gpu-to-emulator emits names the operation it cannot
// emulate; nothing is dropped silently.

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @rotate(%v: f32) kernel {
      // expected-error @below {{'gpu.rotate' op is not supported by the GPU emulator}}
      %r, %ok = gpu.rotate %v, 1, 32 : f32
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @vector_shuffle(%v: vector<2xf16>) kernel {
      %c1 = arith.constant 1 : i32
      %c32 = arith.constant 32 : i32
      // expected-error @below {{'gpu.shuffle' op on 'vector<2xf16>' is not supported by the GPU emulator (scalars of at most 64 bits only)}}
      %r, %ok = gpu.shuffle xor %v, %c1, %c32 : vector<2xf16>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @vector_reduce(%v: vector<4xf32>) kernel {
      // expected-error @below {{'gpu.subgroup_reduce' op on 'vector<4xf32>' is not supported by the GPU emulator (scalars of at most 64 bits only)}}
      %r = gpu.subgroup_reduce add %v : (vector<4xf32>) -> vector<4xf32>
      gpu.return
    }
  }
}

// -----

func.func @not_outlined() {
  %c1 = arith.constant 1 : index
  // expected-error @below {{'gpu.launch' op must be outlined before the GPU emulator runs (gpu-kernel-outlining; hm-emulator-pipeline does it)}}
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    gpu.terminator
  }
  return
}

// -----

func.func @token_escapes() -> !gpu.async.token {
  %t = gpu.wait async
  // expected-error @below {{'func.return' op uses the !gpu.async.token of 'gpu.wait'; the GPU emulator runs GPU operations synchronously and supports tokens only as dependencies of GPU operations}}
  return %t : !gpu.async.token
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @fixed(%m: memref<4xf32>) kernel attributes {known_block_size = array<i32: 4, 1, 1>} {
      gpu.return
    }
  }
  func.func @wrong_block_size(%m: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    %c8 = arith.constant 8 : index
    // expected-error @below {{'gpu.launch_func' op launches @kernels::@fixed with block size 8 in dimension 0, but the kernel's known_block_size is 4}}
    gpu.launch_func @kernels::@fixed blocks in (%c1, %c1, %c1) threads in (%c8, %c1, %c1) args(%m : memref<4xf32>)
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @dynamic_shared(%n: index) kernel {
      // expected-error @below {{'memref.alloc' op workgroup memory of type 'memref<?xf32, #gpu.address_space<workgroup>>' is not supported by the GPU emulator (static shapes with identity layout and numeric elements only)}}
      %s = memref.alloc(%n) : memref<?xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    func.func @helper() {
      // expected-error @below {{'memref.alloca' op in a device function is not supported by the GPU emulator (workgroup memory only in kernels)}}
      %s = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
      return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @below {{'gpu.func' op has an argument of type 'memref<*xf32>' that the GPU emulator cannot pass}}
    gpu.func @unranked(%m: memref<*xf32>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @below {{'llvm.func' op in a gpu.module is not supported by the GPU emulator}}
    llvm.func @device() {
      llvm.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  func.func private @external(i32)
  gpu.module @kernels {
    // expected-error @below {{'func.func' op conflicts with the host function @external of type '(i32) -> ()'}}
    func.func private @external(f32)
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @indirect(%f: () -> ()) kernel {
      // expected-error @below {{'func.call_indirect' op in a kernel is not supported by the GPU emulator}}
      func.call_indirect %f() : () -> ()
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k() kernel {
      gpu.return
    }
  }
  func.func @cluster() {
    %c1 = arith.constant 1 : index
    // expected-error @below {{'gpu.launch_func' op with a cluster size is not supported by the GPU emulator}}
    gpu.launch_func @kernels::@k clusters in (%c1, %c1, %c1) blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}

// -----

func.func @strided_alloc() {
  // expected-error @below {{'gpu.alloc' op of 'memref<4x4xf32, strided<[8, 1]>>' is not supported by the GPU emulator (identity layouts of numeric elements only)}}
  %m = gpu.alloc() : memref<4x4xf32, strided<[8, 1]>>
  return
}

// -----

module attributes {gpu.container_module} {
  // expected-error @below {{'gpu.binary' op holds compiled kernels, which the GPU emulator cannot run; emulate the module before gpu-module-to-binary}}
  gpu.binary @kernels [#gpu.object<#nvvm.target, "">]
}

// -----

func.func @host_op() -> index {
  // expected-error @below {{'gpu.subgroup_size' op in host code is not supported by the GPU emulator}}
  %n = gpu.subgroup_size : index
  return %n : index
}
