# SPDX-License-Identifier: GPL-2.0-only
#
# memctl: `make` builds everything, `make check` tests it (natively and in
# the VM), `make demo` shows it working.  V=1 for verbose output.

VERSION := $(shell cat VERSION)
KVER ?= $(shell tools/vm/kver)
KDIR ?= /lib/modules/$(KVER)/build

export VERSION KVER

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

.PHONY: all deps kmod lib cli memctld selftests bpf kernel-src check check-native \
	check-vm demo bench bench-progs debug-kernel check-debug stress clean help

all: deps kmod lib cli memctld selftests bpf bench-progs

help:
	@echo "make          build the module, libmemctl, the CLI and the selftests"
	@echo "make deps     install the Debian packages the build and tests need"
	@echo "make check    native tests, static checks, then the VM suite on each kernel"
	@echo "              (MEMCTL_KERNELS=\"6.1 6.12 7.2\", MEMCTL_CANARY=7.3; Documentation/testing.rst)"
	@echo "make demo     boot the VM and show memctl at work"
	@echo "make bench    benchmarks, memctl against its peers, in the VM (6.1, then"
	@echo "              tier and reclaim on MEMCTL_BENCH_KERNELS=\"6.12 7.2\")"
	@echo "make check-debug  the VM suite on a KASAN/lockdep/kmemleak kernel (builds it once)"
	@echo "make stress  the churn stress (STRESS_SECONDS=120)"
	@echo "variables:    KVER=$(KVER) KDIR=$(KDIR) V=1"

deps:
	$(Q)tools/deps

# The module builds with W=1 and every warning is an error here; DKMS and
# other out-of-tree builds leave MEMCTL_WERROR unset.
kmod: deps
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 MEMCTL_WERROR=y modules \
		$(if $(filter 1,$(V)),,2>&1 | grep -v '^Skipping BTF generation') ; \
		test -f kmod/memctl.ko

lib: deps
	$(Q)$(MAKE) -C libmemctl

cli: lib
	$(Q)$(MAKE) -C tools/memctl

# the node agent (tools/memctld), linked with libmemctl and libmicrohttpd
memctld: lib
	$(Q)$(MAKE) -C tools/memctld

# Files taken from Debian's linux-source-6.1 at build time, never copied
# into the repository: the kselftest harness and checkpatch.
kernel-src: deps
	$(Q)tools/kernel-src

selftests: lib kernel-src
	$(Q)$(MAKE) -C selftests/memctl

# memctl-top: libbpf CO-RE, types from the VM kernel's BTF.
bpf: deps
	$(Q)$(MAKE) -C tools/bpf

# MEMCTL_CHECK_DEBUG=1 (what .ci/run sets) adds the VM suite on the debug
# kernel, built first if need be, bounded by MEMCTL_CHECK_DEADLINE.
check: all
	$(Q)tools/check

check-native: all
	$(Q)tools/check --native

check-vm: all
	$(Q)tools/check --vm

# The debug kernel (KASAN, kmemleak, lockdep, UBSAN, fault injection), built
# from linux-source-6.1 and cached in /var/cache/memctl/debug-kernel; it is
# rebuilt only when its config changes.  check-debug runs the VM suite on
# it, unloads the module and fails on any kmemleak report.
debug-kernel: all
	$(Q)tools/vm/debug-kernel/build

check-debug: debug-kernel
	$(Q)tools/vm/debug-kernel/check

# The churn stress (not part of make check): STRESS_SECONDS of verified data
# through the tier (tierload, and stress-ng --vm --verify) under policy,
# cgroup, reclaim and unload churn.  STRESS_KERNEL=debug for the debug kernel.
STRESS_SECONDS ?= 120
STRESS_KERNEL ?= stock
STRESS_NG := $(shell command -v stress-ng 2>/dev/null)
stress: all
	$(Q)tools/vm/run --kernel $(STRESS_KERNEL) --mem 2G \
		--timeout $$(($(STRESS_SECONDS) + 600)) \
		--add $(CURDIR)/tools/stress --add $(CURDIR)/tools/bench/tierload \
		$(if $(STRESS_NG),--add $(STRESS_NG)) \
		-- $(CURDIR)/tools/stress/churn.sh $(STRESS_SECONDS)

demo: all
	$(Q)tools/demo

# Speed and memory figures, memctl side by side with its peers (one VM
# boot per part); tables, then "BENCH name value unit" lines.
bench: all
	$(Q)tools/bench/run

