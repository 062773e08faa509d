# tlsdiag: one non-recursive Makefile for the shim, the analyzer and tests.
#
# Variables you may override:
#   CC, CFLAGS, LDFLAGS   compiler and your own flags (appended, never replaced)
#   WERROR=1              turn warnings into errors (CI sets it)
#   PREFIX, DESTDIR       install locations (default /usr/local)
#   BINDIR, LIBDIR, MANDIR  finer ones; "tlsdiag run" looks for the shim in
#                         BINDIR/../lib/tlsdiag (else set TLSDIAG_SHIM)
#   INSTALL, PKG_CONFIG   tools
#   PYTHON                interpreter used by the tests (default: python3 on PATH)
#   V=1                   print the full commands (default: one short line
#                         per file, "CC shim/init.c"; errors show in full)
#
# Targets: all (default), deps, test (alias check), demo, bench, install,
# deb, uninstall, clean, hdr-check, style, style-check, asan.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
INSTALL ?= install
PKG_CONFIG ?= pkg-config
PYTHON ?= python3

B := build

# Quiet build (kernel, git): Q_CC and friends print one short line and
# hide the command unless V=1.
ifeq ($(V),1)
Q_CC =
Q_LD =
Q_GEN =
else
Q_CC = @echo '  CC      $<';
Q_LD = @echo '  LD      $@';
Q_GEN = @echo '  GEN     $@';
endif

WARN = -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow \
    -Wformat=2 -Wvla -Wwrite-strings -fno-common
OPT = -O2 -g
ALL_CFLAGS = -std=c11 $(OPT) $(WARN) $(if $(WERROR),-Werror) -MMD -MP $(CFLAGS)

.PHONY: all deps test check unit e2e demo bench install uninstall clean \
    hdr-check style style-check asan fuzz deb
all: $(B)/libtlsdiag.so $(B)/tlsdiag $(B)/tlsdiag-node.js

