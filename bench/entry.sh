#!/bin/sh
# bench/entry.sh: what the entry hooks (shim/entryhook.c) cost a program
# that carries OpenSSL inside, measured side by side in one run:
#  1. callgrind instructions per operation of tlsbench linked with
#     libssl.a/libcrypto.a and -rdynamic (build/tlsbench-static), bare
#     and hooked: the success path, with the preload's targets;
#  2. the official node binary (tests/progs/find-node.sh) making N https
#     requests on one keep-alive connection to a local node server, bare
#     and hooked alternated: the median wall-clock ratio (target 1.02).
#     Hooked means as "tlsdiag run" starts it: the shim preloaded and
#     node's preload (build/tlsdiag-node.js) in NODE_OPTIONS.
# Usage: sh bench/entry.sh   (from the top directory, after make bench;
# ONLY=node for the node row alone, RUNS and NREQ to change its size)
set -eu
LC_ALL=C
export LC_ALL
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/build/tlsbench-static
SHIM=$TOP/build/libtlsdiag.so
NODEJS=$TOP/build/tlsdiag-node.js
RUNS=${RUNS:-9}
NREQ=${NREQ:-2000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsdiag-bench-entry.XXXXXX")
srv=
trap '[ -z "$srv" ] || kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
unset LD_PRELOAD TLSDIAG_LOG

for f in "$BENCH" "$SHIM" "$NODEJS"; do
	[ -e "$f" ] || { echo "bench: '$f' is missing: run make bench" >&2
	exit 1; }
done
sh "$TOP/tests/progs/mkcerts.sh" "$tmp/pki"
CERT=$tmp/pki/good.pem KEY=$tmp/pki/good.key CA=$tmp/pki/ca.pem
LOG=$tmp/shim.log

# instr MODE WORKLOAD TRANSPORT N [CA]: instructions per operation, the
# difference between N and 2N operations (setup cancels out).
instr() {
	mode=$1 work=$2 tr=$3 n=$4
	shift 4
	for k in "$n" $((2 * n)); do
		if [ "$mode" = shim ]; then
			env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$LOG" valgrind \
			    --tool=callgrind --callgrind-out-file=/dev/null \
			    "$BENCH" "$work" "$tr" "$k" "$CERT" "$KEY" "$@" 2>&1
		else
			valgrind --tool=callgrind --callgrind-out-file=/dev/null \
			    "$BENCH" "$work" "$tr" "$k" "$CERT" "$KEY" "$@" 2>&1
		fi | sed -n 's/.*Collected : //p'
	done | awk -v n="$n" 'NR == 1 {a = $1} NR == 2 {printf "%d\n", ($1 - a) / n}'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b / a }'
}

# ONLY=node runs the node row alone
if [ "${ONLY:-all}" != node ]; then
echo "== callgrind: instructions per operation, OpenSSL linked in and exported (tlsbench-static) =="
printf '%-34s %14s %14s %9s %9s\n' workload bare hooked ratio target
while read -r work tr n target extra; do
	b=$(instr bare "$work" "$tr" "$n" $extra)
	s=$(instr shim "$work" "$tr" "$n" $extra)
	printf '%-34s %14d %14d %9s %9s\n' "$work/$tr (x$n)" "$b" "$s" \
	    "$(ratio "$b" "$s")" "$target"
done <<EOF_W
small mem 20000 1.01
large mem 2000 1.002
handshake mem 50 1.01 $CA
EOF_W
echo
fi

node=$(sh "$TOP/tests/progs/find-node.sh" "$TOP/build" 2>"$tmp/find.err") || {
	echo "node https loop: skipped: $(cat "$tmp/find.err")"
	exit 0
}
"$node" "$TOP/tests/progs/nodeserve.js" "$CERT" "$KEY" >"$tmp/srv.out" &
srv=$!
i=0
until grep -q '^PORT ' "$tmp/srv.out"; do
	i=$((i + 1))
	[ "$i" -le 100 ] || { echo "bench: node server did not start" >&2
	exit 1; }
	sleep 0.1
done
port=$(sed -n 's/^PORT //p' "$tmp/srv.out")

# one MODE: seconds of one loop of NREQ requests
one() {
	case $1 in
	bare) set -- env ;;
	shim) set -- env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$LOG" \
	    NODE_OPTIONS="--require=\"$NODEJS\"" ;;
	esac
	s=$(date +%s.%N)
	"$@" "$node" "$TOP/tests/progs/nodeloop.js" "$port" "$CA" "$NREQ" \
	    >"$tmp/loop.out"
	e=$(date +%s.%N)
	grep -q "^done $NREQ " "$tmp/loop.out" ||
	    { echo "bench: node loop failed: $(head -2 "$tmp/loop.out")" >&2
	    exit 1; }
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f\n", e - s }'
}

: >"$tmp/bare"
: >"$tmp/shim"
i=0
while [ "$i" -lt "$RUNS" ]; do
	one bare >>"$tmp/bare"
	one shim >>"$tmp/shim"
	i=$((i + 1))
done
med() { sort -n "$1" | awk '{a[NR] = $1} END { print a[int((NR + 1) / 2)] }'; }
b=$(med "$tmp/bare")
s=$(med "$tmp/shim")
echo "== wall clock: node ($("$node" --version)) https loop, $NREQ requests, median of $RUNS runs alternated =="
printf '%-28s %10s %10s %9s %7s\n' workload "bare s" "hooked s" ratio target
printf '%-28s %10.3f %10.3f %9s %7s\n' "node https.get keep-alive" "$b" "$s" \
    "$(ratio "$b" "$s")" 1.02
