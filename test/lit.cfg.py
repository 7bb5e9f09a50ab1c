# -*- Python -*-
# lit configuration of the HeavyMetal test suite.

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "HeavyMetal"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hm_obj_root, "test")
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP", "CUDA_HOME",
                                     "CUDA_ROOT", "CUDA_PATH"])
llvm_config.use_default_substitutions()

hm_tools_dir = os.path.join(config.hm_obj_root, "bin")
# Our tools first; FileCheck, not and upstream mlir-opt from LLVM's bin/.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", hm_tools_dir, append_path=True)

tools = ["hm-opt", "mlir-opt", "mlir-tblgen", "hm-translate"]
tools.append("hm-run")
llvm_config.add_tool_substitutions(tools, [hm_tools_dir, config.llvm_tools_dir])
config.substitutions.append(("%hm_plugin", config.hm_plugin))
config.substitutions.append(("%hm_src_root", config.hm_src_root))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%hm_tools_dir", hm_tools_dir))
config.substitutions.append(("%mlir_include", config.mlir_include_dir))

# 'ptxas': the CUDA toolkit's assembler is usable; cubin tests need it.
ptxas = config.ptxas_executable
if ptxas and os.path.exists(ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
    # gpu-module-to-binary finds ptxas, and the NVVM target libdevice,
    # through CUDA_HOME or PATH.
    llvm_config.with_environment("PATH", os.path.dirname(ptxas),
                                 append_path=True)
    if "CUDA_HOME" not in config.environment:
        config.environment["CUDA_HOME"] = os.path.dirname(
            os.path.dirname(ptxas))

# 'cuda-gpu': a CUDA GPU is actually visible (not merely a toolkit).
def _cuda_gpu_visible():
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    try:
        out = subprocess.run([smi, "-L"], capture_output=True, text=True,
                             timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and "GPU " in out.stdout

if _cuda_gpu_visible():
    config.available_features.add("cuda-gpu")

# 'onnx': python3-onnx is importable, so the ONNX importer's tests can build
# their .onnx models at test time (test/Target/ONNX/Inputs/make_models.py).
def _python_has_onnx():
    try:
        out = subprocess.run([config.python_executable, "-c", "import onnx"],
                             capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0

if _python_has_onnx():
    config.available_features.add("onnx")
# 'torch': python3-torch/torchvision are importable, so hm-bench can export
# its model zoo (test/Python/hm-bench-quick.test).
try:
    if subprocess.run([config.python_executable, "-c",
                       "import torch, torchvision"], capture_output=True,
                      timeout=120).returncode == 0:
        config.available_features.add("torch")
except (OSError, subprocess.SubprocessError):
    pass
# 'onnx-testdata': Debian's libonnx-testdata (the ONNX backend test suite).
if os.path.isdir("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-testdata")

# 'hm-emulator': the GPU emulator's runtime library is built. Its tests under
# test/Integration/Emulator run kernels either through hm-run --device=emu or,
# self-contained, through mlir-runner:
#   hm-opt %s %hm_emu_pipeline %hm_emu_to_llvm | %hm_emu_runner
# %hm_emu_pipeline is hm::buildEmulatorPipeline and %hm_emu_to_llvm
# hm::buildHostToLLVMPipeline, the host lowering hm-run applies after it.
hm_emu_runtime = os.path.join(config.hm_obj_root, "lib",
                              "libHeavyMetalEmuRuntime" + config.llvm_shlib_ext)
if os.path.exists(hm_emu_runtime):
    config.available_features.add("hm-emulator")
hm_llvm_lib_dir = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(("%hm_emu_runtime", hm_emu_runtime))
config.substitutions.append(("%hm_emu_pipeline", "--hm-emulator-pipeline"))
config.substitutions.append(("%hm_emu_to_llvm", "--hm-host-to-llvm-pipeline"))
config.substitutions.append((
    "%hm_emu_runner",
    "mlir-runner -e main -entry-point-result=void -shared-libs=" + ",".join([
        hm_emu_runtime,
        os.path.join(hm_llvm_lib_dir, "libmlir_runner_utils" + config.llvm_shlib_ext),
        os.path.join(hm_llvm_lib_dir, "libmlir_c_runner_utils" + config.llvm_shlib_ext)])))

# 'hm-cuda-runtime': hm-run's CUDA runtime is built (a CUDA toolkit was
# found); running on it also needs 'cuda-gpu' (test/Integration/CUDA).
if os.path.exists(os.path.join(config.hm_obj_root, "lib",
                               "libHeavyMetalCudaRuntime" +
                               config.llvm_shlib_ext)):
    config.available_features.add("hm-cuda-runtime")
# 'hm-fake-cuda': the test-only stand-in for libcuda.so.1 is built; tests
# put %hm_fake_cuda_dir first in LD_LIBRARY_PATH to run --device=cuda's host
# side without a GPU.
hm_fake_cuda_dir = os.path.join(config.hm_obj_root, "lib", "fake-cuda")
if os.path.exists(os.path.join(hm_fake_cuda_dir, "libcuda.so.1")):
    config.available_features.add("hm-fake-cuda")
    config.substitutions.append(("%hm_fake_cuda_dir", hm_fake_cuda_dir))
