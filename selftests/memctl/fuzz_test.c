// SPDX-License-Identifier: GPL-2.0-only
/*
 * A seeded netlink fuzzer for the memctl family (issue 8, item 3).
 *
 * Sends a fixed number of messages (FUZZ_MSGS, default 20000; FUZZ_SEED,
 * default below) from FUZZ_PROCS concurrent senders (default 4), each its
 * own socket: every command (GET_INFO..TIER_NTF and out-of-range ones),
 * valid and mutated attributes (wrong types, wrong and zero lengths,
 * truncated, oversize, unterminated and embedded-NUL strings, NLA_F_NESTED
 * where no nest is expected, deep and broken nests, duplicates, random
 * bytes, bit flips), bad nlmsg_len, bad genl versions, random flags and
 * NLM_F_DUMP on every command, and huge dumps (300 extra policies exist
 * while it runs).
 *
 * What it must not do, and does not: state-changing messages (POLICY_SET,
 * POLICY_DEL, RECLAIM) are sent only when every cgroup they could name is
 * one of the test's own cgroups under /fuzz; RECLAIM asks for at most
 * 64 MiB; TIER_SET asks for at most 64 MiB and the tier is deleted after;
 * tier commands are not sent at all if a tier existed before the test.
 * nlmsg_type is only ever the memctl family or a netlink control type, so no
 * other generic netlink family receives anything.
 *
 * Every reply must be well formed (lengths, errno in range).  After the
 * fuzzing, the module must still answer GET_INFO correctly, a normal
 * set/get/del round trip must work, every policy left in the table must be
 * one of the fuzzer's (or one that existed before) with its fields in range,
 * and NR_POLICIES must match the dump.  The VM runner fails the run on any
 * kernel splat; the debug kernel's kmemleak scan catches leaks.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "cgutil.h"
#include "nltest.h"
#include "kselftest_harness.h"

#define MiB (1ULL << 20)
#define FUZZ_TOP "/fuzz"
#define NR_SMALL 5
#define NR_DUMP 300
#define NR_CG (NR_SMALL + NR_DUMP)
#define SAFE_BYTES (64 * MiB)

static const char *small_cgs[NR_SMALL] = {
	FUZZ_TOP "/a", FUZZ_TOP "/b", FUZZ_TOP "/c", FUZZ_TOP "/a/x",
	FUZZ_TOP "/a/x/y",
};

static char cg_path[NR_CG][64];
static uint64_t cg_ids[NR_CG];
static int tier_ok;
static int verbose;		/* FUZZ_VERBOSE=1: each message on stderr */		/* no tier before: we may create and delete one */

/* xorshift64*: the whole run is a function of the seed. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static void rnd_bytes(void *p, size_t len)
{
	unsigned char *c = p;

	while (len--)
		*c++ = rnd();
}

static uint64_t interesting_u64(void)
{
	static const uint64_t v[] = {
		0, 1, 4095, 4096, MiB - 1, MiB, MiB + 1, 64 * MiB,
		MEMCTL_HIGH_MAX, MEMCTL_HIGH_MAX + 1, MEMCTL_TIER_SIZE_MAX,
		MEMCTL_TIER_SIZE_MAX + 1, 1ULL << 63, ~0ULL, ~0ULL - 1,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
	};

	if (rn(4) == 0)
		return rnd();
	return v[rn(sizeof(v) / sizeof(v[0]))];
}

static uint32_t interesting_u32(void)
{
	static const uint32_t v[] = {
		0, 1, 2, 7, 8, 9, 10, 99, 100, 101, 1000, 1000000, 1000001,
		MEMCTL_INTERVAL_MAX, MEMCTL_INTERVAL_MAX + 1, 0x7fffffff,
		0x80000000, 0xffffffff,
	};

	if (rn(4) == 0)
		return rnd();
	return v[rn(sizeof(v) / sizeof(v[0]))];
}

static int cg_pick(void)
{
	/* Mostly the small set; sometimes one of the dump cgroups. */
	return rn(8) ? (int)rn(NR_SMALL) : NR_SMALL + (int)rn(NR_DUMP);
}

