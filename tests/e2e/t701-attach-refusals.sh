#!/bin/sh
# t701-attach-refusals: "tlsdiag attach" refuses, with one line and exit
# status 5, a process it must not or cannot touch, and leaves it as it
# was (still running, not traced, no tlsdiag library loaded): no such
# process, another user's process, one another tracer holds (strace), a
# static executable, one with no libssl, one already recording with the
# preload, one under a seccomp filter, one whose mount namespace cannot
# see the library.  When mprotect is refused inside the process, the
# slots are all put back (the library stays loaded, idle).  "tlsdiag detach" refuses a process not attached.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attach.sh"
require_shim
make_pki

# untouched PID WHAT: still running, not traced, no tlsdiag loaded
untouched() {
	kill -0 "$1" 2>/dev/null || problem "$2: the process died"
	grep -q '^TracerPid:	0$' "/proc/$1/status" ||
	    problem "$2: still traced"
	if grep -q libtlsdiag "/proc/$1/maps"; then
		problem "$2: tlsdiag was loaded"
	fi
}

expect_refusal "no such process" "refused: no such process" \
    "$TLSDIAG" attach 2147483647

start_ready lat "$PROGS/latecall" "$tmp/never" local \
    "$PROGS/libtlshelper.so" 1 "$PKI/ca.pem"
pid=$lat_pid

if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
    setpriv --reuid=65534 --regid=65534 --clear-groups "$TLSDIAG" \
    --version >/dev/null 2>&1; then
	expect_refusal "other user" "refused: no permission: it runs as uid 0" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    env TLSDIAG_SHIM="$SHIM_LIB" "$TLSDIAG" attach "$pid"
	untouched "$pid" "other user"
else
	echo "SKIP part: other user (needs root and setpriv)"
fi

if command -v strace >/dev/null 2>&1; then
	strace -p "$pid" -o /dev/null 2>/dev/null &
	spid=$!
	_server_pids="$_server_pids $spid"
	i=0
	while grep -q '^TracerPid:	0$' "/proc/$pid/status"; do
		i=$((i + 1))
		[ "$i" -le 100 ] || fail "strace did not attach"
		sleep 0.1
	done
	expect_refusal "traced" "refused: already traced by pid $spid (strace)" \
	    "$TLSDIAG" attach "$pid"
	kill "$spid"
	wait "$spid" 2>/dev/null || :
	sleep 0.2
	untouched "$pid" "traced"
else
	echo "SKIP part: tracer already attached (needs strace)"
fi

start_ready st "$PROGS/static_sleep"
expect_refusal "static" "refused: a static executable" \
    "$TLSDIAG" attach "$st_pid"
untouched "$st_pid" static

start_ready nossl sh -c 'echo ready; exec sleep 60'
sleep 0.2
expect_refusal "no libssl" "refused: no libssl loaded and no OpenSSL exported by the executable or a loaded object: nothing to attach to" \
    "$TLSDIAG" attach "$nossl_pid"
untouched "$nossl_pid" "no libssl"

start_ready pre env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$tmp/pre.jsonl" \
    "$PROGS/latecall" "$tmp/never" local "$PROGS/libtlshelper.so" 1 \
    "$PKI/ca.pem"
expect_refusal "preloaded" "refused: already recording (started with LD_PRELOAD)" \
    "$TLSDIAG" attach "$pre_pid"
expect_refusal "detach preloaded" "refused: it records by LD_PRELOAD" \
    "$TLSDIAG" detach "$pre_pid"

start_ready sec "$PROGS/seccompsleep"
expect_refusal "seccomp" "refused: it runs under seccomp (mode 2)" \
    "$TLSDIAG" attach "$sec_pid"
untouched "$sec_pid" seccomp

expect_refusal "detach, not attached" "refused: tlsdiag is not loaded" \
    "$TLSDIAG" detach "$pid"

# another mount namespace in which the library's directory is empty
if unshare -m true 2>/dev/null; then
	# the programs outside the hidden directory
	cp "$PROGS/latecall" "$PROGS/libtlshelper.so" "$tmp/"
	start_ready ns unshare -m sh -c 'mount -t tmpfs none "$1" &&
	    exec "$2" "$3" local "$4" 1 "$5"' sh \
	    "$(dirname "$SHIM_LIB")" "$tmp/latecall" "$tmp/never" \
	    "$tmp/libtlshelper.so" "$PKI/ca.pem"
	nspid=$ns_pid
	expect_refusal "namespace" "is not the same file in its mount namespace" \
	    "$TLSDIAG" attach "$nspid"
	untouched "$nspid" namespace
else
	echo "SKIP part: other mount namespace (unshare -m not allowed)"
fi
# mprotect refused inside the process (the fault build refuses it for a
# RELRO page): every slot patched so far goes back, the attach is refused
if [ -x "$PROGS/znow_latecall" ] && [ -e "$BUILD/libtlsdiag-faults.so" ]; then
	start_ready zn env TLSDIAG_FAULT_MPROTECT=1 "$PROGS/znow_latecall" \
	    "$tmp/never" local "$PROGS/libtlshelper.so" 1 "$PKI/ca.pem"
	"$HPY" "$SRCPROGS/gotslots.py" "$zn_pid" znow_latecall dlopen \
	    OPENSSL_init_ssl >"$tmp/zn.before"
	expect_refusal "mprotect" "refused: mprotect refused inside the process" \
	    env TLSDIAG_SHIM="$BUILD/libtlsdiag-faults.so" "$TLSDIAG" attach \
	    "$zn_pid"
	"$HPY" "$SRCPROGS/gotslots.py" "$zn_pid" znow_latecall dlopen \
	    OPENSSL_init_ssl >"$tmp/zn.after"
	diff -u "$tmp/zn.before" "$tmp/zn.after" ||
	    problem "mprotect: slots changed"
	kill -0 "$zn_pid" || problem "mprotect: the process died"
	"$TLSDIAG" status "$zn_pid" | grep -q "	loaded	" ||
	    problem "mprotect: status: $("$TLSDIAG" status "$zn_pid")"
else
	fail "build/progs/znow_latecall or libtlsdiag-faults.so missing"
fi
untouched "$pid" "the first"
finish
