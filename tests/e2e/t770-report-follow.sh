#!/bin/sh
# t770-report-follow: --follow --format ndjson reads files as they grow,
# like tail -F: appends, a rotation by rename and re-create, a truncation,
# a file that appears late, a new *.jsonl in a followed directory and one
# renamed there.
# Each new failure group is announced within 1 s; a count line comes
# every 5 s; SIGINT prints the full report of everything read (each
# record once) and exits 0; SIGTERM and SIGHUP exit 0 without one.
. "$(dirname "$0")/lib.sh"
mkdir "$tmp/logs" "$tmp/other"
spec() {
	printf '2026-11-27T03:0%s:00Z|SSLEOFError|UNEXPECTED_EOF|%s|10.0.0.%s|CN=CA|-\n' \
	    "$2" "$1" "$2" | "$HPY" "$TOP/tests/e2e/craft19.py"
}
head -1 "$TOP/tests/e2e/data/report/web-7.log" >"$tmp/logs/a.jsonl"
spec a.example 1 >>"$tmp/logs/a.jsonl"
# A FIFO without a writer: opening it would block the loop for good.
mkfifo "$tmp/logs/p.jsonl"

"$TLSDIAG" report --follow --format ndjson "$tmp/logs" "$tmp/other/x.log" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
_server_pids="$_server_pids $pid"

# announced SNI: the new_group line for SNI is in the output.
announced() {
	grep -q "\"event\":\"new_group\".*\"sni\":\"$1\"" "$tmp/out"
}
# within TENTHS SNI: wait at most TENTHS/10 s for SNI's announcement.
within() {
	i=0
	while ! announced "$2"; do
		i=$((i + 1))
		[ "$i" -le "$(($1 * 2))" ] || return 1
		sleep 0.05
	done
}
within 30 a.example || fail "the group already in the file was not announced"

spec b.example 2 >>"$tmp/logs/a.jsonl"
within 10 b.example || problem "appended group not announced within 1 s"

mv "$tmp/logs/a.jsonl" "$tmp/logs/a.jsonl.1"
spec c.example 3 >"$tmp/logs/a.jsonl"
within 10 c.example || problem "group in the re-created file not within 1 s"

spec d.example 4 >"$tmp/other/x.log"
within 10 d.example || problem "group in a file that appeared late not within 1 s"
: >"$tmp/other/x.log"
sleep 0.6
spec e.example 5 >"$tmp/other/x.log"
within 10 e.example || problem "group after a truncation not within 1 s"

spec f.example 6 >"$tmp/logs/b.jsonl"
within 10 f.example || problem "group in a new *.jsonl not within 1 s"
# Renamed to another *.jsonl name (and still written): followed there,
# not read again from the start.
mv "$tmp/logs/b.jsonl" "$tmp/logs/b-1.jsonl"
sleep 0.3
spec h.example 8 >>"$tmp/logs/b-1.jsonl"
within 10 h.example || problem "group in a renamed *.jsonl not within 1 s"
# Not followed: names that are not *.jsonl.
spec g.example 7 >"$tmp/logs/g.log"

i=0
until grep -q '"event":"count".*"failures":7' "$tmp/out"; do
	i=$((i + 1))
	[ "$i" -le 140 ] || { problem "no count line of 7 failures"; break; }
	sleep 0.05
done

kill -INT "$pid"
i=0
while kill -0 "$pid" 2>/dev/null; do
	i=$((i + 1))
	[ "$i" -le 60 ] || fail "still running 3 s after SIGINT"
	sleep 0.05
done
rc=0
wait "$pid" || rc=$?
[ "$rc" = 0 ] || problem "exit status $rc after SIGINT, want 0"
[ ! -s "$tmp/err" ] || problem "stderr: $(cat "$tmp/err")"

# Each group once; then the JSON report of all seven records.
for s in a b c d e f h; do
	n=$(grep -c "\"sni\":\"$s.example\"" "$tmp/out" || :)
	[ "$n" = 1 ] || problem "$s.example announced $n times"