static void put_cgroup(struct nlt_msg *m, uint16_t path_t, uint16_t id_t)
{
	int i = cg_pick();

	switch (rn(4)) {
	case 0:
		nlt_put_u64(m, id_t, cg_ids[i]);
		break;
	case 1:
		nlt_put_str(m, path_t, cg_path[i]);
		nlt_put_u64(m, id_t, cg_ids[i]);
		break;
	case 2:	/* path and id of two different cgroups */
		nlt_put_str(m, path_t, cg_path[i]);
		nlt_put_u64(m, id_t, cg_ids[cg_pick()]);
		break;
	default:
		nlt_put_str(m, path_t, cg_path[i]);
	}
}

/* A string attribute, often broken. */
static void put_weird_str(struct nlt_msg *m, uint16_t t)
{
	static char s[MEMCTL_CGROUP_PATH_MAX + 512];
	size_t len;

	switch (rn(9)) {
	case 0:	/* empty */
		nlt_put(m, t, "", 1);
		break;
	case 1:	/* zero length */
		nlt_put(m, t, NULL, 0);
		break;
	case 2:	/* unterminated */
		len = 1 + rn(64);
		memset(s, 'a', len);
		nlt_put(m, t, s, len);
		break;
	case 3:	/* oversize, terminated: PATH_MAX - 1 .. PATH_MAX + 300 */
		len = MEMCTL_CGROUP_PATH_MAX - 2 + rn(300);
		memset(s, 'b', len);
		s[0] = '/';
		s[len] = 0;
		nlt_put(m, t, s, len + 1);
		break;
	case 4:	/* oversize, unterminated */
		len = MEMCTL_CGROUP_PATH_MAX + rn(400);
		memset(s, '/', len);
		nlt_put(m, t, s, len);
		break;
	case 5: {	/* path games */
		static const char *p[] = {
			"/", "//", "/..", "/fuzz/../fuzz/a", "/fuzz/a/", "fuzz/a",
			"/fuzz/./a", "/fuzz//a", "/nonexistent", "/fuzz/a\n",
			"/sys/fs/cgroup/fuzz/a", "..", ".",
		};
		nlt_put_str(m, t, p[rn(sizeof(p) / sizeof(p[0]))]);
		break;
	}
	case 6:	/* embedded NUL */
		nlt_put(m, t, "/fuzz/a\0/b", 11);
		break;
	case 7:	/* random bytes */
		len = rn(128);
		rnd_bytes(s, len);
		nlt_put(m, t, s, len);
		break;
	default:	/* an algorithm name, good or bad */
		{
			static const char *a[] = {
				"lz4", "zstd", "lzo-rle", "lzo", "lz4hc",
				"deflate", "LZ4", "lz4 ", "", "nosuchalgo",
				"0123456789abcdef", "0123456789abcde",
			};
			nlt_put_str(m, t, a[rn(sizeof(a) / sizeof(a[0]))]);
		}
	}
}

