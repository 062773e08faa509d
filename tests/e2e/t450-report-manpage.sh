#!/bin/sh
# t450-report-manpage: the SYNOPSIS of doc/tlsdiag-report.1 matches the
# synopsis "tlsdiag report --help" prints, word for word; checked on the
# mdoc source and, when groff is installed, on the rendered page.
. "$(dirname "$0")/lib.sh"
man=$TOP/doc/tlsdiag-report.1

"$TLSDIAG" report --help | sed -n '1,/^$/p' | sed 's/^usage: //' |
    tr -s ' \n' '  ' | sed 's/ *$//' >"$tmp/help.raw"
echo "$(cat "$tmp/help.raw")" >"$tmp/help"
[ -s "$tmp/help" ] || fail "no synopsis in --help"

# The few mdoc macros the SYNOPSIS uses, translated by hand.
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$man" | sed '1d;$d' |
    awk '
	function word(w) {
		if (w == "Fl") { flag = 1; return "" }
		if (w == "Ar" || w == "No") return ""
		if (w == "Ns") { nospace = 1; return "" }
		if (flag) { flag = 0; w = "-" w }
		if (out != "" && !nospace) out = out " "
		nospace = 0
		out = out w
		return ""
	}
	{
		sub(/^\./, "")
		if ($1 == "Op") { $1 = ""; if (out != "") out = out " "
			out = out "["; nospace = 1
			for (i = 2; i <= NF; i++) word($i)
			if (flag) { flag = 0; out = out " -" }
			out = out "]"; next }
		if ($1 == "Nm") { for (i = 2; i <= NF; i++) word($i); next }
		for (i = 2; i <= NF; i++) word($i)
	}
	END { print out }' >"$tmp/man"
diff -u "$tmp/help" "$tmp/man" || fail "man SYNOPSIS (source) differs"

if command -v groff >/dev/null 2>&1; then
	groff -mdoc -Tascii -P-c -P-b -P-u "$man" 2>/dev/null |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' |
	    tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//' >"$tmp/rendered.raw"
	echo "$(cat "$tmp/rendered.raw")" >"$tmp/rendered"
	diff -u "$tmp/help" "$tmp/rendered" ||
	    fail "man SYNOPSIS (rendered) differs"
fi
finish
