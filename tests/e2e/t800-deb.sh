#!/bin/sh
# t800-deb: "make deb"'s package (tools/deb.sh) is built with
# dpkg-buildpackage, lintian finds no error or unexplained warning, and
# "dpkg -i" installs it: the command, the library in the multiarch
# directory, the man pages, /etc/logrotate.d/tlsdiag (logrotate accepts
# it) and /var/log/tlsdiag, mode 1733.  The installed "tlsdiag run"
# preloads the installed library and records curl's failure; a service
# user (nobody) writes its own file in /var/log/tlsdiag that another
# (daemon) can neither list, remove nor replace; logrotate rotates it.
# "dpkg --purge" leaves nothing but the logs.  Skipped under make asan
# (the package builds its own binaries, without ASan), when not root, and
# when a tlsdiag is installed on this machine already.  The compile takes
# about a minute on an idle 2-core machine, much more under load:
# e2e-timeout: 400
. "$(dirname "$0")/lib.sh"
[ -z "${TLSDIAG_ASAN_PRELOAD:-}" ] ||
    skip "under asan: the package is built without ASan"
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
need_tool dpkg-buildpackage dh lintian dpkg-architecture curl openssl \
    setpriv logrotate
if dpkg-query -W -f='${Status}' tlsdiag 2>/dev/null | grep -q 'ok installed' ||
    [ -e /usr/bin/tlsdiag ] || [ -e /var/log/tlsdiag ]; then
	skip "tlsdiag is installed on this machine: not replacing it"
fi
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=/usr/lib/$arch/tlsdiag/libtlsdiag.so

sh "$TOP/tools/deb.sh" >"$tmp/deb.out" 2>&1 ||
    fail "tools/deb.sh: $(tail -20 "$tmp/deb.out")"
deb=$(sed -n 's/^deb: \(.*\.deb\)$/\1/p' "$tmp/deb.out")
case $deb in
"$TOP"/build/deb/tlsdiag_*_"$(dpkg-architecture -qDEB_HOST_ARCH)".deb) ;;
*) fail "no build/deb/tlsdiag_VERSION_ARCH.deb: $(cat "$tmp/deb.out")" ;;
esac
[ -f "$deb" ] || fail "$deb missing"
! grep -E '^[EW]: ' "$tmp/deb.out" || problem "lintian complains"

# dpkg_locked ARGS...: dpkg, waiting (up to 2 min) while apt or another
# dpkg holds the lock.
dpkg_locked() {
	_i=0
	until dpkg "$@" >"$tmp/dpkg.out" 2>&1; do
		grep -q 'lock' "$tmp/dpkg.out" || return 1
		_i=$((_i + 1))
		[ "$_i" -le 60 ] || return 1
		sleep 2
	done
}
installed=
t800_cleanup() {
	if [ -n "$installed" ]; then
		dpkg --purge tlsdiag >/dev/null 2>&1 || :
		rm -rf /var/log/tlsdiag
	fi
}
trap '_rc=$?; t800_cleanup; _cleanup; exit $_rc' EXIT
installed=1
dpkg_locked -i "$deb" || fail "dpkg -i: $(cat "$tmp/dpkg.out")"

# check MODE OWNER PATH
check() {
	[ -e "$3" ] || { problem "not installed: $3"; return 0; }
	[ "$(stat -c '%a %U' "$3")" = "$1 $2" ] ||
	    problem "$3: $(stat -c '%a %U' "$3"), want $1 $2"
}
check 755 root /usr/bin/tlsdiag
check 644 root "$lib"
check 644 root "${lib%/*}/tlsdiag-node.js"
check 1733 root /var/log/tlsdiag
check 644 root /etc/logrotate.d/tlsdiag
for m in tlsdiag tlsdiag-run tlsdiag-report tlsdiag-enable; do
	check 644 root "/usr/share/man/man1/$m.1.gz"
done
check 644 root /usr/share/man/man7/libtlsdiag.7.gz
logrotate -d /etc/logrotate.d/tlsdiag >"$tmp/lr.debug" 2>&1 ||
    problem "logrotate rejects its file: $(cat "$tmp/lr.debug")"
