#!/bin/sh
# t226-shim-exit-lookups: at the exit of a process that links libssl and
# made no TLS call, the shim reads the loaded objects' own symbol tables
# (shim/elfsym.c) instead of asking the loader: one lookup of SSL_new (the
# global libssl's path), none of the static-OpenSSL marks in the
# executable (issue 12 item 6, start-up cost).  Seen through the loader's
# trace (LD_DEBUG=symbols), shim minus bare.  And the configuration read
# at load, collected in one pass over the environment, is still what
# getenv() would give, also past 16 TLSDIAG_* entries.
. "$(dirname "$0")/lib.sh"
require_shim

BENCH=$BUILD/tlsbench
[ -x "$BENCH" ] || fail "'$BENCH' not built (make e2e builds it)"
sh "$SRCPROGS/mkcerts.sh" "$tmp/pki" >/dev/null
PKI=$tmp/pki

# lookups NAME DIR: how many times the loader looked NAME up in libssl
lookups() {
	cat "$2"/ld.* 2>/dev/null | grep "symbol=$1;" |
	    grep -c 'lookup in file=.*libssl\.so' || true
}

mkdir "$tmp/bare" "$tmp/shim"
LD_DEBUG=symbols LD_DEBUG_OUTPUT="$tmp/bare/ld" "$BENCH" none mem 5 \
    "$PKI/good.pem" "$PKI/good.key" >/dev/null || fail "tlsbench none failed"
run_shimmed "$tmp/none.log" LD_DEBUG=symbols LD_DEBUG_OUTPUT="$tmp/shim/ld" \
    "$BENCH" none mem 5 "$PKI/good.pem" "$PKI/good.key" >/dev/null ||
    fail "tlsbench none failed under the shim"
for want in SSL_new:1 OPENSSL_init_ssl:0 SSL_CTX_new:0; do
	f=${want%:*}
	n=$(($(lookups "$f" "$tmp/shim") - $(lookups "$f" "$tmp/bare")))
	[ "$n" -eq "${want#*:}" ] ||
	    problem "the shim looked $f up $n times (want ${want#*:})"
done
grep -q '"tlsdiag_start"' "$tmp/none.log" 2>/dev/null &&
    problem "a start record for a process that made no TLS call"

# The configuration, with 3 and with 17 TLSDIAG_* entries (getenv then).
for extra in 0 14; do
	set --
	i=0
	while [ "$i" -lt "$extra" ]; do
		set -- "$@" "TLSDIAG_UNUSED_$i=x"
		i=$((i + 1))
	done
	rm -f "$tmp/cfg.log"
	env "$@" TLSDIAG_DEBUG=1 TLSDIAG_BACKTRACE=bogus TLSDIAG_RATE=0 \
	    LD_PRELOAD="$SHIM" TLSDIAG_LOG="$tmp/cfg.log" \
	    "$BENCH" verifyfail mem 2 \
	    "$PKI/selfsigned.pem" "$PKI/selfsigned.key" >/dev/null \
	    2>"$tmp/cfg.err" || fail "tlsbench verifyfail failed"
	n=$(grep -c '"tls_failure"' "$tmp/cfg.log" 2>/dev/null || true)
	[ "$n" -eq 2 ] ||
	    problem "$extra extra entries: $n failure records (want 2)"
	grep -q "^shim: .*TLSDIAG_BACKTRACE" "$tmp/cfg.err" ||
	    problem "$extra extra entries: no message about TLSDIAG_BACKTRACE=bogus"
done
finish
