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

tools = ["hm-opt", "mlir-opt", "mlir-tblgen"]
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
