#!/bin/sh
# t380-gnutls: git and wget, which use GnuTLS on Debian (git through
# git-remote-https and libcurl-gnutls), are out of scope.  The shim must be
# invisible (same output and status with and without it; nothing
# recorded as a failure) and the exit record of the process that loaded
# GnuTLS must say so: tls_seen false, other_tls naming libgnutls, a
# warning.  git ls-remote fails (the test CA is not trusted), wget fails
# the same way, then fetches from the server with the CA given.  Under
# tlsdiag run, the summary names the uncovered library.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
need_tool git wget
require_shim
# git-remote-http and wget link libp11-kit (through GnuTLS): under make
# asan, without the ASan runtime (lib.sh)
SHIM=$SHIM_P11
make_pki

start_server srv "$HPY" "$SRCPROGS/tlsserver.py" --mode ok \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
export HOME="$tmp" GIT_CONFIG_NOSYSTEM=1
SAME_FILTER='s/^--[0-9-]* [0-9:]*--/--TIME--/'

same_run git git ls-remote "https://127.0.0.1:$srv_port/x"
[ "$status" -eq 128 ] || problem "git: status $status, want 128"
grep -q 'server certificate verification failed' "$tmp/git.err" ||
    problem "git: $(cat "$tmp/git.err")"

same_run wget-bad wget -O - "https://127.0.0.1:$srv_port/"
[ "$status" -eq 5 ] || problem "wget-bad: status $status, want 5"
grep -q 'not trusted' "$tmp/wget-bad.err" ||
    problem "wget-bad: $(cat "$tmp/wget-bad.err")"

same_run wget-ok wget -q -O - --ca-certificate="$PKI/ca.pem" \
    "https://localhost:$srv_port/"
[ "$status" -eq 0 ] || problem "wget-ok: status $status, want 0"
[ "$(cat "$tmp/wget-ok.out")" = ok ] ||
    problem "wget-ok: got '$(cat "$tmp/wget-ok.out")'"

# process.name, event.action, log.level of each record, in order.
records() {
	"$HPY" - "$1" <<'END'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["process"]["name"], r["event"]["action"], r["log.level"])
END
}

for n in git:git-remote-http wget-bad:wget wget-ok:wget; do
	name=${n%%:*}
	proc=${n#*:}
	want_records "$name" "$tmp/$name.log" error.type </dev/null
	records "$tmp/$name.log" >"$tmp/$name.recs"
	echo "$proc tlsdiag_exit warning" | diff -u - "$tmp/$name.recs" >&2 ||
	    problem "$name: want one warning exit record from $proc"
	want_coverage "$name" "$tmp/$name.log" tls_seen false
	want_coverage "$name" "$tmp/$name.log" other_tls '["libgnutls.so.30"]'
	want_coverage "$name" "$tmp/$name.log" libraries '[]'
	m=$(jget "$tmp/$name.log" -1 message)
	case $m in
	*'libgnutls.so.30, which tlsdiag does not cover'*) ;;
	*) problem "$name: exit message: $m" ;;
	esac
done

# tlsdiag run's summary says so too, for git's child, instead of "no TLS
# activity seen".
st=0
timeout "$CLIENT_TIMEOUT" "$TLSDIAG" run -o "$tmp/run.log" -- \
    git ls-remote "https://127.0.0.1:$srv_port/x" >/dev/null \
    2>"$tmp/run.err" </dev/null || st=$?
[ "$st" -eq 128 ] || problem "tlsdiag run git: status $st, want 128"
grep -qx 'tlsdiag: git-remote-http uses libgnutls.so.30, which tlsdiag does not cover' \
    "$tmp/run.err" || problem "tlsdiag run git: summary: $(cat "$tmp/run.err")"
! grep -q 'no TLS activity seen' "$tmp/run.err" ||
    problem "tlsdiag run git: says no TLS activity: $(cat "$tmp/run.err")"
finish
