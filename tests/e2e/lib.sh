# lib.sh: common setup and helpers for the end-to-end tests (POSIX sh).
#
# Sourced by every tests/e2e/tNNN-topic.sh:  . "$(dirname "$0")/lib.sh"
# Sets -eu and LC_ALL=C, makes a temp dir $tmp that an EXIT trap removes
# after killing every server the test started.  Variables: TOP, BUILD, SHIM
# (what LD_PRELOAD needs), SHIM_LIB (the shim's file), SHIM_P11 and
# RUN_ENV (for make asan, see below), TLSDIAG, PROGS (built test programs),
# SRCPROGS (tests/progs), HPY (the Python that runs helper scripts, never
# under the shim), PY_PYENV (the interpreter behind "python3" on PATH),
# PY_DEBIAN (/usr/bin/python3).

set -eu
LC_ALL=C
export LC_ALL
# The tests choose what runs under the shim; nothing may leak in.
unset LD_PRELOAD TLSDIAG_LOG TLSDIAG_PYTHON
# The helpers import excjson.py: keep __pycache__ out of the source tree.
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE

test_name=$(basename "$0" .sh)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
SHIM_LIB=$BUILD/libtlsdiag.so
SHIM=$SHIM_LIB
# make asan: programs not built with AddressSanitizer need its runtime
# first in LD_PRELOAD, so there SHIM is that list (use SHIM_LIB for the file).
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] || SHIM="$TLSDIAG_ASAN_PRELOAD $SHIM_LIB"
# SHIM_P11: SHIM for programs linked with libp11-kit (curl, git's https
# helper).  Under make asan they deadlock with the runtime preloaded:
# p11-kit's constructor runs before ASan's and calls newlocale(), whose
# malloc() starts ASan, whose dlerror() -> dcgettext() releases glibc's
# setlocale lock held by newlocale; the program's next setlocale() waits
# forever.  There the shim goes alone: libasan comes in as its dependency,
# after libc, so ASan's heap checks miss the shim's allocations, while its
# stack and global checks and UBSan still run.
SHIM_P11=$SHIM
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] || SHIM_P11=$SHIM_LIB
# RUN_ENV: "tlsdiag run" puts the shim in front of the LD_PRELOAD it
# inherits.  Under make asan the runtime must be in that list (else libasan
# comes after libc, and node crashes), so tests start it as
# env $RUN_ENV "$TLSDIAG" run ... (but not for libp11-kit programs, which
# go without it, as above).  RUN_ENV is empty otherwise.
RUN_ENV=
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] || RUN_ENV="LD_PRELOAD=$TLSDIAG_ASAN_PRELOAD"
TLSDIAG=$BUILD/tlsdiag
PROGS=$BUILD/progs
SRCPROGS=$TOP/tests/progs
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-15}
if [ -x /usr/bin/python3 ]; then HPY=/usr/bin/python3; else HPY=python3; fi
PY_DEBIAN=/usr/bin/python3
PY_PYENV=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsdiag-$test_name.XXXXXX")
_server_pids=
_problems=0

_cleanup() {
	for _p in $_server_pids; do
		kill "$_p" 2>/dev/null || :
	done
	for _p in $_server_pids; do
		wait "$_p" 2>/dev/null || :
	done
	rm -rf "$tmp"
}
# shellcheck disable=SC2154
trap '_rc=$?; _cleanup; exit $_rc' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# fail MSG: report a failure of this test and exit 1.
fail() {
	echo "FAIL: $test_name: $*" >&2
	exit 1
}

# skip MSG: say why the test cannot run here (a missing tool), exit 77.
skip() {
	echo "SKIP: $test_name: $*"
	exit 77
}

# problem MSG: record a failure but keep going (see finish).
problem() {
	echo "FAIL: $test_name: $*" >&2
	_problems=$((_problems + 1))
}

# finish: exit 1 if problem was called, else 0.
finish() {
	[ "$_problems" -eq 0 ] || fail "$_problems problem(s), see above"
	exit 0
}

# need_tool NAME...: skip the test when a tool is not installed.
need_tool() {
	for _t in "$@"; do
		command -v "$_t" >/dev/null 2>&1 || skip "'$_t' is not installed"
	done
}

# require_shim: the shim must have been built (make build/libtlsdiag.so).
require_shim() {
	[ -f "$SHIM_LIB" ] || fail "shim '$SHIM_LIB' not built (run make)"
}