# The workload programs of the demo and the benchmarks.
bench-progs: lib
	$(Q)$(MAKE) -C tools/bench

clean:
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1 || true
	$(Q)$(MAKE) -C libmemctl clean
	$(Q)$(MAKE) -C tools/memctl clean
	$(Q)$(MAKE) -C tools/memctld clean
	$(Q)$(MAKE) -C selftests/memctl clean
	$(Q)$(MAKE) -C tools/bpf clean
	$(Q)$(MAKE) -C tools/bench clean
	$(Q)rm -rf build

# ---- install (see Documentation/admin-guide.rst, "Installing") -------------
# make install [DESTDIR=] [PREFIX=/usr/local]: the module into
# /lib/modules/$(KVER)/updates (then depmod, unless DESTDIR is set), the
# library, headers and pkg-config file, the CLI, the man pages, the systemd
# units, the examples, and /etc/memctl/policies.conf unless there is one.
# `make uninstall` with the same variables removes what install put there
# (the policy file only if it is still the shipped example).
PREFIX		?= /usr/local
SBINDIR		?= $(PREFIX)/sbin
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
MANDIR		?= $(PREFIX)/share/man
DOCDIR		?= $(PREFIX)/share/doc/memctl
SYSTEMDUNITDIR	?= $(PREFIX)/lib/systemd/system
SYSCONFDIR	?= /etc
MODDIR		?= /lib/modules/$(KVER)/updates
DKMS_SRCDIR	?= /usr/src/memctl-$(VERSION)
INSTALL		?= install

SUBDIRS_VARS	= DESTDIR=$(DESTDIR) PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) \
		  INCLUDEDIR=$(INCLUDEDIR) SBINDIR=$(SBINDIR)