done
grep -q g.example "$tmp/out" && problem "g.log (not *.jsonl) was read"
"$HPY" - "$tmp/out" <<'PY' || problem "no full report after SIGINT"
import json, sys
text = open(sys.argv[1]).read()
at = text.index("\n{\n") + 1
d = json.loads(text[at:])
assert d["format"] == "tlsdiag-report", d
assert d["failures"]["total"] == 7, d["failures"]
assert len(d["groups"]) == 7, d["groups"]
for line in text[:at].splitlines():
    assert json.loads(line)["event"] in ("new_group", "count"), line
PY

# SIGTERM: a clean exit, and no report.
"$TLSDIAG" report --follow --format ndjson "$tmp/logs" >"$tmp/out2" \
    2>"$tmp/err2" &
pid=$!
_server_pids="$_server_pids $pid"
i=0
until grep -q f.example "$tmp/out2"; do
	i=$((i + 1))
	[ "$i" -le 60 ] || fail "second follower saw nothing"
	sleep 0.05
done
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 0 ] || problem "exit status $rc after SIGTERM, want 0"
grep -q tlsdiag-report "$tmp/out2" && problem "a report after SIGTERM"
[ ! -s "$tmp/err2" ] || problem "stderr: $(cat "$tmp/err2")"

# SIGHUP (the terminal went away): the same clean exit.
"$TLSDIAG" report --follow --format ndjson "$tmp/logs" >"$tmp/out3" &
pid=$!
_server_pids="$_server_pids $pid"
i=0
until grep -q f.example "$tmp/out3"; do
	i=$((i + 1))
	[ "$i" -le 60 ] || fail "third follower saw nothing"
	sleep 0.05
done
kill -HUP "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 0 ] || problem "exit status $rc after SIGHUP, want 0"

# --format html (json, csv too): the live lines go to stderr, standard
# output gets only the page, printed on SIGINT, with the chart's types.
"$TLSDIAG" report --follow --format html "$tmp/logs" >"$tmp/page" \
    2>"$tmp/live" &
pid=$!
_server_pids="$_server_pids $pid"
i=0
until grep -q '^new group .*f.example' "$tmp/live"; do
	i=$((i + 1))
	[ "$i" -le 60 ] || fail "html follower announced nothing on stderr"
	sleep 0.05
done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 0 ] || problem "html: exit status $rc after SIGINT"
head -1 "$tmp/page" | grep -q '^<!DOCTYPE html>' ||
    problem "html: standard output is not just the page"
grep -q '<b id="failures">3</b>' "$tmp/page" || problem "html: failures"
grep -q 'class="legend"><span><i class="sw" style="background:#d62728"></i>SSLEOFError' \
    "$tmp/page" || problem "html: the chart has no type from --follow"

# On a terminal: the summary redrawn in place (plain ANSI), and the text
# report on SIGINT; a dumb terminal gets it without escapes.
if command -v script >/dev/null 2>&1; then
	for term in xterm dumb; do
		TERM=$term script -qfec "timeout -s INT 1.6 $TLSDIAG report \
		    --follow --no-symbolize $tmp/logs" /dev/null >"$tmp/tty.$term" \
		    </dev/null || :
		grep -q 'tlsdiag report --follow .* 3 failures in 3 groups' \
		    "$tmp/tty.$term" || problem "$term: no live summary"
		grep -q 'SSLEOFError: UNEXPECTED_EOF  peer f.example' \
		    "$tmp/tty.$term" || problem "$term: no group row"
		grep -q '^Top failure groups (3 of 3)' "$tmp/tty.$term" ||
		    problem "$term: no text report after SIGINT"
	done
	esc=$(printf '\033')
	grep -q "$esc\[H$esc\[2J" "$tmp/tty.xterm" ||
	    problem "xterm: the summary is not redrawn in place"
	grep -q "$esc" "$tmp/tty.dumb" && problem "dumb terminal: escapes"
else
	echo "SKIP: $test_name: no script(1): terminal view not checked" >&2
fi

# Usage: nothing to follow, standard input.
expect_fail "$TLSDIAG" report --follow 2>/dev/null
expect_fail "$TLSDIAG" report --follow - </dev/null 2>/dev/null

finish
