#!/bin/sh
# t101-transparent: the Python client's stdout, stderr and exit status are
# the same with and without the shim (both models), for a good connection,
# a certificate failure, a swallowed ragged EOF and a reset.  A good
# connection that ends with close_notify is no failure: no record.
. "$(dirname "$0")/lib.sh"
require_shim
require_pythons
make_pki

start_server ok "$HPY" "$SRCPROGS/tlsserver.py" --mode ok \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server expired "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server ragged "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"
start_server reset "$HPY" "$SRCPROGS/tlsserver.py" --mode rst-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

# run_client OUT PYTHON SERVER [ENV...]: stdout (pid masked) and stderr in
# OUT.out/OUT.err, status in OUT.rc.
run_client() {
	_o=$1 _exe=$2
	eval "_p=\$${3}_port"
	shift 3
	_rc=0
	"$@" "$_exe" "$SRCPROGS/pyclient.py" --port "$_p" \
	    --cafile "$PKI/ca.pem" >"$_o.raw" 2>"$_o.err" </dev/null || _rc=$?
	echo "$_rc" >"$_o.rc"
	sed 's/"pid":[0-9]*/"pid":PID/' "$_o.raw" >"$_o.out"
}

for py in pyenv debian; do
	eval "exe=\$PY_$(echo $py | tr a-z A-Z)"
	for srv in ok expired ragged reset; do
		b=$tmp/$py.$srv
		run_client "$b.plain" "$exe" "$srv" run_plain
		run_client "$b.s311" "$exe" "$srv" run_shimmed "$b.log311" \
		    TLSDIAG_PYTHON=3.11
		run_client "$b.s313" "$exe" "$srv" run_shimmed "$b.log313"
		for m in s311 s313; do
			for f in out err rc; do
				diff -u "$b.plain.$f" "$b.$m.$f" ||
				    problem "$py/$srv: $f differs under the shim ($m)"
			done
		done
		echo "$py/$srv: $(cat "$b.plain.out")"
		[ "$srv" = ok ] || continue
		for m in 311 313; do
			n=$(jcount "$b.log$m")
			[ "$n" -eq 0 ] || problem "$py/ok: $n tls_failure record(s)\
 for a clean connection (model $m): $(cat "$b.log$m")"
		done
	done
done
finish
