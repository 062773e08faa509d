#!/bin/sh
# t660-setuid: in a secure-execution process (AT_SECURE: here a program
# that is set-user-ID nobody, run by root) the shim ignores its
# environment: TLSDIAG_LOG, TLSDIAG_DEBUG, TLSDIAG_RATE and
# TLSDIAG_BACKTRACE set by the (less trusted) caller change nothing, and
# records go to the default log of the effective user,
# /tmp/tlsdiag-65534.jsonl.
#
# The loader preloads into such a process only a library named without a
# slash that sits in a trusted directory with its own set-user-ID bit, so
# the test installs a copy of the shim under a unique name into the
# multiarch library directory for its duration (removed on exit, also
# when killed).  Nothing else on the machine names that file, so no other
# process is affected; /etc/ld.so.preload, the alternative, would be.
# The control run, the same program without the set-user-ID bit, shows
# the environment is honoured there.  Needs root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim
need_tool setpriv
[ "$(id -u)" -eq 0 ] || skip "must run as root to make a set-user-ID program"
# the loader will not preload the ASan runtime by path into such a process
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] ||
    skip "an ASan build cannot be preloaded into a set-user-ID program"
arch=$(${CC:-cc} -print-multiarch 2>/dev/null || :)
libdir=/usr/lib/${arch:-x86_64-linux-gnu}
[ -d "$libdir" ] || skip "no $libdir"

name=libtlsdiag-t660-$$.so
lib=$libdir/$name
deflog=/tmp/tlsdiag-65534.jsonl
# the default log is removed again if this test made it
made=$deflog
[ ! -e "$deflog" ] || made=
trap '_rc=$?; rm -f "$lib" $made; _cleanup; exit $_rc' EXIT
cp "$SHIM_LIB" "$lib"
chmod 4755 "$lib"

chmod 755 "$tmp"
cp "$FAILER" "$tmp/suid"
cp "$FAILER" "$tmp/plain"
chown nobody "$tmp/suid"
chmod 4755 "$tmp/suid"

# run PROG LOG: the program with every setting the shim could take
run() {
	timeout 15 env LD_PRELOAD="$name" TLSDIAG_LOG="$2" TLSDIAG_DEBUG=1 \
	    TLSDIAG_RATE=1 TLSDIAG_BACKTRACE=0 "$1" eof 3
}

# control: not set-user-ID, the environment applies
run "$tmp/plain" "$tmp/plain.log" >"$tmp/plain.out" 2>"$tmp/plain.err" ||
    fail "control: status $?: $(cat "$tmp/plain.err")"
check_log "$tmp/plain.sum" "$tmp/plain.log"
same "control: failure records (TLSDIAG_RATE=1)" \
    "$(fact "$tmp/plain.sum" action tls_failure)" 1
"$HPY" -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1])][1]
sys.exit("backtrace" in r["tlsdiag"])' "$tmp/plain.log" ||
    problem "control: TLSDIAG_BACKTRACE=0 ignored"

# set-user-ID: the environment is ignored
run "$tmp/suid" "$tmp/suid.log" >"$tmp/suid.out" 2>"$tmp/suid.err" ||
    fail "setuid: status $?: $(cat "$tmp/suid.err")"
pid=$(sed -n '1s/^pid //p' "$tmp/suid.out")
grep -qx 'failures 3' "$tmp/suid.out" || problem "setuid: output changed"
[ ! -e "$tmp/suid.log" ] || problem "setuid: TLSDIAG_LOG was honoured"
[ ! -s "$tmp/suid.err" ] ||
    problem "setuid: TLSDIAG_DEBUG was honoured: $(cat "$tmp/suid.err")"
[ -f "$deflog" ] || fail "setuid: nothing in the default log $deflog"
grep "\"pid\":$pid," "$deflog" >"$tmp/suid.mine" || :
check_log "$tmp/suid.sum" "$tmp/suid.mine"
same "setuid: failure records (default rate)" \
    "$(fact "$tmp/suid.sum" action tls_failure)" 3
"$HPY" -c 'import json, sys
r = [json.loads(l) for l in open(sys.argv[1])
     if "tls_failure" in l][0]
sys.exit("backtrace" not in r["tlsdiag"])' "$tmp/suid.mine" ||
    problem "setuid: TLSDIAG_BACKTRACE=0 was honoured"
finish
