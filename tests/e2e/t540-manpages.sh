#!/bin/sh
# t540-manpages: the SYNOPSIS of doc/tlsdiag.1 matches "tlsdiag --help" and
# that of doc/tlsdiag-run.1 matches "tlsdiag run --help" (tlsdiag-attach.1:
# "tlsdiag attach --help"), word for word (on
# the mdoc source, and on the rendered page when groff is installed, as
# t450 does for tlsdiag-report.1); every TLSDIAG_* variable the shim reads
# is documented in libtlsdiag(7) and in README.md; the pages render
# without groff warnings.
. "$(dirname "$0")/lib.sh"

# help_synopsis CMD...: the usage lines CMD prints, on one line.
help_synopsis() {
	"$@" | sed -n '1,/^$/p' | sed 's/^usage: //' | tr -s ' \n' '  ' |
	    sed 's/^ *//; s/ *$//'
	echo
}

# man_synopsis PAGE: the SYNOPSIS section's mdoc source, on one line.
man_synopsis() {
	sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$1" | sed '1d;$d' |
	    awk '
	function word(w) {
		if (w == "Fl") { flag = 1; return "" }
		if (w == "Ar" || w == "No" || w == "Cm") return ""
		if (w == "Ns") { nospace = 1; return "" }
		if (flag) { flag = 0; w = "-" w }
		if (out != "" && !nospace) out = out " "
		nospace = 0
		out = out w
		return ""
	}
	{
		sub(/^\./, "")
		if ($1 == "Op") { if (out != "") out = out " "
			out = out "["; nospace = 1
			for (i = 2; i <= NF; i++) word($i)
			if (flag) { flag = 0; out = out " -" }
			out = out "]"; next }
		# The line macro counts when it is a word macro (.Fl -help).
		for (i = ($1 == "Nm" ? 2 : 1); i <= NF; i++) word($i)
	}
	END { print out }'
}

# rendered_synopsis PAGE: the SYNOPSIS as groff renders it, on one line.
rendered_synopsis() {
	groff -mdoc -Tascii -P-c -P-b -P-u "$1" 2>/dev/null |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' |
	    tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//'
	echo
}

check_page() {
	_page=$TOP/doc/$1
	shift
	help_synopsis "$@" >"$tmp/help"
	[ -s "$tmp/help" ] && [ "$(cat "$tmp/help")" != "" ] ||
	    fail "no synopsis from '$*'"
	man_synopsis "$_page" >"$tmp/man"
	diff -u "$tmp/help" "$tmp/man" ||
	    problem "$(basename "$_page"): SYNOPSIS (source) differs from '$*'"
	if command -v groff >/dev/null 2>&1; then
		rendered_synopsis "$_page" >"$tmp/rendered"
		diff -u "$tmp/help" "$tmp/rendered" ||
		    problem "$(basename "$_page"): SYNOPSIS (rendered) differs"
	fi
}

check_page tlsdiag.1 "$TLSDIAG" --help
check_page tlsdiag-run.1 "$TLSDIAG" run --help
check_page tlsdiag-attach.1 "$TLSDIAG" attach --help
check_page tlsdiag-enable.1 "$TLSDIAG" enable --help
[ "$("$TLSDIAG" -h)" = "$("$TLSDIAG" --help)" ] || problem "-h differs from --help"
"$TLSDIAG" --version | grep -qx 'tlsdiag [0-9][0-9.]*' ||
    problem "--version: $("$TLSDIAG" --version)"

# Every variable the shim reads, documented where users look.
vars=$(sed -n 's/.*get("\(TLSDIAG_[A-Z_]*\)").*/\1/p' "$TOP/shim/config.c" |
    sort -u)
[ -n "$vars" ] || fail "no TLSDIAG_* variables found in shim/config.c"
for v in $vars TLSDIAG_SHIM; do
	[ "$v" = TLSDIAG_SHIM ] ||
	    grep -q "^\.It Ev $v$" "$TOP/doc/libtlsdiag.7" ||
	    problem "libtlsdiag.7 does not document $v"
	grep -q "^| \`$v\` |" "$TOP/README.md" ||
	    problem "README.md's table does not list $v"
done
grep -q '^\.It Ev TLSDIAG_SHIM$' "$TOP/doc/tlsdiag-run.1" ||
    problem "tlsdiag-run.1 does not document TLSDIAG_SHIM"

if command -v groff >/dev/null 2>&1; then
	for p in tlsdiag.1 tlsdiag-run.1 tlsdiag-attach.1 tlsdiag-enable.1 \
	    libtlsdiag.7; do
		groff -mdoc -Tascii -ww -z "$TOP/doc/$p" 2>"$tmp/warn"
		[ ! -s "$tmp/warn" ] || problem "$p: groff: $(cat "$tmp/warn")"
	done
fi
finish
