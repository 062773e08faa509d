#!/bin/sh
# t621-log-torn: a record reaches the log whole or not at all (issue 12,
# items 1 and 2).  A FIFO whose reader is slower than the writer, with
# records of about 8 KB (over PIPE_BUF): every line the reader gets is a
# whole record, and records + dropped = failures.  A write cut short by
# ENOSPC (a test preload forces it): the fragment is ended with a newline
# at once, or, if that fails too, before the process's next record, so
# later records are whole lines.  A real full file system (tmpfs of
# 256 KiB): a record that does not fit is not begun, and the next
# process's records are whole.  The report counts torn fragments and
# recovers every whole record glued after one on the same line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim

# The slow FIFO.
mkfifo "$tmp/fifo"
"$HPY" "$SRCPROGS/slowreader.py" "$tmp/fifo" "$tmp/fifo.out" \
    "$tmp/ready" "$tmp/stop" &
reader=$!
i=0
while [ ! -e "$tmp/ready" ]; do
	i=$((i + 1))
	[ "$i" -le 100 ] || fail "fifo: the reader did not start"
	sleep 0.1
done
rc=0
env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$tmp/fifo" TLSDIAG_BACKTRACE=64 \
    TLSDIAG_RATE=0 timeout 60 "$PY_DEBIAN" "$SRCPROGS/deepfail.py" 300 2 \
    >"$tmp/deep.out" || rc=$?
: >"$tmp/stop"
wait "$reader" || problem "fifo: the reader exited with status $?"
[ "$rc" -eq 0 ] || fail "fifo: deepfail.py exited with status $rc"
same "fifo: the program's output" "$(cat "$tmp/deep.out")" "failures 300"
check_log "$tmp/fifo.sum" "$tmp/fifo.out"
pid=$(fact "$tmp/fifo.sum" action tlsdiag_exit)
got=$(fact "$tmp/fifo.sum" action tls_failure)
[ "$got" -gt 0 ] && [ "$got" -lt 300 ] ||
    problem "fifo: $got of 300 failures arrived: want some, not all"
same "fifo: exit records" "$pid" 1
pid=$(awk '$1 == "coverage" { print $2; exit }' "$tmp/fifo.sum")
dropped=$(fact "$tmp/fifo.sum" coverage "$pid" dropped)
same "fifo: failures on record + dropped" $((got + dropped)) 300
echo "t621: fifo: $got records whole, $dropped dropped"

# torn_check LOG WANT-TORN WANT-RECORDS WANT-DROPPED: the report's counts,
# and the exit record's dropped count, must be these.
torn_check() {
	"$TLSDIAG" report --format json "$1" >"$1.json" ||
	    problem "$1: report exit status $?"
	same "$1: torn, records, dropped" "$("$HPY" - "$1.json" "$1" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["input"]
dropped = []
for raw in open(sys.argv[2], "rb"):
    try:
        r = json.loads(raw)
    except ValueError:
        continue
    if r["event"]["action"] == "tlsdiag_exit":
        dropped.append(r["tlsdiag"]["coverage"]["dropped"])
print(i["skipped_by_reason"]["torn"], i["records"], dropped)
PY
)" "$2 $3 $4"
}

# ENOSPC in the middle of failure 1 (record 2): 5 records were written
# (start, failures 1-3, exit), one of them torn and dropped.
WF=$tmp/writefault.so
cc -shared -fPIC -o "$WF" "$TOP/tests/e2e/writefault.c" -ldl ||
    fail "cannot build writefault.so"
