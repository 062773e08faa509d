#!/bin/sh
# t830-enable: "tlsdiag enable/disable UNIT" against unit files in a
# scratch systemd tree (--root): the drop-in preloads the shim with the
# '%' of TLSDIAG_LOG doubled, systemd-analyze verify (where it runs)
# reads it without a complaint, the command printed is the one that
# applies it; units whose programs are setuid, setgid or have file
# capabilities are refused and left without a drop-in; disable removes
# the drop-in and its then empty directory.
. "$(dirname "$0")/lib.sh"
require_shim

root=$tmp/root
units=$root/etc/systemd/system
mkdir -p "$units" "$root/usr/bin" "$root/usr/sbin"
cp /bin/true "$root/usr/bin/plain"
cp /bin/true "$root/usr/bin/helper"
cp /bin/true "$root/usr/bin/suid" && chmod 4755 "$root/usr/bin/suid"
cp /bin/true "$root/usr/sbin/sgid" && chmod 2755 "$root/usr/sbin/sgid"

# unit NAME EXECSTART...: a unit file that systemd-analyze verify accepts
# without a running manager (no default dependencies).
unit() {
	_u=$1
	shift
	{
		printf '[Unit]\nDescription=t830 %s\nDefaultDependencies=no\n' "$_u"
		printf '[Service]\nType=simple\n'
		for _e in "$@"; do printf '%s\n' "$_e"; done
	} >"$units/$_u"
}
unit web.service 'ExecStartPre=-helper' 'ExecStart=/usr/bin/plain --serve'
unit setuid.service 'ExecStart=/usr/bin/plain' 'ExecReload=/usr/bin/suid'
unit setgid.service 'ExecStart=sgid'
unit spec.service 'ExecStart=%h/bin/x'
unit getty@.service 'ExecStart=/usr/bin/plain %i'

# enable
"$TLSDIAG" enable --root "$root" web >"$tmp/out" 2>"$tmp/err" ||
    fail "enable web: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = \
    "systemctl daemon-reload && systemctl restart web.service" ] ||
    problem "enable printed '$(cat "$tmp/out")'"
dropin=$units/web.service.d/tlsdiag.conf
[ -f "$dropin" ] || fail "no drop-in at $dropin"
[ "$(stat -c %a "$dropin")" = 644 ] || problem "drop-in mode $(stat -c %a "$dropin")"
cat >"$tmp/want" <<EOT
# Written by "tlsdiag enable"; "tlsdiag disable" removes it.
[Service]
Environment="LD_PRELOAD=$SHIM_LIB"
Environment="TLSDIAG_LOG=/var/log/tlsdiag/%%u-%%p.jsonl"
ReadWritePaths=-/var/log/tlsdiag
EOT
diff -u "$tmp/want" "$dropin" || problem "drop-in content"

"$TLSDIAG" enable --root "$root" --log syslog: getty@tty1 >"$tmp/out" \
    2>"$tmp/err" || problem "enable getty@tty1: $(cat "$tmp/err")"
grep -qx 'Environment="TLSDIAG_LOG=syslog:"' \
    "$units/getty@tty1.service.d/tlsdiag.conf" ||
    problem "getty@tty1: no syslog: drop-in"

if command -v systemd-analyze >/dev/null 2>&1; then
	# verify reads drop-ins here: a bad one is reported ...
	mkdir -p "$units/spec.service.d"
	printf '[Service]\nNoSuchKey=1\n' >"$units/spec.service.d/bad.conf"
	systemd-analyze verify --root="$root" spec.service >"$tmp/v.out" 2>&1 || :
	grep -q NoSuchKey "$tmp/v.out" ||
	    fail "systemd-analyze verify ignores drop-ins: $(cat "$tmp/v.out")"
	rm -r "$units/spec.service.d"
	# ... and ours is not
	systemd-analyze verify --root="$root" web.service >"$tmp/v.out" 2>&1 ||
	    problem "verify web.service failed: $(cat "$tmp/v.out")"
	[ ! -s "$tmp/v.out" ] || problem "verify web.service: $(cat "$tmp/v.out")"
else
	echo "t830: systemd-analyze missing: drop-in not verified"
fi

# refused: nothing written, exit 5, one line naming the program
refused() {
	_u=$1 _why=$2
	st=0
	"$TLSDIAG" enable --root "$root" "$_u" >"$tmp/out" 2>"$tmp/err" || st=$?
	[ "$st" -eq 5 ] || problem "enable $_u: exit $st, want 5"
	grep -q "refusing '$_u.service': $_why" "$tmp/err" ||
	    problem "enable $_u: said '$(cat "$tmp/err")'"
	[ ! -s "$tmp/out" ] || problem "enable $_u printed '$(cat "$tmp/out")'"
	[ ! -e "$units/$_u.service.d" ] || problem "enable $_u wrote a drop-in"
}
refused setuid "it runs a setuid program ('/usr/bin/suid')"
refused setgid "it runs a setgid program ('sgid')"
refused spec "it runs a program named with specifiers"
refused nosuch "no such unit file"
# A drop-in of the unit that changes ExecStart counts too.
mkdir -p "$units/web.service.d"
printf '[Service]\nExecStart=\nExecStart=/usr/bin/suid\n' \
    >"$units/web.service.d/override.conf"
st=0
"$TLSDIAG" enable --root "$root" web >/dev/null 2>"$tmp/err" || st=$?
[ "$st" -eq 5 ] || problem "web with a setuid override: exit $st"
rm "$units/web.service.d/override.conf"
# File capabilities (security.capability, cap_net_bind_service=ep).
cp /bin/true "$root/usr/bin/capped"
if "$HPY" -c 'import os, struct, sys
os.setxattr(sys.argv[1], "security.capability",
    struct.pack("<5I", 0x02000001, 1 << 10, 0, 0, 0))' \
    "$root/usr/bin/capped" 2>/dev/null; then
	unit capped.service 'ExecStart=/usr/bin/capped'
	refused capped "it runs a program with file capabilities"
else
	echo "t830: cannot set file capabilities here: not checked"
fi
st=0
"$TLSDIAG" enable --root "$root" web.socket 2>/dev/null || st=$?
[ "$st" -eq 2 ] || problem "web.socket: exit $st, want 2"

# disable
"$TLSDIAG" disable --root "$root" web >"$tmp/out" 2>"$tmp/err" ||
    problem "disable web: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = \
    "systemctl daemon-reload && systemctl restart web.service" ] ||
    problem "disable printed '$(cat "$tmp/out")'"
[ ! -e "$units/web.service.d" ] || problem "disable left $(ls -A "$units/web.service.d")"
"$TLSDIAG" disable --root "$root" web >"$tmp/out" 2>"$tmp/err" ||
    problem "disable web again failed"
grep -q "has no tlsdiag drop-in" "$tmp/err" || problem "again: $(cat "$tmp/err")"
# a directory with other drop-ins stays
printf '[Service]\nNice=1\n' >"$units/getty@tty1.service.d/nice.conf"
"$TLSDIAG" disable --root "$root" getty@tty1 >/dev/null 2>&1 ||
    problem "disable getty@tty1"
[ -f "$units/getty@tty1.service.d/nice.conf" ] &&
    [ ! -e "$units/getty@tty1.service.d/tlsdiag.conf" ] ||
    problem "disable getty@tty1 touched the other drop-in"
finish
