#!/bin/sh
# t125-rand: the random generator fails.  An OPENSSL_CONF whose [random]
# section names a DRBG that does not exist makes RAND_bytes fail; Python's
# ssl.RAND_bytes() raises SSLError(code, 'unsupported') and RAND_status()
# is False.  The shim records an SSLError with Python's message and code
# (exc_errno), and a warning for RAND_status; the program's output, errno
# and error queue are unchanged.  Covers CPython (libcrypto in _ssl's
# private scope) and a C program linked with libcrypto (global scope).
# Without the bad configuration nothing is recorded.  The RAND calls
# reached tlsdiag: the exit record says so (tls_seen, "called") and the
# report has no "no TLS call reached tlsdiag" note; the report shows the
# RAND_status warning under its call, not as "(unknown)", in every format.
. "$(dirname "$0")/lib.sh"
require_shim
require_pythons

cat >"$tmp/rand.cnf" <<'END'
openssl_conf = openssl_init
[openssl_init]
random = random_sect
[random_sect]
random = NO-SUCH-DRBG
END

cat >"$tmp/rand.py" <<'END'
import json, ssl
out = {"status": ssl.RAND_status()}
try:
    out["bytes"] = len(ssl.RAND_bytes(16))
except ssl.SSLError as e:
    out.update(type=type(e).__name__, str=str(e), errno=e.args[0])
print(json.dumps(out, sort_keys=True))
END

# check_exit NAME LOG CALL...: the last record is the exit record, which
# counts the RAND calls as calls that reached tlsdiag.
check_exit() {
	name=$1 log=$2
	shift 2
	act=$("$HPY" "$SRCPROGS/e2ecompare.py" get "$log" -1 event.action)
	[ "$act" = tlsdiag_exit ] || problem "$name: no exit record last ($act)"
	seen=$("$HPY" "$SRCPROGS/e2ecompare.py" get "$log" -1 \
	    tlsdiag.coverage.tls_seen)
	[ "$seen" = true ] || problem "$name: exit record: tls_seen $seen"
	called=$("$HPY" "$SRCPROGS/e2ecompare.py" get "$log" -1 \
	    tlsdiag.coverage.called)
	for c in "$@"; do
		case $called in
		*\""$c"\"*) ;;
		*) problem "$name: exit record: $c not in called $called" ;;
		esac
	done
	msg=$("$HPY" "$SRCPROGS/e2ecompare.py" get "$log" -1 message)
	case $msg in
	*"no TLS call"*) problem "$name: exit record says: $msg" ;;
	esac
}

# check_report NAME LOG: the RAND_status warning has a label everywhere.
check_report() {
	for fmt in text json csv; do
		"$TLSDIAG" report --no-symbolize --format $fmt "$2" \
		    >"$tmp/report.$fmt" || problem "$1: report --format $fmt"
		grep -q '(unknown)' "$tmp/report.$fmt" &&
		    problem "$1: $fmt report shows (unknown)"
		grep -q 'reached tlsdiag' "$tmp/report.$fmt" &&
		    problem "$1: $fmt report: $(grep 'reached' "$tmp/report.$fmt")"
	done
	grep -q 'RAND_status: the random generator is not seeded' \
	    "$tmp/report.text" || problem "$1: text report has no RAND_status group"
	grep -q '"reason":.*"the random generator is not seeded"' \
	    "$tmp/report.json" || problem "$1: json report has no RAND_status group"
	grep -q ',RAND_status,the random generator is not seeded,' \
	    "$tmp/report.csv" || problem "$1: csv report has no RAND_status group"
}

for py in pyenv debian; do
	eval "exe=\$PY_$(echo $py | tr a-z A-Z)"
	b=$tmp/$py
	run_plain OPENSSL_CONF="$tmp/rand.cnf" "$exe" "$tmp/rand.py" \
	    >"$b.plain" 2>&1 || problem "$py: plain run failed: $(cat "$b.plain")"
	run_shimmed "$b.log" OPENSSL_CONF="$tmp/rand.cnf" "$exe" \
	    "$tmp/rand.py" >"$b.shim" 2>&1 ||
	    problem "$py: shimmed run failed: $(cat "$b.shim")"
	diff -u "$b.plain" "$b.shim" || problem "$py: output differs"
	echo "$py: $(cat "$b.plain")"
	eval "$("$HPY" -c 'import json, sys
t = json.load(open(sys.argv[1]))
print("ptype=%s pstr=%s perrno=%s" % (t.get("type"), t.get("str"),
      t.get("errno")))' "$b.plain")"
	[ "$ptype" = SSLError ] && [ "$pstr" = unsupported ] ||
	    problem "$py: Python raised '$ptype: $pstr', want SSLError: unsupported"
	"$HPY" "$SRCPROGS/e2ecompare.py" project "$b.log" log.level \
	    tlsdiag.call error.type error.message tlsdiag.exc_errno \
	    >"$b.got"
	cat >"$b.want" <<END
log.level=warning
tlsdiag.call=RAND_status
error.type=(absent)
error.message=(absent)
tlsdiag.exc_errno=(absent)
--
log.level=error
tlsdiag.call=RAND_bytes
error.type=$ptype
error.message=$pstr
tlsdiag.exc_errno=$perrno
--
END
	diff -u "$b.want" "$b.got" || problem "$py: records differ from Python"
	check_exit "$py" "$b.log" RAND_status
	check_report "$py" "$b.log"

	# the success path: a working generator, nothing to record
	run_shimmed "$b.ok.log" "$exe" "$tmp/rand.py" >"$b.ok" 2>&1 ||
	    problem "$py: run without the bad configuration failed"
	grep -q '"bytes": 16' "$b.ok" || problem "$py: $(cat "$b.ok")"
	[ "$(jcount "$b.ok.log")" = 0 ] ||
	    problem "$py: records without a failure: $(cat "$b.ok.log")"
done

# A C program with libcrypto in the global scope.
run_plain OPENSSL_CONF="$tmp/rand.cnf" "$PROGS/randcall" >"$tmp/c.plain" ||
    problem "randcall failed"
run_shimmed "$tmp/c.log" OPENSSL_CONF="$tmp/rand.cnf" "$PROGS/randcall" \
    >"$tmp/c.shim" || problem "randcall failed under the shim"
diff -u "$tmp/c.plain" "$tmp/c.shim" || problem "randcall: output differs"
cat "$tmp/c.plain"
"$HPY" "$SRCPROGS/e2ecompare.py" project "$tmp/c.log" log.level \
    tlsdiag.call error.type error.message >"$tmp/c.got"
cat >"$tmp/c.want" <<END
log.level=warning
tlsdiag.call=RAND_status
error.type=(absent)
error.message=(absent)
--
log.level=error
tlsdiag.call=RAND_bytes
error.type=SSLError
error.message=unsupported
--
log.level=error
tlsdiag.call=RAND_priv_bytes
error.type=SSLError
error.message=unsupported
--
END
diff -u "$tmp/c.want" "$tmp/c.got" || problem "randcall: records differ"
check_exit randcall "$tmp/c.log" RAND_bytes RAND_priv_bytes RAND_status
check_report randcall "$tmp/c.log"

# Its success path: RAND calls that all succeed leave no log at all (no
# exit record either: a process that made no TLS call and had no failure
# is not accounted, as without the RAND wrappers).
run_shimmed "$tmp/c.ok.log" "$PROGS/randcall" >"$tmp/c.ok" ||
    problem "randcall failed with a working generator"
[ "$(jcount "$tmp/c.ok.log")" = 0 ] ||
    problem "randcall: records without a failure: $(cat "$tmp/c.ok.log")"
finish
