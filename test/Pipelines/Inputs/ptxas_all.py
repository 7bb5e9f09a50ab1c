"""Assembles every .ptx under a directory with ptxas -v; prints one line per
file and a total; exits 1 if ptxas rejects any file."""

import pathlib
import re
import subprocess
import sys

ptxas, chip, root = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
accepted = rejected = 0
for ptx in sorted(root.rglob("*.ptx")):
    proc = subprocess.run([ptxas, f"-arch={chip}", "-v", str(ptx), "-o",
                           str(ptx.with_suffix(".cubin"))],
                          capture_output=True, text=True)
    name = ptx.relative_to(root).as_posix()
    if proc.returncode == 0:
        accepted += 1
        regs = re.search(r"Used (\d+) registers", proc.stdout + proc.stderr)
        print(f"accepted {name}: {regs.group(1) if regs else '?'} registers")
    else:
        rejected += 1
        print(f"rejected {name}:\n{proc.stderr}")
print(f"ptxas: {accepted} accepted, {rejected} rejected")
sys.exit(1 if rejected else 0)
