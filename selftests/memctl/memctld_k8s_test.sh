#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# memctld with the rules of the shipped Kubernetes ConfigMap
# (deploy/kubernetes/memctld.yaml, read by memctld_k8s_rules, which the
# Makefile generates from it) on a kubelet-style cgroup tree of both cgroup
# drivers: Guaranteed, Burstable and BestEffort pods, with containers,
# created and removed while memctld runs.  Each pod's cgroup gets the
# policy of its class's rule (high and target as the rule says), its
# containers none; a container that goes leaves the pod's policy; a pod
# that goes is let go (and a new one of the same name gets the policy
# again); the /metrics series carry the pod's labels; the policies an
# administrator set by hand (a QoS cgroup, a container) are never touched.
# Then the DaemonSet's view: memctld with --cgroup-root on another mount of
# the hierarchy (the pod's /host/sys/fs/cgroup) works the same.
set -eu

cgfs=/sys/fs/cgroup
tmp=/tmp/memctld-k8s-test
port=9776
MiB=1048576
pid=
# shellcheck source=selftests/memctl/memctldlib
. "$(dirname "$0")/memctldlib"

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	for d in "$cgfs/kubepods" "$cgfs/kubepods.slice"; do
		[ -d "$d" ] || continue
		find "$d" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null || true
		rmdir "$d" 2>/dev/null || true
	done
	umount "$tmp/host-cgroup" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

command -v memctld >/dev/null || { echo "memctld is not in the VM: SKIP"; exit 4; }
# the shipped rules reclaim page cache (classes slab,file)
need-file-route || exit $?
[ -x ./memctld_k8s_rules ] || fail "memctld_k8s_rules is missing (make -C selftests/memctl)"
if [ -e "$cgfs/kubepods" ] || [ -e "$cgfs/kubepods.slice" ]; then
	fail "$cgfs/kubepods exists already"
fi
mkdir -p "$tmp"
busybox ip link set lo up 2>/dev/null || busybox ifconfig lo 127.0.0.1 up
./memctld_k8s_rules > "$tmp/rules.conf"
memctld --check --config "$tmp/rules.conf" || fail "memctld refuses the ConfigMap's rules"

# bytes SIZE: 512M -> 536870912
bytes() {
	case $1 in
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * MiB)) ;;
	*G) echo $((${1%G} * 1024 * MiB)) ;;
	*T) echo $((${1%T} * 1024 * 1024 * MiB)) ;;
	*) echo "$1" ;;
	esac
}

# rule_value PATTERN KEY: KEY's value on the rule of PATTERN, in bytes
rule_value() {
	v=$(awk -v pat="$1" -v key="$2" '
		/^[ \t]*#/ { next }
		{ line = line " " $0 }
		/\\$/ { sub(/\\$/, "", line); next }
		{ n = split(line, w, /[ \t]+/); line = ""
		  if (w[2] != pat) next
		  for (i = 3; i < n; i++) if (w[i] == key) { print w[i + 1]; exit } }
	' "$tmp/rules.conf")
	[ -n "$v" ] || fail "no $2 in the rule of $1"
	bytes "$v"
}

# wait_managed N: until memctld manages N cgroups (30 s)
wait_managed() {
	i=0
	until scrape && [ "$(metric memctld_managed_cgroups)" = "$1" ]; do
		i=$((i + 1))
		[ $i -le 300 ] || return 1
		sleep 0.1
	done
}

mkcg() {
	mkdir "$cgfs$1" || fail "mkdir $1"
}

# the kubelet's QoS cgroups, both drivers
echo +memory > "$cgfs/cgroup.subtree_control"
for d in /kubepods /kubepods/burstable /kubepods/besteffort /kubepods.slice \
	 /kubepods.slice/kubepods-burstable.slice /kubepods.slice/kubepods-besteffort.slice; do
	mkcg "$d"
	echo +memory > "$cgfs$d/cgroup.subtree_control"
done

# pod_path DRIVER CLASS UID: the pod's cgroup as the kubelet names it
pod_path() {
	u=$(echo "$3" | tr - _)
	case $1.$2 in
	cgroupfs.guaranteed) echo "/kubepods/pod$3" ;;
	cgroupfs.*) echo "/kubepods/$2/pod$3" ;;
	systemd.guaranteed) echo "/kubepods.slice/kubepods-pod$u.slice" ;;
	systemd.*) echo "/kubepods.slice/kubepods-$2.slice/kubepods-$2-pod$u.slice" ;;
	esac
}

