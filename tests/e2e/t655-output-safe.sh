#!/bin/sh
# t655-output-safe: every output is safe for whoever reads it.  Records
# from a hostile writer (raw ESC, C1 controls, U+2028/U+2029, bidi
# controls and invalid UTF-8 inside strings, control bytes between tokens,
# numbers cJSON takes and JSON does not): the JSON report and every NDJSON
# line are strict JSON with none of those characters raw, and NDJSON keeps
# each value (invalid bytes as U+FFFD); records the shim writes pass
# through NDJSON byte for byte.  CSV cells that start with = + - @ tab or
# CR are neutralised (OWASP).  Error messages quote a file name, an
# option and a command escaped; with TLSDIAG_DEBUG=1 the shim's messages
# quote environment values escaped.
. "$(dirname "$0")/lib.sh"
require_shim

# strict JSON, and nothing a reader must not see raw
cat >"$tmp/check.py" <<'PY'
import json, sys
BAD = set(range(0x20)) - {0x09, 0x0A} | set(range(0x7F, 0xA0)) | {
    0x61C, 0x200E, 0x200F, 0x2028, 0x2029} | set(range(0x202A, 0x202F)) | \
    set(range(0x2066, 0x206A))
def strict(s):
    def const(c):
        raise ValueError("non-standard constant " + c)
    return json.loads(s, parse_constant=const)
def check(path, lines):
    data = open(path, "rb").read()
    text = data.decode("utf-8")  # raises on invalid UTF-8
    for i, c in enumerate(text):
        if ord(c) in BAD:
            sys.exit("%s: raw U+%04X at %d" % (path, ord(c), i))
    if lines:
        return [strict(l) for l in text.split("\n") if l != ""]
    return [strict(text)]
PY

"$HPY" - "$tmp/hand.log" <<'PY'
import json, sys
base = {"@timestamp": "2026-11-27T03:00:00.000000Z",
        "event": {"action": "tls_failure"}, "log.level": "error",
        "error": {"type": "SSLCertVerificationError", "message": "m"},
        "tlsdiag": {"schema": 1, "call": "SSL_do_handshake",
                    "reason": "CERTIFICATE_VERIFY_FAILED",
                    "verify_message": "self-signed certificate",
                    "role": "client"},
        "process": {"pid": 7, "executable": "/bin/p"},
        "host": {"hostname": "h"}}
def rec(sni, vm, name):
    r = json.loads(json.dumps(base))
    r["tls"] = {"client": {"server_name": sni}}
    r["tlsdiag"]["verify_message"] = vm
    r["process"]["name"] = name
    return json.dumps(r).encode()
with open(sys.argv[1], "wb") as out:
    raw = rec("RAWSNI", "RAWVM", "RAWNAME")
    raw = raw.replace(b"RAWSNI", b"s\x1b[2J\xc2\x9b\xe2\x80\xae\xe2\x80\xa8")
    raw = raw.replace(b"RAWVM", b"v\xe2\x80\xa9\xe2\x81\xa6\xff\xfe\x07")
    raw = raw.replace(b"RAWNAME", b"n\x7f\r\x08\xe2\x80\x8f")
    out.write(raw + b"\n")
    # bytes cJSON takes as whitespace, and numbers JSON does not allow
    odd = rec("odd", "m", "odd").replace(b'"pid": 7', b'"pid":\x1b07')
    out.write(odd.replace(b', "host"', b',\x1b\r"host"', 1) + b"\n")
    # CSV formulas (OWASP's list)
    for c in "=+-@\t\r":
        out.write(rec(c + "cmd|' /C calc'!A0", c + "1+1", c + "SUM(1,2)")
                  + b"\n")
PY
"$TLSDIAG" report --format json "$tmp/hand.log" >"$tmp/out.json" ||
    problem "json: status $?"
"$TLSDIAG" report --format ndjson "$tmp/hand.log" >"$tmp/out.ndjson" ||
    problem "ndjson: status $?"
