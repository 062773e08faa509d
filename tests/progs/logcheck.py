"""logcheck.py: check that a tlsdiag log holds only whole records.

usage: logcheck.py FILE...

Every line of every FILE must be one complete JSON object ending in a
newline, encoded as strict UTF-8, with an event.action.  Exits 1 naming
the first line that is not.  Otherwise prints, one per line (sorted):
    lines N
    action ACTION N
    pid PID ACTION N
    threads ACTION DISTINCT          distinct process.thread.id values
    perthread ACTION MIN MAX         fewest and most records of one thread
    coverage PID KEY VALUE           tlsdiag_exit: records, dropped,
                                     suppressed, followups (one per key)
    suppressed-records N             sum of tlsdiag.suppressed over
                                     tlsdiag_suppressed records
"""

import collections
import json
import sys


def bad(name, no, why):
    print("logcheck: %s:%d: %s" % (name, no, why), file=sys.stderr)
    sys.exit(1)


def main():
    out = collections.Counter()
    threads = collections.defaultdict(collections.Counter)
    cov = []
    suppressed = 0
    for name in sys.argv[1:]:
        with open(name, "rb") as f:
            data = f.read()
        if data and not data.endswith(b"\n"):
            bad(name, data.count(b"\n") + 1, "last line has no newline")
        for no, raw in enumerate(data.split(b"\n")[:-1], 1):
            try:
                text = raw.decode("utf-8", "strict")
                rec = json.loads(text)
            except ValueError as e:
                bad(name, no, "not a JSON line: %s: %r" % (e, raw[:200]))
            if not isinstance(rec, dict):
                bad(name, no, "not an object")
            action = rec.get("event", {}).get("action")
            if not isinstance(action, str):
                bad(name, no, "no event.action")
            proc = rec.get("process", {})
            out["lines"] += 1
            out["action %s" % action] += 1
            out["pid %s %s" % (proc.get("pid"), action)] += 1
            threads[action][proc.get("thread", {}).get("id")] += 1
            td = rec.get("tlsdiag", {})
            if action == "tlsdiag_exit":
                c = td.get("coverage", {})
                for k in ("records", "dropped", "suppressed", "followups"):
                    cov.append("coverage %s %s %s" %
                               (proc.get("pid"), k, c.get(k)))
            if action == "tlsdiag_suppressed":
                suppressed += td.get("suppressed", 0)
    lines = ["%s %d" % kv for kv in out.items()]
    for action, per in threads.items():
        lines.append("threads %s %d" % (action, len(per)))
        lines.append("perthread %s %d %d" %
                     (action, min(per.values()), max(per.values())))
    lines.extend(cov)
    lines.append("suppressed-records %d" % suppressed)
    for line in sorted(lines):
        print(line)


main()