/* A valid (or nearly valid) request for @cmd. */
static void gen_valid(struct nlt_msg *m, uint8_t cmd)
{
	uint64_t high;

	switch (cmd) {
	case MEMCTL_CMD_POLICY_SET:
		put_cgroup(m, MEMCTL_A_POLICY_CGROUP_PATH,
			   MEMCTL_A_POLICY_CGROUP_ID);
		high = MiB * (1 + rn(1024));
		if (rn(8))
			nlt_put_u64(m, MEMCTL_A_POLICY_HIGH, high);
		if (rn(4))
			nlt_put_u64(m, MEMCTL_A_POLICY_TARGET,
				    rn(2) ? high / 2 : high + MiB);
		if (rn(2))
			nlt_put_u32(m, MEMCTL_A_POLICY_INTERVAL,
				    MEMCTL_INTERVAL_MIN + rn(10000));
		if (rn(2))
			nlt_put_u32(m, MEMCTL_A_POLICY_CLASSES, rn(9));
		if (rn(2))
			nlt_put_u32(m, MEMCTL_A_POLICY_SLAB_FIRST, rn(110));
		if (rn(3) == 0)
			nlt_put_u32(m, MEMCTL_A_POLICY_PRESSURE, rn(1100000));
		if (rn(3) == 0)
			nlt_put_u8(m, MEMCTL_A_POLICY_TIER, rn(3));
		if (rn(3) == 0)
			nlt_put_u64(m, MEMCTL_A_POLICY_TIER_MAX, rn(4) * MiB);
		break;
	case MEMCTL_CMD_POLICY_GET:
	case MEMCTL_CMD_POLICY_DEL:
		put_cgroup(m, MEMCTL_A_POLICY_CGROUP_PATH,
			   MEMCTL_A_POLICY_CGROUP_ID);
		break;
	case MEMCTL_CMD_STATS_GET:
		if (rn(4))
			put_cgroup(m, MEMCTL_A_STATS_CGROUP_PATH,
				   MEMCTL_A_STATS_CGROUP_ID);
		break;
	case MEMCTL_CMD_RECLAIM:
		put_cgroup(m, MEMCTL_A_RECLAIM_CGROUP_PATH,
			   MEMCTL_A_RECLAIM_CGROUP_ID);
		if (rn(8))
			nlt_put_u64(m, MEMCTL_A_RECLAIM_BYTES,
				    rn(2) ? 4096 * rn(1024) : interesting_u64());
		if (rn(2))
			nlt_put_u32(m, MEMCTL_A_RECLAIM_CLASSES, rn(9));
		break;
	case MEMCTL_CMD_TIER_SET:
		if (rn(8))
			nlt_put_u64(m, MEMCTL_A_TIER_SIZE,
				    rn(2) ? MiB * (1 + rn(8)) : interesting_u64());
		if (rn(2))
			put_weird_str(m, MEMCTL_A_TIER_ALGO);
		break;
	case MEMCTL_CMD_GET_INFO:
	case MEMCTL_CMD_TIER_GET:
	case MEMCTL_CMD_TIER_DEL:
		break;
	default:	/* notifications and unknown commands: anything */
		if (rn(2))
			nlt_put_u32(m, 1 + rn(20), rnd());
	}
}

/* A random attribute of a random type: wrong types, lengths and flags. */
static void put_random_attr(struct nlt_msg *m)
{
	unsigned char v[64];
	uint16_t t = rn(24);

	if (rn(8) == 0)
		t |= NLA_F_NET_BYTEORDER;
	switch (rn(6)) {
	case 0:
		nlt_put_u8(m, t, rnd());
		break;
	case 1:
		nlt_put_u32(m, t, interesting_u32());
		break;
	case 2:
		nlt_put_u64(m, t, interesting_u64());
		break;
	case 3:
		put_weird_str(m, t);
		break;
	case 4: {
		uint16_t len = rn(sizeof(v));

		rnd_bytes(v, len);
		nlt_put(m, t, v, len);
		break;
	}
	default:	/* a u16 where u32/u64 are expected */
		rnd_bytes(v, 2);
		nlt_put(m, t, v, 2);
	}
}

/* A nest of @depth levels around a valid-looking attribute. */
static void put_nest(struct nlt_msg *m, int depth, int broken)
{
	struct nlattr *outer[80];
	int i;

	if (depth > 80)
		depth = 80;
	for (i = 0; i < depth; i++) {
		outer[i] = nlt_put(m, (1 + rn(12)) | NLA_F_NESTED, NULL, 0);
		if (!outer[i]) {
			depth = i;
			break;
		}
	}
	put_random_attr(m);
	for (i = depth - 1; i >= 0; i--) {
		outer[i]->nla_len = (char *)m->buf + m->len - (char *)outer[i];
		if (broken && rn(depth) == 0)
			outer[i]->nla_len += rn(2) ? 4 + rn(64) : -(int)rn(8);
	}
}

/*
 * Only ever hand the kernel a state-changing request whose every cgroup
 * attribute names one of ours, whose reclaim size is small and whose tier
 * is small.  Walks the attributes exactly as the kernel would.  Returns
 * false if the message must not be sent.
 */
