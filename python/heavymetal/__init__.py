"""HeavyMetal's Python package: drivers around the hm-opt tool.

MLIR's Python bindings are not packaged for LLVM 22 on Debian, so this package
drives the command-line tools and reads what they write (IR, PTX, ptxas -v).
"""

from heavymetal.compile import CompileResult, KernelInfo, compile_file, find_hm_opt

__all__ = ["CompileResult", "KernelInfo", "compile_file", "find_hm_opt"]
