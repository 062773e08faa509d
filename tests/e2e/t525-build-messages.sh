#!/bin/sh
# t525-build-messages: the Makefile names a missing pkg-config package (and
# its Debian package) before compiling anything, only for targets that
# need it; the default build prints one short line per file and V=1 the
# full commands.  Dry runs (make -n) into a scratch build dir only.
. "$(dirname "$0")/lib.sh"
need_tool make

# mk ARGS...: make in the tree into the scratch build dir, without the
# flags of a make this test may run under (V=1, B=build-asan, ...).
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u V make --no-print-directory \
	    -C "$TOP" B="$tmp/b" "$@"
}

mkdir "$tmp/empty"
# No .pc file anywhere: the analyzer's first package is named.
rc=0
PKG_CONFIG_LIBDIR=$tmp/empty PKG_CONFIG_PATH=$tmp/empty mk -n all \
    >"$tmp/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "make all succeeded without libcjson.pc"
grep -q "pkg-config cannot find 'libcjson' (Debian: libcjson-dev); run 'make deps' or tools/deps.sh" \
    "$tmp/out" || fail "no message naming libcjson: $(cat "$tmp/out")"
grep -q '^cc \|  CC \|  LD ' "$tmp/out" && \
    fail "make went on to compile: $(cat "$tmp/out")"

# Only zlib missing: zlib is named, not libcjson.
mkdir "$tmp/pc"
for p in libcjson libdw; do
	f=$(pkg-config --variable=pcfiledir "$p")/$p.pc
	cp "$f" "$tmp/pc/" || skip "no $p.pc to copy"
done
rc=0
PKG_CONFIG_LIBDIR=$tmp/pc PKG_CONFIG_PATH= mk -n "$tmp/b/tlsdiag" \
    >"$tmp/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "make succeeded without zlib.pc"
grep -q "pkg-config cannot find 'zlib' (Debian: zlib1g-dev)" "$tmp/out" ||
    fail "no message naming zlib: $(cat "$tmp/out")"

# No pkg-config at all.
rc=0
mk -n all PKG_CONFIG=false >"$tmp/out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "make all succeeded with PKG_CONFIG=false"
grep -q "cannot run 'false' (Debian: pkg-config)" "$tmp/out" ||
    fail "no message naming pkg-config: $(cat "$tmp/out")"

# Targets that do not need the packages do not check them.
PKG_CONFIG_LIBDIR=$tmp/empty PKG_CONFIG_PATH=$tmp/empty \
    mk -n clean deps "$tmp/b/libtlsdiag.so" >"$tmp/out" 2>&1 ||
    fail "clean/deps/shim checked the analyzer's packages: $(cat "$tmp/out")"

# Quiet by default, full commands with V=1.
mk -n "$tmp/b/libtlsdiag.so" >"$tmp/out" 2>&1 || fail "make -n shim failed"
grep -q "echo '  CC      shim/init.c'" "$tmp/out" ||
    fail "no short CC line: $(head -3 "$tmp/out")"
grep -q "echo '  LD      $tmp/b/libtlsdiag.so'" "$tmp/out" ||
    fail "no short LD line"
grep -q "echo '  GEN     $tmp/b/gen/errnames.c'" "$tmp/out" ||
    fail "no short GEN line"
mk -n V=1 "$tmp/b/libtlsdiag.so" >"$tmp/out" 2>&1 ||
    fail "make -n V=1 failed"
grep -q "echo '  CC" "$tmp/out" && fail "V=1 still prints short lines"
grep -q -- "-c -o $tmp/b/pic/shim/init.o shim/init.c" "$tmp/out" ||
    fail "V=1 does not show the compile command"
[ ! -e "$tmp/b" ] || fail "make -n wrote into the build dir"
finish
