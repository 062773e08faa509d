# hostile.sh: helpers for the t6NN hostile-conditions tests (issue 6),
# sourced after lib.sh.  FAILER is tests/progs/failer.c, built.

FAILER=$PROGS/failer
[ -x "$FAILER" ] || fail "'$FAILER' not built"

# check_log SUMMARY FILE...: every line of the logs must be one whole JSON
# record (tests/progs/logcheck.py); its summary goes to SUMMARY.
check_log() {
	_sum=$1
	shift
	"$HPY" "$SRCPROGS/logcheck.py" "$@" >"$_sum" ||
	    fail "a record in $* is torn or invalid"
}

# fact SUMMARY KEY...: the value that follows "KEY..." in a summary, or 0.
fact() {
	_sum=$1
	shift
	_v=$(awk -v k="$*" 'index($0, k " ") == 1 {
	    print substr($0, length(k) + 2) }' "$_sum")
	echo "${_v:-0}"
}

# same WHAT GOT WANT: report a problem unless GOT is WANT.
same() {
	[ "$2" = "$3" ] || problem "$1 is '$2', want '$3'"
}

# Under make asan, what must precede other preloads ("" otherwise).
ASAN_FIRST=${TLSDIAG_ASAN_PRELOAD:+$TLSDIAG_ASAN_PRELOAD }
