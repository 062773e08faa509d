#!/bin/sh
# t352-entry-static: a program that carries OpenSSL inside, linked from
# libssl.a/libcrypto.a as node carries it.  Exported (-rdynamic,
# build/progs/static_sslclient), its entry points are hooked before main:
# the same records as the ordinary sslclient gets in t360, its own file as
# tlsdiag.openssl.path, and the exit record lists the functions hooked.
# Not exported (hidden_sslclient): nothing recorded, and "tlsdiag run"
# still warns that it carries its own OpenSSL, for it only.  In a process that refuses
# writable code (nowx: a seccomp filter), every hook is skipped and the
# exit record says why; the program runs as without the shim.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki
for p in static_sslclient hidden_sslclient threaded_sslclient nowx; do
	[ -x "$PROGS/$p" ] || fail "build/progs/$p not built"
done
nm -D "$PROGS/static_sslclient" | grep -q ' T SSL_read$' ||
    fail "static_sslclient does not export SSL_read"
! nm -D "$PROGS/hidden_sslclient" | grep -q ' T SSL_read$' ||
    fail "hidden_sslclient exports SSL_read"
all='["SSL_read", "SSL_read_ex", "SSL_peek", "SSL_peek_ex", "SSL_write", "SSL_write_ex", "SSL_do_handshake", "SSL_connect", "SSL_accept", "SSL_shutdown", "SSL_get_verify_result"]'

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server ok "$HPY" "$SRCPROGS/tlsserver.py" --mode ok \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

# hooks LOG: the entry_hooks member of the exit record, one line each
hooks() {
	"$HPY" - "$1" <<'PY'
import json, sys
rec = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("event", {}).get("action") == "tlsdiag_exit":
        rec = r
for o in rec["tlsdiag"]["coverage"].get("entry_hooks", []):
    print("hooked", len(o["hooked"]))
    for n in o["not_hooked"]:
        print("not_hooked", n["function"], n["reason"])
PY
}

prog=static_sslclient
same_run "$prog-exp" "$PROGS/$prog" "$exp_port" "$PKI/ca.pem"
[ "$status" -eq 1 ] || problem "$prog-exp: status $status, want 1"
want_records "$prog-exp" "$tmp/$prog-exp.log" error.type tlsdiag.call \
    tlsdiag.verify_code tlsdiag.role tlsdiag.phase process.pid \
    tlsdiag.openssl.path <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_connect
tlsdiag.verify_code=10
tlsdiag.role=client
tlsdiag.phase=handshake
process.pid=$pid
tlsdiag.openssl.path=$PROGS/$prog
--
END
want_coverage "$prog-exp" "$tmp/$prog-exp.log" static_openssl false
want_coverage "$prog-exp" "$tmp/$prog-exp.log" failures \
    '{"SSLCertVerificationError": 1}'
hooks "$tmp/$prog-exp.log" >"$tmp/hooks.got"
echo "hooked 11" | diff -u - "$tmp/hooks.got" >&2 ||
    problem "$prog-exp: not every entry point was hooked"

same_run "$prog-drop" "$PROGS/$prog" "$drop_port" "$PKI/ca.pem" get
[ "$status" -eq 2 ] || problem "$prog-drop: status $status, want 2"
want_records "$prog-drop" "$tmp/$prog-drop.log" error.type tlsdiag.call \
    tlsdiag.reason tlsdiag.phase <<END
error.type=SSLEOFError
tlsdiag.call=SSL_read
tlsdiag.reason=UNEXPECTED_EOF_WHILE_READING
tlsdiag.phase=data
--
END

same_run "$prog-ok" "$PROGS/$prog" "$ok_port" "$PKI/ca.pem" get
[ "$status" -eq 0 ] || problem "$prog-ok: status $status, want 0"
want_records "$prog-ok" "$tmp/$prog-ok.log" error.type </dev/null
want_coverage "$prog-ok" "$tmp/$prog-ok.log" tls_seen true
want_coverage "$prog-ok" "$tmp/$prog-ok.log" called \
    '["SSL_read", "SSL_write", "SSL_do_handshake", "SSL_connect", "SSL_shutdown"]'
