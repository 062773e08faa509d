#!/bin/sh
# demo.sh: "make demo": show tlsdiag catching the classic TLS failures.
#
# Starts five TLS servers on 127.0.0.1 (ephemeral ports) that fail in the
# classic ways, runs curl, Python and openssl s_client against them through
# "tlsdiag run", prints the full "tlsdiag report" of everything recorded,
# and stops every server it started, whatever happens.  Needs a built tree
# (make all) and curl, openssl and python3; no traffic leaves 127.0.0.1.
# The combined log is kept in $TMPDIR (default /tmp) and named at the end.
set -eu
LC_ALL=C
export LC_ALL
# The servers' helper module must not leave __pycache__ in the source tree.
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
unset LD_PRELOAD TLSDIAG_LOG

top=$(cd "$(dirname "$0")/.." && pwd)
# the build to show: build/, or TLSDIAG_BUILD (t520 under make asan)
build=${TLSDIAG_BUILD:-$top/build}
for f in "$build/tlsdiag" "$build/libtlsdiag.so"; do
	[ -f "$f" ] || { echo "demo: $f is missing: run 'make all'" >&2; exit 1; }
done
for t in curl openssl python3; do
	command -v "$t" >/dev/null 2>&1 ||
	    { echo "demo: '$t' is not installed (make deps)" >&2; exit 1; }
done
if [ -x /usr/bin/python3 ]; then spy=/usr/bin/python3; else spy=python3; fi
PATH=$build:$PATH
export PATH

work=$(mktemp -d "${TMPDIR:-/tmp}/tlsdiag-demo.XXXXXX")
pids=
stop_servers() {
	for p in $pids; do
		kill "$p" 2>/dev/null || :
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || :
	done
	pids=
}
trap 'rc=$?; stop_servers; cd /; rm -rf "$work"; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# "make demo | head" must stop the servers too.
trap 'exit 141' PIPE
cd "$work"

# Headings in bold on a terminal only.
bold= norm=
if [ -t 1 ]; then
	bold=$(printf '\033[1m')
	norm=$(printf '\033[0m')
fi
heading() {
	printf '\n%s== %s%s\n' "$bold" "$*" "$norm"
}

# serve NAME CMD...: start a server, wait for its port, set NAME_port.
serve() {
	_name=$1
	shift
	: >"$_name.out"
	"$@" >"$_name.out" 2>"$_name.err" &
	pids="$pids $!"
	_i=0
	_port=
	while [ -z "$_port" ]; do
		_port=$(sed -n -e 's/^PORT \([0-9][0-9]*\)$/\1/p' \
		    -e 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$_name.out")
		[ -n "$_port" ] && break
		kill -0 "$!" 2>/dev/null ||
		    { cat "$_name.err" >&2; echo "demo: $_name failed" >&2; exit 1; }
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || { echo "demo: $_name not listening" >&2; exit 1; }
		sleep 0.1
	done
	eval "${_name}_port=\$_port"
}

# show CMD...: print the command, run it, indent what it prints.
show() {
	printf '$ %s\n' "$*"
	"$@" </dev/null 2>&1 | sed 's/^/    /'
}

heading "1. A private CA and some bad certificates (tests/progs/mkcerts.sh)"
sh "$top/tests/progs/mkcerts.sh" pki
echo "pki/ca.pem is the CA the clients trust; the servers use the others."

heading "2. TLS servers on 127.0.0.1 that fail in the classic ways"
serve expired openssl s_server -accept 127.0.0.1:0 -www \
    -cert pki/expired.pem -key pki/expired.key
serve wronghost openssl s_server -accept 127.0.0.1:0 -www \
    -cert pki/wronghost.pem -key pki/wronghost.key
serve selfsigned openssl s_server -accept 127.0.0.1:0 -www \
    -cert pki/selfsigned.pem -key pki/selfsigned.key
serve hsdrop "$spy" "$top/tests/progs/tlsserver.py" --mode fin-handshake
serve respdrop "$spy" "$top/tests/progs/tlsserver.py" \
    --mode fin-mid-response --cert pki/good.pem --key pki/good.key
printf '  port %-5s  %s\n' \
    "$expired_port" "certificate expired in 2021" \
    "$wronghost_port" "certificate for wrong.example.com, not localhost" \
    "$selfsigned_port" "self-signed certificate" \
    "$hsdrop_port" "reads the ClientHello, then closes the connection" \
    "$respdrop_port" "sends half a response, then closes the connection"

heading "3. Real clients, each run through 'tlsdiag run'"
echo "Each run prints the client's own error, then tlsdiag's summary."
mkdir logs
c="--cacert pki/ca.pem"

echo
echo "-- curl, expired certificate"
# shellcheck disable=SC2086
show tlsdiag run -o logs/1.jsonl -- curl -sS --max-time 10 $c \
    --resolve "localhost:$expired_port:127.0.0.1" \
    "https://localhost:$expired_port/"
echo
echo "-- python3, certificate for the wrong host"
show tlsdiag run -o logs/2.jsonl -- python3 "$top/tools/demo-client.py" \
    pki/ca.pem "https://localhost:$wronghost_port/"
echo
echo "-- openssl s_client, self-signed certificate"
show tlsdiag run -o logs/3.jsonl -- openssl s_client -brief \
    -connect "127.0.0.1:$selfsigned_port" -servername localhost \
    -CAfile pki/ca.pem -verify_return_error
echo
echo "-- curl, connection dropped during the handshake"
# shellcheck disable=SC2086
show tlsdiag run -o logs/4.jsonl -- curl -sS --max-time 10 $c \
    --resolve "localhost:$hsdrop_port:127.0.0.1" \
    "https://localhost:$hsdrop_port/"
echo
echo "-- python3, connection dropped in the middle of the response"
show tlsdiag run -o logs/5.jsonl -- python3 "$top/tools/demo-client.py" \
    pki/ca.pem "https://localhost:$respdrop_port/"

heading "4. The full report over all five logs (tlsdiag report)"
log=$(mktemp "${TMPDIR:-/tmp}/tlsdiag-demo-XXXXXX.jsonl")
cat logs/*.jsonl >"$log"
echo "$ tlsdiag report $log"
tlsdiag report --no-progress "$log"

heading "5. Stopping the servers"
stop_servers
echo "All stopped.  The combined log stays in $log;"
echo "'tlsdiag report --format json $log' gives the same as JSON."
echo "Try it on your own program:  $build/tlsdiag run -- COMMAND [ARG ...]"
