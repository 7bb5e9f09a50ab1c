#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds, and runs the whole test suite with lit.
# Ends with one summary line: "lit: N passed, N failed, N skipped".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${HM_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
/usr/bin/python3 /usr/lib/llvm-22/bin/lit -sv "$build_dir/test" 2>&1 | tee "$log" || status=$?
/usr/bin/python3 "$root/scripts/lit_summary.py" "$log"
exit $status
