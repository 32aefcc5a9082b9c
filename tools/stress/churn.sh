#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Churn stress (issue 8, item 4), run inside the VM; not part of make check:
#
#   tools/vm/run --mem 2G --timeout 900 --add $PWD/tools/stress \
#       --add $PWD/tools/bench/tierload [--add $(command -v stress-ng)] \
#       -- $PWD/tools/stress/churn.sh [SECONDS]
#
# Proves: for SECONDS (default 120), WORKERS processes (default 3), each in
# its own cgroup, push verified data through the compressed tier (tierload:
# fill 32 MiB of mixed pages, MADV_PAGEOUT all of it to /dev/memctl0, touch
# every page back and check it), and, when stress-ng is there, SNG_WORKERS
# cgroups (default 2) each run `stress-ng --vm 2 --vm-bytes 24M --vm-keep
# --verify` under memory.max 16M, so that the kernel's own reclaim pushes
# their pages through the tier and stress-ng checks every one it reads
# back (a mismatch fails it), while policies are set and deleted on
# their cgroups, cgroups are created and removed (with policies on them),
# one-shot reclaims of every class are issued, and `rmmod memctl` is
# attempted (it must fail while the tier is swapped on, and the module must
# stay).  Zero pages may come back wrong; the VM runner fails on any splat.
# Prints the bytes that went through the tier and were verified.
# Exit 0 pass, 4 skip, 1 fail.
set -eu

DURATION=${1:-120}
WORKERS=${WORKERS:-3}
SNG_WORKERS=${SNG_WORKERS:-2}
SIZE_MIB=${SIZE_MIB:-32}
CG=/sys/fs/cgroup/churn
TMP=$(mktemp -d)
here=$(dirname "$0")
TIERLOAD=${TIERLOAD:-}
for t in "$TIERLOAD" "$here/../bench/tierload" "$(command -v tierload || true)"; do
	[ -n "$t" ] && [ -x "$t" ] && { TIERLOAD=$t; break; }
done
[ -x "$TIERLOAD" ] || { echo "SKIP: no tierload (--add tools/bench/tierload)"; exit 4; }
SNG=$(command -v stress-ng || true)
[ -n "$SNG" ] || SNG_WORKERS=0
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 4; }
memctl info >/dev/null 2>&1 || { echo "SKIP: memctl is not loaded"; exit 4; }
if memctl tier show >/dev/null 2>&1; then
	echo "SKIP: a tier exists already"
	exit 4
fi

fail() { echo "FAIL: $*"; exit 1; }

