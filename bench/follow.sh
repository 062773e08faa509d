#!/bin/sh
# follow.sh: "tlsdiag report --follow" (issue 19): its memory after hours
# of records against after one hour (the live view keeps a bounded window
# per group: the ratio should stay near 1), and the latency from a record
# written to its group shown (target: at most 1 s).  Run from the top of
# the tree after "make".  Environment: HOURS_SMALL (default 1), HOURS_BIG
# (10), RATE (failures a second of record time, 1), GROUPS (50).
set -eu
LC_ALL=C
export LC_ALL
TOP=$(pwd)
TLSDIAG=$TOP/build/tlsdiag
[ -x "$TLSDIAG" ] || { echo "follow: $TLSDIAG missing: run make" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "follow: no python3" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/tlsdiag-bench-follow.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 bench/follow.py "$TLSDIAG" bench/data/seed.jsonl "$work" \
    "${HOURS_SMALL:-1}" "${HOURS_BIG:-10}" "${RATE:-1}" "${GROUPS:-50}" \
    >"$work/res"
get() { awk -v k="$1" '$1 == k { print $2 }' "$work/res"; }
echo "| measure | value | target |"
echo "|---|---|---|"
echo "| peak RSS following $(get records_big) records (${HOURS_BIG:-10} h) vs $(get records_small) (${HOURS_SMALL:-1} h), same $((${GROUPS:-50})) groups | $(get hwm_ratio) ($(get hwm_big_kb) KB vs $(get hwm_small_kb) KB) | no growth |"
echo "| record written to its new group shown, median / max of 20 | $(get latency_median_ms) ms / $(get latency_max_ms) ms | at most 1000 ms |"
