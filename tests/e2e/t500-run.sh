#!/bin/sh
# t500-run: "tlsdiag run" starts a command with the shim preloaded and
# prints the summary of its log: curl against an expired certificate
# (directly and through sh), the log named by -o (relative, with a '%',
# the child changing directory) or a fresh one in $TMPDIR, -q, the
# composed LD_PRELOAD, no shim in tlsdiag itself, exit statuses (the
# command's, 128+N, 126, 127, 125, 2) and "no TLS activity seen".
. "$(dirname "$0")/lib.sh"
need_tool curl openssl
require_shim
make_pki

start_server ss openssl s_server -accept 127.0.0.1:0 -www \
    -cert "$PKI/expired.pem" -key "$PKI/expired.key"
url="https://localhost:$ss_port/"
curl_args="-sS --max-time 10 --cacert $PKI/ca.pem \
--resolve localhost:$ss_port:127.0.0.1"
mkdir "$tmp/work"
cd "$tmp/work" || fail "cannot cd to $tmp/work"
TMPDIR=$tmp/tmpdir
export TMPDIR
mkdir "$TMPDIR"

# run_t ARGS...: tlsdiag ARGS with output in $tmp/out and $tmp/err, status
# in $status.  (Under make asan its children get the shim alone, as curl
# needs: see SHIM_P11 in lib.sh.)
run_t() {
	status=0
	timeout "$CLIENT_TIMEOUT" "$TLSDIAG" "$@" >"$tmp/out" 2>"$tmp/err" ||
	    status=$?
}

# has FILE TEXT: FILE contains the line TEXT (fixed string, whole line).
has() {
	grep -qxF -- "$2" "$1"
}

# --- curl against an expired certificate, log named with -o ------------
# shellcheck disable=SC2086
run_t run -o run.log -- curl $curl_args "$url"
[ "$status" -eq 60 ] || problem "curl under tlsdiag run exited $status, want 60"
[ ! -s "$tmp/out" ] || problem "stdout: $(cat "$tmp/out")"
grep -q '^curl: (60) SSL certificate problem: certificate has expired$' \
    "$tmp/err" || problem "curl's own message is missing: $(cat "$tmp/err")"
for want in "tlsdiag: 1 TLS failure in 1 process" \
    "tlsdiag:      1  SSLCertVerificationError: certificate has expired  peer localhost  curl" \
    "tlsdiag: details: tlsdiag report run.log"; do
	has "$tmp/err" "$want" || problem "summary lacks '$want': $(cat "$tmp/err")"
done
[ "$(jcount run.log)" -eq 1 ] || problem "run.log: $(jcount run.log) failures"
[ "$(jget run.log 1 error.type)" = SSLCertVerificationError ] ||
    problem "run.log record: $(sed -n 2p run.log)"

# -o truncates: a second run leaves only its own records.
# shellcheck disable=SC2086
run_t run -o run.log -- curl $curl_args "$url"
[ "$(jcount run.log)" -eq 1 ] || problem "-o did not truncate: $(jcount run.log)"

# --- through a child (sh), which changes directory; '%' in the name -----
# shellcheck disable=SC2086
run_t run -o '100%p.log' -- sh -c "cd / && curl $curl_args '$url'; exit 9"
[ "$status" -eq 9 ] || problem "sh exited $status, want 9"
[ -f '100%p.log' ] || problem "no '100%p.log' in $(pwd): $(ls)"
[ "$(jcount '100%p.log')" -eq 1 ] ||
    problem "curl under sh: $(jcount '100%p.log') failures, want 1"
[ "$(jget '100%p.log' 1 process.name)" = curl ] ||
    problem "record not from curl: $(cat '100%p.log')"
[ -z "$(ls /100* 2>/dev/null)" ] || problem "a log appeared in /"
has "$tmp/err" "tlsdiag: 1 TLS failure in 1 process" ||
    problem "summary under sh: $(cat "$tmp/err")"

