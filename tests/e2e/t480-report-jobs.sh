#!/bin/sh
# t480-report-jobs: "tlsdiag report --jobs N" gives the report --jobs 1
# gives, byte for byte, in every format: one large plain file split at
# line boundaries, and several files (plain and gzip'd) spread over the
# threads, with malformed lines mixed in (their samples carry line
# numbers a thread starting mid-file must fix up).  The records come from
# bench/genlog.py (real shim records in bench/data/seed.jsonl).
. "$(dirname "$0")/lib.sh"

now=--now=2026-11-28T00:00:00Z
"$HPY" "$TOP/bench/genlog.py" "$TOP/bench/data/seed.jsonl" "$tmp/gen.jsonl" \
    6 --seed 480 2>/dev/null || problem "genlog.py failed"
"$HPY" - "$tmp" <<'PY' || problem "cannot mix in malformed lines"
import random, sys
d = sys.argv[1]
random.seed(480)
bad = [b'{"@timestamp":"2026-11-27T00:00:00Z","event":{"action":"tls_fa',
       b'not json', b'[1,2]', b'{"a":1}', b'{"tlsdiag":{"schema":9}}',
       b'{"@timestamp":"x","event":{"action":"tls_failure"},'
       b'"tlsdiag":{"schema":1}}', b'\x01\xff raw', b'',
       b'{"@timestamp":"2026-11-27T00:00:00Z","event":{"action":"tls_fa'
       b'{"@timestamp":"2026-11-27T00:00:01Z","event":{"action":'
       b'"tlsdiag_start"},"tlsdiag":{"schema":1}}']
lines = open(d + "/gen.jsonl", "rb").read().split(b"\n")[:-1]
out = []
for i, l in enumerate(lines):
    out.append(l)
    # none in the first third: the samples come from later threads
    if i > len(lines) // 3 and random.random() < 0.015:
        out.append(random.choice(bad))
open(d + "/big.jsonl", "wb").write(b"\n".join(out) + b"\n")
n = len(out) // 4
for k in range(4):
    part = out[k * n:(k + 1) * n] if k < 3 else out[3 * n:]
    open(d + "/part%d.jsonl" % k, "wb").write(b"\n".join(part) + b"\n")
PY
gzip "$tmp/part2.jsonl"
# The last file has no final newline: a truncated line.
printf '{"@timestamp":' >>"$tmp/part3.jsonl"

run() {
	_out=$1
	shift
	"$TLSDIAG" report $now --no-symbolize "$@" >"$_out" ||
	    [ $? -eq 1 ] || problem "report $*: exit status $?"
}
for fmt in text json csv ndjson; do
	for j in 1 2 4; do
		run "$tmp/big.$fmt.$j" --format $fmt --jobs $j "$tmp/big.jsonl"
		run "$tmp/many.$fmt.$j" --format $fmt --jobs $j \
		    "$tmp/part0.jsonl" "$tmp/part1.jsonl" \
		    "$tmp/part2.jsonl.gz" "$tmp/part3.jsonl"
	done
	for j in 2 4; do
		cmp -s "$tmp/big.$fmt.1" "$tmp/big.$fmt.$j" || {
			diff -u "$tmp/big.$fmt.1" "$tmp/big.$fmt.$j" | head -20
			problem "$fmt: --jobs $j differs from --jobs 1 (one file)"
		}
		cmp -s "$tmp/many.$fmt.1" "$tmp/many.$fmt.$j" || {
			diff -u "$tmp/many.$fmt.1" "$tmp/many.$fmt.$j" | head -20
			problem "$fmt: --jobs $j differs from --jobs 1 (files)"
		}
	done
done
# The reports are not empty and saw the malformed lines late in the file.
grep -q '^    .*/big.jsonl:[0-9]*: ' "$tmp/big.text.1" ||
    problem "no skipped-line samples in the report"
"$HPY" - "$tmp/big.json.4" "$tmp/big.jsonl" <<'PY' || problem "counts wrong"
import json, sys
r = json.load(open(sys.argv[1]))["input"]
n = open(sys.argv[2], "rb").read().count(b"\n")
# a glued line is a torn record plus a whole one: two for one line
assert r["lines"] == n and r["records"] + r["skipped"] >= n, (r, n)
assert r["skipped"] > 10, r
PY
# --jobs takes 1 to 256.
for bad in 0 257 x; do
	expect_fail "$TLSDIAG" report --jobs $bad "$tmp/big.jsonl"
done
finish
