#!/bin/sh
# t366-peer-source: the peer's address behind a BIO that is not a socket
# BIO, and tlsdiag.peer_source saying how it was found.
#   bioclient socket  SSL_set_fd: socket_bio
#   bioclient custom  the program's own BIO calls recv()/send(): the
#                     socket the thread used inside the failing call,
#                     observed_fd
#   bioclient getfd   the same BIO answering BIO_get_fd: bio_chain
#   bioclient buffer  a buffering BIO over a socket BIO: bio_chain
#   bioclient pair    a BIO pair the program fills from a socket outside
#                     OpenSSL's calls: no honest way to tell which socket,
#                     so none and no address
#   curl              curl 7.88's own BIO ("OpenSSL CF BIO"): observed_fd,
#                     for an expired certificate (SSL_connect) and for a
#                     reset mid-response (SSL_read), where the socket has
#                     no peer any more when the failure is recorded: the
#                     address comes from when the socket was first used
# The programs' output and status are unchanged by the shim.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server rst "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

F='error.type tlsdiag.call tlsdiag.transport tlsdiag.peer_source
destination.ip destination.port source.ip'

for t in socket:socket:socket_bio custom:custom:observed_fd \
    getfd:custom:bio_chain buffer:socket:bio_chain pair:memory:none; do
	n=${t%%:*}
	rest=${t#*:}
	tr=${rest%%:*}
	src=${rest#*:}
	same_run "$n" "$PROGS/bioclient" "$n" "$exp_port" "$PKI/ca.pem" \
	    localhost
	[ "$status" -eq 1 ] || problem "$n: bioclient exited $status, want 1"
	if [ "$src" = none ]; then
		dip='(absent)' dport='(absent)' sip='(absent)'
	else
		dip=127.0.0.1 dport=$exp_port sip=127.0.0.1
	fi
	# shellcheck disable=SC2086
	want_records "$n" "$tmp/$n.log" $F <<END
error.type=SSLCertVerificationError
tlsdiag.call=SSL_connect
tlsdiag.transport=$tr
tlsdiag.peer_source=$src
destination.ip=$dip
destination.port=$dport
source.ip=$sip
--
END
done

if command -v curl >/dev/null 2>&1; then
	# curl links libp11-kit: under make asan, without the ASan runtime
	SHIM=$SHIM_P11
	for c in exp:SSLCertVerificationError:SSL_connect \
	    rst:ConnectionResetError:SSL_read; do
		n=${c%%:*}
		rest=${c#*:}
		type=${rest%%:*}
		call=${rest#*:}
		eval "port=\$${n}_port"
		same_run "curl-$n" curl -sS -o /dev/null --max-time 10 \
		    --cacert "$PKI/ca.pem" \
		    --resolve "localhost:$port:127.0.0.1" \
		    "https://localhost:$port/"
		# shellcheck disable=SC2086
		want_records "curl-$n" "$tmp/curl-$n.log" $F <<END
error.type=$type
tlsdiag.call=$call
tlsdiag.transport=custom
tlsdiag.peer_source=observed_fd
destination.ip=127.0.0.1
destination.port=$port
source.ip=127.0.0.1
--
END
	done
else
	echo "curl is not installed: its cases are skipped"
fi
finish
