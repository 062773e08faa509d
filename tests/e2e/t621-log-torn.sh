#!/bin/sh
# t621-log-torn: a record reaches the log whole or not at all (issue 12,
# items 1 and 2).  A FIFO whose reader is slower than the writer, with
# records of about 8 KB (over PIPE_BUF): every line the reader gets is a
# whole record, and records + dropped = failures.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim

# The slow FIFO.
mkfifo "$tmp/fifo"
"$HPY" "$SRCPROGS/slowreader.py" "$tmp/fifo" "$tmp/fifo.out" \
    "$tmp/ready" "$tmp/stop" &
reader=$!
i=0
while [ ! -e "$tmp/ready" ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "fifo: the reader did not start"
	sleep 0.1
done
rc=0
env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$tmp/fifo" TLSDIAG_BACKTRACE=64 \
    TLSDIAG_RATE=0 timeout 60 "$PY_DEBIAN" "$SRCPROGS/deepfail.py" 300 2 \
    >"$tmp/deep.out" || rc=$?
: >"$tmp/stop"
wait "$reader" || problem "fifo: the reader exited with status $?"
[ "$rc" -eq 0 ] || fail "fifo: deepfail.py exited with status $rc"
same "fifo: the program's output" "$(cat "$tmp/deep.out")" "failures 300"
check_log "$tmp/fifo.sum" "$tmp/fifo.out"
pid=$(fact "$tmp/fifo.sum" action tlsdiag_exit)
got=$(fact "$tmp/fifo.sum" action tls_failure)
[ "$got" -gt 0 ] && [ "$got" -lt 300 ] ||
    problem "fifo: $got of 300 failures arrived: want some, not all"
same "fifo: exit records" "$pid" 1
pid=$(awk '$1 == "coverage" { print $2; exit }' "$tmp/fifo.sum")
dropped=$(fact "$tmp/fifo.sum" coverage "$pid" dropped)
same "fifo: failures on record + dropped" $((got + dropped)) 300
echo "t621: fifo: $got records whole, $dropped dropped"
finish