static bool is_ours_path(const char *s, size_t max)
{
	int i;

	if (!memchr(s, 0, max))
		return true;	/* unterminated: refused by the kernel */
	for (i = 0; i < NR_CG; i++)
		if (!strcmp(s, cg_path[i]))
			return true;
	return false;
}

static bool is_ours_id(uint64_t id)
{
	int i;

	for (i = 0; i < NR_CG; i++)
		if (cg_ids[i] == id)
			return true;
	return false;
}

static bool sanitize(char *buf, size_t sent)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	size_t end = nlh->nlmsg_len < sent ? nlh->nlmsg_len : sent;
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	uint8_t cmd;

	if (sent < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > sent || end < off)
		return true;	/* dropped or refused before any command */
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return true;	/* netlink control type: no family sees it */
	cmd = ((struct genlmsghdr *)(buf + NLMSG_HDRLEN))->cmd;
	switch (cmd) {
	case MEMCTL_CMD_POLICY_SET:
	case MEMCTL_CMD_POLICY_DEL:
	case MEMCTL_CMD_RECLAIM:
		break;
	case MEMCTL_CMD_TIER_SET:
	case MEMCTL_CMD_TIER_DEL:
		if (!tier_ok)
			return false;
		break;
	default:
		return true;
	}
	while (off + NLA_HDRLEN <= end) {
		struct nlattr *a = (struct nlattr *)(buf + off);
		size_t plen;
		char *p = buf + off + NLA_HDRLEN;
		uint64_t v;
		int t = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > end - off)
			break;
		plen = a->nla_len - NLA_HDRLEN;
		if (cmd == MEMCTL_CMD_TIER_SET) {
			if (t == MEMCTL_A_TIER_SIZE && plen >= 8) {
				memcpy(&v, p, 8);
				if (v > SAFE_BYTES) {
					v = MiB + v % SAFE_BYTES;
					memcpy(p, &v, 8);
				}
			}
		} else if (cmd != MEMCTL_CMD_TIER_DEL) {
			/* PATH and ID are 2 and 3 in the policy and reclaim sets */
			if (t == MEMCTL_A_POLICY_CGROUP_PATH && plen &&
			    !is_ours_path(p, plen))
				return false;
			if (t == MEMCTL_A_POLICY_CGROUP_ID && plen >= 8) {
				memcpy(&v, p, 8);
				if (!is_ours_id(v))
					return false;
			}
			if (cmd == MEMCTL_CMD_RECLAIM &&
			    t == MEMCTL_A_RECLAIM_BYTES && plen >= 8) {
				memcpy(&v, p, 8);
				if (v > SAFE_BYTES) {
					v %= SAFE_BYTES;
					memcpy(p, &v, 8);
				}
			}
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return true;
}

struct fuzz_stats {
	unsigned long sent, skipped, replies, errors, acks, dumps_parts;
	unsigned long nobufs, bad;
};

/* Reads every reply there is; a dump goes on while we read. */
static int drain(int fd, struct fuzz_stats *st)
{
	static char rbuf[4 * NLT_BUF];

	for (;;) {
		ssize_t len = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		struct nlmsghdr *nlh;

		if (len < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				st->nobufs++;
				continue;
			}
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			st->replies++;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)) ||
				    e->error > 0 || e->error < -4095) {
					st->bad++;
					fprintf(stderr, "# bad error reply %d\n",
						e->error);
				}
				if (e->error)
					st->errors++;
				else
					st->acks++;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				st->dumps_parts++;
			} else if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
				st->bad++;
				fprintf(stderr, "# short data reply %u\n",
					nlh->nlmsg_len);
			}
		}
		if (len) {
			st->bad++;
			fprintf(stderr, "# %zd trailing bytes in a reply\n", len);
		}
	}
}

/* One sender: @n messages from @seed on its own socket. */
static int fuzz_run(uint16_t family, uint64_t seed, unsigned long n,
		    struct fuzz_stats *st)
{
	static struct nlt_msg m;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlt nl;
	int err;

