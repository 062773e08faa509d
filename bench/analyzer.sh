#!/bin/sh
# analyzer.sh: how fast "tlsdiag report" reads a large log, against cJSON
# parsing alone and against the jq pipeline people use instead, and whether
# its memory grows with the log (issue 7, analyzer target).
#
# Generates a 100 MB and a 1 GB log of realistic records (bench/genlog.py,
# from real shim records in bench/data/seed.jsonl) in $TMPDIR, times each
# command on them and prints a table; the logs are deleted afterwards.
# Timed runs of tlsdiag are pinned to one CPU.  Run from the top of the
# tree after "make" (make bench does both).
#
# Environment: RUNS (default 5) runs per 100 MB measurement, BIG_RUNS
# (default 3) per 1 GB measurement, SMALL_MB / BIG_MB (100 / 1024) sizes,
# JQ_RUNS (default RUNS) for the jq pipeline, CC (cc).
set -eu
LC_ALL=C
export LC_ALL

TOP=$(pwd)
TLSDIAG=$TOP/build/tlsdiag
RUNS=${RUNS:-5}
BIG_RUNS=${BIG_RUNS:-3}
JQ_RUNS=${JQ_RUNS:-$RUNS}
SMALL_MB=${SMALL_MB:-100}
BIG_MB=${BIG_MB:-1024}
CC=${CC:-cc}

say() { echo "analyzer: $*"; }
die() { echo "analyzer: $*" >&2; exit 1; }

[ -x "$TLSDIAG" ] || die "$TLSDIAG missing: run make first"
for t in python3 jq /usr/bin/time taskset pkg-config "$CC"; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found (tools/deps.sh)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tlsdiag-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Both logs plus slack must fit; say so rather than filling the disk.
need_kb=$(( (SMALL_MB + BIG_MB) * 1024 + 200 * 1024 ))
free_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
[ "$free_kb" -ge "$need_kb" ] ||
	die "need $((need_kb / 1024)) MB free in $work, have $((free_kb / 1024)) MB"

# The cJSON-only floor, built with the analyzer's own reader and arena.
"$CC" -std=c11 -O2 -D_GNU_SOURCE -Ianalyzer \
    $(pkg-config --cflags libcjson) -o "$work/cjsonparse" \
    bench/cjsonparse.c analyzer/input.c analyzer/arena.c \
    $(pkg-config --libs libcjson zlib) || die "cannot build cjsonparse"

small=$work/small.jsonl
big=$work/big.jsonl
python3 bench/genlog.py bench/data/seed.jsonl "$small" "$SMALL_MB" 2>"$work/gen"
python3 bench/genlog.py bench/data/seed.jsonl "$big" "$BIG_MB" 2>>"$work/gen"
sed 's/^/analyzer: /' "$work/gen"
nsmall=$(wc -l < "$small")
nbig=$(wc -l < "$big")
bsmall=$(wc -c < "$small")
bbig=$(wc -c < "$big")

# timeit NAME RUNS CMD...: run CMD RUNS times (stdout to /dev/null) and
# append "NAME wall_us max_rss_kb user_s sys_s" per run to $work/times.
# CPU time is kept too: on a shared machine wall time includes waiting for
# the CPU, CPU time does not.
timeit() {
	_name=$1
	_n=$2
	shift 2
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		_t0=$(date +%s%N)
		/usr/bin/time -o "$work/rss" -f '%M %U %S' "$@" > /dev/null ||
			die "$_name: command failed: $*"
		_t1=$(date +%s%N)
		echo "$_name $(( (_t1 - _t0) / 1000 )) $(tail -n 1 "$work/rss")" \
		    >> "$work/times"
		_i=$((_i + 1))
	done
}

# The jq pipeline the issue compares against: per-type counts.
cat > "$work/jq.sh" <<'EOF'
jq -r 'select(.event.action=="tls_failure") | .error.type' "$1" |
    sort | uniq -c
EOF

# The same counts from both tools must agree before any timing counts.
jq_counts() {
	sh "$work/jq.sh" "$1" | awk '{ print $2, $1 }' | sort
}
report_counts() {
	"$TLSDIAG" report --no-symbolize --format json --top 0 "$1" |
	    python3 -c 'import json, sys
for t in json.load(sys.stdin)["types"]:
    print(t["type"], t["count"])' | sort
}
jq_counts "$small" > "$work/jq.counts"
report_counts "$small" > "$work/report.counts"
cmp -s "$work/jq.counts" "$work/report.counts" ||
	die "per-type counts differ between jq and tlsdiag: $(diff \
	    "$work/jq.counts" "$work/report.counts" | tr '\n' ' ')"
say "per-type counts agree with jq: $(tr '\n' ' ' < "$work/report.counts")"

one="taskset -c 0"
cat "$small" "$big" > /dev/null	# both in the page cache
timeit report-100 "$RUNS" $one "$TLSDIAG" report --no-progress "$small"
timeit nosym-100 "$RUNS" $one "$TLSDIAG" report --no-progress \
    --no-symbolize "$small"