# --- default log: a fresh file in $TMPDIR, named in the summary ----------
# shellcheck disable=SC2086
run_t run -- curl $curl_args "$url"
[ "$status" -eq 60 ] || problem "default log: curl exited $status"
set -- "$TMPDIR"/tlsdiag-run-*.jsonl
[ $# -eq 1 ] && [ -f "$1" ] || problem "default log: $TMPDIR has: $(ls "$TMPDIR")"
deflog=$1
has "$tmp/err" "tlsdiag: details: tlsdiag report $deflog" ||
    problem "default log not named: $(cat "$tmp/err")"
[ "$(jcount "$deflog")" -eq 1 ] || problem "default log: $(cat "$deflog")"
[ "$(stat -c %a "$deflog")" = 600 ] || problem "default log mode $(stat -c %a "$deflog")"
"$TLSDIAG" report --no-progress "$deflog" >"$tmp/report" ||
    problem "tlsdiag report on the kept log failed"
grep -q 'SSLCertVerificationError: certificate has expired' "$tmp/report" ||
    problem "report: $(cat "$tmp/report")"
rm -f "$deflog"

# --- -q: quiet without failures (and no file left), summary with them ---
run_t run -q -- sh -c 'echo hello'
[ "$status" -eq 0 ] && [ "$(cat "$tmp/out")" = hello ] && [ ! -s "$tmp/err" ] ||
    problem "-q without TLS: status $status, out '$(cat "$tmp/out")', err '$(cat "$tmp/err")'"
[ -z "$(ls "$TMPDIR")" ] || problem "-q left a log: $(ls "$TMPDIR")"
# shellcheck disable=SC2086
run_t run -q -- curl $curl_args "$url"
has "$tmp/err" "tlsdiag: 1 TLS failure in 1 process" ||
    problem "-q hid failures: $(cat "$tmp/err")"
rm -f "$TMPDIR"/*

# --- no TLS at all ------------------------------------------------------
run_t run -o none.log -- true
[ "$status" -eq 0 ] || problem "true exited $status"
has "$tmp/err" "tlsdiag: no TLS activity seen" ||
    problem "no 'no TLS activity seen': $(cat "$tmp/err")"
has "$tmp/err" "tlsdiag: log: none.log" || problem "log not named: $(cat "$tmp/err")"

# --- the child's environment, and none of it in tlsdiag itself ----------
shimpath=$(cd "$(dirname "$SHIM_LIB")" && pwd -P)/$(basename "$SHIM_LIB")
other=/lib/x86_64-linux-gnu/libm.so.6
[ -f "$other" ] || other=$(ldconfig -p | sed -n 's/.*libm.so.6.* => //p' | head -1)
LD_PRELOAD="$other" run_t run -o env.log -- sh -c \
    'echo "$LD_PRELOAD"; echo "$TLSDIAG_LOG"; grep -c libtlsdiag /proc/$PPID/maps'
sed -n 1p "$tmp/out" >"$tmp/preload"
[ "$(cat "$tmp/preload")" = "$shimpath:$other" ] ||
    problem "child's LD_PRELOAD '$(cat "$tmp/preload")', want '$shimpath:$other'"
[ "$(sed -n 2p "$tmp/out")" = "$(pwd -P)/env.log" ] ||
    problem "child's TLSDIAG_LOG '$(sed -n 2p "$tmp/out")'"
[ "$(sed -n 3p "$tmp/out")" = 0 ] ||
    problem "the shim is mapped in tlsdiag itself: $(sed -n 3p "$tmp/out")"
# A shim already in LD_PRELOAD is not loaded twice.  (Under make asan,
# SHIM brings the ASan runtime, which timeout needs and which stays after
# the shim.)
want=$shimpath:$other${TLSDIAG_ASAN_PRELOAD:+:$TLSDIAG_ASAN_PRELOAD}
LD_PRELOAD="$other $SHIM" run_t run -o env.log -- sh -c 'echo "$LD_PRELOAD"'
[ "$(cat "$tmp/out")" = "$want" ] ||
    problem "shim twice: '$(cat "$tmp/out")', want '$want'"
# TLSDIAG_SHIM overrides the lookup; a bad one stops tlsdiag run (125).
TLSDIAG_SHIM=$SHIM_LIB run_t run -o env.log -- sh -c 'echo "$LD_PRELOAD"'
[ "$(cat "$tmp/out")" = "$shimpath" ] || problem "TLSDIAG_SHIM: '$(cat "$tmp/out")'"
TLSDIAG_SHIM=$tmp/nonexistent.so run_t run -- true
[ "$status" -eq 125 ] || problem "bad TLSDIAG_SHIM: status $status, want 125"
grep -q "TLSDIAG_SHIM '$tmp/nonexistent.so': No such file or directory" \
    "$tmp/err" || problem "bad TLSDIAG_SHIM: $(cat "$tmp/err")"

# --- exit statuses --------------------------------------------------------
run_t run -o st.log -- sh -c 'kill -TERM $$'
[ "$status" -eq 143 ] || problem "killed by SIGTERM: status $status, want 143"
run_t run -o st.log -- nonexistent-command-t500 a b
[ "$status" -eq 127 ] || problem "not found: status $status, want 127"
has "$tmp/err" "tlsdiag: 'nonexistent-command-t500': command not found" ||
    problem "not found: $(cat "$tmp/err")"
printf 'echo hi\n' >"$tmp/noexec"
chmod 644 "$tmp/noexec"
run_t run -- "$tmp/noexec"
[ "$status" -eq 126 ] || problem "not executable: status $status, want 126"
has "$tmp/err" "tlsdiag: '$tmp/noexec': permission denied" ||
    problem "not executable: $(cat "$tmp/err")"
[ -z "$(ls "$TMPDIR")" ] || problem "a failed start left a log: $(ls "$TMPDIR")"
# No "#!" line: run by /bin/sh, as execvp does.
chmod 755 "$tmp/noexec"
run_t run -q -- "$tmp/noexec"
[ "$status" -eq 0 ] && [ "$(cat "$tmp/out")" = hi ] ||
    problem "script without #!: status $status, out '$(cat "$tmp/out")'"
for args in "run" "run -o" "run -x true" "run --quiet true"; do
	# shellcheck disable=SC2086
	run_t $args
	[ "$status" -eq 2 ] || problem "'tlsdiag $args': status $status, want 2"
	grep -q '^usage: tlsdiag run ' "$tmp/err" ||
	    problem "'tlsdiag $args': no usage: $(cat "$tmp/err")"
done
ln -s "$tmp/elsewhere" link.log
run_t run -o link.log -- true
[ "$status" -eq 125 ] || problem "-o symlink: status $status, want 125"
[ ! -e "$tmp/elsewhere" ] || problem "-o followed a symlink"
finish
