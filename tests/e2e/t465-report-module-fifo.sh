#!/bin/sh
# t465-report-module-fifo: a log is untrusted, and symbolization opens the
# files its backtrace[].module fields name.  A module that is a FIFO (with
# no writer, open() blocked "tlsdiag report" forever), a symlink to it, a
# device, a /proc magic link: the report finishes in text and JSON, shows
# those frames unsymbolized ("module not found") and still symbolizes a
# real module recorded beside them.
. "$(dirname "$0")/lib.sh"
need_tool cc nm timeout
cat >"$tmp/site.c" <<'C'
int
site_caller(int x)
{
	return x + 1;
}
int
main(void)
{
	return site_caller(1) == 2 ? 0 : 1;
}
C
cc -g -O0 -fPIE -pie -o "$tmp/site" "$tmp/site.c"
addr=$(nm "$tmp/site" | awk '$3 == "site_caller" { print $1 }')
[ -n "$addr" ] || fail "no site_caller in nm output"
off=$(( 0x$addr + 4 ))
mkfifo "$tmp/fifo.so"
ln -s "$tmp/fifo.so" "$tmp/link.so"
# record STACK_ID MODULE: a failure whose one frame is in MODULE.
record() {
	printf '{"@timestamp":"2026-11-27T03:00:00.000000Z","log.level":"error","message":"m","event":{"action":"tls_failure"},"error":{"type":"SSLEOFError"},"tlsdiag":{"schema":1,"stack_id":"%s","backtrace":[{"module":"%s","offset":%d}]},"process":{"pid":1,"name":"site"},"host":{"hostname":"h"}}\n' \
	    "$1" "$2" "$off"
}
{
	record s1 "$tmp/fifo.so"
	record s2 "$tmp/link.so"
	record s3 /dev/zero
	record s4 /proc/self/exe
	record s5 "$tmp/site"
} >"$tmp/site.log"
for fmt in text json; do
	st=0
	timeout 30 "$TLSDIAG" report --format "$fmt" "$tmp/site.log" \
	    >"$tmp/out.$fmt" 2>"$tmp/err.$fmt" || st=$?
	[ "$st" -ne 124 ] || fail "$fmt report blocked on a module path"
	[ "$st" -eq 0 ] || problem "$fmt report: status $st: $(cat "$tmp/err.$fmt")"
done
"$HPY" - "$tmp/out.json" <<'PY' || problem "JSON frames wrong"
import json, sys
cs = json.load(open(sys.argv[1]))["call_sites"]
f = {c["stack_id"]: c["frames"][0] for c in cs}
for s in ("s1", "s2", "s3", "s4"):
    assert f[s]["symbolized"] == "module not found", (s, f[s])
    assert f[s]["function"] is None, (s, f[s])
assert f["s5"]["function"] == "site_caller", f["s5"]
PY
grep -q "site_caller at .*site\.c:[0-9]" "$tmp/out.text" ||
    problem "the real module was not symbolized: $(cat "$tmp/out.text")"
finish
