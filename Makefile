# Builds, installs and tests libvirt_esx. `make demo` and `make test` are README's two commands.
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include/libvirt_esx
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
PROFILE ?= release
CARGO_FLAGS := $(if $(filter release,$(PROFILE)),--release,)
TARGET := target/$(PROFILE)
BUILD := build

.PHONY: all lib cli man deps sim uninstalled-pc install demo test clean wheel python-abi asan-test soak fuzz dropin deb docs

all: lib cli man uninstalled-pc

deps:
	./tools/install-deps.sh

lib:
	cargo build $(CARGO_FLAGS) --lib
	ln -sf libvirt_esx.so $(TARGET)/libvirt_esx.so.0

# The command line, $(TARGET)/virsh-esx.
cli:
	cargo build $(CARGO_FLAGS) -p virsh-esx

# The command line's man page, generated from its own help (its command table).
man: cli
	mkdir -p $(BUILD)
	python3 tools/gen_man.py $(TARGET)/virsh-esx > $(BUILD)/virsh-esx.1

sim:
	./tools/vcsim/build.sh

# A .pc that points into the build tree, for tests and examples.
uninstalled-pc: lib
	mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(CURDIR)|' -e 's|@LIBDIR@|$(CURDIR)/$(TARGET)|' \
	    -e 's|@INCLUDEDIR@|$(CURDIR)/include|' -e 's|@VERSION@|$(VERSION)|' \
	    pkgconfig/libvirt_esx.pc.in > $(BUILD)/libvirt_esx.pc

# The binary drop-in build/dropin/libvirt.so.0 (soname libvirt.so.0, libvirt's version nodes) and
# its companions libvirt-qemu.so.0 and libvirt-lxc.so.0.
dropin:
	PROFILE=$(PROFILE) ./tools/dropin.sh

install: lib cli man dropin
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/libvirt_esx/bin
	install -m 0755 $(TARGET)/virsh-esx $(DESTDIR)$(PREFIX)/bin/virsh-esx
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 0644 $(BUILD)/virsh-esx.1 $(DESTDIR)$(PREFIX)/share/man/man1/virsh-esx.1
	install -m 0644 cli/share/virsh-esx.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/virsh-esx
	# `virsh` by name, for scripts run with this directory first on PATH.
	ln -sf ../../../bin/virsh-esx $(DESTDIR)$(PREFIX)/libexec/libvirt_esx/bin/virsh
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/libvirt
	install -m 0755 $(TARGET)/libvirt_esx.so $(DESTDIR)$(LIBDIR)/libvirt_esx.so.$(VERSION)
	ln -sf libvirt_esx.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libvirt_esx.so.0
	ln -sf libvirt_esx.so.0 $(DESTDIR)$(LIBDIR)/libvirt_esx.so
	install -d $(DESTDIR)$(LIBDIR)/libvirt_esx
	install -m 0755 $(BUILD)/dropin/libvirt.so.0 $(BUILD)/dropin/libvirt-qemu.so.0 \
	    $(BUILD)/dropin/libvirt-lxc.so.0 $(DESTDIR)$(LIBDIR)/libvirt_esx/
	install -m 0644 include/libvirt_esx.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 include/libvirt/libvirt.h include/libvirt/virterror.h $(DESTDIR)$(INCLUDEDIR)/libvirt/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' pkgconfig/libvirt_esx.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/libvirt_esx.pc

# The browsable reference, build/docs/index.html: the C API by family (from the header's doc
# comments), the Rust crate's docs, the Python package's docstrings, virsh-esx(1).
docs: lib man
	python3 tools/gen_docs.py
	cargo doc -p esx_driver --no-deps
	rm -rf $(BUILD)/docs/rust && cp -r target/doc $(BUILD)/docs/rust
	rm -rf $(BUILD)/docs/python && mkdir -p $(BUILD)/docs/python
	cd $(BUILD)/docs/python && LIBVIRT_ESX_LIBRARY=$(CURDIR)/$(TARGET)/libvirt_esx.so \
	    PYTHONPATH=$(CURDIR)/python python3 -m pydoc -w libvirt_esx \
	    $$(cd $(CURDIR)/python && ls libvirt_esx/*.py | sed 's|/|.|; s|\.py$$||' | grep -v __init__) >/dev/null

# The Debian packages, into build/deb (dpkg-buildpackage -b; lintian errors fail).
deb:
	PROFILE=$(PROFILE) ./tools/deb.sh

# The C tests built with AddressSanitizer and UBSan (also a step of `make test`).
asan-test: deps
	./tools/asan-test.sh

# 16 threads on one connection and 16 reconnecting, SOAK_SECONDS long (default 60).
soak: deps sim
	cargo test --release --test soak -- --ignored --nocapture

# The Python package's wheel (the library inside), tagged manylinux, into build/wheels.
wheel:
	./tools/wheel.sh

# Regenerates python/libvirt_esx/_abi.py from the header (a test fails when it is stale).
python-abi:
	python3 tools/gen_python_abi.py

demo: deps all sim
	./tools/demo.sh

test: deps
	./tools/test.sh

# Coverage-guided fuzzing on the stable toolchain (fuzz/README.md): every target for
# FUZZ_SECONDS, one after another; fails on the first crash. Not part of `make test`.
# The long run: `make fuzz FUZZ_RUNS=10000000` runs each target for that many inputs instead.
FUZZ_SECONDS ?= 20
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) ./fuzz/run.sh

clean:
	cargo clean
	rm -rf $(BUILD) python/build python/*.egg-info python/libvirt_esx/_native*