timeit arena-100 "$RUNS" $one "$work/cjsonparse" arena "$small"
timeit malloc-100 "$RUNS" $one "$work/cjsonparse" malloc "$small"
timeit jq-100 "$JQ_RUNS" sh "$work/jq.sh" "$small"
cat "$big" > /dev/null
timeit report-1g "$BIG_RUNS" $one "$TLSDIAG" report --no-progress "$big"
timeit nosym-1g "$BIG_RUNS" $one "$TLSDIAG" report --no-progress \
    --no-symbolize "$big"
rm -f "$small" "$big"

# Medians and the table.
python3 - "$work/times" "$nsmall" "$bsmall" "$nbig" "$bbig" "$RUNS" \
    "$BIG_RUNS" "$JQ_RUNS" "$SMALL_MB" "$BIG_MB" <<'EOF'
import statistics, sys

path, nsmall, bsmall, nbig, bbig = sys.argv[1], *map(int, sys.argv[2:6])
runs, big_runs, jq_runs, small_mb, big_mb = sys.argv[6:11]
wall, rss, cpu = {}, {}, {}
for line in open(path):
    name, us, kb, user, system = line.split()
    wall.setdefault(name, []).append(int(us) / 1e6)
    rss.setdefault(name, []).append(int(kb))
    cpu.setdefault(name, []).append(float(user) + float(system))
med = {k: statistics.median(v) for k, v in wall.items()}
mcpu = {k: statistics.median(v) for k, v in cpu.items()}
mrss = {k: max(v) for k, v in rss.items()}

def row(label, key, n, b, runs):
    s = med[key]
    print("  %-44s %7.3f s %9.0f %7.1f %8.1f %7.2f s %9.0f  %s" % (
        label, s, n / s, b / s / 1e6, mrss[key] / 1024, mcpu[key],
        n / mcpu[key], runs))

print("analyzer: logs of %s MiB = %d records (%.0f bytes/record) and "
      "%s MiB = %d records" % (small_mb, nsmall, bsmall / nsmall, big_mb,
                                nbig))
print("  %-44s %9s %9s %7s %8s %9s %9s  %s" % ("command (medians)", "wall",
      "records/s", "MB/s", "maxRSS MB", "cpu", "rec/cpu-s", "runs"))
print("  %s MiB log:" % small_mb)
row("tlsdiag report", "report-100", nsmall, bsmall, runs)
row("tlsdiag report --no-symbolize", "nosym-100", nsmall, bsmall, runs)
row("cJSON parse only, arena (floor)", "arena-100", nsmall, bsmall, runs)
row("cJSON parse only, malloc/free", "malloc-100", nsmall, bsmall, runs)
row("jq -r 'select(..)|.error.type' | sort | uniq -c", "jq-100", nsmall,
    bsmall, jq_runs)
print("  %s MiB log:" % big_mb)
row("tlsdiag report", "report-1g", nbig, bbig, big_runs)
row("tlsdiag report --no-symbolize", "nosym-1g", nbig, bbig, big_runs)

def verdict(ok):
    return "met" if ok else "MISSED"

rps = nbig / med["report-1g"]
rps_cpu = nbig / mcpu["report-1g"]
vs_jq = med["jq-100"] / med["report-100"]
grow = mrss["report-1g"] / mrss["report-100"]
grow_ns = mrss["nosym-1g"] / mrss["nosym-100"]
print("analyzer: ratios (targets from issue 7)")
print("  records/s on %4s MiB, one core         %9.0f  target >= 300000: "
      "%s (%.0f%% of target)" % (big_mb, rps, verdict(rps >= 300000),
                                 100 * rps / 300000))
print("  records/s per CPU second on %4s MiB    %9.0f  (%.0f%% of target)"
      % (big_mb, rps_cpu, 100 * rps_cpu / 300000))
print("  jq pipeline time / tlsdiag report time %9.1fx target >= 10x: %s"
      % (vs_jq, verdict(vs_jq >= 10)))
print("  jq pipeline time / report --no-symbolize %7.1fx"
      % (med["jq-100"] / med["nosym-100"]))
print("  jq pipeline CPU / tlsdiag report CPU   %9.1fx"
      % (mcpu["jq-100"] / mcpu["report-100"]))
print("  max RSS %4s MiB / %3s MiB              %9.2f  (--no-symbolize "
      "%.2f) target: no growth: %s" % (big_mb, small_mb, grow, grow_ns,
                                       verdict(grow < 1.1 and grow_ns < 1.1)))
print("  tlsdiag report --no-symbolize / cJSON arena parse alone  %.2f"
      % (med["nosym-100"] / med["arena-100"]))
print("  cJSON malloc/free parse alone / tlsdiag report --no-symbolize  %.2f"
      % (med["malloc-100"] / med["nosym-100"]))
EOF
