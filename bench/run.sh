#!/bin/sh
# run.sh: "make bench": every benchmark of the project, one after the
# other, each printing its own table of ratios (bench/README.md).
set -eu
cd "$(dirname "$0")/.."
echo "### the shim: what a program pays (bench/shim.sh)"
sh bench/shim.sh
echo
echo "### entry hooks: OpenSSL linked into the program (bench/entry.sh)"
sh bench/entry.sh
echo
echo "### the analyzer: tlsdiag report on large logs (bench/analyzer.sh)"
sh bench/analyzer.sh
echo
echo "### tlsdiag report --follow: memory over hours, latency (bench/follow.sh)"
sh bench/follow.sh
