#!/bin/sh
# t750-report-groupby: --group-by counts failures per value (or tuple) of
# any dotted path; a missing member counts as "(none)"; text, JSON, CSV
# and HTML agree with counts taken straight from the log.
. "$(dirname "$0")/lib.sh"
now=--now=2026-11-28T00:00:00Z

# TIME|TYPE|REASON|SNI|IP|ISSUER|SUBJECT (craft19.py)
"$HPY" "$TOP/tests/e2e/craft19.py" >"$tmp/log" <<'SPEC'
2026-11-27T03:00:00Z|SSLEOFError|UNEXPECTED_EOF|a.example|10.0.0.1|CN=A CA|-
2026-11-27T03:01:00Z|SSLEOFError|UNEXPECTED_EOF|a.example|10.0.0.1|CN=A CA|-
2026-11-27T03:02:00Z|SSLEOFError|UNEXPECTED_EOF|a.example|10.0.0.1|-|-
2026-11-27T03:03:00Z|SSLCertVerificationError|expired|b.example|10.0.0.2|CN=B CA|-
2026-11-27T03:04:00Z|SSLCertVerificationError|expired|b.example|10.0.0.2|CN=B CA|-
2026-11-27T03:05:00Z|SSLCertVerificationError|expired|b.example|10.0.0.2|CN=B CA|-
2026-11-27T03:06:00Z|SSLCertVerificationError|expired|c.example|10.0.0.3|CN=A CA|-
2026-11-27T03:07:00Z|SSLCertVerificationError|expired|-|10.0.0.3|CN=A CA, O="x,y"|-
2026-11-27T03:08:00Z|SSLEOFError|UNEXPECTED_EOF|-|10.0.0.4|-|-
SPEC
# A start record: not a failure, not counted.
head -1 "$TOP/tests/e2e/data/report/web-7.log" >>"$tmp/log"

# want FIELD...: "count<TAB>v1|v2" per tuple, from the log itself.
want() {
	"$HPY" - "$tmp/log" "$@" <<'PY' | sort
import json, sys
from collections import Counter
def get(d, path):
    for k in path.split("."):
        if not isinstance(d, dict) or k not in d:
            return "(none)"
        d = d[k]
    return "(none)" if d is None else d
c = Counter()
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["action"] == "tls_failure":
        c["|".join(str(get(r, p)) for p in sys.argv[2:])] += 1
for k, n in c.items():
    print("%d\t%s" % (n, k))
PY
}

# from_json FILE: the same from the JSON report's group_by member.
from_json() {
	"$HPY" - "$1" <<'PY' | sort
import json, sys
for row in json.load(open(sys.argv[1]))["group_by"]["rows"]:
    print("%d\t%s" % (row["count"], "|".join(row["values"])))
PY
}

# from_csv FILE NFIELDS
from_csv() {
	"$HPY" - "$1" "$2" <<'PY' | sort
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
n = int(sys.argv[2])
for row in rows[1:]:
    print("%s\t%s" % (row[1], "|".join(row[3:3 + n])))
PY
}

# from_text FILE NFIELDS: count and values of the "Failures by" section.
from_text() {
	awk -v n="$2" '/^Failures by / && !/^Failures by type/{on=1; next} on && /^$/{on=0}
	    on && $1 ~ /^[0-9]+$/ {
		line=$0; sub(/^ *[0-9]+ +[0-9.]+% +[^ ]+ +[^ ]+ +/, "", line)
		gsub(/ \| /, "|", line); print $1 "\t" line }' "$1" | sort
}

check() {
	fields=$1
	nf=$2
	# shellcheck disable=SC2046
	want $(echo "$fields" | tr , ' ') >"$tmp/want"
	[ -s "$tmp/want" ] || fail "no expected rows for $fields"
	"$TLSDIAG" report $now --top 0 --group-by "$fields" "$tmp/log" \
	    >"$tmp/out.txt"
	"$TLSDIAG" report $now --top 0 --format json --group-by "$fields" \
	    "$tmp/log" >"$tmp/out.json"
	"$TLSDIAG" report $now --top 0 --format csv --group-by "$fields" \
	    "$tmp/log" >"$tmp/out.csv"
	from_text "$tmp/out.txt" "$nf" >"$tmp/got.txt"
	from_json "$tmp/out.json" >"$tmp/got.json"
	from_csv "$tmp/out.csv" "$nf" >"$tmp/got.csv"
	for f in txt json csv; do
		diff -u "$tmp/want" "$tmp/got.$f" ||
		    problem "--group-by $fields: $f counts differ from the log"
	done
}

check destination.ip 1
check tls.server.x509.issuer.distinguished_name 1
check destination.ip,tls.server.x509.issuer.distinguished_name 2
check tls.client.server_name,process.name 2

# The absent issuer is "(none)", counted twice (lines 3 and 9).
"$TLSDIAG" report $now --format json \
    --group-by tls.server.x509.issuer.distinguished_name "$tmp/log" |
    "$HPY" -c 'import json,sys
rows = json.load(sys.stdin)["group_by"]["rows"]
none = [r for r in rows if r["values"] == ["(none)"]]
assert none and none[0]["count"] == 2, rows
assert abs(sum(r["share"] for r in rows) - 100) < 0.5, rows' ||
    problem "(none) row or shares wrong"

# Bad specifications are usage errors.
expect_fail "$TLSDIAG" report --group-by '' "$tmp/log"
expect_fail "$TLSDIAG" report --group-by 'a,,b' "$tmp/log"
"$TLSDIAG" report --group-by 'a,,b' "$tmp/log" 2>"$tmp/err" || rc=$?
[ "${rc:-0}" = 2 ] || problem "bad --group-by: exit ${rc:-0}, want 2"

finish
