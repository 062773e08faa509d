#!/bin/sh
# t505-run-signals: "tlsdiag run" passes SIGINT, SIGTERM and SIGHUP sent to
# it on to the command, waits for the command to finish its own handling,
# and exits with the command's status; a signal the command does not catch
# becomes 128+N, as in a shell.
. "$(dirname "$0")/lib.sh"
require_shim

# The command: exit 40+N on signal N for the ones named in argv, after
# saying it is ready (so the signal cannot arrive before the handler).
cat >"$tmp/catcher.py" <<'PY'
import signal, sys, time
for name in sys.argv[2:]:
    num = getattr(signal, name)
    signal.signal(num, lambda n, f: sys.exit(40 + n))
open(sys.argv[1], "w").close()
time.sleep(30)
sys.exit(5)
PY

# send SIG CATCH...: start tlsdiag run in the background with SIG at its
# default disposition (a non-interactive shell ignores SIGINT in background
# jobs), signal tlsdiag once the command is ready; the status goes to $st.
send() {
	_sig=$1
	shift
	rm -f "$tmp/ready"
	"$HPY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$TLSDIAG" run -o "$tmp/log" -- \
	    "$HPY" "$tmp/catcher.py" "$tmp/ready" "$@" 2>"$tmp/err" &
	_pid=$!
	_i=0
	while [ ! -e "$tmp/ready" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || fail "the command did not start in 10 s"
		sleep 0.1
	done
	kill -s "$_sig" "$_pid"
	st=0
	wait "$_pid" || st=$?
}

send TERM SIGTERM
[ "$st" -eq 55 ] || problem "SIGTERM caught by the command: $st, want 55"
grep -q '^tlsdiag: no TLS activity seen$' "$tmp/err" ||
    problem "no summary after SIGTERM: $(cat "$tmp/err")"
send INT SIGINT
[ "$st" -eq 42 ] || problem "SIGINT caught by the command: $st, want 42"
send HUP SIGHUP
[ "$st" -eq 41 ] || problem "SIGHUP caught by the command: $st, want 41"
send HUP
[ "$st" -eq 129 ] || problem "SIGHUP not caught: $st, want 129"
grep -q '^tlsdiag: no TLS activity seen$' "$tmp/err" ||
    problem "no summary after the command died: $(cat "$tmp/err")"
send TERM
[ "$st" -eq 143 ] || problem "SIGTERM not caught: $st, want 143"
finish
