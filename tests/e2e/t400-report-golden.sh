#!/bin/sh
# t400-report-golden: the report of two hand-written host logs in every
# format, compared with checked-in expectations; --now fixes "now".
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report
exp=$TOP/tests/e2e/expected
now=--now=2026-11-27T04:00:00Z

for fmt in text json csv; do
	"$TLSDIAG" report $now --format "$fmt" "$data/web-7.log" \
	    "$data/web-8.log" >"$tmp/out.$fmt" ||
	    problem "format $fmt: exit status $?"
	diff -u "$exp/t400-report.$fmt" "$tmp/out.$fmt" ||
	    problem "format $fmt differs from $exp/t400-report.$fmt"
done
# Input order does not change the report.
"$TLSDIAG" report $now "$data/web-8.log" "$data/web-7.log" >"$tmp/rev.text"
diff -u "$tmp/out.text" "$tmp/rev.text" || problem "order changed the report"
# --top limits the tables.
"$TLSDIAG" report $now --top 2 "$data/web-7.log" "$data/web-8.log" \
    >"$tmp/top2"
diff -u "$exp/t400-report-top2.text" "$tmp/top2" || problem "--top 2 differs"
finish
