#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Proves that what memctl prints for machines is what its documentation
# promises, against the real module: the JSON of `stats`, `stats --totals`,
# `policy show`, `tier show` and `info` parses strictly and carries every
# documented key with its type; `stats --prometheus` passes a strict check
# of the text exposition format 0.0.4 (HELP and TYPE once before each
# family's samples, valid names, escaped label values, numeric values,
# counters named *_total), also for a cgroup whose name holds a double
# quote, a backslash and a tab; `-o FILE` replaces the file atomically;
# `--watch` repeats snapshots until SIGINT/SIGTERM and exits 0; the table
# shows a TOTAL line that counts nested cgroups once, the tier and the
# module.  The checker (fmtcheck) is shown to refuse bad input first, so
# that a pass means something.
set -eu

top=/sys/fs/cgroup/memctl-fmt-test
cg=/memctl-fmt-test
weird="$cg/$(printf 'we"i\\rd\tx')"	# we"i\rd<tab>x (cgroupfs refuses '\n')
tmp=$(mktemp -d /tmp/memctl-fmt.XXXXXX)
made_tier=0
watch_pid=

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null || true
	for p in "$weird" "$cg/a/b" "$cg/a"; do
		memctl policy del "$p" 2>/dev/null || true
	done
	[ "$made_tier" = 1 ] && memctl tier del 2>/dev/null || true
	rmdir "$top/a/b" "$top/a" "/sys/fs/cgroup$weird" "$top" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

command -v fmtcheck >/dev/null || fail "fmtcheck is not built (make selftests)"

# ---- the checker refuses what it must
refuses() {	# "MODE [ARGS]" PRINTF-FORMAT: the input must be refused
	# shellcheck disable=SC2059,SC2086
	if printf "$2" | fmtcheck $1 >/dev/null 2>&1; then
		fail "fmtcheck $1 accepted: $2"
	fi
}
refuses json '[1,]'
refuses json '{"a":1,"a":2}'
refuses json '{"a":01}'
refuses json '["\001"]'
refuses json '[1] [2]'
refuses "json [+].a" '[]'
refuses "json .a:string" '{"a":1}'
refuses "json -l .a" '{"a":1}\n\n'
refuses prom '# TYPE a gauge\na 1\n'
refuses prom '# HELP a A\na 1\n'
refuses prom '# HELP a A\n# TYPE a counter\na 1\n'
refuses prom '# HELP a A\n# TYPE a gauge\na{x="1",} 1\n'
refuses prom '# HELP a A\n# TYPE a gauge\na{x="\\q"} 1\n'
refuses prom '# HELP a A\n# TYPE a gauge\na{x="1"} one\n'
refuses prom '# HELP a A\n# TYPE a gauge\na 1\n# HELP b B\n# TYPE b gauge\nb 1\na 2\n'
refuses prom '# HELP a A\n# TYPE a gauge\n# HELP a A\na 1\n'
refuses prom '# HELP 1a A\n# TYPE 1a gauge\n1a 1\n'
refuses prom '# HELP a A\n# TYPE a gauge\na{__n="1"} 1\n'
refuses prom '# HELP a A\n# TYPE a gauge\na 1'
printf '# HELP a_total A\n# TYPE a_total counter\na_total{x="\\\\\\"\\n"} 1\n' |
	fmtcheck prom -f a_total || fail "fmtcheck refused a valid exposition"

# ---- a few cgroups with policies far above their usage
mkdir -p "$top/a/b" "/sys/fs/cgroup$weird"
echo +memory >"$top/cgroup.subtree_control"
echo +memory >"$top/a/cgroup.subtree_control"
for p in "$cg/a" "$cg/a/b" "$weird"; do
	memctl policy set "$p" high 1G target 512M
done
# something to count: a one-shot reclaim
memctl reclaim "$cg/a" 1M >/dev/null

if memctl -j info | grep -q '"tier"'; then
	if memctl tier set size 16M 2>"$tmp/err"; then
		made_tier=1
	elif ! grep -q "File exists" "$tmp/err"; then
		fail "tier set: $(cat "$tmp/err")"
	fi
fi

# ---- JSON
stats_keys='.:array [+].cgroup:string [+].id:integer [+].usage:integer
	[+].slab_reclaimable:integer [+].slab_unreclaimable:integer
	[+].file:integer [+].anon:integer [+].swap:integer [+].high:integer
	[+].target:integer [+].episodes:integer [+].steps:integer
	[+].reclaimed:object [+].reclaimed.slab:integer [+].reclaimed.file:integer
	[+].reclaimed.anon:integer [+].reclaim_time_ns:integer
	[+].shortfalls:integer [+].pressure_stops:integer [+].last_stop:string
	[+].last_freed:integer [+].last_duration_ns:integer [+].tier:object
	[+].tier.stored_pages:integer [+].tier.compressed_bytes:integer
	[+].tier.same_filled_pages:integer [+].tier.stores:integer
	[+].tier.loads:integer [+].tier.cap_stops:integer [+].tier.overage:integer'
