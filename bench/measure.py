#!/usr/bin/env python3
"""Runs one command and prints its wall time (s) and peak memory (MB) as JSON.

Peak memory is the largest resident set of any process in the command's tree that exited and was waited
for (getrusage(RUSAGE_CHILDREN).ru_maxrss, KiB on Linux), so `npm run synth` reports its node child.
One measurement per Python process: the figure is a running maximum over all children.
"""
import json
import resource
import subprocess
import sys
import time

command = sys.argv[1:]
if not command:
    sys.exit("usage: measure.py COMMAND [ARG...]")
start = time.perf_counter()
result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"exit": result.returncode, "seconds": round(wall, 3), "peak_mb": round(peak_kib / 1024, 1),
                  "stderr": result.stderr.decode(errors="replace")[-2000:]}))