pids=
cleanup() {
	touch "$TMP/stop"
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	for d in "$CG"/*/; do
		[ -d "$d" ] || continue
		while read -r p; do echo "$p" >/sys/fs/cgroup/cgroup.procs 2>/dev/null || true; done <"$d/cgroup.procs"
		memctl policy del "$d" >/dev/null 2>&1 || true
		rmdir "$d" 2>/dev/null || true
	done
	rmdir "$CG" 2>/dev/null || true
	swapoff /dev/memctl0 2>/dev/null || true
	memctl tier del >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT

memctl tier set size 256M algo lz4
mkswap /dev/memctl0 >/dev/null
swapon /dev/memctl0
mkdir -p "$CG"
echo +memory >"$CG/cgroup.subtree_control"
end=$(($(date +%s) + DURATION))
start=$(date +%s)

# The verifying workers.
w=1
while [ $w -le "$WORKERS" ]; do
	mkdir -p "$CG/w$w"
	sh -c '
		echo $$ >'"$CG/w$w"'/cgroup.procs || exit 1
		i=0
		while [ ! -e '"$TMP"'/stop ] && [ $(date +%s) -lt '"$end"' ]; do
			i=$((i + 1))
			if '"$TIERLOAD $SIZE_MIB"' $((i * 7 + '"$w"')) mixed true >>'"$TMP/w$w"'.log 2>&1; then
				:
			else
				echo "iteration $i exited $?" >>'"$TMP/w$w"'.fail
			fi
		done' &
	pids="$pids $!"
	w=$((w + 1))
done

# stress-ng's verifying VM stressors, squeezed into the tier by memory.max.
w=1
while [ $w -le "$SNG_WORKERS" ]; do
	mkdir -p "$CG/s$w"
	echo 16M >"$CG/s$w/memory.max"
	sh -c 'echo $$ >'"$CG/s$w"'/cgroup.procs || exit 1
		exec '"$SNG"' --vm 2 --vm-bytes 24M --vm-keep --verify \
			--timeout '"$DURATION"'s --metrics-brief --temp-path /tmp' \
		>"$TMP/s$w.out" 2>&1 || echo "stress-ng exited $?" >>"$TMP/s$w.fail" &
	pids="$pids $!"
	w=$((w + 1))
done
# What the tier stored for them, from each cgroup's own tier counter, read
# while they run (the counters go back to zero once their memory is freed).
if [ "$SNG_WORKERS" -gt 0 ]; then
	(
		while [ ! -e "$TMP/stop" ] && [ "$(date +%s)" -lt "$end" ]; do
			w=1
			while [ $w -le "$SNG_WORKERS" ]; do
				x=$(memctl -j stats /churn/s$w 2>/dev/null |
				    sed -n 's/.*"tier":{[^}]*"stores":\([0-9]*\).*/\1/p')
				[ -z "$x" ] || echo "$x" >"$TMP/s$w.stores"
				w=$((w + 1))
			done
			sleep 2
		done
	) &
	pids="$pids $!"
fi

# Policies set and deleted on the workers' cgroups.
(
	n=0
	while [ ! -e "$TMP/stop" ] && [ "$(date +%s)" -lt "$end" ]; do
		n=$((n + 1))
		w=$((n % WORKERS + 1))
		memctl policy set /churn/w$w high $((8 + n % 24))M target 4M \
			classes slab,file,anon tier on interval 50ms >/dev/null 2>&1 || true
		sleep 0.3
		[ $((n % 2)) = 0 ] && memctl policy del /churn/w$w >/dev/null 2>&1 || true
		echo $n >"$TMP/policies"
	done
) &
pids="$pids $!"

# Cgroups created and removed, with policies on them and a process inside.
(
	n=0
	while [ ! -e "$TMP/stop" ] && [ "$(date +%s)" -lt "$end" ]; do
		n=$((n + 1))
		d=$CG/tmp$n
		mkdir "$d"
		memctl policy set /churn/tmp$n high 2M target 1M >/dev/null 2>&1 || true
		sh -c "echo \$\$ >$d/cgroup.procs && head -c 4194304 /dev/urandom >/dev/null" || true
		[ $((n % 3)) = 0 ] && memctl policy del /churn/tmp$n >/dev/null 2>&1 || true
		rmdir "$d" || echo "rmdir $d failed" >>"$TMP/cg.fail"
		echo $n >"$TMP/cgroups"
	done
) &
pids="$pids $!"

# One-shot reclaims of every class.
(
	n=0
	while [ ! -e "$TMP/stop" ] && [ "$(date +%s)" -lt "$end" ]; do
		n=$((n + 1))
		w=$((n % WORKERS + 1))
		case $((n % 3)) in
		0) c=all ;; 1) c=anon ;; *) c=slab,file ;;
		esac
		memctl reclaim /churn/w$w 8M classes $c >/dev/null 2>&1 || true
		sleep 0.2
		echo $n >"$TMP/reclaims"
	done
) &
pids="$pids $!"

# Module unload attempts: must fail while swapped on.
(
	n=0
	while [ ! -e "$TMP/stop" ] && [ "$(date +%s)" -lt "$end" ]; do
		n=$((n + 1))
		if rmmod memctl >/dev/null 2>&1; then
			echo "rmmod memctl succeeded while the tier was swapped on" >>"$TMP/rmmod.fail"
			break
		fi
		grep -q '^memctl ' /proc/modules || { echo "memctl gone" >>"$TMP/rmmod.fail"; break; }
		sleep 2
		echo $n >"$TMP/rmmods"
	done
) &
pids="$pids $!"

