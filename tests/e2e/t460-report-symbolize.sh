#!/bin/sh
# t460-report-symbolize: a call site recorded as (module, build-id,
# return-address offset) is symbolized offline to function and file:line
# from the module's DWARF; a build-id mismatch is not symbolized.  The
# shim writes no symbol names (frames are module, build_id, offset): those
# frames are symbolized just the same, and a frame that cannot be shows
# "??"; an older log's "symbol" is still the fallback.
. "$(dirname "$0")/lib.sh"
need_tool cc nm readelf
cat >"$tmp/site.c" <<'C'
int site_callee(int);
int
site_caller(int x)
{
	return site_callee(x) + 1;
}
int
site_callee(int x)
{
	return x * 2;
}
int
main(void)
{
	return site_caller(1) == 3 ? 0 : 1;
}
C
cc -g -O0 -fPIE -pie -o "$tmp/site" "$tmp/site.c"
# A PIE's first PT_LOAD is at 0, so a symbol's value is its offset from
# the load base; point 8 bytes into site_caller, as a return address.
addr=$(nm "$tmp/site" | awk '$3 == "site_caller" { print $1 }')
[ -n "$addr" ] || fail "no site_caller in nm output"
off=$(( 0x$addr + 8 ))
bid=$(readelf -n "$tmp/site" | awk '/Build ID/ { print $3 }')
# record STACK_ID BUILD_ID [SYMBOL]: a failure at site_caller+8.
record() {
	printf '{"@timestamp":"2026-11-27T03:00:00.000000Z","log.level":"error","message":"m","event":{"action":"tls_failure"},"error":{"type":"SSLEOFError"},"tlsdiag":{"schema":1,"stack_id":"%s","backtrace":[{"module":"%s","build_id":"%s","offset":%d%s}]},"process":{"pid":1,"name":"site"},"host":{"hostname":"h"}}\n' \
	    "$1" "$tmp/site" "$2" "$off" "${3:+,\"symbol\":\"$3\",\"symbol_offset\":8}"
}
{
	record s1 "$bid" from_record
	record s2 00ff00ff from_record
	record s3 "$bid"
	record s4 00ff00ff
} >"$tmp/site.log"
"$TLSDIAG" report "$tmp/site.log" >"$tmp/out"
# frames of stack ID: the lines after its heading
frames() {
	sed -n "/stack $1 /,/stack /p" "$tmp/out"
}
frames s1 | grep -q "#0  site_caller at .*site\.c:[0-9][0-9]* (site+0x" ||
    fail "not symbolized: $(cat "$tmp/out")"
frames s2 | grep -q "#0  from_record (site+0x.*) \[build-id mismatch\]" ||
    fail "mismatch not shown: $(cat "$tmp/out")"
frames s3 | grep -q "#0  site_caller at .*site\.c:[0-9][0-9]* (site+0x" ||
    fail "a frame without a symbol name not symbolized: $(cat "$tmp/out")"
frames s4 | grep -q "#0  ?? (site+0x.*) \[build-id mismatch\]" ||
    fail "unsymbolizable frame without a name: $(cat "$tmp/out")"
"$TLSDIAG" report --no-symbolize "$tmp/site.log" >"$tmp/out2"
grep -q "site_caller" "$tmp/out2" && fail "--no-symbolize symbolized"
"$TLSDIAG" report --format json "$tmp/site.log" >"$tmp/out.json"
"$HPY" - "$tmp/out.json" <<'PY' || fail "JSON frames wrong"
import json, sys
cs = json.load(open(sys.argv[1]))["call_sites"]
f = {c["stack_id"]: c["frames"][0] for c in cs}
assert f["s1"]["function"] == "site_caller", f
assert 3 <= f["s1"]["line"] <= 6, f
assert f["s1"]["file"].endswith("site.c"), f
assert f["s2"]["symbolized"] == "build-id mismatch", f
assert f["s3"]["function"] == "site_caller", f
assert f["s3"]["symbol"] is None, f
assert f["s3"]["file"].endswith("site.c"), f
assert f["s4"]["function"] is None and f["s4"]["symbol"] is None, f
assert f["s4"]["offset"] == f["s3"]["offset"], f
PY
# The symbolizer's thread reads the modules beside the reader only where a
# second CPU is allowed; on one CPU it would only take turns with it, and
# the report starts no thread at all.
if command -v strace >/dev/null 2>&1 && command -v taskset >/dev/null 2>&1
then
	strace -f -qq -e trace=clone,clone3 -o "$tmp/one.trace" \
	    taskset -c 0 "$TLSDIAG" report --jobs 1 "$tmp/site.log" >/dev/null ||
	    fail "report on one CPU failed"
	grep -q clone "$tmp/one.trace" &&
	    fail "a thread started on one CPU: $(cat "$tmp/one.trace")"
	if [ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ]; then
		strace -f -qq -e trace=clone,clone3 -o "$tmp/two.trace" \
		    taskset -c 0,1 "$TLSDIAG" report --jobs 1 "$tmp/site.log" \
		    >/dev/null || fail "report on two CPUs failed"
		grep -q clone "$tmp/two.trace" ||
		    fail "no symbolizer thread with two CPUs allowed"
	fi
fi
finish
