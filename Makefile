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

.PHONY: all deps kmod lib cli selftests bpf kernel-src check check-native \
	check-vm demo clean help

all: deps kmod lib cli selftests bpf

help:
	@echo "make          build the module, libmemctl, the CLI and the selftests"
	@echo "make deps     install the Debian packages the build and tests need"
	@echo "make check    native tests, static checks, then the VM suite"
	@echo "make demo     boot the VM and show memctl at work"
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

# Files taken from Debian's linux-source-6.1 at build time, never copied
# into the repository: the kselftest harness and checkpatch.
kernel-src: deps
	$(Q)tools/kernel-src

selftests: lib kernel-src
	$(Q)$(MAKE) -C selftests/memctl

# memctl-top: libbpf CO-RE, types from the VM kernel's BTF.
bpf: deps
	$(Q)$(MAKE) -C tools/bpf

check: all
	$(Q)tools/check

check-native: all
	$(Q)tools/check --native

check-vm: all
	$(Q)tools/check --vm

demo: all
	$(Q)tools/demo

clean:
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1 || true
	$(Q)$(MAKE) -C libmemctl clean
	$(Q)$(MAKE) -C tools/memctl clean
	$(Q)$(MAKE) -C selftests/memctl clean
	$(Q)$(MAKE) -C tools/bpf clean
	$(Q)rm -rf build
