#!/bin/sh
# t600-threads: 32 threads fail 30,080 TLS handshakes at once under the
# shim with no rate limit.  Every failure must give exactly one record,
# each a whole JSON line (a record written in pieces, or two writers
# interleaving, makes a line that does not parse and changes the counts),
# every thread must be represented in full, and nothing may deadlock
# (the program runs under a timeout).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim

threads=32 each=940
total=$((threads * each))
CLIENT_TIMEOUT=100
run_shimmed "$tmp/log" TLSDIAG_RATE=0 TLSDIAG_BACKTRACE=2 \
    "$FAILER" threads "$threads" "$each" >"$tmp/out" 2>"$tmp/err" ||
    fail "failer exited with status $?: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || problem "stderr: $(cat "$tmp/err")"
grep -qx "failures $total" "$tmp/out" || problem "program output changed"

check_log "$tmp/sum" "$tmp/log"
pid=$(sed -n 's/^pid //p' "$tmp/out")
same "failure records" "$(fact "$tmp/sum" action tls_failure)" "$total"
same "start records" "$(fact "$tmp/sum" action tlsdiag_start)" 1
same "exit records" "$(fact "$tmp/sum" action tlsdiag_exit)" 1
same "lines" "$(fact "$tmp/sum" lines)" $((total + 2))
same "threads with failures" "$(fact "$tmp/sum" threads tls_failure)" \
    "$threads"
same "records per thread (min max)" \
    "$(fact "$tmp/sum" perthread tls_failure)" "$each $each"
same "failures of pid $pid" "$(fact "$tmp/sum" pid "$pid" tls_failure)" \
    "$total"
same "coverage.records" "$(fact "$tmp/sum" coverage "$pid" records)" \
    $((total + 1))
same "coverage.dropped" "$(fact "$tmp/sum" coverage "$pid" dropped)" 0
same "coverage.suppressed" "$(fact "$tmp/sum" coverage "$pid" suppressed)" 0
finish
