#!/bin/sh
# t670-valgrind: the analyzer under valgrind memcheck reports no error and
# leaks nothing, in every output format, over the golden logs, the fuzzing
# corpus (malformed lines, gzip, hostile strings) and a line over the
# length cap.  (Under make asan the binaries carry ASan, which valgrind
# cannot run; the ASan run checks them instead.)
. "$(dirname "$0")/lib.sh"
need_tool valgrind
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] ||
    skip "valgrind cannot run ASan binaries; make test runs this test"
[ -x "$TLSDIAG" ] || fail "'$TLSDIAG' not built"

# the fuzz seeds without their first byte (the harness's format selector)
for f in "$TOP"/tests/fuzz/corpus/reader/*; do
	tail -c +2 "$f" >"$tmp/seed-$(basename "$f")"
done
{
	cat "$TOP"/tests/e2e/data/report/web-7.log
	head -c 1100000 /dev/zero | tr '\0' 'A'
	printf '\n{"truncated":'
} >"$tmp/long.log"

for fmt in text json csv ndjson; do
	rc=0
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect --track-origins=yes \
	    "$TLSDIAG" report --format "$fmt" --now=2026-11-27T04:00:00Z \
	    "$TOP"/tests/e2e/data/report/*.log "$tmp"/seed-* "$tmp/long.log" \
	    >"$tmp/out.$fmt" 2>"$tmp/vg.$fmt" || rc=$?
	# 0, or 1 for the skipped lines; 99 is valgrind's
	[ "$rc" -le 1 ] ||
	    problem "$fmt: status $rc: $(head -30 "$tmp/vg.$fmt")"
	[ -s "$tmp/out.$fmt" ] || problem "$fmt: no output"
	grep -q '^==[0-9]*==' "$tmp/vg.$fmt" &&
	    problem "$fmt: valgrind said: $(head -30 "$tmp/vg.$fmt")"
done
finish