"$HPY" - "$tmp" <<'PY' || problem "JSON or NDJSON output unsafe"
import sys
sys.path.insert(0, sys.argv[1])
exec(open(sys.argv[1] + "/check.py").read())
check(sys.argv[1] + "/out.json", False)
recs = check(sys.argv[1] + "/out.ndjson", True)
assert len(recs) == 8, len(recs)
r = recs[0]
assert r["tls"]["client"]["server_name"] == "s\x1b[2J\x9b\u202e\u2028", r
assert r["tlsdiag"]["verify_message"] == "v\u2029\u2066\ufffd\ufffd\x07", r
assert r["process"]["name"] == "n\x7f\r\x08\u200f", r
assert recs[1]["process"]["pid"] == 7, recs[1]
assert recs[2]["process"]["name"] == "=SUM(1,2)", recs[2]
PY
grep -q "$(printf '\r')" "$tmp/out.ndjson" && problem "NDJSON holds a raw CR"

# what the shim writes passes through NDJSON byte for byte
cat "$TOP"/tests/e2e/data/report/real-*.log >"$tmp/shim.log"
"$TLSDIAG" report --format ndjson "$tmp/shim.log" >"$tmp/shim.ndjson" ||
    problem "ndjson of the real logs: status $?"
"$HPY" - "$tmp/shim.log" "$tmp/shim.ndjson" <<'PY' ||
import sys
src = set(open(sys.argv[1], "rb").read().split(b"\n"))
out = [l for l in open(sys.argv[2], "rb").read().split(b"\n") if l]
assert len(out) > 10, len(out)
for l in out:
    if l not in src:
        sys.exit("changed: %r" % l[:200])
PY
    problem "NDJSON changed a record the shim wrote"

# CSV: formulas neutralised
"$TLSDIAG" report --format csv "$tmp/hand.log" >"$tmp/out.csv" ||
    problem "csv: status $?"
"$HPY" - "$tmp/out.csv" <<'PY' || problem "CSV formula not neutralised"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 8, len(rows)
n = 0
for r in rows:
    for k in ("type", "reason", "sni", "address", "program"):
        v = r[k]
        assert not v or v[0] not in "=+-@\t\r", (k, v)
        if v.startswith("'"):
            n += 1
assert n == 18, n
PY

# standard error: what is quoted is escaped
bad=$(printf '%s/no\033[2Jfile\342\200\256' "$tmp")
st=0
"$TLSDIAG" report "$bad" >/dev/null 2>"$tmp/err1" || st=$?
[ "$st" -eq 3 ] || problem "missing input: status $st"
"$TLSDIAG" report --format "$(printf 'x\033[2J')" 2>"$tmp/err2" && :
"$TLSDIAG" report "$(printf -- '--x\033[2J')" 2>"$tmp/err3" && :
"$TLSDIAG" "$(printf 'cmd\033[2J')" 2>"$tmp/err4" && :
"$TLSDIAG" run "$(printf 'no-such\033[2J')" 2>"$tmp/err5" && :
for i in 1 2 3 4 5; do
	LC_ALL=C grep -q "$(printf '[\033\302\342]')" "$tmp/err$i" &&
	    problem "stderr $i holds a raw control: $(od -c "$tmp/err$i" | head)"
	grep -qF '\x1B[2J' "$tmp/err$i" ||
	    problem "stderr $i does not quote the argument: $(cat "$tmp/err$i")"
done

# the shim's debug messages
LD_PRELOAD=$SHIM TLSDIAG_DEBUG=1 \
    TLSDIAG_RATE="$(printf 'x\033[2J\342\200\256')" \
    "$PROGS/failer" >/dev/null 2>"$tmp/err6" && :
LC_ALL=C grep -q "$(printf '[\033\302\342]')" "$tmp/err6" &&
    problem "shim debug holds a raw control: $(od -c "$tmp/err6" | head)"
grep -qF "ignoring TLSDIAG_RATE='x\\x1B[2J\\xE2\\x80\\xAE'" "$tmp/err6" ||
    problem "shim debug message: $(cat "$tmp/err6")"
finish
