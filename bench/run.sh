#!/bin/sh
# run.sh: "make bench": every benchmark of issue 7, one after the other.
set -eu
cd "$(dirname "$0")/.."
sh bench/analyzer.sh
