#!/bin/sh
# t760-report-baseline: --baseline FILE and --baseline-until TIME name the
# groups that are new since a normal period and those whose rate per hour
# grew at least 3x (with both rates); a group at its usual rate is
# neither.  Text and JSON agree.
. "$(dirname "$0")/lib.sh"
now=--now=2026-11-28T00:00:00Z
craft() {
	"$HPY" "$TOP/tests/e2e/craft19.py"
}

# Baseline: 03:00-05:00 (2 h).  old: 4 (2/h); grown: 2 (1/h).
craft >"$tmp/base.log" <<'SPEC'
2026-11-27T03:00:00Z|SSLCertVerificationError|expired|old.example|10.0.0.1|CN=CA|-
2026-11-27T03:30:00Z|SSLCertVerificationError|expired|old.example|10.0.0.1|CN=CA|-
2026-11-27T04:00:00Z|SSLCertVerificationError|expired|old.example|10.0.0.1|CN=CA|-
2026-11-27T04:30:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
2026-11-27T04:40:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
2026-11-27T05:00:00Z|SSLCertVerificationError|expired|old.example|10.0.0.1|CN=CA|-
SPEC
# Current: 06:00-07:00 (1 h).  old: 2 (2/h); grown: 6 (6/h); new: 3.
craft >"$tmp/cur.log" <<'SPEC'
2026-11-27T06:00:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
2026-11-27T06:10:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
2026-11-27T06:15:00Z|SSLCertVerificationError|expired|old.example|10.0.0.1|CN=CA|-
2026-11-27T06:20:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
2026-11-27T06:30:00Z|ConnectionResetError|reset|new.example|10.0.0.3|CN=CA|-
2026-11-27T06:31:00Z|ConnectionResetError|reset|new.example|10.0.0.3|CN=CA|-
2026-11-27T06:40:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
2026-11-27T06:45:00Z|SSLCertVerificationError|expired|old.example|10.0.0.1|CN=CA|-
2026-11-27T06:50:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
2026-11-27T06:55:00Z|ConnectionResetError|reset|new.example|10.0.0.3|CN=CA|-
2026-11-27T07:00:00Z|SSLEOFError|UNEXPECTED_EOF|grown.example|10.0.0.2|CN=CA|-
SPEC
cat "$tmp/base.log" "$tmp/cur.log" >"$tmp/all.log"

# section FILE TITLE: the lines of a text section, up to the next blank.
section() {
	awk -v t="$2" 'index($0, t) == 1 {on=1; next} on && /^$/ {exit}
	    on {print}' "$1"
}

check_text() {
	out=$1
	new=$(section "$out" "New since the baseline")
	grown=$(section "$out" "Grown")
	case $new in
	*"ConnectionResetError: reset  peer new.example"*) ;;
	*) problem "$out: new group not under New: $new" ;;
	esac
	case $new in *grown.example* | *old.example*)
		problem "$out: an old group under New: $new" ;;
	esac
	case $grown in
	*"SSLEOFError: UNEXPECTED_EOF  peer grown.example"*"6.0 per hour, was 1.0 (2 in the baseline)"*) ;;
	*) problem "$out: grown group or its rates missing: $grown" ;;
	esac
	case $grown in *old.example* | *new.example*)
		problem "$out: a group under Grown that did not grow: $grown" ;;
	esac
	# First in the report: before the tables of the period.
	first=$(grep -n -e '^New since the baseline' -e '^Failures by type' \
	    "$out" | head -1)
	case $first in *New*) ;; *) problem "$out: New is not first" ;; esac
}

check_json() {
	"$HPY" - "$1" <<'PY' || problem "$1: JSON members wrong"
import json, sys
d = json.load(open(sys.argv[1]))
new = [(g["sni"], g["count"]) for g in d["new_since_baseline"]]
grown = [(g["sni"], g["count"], g["rate_per_hour"], g["baseline_rate_per_hour"],
          g["baseline_count"]) for g in d["grown"]]
assert new == [("new.example", 3)], new
assert grown == [("grown.example", 6, 6.0, 1.0, 2)], grown
assert d["baseline"]["hours"] == 2.0 and d["baseline"]["current_hours"] == 1.0, d["baseline"]
assert d["baseline"]["failures"] == 6, d["baseline"]
assert d["failures"]["total"] == 11, d["failures"]
PY
}

"$TLSDIAG" report $now --baseline "$tmp/base.log" "$tmp/cur.log" >"$tmp/b.txt"
check_text "$tmp/b.txt"
"$TLSDIAG" report $now --format json --baseline "$tmp/base.log" \
    "$tmp/cur.log" >"$tmp/b.json"
check_json "$tmp/b.json"

# One log split in two by time.
"$TLSDIAG" report $now --baseline-until 2026-11-27T05:30:00Z "$tmp/all.log" \
    >"$tmp/u.txt"
check_text "$tmp/u.txt"
"$TLSDIAG" report $now --format json --baseline-until 2026-11-27T05:30:00Z \
    "$tmp/all.log" >"$tmp/u.json"
check_json "$tmp/u.json"

# Without a baseline the members are absent.
"$TLSDIAG" report $now --format json "$tmp/cur.log" >"$tmp/n.json"
"$HPY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert "grown" not in d and "new_since_baseline" not in d' "$tmp/n.json" ||
    problem "baseline members without --baseline"

# Usage errors: both ways at once, stdin split twice.
expect_fail "$TLSDIAG" report --baseline "$tmp/base.log" \
    --baseline-until 2026-11-27T05:30:00Z "$tmp/cur.log" 2>/dev/null
expect_fail "$TLSDIAG" report --baseline-until 2026-11-27T05:30:00Z - \
    </dev/null 2>/dev/null
expect_fail "$TLSDIAG" report --baseline-until yesterday "$tmp/cur.log" \
    2>/dev/null

finish
