#!/bin/sh
# standalone-check.sh: fail if the build or the tests need anything outside
# the checkout.  Two checks (.ci/run calls this):
#
#  1. A lint over the tracked sources, Makefile and scripts for paths that
#     leave the tree: the workspace's shared folder beside the checkout
#     (as a relative or absolute path) and "$(abspath ..".  It sees what
#     only a rarely run test would read.
#  2. The tracked files alone are copied into a fresh temporary directory
#     with nothing beside them, and the build and the unit suite run there
#     under "strace -f -e trace=%file".  A relative path out of the tree
#     finds nothing in the empty parent and fails its test; every absolute
#     path that was opened is listed, and any outside the copy and outside
#     the system's own directories fails the check.
#
# The e2e suite is not traced: it starts servers, Python, curl and node,
# whose own reads of $HOME, caches and locale files would drown the
# signal, and it reaches the tree only through $TOP (tests/e2e/lib.sh),
# which the lint covers.  Needs git; the strace part is skipped with a
# message when strace is missing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bad=$(git grep -nE '\.\./share[d]|/work/share[d]|\$\(abspath \.\.' -- \
    Makefile '*.c' '*.h' '*.sh' '*.py' '*.js' '*.rb' '.ci/*' \
    ':!tools/standalone-check.sh' || true)
if [ -n "$bad" ]; then
	echo "standalone: paths outside the repository:" >&2
	printf '%s\n' "$bad" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsdiag-standalone.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/tree"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$tmp/tree"

if ! command -v strace >/dev/null 2>&1; then
	echo "standalone: strace missing: building and testing the copy" \
	    "without tracing" >&2
	make -C "$tmp/tree" --no-print-directory WERROR=1 ANALYZER_LTO= unit
	exit 0
fi
cd "$tmp/tree"
if ! strace -f -qq -z -e trace=%file -e signal=none -o "$tmp/trace" \
    make --no-print-directory WERROR=1 ANALYZER_LTO= unit \
    >"$tmp/make.log" 2>&1; then
	tail -40 "$tmp/make.log" >&2
	echo "standalone: the unit suite failed in a copy of the tree" >&2
	exit 1
fi
# The first path of every successful lookup (-z: failed ones are PATH
# and library searches; a needed file that is missing fails its test),
# minus the copy and what any program reads from the system.
outside=$(sed -n 's/^[^"]*"\([^"]*\)".*/\1/p' "$tmp/trace" |
    grep '^/' | sort -u |
    grep -vE "^($tmp|/usr/|/lib|/bin/|/sbin/|/etc/|/proc/|/sys/|/dev/|/tmp/|/var/tmp/|/run/)" |
    grep -vE '^/(usr|lib|lib64|bin|sbin|etc|proc|sys|dev|tmp|run|)$' || true)
if [ -n "$outside" ]; then
	echo "standalone: the build or the unit tests read outside the tree:" >&2
	printf '%s\n' "$outside" >&2
	exit 1
fi
echo "standalone: build and unit tests need nothing outside the tree"