memctl -j stats >"$tmp/stats.json"
# shellcheck disable=SC2086
fmtcheck json $stats_keys <"$tmp/stats.json" || fail "memctl -j stats"
for p in "$cg/a" "$cg/a/b"; do
	grep -qF "\"cgroup\":\"$p\"," "$tmp/stats.json" || fail "$p not in stats"
done
grep -qF '"cgroup":"/memctl-fmt-test/we\"i\\rd\u0009x",' "$tmp/stats.json" ||
	fail "the odd cgroup name is not escaped in JSON: $(cat "$tmp/stats.json")"
rows=$(grep -o '"cgroup":' "$tmp/stats.json" | wc -l)

# one cgroup: the same shape, an array of one
memctl -j stats "$cg/a" >"$tmp/one.json"
# shellcheck disable=SC2086
fmtcheck json $stats_keys '[1]' <"$tmp/one.json" 2>/dev/null &&
	fail "stats CGROUP gave more than one object"
# shellcheck disable=SC2086
fmtcheck json $stats_keys <"$tmp/one.json" || fail "memctl -j stats CGROUP"
[ "$(fmtcheck json -p '[0].cgroup' <"$tmp/one.json")" = "$cg/a" ] ||
	fail "stats CGROUP names another cgroup"
[ "$(fmtcheck json -p '[0].reclaimed' <"$tmp/one.json")" != "" ] ||
	fail "no reclaimed object"

memctl -j stats --totals >"$tmp/totals.json"
fmtcheck json .cgroups:integer .top_level_cgroups:integer .total:object \
	.total.usage:integer .total.slab_reclaimable:integer \
	.total.file:integer .total.anon:integer .total.swap:integer \
	.total.episodes:integer .total.reclaimed.slab:integer \
	.total.reclaimed.file:integer .total.reclaimed.anon:integer \
	.total.reclaim_time_ns:integer .total.tier.stored_pages:integer \
	.total.tier.compressed_bytes:integer .tier:object\|null \
	.module.version:string .module.kernel:string \
	.module.policies:integer .module.max_policies:integer \
	<"$tmp/totals.json" || fail "memctl -j stats --totals"
[ "$(fmtcheck json -p .cgroups <"$tmp/totals.json")" = "$rows" ] ||
	fail "totals: cgroups is not the number of rows ($rows)"
# /a/b is under /a: its holdings are in /a's already
[ "$(fmtcheck json -p .top_level_cgroups <"$tmp/totals.json")" = $((rows - 1)) ] ||
	fail "totals: nested cgroups counted as top-level: $(cat "$tmp/totals.json")"
if [ "$made_tier" = 1 ]; then
	fmtcheck json .tier.device:string .tier.pool_bytes:integer <"$tmp/totals.json" ||
		fail "totals: no tier"
fi

memctl -j policy show | fmtcheck json .:array '[+].cgroup:string' \
	'[+].id:integer' '[+].high:integer' '[+].target:integer' \
	'[+].interval_ms:integer' '[+].classes:array' '[+].slab_first:integer' \
	'[+].pressure_us:integer' '[+].tier:bool|null' '[+].tier_max:integer' ||
	fail "memctl -j policy show"
memctl -j info | fmtcheck json .module:string .kernel:string .features:array \
	'.features[+]:string' .classes:array .policies:integer \
	.max_policies:integer || fail "memctl -j info"
if memctl -j tier show >"$tmp/tier.json" 2>/dev/null; then
	fmtcheck json .device:string .path:string .size:integer .algo:string \
		.in_use:bool .stored_pages:integer .compressed_bytes:integer \
		.pool_bytes:integer .same_filled_pages:integer .huge_pages:integer \
		.stores:integer .loads:integer .failed_stores:integer \
		.failed_loads:integer .discards:integer <"$tmp/tier.json" ||
		fail "memctl -j tier show"
fi

# ---- Prometheus
families='memctl_usage_bytes memctl_slab_reclaimable_bytes
	memctl_slab_unreclaimable_bytes memctl_file_bytes memctl_anon_bytes
	memctl_swap_bytes memctl_high_bytes memctl_target_bytes
	memctl_reclaim_episodes_total memctl_reclaim_steps_total
	memctl_reclaimed_bytes_total memctl_reclaim_seconds_total
	memctl_reclaim_shortfalls_total memctl_reclaim_pressure_stops_total
	memctl_reclaim_last_freed_bytes memctl_reclaim_last_duration_seconds
	memctl_cgroup_tier_stored_pages memctl_cgroup_tier_compressed_bytes
	memctl_cgroup_tier_same_filled_pages memctl_cgroup_tier_stores_total
	memctl_cgroup_tier_loads_total memctl_cgroup_tier_cap_stops_total
	memctl_cgroup_tier_overage_bytes memctl_info memctl_policies
	memctl_policies_max memctl_tier_present'
tier_families='memctl_tier_info memctl_tier_size_bytes memctl_tier_in_use
	memctl_tier_stored_pages memctl_tier_compressed_bytes
	memctl_tier_pool_bytes memctl_tier_same_filled_pages
	memctl_tier_huge_pages memctl_tier_stores_total memctl_tier_loads_total
	memctl_tier_failed_stores_total memctl_tier_failed_loads_total
	memctl_tier_discards_total'
