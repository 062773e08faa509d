#!/bin/sh
# t655-record-size: a failure is never hidden by its own size (issue 12,
# item 3).  A peer certificate with 70 names of 290 escape bytes each
# (121 KB once escaped), a subject of 1,300 bytes and 70 short names (cut
# by the shim's fixed limits), and deep stacks of 64 frames in a program
# whose path is 242 bytes long: every failure is recorded, the record
# fits, its type, message and certificate identity are whole, and
# tlsdiag.truncated names what was shortened.  tlsdiag report counts the
# shortened records.  Before, the first and third were dropped as "record
# too large" and the second was cut without a word.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim
need_tool openssl
[ -x "$TLSDIAG" ] || fail "'$TLSDIAG' not built (run make)"

# cert NAME SUBJECT SANS: a self-signed certificate with its key, for
# failer verify
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 2 -subj "$2" \
	    -addext "subjectAltName=$3" 2>"$tmp/req.err" ||
	    fail "openssl req: $(cat "$tmp/req.err")"
	cat "$tmp/$1.key" >>"$tmp/$1.pem"
}

# check NAME CERT WANT_TRUNCATED SANS DN: one verify failure against CERT,
# and what its record must say: the members truncated, at most SANS names,
# a subject that starts with DN
check() {
	run_shimmed "$tmp/$1.log" "$FAILER" verify localhost "$tmp/$2.pem" \
	    >"$tmp/$1.out" 2>&1 || fail "$1: failer: $(cat "$tmp/$1.out")"
	check_log "$tmp/$1.sum" "$tmp/$1.log"
	same "$1: failure records" "$(fact "$tmp/$1.sum" action tls_failure)" 1
	fp=$(openssl x509 -in "$tmp/$2.pem" -noout -fingerprint -sha256 |
	    sed 's/.*=//; s/://g')
	"$HPY" - "$tmp/$1.log" "$fp" "$3" "$4" "$5" <<'PY' ||
import json, sys
log, fp, want, nsans, dn = sys.argv[1:4] + [int(sys.argv[4]), sys.argv[5]]
recs = [json.loads(l) for l in open(log, "rb")]
r = [x for x in recs if x["event"]["action"] == "tls_failure"][0]
line = [l for l in open(log, "rb") if b'"tls_failure"' in l][0]
assert len(line) <= 16384, len(line)
assert r["error"]["type"] == "SSLCertVerificationError", r["error"]
assert r["error"]["message"].endswith("self-signed certificate"), r["error"]
srv = r["tls"]["server"]
assert srv["hash"]["sha256"] == fp, (srv["hash"], fp)
assert srv["x509"]["serial_number"], srv["x509"]
assert srv["x509"]["subject"]["distinguished_name"].startswith(dn)
got = r["tlsdiag"].get("truncated")
assert got == want.split(","), (got, want)
sans = srv["x509"].get("alternative_names", [])
assert 0 < len(sans) <= nsans, len(sans)
for s in sans:
    assert s.startswith("DNS:"), s
print("record of %d bytes, %d names, truncated %s" %
      (len(line), len(sans), got))
PY
	    problem "$1: record"
}

# 70 names of 290 ESC bytes each
esc=$(printf '\033')
one=$(printf '%0290d' 0 | tr 0 "$esc")
sans=
i=0
while [ "$i" -lt 70 ]; do
	sans="$sans${sans:+,}DNS:$i$one"
	i=$((i + 1))
done
cert escapes "/CN=big" "$sans"
check escapes escapes tls.server.x509.alternative_names 69 CN=big

# a subject of 1,300 bytes (over 1,023) and 70 short names (over 64)
subj=/CN=big
i=0
while [ "$i" -lt 20 ]; do
	subj="$subj/OU=$(printf '%060d' "$i")"
	i=$((i + 1))
done
sans=
i=0
while [ "$i" -lt 70 ]; do
	sans="$sans${sans:+,}DNS:n$i.example"
	i=$((i + 1))
done
cert long "$subj" "$sans"
x=tls.server.x509
check long long "tlsdiag.verify_subject,$x.subject.distinguished_name,\
$x.issuer.distinguished_name,$x.alternative_names" \
    64 OU=000000000000000000000000000000000000000000000000000000000019
"$HPY" -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][1]
x = r["tls"]["server"]["x509"]
assert len(x["alternative_names"]) == 64, len(x["alternative_names"])
assert len(x["subject"]["distinguished_name"]) == 1023' "$tmp/long.log" ||
    problem "long: the fixed limits moved"

# the report reads them, and says how many were shortened
"$TLSDIAG" report "$tmp/escapes.log" "$tmp/long.log" >"$tmp/report" ||
    fail "tlsdiag report: status $?"
grep -q 'No TLS failures matched' "$tmp/report" &&
    problem "the report matched no failure"
grep -q '2 failures.*; 2 failure records shortened to fit' "$tmp/report" ||
    problem "the report does not count the shortened records: \
$(grep records "$tmp/report")"
"$TLSDIAG" report --format json "$tmp/escapes.log" >"$tmp/report.json" ||
    fail "tlsdiag report --format json: status $?"
"$HPY" -c 'import json, sys
f = json.load(open(sys.argv[1]))["failures"]
assert f["total"] == 1 and f["truncated"] == 1, f' "$tmp/report.json" ||
    problem "the JSON report does not count the shortened record"

# deep stacks, long module paths, 64 frames: 200 failures, none dropped
dir=$tmp
for c in d e f g; do
	dir=$dir/$(printf "%050d" 0 | tr 0 "$c")
done
mkdir -p "$dir"
cp "$FAILER" "$dir/failer"
run_shimmed "$tmp/deep.log" TLSDIAG_RATE=0 TLSDIAG_BACKTRACE=64 \
    "$dir/failer" deep 200 70 >"$tmp/deep.out" 2>&1 ||
    fail "deep: failer: $(cat "$tmp/deep.out")"
check_log "$tmp/deep.sum" "$tmp/deep.log"
pid=$(sed -n 's/^pid //p' "$tmp/deep.out")
same "deep: failure records" "$(fact "$tmp/deep.sum" action tls_failure)" 200
same "deep: dropped" "$(fact "$tmp/deep.sum" coverage "$pid" dropped)" 0
"$HPY" -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][1]
t = r["tlsdiag"]
assert t["truncated"] == ["tlsdiag.backtrace"], t.get("truncated")
assert 16 <= len(t["backtrace"]) < 64, len(t["backtrace"])
assert t["backtrace"][-1]["module"].endswith("/failer")
assert r["error"]["type"] == "SSLEOFError"' "$tmp/deep.log" ||
    problem "deep: the first record"
finish
