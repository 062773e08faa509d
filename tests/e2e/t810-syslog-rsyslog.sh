#!/bin/sh
# t810-syslog-rsyslog: the syslog sink into two real rsyslog daemons with
# their own configurations, sockets, ports and work directories (never the
# system's): the program logs with TLSDIAG_LOG=syslog:SOCKET to the first
# ("local": imuxsock on a private socket), which forwards over TCP on
# 127.0.0.1 with a disk-assisted queue to the second ("central": imtcp,
# omfile with its default template, and mmjsonparse with its defaults).
# The central daemon is stopped while the program fails and started again:
# its records arrive later, none is lost, and the program is not held up.
# "tlsdiag report" on the central file finds exactly the failures that
# were provoked, with the same records as file logs of the same commands.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim
need_tool rsyslogd jq

sock=$tmp/log.sock
mkdir "$tmp/c" "$tmp/l"
port=$("$HPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

# rsyslog's default maxMessageSize (8k) would cut records over 8 KiB:
# records reach 16 KiB (docs/log-format.md), so both raise it.
cat >"$tmp/central.conf" <<CONF
global(workDirectory="$tmp/c" maxMessageSize="64k")
module(load="imtcp")
module(load="mmjsonparse")
input(type="imtcp" address="127.0.0.1" port="$port")
action(type="omfile" file="$tmp/central.log")
action(type="mmjsonparse")
template(name="fields" type="string"
    string="%\$!event!action% %\$!error!type% %\$!process!pid%\n")
action(type="omfile" file="$tmp/parsed.log" template="fields")
CONF
# imuxsock's default parser reads RFC 3164 only: RFC 5424 needs it off.
cat >"$tmp/local.conf" <<CONF
global(workDirectory="$tmp/l" maxMessageSize="64k")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$sock" UseSpecialParser="off"
    ParseHostname="on")
action(type="omfwd" target="127.0.0.1" port="$port" protocol="tcp"
    template="RSYSLOG_SyslogProtocol23Format"
    queue.type="LinkedList" queue.filename="fwd" queue.saveOnShutdown="on"
    action.resumeRetryCount="-1" action.resumeInterval="1")
CONF
for c in central local; do
	rsyslogd -N1 -f "$tmp/$c.conf" >"$tmp/$c.check" 2>&1 ||
	    fail "rsyslogd rejects $c.conf: $(cat "$tmp/$c.check")"
done

# start_rsyslog NAME: rsyslogd -n in the background; sets NAME_pid.
start_rsyslog() {
	rsyslogd -n -f "$tmp/$1.conf" -i "$tmp/$1.pid" >>"$tmp/$1.out" 2>&1 &
	eval "${1}_pid=\$!"
	_server_pids="$_server_pids $!"
}
# wait_tcp: until the central daemon accepts connections (10 s).
wait_tcp() {
	_i=0
	until "$HPY" -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
	    "$port" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] ||
		    fail "central rsyslogd not listening: $(cat "$tmp/central.out")"
		sleep 0.1
	done
}
start_rsyslog central
wait_tcp
start_rsyslog local
i=0
until [ -S "$sock" ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] ||
	    fail "local rsyslogd made no socket: $(cat "$tmp/local.out")"
	sleep 0.1
done

# fails LOG N [VAR=VALUE]: N failures of failer with TLSDIAG_LOG=LOG, in
# under 5 s.
fails() {
	_s=$(date +%s%N)
	timeout 10 env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$1" ${3:-} "$FAILER" eof "$2" \
	    >"$tmp/f.out" 2>"$tmp/f.err" ||
	    problem "failer eof $2 to $1: exit $?: $(cat "$tmp/f.err")"
	_ms=$((($(date +%s%N) - _s) / 1000000))
	[ "$_ms" -lt 5000 ] || problem "failer eof $2 to $1 took $_ms ms"
}

# 1. both running: start record, 3 failures, exit record
fails "syslog:$sock" 3
wait_lines "$tmp/central.log" 5 20

# 2. central stopped: the program goes on at once; local rsyslog queues
kill "$central_pid"
wait "$central_pid" 2>/dev/null || :
fails "syslog:$sock" 4
sleep 1
[ "$(wc -l <"$tmp/central.log")" -eq 5 ] ||
    problem "records reached the stopped central daemon"

# 3. central again: the queue drains into it
start_rsyslog central
wait_lines "$tmp/central.log" 11 30

# The same commands with a file log.  A file log gives a stack's frames
# once per file (backtrace_repeat after that); every syslog message
# stands alone and carries them, as TLSDIAG_BACKTRACE_REPEAT=1 does.
fails "$tmp/file.jsonl" 3 TLSDIAG_BACKTRACE_REPEAT=1
fails "$tmp/file.jsonl" 4 TLSDIAG_BACKTRACE_REPEAT=1

for f in central.log file.jsonl; do
	"$TLSDIAG" report --no-progress --format ndjson "$tmp/$f" \
	    >"$tmp/$f.nd" 2>"$tmp/$f.err" ||
	    problem "report $f: $(cat "$tmp/$f.err")"
	# what differs between two runs: times, pids, thread ids
	jq -c 'del(."@timestamp", .process.pid, .process.thread)' \
	    "$tmp/$f.nd" >"$tmp/$f.norm"
done
[ "$(wc -l <"$tmp/central.log.norm")" -eq 11 ] ||
    problem "report read $(wc -l <"$tmp/central.log.norm") records, want 11"
diff -u "$tmp/file.jsonl.norm" "$tmp/central.log.norm" >"$tmp/diff" ||
    problem "central records differ from the file log: $(head -20 "$tmp/diff")"
[ "$(jq -r '.event.action' "$tmp/central.log.nd" | grep -c '^tls_failure$')" \
    -eq 7 ] || problem "not the 7 failures provoked"
"$TLSDIAG" report --no-progress "$tmp/central.log" >"$tmp/report.txt" ||
    problem "report central.log failed"
grep -q '^  records   11 lines read, 11 records, 11 matched, 7 failures' \
    "$tmp/report.txt" || problem "report: $(head -8 "$tmp/report.txt")"
grep -q '^  skipped   0$' "$tmp/report.txt" ||
    problem "report skipped lines: $(head -8 "$tmp/report.txt")"

# mmjsonparse took every record as it came, with its default @cee: cookie.
[ "$(grep -c '^tls_failure SSLEOFError [0-9]' "$tmp/parsed.log")" -eq 7 ] &&
    [ "$(grep -c '^tlsdiag_exit' "$tmp/parsed.log")" -eq 2 ] ||
    problem "mmjsonparse: $(cat "$tmp/parsed.log")"
finish
