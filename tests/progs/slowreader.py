"""slowreader.py: a log reader slower than the writer.

usage: slowreader.py FIFO OUT READY STOP

Opens FIFO read-write (so it never reads end-of-file while the shim has it
closed between records), creates READY, then copies what arrives to OUT
1024 bytes at a time with a 2 ms pause after each read, until the file STOP
exists and nothing has arrived for 0.3 s.
"""

import os
import select
import sys
import time


def main():
    fifo, out, ready, stop = sys.argv[1:5]
    fd = os.open(fifo, os.O_RDWR)
    with open(ready, "w"):
        pass
    with open(out, "wb") as f:
        idle = 0.0
        while True:
            r, _, _ = select.select([fd], [], [], 0.05)
            if not r:
                idle += 0.05
                if os.path.exists(stop) and idle >= 0.3:
                    break
                continue
            idle = 0.0
            f.write(os.read(fd, 1024))
            time.sleep(0.002)


main()
