#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM's half of page-vm.sh (run there by tools/vm/run with --forward
# HOST:9775 --forward HOST:9776): a 64M tier (lz4) swapped on, a cgroup
# /page/app under memory.max whose tmpfs pages go to the tier, memctld on
# 0.0.0.0:9775 with --token-file and a rule for /page/app.  It says
# "guest: ready" and waits for the host's tests, which end with a connection
# to port 9776; then it makes the changes a token holder makes, through
# memctld's /api/tier (busybox wget), and checks them with the memctl CLI:
# "guest: ok - ..." or "guest: not ok - ..." lines.
#
#   page-vm-guest.sh TOKEN
set -u

tok=$1
cg=/sys/fs/cgroup/page
tmp=/tmp/page
url=http://127.0.0.1:9775/api/tier
pid=
wl=

say() { echo "guest: $*"; }
ok() { say "ok - $*"; }
nok() { say "not ok - $*"; }

die() {
	say "not ok - $*"
	[ -f "$tmp/log" ] && sed 's/^/guest: # memctld: /' "$tmp/log"
	exit 1
}

mkdir -p "$tmp" /etc/memctld /dev/shm/page
(umask 077 && printf '%s\n' "$tok" > /etc/memctld/token)
echo '/page/app  high 24M target 16M tier on' > /etc/memctld/rules.conf

memctl tier set size 64M algo lz4 || die "memctl tier set"
if ! mkswap /dev/memctl0 >/dev/null || ! swapon /dev/memctl0; then
	die "swapon /dev/memctl0"
fi
mkdir -p "$cg/app" || die "mkdir $cg/app"
echo +memory > "$cg/cgroup.subtree_control"
echo 32M > "$cg/app/memory.max"

memctld --config /etc/memctld/rules.conf --listen 0.0.0.0:9775 \
	--token-file /etc/memctld/token 2> "$tmp/log" &
pid=$!
i=0
until memctl -j policy show /page/app 2>/dev/null | grep -q '"high":25165824'; do
	i=$((i + 1))
	[ $i -le 600 ] || die "memctld set no policy on /page/app in 60 s"
	kill -0 $pid 2>/dev/null || die "memctld exited"
	sleep 0.1
done

# the workload: 64M of tmpfs in a cgroup that may hold 32M
sh -c "echo \$\$ > $cg/app/cgroup.procs &&
       yes 'memctl status page test data' | head -c 67108864 > /dev/shm/page/data &&
       exec sleep 100000" &
wl=$!
i=0
while [ "$(stat -c %s /dev/shm/page/data 2>/dev/null || echo 0)" -lt 67108864 ]; do
	i=$((i + 1))
	[ $i -le 1200 ] || die "the workload wrote no 64M in 120 s"
	sleep 0.1
done
say "ready"

# the host's tests run now; it connects to 9776 when they are over
nc -l -p 9776 > "$tmp/host" 2>/dev/null
say "the host is done: $(cat "$tmp/host")"

# post BODY: memctld's answer ("HTTP/1.1 409 Conflict" on a refusal, else
# "200"); the body in $tmp/b
post() {
	if wget -q -O "$tmp/b" --header "Authorization: Bearer $tok" \
		--post-data "$1" "$url" 2> "$tmp/werr"; then
		echo 200
	else
		sed -n 's/.*server returned error: //p' "$tmp/werr"
	fi
}
size_of() {
	memctl -j tier show 2>/dev/null | sed -n 's/.*"size":\([0-9]*\).*/\1/p'
}

r=$(post state=off)
case $r in
*409*) ok "state=off while swapped on: 409, the tier stays" ;;
*) nok "state=off while swapped on: $r" ;;
esac
if [ "$(size_of)" = 67108864 ]; then ok "the tier is still 64M"; else nok "the tier is $(size_of)"; fi

kill $wl 2>/dev/null
wait $wl 2>/dev/null
rm -f /dev/shm/page/data
swapoff /dev/memctl0 || nok "swapoff"

r=$(post size=32M)
if [ "$r" = 200 ] && [ "$(size_of)" = 33554432 ]; then
	ok "size=32M with the token: the tier has 32M ($(cat "$tmp/b"))"
else
	nok "size=32M: $r, the tier has $(size_of)"
fi
r=$(post state=off)
if [ "$r" = 200 ] && ! memctl tier show >/dev/null 2>&1; then
	ok "state=off with the token: the tier is gone"
else
	nok "state=off: $r; memctl tier show: $(memctl tier show 2>&1 | head -n 1)"
fi
r=$(post size=16M)
case $r in
*409*) if memctl tier show >/dev/null 2>&1; then
	nok "size=16M without a tier: 409, but a tier appeared"
else
	ok "size=16M without a tier: 409, no tier made"
fi ;;
*) nok "size=16M without a tier: $r" ;;
esac
r=$(post 'state=on&size=48M')
if [ "$r" = 200 ] && [ "$(size_of)" = 50331648 ]; then
	ok "state=on size=48M with the token: a tier of 48M"
else
	nok "state=on size=48M: $r, the tier has $(size_of)"
fi
n=$(grep -c 'tier change from' "$tmp/log")
# the host's refusals (at least 2) and the 5 requests above
if [ "$n" -ge 7 ]; then
	ok "every change and refusal is logged ($n lines)"
else
	nok "only $n 'tier change' lines in memctld's log"
fi
grep 'tier change from' "$tmp/log" | sed 's/^/guest: # /'

kill -TERM $pid
wait $pid
rc=$?
if [ $rc = 0 ]; then ok "memctld stops with status 0"; else nok "memctld exited $rc"; fi
memctl tier del >/dev/null 2>&1
rmdir "$cg/app" "$cg" 2>/dev/null
say "end"