# ctr_path DRIVER POD CID: a container's cgroup in the pod
ctr_path() {
	case $1 in
	cgroupfs) echo "$2/$3" ;;
	systemd) echo "$2/cri-containerd-$3.scope" ;;
	esac
}

# rule_of DRIVER CLASS: the ConfigMap's pattern for the class
rule_of() {
	case $1.$2 in
	cgroupfs.guaranteed) echo "/kubepods/pod*" ;;
	cgroupfs.*) echo "/kubepods/$2/pod*" ;;
	systemd.guaranteed) echo "/kubepods.slice/kubepods-pod*.slice" ;;
	systemd.*) echo "/kubepods.slice/kubepods-$2.slice/kubepods-$2-pod*.slice" ;;
	esac
}

qos_label() {
	case $1 in
	guaranteed) echo Guaranteed ;;
	burstable) echo Burstable ;;
	besteffort) echo BestEffort ;;
	esac
}

cid() {	# a 64-hex container ID from a number
	printf '%064x\n' "$1"
}

uid() {	# a pod UID from a number
	printf '%08x-4b5a-4978-8796-a5b4c3d2e1f0\n' "$1"
}

# mkpod DRIVER CLASS N: pod N with one container (N*10); its path in $pod
mkpod() {
	pod=$(pod_path "$1" "$2" "$(uid "$3")")
	mkcg "$pod"
	echo +memory > "$cgfs$pod/cgroup.subtree_control"
	mkcg "$(ctr_path "$1" "$pod" "$(cid $(($3 * 10)))")"
}

# check_pod DRIVER CLASS POD: the pod has its rule's policy
check_pod() {
	r=$(rule_of "$1" "$2")
	high=$(rule_value "$r" high)
	target=$(rule_value "$r" target)
	wait_high "$3" "$high" || fail "$3 ($2, $1) has high $(field "$3" high), want $high"
	[ "$(field "$3" target)" = "$target" ] ||
		fail "$3 has target $(field "$3" target), want $target"
}

# Before memctld: a pod with a container, and the manual policies.
mkpod cgroupfs burstable 1
pre=$pod
pre_ctr=$(ctr_path cgroupfs "$pre" "$(cid 10)")
memctl policy set /kubepods/burstable high 100M target 80M
memctl policy set "$pre_ctr" high 20M target 10M
start
echo "# memctld: $(head -n 1 "$tmp/log")"
check_pod cgroupfs burstable "$pre"
echo "ok - a pod there at start gets its class's policy"

# every class, both drivers: pods and containers created while it runs
n=1
pods=
for drv in cgroupfs systemd; do
	for cls in guaranteed burstable besteffort; do
		n=$((n + 1))
		mkpod $drv $cls $n
		pods="$pods $drv:$cls:$n:$pod"
	done
done
for p in $pods; do
	IFS=: read -r drv cls k pod <<EOF2
$p
EOF2
	check_pod "$drv" "$cls" "$pod"
	ctr=$(ctr_path "$drv" "$pod" "$(cid $((k * 10)))")
	[ "$(field "$ctr" high)" = none ] || fail "container $ctr has a policy"
	echo "ok - $(qos_label "$cls") pod, $drv driver: $pod: high $(field "$pod" high), its container none"
done
for c in /kubepods /kubepods/besteffort /kubepods.slice \
	 /kubepods.slice/kubepods-burstable.slice /kubepods.slice/kubepods-besteffort.slice; do
	[ "$(field "$c" high)" = none ] || fail "$c matches no rule but has a policy"
done
echo "ok - the QoS and top cgroups get nothing"