want=
for f in $families; do want="$want -f $f"; done
if memctl -j tier show >/dev/null 2>&1; then
	for f in $tier_families; do want="$want -f $f"; done
fi
memctl stats --prometheus >"$tmp/m.prom"
# shellcheck disable=SC2086
fmtcheck prom $want <"$tmp/m.prom" || fail "memctl stats --prometheus"
grep -qF "memctl_usage_bytes{cgroup=\"/memctl-fmt-test/we\\\"i\\\\rd$(printf '\t')x\",id=\"" "$tmp/m.prom" ||
	fail "the odd cgroup name is not escaped in the exposition"
grep -qF "memctl_reclaimed_bytes_total{cgroup=\"$cg/a/b\",id=\"" "$tmp/m.prom" ||
	fail "no reclaimed bytes of $cg/a/b"
grep -q '^memctl_info{version="[^"]*",kernel="[^"]*"} 1$' "$tmp/m.prom" ||
	fail "no memctl_info"
grep -q "^memctl_policies $(memctl -j info | fmtcheck json -p .policies)\$" "$tmp/m.prom" ||
	fail "memctl_policies is not info's policies"
# one cgroup: its families and the module's
memctl stats --prometheus "$cg/a" | fmtcheck prom -f memctl_usage_bytes \
	-f memctl_policies || fail "stats --prometheus CGROUP"

# -o: replaced whole, readable by others, no temporary left behind
echo stale >"$tmp/out.prom"
memctl stats --prometheus -o "$tmp/out.prom"
fmtcheck prom -f memctl_usage_bytes <"$tmp/out.prom" || fail "-o FILE"
[ "$(stat -c %a "$tmp/out.prom")" = 644 ] || fail "-o FILE is not 0644"
set -- "$tmp"/out.prom*
[ $# = 1 ] || fail "-o left a temporary file: $*"

# ---- the table
memctl stats >"$tmp/table"
grep -q '^CGROUP  *ID  *USAGE' "$tmp/table" || fail "no table header"
grep -q '^TOTAL  *-  ' "$tmp/table" || fail "no TOTAL line"
grep -q '^tier    ' "$tmp/table" || fail "no tier line"
grep -q "^module  memctl .*, [0-9]* of [0-9]* policies\$" "$tmp/table" ||
	fail "no module line"
grep -qF '/memctl-fmt-test/we"i\rd?x ' "$tmp/table" ||
	fail "the odd cgroup name breaks the table: $(cat "$tmp/table")"
memctl stats --totals | grep -q "^$cg" && fail "--totals printed cgroups"

# ---- --watch: until SIGINT or SIGTERM, exit 0
watch_for() {	# SIGNAL OUTPUT ARGS...
	sig=$1 out=$2
	shift 2
	memctl "$@" >"$out" &
	watch_pid=$!
	sleep 2
	kill -"$sig" "$watch_pid"
	rc=0
	wait "$watch_pid" || rc=$?
	watch_pid=
	[ "$rc" = 0 ] || fail "memctl $* exited $rc on SIG$sig"
}
watch_for INT "$tmp/w.txt" stats --watch 0.3
[ "$(grep -c '^TOTAL ' "$tmp/w.txt")" -ge 2 ] || fail "--watch: fewer than 2 snapshots"
[ "$(grep -c '^memctl stats, every 300ms, ' "$tmp/w.txt")" -ge 2 ] ||
	fail "--watch: no header per snapshot"
[ "$(grep -c '^$' "$tmp/w.txt")" -ge 1 ] ||
	fail "--watch: snapshots not separated by a blank line"
grep -q "$(printf '\033')" "$tmp/w.txt" && fail "--watch wrote ANSI codes to a file"

watch_for TERM "$tmp/w.json" -j stats --watch 300ms
[ "$(wc -l <"$tmp/w.json")" -ge 2 ] || fail "-j --watch: fewer than 2 lines"
# shellcheck disable=SC2086
fmtcheck json -l $stats_keys <"$tmp/w.json" || fail "-j --watch: not JSON lines"

watch_for INT "$tmp/w.prom" stats --prometheus --watch 0.3
fmtcheck prom <"$tmp/w.prom" >/dev/null 2>&1 &&
	fail "the checker took repeated snapshots for one exposition"
# split at the blank lines: each part is one whole exposition
n=1
: >"$tmp/w.prom.1"
while IFS= read -r line; do
	if [ -z "$line" ]; then
		n=$((n + 1))
		: >"$tmp/w.prom.$n"
	else
		printf '%s\n' "$line" >>"$tmp/w.prom.$n"
	fi
done <"$tmp/w.prom"
[ "$n" -ge 2 ] || fail "--prometheus --watch: fewer than 2 snapshots"
for f in "$tmp"/w.prom.*; do
	fmtcheck prom -f memctl_usage_bytes <"$f" || fail "--watch snapshot $f"
done

echo "stats formats: ok"