wait
pids=
elapsed=$(($(date +%s) - start))

failed=0
for f in "$TMP"/*.fail; do
	[ -e "$f" ] || continue
	echo "FAIL: $f:"; cat "$f"
	failed=1
done
pages=0
kib=0
iters=0
for f in "$TMP"/w*.log; do
	[ -e "$f" ] || continue
	if grep -v '^pages ' "$f" | grep -q .; then
		echo "FAIL: unexpected output in $f:"; grep -v '^pages ' "$f" | head
		failed=1
	fi
	grep '^pages ' "$f" | grep -qv ' bad 0$' && { echo "FAIL: bad pages in $f"; failed=1; }
	for x in $(sed -n 's/^pages \([0-9]*\) .* swapped_kib \([0-9]*\) .*/\1:\2/p' "$f"); do
		pages=$((pages + ${x%:*}))
		kib=$((kib + ${x#*:}))
		iters=$((iters + 1))
	done
done
sng_ops=0
w=1
while [ $w -le "$SNG_WORKERS" ]; do
	f=$TMP/s$w.out
	if grep -qiE 'fail|error|corrupt' "$f"; then
		echo "FAIL: stress-ng $w:"; grep -iE 'fail|error|corrupt' "$f" | head
		failed=1
	fi
	# "vm  <bogo ops> <real s> ..." in the metrics
	n=$(sed -n 's/.*\] vm  *\([0-9][0-9]*\) .*/\1/p' "$f" | head -n 1)
	[ -n "$n" ] || { echo "FAIL: stress-ng $w printed no metrics:"; tail -n 5 "$f"; failed=1; n=0; }
	grep -q '] successful run completed' "$f" || { echo "FAIL: stress-ng $w did not complete:"; tail -n 5 "$f"; failed=1; }
	sng_ops=$((sng_ops + n))
	w=$((w + 1))
done
sng_stores=0
for w in $(seq 1 "$SNG_WORKERS"); do
	sng_stores=$((sng_stores + $(cat "$TMP/s$w.stores" 2>/dev/null || echo 0)))
done
[ "$SNG_WORKERS" = 0 ] || [ "$sng_stores" -gt 0 ] ||
	{ echo "FAIL: the tier stored nothing of stress-ng's"; failed=1; }
tier=$(memctl -j tier show)
echo "$tier" | grep -q '"failed_loads":0[,}]' || { echo "FAIL: failed loads: $tier"; failed=1; }
echo "churn: ${elapsed}s, $WORKERS workers, $iters tierload passes, $pages pages verified ($((pages * 4 / 1024)) MiB)," \
	"$((kib / 1024)) MiB swapped out to the tier and back;" \
	"policy ops $(cat "$TMP/policies" 2>/dev/null || echo 0), cgroups $(cat "$TMP/cgroups" 2>/dev/null || echo 0)," \
	"reclaims $(cat "$TMP/reclaims" 2>/dev/null || echo 0), rmmod attempts $(cat "$TMP/rmmods" 2>/dev/null || echo 0)"
if [ "$SNG_WORKERS" -gt 0 ]; then
	echo "stress-ng: $SNG_WORKERS cgroups, $sng_ops verified vm bogo ops, $sng_stores pages stored in the tier ($((sng_stores * 4 / 1024)) MiB)"
else
	echo "stress-ng: not run (not in the VM: --add \$(command -v stress-ng))"
fi
echo "tier: $tier"
[ "$iters" -gt 0 ] || { echo "FAIL: no tierload pass completed"; failed=1; }
[ $failed = 0 ] || exit 1
# After the churn, the tier can be taken down and the module unloaded.
swapoff /dev/memctl0
memctl tier del
echo "ok: churn"
