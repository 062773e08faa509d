#!/bin/sh
# t200-shim-hygiene: what the program can observe after a failing OpenSSL
# call (return value, SSL_get_error, errno, every entry of the error queue
# with file and line, the verify result) is identical with and without the
# shim: with a writable log, with a log that cannot be opened (our open()
# fails), and under libtlsdiag-faults.so, which queues an OpenSSL error and
# sets errno inside the shim's failure path on purpose.  Without the
# shim's errno restore and ERR_set_mark/ERR_pop_to_mark bracket, the last
# two runs differ.
. "$(dirname "$0")/lib.sh"
require_shim
make_pki
FAULTS=$BUILD/libtlsdiag-faults.so
[ -f "$FAULTS" ] || fail "'$FAULTS' not built"

for sc in verify-fail eof stale ignored; do
	args="$sc $PKI/selfsigned.pem $PKI/selfsigned.key"
	# shellcheck disable=SC2086
	run_plain "$PROGS/membio" $args >"$tmp/$sc.bare" 2>&1 ||
	    fail "$sc: membio failed: $(cat "$tmp/$sc.bare")"
	grep -q 'ret=' "$tmp/$sc.bare" || fail "$sc: no output"
	for variant in log nolog faults; do
		out=$tmp/$sc.out.$variant
		case $variant in
		log)
			# shellcheck disable=SC2086
			run_shimmed "$tmp/$sc.log" "$PROGS/membio" $args \
			    >"$out" 2>&1 ;;
		nolog)
			# shellcheck disable=SC2086
			run_shimmed "$tmp/missing/dir/log" "$PROGS/membio" \
			    $args >"$out" 2>&1 ;;
		faults)
			# shellcheck disable=SC2086
			timeout 15 env LD_PRELOAD="$FAULTS" \
			    TLSDIAG_LOG="$tmp/$sc.flog" \
			    TLSDIAG_FAULT_ERRQUEUE=1 TLSDIAG_FAULT_ERRNO=1 \
			    "$PROGS/membio" $args >"$out" 2>&1 ;;
		esac
		diff -u "$tmp/$sc.bare" "$out" ||
		    problem "$sc: the program saw something else ($variant)"
	done
	[ ! -e "$tmp/missing" ] || problem "$sc: the shim created a directory"
	# the fault build still recorded: the faults were inside the bracket
	n=$(jcount "$tmp/$sc.flog")
	want=$(jcount "$tmp/$sc.log")
	[ "$want" -ge 1 ] && [ "$n" -eq "$want" ] ||
	    problem "$sc: $n records under the fault build, $want without"
done

# what was recorded, per scenario
expect() {
	sc=$1 field=$2 want=$3
	got=$(jget "$tmp/$sc.log" 1 "$field")
	[ "$got" = "$want" ] || problem "$sc: $field is '$got', want '$want'"
}
expect verify-fail error.type SSLCertVerificationError
expect verify-fail tlsdiag.verify_code 18
expect verify-fail tlsdiag.transport memory
expect eof error.type SSLEOFError
expect eof tlsdiag.reason UNEXPECTED_EOF_WHILE_READING
expect stale tlsdiag.call SSL_get_verify_result
expect stale log.level warning
expect ignored tlsdiag.call SSL_get_verify_result
expect ignored tlsdiag.after SSL_do_handshake
expect ignored log.level warning
expect ignored tlsdiag.verify_message "self-signed certificate"
got=$(jget "$tmp/stale.log" 2 error.message)
[ "$got" = "[X509: CERT_ALREADY_IN_HASH_TABLE] cert already in hash table" ] ||
    problem "stale: phantom read recorded as '$got'"
finish
