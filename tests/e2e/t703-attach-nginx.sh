#!/bin/sh
# t703-attach-nginx: Debian's nginx (master and two workers), started
# without the preload, serves a client loop over TLS (a request every
# 20 ms).  "tlsdiag attach --all nginx" while it serves, clients that
# drop after their ClientHello, "tlsdiag detach --all nginx": the loop
# sees no failed request and none slower than 1 s, and the dropped
# handshakes are recorded by the workers (never the master).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attach.sh"
need_tool nginx
require_shim
[ "$(id -u)" -eq 0 ] || skip "nginx is started as root here"
make_pki

d=$tmp/ngx
mkdir "$d"
port=$("$HPY" -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$d/nginx.conf" <<END
user root;
worker_processes 2;
error_log $d/error.log info;
pid $d/nginx.pid;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $d/t1;
	proxy_temp_path $d/t2;
	fastcgi_temp_path $d/t3;
	uwsgi_temp_path $d/t4;
	scgi_temp_path $d/t5;
	server {
		listen 127.0.0.1:$port ssl;
		ssl_certificate $PKI/good.pem;
		ssl_certificate_key $PKI/good.key;
		location = / { return 200 "ok\n"; }
	}
}
END
# nginx renamed, so that --all finds this one and no other
cp "$(command -v nginx)" "$d/tlsdiag-t703-nginx"
# under make asan the sanitized library needs its runtime loaded first:
# RUN_ENV preloads it (the workers, forked, inherit it)
# shellcheck disable=SC2016
start_server ngx sh -c 'echo PORT "$0"; exec "$@"' "$port" env $RUN_ENV \
    "$d/tlsdiag-t703-nginx" -p "$d" -c "$d/nginx.conf" -g 'daemon off;'
i=0
until [ "$(pgrep -c -f "^nginx: worker process" -P "$ngx_pid" || :)" = 2 ]; do
	i=$((i + 1))
	[ "$i" -le 50 ] || fail "nginx did not start its workers"
	sleep 0.1
done
workers=$(pgrep -P "$ngx_pid" | tr '\n' ' ')

start_ready loop "$HPY" "$SRCPROGS/reqloop.py" "$port" "$PKI/ca.pem" \
    "$tmp/stop"
sleep 0.5
"$TLSDIAG" attach -o "$tmp/ngx.%p.jsonl" --all tlsdiag-t703-nginx \
    >"$tmp/attach.out" || fail "attach: $(cat "$tmp/attach.out")"
[ "$(grep -c '^tlsdiag: attached ' "$tmp/attach.out")" = 3 ] ||
    problem "not master and two workers: $(cat "$tmp/attach.out")"
for k in 1 2 3 4; do
	"$HPY" "$SRCPROGS/dropclient.py" --port "$port" --mode hello-then-fin \
	    >/dev/null || problem "dropclient failed"
done
sleep 0.5
"$TLSDIAG" detach --all tlsdiag-t703-nginx >"$tmp/detach.out" ||
    problem "detach: $(cat "$tmp/detach.out")"
sleep 0.5
: >"$tmp/stop"
wait_grep "$tmp/loop.out" . 5
sleep 0.3

n=$(grep -c '^ok ' "$tmp/loop.out" || :)
[ "$n" -ge 20 ] || problem "only $n requests served"
if grep '^fail ' "$tmp/loop.out" >&2; then
	problem "requests failed across attach and detach"
fi
slow=$(awk '$1 == "ok" && $2 > 1000' "$tmp/loop.out" | wc -l)
[ "$slow" = 0 ] || problem "$slow requests stalled over 1 s"

rec=0
for f in "$tmp"/ngx.*.jsonl; do
	[ -f "$f" ] || continue
	p=${f#"$tmp"/ngx.}
	p=${p%.jsonl}
	c=$(jcount "$f")
	rec=$((rec + c))
	[ "$c" = 0 ] || case " $workers " in
	*" $p "*) ;;
	*) problem "$c records from $p, not a worker ($workers)" ;;
	esac
done
[ "$rec" -ge 4 ] || problem "$rec dropped handshakes recorded, want 4"
finish
