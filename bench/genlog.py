#!/usr/bin/env python3
"""genlog.py: write a large, realistic tlsdiag log for the analyzer benchmark.

The records are not invented: bench/data/seed.jsonl holds real shim records
captured from the end-to-end tests (Python and curl clients, a Python
server; certificate, EOF, reset, zero-return and protocol failures, with
their real backtraces, plus the start and exit coverage records).  Each
output record is one of those, re-addressed as if it came from a fleet:
host, pid/tid, peer address and port, SNI and the message that names them
vary; timestamps advance over one fixed day however large the output is.

Each variant stands for one process; as the shim does, the first failure
record of a process carries its backtrace, and the later ones carry the
same stack_id with "backtrace_repeat": true instead of the frames.

The number of distinct keys (hosts, processes, peers, call sites) is
bounded by the variant pool, not by the output size, so the 100 MB and
1 GB logs differ only in how many times each kind of record occurs:
exactly the property the analyzer's memory bound is about.

usage: genlog.py SEED OUT SIZE_MB [--seed N] [--failure-share F]
"""

import argparse
import copy
import datetime
import json
import random
import sys

HOSTS = ["web-%02d" % i for i in range(1, 25)]
PEER_NAMES = ["api-%d.example.internal" % i for i in range(1, 41)]
POOL = 4000
DAY_US = 86400 * 1000000
START = datetime.datetime(2026, 11, 27, tzinfo=datetime.timezone.utc)


def peer_of(rng):
    i = rng.randrange(len(PEER_NAMES))
    return PEER_NAMES[i], "10.%d.%d.%d" % (1 + i % 3, i, 10 + i)


def readdress(rec, rng):
    """A copy of rec as if recorded on another host, process and peer."""
    r = copy.deepcopy(rec)
    old_msg = r.get("message", "")
    host = rng.choice(HOSTS)
    pid = rng.randrange(1000, 4000000)
    r["host"] = {"hostname": host}
    proc = r.setdefault("process", {})
    proc["pid"] = pid
    proc["thread"] = {"id": pid if rng.random() < 0.8 else
                      pid + rng.randrange(1, 64)}
    td = r.get("tlsdiag", {})
    if r.get("event", {}).get("action") != "tls_failure":
        return r
    name, ip = peer_of(rng)
    server = td.get("role") == "server"
    src = r.get("source")
    dst = r.get("destination")
    if server:
        # We are the server: the peer is the source, on an ephemeral port.
        if isinstance(src, dict):
            old = "%s:%s" % (src.get("ip"), src.get("port"))
            src["ip"] = ip
            src["port"] = rng.randrange(32768, 61000)
            r["message"] = old_msg.replace(old, "%s:%d" %
                                           (ip, src["port"]))
        if isinstance(dst, dict):
            dst["port"] = rng.choice([443, 8443, 9443])
    else:
        if isinstance(dst, dict):
            old = "%s:%s" % (dst.get("ip"), dst.get("port"))
            dst["ip"] = ip
            dst["port"] = rng.choice([443, 443, 443, 8443, 9443])
            r["message"] = old_msg.replace(old, "%s:%d" %
                                           (ip, dst["port"]))
        if isinstance(src, dict):
            src["port"] = rng.randrange(32768, 61000)
        cl = r.get("tls", {}).get("client")
        if isinstance(cl, dict) and "server_name" in cl:
            cl["server_name"] = name
        if "check_host" in td:
            td["check_host"] = name
    if isinstance(td.get("bytes"), dict) and td["bytes"].get("read"):
        td["bytes"]["read"] = rng.randrange(1, 200000)
    return r


def repeat_of(rec):
    """rec as the shim writes it when this process already wrote the
    same stack's frames into the log: backtrace_repeat in its place."""
    td = rec.get("tlsdiag", {})
    if "backtrace" not in td or "stack_id" not in td:
        return None
    r = dict(rec)
    r["tlsdiag"] = {("backtrace_repeat" if k == "backtrace" else k):
                    (True if k == "backtrace" else v)
                    for k, v in td.items()}
    return r


def template(rec):
    """Serialize rec with the timestamp first, split around it."""
    rec = dict(rec)
    rec["@timestamp"] = "\0"
    line = json.dumps(rec, separators=(",", ":"), ensure_ascii=True)
    pre, post = line.split('"\\u0000"', 1)
    return pre + '"', '"' + post + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed")
    ap.add_argument("out")
    ap.add_argument("size_mb", type=float)
    ap.add_argument("--seed", type=int, default=7, dest="rseed")
    ap.add_argument("--failure-share", type=float, default=0.8,
                    help="share of tls_failure records (default 0.8)")
    a = ap.parse_args()
    rng = random.Random(a.rseed)

    seeds = {"tls_failure": [], "other": []}
    with open(a.seed) as f:
        for line in f:
            rec = json.loads(line)
            k = ("tls_failure" if rec["event"]["action"] == "tls_failure"
                 else "other")
            seeds[k].append(rec)
    pool = []
    for _ in range(POOL):
        kind = ("tls_failure" if rng.random() < a.failure_share
                else "other")
        rec = readdress(rng.choice(seeds[kind]), rng)
        rep = repeat_of(rec)
        pool.append((template(rec), template(rep) if rep else None))
    target = int(a.size_mb * 1024 * 1024)
    seen = set()
    written = 0
    n = 0
    start_us = int(START.timestamp()) * 1000000
    out = open(a.out, "w", buffering=1 << 20)
    # timestamps: spread over the day by the bytes written so far
    while written < target:
        us = start_us + int(written / target * DAY_US)
        us = min(us, start_us + DAY_US - 1)
        sec, frac = divmod(us, 1000000)
        ts = time_fmt(sec) + ".%06dZ" % frac
        i = rng.randrange(POOL)
        full, rep = pool[i]
        pre, post = full if rep is None or i not in seen else rep
        seen.add(i)
        line = pre + ts + post
        out.write(line)
        written += len(line)
        n += 1
    out.close()
    print("genlog: %s: %d records, %d bytes, %.0f bytes/record" %
          (a.out, n, written, written / n), file=sys.stderr)


_cache = {}


def time_fmt(sec):
    # One formatting per second of log time, not per record.
    s = _cache.get(sec)
    if s is None:
        if len(_cache) > 4096:
            _cache.clear()
        s = datetime.datetime.fromtimestamp(
            sec, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        _cache[sec] = s
    return s


if __name__ == "__main__":
    main()
