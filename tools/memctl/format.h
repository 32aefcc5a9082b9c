/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sizes and times for people, as every memctl tool prints them: the CLI
 * and memctl-top (tools/bpf) compile this file.
 */
#ifndef MEMCTL_FORMAT_H
#define MEMCTL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* memctl_format_size(): "512", "64K", "1.5G"; @buf of MEMCTL_SIZE_STR_MAX. */
const char *fmt_size(uint64_t bytes, char *buf);
/* "950ns", "12.3us", "4.5ms", "2.50s" */
const char *fmt_ns(uint64_t ns, char *buf, size_t len);

#endif /* MEMCTL_FORMAT_H */
