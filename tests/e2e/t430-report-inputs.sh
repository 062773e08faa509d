#!/bin/sh
# t430-report-inputs: gzip'd files, stdin ("-" and no argument), several
# files at once and a missing file give the reports they should.
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report
now=--now=2026-11-27T04:00:00Z
"$TLSDIAG" report $now "$data/web-7.log" "$data/web-8.log" >"$tmp/plain"
gzip -c "$data/web-7.log" >"$tmp/web-7.log.gz"
gzip -c "$data/web-8.log" >"$tmp/web-8.log.1.gz"
"$TLSDIAG" report $now "$tmp/web-7.log.gz" "$tmp/web-8.log.1.gz" >"$tmp/gz"
diff -u "$tmp/plain" "$tmp/gz" || problem "gzip'd input reads differently"
"$TLSDIAG" report $now - "$tmp/web-8.log.1.gz" <"$data/web-7.log" \
    >"$tmp/stdin"
diff -u "$tmp/plain" "$tmp/stdin" || problem "'-' reads differently"
cat "$data/web-7.log" "$data/web-8.log" |
    "$TLSDIAG" report $now >"$tmp/noarg"
diff -u "$tmp/plain" "$tmp/noarg" || problem "no argument is not stdin"
# A cut gzip stream: what was readable counts, the error is reported.
head -c 300 "$tmp/web-7.log.gz" >"$tmp/cut.gz"
rc=0
"$TLSDIAG" report $now "$tmp/cut.gz" "$data/web-8.log" >"$tmp/cut.out" \
    2>"$tmp/cut.err" || rc=$?
[ "$rc" -eq 3 ] || problem "cut gzip: exit $rc, want 3"
grep -q "^tlsdiag: cannot read '$tmp/cut.gz': " "$tmp/cut.err" ||
    problem "cut gzip: no error message: $(cat "$tmp/cut.err")"
grep -q 'web-8 (28 records' "$tmp/cut.out" ||
    problem "cut gzip: later file not read"
# A file that grows while it is read: complete lines count, a partial
# last line is counted as truncated, nothing fails.
cp "$data/web-8.log" "$tmp/grow.log"
( i=0; while [ $i -lt 200 ]; do cat "$data/web-7.log"; i=$((i + 1)); done;
    printf '{"partial":' ) >>"$tmp/grow.log" &
"$TLSDIAG" report $now --format json "$tmp/grow.log" >"$tmp/grow.json" ||
    problem "growing file: exit status $?"
wait
"$HPY" - "$tmp/grow.json" <<'PY' || problem "growing file: counts wrong"
import json, sys
i = json.load(open(sys.argv[1]))["input"]
assert i["records"] >= 28 and i["lines"] == i["records"] + i["skipped"], i
PY
finish
