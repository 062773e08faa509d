#!/bin/sh
# t470-report-coverage: a hand-written log in the shim's current format
# (backtrace frames without symbol names, age_s) with what the exit
# records say could not be seen (a static OpenSSL, GnuTLS, a libssl loaded
# privately and never reached, calls only from inside libssl, GnuTLS
# loaded besides OpenSSL), one curl call site failing in two ways, and the
# rate limit reported both by tlsdiag_suppressed records (also one at
# exit) and by the exit record.  Compared with checked-in expectations in
# text and JSON, and as "tlsdiag run" summarizes it.
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report/coverage.log
exp=$TOP/tests/e2e/expected
now=--now=2026-11-27T06:00:00Z

for fmt in text json; do
	"$TLSDIAG" report $now --format "$fmt" "$data" >"$tmp/out.$fmt" ||
	    problem "format $fmt: exit status $?"
	diff -u "$exp/t470-coverage.$fmt" "$tmp/out.$fmt" ||
	    problem "format $fmt differs from $exp/t470-coverage.$fmt"
done
# Suppressed failures are counted once per process whatever the order:
# here the exit record comes before the tlsdiag_suppressed records.
tac "$data" | "$TLSDIAG" report $now - >"$tmp/rev.text"
diff -u "$tmp/out.text" "$tmp/rev.text" || problem "order changed the report"

# The summary of "tlsdiag run": the command itself appends the records to
# the log tlsdiag run created (cat uses no TLS, so the shim adds nothing).
st=0
"$TLSDIAG" run -o "$tmp/run.log" -- sh -c 'cat "$1" >>"$2"' sh "$data" \
    "$tmp/run.log" 2>"$tmp/run.err" || st=$?
[ "$st" -eq 0 ] || problem "tlsdiag run: exit status $st"
sed "s|$tmp/run.log|RUNLOG|" "$tmp/run.err" >"$tmp/summary"
diff -u "$exp/t470-summary.text" "$tmp/summary" ||
    problem "the summary differs from $exp/t470-summary.text"
finish
