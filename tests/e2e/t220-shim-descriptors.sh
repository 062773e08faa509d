#!/bin/sh
# t220-shim-descriptors: the shim holds no descriptor between records.
# build/progs/fdreuse fails TLS handshakes through a frame without unwind
# information (where libunwind would validate addresses through its pipe)
# and prints every open() result, the descriptors /proc/self/fd lists,
# and each of its files' offset and bytes: all must be as without the
# shim, for a program at its RLIMIT_NOFILE limit ("limit") and for one
# that closes every descriptor and reopens files up to fd 90 between
# failures ("reuse").  The failures the shim could log are logged, with
# the program's own frames; the one at the limit (no descriptor for the
# log) is counted as dropped.  Under valgrind, the shim's unwinding and
# writing make no memcheck error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
[ -x "$PROGS/fdreuse" ] || fail "build/progs/fdreuse not built"

# frames LOG: per failure record with frames, the module file name of its first frame
frames() {
	"$HPY" - "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["action"] != "tls_failure":
        continue
    bt = r["tlsdiag"].get("backtrace")
    if bt:
        print(bt[0].get("module", "-").rsplit("/", 1)[-1])
PY
}

for mode in limit reuse; do
	mkdir "$tmp/$mode"
	same_run "$mode" "$PROGS/fdreuse" "$mode" "$tmp/$mode"
	[ "$status" -eq 0 ] || problem "$mode: status $status, want 0"
	grep -q 'open f[03] -> 3$' "$tmp/$mode.out" ||
	    problem "$mode: the program's first open() did not get fd 3"
done
grep -q 'open f.* -> -24$' "$tmp/limit.out" ||
    problem "limit: the program never reached its descriptor limit"

want_records limit "$tmp/limit.log" error.type tlsdiag.call <<END
error.type=SSLError
tlsdiag.call=SSL_connect
--
error.type=SSLError
tlsdiag.call=SSL_connect
--
END
want_coverage limit "$tmp/limit.log" dropped 1
want_records reuse "$tmp/reuse.log" error.type tlsdiag.call <<END
error.type=SSLError
tlsdiag.call=SSL_connect
--
error.type=SSLError
tlsdiag.call=SSL_connect
--
error.type=SSLError
tlsdiag.call=SSL_connect
--
END
f=$(frames "$tmp/reuse.log" | sort -u | tr '\n' ' ')
[ "$f" = "fdreuse " ] ||
    problem "reuse: first frames in modules '$f', want the program's"

if [ -n "${TLSDIAG_ASAN_PRELOAD:-}" ]; then
	echo "valgrind: skipped (cannot run ASan binaries; make test runs it)"
elif command -v valgrind >/dev/null 2>&1; then
	rm -rf "$tmp/reuse"
	mkdir "$tmp/reuse"
	rc=0
	run_shimmed "$tmp/vg.log" valgrind -q --error-exitcode=99 \
	    --track-origins=yes "$PROGS/fdreuse" reuse "$tmp/reuse" \
	    >"$tmp/vg.out" 2>"$tmp/vg.err" || rc=$?
	[ "$rc" -eq 0 ] ||
	    problem "valgrind: status $rc: $(head -20 "$tmp/vg.err")"
	n=$(grep -c '"tls_failure"' "$tmp/vg.log" || :)
	[ "$n" -eq 3 ] || problem "valgrind: $n records, want 3"
else
	echo "valgrind: skipped (not installed)"
fi
finish
