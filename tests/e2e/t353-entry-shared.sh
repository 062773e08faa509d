#!/bin/sh
# t353-entry-shared: a shared object that carries OpenSSL inside and
# exports it (libtlshelper.c linked from libssl.a/libcrypto.a).  Linked
# with -Bsymbolic (libembed_sym.so) its own calls are direct: its entry
# points are hooked before main, each failure gives exactly one record,
# with the type and verify code the ordinary sslclient gets from the same
# server, its own file as tlsdiag.openssl.path, and the exit record lists
# it with its hooked functions.  The executable calling the object's
# OpenSSL through its own GOT (embed_sym_sslclient) reaches the same
# copy, whose functions are the trampolines: one record, not two.
# Without -Bsymbolic (libembed_pre.so) its calls go through its GOT, the
# preload reaches them: one record each, and the exit record says the
# object was not entry-hooked and why.  dlopen()ed after start, the
# -Bsymbolic object cannot be patched under LD_PRELOAD (no dlopen
# wrapper): listed with that reason, nothing recorded, nothing harmed.
# Past the bound of the table, objects are counted (entry_hooks_unlisted).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki
for p in embed_sym_main embed_pre_main embed_sym_sslclient sslclient \
    nolink_helper libembed_sym.so libembed_pre.so; do
	[ -e "$PROGS/$p" ] || fail "build/progs/$p not built"
done
readelf -d "$PROGS/libembed_sym.so" | grep -q 'FLAGS.*SYMBOLIC' ||
    fail "libembed_sym.so is not linked with -Bsymbolic"
! readelf -d "$PROGS/libembed_pre.so" | grep -q 'SYMBOLIC' ||
    fail "libembed_pre.so is linked with -Bsymbolic"
sym=$PROGS/libembed_sym.so
pre=$PROGS/libembed_pre.so
gotwhy='reached through the GOT: its own calls bind through it (no -Bsymbolic)'

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
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
cov = rec["tlsdiag"]["coverage"] if rec else {}
for o in cov.get("entry_hooks", []):
    print("object", o["path"], "hooked", len(o["hooked"]))
    for n in o["not_hooked"]:
        print("not_hooked", n["function"], n["reason"])
if "entry_hooks_unlisted" in cov:
    print("unlisted", cov["entry_hooks_unlisted"])
PY
}

# The ordinary client against the same servers: what CPython's verdicts
# look like for them, to compare with.
same_run ref-exp "$PROGS/sslclient" "$exp_port" "$PKI/ca.pem"
same_run ref-drop "$PROGS/sslclient" "$drop_port" "$PKI/ca.pem" get
for f in exp drop; do
	"$HPY" "$SRCPROGS/e2ecompare.py" project "$tmp/ref-$f.log" \
	    error.type tlsdiag.verify_code tlsdiag.reason tlsdiag.phase \
	    >"$tmp/ref-$f.want"
done
grep -q '^error.type=SSLCertVerificationError$' "$tmp/ref-exp.want" ||
    fail "the ordinary client's record: $(cat "$tmp/ref-exp.want")"

# compare NAME LOG F: the records of LOG are those of the ordinary client
# against server F, and each names the shared object as its OpenSSL.
compare() {
	"$HPY" "$SRCPROGS/e2ecompare.py" project "$2" error.type \
	    tlsdiag.verify_code tlsdiag.reason tlsdiag.phase >"$tmp/$1.got" ||
	    :
	diff -u "$tmp/ref-$3.want" "$tmp/$1.got" >&2 ||
	    problem "$1: records differ from the ordinary client's"
}

for f in exp drop; do
	a=; [ "$f" = drop ] && a='get'
	# shellcheck disable=SC2086
	same_run "sym-$f" "$PROGS/embed_sym_main" "$(eval echo \$${f}_port)" \
	    "$PKI/ca.pem" $a
	compare "sym-$f" "$tmp/sym-$f.log" "$f"
	c=SSL_connect; [ "$f" = drop ] && c=SSL_read
	want_records "sym-$f-path" "$tmp/sym-$f.log" tlsdiag.openssl.path \
	    tlsdiag.call <<END
