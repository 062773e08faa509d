#!/bin/sh
# run.sh: run the end-to-end tests and summarise.
#
# Runs every tests/e2e/t*.sh (or those matching the space-separated glob
# patterns in $T, e.g. T='t1*' or T='t110 t150' (a bare number matches its
# test)), each under
# 'timeout $E2E_TIMEOUT' (default 120 s; a test's own "# e2e-timeout: N"
# line near its top raises that).  Prints PASS/FAIL/SKIP and the
# test's name per test (the tail of its output after a FAIL; all of it with
# VERBOSE=1), then "N passed, N failed, N skipped".  Exit status 1 if any
# test failed or none matched.  Exit status 77 from a test means SKIP.
set -eu

dir=$(cd "$(dirname "$0")" && pwd)
patterns=${T:-t*}
limit=${E2E_TIMEOUT:-120}
out=$(mktemp "${TMPDIR:-/tmp}/tlsdiag-e2e-run.XXXXXX")
trap 'rm -f "$out"' EXIT

npass=0
nfail=0
nskip=0
for t in "$dir"/t*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	match=
	set -f
	for p in $patterns; do
		# shellcheck disable=SC2254
		case $name in $p | $p.sh | $p-*) match=1 ;; esac
	done
	set +f
	[ -n "$match" ] || continue
	if [ -x "$t" ]; then
		set -- "$t"
	else
		set -- sh "$t"
	fi
	# A test that compiles a whole package may ask for more time.
	tlimit=$(sed -n '1,30s/^# e2e-timeout: \([0-9][0-9]*\)$/\1/p' "$t")
	[ -n "$tlimit" ] && [ "$tlimit" -gt "$limit" ] || tlimit=$limit
	rc=0
	timeout "$tlimit" "$@" >"$out" 2>&1 </dev/null || rc=$?
	case $rc in
	0)
		echo "PASS $name"
		npass=$((npass + 1))
		;;
	77)
		echo "SKIP $name: $(grep '^SKIP' "$out" | tail -1)"
		nskip=$((nskip + 1))
		;;
	*)
		[ "$rc" -eq 124 ] && echo "timed out after ${tlimit} s" >>"$out"
		echo "FAIL $name"
		if [ -n "${VERBOSE:-}" ]; then
			sed 's/^/    /' "$out"
		else
			tail -n 40 "$out" | sed 's/^/    /'
		fi
		nfail=$((nfail + 1))
		;;
	esac
	[ -z "${VERBOSE:-}" ] || [ "$rc" -ne 0 ] || sed 's/^/    /' "$out"
done

echo "$npass passed, $nfail failed, $nskip skipped"
[ $((npass + nfail + nskip)) -gt 0 ] || {
	echo "run.sh: no test matches '$patterns'" >&2
	exit 1
}
[ "$nfail" -eq 0 ]
