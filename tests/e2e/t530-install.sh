#!/bin/sh
# t530-install: "make install" into a temporary DESTDIR with a non-default
# PREFIX puts the command, the shim and the man pages where they belong;
# the installed "tlsdiag run" (also through a symlink) preloads the
# installed shim, records curl's failure against an expired certificate
# and prints the summary; "make uninstall" removes the files again.
. "$(dirname "$0")/lib.sh"
need_tool curl openssl make
require_shim

dest=$tmp/dest
prefix=/opt/tlsdiag-t530
make --no-print-directory -C "$TOP" install DESTDIR="$dest" PREFIX="$prefix" \
    >"$tmp/make.out" 2>&1 || fail "make install: $(tail -20 "$tmp/make.out")"
root=$dest$prefix

# check MODE FILE
check() {
	[ -f "$2" ] || { problem "not installed: $2"; return 0; }
	[ "$(stat -c %a "$2")" = "$1" ] ||
	    problem "$2: mode $(stat -c %a "$2"), want $1"
}
check 755 "$root/bin/tlsdiag"
check 644 "$root/lib/tlsdiag/libtlsdiag.so"
check 644 "$root/lib/tlsdiag/tlsdiag-node.js"
for m in tlsdiag tlsdiag-run tlsdiag-report; do
	check 644 "$root/share/man/man1/$m.1"
	cmp -s "$TOP/doc/$m.1" "$root/share/man/man1/$m.1" ||
	    problem "$m.1 differs from doc/$m.1"
done
check 644 "$root/share/man/man7/libtlsdiag.7"
extra=$(cd "$dest" && find . -type f | sort | grep -v \
    -e "^\./${prefix#/}/bin/tlsdiag$" \
    -e "^\./${prefix#/}/lib/tlsdiag/libtlsdiag\.so$" \
    -e "^\./${prefix#/}/lib/tlsdiag/tlsdiag-node\.js$" \
    -e "^\./${prefix#/}/share/man/man[17]/" || :)
[ -z "$extra" ] || problem "unexpected files installed: $extra"

make_pki
start_server ss openssl s_server -accept 127.0.0.1:0 -www \
    -cert "$PKI/expired.pem" -key "$PKI/expired.key"
mkdir "$tmp/bin"
ln -s "$root/bin/tlsdiag" "$tmp/bin/tlsdiag"
for exe in "$root/bin/tlsdiag" "$tmp/bin/tlsdiag"; do
	st=0
	timeout "$CLIENT_TIMEOUT" "$exe" run -o "$tmp/log" -- sh -c \
	    'echo "$LD_PRELOAD"; exec curl -sS --max-time 10 --cacert "$1" \
	    --resolve "localhost:$2:127.0.0.1" "https://localhost:$2/"' sh \
	    "$PKI/ca.pem" "$ss_port" >"$tmp/out" 2>"$tmp/err" || st=$?
	[ "$st" -eq 60 ] || problem "$exe: curl exited $st, want 60"
	[ "$(cat "$tmp/out")" = "$root/lib/tlsdiag/libtlsdiag.so" ] ||
	    problem "$exe: preloaded '$(cat "$tmp/out")', not the installed shim"
	grep -qx 'tlsdiag:      1  SSLCertVerificationError: certificate has expired  peer localhost  curl' \
	    "$tmp/err" || problem "$exe: summary: $(cat "$tmp/err")"
	grep -qx "tlsdiag: details: tlsdiag report $tmp/log" "$tmp/err" ||
	    problem "$exe: log not named: $(cat "$tmp/err")"
	[ "$(jcount "$tmp/log")" -eq 1 ] && 
	    [ "$(jget "$tmp/log" 1 tlsdiag.verify_message)" = \
	    "certificate has expired" ] ||
	    problem "$exe: record: $(cat "$tmp/log")"
done
# node's preload, from beside the installed shim
o=$(timeout "$CLIENT_TIMEOUT" "$root/bin/tlsdiag" run -q -- sh -c \
    'echo "$NODE_OPTIONS"' 2>&1)
[ "$o" = "--require=\"$root/lib/tlsdiag/tlsdiag-node.js\"" ] ||
    problem "NODE_OPTIONS under the installed tlsdiag run: '$o'"
"$root/bin/tlsdiag" report --no-progress "$tmp/log" >"$tmp/report" ||
    problem "installed tlsdiag report failed"
grep -q 'SSLCertVerificationError: certificate has expired' "$tmp/report" ||
    problem "installed report: $(cat "$tmp/report")"

make --no-print-directory -C "$TOP" uninstall DESTDIR="$dest" \
    PREFIX="$prefix" >"$tmp/make.out" 2>&1 ||
    fail "make uninstall: $(tail -20 "$tmp/make.out")"
left=$(find "$dest" -type f)
[ -z "$left" ] || problem "left after uninstall: $left"
finish
