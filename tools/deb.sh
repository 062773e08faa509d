#!/bin/sh
# deb.sh: build the Debian package (debian/) with dpkg-buildpackage from a
# copy of the tree in build/deb/src, so that nothing is written beside the
# checkout, and leave build/deb/tlsdiag_VERSION_ARCH.deb.  Then lintian
# checks it: errors fail, warnings are printed (debian/*.lintian-overrides
# says which are meant).  "make deb" runs this.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
src=$out/src/tlsdiag

for t in dpkg-buildpackage dh; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "deb: '$t' missing: run tools/deps.sh deb" >&2
		exit 1
	}
done
rm -rf "$out"
mkdir -p "$src"
tar -C "$top" --exclude=./build --exclude=./.git -cf - . | tar -C "$src" -xf -
version=$(cd "$src" && dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=tlsdiag_${version}_$arch.deb
(
	cd "$src"
	DEB_BUILD_OPTIONS="parallel=${DEB_JOBS:-2} ${DEB_BUILD_OPTIONS:-}" \
	    dpkg-buildpackage -b -us -uc >"$out/build.log" 2>&1
) || {
	tail -30 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed (all of it in $out/build.log)" >&2
	exit 1
}
mv "$out/src/$deb" "$out/$deb"
rm -rf "$out/src"
echo "deb: $out/$deb"
if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error "$out/$deb" || {
		echo "deb: lintian reports errors" >&2
		exit 1
	}
else
	echo "deb: lintian missing, not checked (tools/deps.sh deb)" >&2
fi
