"""Turns lit's closing counts into one line: 'lit: N passed, N failed, N skipped'."""

import re
import sys

counts = {}
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        match = re.match(r"\s+(Passed|Failed|Unsupported|Unresolved|Timed Out|"
                         r"Expectedly Failed|Unexpectedly Passed|Excluded|"
                         r"Skipped)\s*:\s*(\d+)", line)
        if match:
            counts[match.group(1)] = int(match.group(2))

passed = counts.get("Passed", 0) + counts.get("Expectedly Failed", 0)
failed = (counts.get("Failed", 0) + counts.get("Unresolved", 0) +
          counts.get("Timed Out", 0) + counts.get("Unexpectedly Passed", 0))
skipped = counts.get("Unsupported", 0) + counts.get("Skipped", 0)
print(f"lit: {passed} passed, {failed} failed, {skipped} skipped")
