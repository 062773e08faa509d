#!/bin/sh
# t364-param-host: a C client that names the host to verify only through
# its verify parameters (X509_VERIFY_PARAM_set1_host on SSL_get0_param),
# against a certificate for another name.  The record takes the host from
# the parameters (check_host_source "verify_param"), not from SNI, which
# here names something else or is not sent at all, and words the failure
# as CPython does.  The program's output and status are unchanged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
require_shim
make_pki

start_server wrong "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/wronghost.pem" --key "$PKI/wronghost.key"
msg="Hostname mismatch, certificate is not valid for 'localhost'."
for sni in sni.example -; do
	n=sni-$sni
	if [ "$sni" = - ]; then set --; else set -- "$sni"; fi
	same_run "$n" "$PROGS/bioclient" socket "$wrong_port" "$PKI/ca.pem" \
	    localhost "$@"
	[ "$status" -eq 1 ] || problem "$n: bioclient exited $status, want 1"
	want_records "$n" "$tmp/$n.log" error.type error.message \
	    tlsdiag.verify_code tlsdiag.verify_message tlsdiag.check_host \
	    tlsdiag.check_host_source tls.client.server_name <<END
error.type=SSLCertVerificationError
error.message=[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: $msg
tlsdiag.verify_code=62
tlsdiag.verify_message=$msg
tlsdiag.check_host=localhost
tlsdiag.check_host_source=verify_param
tls.client.server_name=$(if [ "$sni" = - ]; then echo '(absent)'; else echo "$sni"; fi)
--
END
done
finish
