#!/bin/sh
# t340-ruby: Ruby's net/http (Debian's ruby, whose openssl extension links
# libssl3) against an expired certificate and a certificate for another
# host.  Ruby checks the host name inside the handshake (its verify
# callback sets X509_V_ERR_HOSTNAME_MISMATCH), so both fail in SSL_connect
# and both are recorded as SSLCertVerificationError, with verify codes 10
# and 62.  Ruby leaves OpenSSL's verify parameters without a host, so for
# the mismatch the record takes the name Ruby sent as SNI (check_host_source
# "sni") and words it as CPython does: "Hostname mismatch, certificate is
# not valid for 'localhost'.".  Ruby's output and status are unchanged by
# the shim.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/compat.sh"
need_tool ruby
require_shim
make_pki

start_server exp "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/expired.pem" --key "$PKI/expired.key"
start_server wrong "$HPY" "$SRCPROGS/tlsserver.py" --mode cert \
    --cert "$PKI/wronghost.pem" --key "$PKI/wronghost.key"
cat >"$tmp/get.rb" <<'END'
require "net/http"
require "openssl"
http = Net::HTTP.new("localhost", Integer(ARGV[0]))
http.ipaddr = "127.0.0.1"
http.use_ssl = true
http.ca_file = ARGV[1]
http.open_timeout = 10
begin
  puts http.get("/").body
rescue OpenSSL::SSL::SSLError => e
  puts "#{e.class}: #{e.message}"
  exit 4
end
END

for c in exp:10:'certificate has expired' wrong:62:'hostname mismatch'; do
	n=${c%%:*}
	rest=${c#*:}
	code=${rest%%:*}
	msg=${rest#*:}
	# what the record says: CPython's wording, and the host it checked
	rmsg=$msg host='(absent)' src='(absent)'
	if [ "$code" = 62 ]; then
		rmsg="Hostname mismatch, certificate is not valid for 'localhost'."
		host=localhost src=sni
	fi
	eval "port=\$${n}_port"
	same_run "$n" ruby "$tmp/get.rb" "$port" "$PKI/ca.pem"
	[ "$status" -eq 4 ] || problem "$n: ruby exited $status, want 4"
	grep -q "certificate verify failed ($msg)" "$tmp/$n.out" ||
	    problem "$n: ruby said: $(cat "$tmp/$n.out" "$tmp/$n.err")"
	want_records "$n" "$tmp/$n.log" error.type error.message tlsdiag.call \
	    tlsdiag.verify_code tlsdiag.verify_message tlsdiag.check_host \
	    tlsdiag.check_host_source tlsdiag.role process.pid <<END
error.type=SSLCertVerificationError
error.message=[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: $rmsg
tlsdiag.call=SSL_connect
tlsdiag.verify_code=$code
tlsdiag.verify_message=$rmsg
tlsdiag.check_host=$host
tlsdiag.check_host_source=$src
tlsdiag.role=client
process.pid=$pid
--
END
done
finish