for mode in enospc1 enospc; do
	env LD_PRELOAD="$ASAN_FIRST$WF $SHIM_LIB" WRITEFAULT=$mode \
	    WRITEFAULT_AT=2 WRITEFAULT_REPORT="$tmp/$mode.rep" \
	    TLSDIAG_LOG="$tmp/$mode.log" timeout 10 "$FAILER" eof 3 \
	    >/dev/null || problem "$mode: failer exited with status $?"
	read -r _ _ _ _ _ _ _ ne <"$tmp/$mode.rep" || fail "$mode: no report"
	same "$mode: writes failed with ENOSPC" "$ne" \
	    "$([ $mode = enospc ] && echo 2 || echo 1)"
	# line 2 is the fragment, on a line of its own; the rest are whole
	sed 2d "$tmp/$mode.log" >"$tmp/$mode.rest"
	check_log "$tmp/$mode.sum" "$tmp/$mode.rest"
	same "$mode: whole records" "$(fact "$tmp/$mode.sum" lines)" 4
	torn_check "$tmp/$mode.log" 1 4 "[1]"
done

# A real full file system, if we may mount one.
mkdir "$tmp/full"
if mount -t tmpfs -o size=256k tmpfs "$tmp/full" 2>/dev/null; then
	trap '_rc=$?; umount "$tmp/full" 2>/dev/null; _cleanup; exit $_rc' EXIT
	# leave one page: the first records fit, a later one does not
	avail=$(df -B1 --output=avail "$tmp/full" | tail -1)
	head -c $((avail - 4096)) /dev/zero >"$tmp/full/filler" 2>/dev/null ||
	    :
	for run in 1 2; do
		env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$tmp/full/log" \
		    timeout 10 "$FAILER" eof 3 >/dev/null ||
		    problem "full: run $run: failer exited with status $?"
		rm -f "$tmp/full/filler"	# space again for run 2
	done
	check_log "$tmp/full.sum" "$tmp/full/log"
	n=$(fact "$tmp/full.sum" action tls_failure)
	[ "$n" -ge 3 ] && [ "$n" -lt 6 ] ||
	    problem "full: $n failure records: want run 2's 3, fewer of run 1's"
	# run 1's exit record does not fit; run 2's says 0 dropped
	torn_check "$tmp/full/log" 0 "$(fact "$tmp/full.sum" lines)" "[0]"
	umount "$tmp/full"
	trap '_rc=$?; _cleanup; exit $_rc' EXIT
else
	echo "t621: cannot mount a tmpfs here: no full file system case"
fi

# The report: fragments on their own line, glued to the next record, two
# glued in a row, and a final line without a newline.
r1=$(sed -n 1p "$TOP/tests/e2e/data/report/web-7.log")
r2=$(sed -n 2p "$TOP/tests/e2e/data/report/web-7.log")
f1=$(printf '%s' "$r2" | cut -c1-150)
f2=$(printf '%s' "$r1" | cut -c1-90)
{
	printf '%s\n' "$r1"
	printf '%s\n' "$f1"			# ended by the shim: 1 torn
	printf '%s%s\n' "$f1" "$r2"		# 1 torn, 1 record
	printf '%s%s%s%s\n' "$f2" "$f1" "$r1" "$r2"	# 2 torn, 2 records
	printf 'junk%s\n' "$r2"		# invalid JSON, 1 record
	printf '%s%s%s' "$f1" "$r1" "$f2"	# 1 torn, 1 record, truncated
} >"$tmp/glued.log"
"$TLSDIAG" report --format json "$tmp/glued.log" >"$tmp/glued.json" ||
    problem "glued: report exit status $?"
same "glued: counts" "$("$HPY" - "$tmp/glued.json" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))["input"]
s = {k: v for k, v in i["skipped_by_reason"].items() if v}
print(i["lines"], i["records"], i["skipped"], sorted(s.items()))
PY
)" "6 6 7 [('invalid_json', 1), ('torn', 5), ('truncated', 1)]"
"$TLSDIAG" report --format ndjson "$tmp/glued.log" >"$tmp/glued.ndjson" ||
    problem "glued: ndjson exit status $?"
check_log "$tmp/glued.sum" "$tmp/glued.ndjson"
"$TLSDIAG" report "$tmp/glued.log" >"$tmp/glued.txt" ||
    problem "glued: text exit status $?"
grep -q 'torn record 5' "$tmp/glued.txt" ||
    problem "glued: the text report does not count 5 torn records"
finish
