#!/bin/sh
# t405-report-real: golden reports over logs written by the real shim
# (make demo's five clients, and 48 records captured from the end-to-end
# tests: both Pythons, curl, a Python server), in every format.  Call
# sites are not symbolized (--no-symbolize): the modules' debug
# information belongs to the machine that wrote the logs.
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report
want=$TOP/tests/e2e/expected
now=--now=2026-11-27T06:00:00Z
[ -x "$TLSDIAG" ] || fail "'$TLSDIAG' not built"

for fmt in text json csv; do
	"$TLSDIAG" report $now --no-symbolize --no-progress --format "$fmt" \
	    "$data/real-demo.log" "$data/real-e2e.log" >"$tmp/out.$fmt" ||
	    problem "format $fmt: exit status $?"
	diff -u "$want/t405-real.$fmt" "$tmp/out.$fmt" ||
	    problem "format $fmt differs from $want/t405-real.$fmt"
done

# every failure in the input is counted once, whatever the grouping
n=$(grep -c '"action":"tls_failure"' "$data/real-demo.log" \
    "$data/real-e2e.log" | awk -F: '{ s += $2 } END { print s }')
got=$("$HPY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sum(t["count"] for t in d["types"]))' "$tmp/out.json")
[ "$got" = "$n" ] || problem "types add up to $got, the logs hold $n failures"
finish
