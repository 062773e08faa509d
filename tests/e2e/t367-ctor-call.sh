#!/bin/sh
# t367-ctor-call: a wrapper called from another library's constructor,
# before the shim's own constructor has run (shim/init.c: shim_init()
# from the first wrapper call).  libctorcall.so is preloaded after the
# shim, so the loader runs its constructor first (checked with
# LD_DEBUG=files); the constructor's SSL_connect to a socketpair holding
# a plain-text reply fails.  The record must be there, complete (written
# to TLSDIAG_LOG, so the settings were read; the process named, so the
# start-up state was filled in), the exit record must count it, and the
# program's output and status must be as without the shim.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
lib=$PROGS/libctorcall.so
[ -f "$lib" ] || fail "$lib not built"
host=/bin/true
[ -x "$host" ] || skip "no $host"

# The precondition: the library's constructor runs before the shim's.
LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld" LD_PRELOAD="$SHIM $lib" \
    TLSDIAG_LOG="$tmp/order.log" "$host" >/dev/null
order=$(cat "$tmp"/ld.* | sed -n 's/.*calling init: //p' |
    grep -E 'libctorcall|libtlsdiag' | sed 's|.*/||' | tr '\n' ' ')
[ "$order" = "libctorcall.so libtlsdiag.so " ] ||
    fail "constructors ran as '$order': the early path is not exercised"

run_plain LD_PRELOAD="$lib" "$host" >"$tmp/plain.out" 2>"$tmp/plain.err" ||
    fail "without the shim: status $?"
status=0
# env sets LD_PRELOAD once more, after run_shimmed: the shim first, then
# the library, for the host only
run_shimmed "$tmp/ctor.log" LD_PRELOAD="$SHIM $lib" "$host" \
    >"$tmp/ctor.out" 2>"$tmp/ctor.err" || status=$?
[ "$status" -eq 0 ] || problem "status $status under the shim, want 0"
grep -q '^ctorcall: SSL_connect -1, SSL_get_error 1,' "$tmp/plain.out" ||
    problem "the constructor's call did not fail as planned: $(cat \
    "$tmp/plain.out" "$tmp/plain.err")"
for f in out err; do
	diff -u "$tmp/plain.$f" "$tmp/ctor.$f" >&2 ||
	    problem "std$f changed under the shim"
done

want_records ctor "$tmp/ctor.log" error.type tlsdiag.call tlsdiag.reason \
    tlsdiag.role tlsdiag.phase process.name process.executable \
    tlsdiag.openssl.path <<END
error.type=SSLError
tlsdiag.call=SSL_connect
tlsdiag.reason=WRONG_VERSION_NUMBER
tlsdiag.role=client
tlsdiag.phase=handshake
process.name=true
process.executable=$(readlink -f "$host")
tlsdiag.openssl.path=/lib/x86_64-linux-gnu/libssl.so.3
--
END
frame=$("$HPY" -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["action"] == "tls_failure":
        print(r["tlsdiag"]["backtrace"][0]["module"])' "$tmp/ctor.log")
[ "$frame" = "$lib" ] ||
    problem "first frame is '$frame', not the constructor's library"
want_coverage ctor "$tmp/ctor.log" failures '{"SSLError": 1}'
want_coverage ctor "$tmp/ctor.log" tls_seen true
want_coverage ctor "$tmp/ctor.log" records 2
want_coverage ctor "$tmp/ctor.log" called \
    '["SSL_do_handshake", "SSL_connect", "SSL_get_verify_result"]'
finish
