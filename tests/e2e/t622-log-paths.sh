#!/bin/sh
# t622-log-paths: log paths that come from the environment.  A host name
# of "../../x" (a container's is set by whoever starts it) expands under
# %h to one file inside the log directory.  A TLSDIAG_LOG that is
# relative, over 1023 bytes, has an unknown % sequence or is too long once
# expanded is not used: the records go to the default log, nothing is
# created where it pointed, and the first record written says why, in
# tlsdiag.log_fallback (issue 12, item 7).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim
need_tool setpriv

# The default log is /tmp/tlsdiag-UID.jsonl: run as a uid of our own so
# it is a file no one else uses.
uid=$((61000 + $$ % 4000))
deflog=/tmp/tlsdiag-$uid.jsonl
trap '_rc=$?; rm -f "$deflog"; _cleanup; exit $_rc' EXIT
chmod 755 "$tmp"
mkdir -m 777 "$tmp/pub"
cp "$SHIM_LIB" "$FAILER" "$tmp/pub/"

# as_user TLSDIAG_LOG: three failures as $uid, in $tmp/pub.
as_user() {
	(cd "$tmp/pub" && setpriv --reuid="$uid" --regid="$uid" \
	    --clear-groups env LD_PRELOAD="$ASAN_FIRST$tmp/pub/libtlsdiag.so" \
	    TLSDIAG_LOG="$1" timeout 10 "$tmp/pub/failer" eof 3 >/dev/null)
}

# not_used NAME TLSDIAG_LOG REASON: the default log has every record and
# the first one written gives the reason; later ones do not repeat it.
not_used() {
	rm -f "$deflog"
	as_user "$2" || problem "$1: failer exited with status $?"
	[ -f "$deflog" ] || {
		problem "$1: nothing in the default log $deflog"
		return 0
	}
	check_log "$tmp/$1.sum" "$deflog"
	same "$1: failures in the default log" \
	    "$(fact "$tmp/$1.sum" action tls_failure)" 3
	same "$1: the reason" \
	    "$(jget "$deflog" 0 tlsdiag.log_fallback.reason)" "$3"
	same "$1: the value given" \
	    "$(jget "$deflog" 0 tlsdiag.log_fallback.given | head -c 40)" \
	    "$(printf %s "$2" | head -c 40)"
	same "$1: records saying it" \
	    "$(grep -c '"log_fallback"' "$deflog" || :)" 1
}

not_used relative t.jsonl "not an absolute path"
[ ! -e "$tmp/pub/t.jsonl" ] || problem "relative: t.jsonl was written"
long=/$(head -c 1100 /dev/zero | tr '\0' a)
not_used long "$long" "longer than 1023 bytes"
not_used percent "$tmp/pub/%q.jsonl" "unknown % sequence"
[ -z "$(ls "$tmp/pub" | grep jsonl)" ] || problem "percent: a log appeared"
# 1,021 bytes; each %u is the 5-digit uid: 1,051 bytes once expanded
expanded=/$(head -c 1000 /dev/zero | tr '\0' a)%u%u%u%u%u%u%u%u%u%u
not_used expanded "$expanded" "longer than 1023 bytes once expanded"

# An absolute path that is used: no log_fallback.
rm -f "$deflog"
as_user "$tmp/pub/ok.jsonl" || problem "ok: failer exited with status $?"
[ ! -e "$deflog" ] || problem "ok: the default log was written"
same "ok: records saying log_fallback" \
    "$(grep -c '"log_fallback"' "$tmp/pub/ok.jsonl" || :)" 0

# %h with a host name of "../../x", in a UTS namespace of our own.
need_tool unshare
if ! unshare --uts true 2>/dev/null; then
	echo "t622: unshare --uts not permitted here, %h case skipped"
	finish
fi
mkdir -p "$tmp/a/logs"
unshare --uts "$HPY" -c 'import os, socket, sys
socket.sethostname("../../x")
os.execvp(sys.argv[1], sys.argv[1:])' env LD_PRELOAD="$SHIM" \
    TLSDIAG_LOG="$tmp/a/logs/%h.jsonl" timeout 10 "$FAILER" eof 3 \
    >/dev/null || problem "hostname: failer exited with status $?"
[ ! -e "$tmp/x.jsonl" ] || problem "hostname: wrote outside the directory"
if [ -f "$tmp/a/logs/_._.._x.jsonl" ]; then
	check_log "$tmp/host.sum" "$tmp/a/logs/_._.._x.jsonl"
	same "hostname: failures" "$(fact "$tmp/host.sum" action tls_failure)" 3
else
	problem "hostname: no log at logs/_._.._x.jsonl: $(ls -A "$tmp/a/logs")"
fi
finish
