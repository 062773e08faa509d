# compat.sh: helpers for the compatibility-matrix tests (t300-t399), which
# run real programs with and without the shim.  Sourced after lib.sh:
#   . "$(dirname "$0")/lib.sh"; . "$(dirname "$0")/compat.sh"

# same_run NAME CMD...: run CMD without the shim, then under it (log
# $tmp/NAME.log).  CMD's stdout, stderr and exit status must be the same
# both times (after piping both outputs through $SAME_FILTER, a sed script,
# when set).  Leaves the status in $status and the pid of the shimmed
# process (CMD is exec'd, so it keeps the pid) in $pid; the outputs are
# $tmp/NAME.{out,err} and $tmp/NAME.plain.{out,err}.
same_run() {
	_n=$1
	shift
	_ps=0
	run_plain "$@" >"$tmp/$_n.plain.out" 2>"$tmp/$_n.plain.err" </dev/null ||
	    _ps=$?
	status=0
	# shellcheck disable=SC2016
	run_shimmed "$tmp/$_n.log" sh -c 'echo $$ >"$0"; exec "$@"' \
	    "$tmp/$_n.pid" "$@" >"$tmp/$_n.out" 2>"$tmp/$_n.err" </dev/null ||
	    status=$?
	# shellcheck disable=SC2034
	pid=$(cat "$tmp/$_n.pid")
	[ "$status" -eq "$_ps" ] ||
	    problem "$_n: exit status $_ps became $status under the shim"
	for _f in out err; do
		if [ -n "${SAME_FILTER:-}" ]; then
			sed -e "$SAME_FILTER" "$tmp/$_n.plain.$_f" >"$tmp/$_n.p.$_f"
			sed -e "$SAME_FILTER" "$tmp/$_n.$_f" >"$tmp/$_n.s.$_f"
		else
			cp "$tmp/$_n.plain.$_f" "$tmp/$_n.p.$_f"
			cp "$tmp/$_n.$_f" "$tmp/$_n.s.$_f"
		fi
		diff -u "$tmp/$_n.p.$_f" "$tmp/$_n.s.$_f" >&2 ||
		    problem "$_n: std$_f changed under the shim"
	done
}

# want_records NAME LOG FIELD...: the tls_failure records of LOG, projected
# on FIELDs (e2ecompare.py project), must equal stdin.  Reports a problem
# with the diff otherwise.
want_records() {
	_n=$1
	_l=$2
	shift 2
	cat >"$tmp/$_n.want"
	"$HPY" "$SRCPROGS/e2ecompare.py" project "$_l" "$@" >"$tmp/$_n.got" ||
	    :
	if diff -u "$tmp/$_n.want" "$tmp/$_n.got" >&2; then
		echo "$_n: records as expected"
	else
		problem "$_n: records differ (want -, got +)"
	fi
}

# coverage LOG FIELD: print field FIELD of tlsdiag.coverage in the last
# tlsdiag_exit record of LOG ("none" when there is no such record).  Lists
# print as JSON.
coverage() {
	"$HPY" - "$1" "$2" <<'EOF'
import json, sys
rec = None
try:
    with open(sys.argv[1]) as f:
        for line in f:
            r = json.loads(line)
            if r.get("event", {}).get("action") == "tlsdiag_exit":
                rec = r
except FileNotFoundError:
    pass
if rec is None:
    print("none")
    sys.exit(0)
v = rec["tlsdiag"]["coverage"]
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else None
if isinstance(v, str):
    print(v)
else:
    print(json.dumps(v, sort_keys=True))
EOF
}

# want_coverage NAME LOG FIELD VALUE: coverage LOG FIELD must print VALUE.
want_coverage() {
	_v=$(coverage "$2" "$3")
	[ "$_v" = "$4" ] ||
	    problem "$1: coverage $3 is '$_v', want '$4'"
}
