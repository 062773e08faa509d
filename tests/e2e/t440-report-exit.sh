#!/bin/sh
# t440-report-exit: documented exit statuses, error messages, --fail-if,
# and terminal safety of strings taken from records.
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report
log=$data/web-7.log

"$TLSDIAG" report --fail-if 17 "$log" >/dev/null || fail "17 > 17?"
expect_fail "$TLSDIAG" report --fail-if 16 "$log" >/dev/null
[ "$status" -eq 1 ] || fail "--fail-if exceeded: exit $status, want 1"
"$TLSDIAG" report --fail-if 0 --type SSLZeroReturnError "$log" \
    >/dev/null || fail "--fail-if with no matches failed"

expect_fail "$TLSDIAG" report --format yaml "$log" 2>"$tmp/err" >/dev/null
[ "$status" -eq 2 ] || fail "bad --format: exit $status, want 2"
grep -qx "tlsdiag: invalid --format 'yaml': expected text, json, csv, ndjson or html" \
    "$tmp/err" || fail "bad --format message: $(cat "$tmp/err")"
expect_fail "$TLSDIAG" report --since yesterday "$log" 2>"$tmp/err"
[ "$status" -eq 2 ] || fail "bad --since: exit $status"
expect_fail "$TLSDIAG" report --bogus "$log" 2>"$tmp/err"
[ "$status" -eq 2 ] || fail "unknown option: exit $status"
grep -q '^usage: tlsdiag report' "$tmp/err" || fail "no usage on error"
expect_fail "$TLSDIAG" frobnicate 2>"$tmp/err"
[ "$status" -eq 2 ] || fail "unknown command: exit $status"
grep -qx "tlsdiag: unknown command 'frobnicate'" "$tmp/err" ||
    fail "unknown command message: $(cat "$tmp/err")"
"$TLSDIAG" --version | grep -q '^tlsdiag [0-9]' || fail "--version"
"$TLSDIAG" --help | grep -q '^usage: tlsdiag report' || fail "--help"

expect_fail "$TLSDIAG" report "$tmp/missing.log" "$log" >"$tmp/out" \
    2>"$tmp/err"
[ "$status" -eq 3 ] || fail "missing file: exit $status, want 3"
grep -qx "tlsdiag: cannot open '$tmp/missing.log': No such file or directory" \
    "$tmp/err" || fail "missing file message: $(cat "$tmp/err")"
grep -q '17 failures' "$tmp/out" || fail "the other file was not reported"

# Escape sequences, bidi overrides and a 1 MB subject never reach the
# terminal raw.
big=$(head -c 1000000 /dev/zero | tr '\0' 'B')
printf '{"@timestamp":"2026-11-27T03:00:00Z","event":{"action":"tls_failure"},"error":{"type":"SSLCertVerificationError"},"tlsdiag":{"schema":1,"verify_message":"bad\\u001b[2J\\u202eevil"},"tls":{"client":{"server_name":"x\\u001b]0;pwned\\u0007"},"server":{"x509":{"subject":{"distinguished_name":"CN=%s"}}}},"process":{"name":"p\\u0085q"}}\n' \
    "$big" >"$tmp/evil.log"
"$TLSDIAG" report "$tmp/evil.log" >"$tmp/evil.out"
if LC_ALL=C grep -q "$(printf '\033')" "$tmp/evil.out"; then
	fail "ESC reached the output"
fi
grep -q 'bad\\x1B\[2J\\u202Eevil' "$tmp/evil.out" || fail "ESC/RLO not escaped"
grep -q 'p\\u0085q' "$tmp/evil.out" || fail "C1 control not escaped"
[ "$(wc -c <"$tmp/evil.out")" -lt 10000 ] || fail "1 MB subject not cut"
grep -q 'CN=BBBB*\.\.\.$' "$tmp/evil.out" || fail "no ellipsis on the cut"
finish
