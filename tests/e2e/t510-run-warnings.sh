#!/bin/sh
# t510-run-warnings: "tlsdiag run" warns, and still runs the command, when
# the shim cannot see it: a statically linked OpenSSL that is not
# exported (a copy of our own binary carrying OpenSSL's version text; the
# official node binary exports its copy and gets no warning, t350), a static executable (Debian's ldconfig), a setuid program
# that changes our ids (root only).  Ordinary programs get no warning.
. "$(dirname "$0")/lib.sh"
need_tool openssl
require_shim

# warns WANT CMD...: run CMD under tlsdiag run; stderr must contain WANT
# (a fixed string) and the command's status must come through.
warns() {
	_want=$1
	shift
	_st=0
	# RUN_ENV: the ASan runtime, which node needs (lib.sh)
	# shellcheck disable=SC2086
	timeout "$CLIENT_TIMEOUT" env $RUN_ENV "$TLSDIAG" run -o "$tmp/log" \
	    -- "$@" >"$tmp/out" 2>"$tmp/err" || _st=$?
	grep -qF -- "$_want" "$tmp/err" ||
	    problem "$1: no warning '$_want': $(cat "$tmp/err")"
}

if command -v node >/dev/null 2>&1 &&
    ! ldd "$(command -v node)" | grep -q libssl; then
	# exported, node's OpenSSL is hooked at its entries (t350): no
	# warning, and the summary counts its failure
	make_pki
	start_server ss openssl s_server -accept 127.0.0.1:0 -www \
	    -cert "$PKI/expired.pem" -key "$PKI/expired.key"
	node=$(command -v node)
	_st=0
	# RUN_ENV: the ASan runtime, which node needs (lib.sh)
	# shellcheck disable=SC2086
	timeout "$CLIENT_TIMEOUT" env $RUN_ENV "$TLSDIAG" run -o "$tmp/log" \
	    -- node -e "require('https').get({host: '127.0.0.1', port: $ss_port,
	    servername: 'localhost'}, () => process.exit(0)).on('error',
	    (e) => { console.log(e.code); process.exit(3); })" \
	    >"$tmp/out" 2>"$tmp/err" || _st=$?
	[ "$_st" -eq 3 ] || problem "node exited $_st, want 3"
	[ "$(cat "$tmp/out")" = CERT_HAS_EXPIRED ] ||
	    problem "node did not fail as expected: $(cat "$tmp/out" "$tmp/err")"
	! grep -q 'carries its own OpenSSL' "$tmp/err" ||
	    problem "node: run still warns: $(cat "$tmp/err")"
	! grep -q 'no TLS activity seen' "$tmp/err" ||
	    problem "node: summary says no TLS activity: $(cat "$tmp/err")"
	[ "$(jget "$tmp/log" -1 tlsdiag.coverage.static_openssl)" = false ] ||
	    problem "node: the shim says static_openssl: $(cat "$tmp/log")"
else
	echo "node with a static OpenSSL is not installed: that case not run"
fi

cp "$TLSDIAG" "$tmp/vendored"
printf 'OpenSSL 3.0.13 30 Jan 2024\n' >>"$tmp/vendored"
warns "tlsdiag: warning: '$tmp/vendored' carries its own OpenSSL" \
    "$tmp/vendored" --version
[ "$_st" -eq 0 ] || problem "vendored copy exited $_st"
grep -qx 'tlsdiag 0.1.0\|tlsdiag [0-9.]*' "$tmp/out" ||
    problem "vendored copy did not run: $(cat "$tmp/out")"

if [ -x /sbin/ldconfig ] && ! ldd /sbin/ldconfig >/dev/null 2>&1; then
	warns "tlsdiag: warning: '/sbin/ldconfig' is statically linked: the loader ignores LD_PRELOAD there, nothing can be recorded" \
	    /sbin/ldconfig --version
	[ "$_st" -eq 0 ] || problem "ldconfig --version exited $_st"
fi

if [ "$(id -u)" -eq 0 ]; then
	cp /bin/true "$tmp/suid-true"
	chmod 755 "$tmp" "$tmp/suid-true"
	chown 65534 "$tmp/suid-true"
	chmod 4755 "$tmp/suid-true"
	warns "tlsdiag: warning: '$tmp/suid-true' is setuid or setgid: the loader ignores LD_PRELOAD there (secure-execution), nothing can be recorded from it" \
	    "$tmp/suid-true"
	[ "$_st" -eq 0 ] || problem "setuid true exited $_st"
	# Setuid root run by root changes no ids: the preload works.
	chown 0 "$tmp/suid-true"
	chmod 4755 "$tmp/suid-true"
	timeout "$CLIENT_TIMEOUT" "$TLSDIAG" run -o "$tmp/log" -- \
	    "$tmp/suid-true" 2>"$tmp/err" || problem "setuid root true failed"
	! grep -q "^tlsdiag: warning:" "$tmp/err" ||
	    problem "setuid root warned for root: $(cat "$tmp/err")"
else
	echo "not root: the setuid case not run"
fi

# No warning for ordinary dynamically linked programs.
for cmd in /bin/true "$(command -v openssl)"; do
	timeout "$CLIENT_TIMEOUT" "$TLSDIAG" run -o "$tmp/log" -- "$cmd" \
	    version >/dev/null 2>"$tmp/err" || :
	! grep -q "^tlsdiag: warning:" "$tmp/err" || problem "$cmd: $(cat "$tmp/err")"
done
finish