# save_log LOG: with TLSDIAG_E2E_SAVE_LOGS=DIR, append the shim log LOG to
# DIR/TEST.log (real records for bench/data and tests/e2e/data).
save_log() {
	if [ -n "${TLSDIAG_E2E_SAVE_LOGS:-}" ] && [ -f "$1" ]; then
		cat "$1" >>"$TLSDIAG_E2E_SAVE_LOGS/$test_name.log"
	fi
}

# run_shimmed LOG [VAR=VALUE...] CMD...: run CMD under the shim, logging to
# LOG, with a timeout of $CLIENT_TIMEOUT seconds.  Returns CMD's status.
# The log is kept with save_log.
run_shimmed() {
	_log=$1
	shift
	_rc=0
	timeout "$CLIENT_TIMEOUT" env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$_log" \
	    "$@" || _rc=$?
	save_log "$_log"
	return "$_rc"
}

# run_plain [VAR=VALUE...] CMD...: the same without the shim.
run_plain() {
	timeout "$CLIENT_TIMEOUT" env "$@"
}

# expect_fail CMD...: CMD must exit non-zero; its status is left in $status.
expect_fail() {
	if "$@"; then
		fail "expected failure: $*"
	else
		status=$?
	fi
}

# start_server NAME CMD...: start CMD (an external command: use
# "env LD_PRELOAD=... cmd" rather than run_shimmed) in the background and
# wait until it prints "PORT <n>" (tlsserver.py) or "ACCEPT <addr>:<n>"
# (openssl s_server).  Sets NAME_port and NAME_pid; its output goes to
# $tmp/NAME.out and $tmp/NAME.err.  Killed when the test exits.
start_server() {
	_name=$1
	shift
	# Truncate here, not in the child: a previous server of the same name
	# must not be mistaken for this one.
	: >"$tmp/$_name.out"
	"$@" >"$tmp/$_name.out" 2>"$tmp/$_name.err" &
	_pid=$!
	_server_pids="$_server_pids $_pid"
	_i=0
	_port=
	while [ -z "$_port" ]; do
		_port=$(sed -n -e 's/^PORT \([0-9][0-9]*\)$/\1/p' \
		    -e 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$tmp/$_name.out")
		[ -n "$_port" ] && break
		kill -0 "$_pid" 2>/dev/null || {
			cat "$tmp/$_name.err" >&2
			fail "server $_name ($*) exited before listening"
		}
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || fail "server $_name did not listen in 10 s"
		sleep 0.1
	done
	eval "${_name}_port=\$_port ${_name}_pid=\$_pid"
	export "${_name}_port"
}

# wait_server NAME [SECONDS]: wait (default 10 s) for a server started with
# --count to exit by itself; fails if it does not or exits non-zero.
wait_server() {
	eval "_pid=\$${1}_pid"
	_i=0
	while kill -0 "$_pid" 2>/dev/null; do
		_i=$((_i + 1))
		[ "$_i" -le $((${2:-10} * 10)) ] ||
		    fail "server $1 still running after ${2:-10} s"
		sleep 0.1
	done
	wait "$_pid" || fail "server $1 exited with status $?: \
$(tail -5 "$tmp/$1.err")"
}

# wait_lines FILE N [SECONDS]: wait (default 10 s) until FILE has N lines.
wait_lines() {
	_i=0
	while [ "$( (wc -l <"$1") 2>/dev/null || echo 0)" -lt "$2" ]; do
		_i=$((_i + 1))
		[ "$_i" -le $((${3:-10} * 10)) ] ||
		    fail "$1 has fewer than $2 lines after ${3:-10} s"
		sleep 0.1
	done
}

# jget FILE INDEX FIELD.PATH: print a field of JSON Lines record INDEX
# (0-based; -1 = last).  "log.level" etc. are literal top-level keys.
jget() {
	"$HPY" "$SRCPROGS/e2ecompare.py" get "$@"
}

# jcount FILE [ACTION]: number of records with event.action ACTION
# (default tls_failure); 0 when FILE does not exist.
jcount() {
	"$HPY" "$SRCPROGS/e2ecompare.py" count "$@"
}

# make_pki: generate the test certificates into $PKI ($tmp/pki).
make_pki() {
	PKI=$tmp/pki
	sh "$SRCPROGS/mkcerts.sh" "$PKI"
}

# require_pythons: the scenario tables name what the two interpreters do;
# they need the pyenv 3.11.5-3.11.11 "python3" on PATH and Debian's 3.11.2
# with OP_IGNORE_UNEXPECTED_EOF set by default.
require_pythons() {
	need_tool python3
	[ -x "$PY_DEBIAN" ] || skip "$PY_DEBIAN is not installed"
	PY_PYENV=$(python3 -c 'import sys; print(sys.executable)')
	_v=$("$PY_PYENV" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
	case $_v in
	3.11.[5-9] | 3.11.1[01]) ;;
	*) skip "python3 on PATH is $_v, the tables need 3.11.5-3.11.11" ;;
	esac
	_v=$("$PY_DEBIAN" -c 'import ssl, platform
print(platform.python_version(),
    bool(ssl.create_default_context().options & ssl.OP_IGNORE_UNEXPECTED_EOF))')
	[ "$_v" = "3.11.2 True" ] ||
	    skip "$PY_DEBIAN is '$_v', the tables need Debian's 3.11.2"
}

# py_table: run the Python client scenarios read from stdin, one per line
# ('#' comments and blank lines ignored), each under the shim twice: with
# no TLSDIAG_PYTHON, so the shim detects the host's own 3.11 (3.11.7 or
# Debian's 3.11.2) and must match what it raised, and with
# TLSDIAG_PYTHON=3.13 overriding that.  Columns, '-' for none:
#   id      unique name (used for file names)
#   python  pyenv | debian
#   server  NAME given to start_server (its port is used)
#   flags   pyclient.py options, comma-separated (--opt=value form)
#   expect  what Python must do: none | raise:TYPE[:VERIFY] | swallow:TYPE
#   d311    named differences, comma-separated, for the detected model
#   d313    named differences for TLSDIAG_PYTHON=3.13
# Mismatches are reported with problem(); call finish at the end.
py_table() {
	while read -r _id _py _srv _flags _expect _d311 _d313; do
		case $_id in '' | '#'*) continue ;; esac
		py_case "$_id" "$_py" "$_srv" "$_flags" "$_expect" 3.11 "$_d311"
		py_case "$_id" "$_py" "$_srv" "$_flags" "$_expect" 3.13 "$_d313"
	done
}

