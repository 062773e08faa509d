"""follow.py: the numbers behind bench/follow.sh (issue 19).

Usage: follow.py TLSDIAG SEED WORKDIR HOURS_SMALL HOURS_BIG RATE GROUPS

memory: "tlsdiag report --follow" reads a log of HOURS_SMALL hours of
failures (RATE a second, spread over GROUPS failure groups, record times
one after the other), then one of HOURS_BIG hours; each run's peak RSS
(VmHWM) once it has read everything, and their ratio.
latency: with the follower running on an empty directory, 20 records of
new groups are appended 0.2 s apart; the time from each write to its
new_group line.  Prints "key value" lines.
"""
import json
import os
import signal
import subprocess
import sys
import time

tlsdiag, seed, work = sys.argv[1:4]
h_small, h_big, rate, groups = (float(sys.argv[4]), float(sys.argv[5]),
                                int(sys.argv[6]), int(sys.argv[7]))
template = next(json.loads(l) for l in open(seed)
                if '"tls_failure"' in l)


def record(t, g):
    r = json.loads(json.dumps(template))
    r["@timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%S",
                                    time.gmtime(t)) + ".%06dZ" % int(t % 1 * 1e6)
    r.setdefault("tls", {}).setdefault("client", {})["server_name"] = \
        "g%d.example" % g
    return json.dumps(r, separators=(",", ":")) + "\n"


def write_log(path, hours):
    n = int(hours * 3600 * rate)
    start = 1796000000.0
    with open(path, "w") as f:
        for i in range(n):
            f.write(record(start + i / rate, i % groups))
    return n


def wait_for(path, pred, timeout):
    end = time.time() + timeout
    while time.time() < end:
        with open(path) as f:
            for line in f:
                if pred(line):
                    return True
        time.sleep(0.005)
    return False


def peak(hours, tag):
    d = os.path.join(work, tag)
    os.mkdir(d)
    n = write_log(os.path.join(d, "a.jsonl"), hours)
    out = os.path.join(work, tag + ".out")
    p = subprocess.Popen([tlsdiag, "report", "--follow", "--format",
                          "ndjson", d], stdout=open(out, "w"))
    want = '"failures":%d,' % n
    ok = wait_for(out, lambda l: want in l, 600)
    hwm = 0
    for line in open("/proc/%d/status" % p.pid):
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    p.send_signal(signal.SIGTERM)
    p.wait()
    if not ok:
        sys.exit("follow.py: %s: not all %d records read" % (tag, n))
    return n, hwm


n1, m1 = peak(h_small, "small")
n2, m2 = peak(h_big, "big")
print("records_small %d" % n1)
print("records_big %d" % n2)
print("hwm_small_kb %d" % m1)
print("hwm_big_kb %d" % m2)
print("hwm_ratio %.2f" % (m2 / m1))

d = os.path.join(work, "live")
os.mkdir(d)
out = os.path.join(work, "live.out")
p = subprocess.Popen([tlsdiag, "report", "--follow", "--format", "ndjson",
                      d], stdout=open(out, "w"))
time.sleep(0.5)
lat = []
with open(os.path.join(d, "a.jsonl"), "a") as f:
    for i in range(20):
        line = record(time.time(), 1000 + i)
        t0 = time.time()
        f.write(line)
        f.flush()
        sni = '"sni":"g%d.example"' % (1000 + i)
        if not wait_for(out, lambda l: sni in l, 5):
            sys.exit("follow.py: group %d never announced" % i)
        lat.append(time.time() - t0)
        time.sleep(0.2)
p.send_signal(signal.SIGTERM)
p.wait()
lat.sort()
print("latency_median_ms %.0f" % (lat[len(lat) // 2] * 1000))
print("latency_max_ms %.0f" % (lat[-1] * 1000))
