#!/bin/sh
# t630-signals: signals around the shim's writes.
#  - SIGALRM every 50 us, handler without SA_RESTART, while the program
#    fails 300 times: same output as without the shim, every record whole.
#  - Every record's write() fails once with EINTR and then writes only
#    half (writefault.c, preloaded before the shim, does it on purpose):
#    the shim retries, and every record still arrives whole, once.
#  - The FIFO's reader dies between the shim's open() and its write(), so
#    the write fails with EPIPE and the kernel raises SIGPIPE: the program
#    (default SIGPIPE action: die) lives on.  The control run shows the
#    same setup kills a writer that does not guard against SIGPIPE.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim
need_tool cc

run_plain "$FAILER" signals 300 >"$tmp/bare.out" 2>&1 ||
    fail "failer failed without the shim: $(cat "$tmp/bare.out")"
run_shimmed "$tmp/sig.log" TLSDIAG_RATE=0 "$FAILER" signals 300 \
    >"$tmp/sig.out" 2>&1 || problem "signals: exit status $?"
sed 1d "$tmp/bare.out" >"$tmp/bare.want"
sed 1d "$tmp/sig.out" | cmp -s - "$tmp/bare.want" ||
    problem "signals: output changed: $(cat "$tmp/sig.out")"
grep -qx 'signals yes' "$tmp/sig.out" || problem "signals: none delivered"
check_log "$tmp/sig.sum" "$tmp/sig.log"
same "signals: failure records" "$(fact "$tmp/sig.sum" action tls_failure)" \
    300
same "signals: lines" "$(fact "$tmp/sig.sum" lines)" 302

WF=$tmp/writefault.so
cc -shared -fPIC -o "$WF" "$TOP/tests/e2e/writefault.c" -ldl ||
    fail "cannot build writefault.so"

# EINTR, then a short write, on every record.
timeout 15 env LD_PRELOAD="$ASAN_FIRST$WF $SHIM_LIB" \
    TLSDIAG_LOG="$tmp/eintr.log" WRITEFAULT=eintr \
    WRITEFAULT_REPORT="$tmp/eintr.rep" \
    "$FAILER" eof 20 >"$tmp/eintr.out" 2>&1 ||
    problem "eintr: exit status $?: $(cat "$tmp/eintr.out")"
read -r _ ni _ ns _ _ <"$tmp/eintr.rep" || fail "eintr: no report"
[ "$ni" -ge 21 ] && [ "$ns" -ge 21 ] ||
    problem "eintr: only $ni EINTR and $ns short writes were injected"
check_log "$tmp/eintr.sum" "$tmp/eintr.log"
same "eintr: failure records" "$(fact "$tmp/eintr.sum" action tls_failure)" \
    20
same "eintr: lines" "$(fact "$tmp/eintr.sum" lines)" 22

# start_reader FIFO: a reader that holds FIFO open; its pid in reader.
start_reader() {
	rm -f "$1"
	mkfifo "$1"
	sleep 60 <"$1" &
	reader=$!
	_server_pids="$_server_pids $reader"
}

# control: an unguarded writer dies of SIGPIPE in this setup
start_reader "$tmp/cfifo"
rc=0
timeout 15 env LD_PRELOAD="$WF" WRITEFAULT=epipe WRITEFAULT_READER="$reader" \
    sh -c 'printf "{\"@timestamp\":0}\n" >"$1"' sh "$tmp/cfifo" || rc=$?
[ "$rc" -eq 141 ] ||
    problem "control: the unguarded writer exited $rc, not 141 (SIGPIPE)"

start_reader "$tmp/fifo"
rc=0
timeout 15 env LD_PRELOAD="$ASAN_FIRST$WF $SHIM_LIB" \
    TLSDIAG_LOG="$tmp/fifo" TLSDIAG_DEBUG=1 WRITEFAULT=epipe \
    WRITEFAULT_READER="$reader" \
    WRITEFAULT_REPORT="$tmp/epipe.rep" "$FAILER" eof 3 \
    >"$tmp/epipe.out" 2>"$tmp/epipe.err" || rc=$?
[ "$rc" -eq 0 ] || problem "epipe: the program exited $rc (141: SIGPIPE)"
grep -qx 'failures 3' "$tmp/epipe.out" || problem "epipe: output changed"
read -r _ _ _ _ _ ne _ <"$tmp/epipe.rep" || fail "epipe: no report"
[ "$ne" -ge 1 ] || problem "epipe: no write() met EPIPE"
same "epipe: stderr" "$(cat "$tmp/epipe.err")" \
    "shim: cannot write '$tmp/fifo': Broken pipe"
finish
