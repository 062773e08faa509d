#!/usr/bin/env python3
"""gotslots: print the GOT slots of a running process's object (t700).

usage: gotslots.py PID STEM SYMBOL...

For the object mapped in PID whose file name starts with STEM, finds the
JUMP_SLOT and GLOB_DAT relocations of each SYMBOL (readelf -rW on the
file, through /proc/PID/root), reads each slot from /proc/PID/mem and
prints one line per slot, sorted: "SYMBOL VALUE OWNER", OWNER being the
file name of the mapping VALUE points into ("?" if none).
"""

import os
import struct
import subprocess
import sys


def maps(pid):
    out = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            parts = line.split()
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            off = int(parts[2], 16)
            path = parts[5] if len(parts) > 5 else ""
            out.append((lo, hi, off, path))
    return out


def main():
    pid, stem, syms = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    m = maps(pid)
    obj = [x for x in m if x[2] == 0 and
           os.path.basename(x[3]).startswith(stem)]
    if not obj:
        print(f"gotslots: no {stem} in {pid}", file=sys.stderr)
        return 1
    base, path = obj[0][0], obj[0][3]
    rel = subprocess.run(["readelf", "-rW", f"/proc/{pid}/root{path}"],
                         capture_output=True, text=True, check=True).stdout
    lines = []
    with open(f"/proc/{pid}/mem", "rb") as mem:
        for r in rel.splitlines():
            f = r.split()
            if len(f) < 5 or f[2] not in ("R_X86_64_JUMP_SLOT",
                                           "R_X86_64_GLOB_DAT"):
                continue
            name = f[4].split("@")[0]
            if name not in syms:
                continue
            mem.seek(base + int(f[0], 16))
            v = struct.unpack("<Q", mem.read(8))[0]
            owner = next((os.path.basename(x[3]) for x in m
                          if x[0] <= v < x[1]), "?")
            lines.append(f"{name} {v:#x} {owner}")
    print("\n".join(sorted(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
