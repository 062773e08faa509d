#!/bin/sh
# t640-storm: a program failing as fast as it can (about 8,000 handshake
# failures a second on one core).  Under the default TLSDIAG_RATE=100 the
# shim writes at most 100 failure records a second, says how many it held
# back in tlsdiag_suppressed records and in the exit record (recorded +
# suppressed = every failure), and the program's own cost per failure
# barely moves.
#
# The cost is measured as the program's CPU time (CLOCK_PROCESS_CPUTIME_ID,
# far less sensitive to other load than wall time) per failure, over runs
# of 8,000 failures and at least 1.2 s, three with and three without the
# shim, alternating; the medians are compared.  Each run crosses a second
# boundary, so the shim must write a tlsdiag_suppressed record (the count
# held back in the last second is written only at exit).  The bound is
# 25%: the issue's goal is 10% and the overhead measured on an idle
# 2-core machine is 2-5%, but this test must not fail on a loaded CI
# machine; recording every failure (TLSDIAG_RATE=0, 16 frames) costs
# about 65% and is caught.  The tight number is bench/'s.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim

n=8000
CLIENT_TIMEOUT=60
for i in 1 2 3; do
	run_plain "$FAILER" storm "$n" >"$tmp/bare.$i" 2>&1 ||
	    fail "failer failed without the shim: $(cat "$tmp/bare.$i")"
	run_shimmed "$tmp/storm.$i.log" "$FAILER" storm "$n" \
	    >"$tmp/shim.$i" 2>&1 ||
	    fail "failer failed under the shim: $(cat "$tmp/shim.$i")"
done

# median FILE...: the median CPU microseconds per failure
median() {
	for _f in "$@"; do
		awk '$1 == "failures" { printf "%.1f\n", $6 * 1e6 / $2 }' "$_f"
	done | sort -n | sed -n 2p
}
bare=$(median "$tmp"/bare.?)
shim=$(median "$tmp"/shim.?)
echo "median CPU us per failure: $bare bare, $shim with the shim"
awk -v b="$bare" -v s="$shim" 'BEGIN { exit !(s <= b * 1.25) }' ||
    problem "the shim made each failure cost $shim/$bare as much"

for i in 1 2 3; do
	check_log "$tmp/sum.$i" "$tmp/storm.$i.log"
	pid=$(sed -n '1s/^pid //p' "$tmp/shim.$i")
	all=$(awk '$1 == "failures" { print $2 }' "$tmp/shim.$i")
	secs=$(awk '$1 == "failures" { print int($4) }' "$tmp/shim.$i")
	rec=$(fact "$tmp/sum.$i" action tls_failure)
	sup=$(fact "$tmp/sum.$i" coverage "$pid" suppressed)
	said=$(fact "$tmp/sum.$i" suppressed-records)
	# the limit counts whole seconds: a run of S.x seconds spans at
	# most S + 2 of them
	[ "$rec" -ge 100 ] && [ "$rec" -le $(((secs + 2) * 100)) ] ||
	    problem "run $i: $rec failure records in $secs.x s"
	same "run $i: recorded + suppressed" $((rec + sup)) "$all"
	[ "$(fact "$tmp/sum.$i" action tlsdiag_suppressed)" -ge 1 ] ||
	    problem "run $i: no tlsdiag_suppressed record"
	# the held-back count of the last second is only in the exit record
	[ "$said" -ge 1 ] && [ "$said" -le "$sup" ] ||
	    problem "run $i: suppressed records say $said, exit record $sup"
done
finish
