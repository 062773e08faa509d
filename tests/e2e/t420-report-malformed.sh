#!/bin/sh
# t420-report-malformed: a corpus of bad lines (binary junk, NUL bytes, a
# 50 MB line, truncated JSON, a newer schema, JSON that is no object,
# wrong field types, an empty line, a final line without newline) between good records.
# Nothing stops the report: every bad line is counted, the first few are
# shown with file and line, and the good records still count.
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report
cd "$tmp"
good7=$(sed -n 2p "$data/web-7.log")
good8=$(sed -n 1p "$data/web-8.log")
{
	printf '%s\n' "$good7"
	printf '\177ELF\002\001\001\000\000\000junk\377\376\n'
	printf '{"@timestamp":"2026-11-27T03:00:00Z","tlsdiag":{"schema":1}\000,"x":1}\n'
	printf '%s\n' "$(printf '%s' "$good8" | cut -c1-200)"
	printf '{"@timestamp":"2026-11-27T03:00:01.000000Z","event":{"action":"tls_failure"},"tlsdiag":{"schema":2,"new":true}}\n'
	printf '[1,2,3]\n'
	printf '"just a string"\n'
	printf '{"@timestamp":12,"event":{"action":"tls_failure"},"tlsdiag":{"schema":1}}\n'
	printf '{"@timestamp":"2026-11-27T03:00:02Z","event":{"action":"tls_failure"},"tlsdiag":{"schema":1},"process":{"pid":"x"},"error":{"type":7}}\n'
	printf '{"message":"a foreign JSON log line"}\n'
	head -c 52428800 /dev/zero | tr '\0' 'A'
	printf '\n'
	printf '\n'
	printf '%s\n' "$good8"
	printf '{"@timestamp":"2026-11-27T03:59:59Z","event":{"action":"tls_fai'
} >corpus.log
"$TLSDIAG" report --now=2026-11-27T04:00:00Z corpus.log >out.text ||
    fail "exit status $? on malformed input"
diff -u "$TOP/tests/e2e/expected/t420-malformed.text" out.text ||
    fail "report differs"
"$TLSDIAG" report --now=2026-11-27T04:00:00Z --format json corpus.log \
    >out.json
"$HPY" - out.json <<'PY' || fail "JSON counts are wrong"
import json, sys
r = json.load(open(sys.argv[1]))
i = r["input"]
assert i["lines"] == 14, i
assert i["records"] == 3, i
assert i["skipped"] == 11, i
s = i["skipped_by_reason"]
assert s == {"too_long": 1, "truncated": 1, "nul_byte": 2,
    "invalid_json": 1, "not_object": 2, "not_tlsdiag": 1, "bad_field": 1,
    "newer_schema": 1, "torn": 1}, s
assert r["failures"]["total"] == 3, r["failures"]
PY
finish
