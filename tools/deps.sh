#!/bin/sh
# deps.sh: install the Debian packages tlsdiag builds and tests with, when
# any is missing.  Does nothing (and needs no network) when all are present.
# Usage: tools/deps.sh [build|test|bench|deb|all]   (default all)
set -eu

build="libssl-dev libcjson-dev libdw-dev libelf-dev libdeflate-dev libxxhash-dev zlib1g-dev libzydis-dev pkg-config make gcc"
test="libcriterion-dev python3 curl openssl jq time clang clang-format strace libclang-rt-14-dev valgrind nginx ruby patchelf libseccomp-dev chromium"
bench="valgrind ltrace"
deb="debhelper lintian dpkg-dev"
# t800-t830: the package, two rsyslog daemons, logrotate's syntax check
fleet="$deb rsyslog logrotate"

case "${1:-all}" in
build) want=$build ;;
test|all) want="$build $test $fleet" ;;
bench) want="$build $test $bench" ;;
deb) want="$build $deb" ;;
*) echo "usage: tools/deps.sh [build|test|bench|deb|all]" >&2; exit 2 ;;
esac

missing=
for p in $want; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in
	"install ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root: run 'apt-get install$missing' as root" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null ||
	{ echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ echo "deps: apt-get install failed:$missing" >&2; exit 1; }
