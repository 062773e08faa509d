#!/bin/sh
# t370-two-copies: one process uses two libssl copies.  The test makes a
# second copy of Debian's libssl and libcrypto under other sonames
# (libssl-alt.so.3, libcrypto-alt.so.3, with patchelf) and a copy of
# libtlshelper.so that needs them; nolink_helper (not linked with libssl)
# dlopens both helpers RTLD_LOCAL, alternately, and each makes a failing
# handshake (expired certificate) and a read the server cuts short.  Every
# wrapped call must be forwarded to the copy its caller uses (an SSL*
# handed to the other copy would crash or fail differently), so the
# program's output and status are unchanged, four failures are recorded,
# and each record's tlsdiag.openssl.path names the copy it came through.
# The coverage record lists both copies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
need_tool patchelf readelf
require_shim
make_pki

sys=/lib/x86_64-linux-gnu
alt=$tmp/alt
mkdir "$alt"
cp "$sys/libssl.so.3" "$alt/libssl-alt.so.3"
cp "$sys/libcrypto.so.3" "$alt/libcrypto-alt.so.3"
cp "$PROGS/libtlshelper.so" "$alt/libtlshelper-alt.so"
# patchelf 0.14 mishandles several operations in one call: one at a time.
patchelf --set-soname libcrypto-alt.so.3 "$alt/libcrypto-alt.so.3"
patchelf --set-soname libssl-alt.so.3 "$alt/libssl-alt.so.3"
patchelf --replace-needed libcrypto.so.3 libcrypto-alt.so.3 \
    "$alt/libssl-alt.so.3"
# shellcheck disable=SC2016
patchelf --set-rpath '$ORIGIN' "$alt/libssl-alt.so.3"
patchelf --replace-needed libssl.so.3 libssl-alt.so.3 \
    "$alt/libtlshelper-alt.so"
patchelf --replace-needed libcrypto.so.3 libcrypto-alt.so.3 \
    "$alt/libtlshelper-alt.so"
# shellcheck disable=SC2016
patchelf --set-rpath '$ORIGIN' "$alt/libtlshelper-alt.so"
readelf -d "$alt/libtlshelper-alt.so" | grep -q 'NEEDED.*\[libssl-alt.so.3\]' ||
    fail "patchelf did not retarget the helper: $(readelf -d \
    "$alt/libtlshelper-alt.so")"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

A=$alt/libtlshelper-alt.so
S=$PROGS/libtlshelper.so
same_run two "$PROGS/nolink_helper" \
    local "$A" "$exp_port" "$PKI/ca.pem" -- \
    local "$S" "$exp_port" "$PKI/ca.pem" -- \
    local "$A" "$drop_port" "$PKI/ca.pem" get -- \
    local "$S" "$drop_port" "$PKI/ca.pem" get
[ "$status" -eq 1 ] || problem "two: status $status, want 1"
printf 'run %s\n' '1: status 1' '2: status 1' '3: status 2' '4: status 2' \
    >"$tmp/runs.want"
grep '^run ' "$tmp/two.out" | diff -u "$tmp/runs.want" - >&2 ||
    problem "two: the runs did not end as expected"
# Both copies are really in the process, under their own names.
grep -c 'certificate verify failed' "$tmp/two.out" | grep -qx 2 ||
    problem "two: want two certificate failures: $(cat "$tmp/two.out")"

want_records two "$tmp/two.log" error.type tlsdiag.call tlsdiag.verify_code \
    process.pid tlsdiag.openssl.path <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_connect
tlsdiag.verify_code=10
process.pid=$pid
tlsdiag.openssl.path=$alt/libssl-alt.so.3
--
error.type=SSLCertVerificationError
tlsdiag.call=SSL_connect
tlsdiag.verify_code=10
process.pid=$pid
tlsdiag.openssl.path=$sys/libssl.so.3
--
error.type=SSLEOFError
tlsdiag.call=SSL_read
tlsdiag.verify_code=(absent)
process.pid=$pid
tlsdiag.openssl.path=$alt/libssl-alt.so.3
--
error.type=SSLEOFError
tlsdiag.call=SSL_read
tlsdiag.verify_code=(absent)
process.pid=$pid
tlsdiag.openssl.path=$sys/libssl.so.3
--
END
libs=$(coverage "$tmp/two.log" libraries)
for p in "$alt/libssl-alt.so.3" "$sys/libssl.so.3"; do
	case $libs in
	*"\"$p\""*) ;;
	*) problem "two: coverage libraries lack $p: $libs" ;;
	esac
done
want_coverage two "$tmp/two.log" failures \
    '{"SSLCertVerificationError": 2, "SSLEOFError": 2}'
finish
