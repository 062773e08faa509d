#!/bin/sh
# t100-noop: a program that never uses TLS is untouched by the shim: no log
# file, no output of its own, the exit status unchanged; and a shim that is
# loaded but not configured (no TLSDIAG_LOG) leaves no file anywhere.
. "$(dirname "$0")/lib.sh"
require_shim

mkdir "$tmp/cwd"
cd "$tmp/cwd" || fail "cannot cd to $tmp/cwd"
log=$tmp/log

run_shimmed "$log" /bin/true >"$tmp/out" 2>"$tmp/err" ||
    fail "/bin/true under the shim exited $?"
[ ! -s "$tmp/out" ] || fail "/bin/true printed: $(cat "$tmp/out")"
[ ! -s "$tmp/err" ] || fail "/bin/true printed on stderr: $(cat "$tmp/err")"
[ ! -e "$log" ] || fail "/bin/true created a log: $(head -3 "$log")"

expect_fail run_shimmed "$log" sh -c 'exit 3' >"$tmp/out" 2>"$tmp/err"
[ "$status" -eq 3 ] || fail "sh -c 'exit 3' under the shim exited $status"
if [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then
	fail "sh -c 'exit 3' printed: $(cat "$tmp/out" "$tmp/err")"
fi
[ ! -e "$log" ] || fail "sh -c 'exit 3' created a log: $(head -3 "$log")"

# Output and status pass through a pipeline of children unchanged.
expect_fail run_shimmed "$log" sh -c 'echo out; echo err >&2; exit 42' \
    >"$tmp/out" 2>"$tmp/err"
[ "$status" -eq 42 ] || fail "exit 42 became $status"
[ "$(cat "$tmp/out")" = out ] || fail "stdout changed: $(cat "$tmp/out")"
[ "$(cat "$tmp/err")" = err ] || fail "stderr changed: $(cat "$tmp/err")"
[ ! -e "$log" ] || fail "sh created a log: $(head -3 "$log")"

# Loaded but not configured: invisible, and nothing written anywhere we can
# see (cwd, $tmp).
expect_fail timeout "$CLIENT_TIMEOUT" env LD_PRELOAD="$SHIM" \
    sh -c 'echo hi; exit 5' >"$tmp/out" 2>"$tmp/err"
[ "$status" -eq 5 ] || fail "unconfigured: exit 5 became $status"
[ "$(cat "$tmp/out")" = hi ] || fail "unconfigured: stdout: $(cat "$tmp/out")"
[ ! -s "$tmp/err" ] || fail "unconfigured: stderr: $(cat "$tmp/err")"
[ -z "$(ls -A "$tmp/cwd")" ] || fail "files appeared in cwd: $(ls -A)"
[ "$(ls "$tmp")" = "$(printf 'cwd\nerr\nout')" ] ||
    fail "files appeared in \$tmp: $(ls "$tmp")"
exit 0
