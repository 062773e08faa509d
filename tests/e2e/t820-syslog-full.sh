#!/bin/sh
# t820-syslog-full: TLSDIAG_LOG=syslog:SOCKET with a receiver that stops
# reading: once the socket's queue is full (max_dgram_qlen datagrams) each
# record is dropped at once (EAGAIN), the program is never blocked, and
# the exit record, sent after the receiver drained its queue, counts every
# record that was dropped.  Then syslog: to a socket nobody listens on:
# everything dropped, the program unharmed, TLSDIAG_DEBUG says so once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim

sock=$tmp/log.sock
mkdir "$tmp/go"
# The receiver: binds, says READY, reads nothing until $tmp/drain exists,
# then takes what is queued (writing $tmp/drained) and the rest as it
# comes, one datagram per line, until 3 s pass without any.
"$HPY" -c '
import os, socket, sys, time
sock, drain, out = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock)
print("READY", flush=True)
while not os.path.exists(drain):
    time.sleep(0.02)
f = open(out, "w")
s.setblocking(False)
try:
    while True:
        f.write(s.recv(65536).decode() + "\n")
except BlockingIOError:
    pass
f.flush()
open(drain + "ed", "w").close()
s.settimeout(3)
try:
    while True:
        f.write(s.recv(65536).decode() + "\n")
        f.flush()
except socket.timeout:
    pass
' "$sock" "$tmp/drain" "$tmp/got" >"$tmp/recv.out" 2>"$tmp/recv.err" &
recv_pid=$!
_server_pids="$_server_pids $recv_pid"
i=0
until grep -q READY "$tmp/recv.out" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "receiver did not start: $(cat "$tmp/recv.err")"
	sleep 0.1
done

n=30
i=1
while [ "$i" -le "$n" ]; do : >"$tmp/go/go$i"; i=$((i + 1)); done
start=$(date +%s%N)
env LD_PRELOAD="$SHIM" TLSDIAG_LOG="syslog:$sock" TLSDIAG_DEBUG=1 \
    timeout 20 "$FAILER" steps $((n + 1)) "$tmp/go" >"$tmp/f.out" \
    2>"$tmp/f.err" &
fpid=$!
wait_lines "$tmp/f.out" $((n + 1)) 10 # "pid" and "done 1..n"
ms=$((($(date +%s%N) - start) / 1000000))
# 30 failures with the queue full after the first few: milliseconds; a
# blocked send would stall here until the receiver reads.
[ "$ms" -lt 5000 ] || problem "$n failures took $ms ms: blocked?"
: >"$tmp/drain"
i=0
until [ -e "$tmp/drained" ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "receiver did not drain"
	sleep 0.1
done
: >"$tmp/go/go$((n + 1))"
st=0
wait "$fpid" || st=$?
[ "$st" -eq 0 ] || problem "failer exited $st: $(cat "$tmp/f.err")"
wait "$recv_pid" || :

"$HPY" - "$tmp/got" "$n" <<'PY' || problem "records and drops do not add up"
import json, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
recs = [json.loads(l.split(" - @cee:", 1)[1]) for l in lines]
acts = [r["event"]["action"] for r in recs]
if acts[-1] != "tlsdiag_exit":
    sys.exit("last datagram is not the exit record: %s" % acts)
cov = recs[-1]["tlsdiag"]["coverage"]
sent = 1 + (n + 1)          # start record, n + 1 failures, before exit
got = len(recs) - 1
print("received %d of %d, dropped %d" % (got, sent, cov["dropped"]))
if cov["dropped"] <= 0 or got + cov["dropped"] != sent:
    sys.exit(1)
if cov["records"] != got:
    sys.exit("records %d, received %d" % (cov["records"], got))
PY
n_eagain=$(grep -c "cannot send to '$sock': Resource temporarily unavailable" \
    "$tmp/f.err" || :)
[ "$n_eagain" -eq 1 ] || problem "debug line $n_eagain times: $(cat "$tmp/f.err")"

# Nobody listening: the program runs as without the shim.
run_plain "$FAILER" eof 3 >"$tmp/bare.out" 2>"$tmp/bare.err" ||
    fail "failer failed without the shim"
st=0
timeout 10 env LD_PRELOAD="$SHIM" TLSDIAG_LOG="syslog:$tmp/none.sock" \
    TLSDIAG_DEBUG=1 "$FAILER" eof 3 >"$tmp/none.out" 2>"$tmp/none.err" ||
    st=$?
[ "$st" -eq 0 ] || problem "no listener: exit $st"
sed 1d "$tmp/none.out" | cmp -s - "$(sed 1d "$tmp/bare.out" >"$tmp/bare.want"; echo "$tmp/bare.want")" ||
    problem "no listener: output changed"
[ "$(grep -c "cannot send to '$tmp/none.sock': No such file" "$tmp/none.err")" -eq 1 ] ||
    problem "no listener: $(cat "$tmp/none.err")"
[ ! -e "$tmp/none.sock" ] || problem "no listener: something created the socket"
finish