tlsdiag.openssl.path=$sym
tlsdiag.call=$c
--
END
done
hooks "$tmp/sym-exp.log" >"$tmp/sym.got"
echo "object $sym hooked 11" | diff -u - "$tmp/sym.got" >&2 ||
    problem "sym-exp: the exit record does not list the object hooked"

# The executable calls the object's OpenSSL: through its GOT to the
# wrapper, whose copy calls the trampolines; the object's inner calls
# (SSL_connect -> SSL_do_handshake) hit the patched entries, nested.
same_run symx-exp "$PROGS/embed_sym_sslclient" "$exp_port" "$PKI/ca.pem"
compare symx-exp "$tmp/symx-exp.log" exp
want_records symx-exp-path "$tmp/symx-exp.log" tlsdiag.openssl.path \
    tlsdiag.call <<END
tlsdiag.openssl.path=$sym
tlsdiag.call=SSL_connect
--
END

# Without -Bsymbolic: reached through the GOT, one record, no entry hook.
for f in exp drop; do
	a=; [ "$f" = drop ] && a='get'
	# shellcheck disable=SC2086
	same_run "pre-$f" "$PROGS/embed_pre_main" "$(eval echo \$${f}_port)" \
	    "$PKI/ca.pem" $a
	compare "pre-$f" "$tmp/pre-$f.log" "$f"
	want_records "pre-$f-path" "$tmp/pre-$f.log" tlsdiag.openssl.path <<END
tlsdiag.openssl.path=$pre
--
END
done
hooks "$tmp/pre-exp.log" >"$tmp/pre.got"
{
	echo "object $pre hooked 0"
	for f in SSL_read SSL_read_ex SSL_peek SSL_peek_ex SSL_write \
	    SSL_write_ex SSL_do_handshake SSL_connect SSL_accept SSL_shutdown \
	    SSL_get_verify_result; do
		echo "not_hooked $f $gotwhy"
	done
} | diff -u - "$tmp/pre.got" >&2 ||
    problem "pre-exp: the exit record does not say why it was not hooked"

# dlopen()ed after start under LD_PRELOAD: not patched, and said so.
same_run late-exp "$PROGS/nolink_helper" local "$sym" "$exp_port" \
    "$PKI/ca.pem"
[ "$status" -eq 1 ] || problem "late-exp: status $status, want 1"
want_records late-exp "$tmp/late-exp.log" error.type </dev/null
hooks "$tmp/late-exp.log" | sed -n '1,2p' >"$tmp/late.got"
printf '%s\n' "object $sym hooked 0" \
    "not_hooked SSL_read loaded after start: LD_PRELOAD does not see dlopen" |
    diff -u - "$tmp/late.got" >&2 ||
    problem "late-exp: the exit record does not list the late object"
# ... and without -Bsymbolic: its calls reach the preload, as at start.
same_run latepre-exp "$PROGS/nolink_helper" local "$pre" "$exp_port" \
    "$PKI/ca.pem"
compare latepre-exp "$tmp/latepre-exp.log" exp
hooks "$tmp/latepre-exp.log" | sed -n '1,2p' >"$tmp/latepre.got"
printf '%s\n' "object $pre hooked 0" "not_hooked SSL_read $gotwhy" |
    diff -u - "$tmp/latepre.got" >&2 ||
    problem "latepre-exp: the exit record does not say GOT"

# More objects than the table holds (8; 1 in the fault build): the rest
# are counted in the exit record, never dropped silently.
timeout "$CLIENT_TIMEOUT" env LD_PRELOAD="$BUILD/libtlsdiag-faults.so" \
    TLSDIAG_LOG="$tmp/over.log" TLSDIAG_FAULT_ENTRY_OBJECTS=1 \
    "$PROGS/nolink_helper" local "$sym" "$exp_port" "$PKI/ca.pem" -- \
    local "$pre" "$exp_port" "$PKI/ca.pem" >"$tmp/over.out" 2>&1 || :
hooks "$tmp/over.log" | sed -n '1p;$p' >"$tmp/over.got"
printf '%s\n' "object $sym hooked 0" "unlisted 1" |
    diff -u - "$tmp/over.got" >&2 ||
    problem "over: the exit record does not count the unlisted object"
finish
