#!/bin/sh
# t215-shim-stack-repeat: a failure repeating at one call site carries its
# frames once per log file and process, then only its stack id with
# "backtrace_repeat": true.  The frames are written again into a rotated
# (renamed) log, a deleted and re-created one, and a truncated one;
# TLSDIAG_BACKTRACE_REPEAT=1 writes them every time; a pipe gets them
# every time; a log deleted and re-created by another writer who has
# already written more than this process ever did (on ext4 it gets the
# same inode number) gets them again too; and tlsdiag report finds a
# stack's frames even when the record carrying them is outside --since.
. "$(dirname "$0")/lib.sh"
require_shim
make_pki

# shape FILE: per failure record, "F" (frames), "R" (repeat) or "-";
# fails unless every record has the same stack id
shape() {
	"$HPY" - "$1" <<'PY'
import json, sys
ids, out = set(), []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["event"]["action"] != "tls_failure":
        continue
    t = r["tlsdiag"]
    ids.add(t.get("stack_id"))
    if t.get("backtrace") and "backtrace_repeat" not in t:
        out.append("F")
    elif t.get("backtrace_repeat") is True and "backtrace" not in t:
        out.append("R")
    else:
        out.append("-")
if len(ids) != 1 or None in ids:
    out.append("ids=%d" % len(ids))
print("".join(out))
PY
}
check() {
	[ "$2" = "$3" ] || problem "$1: '$2', want '$3'"
}

# 1. Two failures before each of: rename to .1, delete, copy to .2 and
# truncate, copy to .3 and re-create with 56 KiB of someone else's
# records (membio rotate does these itself, between its failures).
L=$tmp/r.log
MEMBIO_LOG=$L run_shimmed "$L" "$PROGS/membio" rotate "$PKI/selfsigned.pem" \
    "$PKI/selfsigned.key" >/dev/null 2>"$tmp/rotate.err" ||
    fail "membio rotate failed: $(cat "$tmp/rotate.err")"
check rotated "$(shape "$L.1")" FR
check recreated "$(shape "$L.2")" FR
check truncated "$(shape "$L.3")" FR
check recreated_and_grown "$(shape "$L")" FR
grep 'membio: log re-created' "$tmp/rotate.err"
ids=$(cat "$L.1" "$L.2" "$L.3" "$L" | "$HPY" -c '
import json, sys
print(sorted({json.loads(l)["tlsdiag"].get("stack_id") for l in sys.stdin
              if "tls_failure" in l}))')
check "one stack in the four files" "$(echo "$ids" | tr -cd , | wc -c)" 0
# The repeat is the record with the frames, less the frames.
"$HPY" - "$L.1" <<'PY' || problem "a repeat differs from its first record"
import json, sys
f = [json.loads(l) for l in open(sys.argv[1])]
f = [r["tlsdiag"] for r in f if r["event"]["action"] == "tls_failure"]
a, b = dict(f[0]), dict(f[1])
del a["backtrace"], b["backtrace_repeat"]
for k in ("bytes", "age_s"):
    a.pop(k, None), b.pop(k, None)
sys.exit(a != b)
PY

# 2. Frames every time when asked.
rm -f "$L" "$L.1" "$L.2" "$L.3"
MEMBIO_LOG=$L run_shimmed "$L" TLSDIAG_BACKTRACE_REPEAT=1 "$PROGS/membio" \
    rotate "$PKI/selfsigned.pem" "$PKI/selfsigned.key" >/dev/null ||
    fail "membio rotate failed"
check repeat_all_rotated "$(shape "$L.1")" FF
check repeat_all "$(shape "$L")" FF

# 3. Into a pipe: a reader may have started late, so frames every time.
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fifo.log" &
reader=$!
exec 7>"$tmp/fifo"	# a writer held open: EOF only when we are done
MEMBIO_LOG=$tmp/gone run_shimmed "$tmp/fifo" TLSDIAG_RATE=0 \
    "$BUILD/tlsbench" verifyfail mem 3 "$PKI/selfsigned.pem" \
    "$PKI/selfsigned.key" >/dev/null || fail "tlsbench into a pipe failed"
exec 7>&-
wait "$reader"
check pipe "$(shape "$tmp/fifo.log")" FFF

# 4. The report: frames found from the first record, also when --since
# leaves it out.
run_shimmed "$tmp/vf.log" TLSDIAG_RATE=0 "$BUILD/tlsbench" verifyfail mem 3 \
    "$PKI/selfsigned.pem" "$PKI/selfsigned.key" >/dev/null ||
    fail "tlsbench verifyfail failed"
check report_input "$(shape "$tmp/vf.log")" FRR
"$TLSDIAG" report "$tmp/vf.log" >"$tmp/all.txt" || fail "report failed"
grep -q 'main at bench/tlsbench.c' "$tmp/all.txt" ||
    problem "report shows no frame of tlsbench's main"
"$TLSDIAG" report --format json "$tmp/vf.log" >"$tmp/all.json" ||
    fail "report --format json failed"
"$HPY" - "$tmp/all.json" <<'PY' || problem "JSON report: stack without frames"
import json, sys
r = json.load(open(sys.argv[1]))
s = [c for c in r["call_sites"]]
sys.exit(not (len(s) == 1 and s[0]["count"] == 3 and len(s[0]["frames"]) > 0))
PY
# Only the repeats: the frames come from a record outside the filter.
"$HPY" - "$tmp/vf.log" >"$tmp/late.log" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["event"]["action"] == "tls_failure" and "backtrace" in r["tlsdiag"]:
        r["@timestamp"] = "2000-01-01T00:00:00.000000Z"
    print(json.dumps(r))
PY
"$TLSDIAG" report --since 2001-01-01T00:00:00Z "$tmp/late.log" \
    >"$tmp/late.txt" || fail "report --since failed"
grep -q ' 2 100.0%  stack ' "$tmp/late.txt" ||
    problem "--since: the two repeats are not one call site"
grep -q 'main at bench/tlsbench.c' "$tmp/late.txt" ||
    problem "--since: frames of a record outside the window not found"
# Without the record that has the frames, the report says where they are.
grep -v '"backtrace":\[' "$tmp/vf.log" >"$tmp/nof.log"
"$TLSDIAG" report "$tmp/nof.log" >"$tmp/nof.txt" || fail "report failed"
grep -q 'no frames in these logs' "$tmp/nof.txt" ||
    problem "stack without frames not explained"
finish
