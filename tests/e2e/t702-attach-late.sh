#!/bin/sh
# t702-attach-late: after "tlsdiag attach", objects the process loads
# later are patched too (a libssl user dlopen()ed with RTLD_LOCAL, and
# one with RTLD_DEEPBIND), and a child forked after the attach records
# into its own log (%p).  latecall is linked with libssl but makes no
# TLS call before the attach.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attach.sh"
require_shim
make_pki
[ -x "$PROGS/latecall" ] || fail "build/progs/latecall missing (make e2e)"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"

modes="local deepbind"
# ASan refuses RTLD_DEEPBIND ("incompatible with sanitizer runtime")
if [ -n "${TLSDIAG_ASAN_PRELOAD:-}" ]; then
	echo "SKIP part: deepbind under make asan (ASan does not allow it)"
	modes=local
fi
for mode in $modes; do
	go=$tmp/$mode.go
	start_ready "p_$mode" "$PROGS/latecall" "$go" "$mode" \
	    "$PROGS/libtlshelper.so" "$exp_port" "$PKI/ca.pem"
	eval "pid=\$p_${mode}_pid"
	"$TLSDIAG" attach -o "$tmp/$mode.%p.jsonl" "$pid" >"$tmp/$mode.att" ||
	    fail "$mode: attach failed: $(cat "$tmp/$mode.att")"
	: >"$go"
	wait_grep "$tmp/p_$mode.out" '^done$'
	grep -q '^run: status [1-9]' "$tmp/p_$mode.out" ||
	    problem "$mode: the client did not fail"
	n=$(jcount "$tmp/$mode.$pid.jsonl")
	[ "$n" = 1 ] || problem "$mode: $n records after dlopen, want 1"
	[ "$(jget "$tmp/$mode.$pid.jsonl" -1 tlsdiag.verify_code)" = 10 ] ||
	    problem "$mode: the record is not the expired certificate"
	child=$(ls "$tmp/$mode".*.jsonl | grep -v "\.$pid\.jsonl" || :)
	[ -n "$child" ] || problem "$mode: no log from the forked child"
	[ -z "$child" ] || [ "$(jcount "$child")" = 1 ] ||
	    problem "$mode: the child's log has $(jcount "$child") records"
	# status names the log with %p expanded
	"$TLSDIAG" status "$pid" | grep -q "	log=$tmp/$mode.$pid.jsonl	" ||
	    problem "$mode: status: $("$TLSDIAG" status "$pid")"
	"$TLSDIAG" detach "$pid" >/dev/null || problem "$mode: detach failed"
done
finish
