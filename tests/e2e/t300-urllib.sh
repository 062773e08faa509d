#!/bin/sh
# t300-urllib: urllib.request.urlopen over https, in both CPython 3.11s
# (pyenv's on PATH and Debian's /usr/bin/python3); t110-t130 cover the ssl
# module itself.  For each, with and without the shim (same output):
#   expired certificate  urlopen raises URLError; the record's type,
#                        message and errno equal its .reason
#                        (SSLCertVerificationError), call SSL_do_handshake
#   server drops mid-    pyenv: SSLEOFError, swallowed by
#   response             suppress_ragged_eofs (urllib raises
#                        IncompleteRead); with suppress_ragged_eofs=False
#                        Python raises it and the record equals it.
#                        Debian: OP_IGNORE_UNEXPECTED_EOF turns the EOF into
#                        SSL_ERROR_ZERO_RETURN, which CPython reads as the
#                        end of the body (IncompleteRead either way); the
#                        shim records SSLZeroReturnError from SSL_read_ex.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
require_pythons
make_pki

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server drop "$HPY" "$SRCPROGS/tlsserver.py" --mode fin-mid-response \
    --cert "$PKI/good.pem" --key "$PKI/good.key"

# check NAME RAISED SAME|TYPE CALL: urlfetch's output says RAISED; the
# run's one failure record has call CALL and, for SAME, the type, message
# and errno of the exception urlfetch printed, else type TYPE.
check() {
	"$HPY" - "$tmp/$1.out" "$tmp/$1.log" "$2" "$3" "$4" "$pid" <<'END' ||
import json, sys
out = json.loads(open(sys.argv[1]).read())
recs = [json.loads(l) for l in open(sys.argv[2])]
fails = [r for r in recs if r["event"]["action"] == "tls_failure"]
raised, want, call, pid = sys.argv[3:7]
bad = []
if out.get("raised") != raised:
    bad.append("python raised %s, want %s" % (out.get("raised"), raised))
if len(fails) != 1:
    sys.exit("%d failure records, want 1 (%s)" % (len(fails), bad))
r = fails[0]
got = {"type": r["error"]["type"], "message": r["error"]["message"],
       "errno": r["tlsdiag"].get("exc_errno"), "call": r["tlsdiag"]["call"],
       "role": r["tlsdiag"]["role"], "pid": str(r["process"]["pid"])}
exp = {"call": call, "role": "client", "pid": pid}
if want == "SAME":
    exp.update(type=out["reason"]["type"], message=out["reason"]["message"],
               errno=out["reason"]["errno"])
else:
    exp["type"] = want
for k, v in exp.items():
    if got[k] != v:
        bad.append("%s: record %r, want %r" % (k, got[k], v))
if bad:
    sys.exit("; ".join(bad))
END
	    problem "$1: record and Python differ (above)"
	echo "$1: $(cat "$tmp/$1.out")"
}

for py in pyenv debian; do
	if [ $py = pyenv ]; then exe=$PY_PYENV; else exe=$PY_DEBIAN; fi
	same_run "$py-exp" "$exe" "$SRCPROGS/urlfetch.py" "$exp_port" \
	    "$PKI/ca.pem" default
	check "$py-exp" URLError SAME SSL_do_handshake
	grep -q '"type": "SSLCertVerificationError"' "$tmp/$py-exp.out" ||
	    problem "$py-exp: the reason is not SSLCertVerificationError"

	if [ $py = pyenv ]; then
		drop=SSLEOFError strict="SSLEOFError SAME"
	else
		drop=SSLZeroReturnError strict="IncompleteRead SSLZeroReturnError"
	fi
	same_run "$py-drop" "$exe" "$SRCPROGS/urlfetch.py" "$drop_port" \
	    "$PKI/ca.pem" default
	check "$py-drop" IncompleteRead "$drop" SSL_read_ex
	same_run "$py-strict" "$exe" "$SRCPROGS/urlfetch.py" "$drop_port" \
	    "$PKI/ca.pem" strict
	# shellcheck disable=SC2086
	check "$py-strict" $strict SSL_read_ex
done
finish
