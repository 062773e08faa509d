#!/bin/sh
# t330-nginx: Debian's nginx (dynamically linked with libssl3) as a TLS
# server on 127.0.0.1, run as root from a temporary prefix, master and two
# workers, under the shim.  Clients abort at different points; for each,
# the shim's records must match what nginx itself wrote in its error log,
# and every record must come from a worker (not the master).  The config
# has no 'env TLSDIAG_LOG;' although nginx clears its workers'
# environment: the shim read its configuration when it was loaded.
#
#   client                          nginx says                    record
#   good request (curl)             closed keepalive connection   none
#   TCP connect, FIN                closed connection while SSL   none
#                                   handshaking (its own recv())
#   TCP connect, RST                recv() failed (104)           none
#   ClientHello, FIN                peer closed connection in SSL SSLZeroReturnError,
#                                   handshake                     SSL_do_handshake
#   handshake, close, no request    client closed connection      SSLZeroReturnError,
#                                   while waiting for request     SSL_read
#   request, read 1000 bytes, close SSL_write() failed (104)      ConnectionResetError,
#   curl --max-time cut mid-body      or: client prematurely      SSL_write / none
#                                   closed connection (nginx saw
#                                   the reset in its own recv())
# (nginx sets SSL_OP_IGNORE_UNEXPECTED_EOF, so an EOF is SSL_ERROR_ZERO_
# RETURN.)  The first five steps are also run without the shim: nginx's
# error log must say the same.  At a graceful stop each worker that saw
# TLS writes an exit record whose failure counts match.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
need_tool nginx curl
require_shim
[ "$(id -u)" -eq 0 ] || skip "nginx is started as root here"
make_pki
head -c 20000000 /dev/zero >"$tmp/big"

# nginx_start NAME [ENV...]: start nginx with its own prefix $tmp/NAME.
nginx_start() {
	_d=$tmp/$1
	shift
	mkdir "$_d"
	port=$("$HPY" -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$_d/nginx.conf" <<END
user root;
worker_processes 2;
error_log $_d/error.log info;
pid $_d/nginx.pid;
events { worker_connections 64; }
http {
	access_log $_d/access.log;
	client_body_temp_path $_d/t1;
	proxy_temp_path $_d/t2;
	fastcgi_temp_path $_d/t3;
	uwsgi_temp_path $_d/t4;
	scgi_temp_path $_d/t5;
	server {
		listen 127.0.0.1:$port ssl;
		ssl_certificate $PKI/good.pem;
		ssl_certificate_key $PKI/good.key;
		root $tmp;
		location = / { return 200 "ok\n"; }
	}
}
END
	# shellcheck disable=SC2016
	start_server ngx sh -c 'echo PORT "$0"; exec "$@"' "$port" env "$@" \
	    nginx -p "$_d" -c "$_d/nginx.conf" -g 'daemon off;'
	_i=0
	until "$HPY" -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
	    "$port" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -le 50 ] || fail "nginx did not listen: $(cat "$_d/error.log")"
		sleep 0.1
	done
	nconn=0
}

# conn_wait DIR: wait until nginx logged the end of one more connection.
conn_wait() {
	nconn=$((nconn + 1))
	_i=0
	while [ "$(grep -c '\] [0-9]*#[0-9]*: \*[0-9]' "$1/error.log")" \
	    -lt "$nconn" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || fail "nginx logged no end for connection \
$nconn: $(tail -3 "$1/error.log")"
		sleep 0.1
	done
}

# pyclient MODE: a Python (not shimmed) TLS client that does MODE:
# "close" handshakes and closes without a request or close_notify, "mid"
# requests /big, reads 1000 bytes and closes with the rest unread.
pyclient() {
	"$HPY" - "$port" "$PKI/ca.pem" "$1" <<'END'
import socket, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])),
                                             10), server_hostname="localhost")
if sys.argv[3] == "mid":
    s.sendall(b"GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n")
    n = 0
    while n < 1000:
        n += len(s.recv(1000 - n))
s.close()
END
}

curl_get() {
	curl -sS --cacert "$PKI/ca.pem" --resolve "localhost:$port:127.0.0.1" \
	    "$@"
}

# steps DIR: the client steps with a deterministic outcome.
steps() {
	curl_get --max-time 10 "https://localhost:$port/" >"$1/curl.out" ||
	    fail "curl against nginx failed"
	[ "$(cat "$1/curl.out")" = ok ] || fail "nginx said $(cat "$1/curl.out")"
	conn_wait "$1"
	for m in fin rst hello-then-fin; do
		"$HPY" "$SRCPROGS/dropclient.py" --port "$port" --mode "$m" ||
		    fail "dropclient $m failed"
		conn_wait "$1"
	done
	pyclient close || fail "python client (close) failed"
	conn_wait "$1"
}

