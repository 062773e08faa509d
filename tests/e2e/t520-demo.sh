#!/bin/sh
# t520-demo: tools/demo.sh (what "make demo" runs after building) finishes
# in under a minute, its report shows each classic failure (expired, wrong
# host, self-signed, dropped in the handshake, dropped mid-response) from
# the client that met it, and afterwards none of its servers is running:
# no process has its work directory as cwd and no port it served answers,
# also when its output is cut short ("make demo | head").
. "$(dirname "$0")/lib.sh"
need_tool curl openssl python3
require_shim

TMPDIR=$tmp/demotmp
# the build under test (make asan's is not build/)
TLSDIAG_BUILD=$BUILD
export TMPDIR TLSDIAG_BUILD
mkdir "$TMPDIR"
start=$(date +%s)
sh "$TOP/tools/demo.sh" >"$tmp/out" 2>"$tmp/err" ||
    fail "demo.sh exited $?: $(tail -20 "$tmp/err")"
took=$(($(date +%s) - start))
echo "demo.sh took ${took}s"
[ "$took" -lt 60 ] || problem "demo.sh took ${took}s, not under a minute"
[ ! -s "$tmp/err" ] || problem "demo.sh wrote to stderr: $(cat "$tmp/err")"

# The report section, and the expected groups in it (extended regular
# expressions, then '@' and the program line that must follow).
sed -n '/^== 4\./,/^== 5\./p' "$tmp/out" >"$tmp/report"
for want in \
    "SSLCertVerificationError: certificate has expired@program curl" \
    "SSLCertVerificationError: Hostname mismatch, certificate is not valid for 'localhost'\\.@program python3" \
    "SSLCertVerificationError: self-signed certificate@program openssl" \
    "SSLEOFError: EOF occurred in violation of protocol@program curl" \
    "(SSLEOFError: UNEXPECTED_EOF_WHILE_READING|SSLZeroReturnError: TLS/SSL connection has been closed \(EOF\))@program python3"; do
	group=${want%%@*}
	prog=${want#*@}
	# A group line, then its "peer ... program P" line.
	awk -v g="$group" -v p="$prog" '
	    found { if (index($0, p)) ok = 1; found = 0 }
	    $0 ~ "^ +[0-9]+\\. +[0-9]+ +[0-9.]+%  " g "$" { found = 1 }
	    END { exit !ok }' "$tmp/report" ||
	    problem "report lacks '$group' from '$prog'"
done
grep -q '^  records .* 5 failures' "$tmp/report" ||
    problem "not 5 failures: $(grep '^  records' "$tmp/report")"

# The kept log holds the same, with each drop in the phase it happened.
log=$(sed -n 's/^All stopped\.  The combined log stays in \(.*\);$/\1/p' \
    "$tmp/out")
[ -f "$log" ] || fail "demo did not name its log: $(tail -5 "$tmp/out")"
"$HPY" -c 'import json, re, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["action"] == "tls_failure":
        print(re.sub(r"^python3[.0-9]*$", "python3", r["process"]["name"]),
              r["error"]["type"], r["tlsdiag"]["phase"])' "$log" |
    sort >"$tmp/rec"
cat >"$tmp/want" <<'W'
curl SSLCertVerificationError handshake
curl SSLEOFError handshake
openssl SSLCertVerificationError handshake
python3 SSLCertVerificationError handshake
W
grep -v ' data$' "$tmp/rec" | diff -u "$tmp/want" - ||
    problem "handshake failures differ"
grep -qxE 'python3 (SSLEOFError|SSLZeroReturnError) data' "$tmp/rec" ||
    problem "no mid-response drop in python3: $(cat "$tmp/rec")"
[ "$(wc -l <"$tmp/rec")" -eq 5 ] || problem "not 5 failures: $(cat "$tmp/rec")"

# Nothing left running, nothing left behind but the log.
for p in /proc/[0-9]*; do
	cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
	case $cwd in "$TMPDIR"/*)
		problem "left running: $(tr '\0' ' ' <"$p/cmdline")" ;;
	esac
done
ports=$(sed -n 's/^  port \([0-9]*\)  .*/\1/p' "$tmp/out")
[ "$(echo "$ports" | wc -w)" -eq 5 ] || problem "ports: '$ports'"
for port in $ports; do
	"$HPY" -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2).close()
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$port" || problem "port $port still answers"
done
[ "$(ls "$TMPDIR")" = "$(basename "$log")" ] ||
    problem "left in TMPDIR: $(ls "$TMPDIR")"

# Cut short by its reader ("make demo | head"): still stops everything.
rm -f "$log"
sh "$TOP/tools/demo.sh" 2>/dev/null | head -20 >/dev/null
sleep 1
for p in /proc/[0-9]*; do
	cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
	case $cwd in "$TMPDIR"/*)
		problem "left running after SIGPIPE: $(tr '\0' ' ' <"$p/cmdline")"
		kill "${p#/proc/}" ;;
	esac
done
[ -z "$(ls "$TMPDIR")" ] || problem "left after SIGPIPE: $(ls "$TMPDIR")"
finish
