#!/bin/sh
# mkcerts.sh: generate the test PKI the end-to-end tests serve.
#
# Usage: tests/progs/mkcerts.sh OUTDIR
#
# Writes OUTDIR/ca.pem (the CA clients trust) and OUTDIR/<name>.pem +
# OUTDIR/<name>.key for every server identity below, all EC P-256:
#   good        CN=localhost, SAN DNS:localhost,IP:127.0.0.1, signed by ca
#   expired     as good, valid 2020-01-01 .. 2021-01-01
#   notyet      as good, valid from 2099-01-01
#   selfsigned  as good, but self-signed
#   untrusted   as good, signed by a second CA (OUTDIR/otherca.pem) that
#               clients do not trust
#   wronghost   SAN DNS:wrong.example.com only
#   ipmismatch  SAN IP:10.9.9.9 only
# Leaf certificates carry key identifiers and key usage so that they also
# pass OpenSSL's strict mode (CPython 3.13's default context).
set -eu

[ $# -eq 1 ] || { echo "usage: mkcerts.sh OUTDIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
work=$out/.pki
rm -rf "$work"
mkdir -p "$work"

cat > "$work/openssl.cnf" <<EOF
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

[ ca ]
default_ca = test_ca
[ test_ca ]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
[ policy_any ]
commonName = supplied

[ ext_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ext_leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:localhost,IP:127.0.0.1
[ ext_wronghost ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:wrong.example.com
[ ext_ipmismatch ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = IP:10.9.9.9
EOF
: > "$work/index.txt"

ossl() {
	openssl "$@" 2>"$work/err" || {
		echo "mkcerts: openssl $1 failed:" >&2
		cat "$work/err" >&2
		exit 1
	}
}

genkey() {
	ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# mkca NAME CN: a self-signed CA valid for ten years.
mkca() {
	genkey "$work/$1.key"
	ossl req -config "$work/openssl.cnf" -new -x509 -key "$work/$1.key" \
	    -subj "/CN=$2" -days 3650 -extensions ext_ca -sha256 \
	    -out "$out/$1.pem"
}

# mkleaf NAME CA EXT [openssl-ca validity options...]
mkleaf() {
	name=$1 ca=$2 ext=$3
	shift 3
	genkey "$out/$name.key"
	ossl req -config "$work/openssl.cnf" -new -key "$out/$name.key" \
	    -subj "/CN=localhost" -out "$work/$name.csr"
	ossl ca -batch -config "$work/openssl.cnf" -notext -rand_serial \
	    -cert "$out/$ca.pem" -keyfile "$work/$ca.key" \
	    -extfile "$work/openssl.cnf" -extensions "$ext" \
	    -in "$work/$name.csr" -out "$out/$name.pem" "$@"
}

mkca ca "tlsdiag test CA"
mkca otherca "tlsdiag untrusted CA"

mkleaf good ca ext_leaf -days 3650
mkleaf expired ca ext_leaf -startdate 20200101000000Z -enddate 20210101000000Z
mkleaf notyet ca ext_leaf -startdate 20990101000000Z -enddate 20991231000000Z
mkleaf untrusted otherca ext_leaf -days 3650
mkleaf wronghost ca ext_wronghost -days 3650
mkleaf ipmismatch ca ext_ipmismatch -days 3650

genkey "$out/selfsigned.key"
ossl req -config "$work/openssl.cnf" -new -x509 -key "$out/selfsigned.key" \
    -subj "/CN=localhost" -days 3650 -sha256 -extensions ext_leaf \
    -out "$out/selfsigned.pem"

rm -rf "$work"