# /metrics: the pods' series with their labels (7 pods)
wait_managed 7 || fail "memctld_managed_cgroups is $(metric memctld_managed_cgroups), want 7"
for p in $pods; do
	IFS=: read -r drv cls k pod <<EOF2
$p
EOF2
	grep "^memctl_usage_bytes{cgroup=\"$pod\"" "$tmp/m" | grep "qos_class=\"$(qos_label "$cls")\"" |
		grep -q "pod_uid=\"$(uid "$k")\"" ||
		fail "no usage series for $pod with its labels: $(grep memctl_usage_bytes "$tmp/m")"
done
echo "ok - /metrics: each pod's series with its qos_class and pod_uid"

# containers come and go: the pod's policy stays, they get none
for p in $pods; do
	IFS=: read -r drv cls k pod <<EOF2
$p
EOF2
	rmdir "$cgfs$(ctr_path "$drv" "$pod" "$(cid $((k * 10)))")"
	mkcg "$(ctr_path "$drv" "$pod" "$(cid $((k * 10 + 1)))")"
done
for p in $pods; do
	IFS=: read -r drv cls k pod <<EOF2
$p
EOF2
	check_pod "$drv" "$cls" "$pod"
	[ "$(field "$(ctr_path "$drv" "$pod" "$(cid $((k * 10 + 1)))")" high)" = none ] ||
		fail "a new container of $pod has a policy"
done
wait_managed 7 || fail "containers changed the managed count: $(metric memctld_managed_cgroups)"
echo "ok - containers replaced: the pods keep their policies, the containers get none"

# pods go: let go; a pod of the same name again gets its policy
for p in $pods; do
	IFS=: read -r drv cls k pod <<EOF2
$p
EOF2
	rmdir "$cgfs$(ctr_path "$drv" "$pod" "$(cid $((k * 10 + 1)))")" "$cgfs$pod"
done
wait_managed 1 || fail "removed pods are still managed: $(metric memctld_managed_cgroups)"
grep -q '^memctl_usage_bytes{cgroup="/kubepods/pod' "$tmp/m" && fail "a removed pod still has series"
memctl -j policy show > "$tmp/list" || fail "memctl policy show failed"
grep -q "$pre\"" "$tmp/list" || fail "memctl -j policy show does not list $pre: $(cat "$tmp/list")"
for p in $pods; do
	grep -q "${p##*:}\"" "$tmp/list" && fail "${p##*:} is removed but still has a policy"
done
for p in $pods; do
	IFS=: read -r drv cls k pod <<EOF2
$p
EOF2
	mkcg "$pod"
	check_pod "$drv" "$cls" "$pod"
	rmdir "$cgfs$pod"
done
echo "ok - removed pods are let go; the same pods again get their policies"

# the manual policies stayed through all of it
[ "$(field /kubepods/burstable high)" = $((100 * MiB)) ] || fail "the manual policy of /kubepods/burstable changed"
[ "$(field "$pre_ctr" high)" = $((20 * MiB)) ] || fail "the manual policy of a container changed"
echo "ok - manual policies (a QoS cgroup, a container) untouched"
stop

# The DaemonSet's view: the host's hierarchy mounted elsewhere
# (/host/sys/fs/cgroup in the pod), given with --cgroup-root.
mkdir -p "$tmp/host-cgroup"
mount -t cgroup2 none "$tmp/host-cgroup" || fail "cannot mount cgroup2 again"
start --cgroup-root "$tmp/host-cgroup"
grep -q "cgroup2 at $tmp/host-cgroup" "$tmp/log" || fail "memctld did not take --cgroup-root"
check_pod cgroupfs burstable "$pre"
mkpod systemd besteffort 99
check_pod systemd besteffort "$pod"
echo "ok - --cgroup-root on another mount of the hierarchy (the DaemonSet's /host/sys/fs/cgroup)"
stop
grep -q "refused the policy\|cannot" "$tmp/log" && fail "memctld logged a failure"
echo "ok - memctld_k8s_test"
