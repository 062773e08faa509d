#!/bin/sh
# t610-processes: fork with and without exec, posix_spawn, and a daemon
# that closes every descriptor it did not open, points 0 at /dev/null and
# 1 and 2 at its own data file, then keeps descriptor 3 (the number a
# logger that kept or reused a descriptor would write to) for itself.
# The records of parent and child all arrive, each process's exit record
# counts what that process wrote, and the program's own files hold only
# what it wrote (the daemon also checks, after every failure, that the
# shim left no descriptor open).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim

n=3
for mode in fork fork-exec spawn; do
	log=$tmp/$mode.log
	run_shimmed "$log" "$FAILER" "$mode" "$n" >"$tmp/$mode.out" \
	    2>"$tmp/$mode.err" || {
		problem "$mode: failer exited with status $?: \
$(cat "$tmp/$mode.err")"
		continue
	}
	[ ! -s "$tmp/$mode.err" ] ||
	    problem "$mode: stderr: $(cat "$tmp/$mode.err")"
	check_log "$tmp/$mode.sum" "$log"
	parent=$(sed -n '1s/^pid //p' "$tmp/$mode.out")
	# the child's pid: the one other pid in the log
	child=$(sed -n 's/^pid \([0-9]*\) tls_failure .*/\1/p' \
	    "$tmp/$mode.sum" | grep -vx "$parent" || :)
	[ -n "$child" ] && [ "$(echo "$child" | wc -l)" -eq 1 ] || {
		problem "$mode: want records from one child, got pids '$child'"
		continue
	}
	pf=$((2 * n))
	[ "$mode" = spawn ] && pf=$n
	same "$mode: parent failures" \
	    "$(fact "$tmp/$mode.sum" pid "$parent" tls_failure)" "$pf"
	same "$mode: child failures" \
	    "$(fact "$tmp/$mode.sum" pid "$child" tls_failure)" "$n"
	for p in "$parent" "$child"; do
		same "$mode: exit records of $p" \
		    "$(fact "$tmp/$mode.sum" pid "$p" tlsdiag_exit)" 1
		# the exit record counts this process's records, not its
		# parent's (the analyzer adds them up across processes)
		wrote=$(($(fact "$tmp/$mode.sum" pid "$p" tls_failure) + \
		    $(fact "$tmp/$mode.sum" pid "$p" tlsdiag_start)))
		same "$mode: coverage.records of $p" \
		    "$(fact "$tmp/$mode.sum" coverage "$p" records)" "$wrote"
		same "$mode: coverage.dropped of $p" \
		    "$(fact "$tmp/$mode.sum" coverage "$p" dropped)" 0
	done
done

# The daemon.
n=20
run_shimmed "$tmp/d.log" "$FAILER" daemon "$n" "$tmp/data" \
    >"$tmp/d.out" 2>"$tmp/d.err" ||
    fail "daemon: failer exited with status $?: $(cat "$tmp/d.err")"
[ ! -s "$tmp/d.err" ] || problem "daemon: stderr: $(cat "$tmp/d.err")"
i=1
while [ "$i" -le "$n" ]; do
	printf 'data %d\nerr %d\nkeep %d\n' "$i" "$i" "$i"
	i=$((i + 1))
done >"$tmp/data.want"
cmp -s "$tmp/data.want" "$tmp/data" || {
	problem "daemon: its data file holds something it did not write"
	diff "$tmp/data.want" "$tmp/data" | head -5 >&2
}
check_log "$tmp/d.sum" "$tmp/d.log"
parent=$(sed -n '1s/^pid //p' "$tmp/d.out")
daemon=$(sed -n 's/^pid \([0-9]*\) tls_failure .*/\1/p' "$tmp/d.sum" |
    grep -vx "$parent" || :)
same "daemon: parent failures" \
    "$(fact "$tmp/d.sum" pid "$parent" tls_failure)" 2
same "daemon: daemon failures" \
    "$(fact "$tmp/d.sum" pid "$daemon" tls_failure)" "$n"
same "daemon: daemon exit records" \
    "$(fact "$tmp/d.sum" pid "$daemon" tlsdiag_exit)" 1
finish
