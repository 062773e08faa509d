#!/bin/sh
# t620-log-faults: the log cannot be written, in every way we know:
# a directory the user may not write (run as nobody: root bypasses
# permissions), a missing directory, a directory, a symlink (O_NOFOLLOW:
# never followed), a FIFO with no reader (must not block), /dev/full
# (ENOSPC), someone else's file, a hard link.  Each time the program's
# output and exit status are those of a run without the shim, nothing is
# created or changed at the path, and TLSDIAG_DEBUG says what went wrong
# exactly once although every record fails.  Then a log that fails for a
# while and then works (its directory appears mid-run): the exit record
# counts the dropped records; and a log renamed, then deleted, mid-run:
# later records go to a new file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/hostile.sh"
require_shim
need_tool setpriv

run_plain "$FAILER" eof 3 >"$tmp/bare.out" 2>"$tmp/bare.err" ||
    fail "failer failed without the shim: $(cat "$tmp/bare.err")"
sed 1d "$tmp/bare.out" >"$tmp/bare.want"

# fault NAME PATH EXPECTED-ERROR [AS-NOBODY]: run with the log at PATH.
fault() {
	_n=$1 _path=$2 _why=$3
	if [ "${4:-}" = nobody ]; then
		set -- setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    env LD_PRELOAD="$ASAN_FIRST$tmp/pub/libtlsdiag.so" \
		    TLSDIAG_LOG="$_path" TLSDIAG_DEBUG=1 "$tmp/pub/failer" eof 3
	else
		set -- env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$_path" \
		    TLSDIAG_DEBUG=1 "$FAILER" eof 3
	fi
	_rc=0
	timeout 10 "$@" >"$tmp/$_n.out" 2>"$tmp/$_n.err" || _rc=$?
	[ "$_rc" -eq 0 ] || {
		problem "$_n: exit status $_rc (124: blocked)"
		return 0
	}
	sed 1d "$tmp/$_n.out" | cmp -s - "$tmp/bare.want" ||
	    problem "$_n: the program's output changed"
	_lines=$(grep -c '' "$tmp/$_n.err" || :)
	_shim=$(grep -c '^shim: ' "$tmp/$_n.err" || :)
	[ "$_lines" -eq 1 ] && [ "$_shim" -eq 1 ] ||
	    problem "$_n: want one 'shim:' line on stderr, got:
$(cat "$tmp/$_n.err")"
	grep -q "^shim: cannot write '$_path': $_why\$" "$tmp/$_n.err" ||
	    problem "$_n: the message does not say '$_why': \
$(cat "$tmp/$_n.err")"
}

# A copy nobody can reach (the test directory is root's, mode 0700).
chmod 755 "$tmp"
mkdir -m 755 "$tmp/pub" "$tmp/rootdir"
cp "$SHIM_LIB" "$FAILER" "$tmp/pub/"
fault unwritable "$tmp/rootdir/log" "Permission denied" nobody
[ ! -e "$tmp/rootdir/log" ] || problem "unwritable: a log appeared"

fault missing "$tmp/missing/dir/log" "No such file or directory"
[ ! -e "$tmp/missing" ] || problem "missing: the shim made a directory"

mkdir "$tmp/adir"
fault directory "$tmp/adir" "Is a directory"
[ -z "$(ls -A "$tmp/adir")" ] || problem "directory: something was written"

ln -s "$tmp/target" "$tmp/link"
fault symlink "$tmp/link" "Too many levels of symbolic links"
[ ! -e "$tmp/target" ] || problem "symlink: the link was followed"

mkfifo "$tmp/fifo"
fault fifo "$tmp/fifo" "No such device or address"

fault full /dev/full "No space left on device"

# someone else's file that we could open (mode 0666): refused
: >"$tmp/rootdir/foreign"
chmod 666 "$tmp/rootdir/foreign"
fault foreign "$tmp/rootdir/foreign" "Operation not permitted" nobody
[ ! -s "$tmp/rootdir/foreign" ] || problem "foreign: the file was written"

# a hard link to our own file: refused (it may be a link to a file the
# program never meant to log into)
: >"$tmp/linked"
ln "$tmp/linked" "$tmp/hardlink"
fault hardlink "$tmp/hardlink" "Operation not permitted"
[ ! -s "$tmp/linked" ] || problem "hardlink: the file was written"

# steps LOG N: run "failer steps N" in the background; go I starts
# failure I and waits for it to be done.
steps() {
	mkdir -p "$tmp/go"
	rm -f "$tmp/go/"*
	env LD_PRELOAD="$SHIM" TLSDIAG_LOG="$1" TLSDIAG_DEBUG=1 \
	    timeout 30 "$FAILER" steps "$2" "$tmp/go" >"$tmp/steps.out" \
	    2>"$tmp/steps.err" &
	steps_pid=$!
}
go() {
	: >"$tmp/go/go$1"
	wait_lines "$tmp/steps.out" $(($1 + 1))
}

# Fails for a while, then works.
steps "$tmp/later/log" 4
go 1
go 2
mkdir "$tmp/later"
go 3
go 4
wait "$steps_pid" || problem "later: failer exited with status $?"
check_log "$tmp/later.sum" "$tmp/later/log"
pid=$(sed -n '1s/^pid //p' "$tmp/steps.out")
same "later: failures on record" "$(fact "$tmp/later.sum" action tls_failure)" 2
same "later: exit records" "$(fact "$tmp/later.sum" action tlsdiag_exit)" 1
# dropped: the start record and the first two failures
same "later: coverage.dropped" \
    "$(fact "$tmp/later.sum" coverage "$pid" dropped)" 3
same "later: coverage.records" \
    "$(fact "$tmp/later.sum" coverage "$pid" records)" 2
same "later: 'shim:' lines" "$(grep -c '^shim: ' "$tmp/steps.err" || :)" 1

# Renamed (logrotate), then deleted.
steps "$tmp/rot.log" 3
go 1
mv "$tmp/rot.log" "$tmp/rot.log.1"
go 2
rm "$tmp/rot.log"
go 3
wait "$steps_pid" || problem "rotate: failer exited with status $?"
[ ! -s "$tmp/steps.err" ] || problem "rotate: stderr: $(cat "$tmp/steps.err")"
check_log "$tmp/rot1.sum" "$tmp/rot.log.1"
check_log "$tmp/rot.sum" "$tmp/rot.log"
pid=$(sed -n '1s/^pid //p' "$tmp/steps.out")
# lines/failures: the start record and failure 1, then failure 3 and exit
same "rotate: records before the rename" "$(fact "$tmp/rot1.sum" lines)/$(
    fact "$tmp/rot1.sum" action tls_failure)" 2/1
same "rotate: records after the deletion" "$(fact "$tmp/rot.sum" lines)/$(
    fact "$tmp/rot.sum" action tls_failure)" 2/1
same "rotate: coverage.records" \
    "$(fact "$tmp/rot.sum" coverage "$pid" records)" 4
same "rotate: coverage.dropped" \
    "$(fact "$tmp/rot.sum" coverage "$pid" dropped)" 0
finish
