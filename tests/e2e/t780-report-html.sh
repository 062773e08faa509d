#!/bin/sh
# t780-report-html: --format html is one self-contained page (no script,
# no external resource) whose tables hold the report's counts; a hostile
# certificate subject (<script>, an SVG payload) and SNI (quotes that
# would end an attribute) render as text.  Headless Chromium (Debian's
# chromium, from tools/deps.sh), with the network off, loads it from a
# file: the DOM it builds is checked, and a screenshot is kept as
# $BUILD/artifacts/t780-report.png.  Under make asan the page is checked
# as written and Chromium is skipped (slow, and it adds nothing there).
. "$(dirname "$0")/lib.sh"
data=$TOP/tests/e2e/data/report
now=--now=2026-11-27T06:00:00Z

# TIME|TYPE|REASON|SNI|IP|ISSUER|SUBJECT (craft19.py)
"$HPY" "$TOP/tests/e2e/craft19.py" >"$tmp/hostile.log" <<'SPEC'
2026-11-27T03:40:00Z|SSLCertVerificationError|expired|x" onmouseover="alert(3)|10.9.9.9|CN=<svg onload=alert(2)><circle r="9"/></svg>|CN=<script>alert(1)</script>
2026-11-27T03:41:00Z|SSLCertVerificationError|expired|x" onmouseover="alert(3)|10.9.9.9|CN=<svg onload=alert(2)><circle r="9"/></svg>|CN=<script>alert(1)</script>
2026-11-27T03:42:00Z|SSLCertVerificationError|expired|x" onmouseover="alert(3)|10.9.9.9|CN=<svg onload=alert(2)><circle r="9"/></svg>|CN=<script>alert(1)</script>
2026-11-27T03:43:00Z|SSLCertVerificationError|expired|x" onmouseover="alert(3)|10.9.9.9|CN=<svg onload=alert(2)><circle r="9"/></svg>|CN=<script>alert(1)</script>
2026-11-27T03:40:30Z|SSLCertVerificationError|expired|evil.example|10.9.9.8|CN=Evil CA|CN=<svg onload=alert(2)><circle r="9"/></svg>
2026-11-27T03:41:30Z|SSLCertVerificationError|expired|evil.example|10.9.9.8|CN=Evil CA|CN=<svg onload=alert(2)><circle r="9"/></svg>
2026-11-27T03:42:30Z|SSLCertVerificationError|expired|evil.example|10.9.9.8|CN=Evil CA|CN=<svg onload=alert(2)><circle r="9"/></svg>
2026-11-27T03:43:30Z|SSLCertVerificationError|expired|evil.example|10.9.9.8|CN=Evil CA|CN=<svg onload=alert(2)><circle r="9"/></svg>
SPEC
logs="$data/web-7.log $data/web-8.log $data/coverage.log $tmp/hostile.log"
# shellcheck disable=SC2086
"$TLSDIAG" report $now --top 5 --format html $logs >"$tmp/r.html"
# shellcheck disable=SC2086
"$TLSDIAG" report $now --top 5 --format json $logs >"$tmp/r.json"

# check PAGE: the page's elements and text against the JSON report.
check() {
	"$HPY" - "$1" "$tmp/r.json" <<'PY'
import json, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []
        self.rows, self.row, self.cell, self.ids = {}, None, None, {}
        self.cur_id = None
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]
        a = dict(attrs)
        if tag == "tr" and "class" in a:
            self.row = [a["class"], []]
            self.rows.setdefault(a["class"], []).append(self.row[1])
        if tag == "td" and self.row is not None:
            self.row[1].append("")
        self.cur_id = a.get("id")
    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None
        self.cur_id = None
    def handle_data(self, d):
        self.text.append(d)
        if self.row is not None and self.row[1]:
            self.row[1][-1] += d
        if self.cur_id:
            self.ids[self.cur_id] = self.ids.get(self.cur_id, "") + d

page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
rep = json.load(open(sys.argv[2]))
text = "".join(page.text)
problems = []
def want(cond, msg):
    if not cond:
        problems.append(msg)

want("script" not in page.tags, "a <script> element")
want(page.tags.count("svg") == 1, "svg elements: %d" % page.tags.count("svg"))
want("circle" not in page.tags, "an element from the SVG payload")
for tag, k, v in page.attrs:
    want(not k.startswith("on"), "event attribute %s on <%s>" % (k, tag))
    want(k not in ("src", "href") and "url(" not in (v or ""),
         "external resource %s=%s" % (k, v))
want("CN=<script>alert(1)</script>" in text, "hostile subject not shown as text")
want('CN=<svg onload=alert(2)><circle r="9"/></svg>' in text,
     "SVG payload not shown as text")
want('x" onmouseover="alert(3)' in text, "hostile SNI not shown as text")
want(page.ids.get("failures") == str(rep["failures"]["total"]),
     "failures %r, want %s" % (page.ids.get("failures"), rep["failures"]["total"]))
groups = [int(r[0]) for r in page.rows.get("group", [])]
want(groups == [g["count"] for g in rep["groups"]],
     "group counts %s, want %s" % (groups, [g["count"] for g in rep["groups"]]))
types = [(r[3], int(r[0])) for r in page.rows.get("type", [])]
want(types == [(t["type"], t["count"]) for t in rep["types"]],
     "type counts %s" % types)
certs = [int(r[0]) for r in page.rows.get("cert", [])]
want(certs == [c["count"] for c in rep["certificates"]], "certificate counts %s" % certs)
want(any("expired" in r[3] for r in page.rows.get("cert", [])), "no expiry shown")
want(len(page.rows.get("site", [])) == len(rep["call_sites"]), "call sites")
want(("li", "class", "note") in page.attrs, "no coverage notes")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY
}

grep -q '<meta name="viewport" content="width=device-width' "$tmp/r.html" ||
    problem "no viewport meta: not laid out for a phone"
check "$tmp/r.html" || problem "the page as written"

if [ -n "${TLSDIAG_ASAN_PRELOAD:-}" ]; then
	echo "SKIP: $test_name: Chromium under make asan (make test runs it)" >&2
	finish
fi
command -v chromium >/dev/null 2>&1 ||
    skip "'chromium' is not installed (tools/deps.sh test installs it)"

# The network is off: no proxy that answers, no name that resolves.
chrome() {
	HOME=$tmp timeout 90 chromium --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$tmp/profile" --no-first-run \
	    --proxy-server=127.0.0.1:9 --host-resolver-rules='MAP * ~NOTFOUND' \
	    "$@" "file://$tmp/r.html" 2>>"$tmp/chrome.err"
}
chrome --dump-dom >"$tmp/dom.html" ||
    fail "chromium --dump-dom failed: $(tail -3 "$tmp/chrome.err")"
check "$tmp/dom.html" || problem "the DOM Chromium built"

mkdir -p "$BUILD/artifacts"
rm -f "$BUILD/artifacts/t780-report.png"
chrome --window-size=900,2100 --hide-scrollbars \
    --screenshot="$BUILD/artifacts/t780-report.png" >/dev/null ||
    problem "chromium --screenshot failed"
"$HPY" -c 'import sys; d=open(sys.argv[1],"rb").read(24)
assert d[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(d[16:20], "big") == 900' \
    "$BUILD/artifacts/t780-report.png" || problem "no 900-pixel-wide PNG screenshot"

finish
