/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tier's zsmalloc glue: allocate, write and read an object the way
 * this kernel's zsmalloc offers it.
 *
 * - zs_malloc() gained the preferred NUMA node of a new zspage
 *   (MEMCTL_HAVE_ZS_MALLOC_NID); older kernels ignore @nid.
 * - zs_map_object()/zs_unmap_object() gave way to zs_obj_write() and
 *   zs_obj_read_begin()/zs_obj_read_end() (MEMCTL_HAVE_ZS_OBJ_RW), which
 *   copy an object that spans two pages into the caller's buffer; then the
 *   read calls gained the object's length (MEMCTL_HAVE_ZS_OBJ_READ_LEN).
 *
 * memctl_zs_read_begin() returns the object's bytes, valid until
 * memctl_zs_read_end(); @buf (at least @len bytes) may hold them.  No
 * sleeping in between.
 */
#ifndef _MEMCTL_TIER_ZS_H
#define _MEMCTL_TIER_ZS_H

#include <linux/string.h>
#include <linux/zsmalloc.h>

static inline unsigned long memctl_zs_malloc(struct zs_pool *pool,
					     size_t size, gfp_t gfp, int nid)
{
#ifdef MEMCTL_HAVE_ZS_MALLOC_NID
	return zs_malloc(pool, size, gfp, nid);
#else
	return zs_malloc(pool, size, gfp);
#endif
}

#ifdef MEMCTL_HAVE_ZS_OBJ_RW

static inline void memctl_zs_write(struct zs_pool *pool, unsigned long handle,
				   const void *src, size_t len)
{
	zs_obj_write(pool, handle, (void *)src, len);
}

static inline const void *memctl_zs_read_begin(struct zs_pool *pool,
					       unsigned long handle,
					       size_t len, void *buf)
{
#ifdef MEMCTL_HAVE_ZS_OBJ_READ_LEN
	return zs_obj_read_begin(pool, handle, len, buf);
#else
	return zs_obj_read_begin(pool, handle, buf);
#endif
}

static inline void memctl_zs_read_end(struct zs_pool *pool,
				      unsigned long handle, size_t len,
				      const void *mem)
{
#ifdef MEMCTL_HAVE_ZS_OBJ_READ_LEN
	zs_obj_read_end(pool, handle, len, (void *)mem);
#else
	zs_obj_read_end(pool, handle, (void *)mem);
#endif
}

#else /* !MEMCTL_HAVE_ZS_OBJ_RW */

static inline void memctl_zs_write(struct zs_pool *pool, unsigned long handle,
				   const void *src, size_t len)
{
	void *dst = zs_map_object(pool, handle, ZS_MM_WO);

	memcpy(dst, src, len);
	zs_unmap_object(pool, handle);
}

static inline const void *memctl_zs_read_begin(struct zs_pool *pool,
					       unsigned long handle,
					       size_t len, void *buf)
{
	return zs_map_object(pool, handle, ZS_MM_RO);
}

static inline void memctl_zs_read_end(struct zs_pool *pool,
				      unsigned long handle, size_t len,
				      const void *mem)
{
	zs_unmap_object(pool, handle);
}

#endif /* MEMCTL_HAVE_ZS_OBJ_RW */

#endif /* _MEMCTL_TIER_ZS_H */
