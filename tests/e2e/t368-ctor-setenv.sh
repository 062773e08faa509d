#!/bin/sh
# t368-ctor-setenv: a TLSDIAG_* variable that another library's
# constructor adds with setenv() before the shim's constructor runs is
# honoured, as getenv() would see it (shim/init.c reads environ, not the
# array glibc passes constructors, which a new variable does not reach).
# libctorenv.so, preloaded after the shim, adds TLSDIAG_BACKTRACE=0;
# "failer eof 1" then fails once: its record must carry no frames, and
# without the library it must carry them.
. "$(dirname "$0")/lib.sh"
require_shim
lib=$PROGS/libctorenv.so
[ -f "$lib" ] || fail "$lib not built"

# frames LOG: how many frames the failure record carries ("none": absent)
frames() {
	"$HPY" -c 'import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["action"] == "tls_failure":
        bt = r["tlsdiag"].get("backtrace")
        print("none" if bt is None else len(bt))' "$1"
}

unset TLSDIAG_BACKTRACE
for case in plain ctor; do
	pre=$SHIM
	[ "$case" = ctor ] && pre="$SHIM $lib"
	status=0
	env LD_PRELOAD="$pre" TLSDIAG_LOG="$tmp/$case.log" \
	    CTORENV_BACKTRACE=0 "$PROGS/failer" eof 1 >"$tmp/$case.out" \
	    2>&1 || status=$?
	[ "$status" -eq 0 ] ||
	    problem "$case: failer status $status: $(cat "$tmp/$case.out")"
	[ -f "$tmp/$case.log" ] || { problem "$case: no log"; continue; }
	eval "n_$case=\$(frames \"\$tmp/\$case.log\")"
done
[ "$n_plain" != none ] && [ "$n_plain" -gt 0 ] ||
    problem "without the library the record has no frames ($n_plain)"
[ "$n_ctor" = none ] ||
    problem "TLSDIAG_BACKTRACE=0 set by a constructor was not seen: $n_ctor frames"
finish