# ---------------------------------------------------------------------------
# Pure helpers shared by both sides (common/*.c: no globals, no shim or
# analyzer structs), compiled into each with that side's flags.
COMMON_SRCS = $(wildcard common/*.c)

# ---------------------------------------------------------------------------
# The shim: links no OpenSSL (headers for constants and types only).
SHIM_SRCS = shim/init.c shim/resolve.c shim/wrap_io.c shim/wrap_handshake.c \
    shim/failure.c shim/context.c shim/backtrace.c shim/coverage.c \
    shim/recordout.c shim/emit.c shim/ratelimit.c shim/classify.c shim/observe.c \
    shim/jsonw.c shim/config.c shim/logw.c shim/stackset.c shim/str.c \
    shim/pydetect.c shim/wrap_rand.c shim/elfsym.c shim/attach.c \
    shim/gotpatch.c shim/entryhook.c shim/reloc.c shim/sink_syslog.c \
    shim/node_napi.c
SHIM_GEN = $(B)/gen/errnames.c
SHIM_OBJS = $(SHIM_SRCS:%.c=$(B)/pic/%.o) $(COMMON_SRCS:%.c=$(B)/pic/%.o) \
    $(B)/pic/gen/errnames.o
SHIM_CFLAGS = -D_GNU_SOURCE -fPIC -fvisibility=hidden -Ishim -Icommon \
    -ftls-model=initial-exec
SHIM_LIBS = -ldl -pthread
# Zydis (the entry hooks' disassembler) ships no .pc file in Debian 12:
# its header is checked with the packages above.  The shim opens it with
# dlopen, only in a program that needs it; the unit tests link it.
ZYDIS_LIBS = -lZydis

$(B)/libtlsdiag.so: $(SHIM_OBJS)
	$(Q_LD)$(CC) -shared -Wl,-z,defs -o $@ $(SHIM_OBJS) $(LDFLAGS) \
	    $(SHIM_LIBS)

# node's preload (shim/node_napi.c), beside the library as installed, where
# "tlsdiag run" finds it.
$(B)/tlsdiag-node.js: shim/node/tlsdiag-node.js
	@mkdir -p $(B)
	$(Q_GEN)cp shim/node/tlsdiag-node.js $@

# The same library with test-only fault injection (tests/e2e/t200).
SHIM_FAULT_OBJS = $(SHIM_SRCS:%.c=$(B)/pic-faults/%.o) \
    $(COMMON_SRCS:%.c=$(B)/pic-faults/%.o) $(B)/pic/gen/errnames.o
$(B)/libtlsdiag-faults.so: $(SHIM_FAULT_OBJS)
	$(Q_LD)$(CC) -shared -Wl,-z,defs -Wl,-z,now -o $@ $(SHIM_FAULT_OBJS) \
	    $(LDFLAGS) $(SHIM_LIBS)

$(B)/pic-faults/%.o: %.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) $(SHIM_CFLAGS) -DSHIM_FAULTS -c -o $@ $<

$(B)/pic/%.o: %.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) $(SHIM_CFLAGS) -c -o $@ $<

$(B)/pic/gen/errnames.o: $(B)/gen/errnames.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) $(SHIM_CFLAGS) -c -o $@ $<

# The library/reason mnemonic tables come from the installed OpenSSL headers.
OPENSSL_INCDIR ?= /usr/include/openssl
$(B)/gen/errnames.c: tools/gen-errnames.sh $(wildcard $(OPENSSL_INCDIR)/*err.h)
	@mkdir -p $(@D)
	$(Q_GEN)sh tools/gen-errnames.sh $(OPENSSL_INCDIR) > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------------------
# The analyzer and wrapper command: build/tlsdiag.
ANALYZER_SRCS = $(wildcard analyzer/*.c)
ANALYZER_OBJS = $(ANALYZER_SRCS:%.c=$(B)/obj/%.o) \
    $(COMMON_SRCS:%.c=$(B)/obj/%.o)
ANALYZER_PKGS = libcjson zlib libdw libelf libdeflate libxxhash
# The Debian package that ships each one's .pc file (tools/deps.sh).
DEB_libcjson = libcjson-dev
DEB_zlib = zlib1g-dev
DEB_libdw = libdw-dev
DEB_libelf = libelf-dev
DEB_libdeflate = libdeflate-dev
DEB_libxxhash = libxxhash-dev
# Stop with the missing package's name instead of compile errors later.
# Checked once per make run, and only when something needs the packages
# (so not for clean or deps): up front for the goals below, else when a
# recipe that uses them is expanded.
PKG_CHECK = $(eval PKG_CHECK := $$(call pkg_check_all))$(PKG_CHECK)
pkg_check_all = $(if $(shell $(PKG_CONFIG) --version 2>/dev/null),,$(error \
    cannot run '$(PKG_CONFIG)' (Debian: pkg-config); run \
    'make deps' or tools/deps.sh))$(foreach p,$(ANALYZER_PKGS),$(if \
    $(shell $(PKG_CONFIG) --exists $(p) 2>/dev/null && echo y),,$(error \
    pkg-config cannot find '$(p)' (Debian: $(DEB_$(p))); run \
    'make deps' or tools/deps.sh)))$(if $(shell printf '\043include \
    <Zydis/Zydis.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo y),,$(error \
    cannot find the header Zydis/Zydis.h (Debian: libzydis-dev); run \
    'make deps' or tools/deps.sh))
ANALYZER_CFLAGS = $(PKG_CHECK)-D_GNU_SOURCE -Ianalyzer -Icommon \
    $(shell $(PKG_CONFIG) --cflags $(ANALYZER_PKGS) 2>/dev/null)
ANALYZER_LIBS = $(PKG_CHECK)$(shell $(PKG_CONFIG) --libs $(ANALYZER_PKGS) \
    2>/dev/null) -lm -pthread
# Goals that build the analyzer check before anything is compiled ('test',
# 'demo', 'asan' and 'bench' install the packages first, then recurse).
PKG_GOALS = all check unit e2e fuzz install $(B)/tlsdiag
ifneq ($(filter $(PKG_GOALS),$(or $(MAKECMDGOALS),all)),)
PKG_CHECKED := $(PKG_CHECK)
endif

# "tlsdiag run" also looks in PREFIX/lib/<triplet>/tlsdiag (the package).
MULTIARCH ?= $(shell $(CC) -print-multiarch 2>/dev/null)
ANALYZER_CFLAGS += -DRUN_MULTIARCH='"$(MULTIARCH)"'

# The analyzer is linked with link-time optimization: the report's parse
# loop (logrecord.c) calls the scanner (jscan.c) for every member, and
# inlining across the two is 5 % of its time.  The objects also carry
# plain code (fat), which the unit tests link without it.  'asan' and
# tools/standalone-check.sh build without it (ANALYZER_LTO=): it would
# only cost them time.
ANALYZER_LTO ?= -flto=auto -ffat-lto-objects

$(B)/tlsdiag: $(ANALYZER_OBJS)
	$(Q_LD)$(CC) $(OPT) $(ANALYZER_LTO) -o $@ $(ANALYZER_OBJS) $(LDFLAGS) \
	    $(ANALYZER_LIBS)

$(B)/obj/analyzer/%.o: analyzer/%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) $(ANALYZER_LTO) $(ANALYZER_CFLAGS) -c -o $@ $<

$(B)/obj/common/%.o: common/%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -Icommon -c -o $@ $<

# ---------------------------------------------------------------------------
# Tests.  Unit tests (Criterion) link the pure modules directly.
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
UNIT_SHIM_OBJS = $(B)/obj/shim/classify.o $(B)/obj/shim/jsonw.o \
    $(B)/obj/shim/reloc.o \
    $(B)/obj/shim/pydetect.o $(B)/obj/shim/elfsym.o \
    $(B)/obj/shim/str.o $(B)/obj/shim/stackset.o $(B)/obj/shim/logw.o \
    $(B)/obj/shim/config.o $(B)/obj/shim/sink_syslog.o \
    $(B)/obj/gen/errnames.o
UNIT_ANALYZER_OBJS = $(filter-out $(B)/obj/analyzer/main.o,$(ANALYZER_OBJS))
UNIT_CFLAGS = -D_GNU_SOURCE -Ishim -Icommon -Ianalyzer \
    -DDATA_DIR='"$(CURDIR)/tests/unit/data"' -DTOP_DIR='"$(CURDIR)"' \
    -DBUILD_DIR='"$(abspath $(B))"'

$(B)/obj/shim/%.o: shim/%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -Ishim -Icommon -c -o $@ $<

$(B)/obj/gen/errnames.o: $(B)/gen/errnames.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -Ishim -Icommon -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(UNIT_SHIM_OBJS) $(UNIT_ANALYZER_OBJS)
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) $(UNIT_CFLAGS) $(ANALYZER_CFLAGS) -o $@ $< \
	    $(UNIT_SHIM_OBJS) $(UNIT_ANALYZER_OBJS) $(LDFLAGS) -lcriterion \
	    $(ANALYZER_LIBS) $(ZYDIS_LIBS)

# Small programs the shim is preloaded into.  nolink_*.c are not linked
# with libssl (they dlopen it), lib*.c become shared helpers (lib*.so),
# and sslclient and latecall are built a second time with -z now (znow_*).
PROG_NOLINK = $(wildcard tests/progs/nolink_*.c)
PROG_LIBS = $(wildcard tests/progs/lib*.c)
PROG_STATIC = $(wildcard tests/progs/static_*.c)
PROG_EMBED = $(wildcard tests/progs/embed_*.c)
PROG_SRCS = $(filter-out $(PROG_NOLINK) $(PROG_LIBS) $(PROG_STATIC) \
    $(PROG_EMBED), $(wildcard tests/progs/*.c))
PROG_BINS = $(PROG_SRCS:tests/progs/%.c=$(B)/progs/%) \
    $(PROG_NOLINK:tests/progs/%.c=$(B)/progs/%) \
    $(PROG_STATIC:tests/progs/%.c=$(B)/progs/%) \
    $(PROG_LIBS:tests/progs/%.c=$(B)/progs/%.so) $(B)/progs/znow_sslclient \
    $(B)/progs/znow_latecall \
    $(B)/progs/static_sslclient $(B)/progs/hidden_sslclient \
    $(B)/progs/exported_sslloop \
    $(B)/progs/threaded_sslclient \
    $(B)/progs/embed_sym_main $(B)/progs/embed_pre_main \
    $(B)/progs/embed_sym_sslclient $(B)/progs/embed_sym_sslloop
$(B)/progs/%: tests/progs/%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) -lssl -lcrypto \
	    -ldl -pthread

$(B)/progs/nolink_%: tests/progs/nolink_%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) -ldl

# static_*.c: statically linked, without the sanitizers (t701).
$(B)/progs/static_%: tests/progs/static_%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) -std=c11 -O2 $(WARN) -static -o $@ $<

$(B)/progs/lib%.so: tests/progs/lib%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -fPIC -shared -fvisibility=hidden \
	    -o $@ $< $(LDFLAGS) -lssl -lcrypto

$(B)/progs/znow_%: tests/progs/%.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) -Wl,-z,now \
	    -lssl -lcrypto -ldl -pthread

# sslclient with OpenSSL linked in from libssl.a/libcrypto.a, as node
# carries it: exported (-rdynamic, hooked at the entries: t352) and not
# (hidden_sslclient: the honest "cannot hook").  nowx runs a program under
# a seccomp filter that refuses writable code (libseccomp).
# All of both archives, as node links them: the shim needs OpenSSL's
# helpers too (SSL_get_error, ERR_*, X509_*), which the client alone
# would not pull in.
OSSL_STATIC = -Wl,-Bstatic -Wl,--whole-archive -lssl -lcrypto \
    -Wl,--no-whole-archive -Wl,-Bdynamic
$(B)/progs/static_sslclient: tests/progs/sslclient.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -rdynamic -o $@ $< $(LDFLAGS) \
	    $(OSSL_STATIC) -ldl -pthread

$(B)/progs/exported_sslloop: tests/progs/sslloop.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -rdynamic -o $@ $< $(LDFLAGS) \
	    $(OSSL_STATIC) -ldl -pthread

$(B)/progs/hidden_sslclient: tests/progs/sslclient.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) \
	    $(OSSL_STATIC) -ldl -pthread

# ... and with a library whose constructor starts a thread first.
$(B)/progs/threaded_sslclient: tests/progs/sslclient.c \
    $(B)/progs/libctorthread.so
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -rdynamic -o $@ $< $(LDFLAGS) \
	    -Wl,--no-as-needed $(B)/progs/libctorthread.so -Wl,--as-needed \
	    -Wl,-rpath,'$$ORIGIN' $(OSSL_STATIC) \
	    -ldl -pthread

# A shared object that carries OpenSSL inside and exports it, the
# libtlshelper.c client linked from libssl.a/libcrypto.a: with
# -Bsymbolic its own calls are direct (hooked at the entries, t353),
# without it they go through its GOT (reached by the preload, never
# entry-hooked).  embed_*_main run the client inside it;
# embed_sym_sslclient calls the object's OpenSSL from the executable.
$(B)/progs/libembed_sym.so: tests/progs/libtlshelper.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -fPIC -shared \
	    -Wl,-Bsymbolic -o $@ $< $(LDFLAGS) $(OSSL_STATIC) -ldl -pthread

$(B)/progs/libembed_pre.so: tests/progs/libtlshelper.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -fPIC -shared \
	    -o $@ $< $(LDFLAGS) $(OSSL_STATIC) -ldl -pthread

$(B)/progs/embed_%_main: tests/progs/embed_main.c $(B)/progs/libembed_%.so
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) \
	    -L$(B)/progs -lembed_$* -Wl,-rpath,'$$ORIGIN'

$(B)/progs/embed_sym_sslclient: tests/progs/sslclient.c \
    $(B)/progs/libembed_sym.so
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) \
	    -L$(B)/progs -lembed_sym -Wl,-rpath,'$$ORIGIN'

# ... and the client loop, for tlsdiag attach (t705).
$(B)/progs/embed_sym_sslloop: tests/progs/sslloop.c \
    $(B)/progs/libembed_sym.so
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) \
	    -L$(B)/progs -lembed_sym -Wl,-rpath,'$$ORIGIN'

$(B)/progs/nowx: tests/progs/nowx.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) -lseccomp

# The benchmark workload driver (bench/README.md), and the same with
# OpenSSL linked in and exported, for the entry hooks (bench/entry.sh).
$(B)/tlsbench: bench/tlsbench.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -o $@ $< $(LDFLAGS) -lssl -lcrypto

# The attach init made from inside the process, for callgrind (bench/shim.sh).
$(B)/attachself.so: bench/attachself.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -fPIC -shared -o $@ $< $(LDFLAGS) \
	    -ldl

$(B)/tlsbench-static: bench/tlsbench.c
	@mkdir -p $(@D)
	$(Q_CC)$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE -rdynamic -o $@ $< $(LDFLAGS) \
	    $(OSSL_STATIC) -ldl -pthread

# 'test' installs what is missing first, then runs everything in a fresh
# make so that pkg-config sees the newly installed packages.
test: deps
	@$(MAKE) --no-print-directory check
check: unit fuzz e2e
unit: $(UNIT_BINS) $(B)/tlsdiag
	@sh tests/run-unit.sh $(UNIT_BINS)
e2e: all $(PROG_BINS) $(B)/libtlsdiag-faults.so $(B)/tlsbench
	@BUILD=$(abspath $(B)) sh tests/e2e/run.sh

# Fuzzing with clang's libFuzzer (tests/fuzz): the analyzer's reader, the
# shim's JSON encoder and the report's scanner against cJSON, FUZZ_SECONDS
# each from the committed corpus.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
FUZZ_TARGETS = reader jsonw jscan
FUZZ_FLAGS = -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -D_GNU_SOURCE -Itests/fuzz $(WARN)
FUZZ_ANALYZER = $(filter-out analyzer/main.c,$(ANALYZER_SRCS)) $(COMMON_SRCS)
$(B)/fuzz/fuzz_reader: tests/fuzz/fuzz_reader.c tests/fuzz/textcheck.c \
    $(FUZZ_ANALYZER)
	@mkdir -p $(@D)
	$(Q_LD)$(FUZZ_CC) $(FUZZ_FLAGS) $(ANALYZER_CFLAGS) -o $@ $^ $(ANALYZER_LIBS)
$(B)/fuzz/fuzz_jsonw: tests/fuzz/fuzz_jsonw.c tests/fuzz/textcheck.c \
    shim/jsonw.c $(FUZZ_ANALYZER)
	@mkdir -p $(@D)
	$(Q_LD)$(FUZZ_CC) $(FUZZ_FLAGS) $(ANALYZER_CFLAGS) -o $@ $^ $(ANALYZER_LIBS)
$(B)/fuzz/fuzz_jscan: tests/fuzz/fuzz_jscan.c $(FUZZ_ANALYZER)
	@mkdir -p $(@D)
	$(Q_LD)$(FUZZ_CC) $(FUZZ_FLAGS) $(ANALYZER_CFLAGS) -o $@ $^ $(ANALYZER_LIBS)
fuzz: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(B)/fuzz $(FUZZ_TARGETS)

deps:
	@sh tools/deps.sh all

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tools/demo.sh

bench:
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory all $(PROG_BINS) $(B)/tlsbench \
	    $(B)/attachself.so $(B)/tlsbench-static
	@sh bench/run.sh

# ---------------------------------------------------------------------------
install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/tlsdiag \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	$(INSTALL) -m 755 $(B)/tlsdiag $(DESTDIR)$(BINDIR)/tlsdiag
	$(INSTALL) -m 644 $(B)/libtlsdiag.so $(DESTDIR)$(LIBDIR)/tlsdiag/libtlsdiag.so
	$(INSTALL) -m 644 $(B)/tlsdiag-node.js \
	    $(DESTDIR)$(LIBDIR)/tlsdiag/tlsdiag-node.js
	for m in doc/*.1; do if [ -f "$$m" ]; then \
	    $(INSTALL) -m 644 $$m $(DESTDIR)$(MANDIR)/man1/ || exit 1; fi; done
	for m in doc/*.7; do if [ -f "$$m" ]; then \
	    $(INSTALL) -m 644 $$m $(DESTDIR)$(MANDIR)/man7/ || exit 1; fi; done

# The Debian package, build/deb/tlsdiag_VERSION_ARCH.deb (debian/).
deb:
	@sh tools/deps.sh deb
	@sh tools/deb.sh

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tlsdiag
	rm -rf $(DESTDIR)$(LIBDIR)/tlsdiag
	for m in doc/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#doc/}; done
	for m in doc/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${m#doc/}; done

clean:
	rm -rf $(B)

HDRS = $(wildcard shim/*.h analyzer/*.h common/*.h)
hdr-check:
	@for h in $(HDRS); do \
	    echo '#include "'$$h'"' | $(CC) -std=c11 -D_GNU_SOURCE -I. -Ishim \
	    -Icommon -Ianalyzer $(WARN) -fsyntax-only -x c - || exit 1; done

# The files .clang-format governs; 'style' rewrites them, 'style-check'
# (run by .ci/run) fails if any would change.
STYLE_SRCS = $(wildcard shim/*.[ch] analyzer/*.[ch] common/*.[ch] \
    tests/unit/*.c tests/progs/*.c tests/fuzz/*.[ch] bench/*.c)
CLANG_FORMAT ?= clang-format
style:
	$(CLANG_FORMAT) -i $(STYLE_SRCS)
style-check:
	$(CLANG_FORMAT) --dry-run --Werror $(STYLE_SRCS)

# The unit and end-to-end suites with everything built under ASan and
# UBSan (the fuzzers already are).  Hosts not built with ASan (python,
# node) get its runtime preloaded first (TLSDIAG_ASAN_PRELOAD, lib.sh;
# curl cannot, see SHIM_P11 there); their own leaks are not ours to
# report.  Any sanitizer report fails.  (The analyzer's valgrind run,
# t670, is in 'test': valgrind cannot run ASan binaries.)
asan: deps
	@rt=$$($(CC) -print-file-name=libasan.so); [ -f "$$rt" ] || \
	    { echo "asan: $(CC) has no ASan runtime (libasan.so)" >&2; \
	    exit 1; }; \
	ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    TLSDIAG_ASAN_PRELOAD="$$rt" \
	    $(MAKE) --no-print-directory B=build-asan \
	    OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer' \
	    LDFLAGS='-fsanitize=address,undefined' ANALYZER_LTO= unit e2e

-include $(shell find $(B) -path $(B)/deb -prune -o -name '*.d' -type f \
    -print 2>/dev/null)