! grep -i 'error' "$tmp/lr.debug" || problem "logrotate -d reports an error"

# The installed tlsdiag run finds the installed library.
make_pki
start_server ss openssl s_server -accept 127.0.0.1:0 -www \
    -cert "$PKI/expired.pem" -key "$PKI/expired.key"
st=0
timeout "$CLIENT_TIMEOUT" /usr/bin/tlsdiag run -o "$tmp/log" -- sh -c \
    'echo "$LD_PRELOAD"; exec curl -sS --max-time 10 --cacert "$1" \
    --resolve "localhost:$2:127.0.0.1" "https://localhost:$2/"' sh \
    "$PKI/ca.pem" "$ss_port" >"$tmp/out" 2>"$tmp/err" || st=$?
[ "$st" -eq 60 ] || problem "curl exited $st, want 60: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = "$lib" ] ||
    problem "preloaded '$(cat "$tmp/out")', not $lib"
[ "$(jget "$tmp/log" 1 tlsdiag.verify_message)" = "certificate has expired" ] ||
    problem "record: $(cat "$tmp/log")"
# and puts node's preload, installed beside it, in NODE_OPTIONS
o=$(timeout "$CLIENT_TIMEOUT" /usr/bin/tlsdiag run -q -- sh -c \
    'echo "$NODE_OPTIONS"' 2>&1)
[ "$o" = "--require=\"${lib%/*}/tlsdiag-node.js\"" ] ||
    problem "NODE_OPTIONS under the installed tlsdiag run: '$o'"

# A service user's own file in /var/log/tlsdiag.
as() {
	_u=$1
	shift
	setpriv --reuid="$_u" --regid=nogroup --clear-groups "$@"
}
st=0
as nobody env LD_PRELOAD="$lib" TLSDIAG_LOG=/var/log/tlsdiag/%u-%p.jsonl \
    timeout "$CLIENT_TIMEOUT" curl -sS --max-time 10 \
    "https://127.0.0.1:$ss_port/" >/dev/null 2>"$tmp/nobody.err" || st=$?
[ "$st" -eq 60 ] || problem "curl as nobody exited $st: $(cat "$tmp/nobody.err")"
uid=$(id -u nobody)
set -- /var/log/tlsdiag/"$uid"-*.jsonl
[ $# -eq 1 ] && [ -f "$1" ] || fail "no log of nobody's: $(ls -la /var/log/tlsdiag)"
f=$1
check 600 nobody "$f"
[ "$(jcount "$f")" -eq 1 ] || problem "nobody's log: $(cat "$f")"
as daemon ls /var/log/tlsdiag >/dev/null 2>&1 &&
    problem "another user can list /var/log/tlsdiag"
as daemon rm -f "$f" 2>/dev/null || :
[ -f "$f" ] || problem "another user removed nobody's log"
as daemon sh -c 'echo x >"$1.new" && mv "$1.new" "$1"' sh "$f" \
    2>/dev/null || :
[ "$(stat -c %U "$f")" = nobody ] || problem "another user replaced nobody's log"
rm -f "$f.new"

# Rotation renames (the library holds no descriptor); the next record
# makes a new file of its own.
logrotate -f -s "$tmp/lr.state" /etc/logrotate.d/tlsdiag >"$tmp/lr.out" 2>&1 ||
    problem "logrotate -f: $(cat "$tmp/lr.out")"
[ -f "$f.1" ] && [ ! -e "$f" ] ||
    problem "not rotated: $(ls -la /var/log/tlsdiag)"

dpkg_locked --purge tlsdiag || fail "dpkg --purge: $(cat "$tmp/dpkg.out")"
for p in /usr/bin/tlsdiag "$lib" "/usr/lib/$arch/tlsdiag" \
    /etc/logrotate.d/tlsdiag /usr/share/man/man1/tlsdiag.1.gz \
    /usr/share/doc/tlsdiag; do
	[ ! -e "$p" ] || problem "left after purge: $p"
done
[ "$(ls -A /var/log/tlsdiag)" = "$(basename "$f").1" ] ||
    problem "/var/log/tlsdiag after purge: $(ls -A /var/log/tlsdiag)"
finish
