# attach.sh: helpers for the "tlsdiag attach" tests (t70x), sourced after
# lib.sh.

# start_ready NAME CMD...: start CMD in the background, its output in
# $tmp/NAME.out, and wait (10 s) until it prints "ready" (or, for a
# client loop, any line).  Sets NAME_pid; killed when the test exits.
start_ready() {
	_name=$1
	shift
	: >"$tmp/$_name.out"
	"$@" >"$tmp/$_name.out" 2>"$tmp/$_name.err" &
	_pid=$!
	_server_pids="$_server_pids $_pid"
	_i=0
	until [ -s "$tmp/$_name.out" ]; do
		kill -0 "$_pid" 2>/dev/null || {
			cat "$tmp/$_name.err" >&2
			fail "$_name ($*) exited before it was ready"
		}
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || fail "$_name was not ready in 10 s"
		sleep 0.1
	done
	eval "${_name}_pid=\$_pid"
}

# wait_grep FILE REGEX [SECONDS]: wait (default 10 s) for a line.
wait_grep() {
	_i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -le $((${3:-10} * 10)) ] ||
		    fail "no line '$2' in $1 after ${3:-10} s"
		sleep 0.1
	done
}

# expect_refusal WHAT REGEX CMD...: CMD must exit 5 with one line on
# stderr matching REGEX.
expect_refusal() {
	_what=$1
	_re=$2
	shift 2
	_st=0
	"$@" >"$tmp/refusal.out" 2>"$tmp/refusal.err" || _st=$?
	[ "$_st" = 5 ] || problem "$_what: exit $_st, want 5"
	[ "$(wc -l <"$tmp/refusal.err")" = 1 ] ||
	    problem "$_what: not one line: $(cat "$tmp/refusal.err")"
	grep -q "$_re" "$tmp/refusal.err" ||
	    problem "$_what: '$(cat "$tmp/refusal.err")' lacks '$_re'"
}
