#!/bin/sh
# t410-report-filters: filters and formats.  ndjson passes matching lines
# through byte for byte; counts from every format agree; filters select
# what they say; totals add up across groups and types.
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report
logs="$data/web-7.log $data/web-8.log"
now=--now=2026-11-27T04:00:00Z

# No filter: ndjson is the input, unchanged.
# shellcheck disable=SC2086
"$TLSDIAG" report $now --format ndjson $logs >"$tmp/all.ndjson"
cat $logs | cmp - "$tmp/all.ndjson" || fail "ndjson is not the input"

# ndjson with a filter keeps exactly the matching lines, unchanged.
# shellcheck disable=SC2086
"$TLSDIAG" report $now --format ndjson --type CertificateError $logs \
    >"$tmp/cert.ndjson"
# shellcheck disable=SC2086
grep -h '"type":"SSLCertVerificationError"' $logs | cmp - "$tmp/cert.ndjson" ||
    fail "--type CertificateError did not select the certificate failures"

# count FILTER...: failures matched, from the JSON report.
count() {
	# shellcheck disable=SC2086
	"$TLSDIAG" report $now --format json "$@" $logs >"$tmp/c.json"
	"$HPY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["failures"]["total"])' "$tmp/c.json"
}
check() {
	want=$1
	shift
	got=$(count "$@")
	[ "$got" = "$want" ] || problem "$*: $got failures, want $want"
}
check 45
check 10 --type SSLCertVerificationError
check 10 --type CertificateError
check 44 --type SSLEOFError --type CertificateError
check 28 --host web-8
check 17 --host web-7
check 0 --host web-9
check 7 --pid 5000
check 10 --exe curl
check 10 --exe /usr/bin/curl
check 7 --peer 127.0.0.1:8443
check 7 --peer 127.0.0.1
check 7 --sni LOCALHOST
check 9 --peer 203.0.113.5
check 10 --where tlsdiag.reason=CERTIFICATE_VERIFY_FAILED
check 1 --where log.level=warning
check 1 --where tlsdiag.verify_code=62
check 7 --where tlsdiag.verify_code=10 --sni localhost
check 25 --since 2026-11-27T03:50:00Z
check 19 --since 2026-11-27T03:10:00Z --until 2026-11-27T03:50:00Z
check 25 --since -10m
check 0 --since -5m
check 45 --since -1d
check 1 --type ConnectionResetError --exe python3.11

# Totals add up: per type, per group (all rows) and CSV rows.
# shellcheck disable=SC2086
"$TLSDIAG" report $now --format json --top 0 $logs >"$tmp/all.json"
"$HPY" - "$tmp/all.json" <<'PY' || problem "JSON totals do not add up"
import json, sys
r = json.load(open(sys.argv[1]))
total = r["failures"]["total"]
assert sum(t["count"] for t in r["types"]) == total, "types"
assert sum(g["count"] for g in r["groups"]) == total, "groups"
assert sum(h["failures"] for h in r["hosts"]) == total, "hosts"
assert sum(p["failures"] for p in r["programs"]) == total, "programs"
assert sum(b["count"] for b in r["histogram"]["buckets"]) == total, "histogram"
assert r["input"]["lines"] == r["input"]["records"] + r["input"]["skipped"]
assert r["format"] == "tlsdiag-report" and r["version"] == 1
PY
# shellcheck disable=SC2086
"$TLSDIAG" report $now --format csv --top 0 $logs >"$tmp/all.csv"
n=$(awk -F, 'NR > 1 { s += $2 } END { print s }' "$tmp/all.csv")
[ "$n" = 45 ] || problem "CSV counts add up to $n, want 45"
finish
