#!/bin/sh
# run.sh: run each libFuzzer harness for a bounded time.
#
# usage: tests/fuzz/run.sh SECONDS BUILD-DIR TARGET...
# Each BUILD-DIR/fuzz_TARGET starts from the committed seeds in
# tests/fuzz/corpus/TARGET (read only: what it finds goes to a scratch
# copy under BUILD-DIR) and runs for SECONDS.  A crash, leak, sanitizer
# report or failed property leaves the input in BUILD-DIR/crash-* and
# fails the run; replay it with "BUILD-DIR/fuzz_TARGET crash-file".
set -eu

secs=$1
dir=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
nfail=0
for t in "$@"; do
	bin=$dir/fuzz_$t
	scratch=$dir/corpus-$t
	rm -rf "$scratch"
	mkdir -p "$scratch"
	log=$dir/fuzz_$t.log
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=8192 -artifact_prefix="$dir/" -print_final_stats=1 \
	    "$scratch" "$top/tests/fuzz/corpus/$t" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz $t: ok, $runs inputs in $secs s"
	else
		echo "fuzz $t: FAILED (see $log)"
		grep -E '^(fuzz_|SUMMARY|==[0-9]+==ERROR)' "$log" | head -5
		nfail=$((nfail + 1))
	fi
done
[ "$nfail" -eq 0 ]