MAN_PAGES	:= man8/memctl.8 man5/memctl.conf.5 man3/libmemctl.3 man8/memctld.8
UNITS		:= memctl.service memctl-apply.service memctl-apply.timer memctld.service
POLICY_FILE	:= $(DESTDIR)$(SYSCONFDIR)/memctl/policies.conf
# the module's sources, as DKMS builds them (memctl.mod.c and probes.h are
# generated; probe.sh writes probes.h from the headers of each kernel)
DKMS_FILES	:= Kbuild VERSION kmod/Kbuild kmod/probe.sh kmod/uapi/linux/memctl.h \
		   $(filter-out kmod/memctl.mod.c,$(wildcard kmod/*.c)) \
		   $(filter-out kmod/probes.h,$(wildcard kmod/*.h))
# the kernels DKMS builds for: every one whose headers are installed
DKMS_KERNELS	?= $(shell for d in /lib/modules/*/build; do \
			[ -f "$$d/Makefile" ] && basename "$${d%/build}"; done)

.PHONY: install uninstall dkms-src dkms-install dkms-kernels dkms-uninstall

install: kmod lib cli memctld
	$(Q)$(INSTALL) -d $(DESTDIR)$(MODDIR)
	$(Q)$(INSTALL) -m 0644 kmod/memctl.ko $(DESTDIR)$(MODDIR)/memctl.ko
	$(Q)if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi
	$(Q)$(MAKE) -s -C libmemctl install $(SUBDIRS_VARS) >/dev/null
	$(Q)$(MAKE) -s -C tools/memctl install $(SUBDIRS_VARS) >/dev/null
	$(Q)$(MAKE) -s -C tools/memctld install $(SUBDIRS_VARS) >/dev/null
	$(Q)$(INSTALL) -D -m 0644 tools/memctld/example-rules.conf \
		$(DESTDIR)$(DOCDIR)/memctld-rules.conf.example
	$(Q)if [ -x tools/bpf/memctl-top ]; then $(INSTALL) -m 0755 \
		tools/bpf/memctl-top $(DESTDIR)$(SBINDIR)/memctl-top; fi
	$(Q)for m in $(MAN_PAGES); do \
		$(INSTALL) -D -m 0644 Documentation/man/$${m#*/} \
			$(DESTDIR)$(MANDIR)/$$m || exit 1; done
	$(Q)$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR)
	$(Q)for u in $(UNITS); do \
		f=dist/$$u; [ -f $$f ] || f=dist/$$u.in; \
		[ -f $$f ] || f=tools/memctld/$$u; \
		sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
			$$f > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; done
	$(Q)$(INSTALL) -D -m 0644 dist/policies.conf.example \
		$(DESTDIR)$(DOCDIR)/policies.conf.example
	$(Q)$(INSTALL) -D -m 0644 dist/modprobe.d/memctl.conf \
		$(DESTDIR)$(DOCDIR)/modprobe.d/memctl.conf
	$(Q)$(INSTALL) -D -m 0644 dist/modules-load.d/memctl.conf \
		$(DESTDIR)$(DOCDIR)/modules-load.d/memctl.conf
	$(Q)$(INSTALL) -D -m 0644 Documentation/admin-guide.rst \
		$(DESTDIR)$(DOCDIR)/admin-guide.rst
	$(Q)if [ -e $(POLICY_FILE) ]; then \
		echo "install: keeping $(POLICY_FILE)"; else \
		$(INSTALL) -D -m 0644 dist/policies.conf.example $(POLICY_FILE); fi
	$(Q)if [ -z "$(DESTDIR)" ]; then ldconfig; fi

uninstall:
	$(Q)rm -f $(DESTDIR)$(MODDIR)/memctl.ko
	$(Q)rmdir $(DESTDIR)$(MODDIR) 2>/dev/null || true
	$(Q)if [ -z "$(DESTDIR)" ] && [ -d /lib/modules/$(KVER) ]; then \
		depmod -a $(KVER); fi
	$(Q)$(MAKE) -s -C libmemctl uninstall $(SUBDIRS_VARS) >/dev/null
	$(Q)$(MAKE) -s -C tools/memctl uninstall $(SUBDIRS_VARS) >/dev/null
	$(Q)$(MAKE) -s -C tools/memctld uninstall $(SUBDIRS_VARS) >/dev/null
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/memctl-top
	$(Q)rm -f $(addprefix $(DESTDIR)$(MANDIR)/,$(MAN_PAGES)) \
		$(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(UNITS))
	$(Q)rm -rf $(DESTDIR)$(DOCDIR)
	$(Q)if cmp -s dist/policies.conf.example $(POLICY_FILE); then \
		rm -f $(POLICY_FILE); \
	elif [ -e $(POLICY_FILE) ]; then \
		echo "uninstall: keeping $(POLICY_FILE): it was changed"; fi
	$(Q)rmdir $(DESTDIR)$(SYSCONFDIR)/memctl 2>/dev/null || true
	$(Q)if [ -z "$(DESTDIR)" ]; then ldconfig; fi

# The sources DKMS builds, with dkms.conf, into $(DESTDIR)$(DKMS_SRCDIR).
dkms-src:
	$(Q)rm -rf $(DESTDIR)$(DKMS_SRCDIR)
	$(Q)for f in $(DKMS_FILES); do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DKMS_SRCDIR)/$$f || exit 1; done
	$(Q)sed 's|@VERSION@|$(VERSION)|g' dkms.conf > $(DESTDIR)$(DKMS_SRCDIR)/dkms.conf

# Register with DKMS, build and install for every kernel whose headers are
# installed (DKMS_KERNELS: /lib/modules/*/build); later kernels get the
# module built by DKMS itself (AUTOINSTALL).  Each kernel is tried; the
# status is non-zero when one of them failed, and the failures are named.
dkms-install:
	$(Q)test -n "$(DKMS_KERNELS)" || \
		{ echo "dkms-install: no kernel headers in /lib/modules/*/build" >&2; exit 1; }
	$(Q)if dkms status -m memctl -v $(VERSION) | grep -q .; then \
		dkms remove -m memctl -v $(VERSION) --all; fi
	$(Q)$(MAKE) dkms-src DESTDIR= DKMS_SRCDIR=/usr/src/memctl-$(VERSION)
	$(Q)dkms add -m memctl -v $(VERSION)
	$(Q)failed=; for k in $(DKMS_KERNELS); do \
		echo "dkms-install: $$k"; \
		if dkms build -m memctl -v $(VERSION) -k $$k && \
		   dkms install -m memctl -v $(VERSION) -k $$k; then :; \
		else failed="$$failed $$k"; fi; done; \
	if [ -n "$$failed" ]; then \
		echo "dkms-install: the build failed for:$$failed" >&2; exit 1; fi

# The kernels dkms-install builds for.
dkms-kernels:
	@echo $(DKMS_KERNELS)

dkms-uninstall:
	$(Q)if dkms status -m memctl -v $(VERSION) | grep -q .; then \
		dkms remove -m memctl -v $(VERSION) --all; fi
	$(Q)rm -rf /usr/src/memctl-$(VERSION)