want_coverage "$prog-ok" "$tmp/$prog-ok.log" bound "$all"

# Not exported: nothing can be hooked.  Its symbols are hidden, so the
# shim cannot even tell OpenSSL is there (no record, as before); "tlsdiag
# run" finds OpenSSL's version text in the file and warns (below).
prog=hidden_sslclient
same_run "$prog-exp" "$PROGS/$prog" "$exp_port" "$PKI/ca.pem"
[ "$status" -eq 1 ] || problem "$prog-exp: status $status, want 1"
want_records "$prog-exp" "$tmp/$prog-exp.log" error.type </dev/null
want_coverage "$prog-exp" "$tmp/$prog-exp.log" entry_hooks none

# tlsdiag run warns for the hidden copy only.
for prog in static_sslclient hidden_sslclient; do
	st=0
	# shellcheck disable=SC2086
	timeout "$CLIENT_TIMEOUT" env $RUN_ENV "$TLSDIAG" run \
	    -o "$tmp/run-$prog.log" -- "$PROGS/$prog" "$exp_port" \
	    "$PKI/ca.pem" >"$tmp/run-$prog.out" 2>"$tmp/run-$prog.err" || st=$?
	[ "$st" -eq 1 ] || problem "run $prog: status $st, want 1"
	n=0
	grep -q 'carries its own OpenSSL' "$tmp/run-$prog.err" || n=$?
	case $prog in
	static_*) [ "$n" -ne 0 ] ||
	    problem "run $prog warns: $(cat "$tmp/run-$prog.err")" ;;
	*) [ "$n" -eq 0 ] ||
	    problem "run $prog does not warn: $(cat "$tmp/run-$prog.err")" ;;
	esac
done

# Another thread runs when the constructor does (a library's constructor
# started it; as in a process tlsdiag attach loads the shim into): no
# patch without its instruction pointer, the caller that stops the
# threads must ask.  Nothing hooked, nothing recorded, the program as bare.
prog=threaded_sslclient
SAME_FILTER='/^shim: /d' same_run "$prog-exp" env TLSDIAG_DEBUG=1 \
    "$PROGS/$prog" "$exp_port" "$PKI/ca.pem"
grep -q '^shim: other threads run: entry hooks left to the caller' \
    "$tmp/$prog-exp.err" || problem "$prog: $(cat "$tmp/$prog-exp.err")"
want_records "$prog-exp" "$tmp/$prog-exp.log" error.type </dev/null
want_coverage "$prog-exp" "$tmp/$prog-exp.log" static_openssl true
want_coverage "$prog-exp" "$tmp/$prog-exp.log" entry_hooks null

# Writable code refused: no hook, the program unharmed, the reason said.
prog=static_sslclient
same_run "nowx-exp" "$PROGS/nowx" "$PROGS/$prog" "$exp_port" "$PKI/ca.pem"
[ "$status" -eq 1 ] || problem "nowx-exp: status $status, want 1"
want_records "nowx-exp" "$tmp/nowx-exp.log" error.type </dev/null
want_coverage "nowx-exp" "$tmp/nowx-exp.log" static_openssl true
hooks "$tmp/nowx-exp.log" >"$tmp/nowx.got"
{
	echo "hooked 0"
	for f in SSL_read SSL_read_ex SSL_peek SSL_peek_ex SSL_write \
	    SSL_write_ex SSL_do_handshake SSL_connect SSL_accept SSL_shutdown \
	    SSL_get_verify_result; do
		echo "not_hooked $f writable code refused: EACCES"
	done
} | diff -u - "$tmp/nowx.got" >&2 ||
    problem "nowx: the exit record does not say why nothing was hooked"
finish