# py_case ID PYTHON SERVER FLAGS EXPECT MODEL DIFFS: one row, one model.
py_case() {
	case $2 in
	pyenv) _exe=$PY_PYENV ;;
	debian) _exe=$PY_DEBIAN ;;
	*) fail "py_table row $1: unknown python '$2'" ;;
	esac
	[ -n "$_exe" ] || fail "py_table: call require_pythons first"
	eval "_port=\${${3}_port:-}"
	[ -n "$_port" ] || fail "py_table row $1: no server '$3'"
	_f=$(echo "$4" | tr ',' ' ')
	[ "$_f" = - ] && _f=
	# 3.11: the host's version, detected; 3.13: the override
	_env=TLSDIAG_PYTHON=3.13
	_src=env
	[ "$6" = 3.11 ] && _env= && _src=detected
	_base=$tmp/$1.$2.$6
	_args="--expect $5"
	for _d in $(echo "$7" | tr ',' ' '); do
		[ "$_d" = - ] || _args="$_args --diff $_d"
	done
	echo "$1 [$2, model $6]"
	# shellcheck disable=SC2086
	if ! run_shimmed "$_base.log" $_env "$_exe" "$SRCPROGS/pyclient.py" \
	    --port "$_port" --cafile "$PKI/ca.pem" $_f \
	    </dev/null >"$_base.json" 2>"$_base.err"; then
		problem "$1 [$2, model $6]: pyclient failed: $(cat "$_base.err")"
		return 0
	fi
	if [ -s "$_base.err" ]; then
		problem "$1 [$2, model $6]: stderr: $(cat "$_base.err")"
	fi
	# shellcheck disable=SC2086
	"$HPY" "$SRCPROGS/e2ecompare.py" compare --truth "$_base.json" \
	    --log "$_base.log" --model "$6" $_args </dev/null ||
	    problem "$1 [$2, model $6]: shim record differs from Python"
	# every failure record names the model and where it came from
	if grep -q '"tls_failure"' "$_base.log" 2>/dev/null &&
	    grep '"tls_failure"' "$_base.log" |
	    grep -v "\"python_model_source\":\"$_src\"" | grep -q .; then
		problem "$1 [$2, model $6]: python_model_source is not $_src"
	fi
}