	err = nlt_open(&nl);
	if (err)
		return err;
	rng_state = seed ? seed : 1;
	memset(st, 0, sizeof(*st));
	while (st->sent < n) {
		uint8_t cmd;
		uint16_t flags = 0;
		size_t len;
		int i, k;

		if (rn(50) == 0)
			cmd = rn(2) ? 0 : MEMCTL_CMD_MAX + 1 + rn(255 - MEMCTL_CMD_MAX);
		else
			cmd = 1 + rn(MEMCTL_CMD_MAX);
		if (rn(4) == 0)
			flags |= NLM_F_DUMP;
		if (rn(16) == 0)
			flags |= rnd() & 0xfff;
		nlt_msg_init(&m, family, flags, cmd);
		if (rn(32) == 0)
			m.nlh.nlmsg_flags &= ~NLM_F_ACK;
		if (rn(32) == 0)
			m.nlh.nlmsg_flags &= ~NLM_F_REQUEST;
		if (rn(16) == 0)
			((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = rnd();
		if (rn(16) == 0)
			((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->reserved = rnd();
		if (rn(64) == 0)
			m.nlh.nlmsg_type = rn(NLMSG_MIN_TYPE);

		k = rn(16);
		if (k < 6) {
			gen_valid(&m, cmd);
		} else if (k < 9) {	/* valid plus random attributes */
			gen_valid(&m, cmd);
			for (i = rn(4); i >= 0; i--)
				put_random_attr(&m);
		} else if (k < 10) {	/* only random attributes */
			for (i = rn(8); i >= 0; i--)
				put_random_attr(&m);
		} else if (k < 11) {	/* nested where none is expected */
			gen_valid(&m, cmd);
			put_nest(&m, 1 + rn(3), 0);
		} else if (k < 12) {	/* deep and broken nests */
			put_nest(&m, 1 + rn(80), rn(2));
		} else if (k < 13) {	/* random bytes */
			len = rn(1024);
			rnd_bytes(m.buf + m.len, len);
			m.len += len;
		} else if (k < 14) {	/* valid, then bit flips */
			gen_valid(&m, cmd);
			for (i = rn(6); i >= 0 && m.len > NLMSG_HDRLEN + GENL_HDRLEN; i--) {
				size_t o = NLMSG_HDRLEN + GENL_HDRLEN +
					   rn(m.len - NLMSG_HDRLEN - GENL_HDRLEN);
				m.buf[o] ^= 1 << rn(8);
			}
		} else if (k < 15) {	/* duplicated attributes */
			gen_valid(&m, cmd);
			gen_valid(&m, cmd);
		} else {		/* valid, truncated */
			gen_valid(&m, cmd);
			if (m.len > NLMSG_HDRLEN + GENL_HDRLEN)
				m.len -= 1 + rn(m.len - NLMSG_HDRLEN - GENL_HDRLEN);
		}

		m.nlh.nlmsg_len = m.len;
		m.nlh.nlmsg_seq = ++nl.seq;
		len = m.len;
		if (rn(32) == 0) {	/* bad nlmsg_len */
			switch (rn(4)) {
			case 0:
				m.nlh.nlmsg_len = rn(NLMSG_HDRLEN + GENL_HDRLEN);
				break;
			case 1:
				m.nlh.nlmsg_len = m.len + 1 + rn(4096);
				break;
			case 2:
				m.nlh.nlmsg_len = rnd();
				break;
			default:	/* shorter: send only that much */
				m.nlh.nlmsg_len = NLMSG_HDRLEN + rn(m.len - NLMSG_HDRLEN + 1);
				len = m.nlh.nlmsg_len;
			}
		}
		if (!sanitize(m.buf, len)) {
			st->skipped++;
			continue;
		}
		if (verbose)
			fprintf(stderr, "# %lu: cmd %u flags 0x%x len %zu/%u\n",
				st->sent, m.buf[NLMSG_HDRLEN], m.nlh.nlmsg_flags,
				len, m.nlh.nlmsg_len);
		if (verbose > 1) {
			size_t o;

			for (o = NLMSG_HDRLEN; o < len; o++)
				fprintf(stderr, "%02x%s", (unsigned char)m.buf[o],
					(o - NLMSG_HDRLEN) % 32 == 31 ? "\n" : " ");
			fprintf(stderr, "\n");
		}
		if (sendto(nl.fd, m.buf, len, 0, (struct sockaddr *)&sa,
			   sizeof(sa)) < 0 && errno != ENOBUFS &&
		    errno != EMSGSIZE && errno != EINVAL) {
			err = -errno;
			break;
		}
		st->sent++;
		err = drain(nl.fd, st);
		if (err)
			break;
	}
	nlt_close(&nl);
	return err;
}

/* ---- checks after the fuzzing ---- */

struct info {
	char version[64];
	uint32_t features, nr, max;
};

static int info_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_INFO_MAX + 1];
	struct info *in = arg;

	nlt_parse(nlh, tb, MEMCTL_A_INFO_MAX);
	if (!tb[MEMCTL_A_INFO_VERSION] || !tb[MEMCTL_A_INFO_FEATURES] ||
	    !tb[MEMCTL_A_INFO_NR_POLICIES] || !tb[MEMCTL_A_INFO_MAX_POLICIES] ||
	    !tb[MEMCTL_A_INFO_KERNEL])
		return -EIO;
	snprintf(in->version, sizeof(in->version), "%.*s",
		 (int)(tb[MEMCTL_A_INFO_VERSION]->nla_len - NLA_HDRLEN),
		 (const char *)nlt_data(tb[MEMCTL_A_INFO_VERSION]));
	in->features = nlt_u32(tb[MEMCTL_A_INFO_FEATURES]);
	in->nr = nlt_u32(tb[MEMCTL_A_INFO_NR_POLICIES]);
	in->max = nlt_u32(tb[MEMCTL_A_INFO_MAX_POLICIES]);
	return 0;
}

static int get_info(struct nlt *nl, struct info *in)
{
	static struct nlt_msg m;

	memset(in, 0, sizeof(*in));
	nlt_msg_init(&m, nl->family, 0, MEMCTL_CMD_GET_INFO);
	return nlt_talk(nl, &m, info_cb, in);
}

struct dumpres {
	int n, foreign, out_of_range;
	char foreign_path[256];
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[MEMCTL_A_POLICY_MAX + 1];
	struct dumpres *d = arg;
	const char *path;
	uint64_t high, target;
	uint32_t interval, classes, slab;

	nlt_parse(nlh, tb, MEMCTL_A_POLICY_MAX);
	if (!tb[MEMCTL_A_POLICY_CGROUP_PATH] || !tb[MEMCTL_A_POLICY_CGROUP_ID] ||
	    !tb[MEMCTL_A_POLICY_HIGH] || !tb[MEMCTL_A_POLICY_TARGET] ||
	    !tb[MEMCTL_A_POLICY_INTERVAL] || !tb[MEMCTL_A_POLICY_CLASSES] ||
	    !tb[MEMCTL_A_POLICY_SLAB_FIRST])
		return -EIO;
	d->n++;
	path = nlt_data(tb[MEMCTL_A_POLICY_CGROUP_PATH]);
	if (strncmp(path, FUZZ_TOP "/", strlen(FUZZ_TOP) + 1)) {
		d->foreign++;
		snprintf(d->foreign_path, sizeof(d->foreign_path), "%s", path);
	}
	high = nlt_u64(tb[MEMCTL_A_POLICY_HIGH]);
	target = nlt_u64(tb[MEMCTL_A_POLICY_TARGET]);
	interval = nlt_u32(tb[MEMCTL_A_POLICY_INTERVAL]);
	classes = nlt_u32(tb[MEMCTL_A_POLICY_CLASSES]);
	slab = nlt_u32(tb[MEMCTL_A_POLICY_SLAB_FIRST]);
	if (high < MEMCTL_HIGH_MIN || high > MEMCTL_HIGH_MAX || target > high ||
	    interval < MEMCTL_INTERVAL_MIN || interval > MEMCTL_INTERVAL_MAX ||
	    !classes || classes > __MEMCTL_F_CLASS_ALL || slab > 100 ||
	    !is_ours_id(nlt_u64(tb[MEMCTL_A_POLICY_CGROUP_ID])))
		d->out_of_range++;
	return 0;
}

static int dump_policies(struct nlt *nl, struct dumpres *d)
{
	static struct nlt_msg m;
	int err, tries = 5;

	do {
		memset(d, 0, sizeof(*d));
		nlt_msg_init(&m, nl->family, NLM_F_DUMP, MEMCTL_CMD_POLICY_GET);
		err = nlt_talk(nl, &m, dump_cb, d);
	} while (err == -EINTR && --tries);
	return err;
}

static int simple(struct nlt *nl, uint8_t cmd, const char *cg, uint64_t high)
{
	static struct nlt_msg m;

	nlt_msg_init(&m, nl->family, 0, cmd);
	if (cg)
		nlt_put_str(&m, MEMCTL_A_POLICY_CGROUP_PATH, cg);
	if (high) {
		nlt_put_u64(&m, MEMCTL_A_POLICY_HIGH, high);
		nlt_put_u64(&m, MEMCTL_A_POLICY_TARGET, high / 2);
	}
	return nlt_talk(nl, &m, NULL, NULL);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

FIXTURE(fuzz) {
	struct nlt nl;
	struct dumpres before;
};

FIXTURE_SETUP(fuzz)
{
	struct info in;
	int i, err;

	if (geteuid())
		SKIP(return, "needs root");
	err = nlt_open(&self->nl);
	if (err == -ENOENT)
		SKIP(return, "the memctl module is not loaded");
	ASSERT_EQ(0, err);
	ASSERT_EQ(0, get_info(&self->nl, &in));
	/* The fuzzer's own cgroups: the table must hold only theirs after. */
	cg_destroy(FUZZ_TOP);
	ASSERT_EQ(0, cg_create(FUZZ_TOP, 1));
	ASSERT_EQ(0, cg_create(FUZZ_TOP "/d", 1));
	for (i = 0; i < NR_SMALL; i++) {
		snprintf(cg_path[i], sizeof(cg_path[i]), "%s", small_cgs[i]);
		ASSERT_EQ(0, cg_create(cg_path[i], i == 0 || i == 3));
	}
	for (i = 0; i < NR_DUMP; i++) {
		snprintf(cg_path[NR_SMALL + i], sizeof(cg_path[0]),
			 FUZZ_TOP "/d/p%03d", i);
		ASSERT_EQ(0, cg_create(cg_path[NR_SMALL + i], 0));
	}
	for (i = 0; i < NR_CG; i++) {
		cg_ids[i] = cg_id(cg_path[i]);
		ASSERT_NE(0, cg_ids[i]);
	}
	/* Huge dumps: a policy on each of the dump cgroups. */
	for (i = 0; i < NR_DUMP; i++)
		ASSERT_EQ(0, simple(&self->nl, MEMCTL_CMD_POLICY_SET,
				    cg_path[NR_SMALL + i], 64 * MiB));
	/* Tier commands only if there is no tier to disturb. */
	{
		static struct nlt_msg m;

		nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_TIER_GET);
		tier_ok = nlt_talk(&self->nl, &m, NULL, NULL) == -ENOENT;
	}
}

FIXTURE_TEARDOWN(fuzz)
{
	static struct nlt_msg m;

	if (tier_ok && self->nl.fd > 0) {
		nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_TIER_DEL);
		nlt_talk(&self->nl, &m, NULL, NULL);
	}
	cg_destroy(FUZZ_TOP);
	if (self->nl.fd > 0)
		nlt_close(&self->nl);
}

TEST_F_TIMEOUT(fuzz, seeded_messages, 1200)
{
	uint64_t seed = env_u64("FUZZ_SEED", 0x6d656d6374726cULL);
	unsigned long total = env_u64("FUZZ_MSGS", 20000);
	int procs = env_u64("FUZZ_PROCS", 4), i, status, failed = 0;
	struct fuzz_stats *st;
	struct timeval t0, t1;
	struct dumpres d;
	struct info in;
	static struct nlt_msg m;
	unsigned long sent = 0, skipped = 0, replies = 0, errs = 0, nobufs = 0;

	verbose = env_u64("FUZZ_VERBOSE", 0);
	if (procs < 1 || procs > 16)
		procs = 4;
	st = mmap(NULL, procs * sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	TH_LOG("seed 0x%llx, %lu messages, %d senders, tier commands %s",
	       (unsigned long long)seed, total, procs,
	       tier_ok ? "on" : "off (a tier exists)");
	gettimeofday(&t0, NULL);
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (!pid) {
			int err = fuzz_run(self->nl.family, seed + i * 0x9e3779b97f4a7c15ULL,
					   total / procs + (i < total % procs),
					   &st[i]);
			if (err)
				fprintf(stderr, "# sender %d: %s\n", i, strerror(-err));
			_exit(err || st[i].bad ? 1 : 0);
		}
	}
	for (i = 0; i < procs; i++) {
		ASSERT_GT(wait(&status), 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	gettimeofday(&t1, NULL);
	for (i = 0; i < procs; i++) {
		sent += st[i].sent;
		skipped += st[i].skipped;
		replies += st[i].replies;
		errs += st[i].errors;
		nobufs += st[i].nobufs;
	}
	TH_LOG("fuzzed: %lu messages sent (%lu unsafe ones not sent), %lu replies, %lu errors, %lu ENOBUFS, %.1f s",
	       sent, skipped, replies, errs, nobufs,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_usec - t0.tv_usec) / 1e6);
	printf("# fuzz: seed=0x%llx messages=%lu\n", (unsigned long long)seed, sent);
	EXPECT_EQ(0, failed);
	EXPECT_EQ(total, sent);

	/* The module still answers, correctly. */
	ASSERT_EQ(0, get_info(&self->nl, &in));
	EXPECT_STREQ(MEMCTL_VERSION, in.version);
	EXPECT_EQ(0, in.features & ~__MEMCTL_F_FEAT_ALL);
	/* The table holds the fuzzer's policies only, all of them sane. */
	ASSERT_EQ(0, dump_policies(&self->nl, &d));
	EXPECT_EQ(0, d.foreign) TH_LOG("foreign policy %s", d.foreign_path);
	EXPECT_EQ(0, d.out_of_range);
	EXPECT_EQ(in.nr, d.n);
	TH_LOG("%d policies survived the fuzzing", d.n);

	/* A normal round trip. */
	cg_create(FUZZ_TOP "/rt", 0);
	EXPECT_EQ(0, simple(&self->nl, MEMCTL_CMD_POLICY_SET, FUZZ_TOP "/rt", 32 * MiB));
	EXPECT_EQ(0, simple(&self->nl, MEMCTL_CMD_POLICY_GET, FUZZ_TOP "/rt", 0));
	EXPECT_EQ(0, simple(&self->nl, MEMCTL_CMD_POLICY_DEL, FUZZ_TOP "/rt", 0));
	EXPECT_EQ(-ENOENT, simple(&self->nl, MEMCTL_CMD_POLICY_GET, FUZZ_TOP "/rt", 0));

	/* Clean up: every policy of ours goes, then the tier if we made one. */
	for (i = 0; i < NR_CG; i++) {
		int err = simple(&self->nl, MEMCTL_CMD_POLICY_DEL, cg_path[i], 0);

		EXPECT_TRUE(err == 0 || err == -ENOENT);
	}
	ASSERT_EQ(0, dump_policies(&self->nl, &d));
	EXPECT_EQ(0, d.n);
	ASSERT_EQ(0, get_info(&self->nl, &in));
	EXPECT_EQ(0, in.nr);
	if (tier_ok) {
		nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_TIER_DEL);
		i = nlt_talk(&self->nl, &m, NULL, NULL);
		EXPECT_TRUE(i == 0 || i == -ENOENT);
		nlt_msg_init(&m, self->nl.family, 0, MEMCTL_CMD_TIER_GET);
		EXPECT_EQ(-ENOENT, nlt_talk(&self->nl, &m, NULL, NULL));
	}
	munmap(st, procs * sizeof(*st));
}

TEST_HARNESS_MAIN