# infolines DIR: nginx's per-connection messages, without time, pids,
# connection numbers and ports.
infolines() {
	sed -n 's/^[0-9/]* [0-9:]* \[info\] [0-9]*#[0-9]*: \*[0-9]* //p' \
	    "$1/error.log" | sed 's/:[0-9][0-9]*/:PORT/g'
}

# The same steps without the shim, for the comparison of nginx's log.
nginx_start plain
steps "$tmp/plain"
kill -QUIT "$ngx_pid"
wait_server ngx
! grep -v '^PORT ' "$tmp/ngx.out" "$tmp/ngx.err" ||
    fail "nginx printed something (above)"

d=$tmp/shim
log=$tmp/nginx.log
nginx_start shim LD_PRELOAD="$SHIM" TLSDIAG_LOG="$log"
master=$ngx_pid
grep -q '^ *env ' "$d/nginx.conf" && fail "the config must not pass env"
steps "$d"
infolines "$tmp/plain" >"$tmp/plain.info"
infolines "$d" >"$tmp/shim.info"
diff -u "$tmp/plain.info" "$tmp/shim.info" >&2 ||
    problem "nginx's error log differs under the shim"

cat >"$tmp/want" <<'END'
error.type=SSLZeroReturnError
tlsdiag.call=SSL_do_handshake
tlsdiag.role=server
tlsdiag.phase=handshake
process.name=nginx
--
error.type=SSLZeroReturnError
tlsdiag.call=SSL_read
tlsdiag.role=server
tlsdiag.phase=data
process.name=nginx
--
END
# The aborted responses: what nginx saw decides what the shim must show.
for how in python curl; do
	case $how in
	python) pyclient mid || fail "python client (mid) failed" ;;
	curl)
		curl_get --max-time 1 --limit-rate 200k -o /dev/null \
		    "https://localhost:$port/big" 2>/dev/null && fail \
		    "curl --max-time 1 fetched 20 MB at 200 kB/s"
		;;
	esac
	conn_wait "$d"
	last=$(grep '\] [0-9]*#[0-9]*: \*[0-9]' "$d/error.log" | tail -1)
	case $last in
	*'SSL_write() failed (104: '*)
		printf '%s\n' error.type=ConnectionResetError \
		    tlsdiag.call=SSL_write tlsdiag.role=server \
		    tlsdiag.phase=data process.name=nginx -- >>"$tmp/want"
		;;
	*'SSL_write() failed (32: '*)
		printf '%s\n' error.type=BrokenPipeError \
		    tlsdiag.call=SSL_write tlsdiag.role=server \
		    tlsdiag.phase=data process.name=nginx -- >>"$tmp/want"
		;;
	*'client prematurely closed connection'*) ;;
	*) problem "$how: unexpected nginx message: $last" ;;
	esac
	echo "$how abort: nginx said: ${last#*\*}"
done
workers=$(ps -o pid= --ppid "$master" | tr -d ' ')
[ "$(echo "$workers" | wc -l)" -eq 2 ] ||
    problem "want 2 workers of $master, found: $workers"

want_records nginx "$log" error.type tlsdiag.call tlsdiag.role \
    tlsdiag.phase process.name <"$tmp/want"
"$HPY" "$SRCPROGS/e2ecompare.py" project "$log" process.pid |
    sed -n 's/^process.pid=//p' >"$tmp/pids"
[ -s "$tmp/pids" ] || problem "no record carries a pid"
while read -r p; do
	echo "$workers" | grep -qx "$p" ||
	    problem "record from pid $p, not a worker (master $master," \
	    "workers $(echo "$workers" | tr '\n' ' '))"
done <"$tmp/pids"

kill -QUIT "$master"
wait_server ngx
! grep -v '^PORT ' "$tmp/ngx.out" "$tmp/ngx.err" ||
    problem "nginx printed something under the shim (above)"
# Exit records: only from workers, failure counts adding up to the records.
"$HPY" - "$log" "$master" "$(jcount "$log")" <<'END' || problem "exit records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
exits = [r for r in recs if r["event"]["action"] == "tlsdiag_exit"]
total = 0
for r in exits:
    if r["process"]["pid"] == int(sys.argv[2]):
        sys.exit("the master wrote an exit record: %s" % r["message"])
    total += sum(r["tlsdiag"]["coverage"]["failures"].values())
if not exits or total != int(sys.argv[3]):
    sys.exit("%d exit records count %d failures, want %s"
             % (len(exits), total, sys.argv[3]))
END
finish
