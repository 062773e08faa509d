#!/bin/sh
# t140-py-negotiated: tls.version and tls.cipher are written only when they
# were negotiated.  Both ends of each connection run under the shim:
#   refused   a Python client with minimum_version TLSv1_3 against a
#             Python server that speaks TLS 1.2 at most: the server
#             answers the ClientHello with a protocol_version alert, so
#             neither end agreed on anything and neither record may name
#             a version or a cipher (the client used to say "1.3", what it
#             offered; the server "1.2", the ClientHello's legacy field)
#   verify    a client that does not trust the server's CA against the same
#             server: the ServerHello went through (TLS 1.2), the client
#             fails verification and alerts; both records say "1.2" and
#             name the same cipher
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
need_tool python3
make_pki

cat >"$tmp/server.py" <<'END'
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(4)
print("PORT %d" % ls.getsockname()[1], flush=True)
for i in range(int(sys.argv[3])):
    c, _ = ls.accept()
    try:
        t = ctx.wrap_socket(c, server_side=True)
        print("accepted", flush=True)
        t.close()
    except (ssl.SSLError, OSError) as e:
        print("server:", type(e).__name__, getattr(e, "reason", e),
              flush=True)
        c.close()
END
cat >"$tmp/client.py" <<'END'
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
if sys.argv[3] == "min13":
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as s:
        ctx.wrap_socket(s, server_hostname="localhost")
    print("connected")
except ssl.SSLError as e:
    print("client:", type(e).__name__, e.reason)
END

# One connection per server, so the server's log holds that connection only.
for c in refused:good:min13:TLSV1_ALERT_PROTOCOL_VERSION \
    verify:untrusted:any:CERTIFICATE_VERIFY_FAILED; do
	n=${c%%:*}
	rest=${c#*:}
	ca=${rest%%:*}
	rest=${rest#*:}
	flag=${rest%%:*}
	reason=${rest#*:}
	start_server "$n" env LD_PRELOAD="$SHIM" \
	    TLSDIAG_LOG="$tmp/$n.server.log" python3 "$tmp/server.py" \
	    "$PKI/good.pem" "$PKI/good.key" 1
	run_shimmed "$tmp/$n.client.log" python3 "$tmp/client.py" \
	    "$(eval echo "\$${n}_port")" "$PKI/$ca.pem" "$flag" \
	    >"$tmp/$n.client.out" 2>&1 || problem "$n: client failed"
	wait_server "$n"
	grep -q "^client: SSL.*Error $reason\$" "$tmp/$n.client.out" ||
	    problem "$n: client said: $(cat "$tmp/$n.client.out")"
	# the client's cipher, which the server's record must repeat
	ci=$("$HPY" "$SRCPROGS/e2ecompare.py" project "$tmp/$n.client.log" \
	    tls.cipher | sed -n 's/^tls.cipher=//p')
	case $n in
	refused) v='(absent)' ct=SSLError ;;
	verify) v=1.2 ct=SSLCertVerificationError
		case $ci in '' | '(absent)') problem "$n: no client cipher" ;; esac ;;
	esac
	[ "$n" = verify ] || [ "$ci" = '(absent)' ] ||
	    problem "$n: client cipher '$ci' written, none was negotiated"
	for end in client server; do
		[ "$end" = client ] || ct=SSLError
		want_records "$n.$end" "$tmp/$n.$end.log" error.type \
		    tlsdiag.role tls.version tls.cipher <<END
error.type=$ct
tlsdiag.role=$end
tls.version=$v
tls.cipher=$ci
--
END
	done
done
finish
