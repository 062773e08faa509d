#!/bin/sh
# t650-terminal: hostile strings from peers and programs.  A certificate
# whose CN and O carry ESC [ 31m, an OSC title sequence, BEL and U+202E
# (right-to-left override), an SNI with ESC [ 2J (clear screen) and U+202E,
# and a program whose file name carries ESC [ 31m and U+202E: the shim's
# record is valid JSON with every such character escaped and reads back
# exactly; "tlsdiag report" shows them escaped, never raw.  Then records
# written by a hostile writer (NUL escapes, raw control bytes and invalid
# UTF-8 inside strings, C1 controls, values of hundreds of kilobytes):
# text and CSV output stay printable, valid UTF-8 and of bounded width.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim
need_tool openssl

esc=$(printf '\033')
rlo=$(printf '\342\200\256')
cn="evil${esc}[31mred${rlo}txt.exe"
org="Org${esc}]0;pwned$(printf '\007')"
host="sni${esc}[2Jx${rlo}y.example"
prog="$tmp/fa${esc}[31mil${rlo}er"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 -utf8 \
    -subj "/CN=$cn/O=$org" 2>"$tmp/req.err" ||
    fail "openssl req: $(cat "$tmp/req.err")"
cat "$tmp/key.pem" >>"$tmp/cert.pem"
cp "$FAILER" "$prog"

run_shimmed "$tmp/log" "$prog" verify "$host" "$tmp/cert.pem" \
    >"$tmp/out" 2>"$tmp/err" || fail "failer: status $?: $(cat "$tmp/err")"
grep -q '^handshake -1 verify 18$' "$tmp/out" ||
    fail "the handshake did not fail verification: $(cat "$tmp/out")"
check_log "$tmp/sum" "$tmp/log"
same "failure records" "$(fact "$tmp/sum" action tls_failure)" 1
LC_ALL=C grep -q "[$esc$(printf '\007')]" "$tmp/log" &&
    problem "the log holds a raw ESC or BEL"
grep -qF "$rlo" "$tmp/log" && problem "the log holds a raw U+202E"
# what was recorded is what the program and its peer sent
"$HPY" - "$tmp/log" "$host" "$prog" <<'PY' || problem "record contents"
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
f = [r for r in recs if r["event"]["action"] == "tls_failure"][0]
host, exe = (os.fsdecode(os.fsencode(a)) for a in sys.argv[2:4])
ok = True
def check(what, got, want):
    global ok
    if got != want:
        print("%s is %r, want %r" % (what, got, want))
        ok = False
check("SNI", f["tls"]["client"]["server_name"], host)
check("process.executable", f["process"]["executable"], exe)
check("process.name", f["process"]["name"], os.path.basename(exe))
subj = f["tls"]["server"]["x509"]["subject"]["distinguished_name"]
# RFC 2253 with UTF-8 kept: OpenSSL escapes the control bytes itself,
# U+202E stays a character (the JSON writer stores it as \u202e)
check("subject", subj, "O=Org\\1B]0\\;pwned\\07,CN=evil\\1B[31mred"
      "\u202etxt.exe")
sys.exit(0 if ok else 1)
PY

# textsafe FILE WIDTH: printable UTF-8 only, lines at most WIDTH bytes.
textsafe() {
	"$HPY" - "$1" "$2" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("%s: not UTF-8: %s" % (sys.argv[1], e))
for i, c in enumerate(text):
    o = ord(c)
    if ((o < 0x20 and c != "\n") or 0x7F <= o <= 0x9F or
            o in (0x61C, 0x200E, 0x200F, 0x2028, 0x2029) or
            0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069):
        sys.exit("%s: raw U+%04X at %d: %r" % (sys.argv[1], o, i,
                 text[max(0, i - 40):i + 10]))
width = max(len(l) for l in data.split(b"\n"))
if width > int(sys.argv[2]):
    sys.exit("%s: a line of %d bytes" % (sys.argv[1], width))
PY
}

"$TLSDIAG" report "$tmp/log" >"$tmp/report.txt" ||
    problem "report: status $?"
textsafe "$tmp/report.txt" 400 || problem "text report of the shim's log"
grep -qF 'sni\x1B[2Jx\u202Ey.example' "$tmp/report.txt" ||
    problem "text report does not show the SNI escaped"
grep -qF 'fa\x1B[31mil\u202Eer' "$tmp/report.txt" ||
    problem "text report does not show the program escaped"

# A hostile writer's records.
"$HPY" - "$tmp/hand.log" <<'PY'
import json, sys
base = {"@timestamp": "2026-11-27T03:00:00.000000Z",
        "event": {"action": "tls_failure"}, "log.level": "error",
        "error": {"type": "SSLCertVerificationError", "message": "m"},
        "tlsdiag": {"schema": 1, "call": "SSL_do_handshake",
                    "reason": "CERTIFICATE_VERIFY_FAILED",
                    "verify_message": "self-signed certificate",
                    "role": "client"},
        "process": {"pid": 1, "executable": "/bin/p"},
        "host": {"hostname": "h"}}
def rec(sni, subj, name):
    r = json.loads(json.dumps(base))
    r["tls"] = {"client": {"server_name": sni}, "server": {"x509": {
        "subject": {"distinguished_name": subj}}}}
    r["process"]["name"] = name
    r["error"]["message"] = name
    return json.dumps(r).encode()
with open(sys.argv[1], "wb") as out:
    out.write(rec("a\x00b\x1b[2J", "CN=nul\x00\x1b[31m", "n\x9b31m") + b"\n")
    out.write(rec("L" * 300000, "CN=" + "\u202e" * 50000, "x" * 100000)
              + b"\n")
    raw = rec("RAWSNI", "RAWSUBJ", "RAWNAME")
    raw = raw.replace(b"RAWSNI", b"raw\x1b[31m\xc2\x9b\xe2\x80\xae")
    raw = raw.replace(b"RAWSUBJ", b"CN=\xff\xfe\xc0\xaf\x1b]0;t\x07")
    raw = raw.replace(b"RAWNAME", b"\x07bell\x7f\r\x08")
    out.write(raw + b"\n")
PY
# widths: text is laid out for a terminal; CSV cuts each field to 1 KiB
for fw in text:400 csv:8192; do
	fmt=${fw%:*}
	"$TLSDIAG" report --format "$fmt" --now=2026-11-27T04:00:00Z \
	    "$tmp/hand.log" >"$tmp/hand.$fmt" || problem "$fmt: status $?"
	textsafe "$tmp/hand.$fmt" "${fw#*:}" ||
	    problem "$fmt report of hostile records"
done
# all three were read, the long one too
grep -q 'records   3 lines read, 3 records' "$tmp/hand.text" ||
    problem "hostile records were not all read: $(sed -n 6p "$tmp/hand.text")"
finish
