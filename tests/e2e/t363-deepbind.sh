#!/bin/sh
# t363-deepbind: RTLD_DEEPBIND makes the loader bind a dlopened object
# (and the libssl loaded with it) to its own dependencies before the global
# scope, so the preloaded wrappers are bypassed entirely: by a helper
# library linked with libssl (nolink_helper deepbind) and by a program
# calling dlsym pointers into a libssl it dlopened with RTLD_DEEPBIND
# (nolink_dlsym deepbind).  Interposition is impossible here: nothing is
# recorded and the program's output and status are unchanged.
#
# The exit (coverage) record must still say that libssl was loaded but no
# call reached the shim: tls_seen false, libssl listed under libraries.
# (The shim writes no exit record at all when no wrapper was ever called;
# this part fails until it does.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
# ASan's dlopen refuses RTLD_DEEPBIND, the subject of this test, in any
# process it runs in (github.com/google/sanitizers/issues/611).
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] ||
    skip "ASan cannot run RTLD_DEEPBIND; make test runs this test"
make_pki

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

same_run helper "$PROGS/nolink_helper" \
    deepbind "$PROGS/libtlshelper.so" "$exp_port" "$PKI/ca.pem" -- \
    deepbind "$PROGS/libtlshelper.so" "$drop_port" "$PKI/ca.pem" get
[ "$status" -eq 1 ] || problem "helper: status $status, want 1"
grep -q '^verify result 10 ' "$tmp/helper.out" ||
    problem "helper: no certificate failure: $(cat "$tmp/helper.out")"
grep -q '^run 2: status 2$' "$tmp/helper.out" ||
    problem "helper: the second run did not end in a failed read"

same_run dlsym "$PROGS/nolink_dlsym" deepbind "$exp_port" "$PKI/ca.pem"
[ "$status" -eq 1 ] || problem "dlsym: status $status, want 1"

for n in helper dlsym; do
	want_records "$n" "$tmp/$n.log" error.type </dev/null
	v=$(coverage "$tmp/$n.log" tls_seen)
	if [ "$v" = none ]; then
		problem "$n: no exit record says that libssl was loaded but" \
		    "bypassed the shim (RTLD_DEEPBIND)"
	else
		want_coverage "$n" "$tmp/$n.log" tls_seen false
		coverage "$tmp/$n.log" libraries |
		    grep -q '"/lib/x86_64-linux-gnu/libssl.so.3"' ||
		    problem "$n: the exit record does not list libssl.so.3"
		# and the report's coverage says it in words
		"$TLSDIAG" report "$tmp/$n.log" >"$tmp/$n.report"
		grep -q "^  *nolink_$n loaded libssl.so.3 privately but no TLS call reached tlsdiag\$" \
		    "$tmp/$n.report" ||
		    problem "$n: the report does not say libssl was loaded" \
		    "privately: $(cat "$tmp/$n.report")"
	fi
done
finish
