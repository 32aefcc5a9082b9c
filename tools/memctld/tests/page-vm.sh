#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# memctld's status page and /metrics against the real module, seen from the
# host: one VM (tools/vm/run --forward) runs memctld with --token-file, a
# 64M lz4 tier swapped on and a cgroup whose tmpfs pages go there
# (page-vm-guest.sh); from the host, through the forwarded port:
#  - headless Chromium (page-cdp.js, the DevTools protocol) opens the page:
#    DOM assertions on the live values (the module's version as modinfo
#    reads memctl.ko, the tier's size, algorithm, device and contents, the
#    cgroup's usage, the plots), a screenshot kept in OUTDIR/page.png, and
#    a change with a wrong token that must fail (401) and change nothing;
#  - curl: a change without a token answers 401, the tier stays;
#  - a real Prometheus server on 127.0.0.1 scrapes /metrics; its HTTP API
#    (/api/v1/query) must return the tier's size and the cgroup's usage;
#  - then the VM makes the changes a token holder makes (409 while swapped
#    on, resize, off, on) and checks them with the memctl CLI.
# Last line "N passed, N failed, N skipped"; a missing tool or build is one
# skip with its reason.
#
#   tools/memctld/tests/page-vm.sh [OUTDIR]   (default build/check/memctld-page)
#   MEMCTL_PAGE_KERNEL=6.12 ...               another kernel of the matrix
set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
here=$top/tools/memctld/tests
out=${1:-$top/build/check/memctld-page}
kernel=${MEMCTL_PAGE_KERNEL:-6.1}
pass=0
fail=0
tmp=
vm_pid=
prom_pid=

ok() { echo "ok - $*"; pass=$((pass + 1)); }
nok() { echo "not ok - $*"; fail=$((fail + 1)); }
check() {	# check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}
skip_all() {
	echo "# SKIP: $*"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}

cleanup() {
	[ -z "$prom_pid" ] || { kill "$prom_pid" 2>/dev/null; wait "$prom_pid" 2>/dev/null; }
	[ -z "$vm_pid" ] || { kill "$vm_pid" 2>/dev/null; wait "$vm_pid" 2>/dev/null; }
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT

for t in chromium node prometheus curl python3; do
	command -v $t >/dev/null || skip_all "no $t (make deps installs it)"
done
case $kernel in
6.1) ko=$top/kmod/memctl.ko ;;
*) ko=$top/build/kmod/$kernel/kmod/memctl.ko ;;
esac
for f in "$ko" "$top/tools/memctld/memctld" "$top/tools/memctl/memctl"; do
	[ -e "$f" ] || skip_all "no $f (build first: make)"
done

mkdir -p "$out"
rm -f "$out"/page*.png
tmp=$(mktemp -d /tmp/memctld-page.XXXXXX)

# a free port of 127.0.0.1 (several sessions may run at once)
used=" "
free_port() {
	local p

	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 30000))
		[[ $used != *" $p "* ]] || continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			used+="$p "
			echo "$p"
			return 0
		fi
	done
	return 1
}
if ! p_http=$(free_port) || ! p_done=$(free_port) || ! p_prom=$(free_port); then
	skip_all "no free port on 127.0.0.1"
fi
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
base=http://127.0.0.1:$p_http

# Prometheus first: it starts while the VM boots
cat > "$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  scrape_timeout: 2s
scrape_configs:
  - job_name: memctld
    static_configs:
      - targets: ['127.0.0.1:$p_http']
EOF
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$p_prom" > "$out/prometheus.log" 2>&1 &
prom_pid=$!

echo "# booting the VM ($kernel); memctld at $base, Prometheus at 127.0.0.1:$p_prom"
MEMCTL_VM_LOG=$out/kernel.log "$top/tools/vm/run" --kernel "$kernel" --timeout 1500 \
	--forward "$p_http:9775" --forward "$p_done:9776" \
	--add "$here/page-vm-guest.sh" -- "$here/page-vm-guest.sh" "$token" \
	> "$out/vm.out" 2> "$out/vm.err" &
vm_pid=$!

# /api/status, once it shows what the guest set up; up to 20 min (TCG)
status_ready() {
	curl -sf -m 10 "$base/api/status" -o "$tmp/status.json" 2>/dev/null &&
	python3 - "$tmp/status.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
app = [c for c in s["cgroups"] if c["path"] == "/page/app"]
sys.exit(not (s["module"]["loaded"] and s["tier"] and s["tier"]["stored"] > 0
	      and app and app[0]["usage"] > 0 and len(s["history"]["t"]) >= 2))
PY
}
ready=0
for _ in $(seq 1200); do
	if ! kill -0 "$vm_pid" 2>/dev/null; then
		break
	fi
	if grep -q '^guest: ready' "$out/vm.out" && status_ready; then
		ready=1
		break
	fi
	sleep 1
done
if [ $ready = 0 ]; then
	nok "the VM runs memctld with the tier and the workload"
	sed 's/^/# /' "$out/vm.out" "$out/vm.err" | tail -n 40
	echo "$pass passed, $fail failed"
	exit 1
fi
ok "the VM runs memctld with the tier and the workload ($base)"

# ---- the page in headless Chromium ----
want_version=$(modinfo -F version "$ko")
if node "$here/page-cdp.js" "$base/" "$out" \
	"wrong-$token" > "$tmp/cdp.json" 2> "$tmp/cdp.err"; then
	ok "chromium opened the page, read it and tried a change"
	cp "$tmp/cdp.json" "$out/page.json"
	curl -sf -m 10 "$base/api/status" -o "$tmp/status2.json"
	python3 - "$tmp/cdp.json" "$want_version" "$tmp/status2.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
want_version = sys.argv[2]
api = json.load(open(sys.argv[3]))
d, a, res = r["dom"], r["after"], r["result"]
n = 0
def check(ok, what):
    global n
    print(("ok - " if ok else "not ok - ") + "page: " + what)
check(d["module"] == want_version,
      f"the module's version is memctl.ko's ({d['module']!r}, modinfo {want_version!r})")
check(d["agent"] == api["memctld"], f"memctld's version ({d['agent']})")
check(d["tierSize"] == 64 << 20 and d["tierSizeText"] == "64.0M",
      f"the tier's size is the 64M the VM set ({d['tierSize']}, {d['tierSizeText']!r})")
check(d["tierAlgo"] == "lz4", f"the tier's algorithm is lz4 ({d['tierAlgo']!r})")
check(d["tierDevice"] == "/dev/memctl0", f"the swap device ({d['tierDevice']!r})")
check(d["tierState"].startswith("on, in use"), f"the tier is in use ({d['tierState']!r})")
check(d["tierStored"] > 8 << 20, f"the tier holds the workload's pages ({d['tierStored']} bytes)")
check(0 < d["tierCompressed"] < d["tierStored"],
      f"compressed below stored ({d['tierCompressed']} < {d['tierStored']})")
check(d["tierBacking"].startswith("none"), f"no backing device is shown ({d['tierBacking']!r})")
app = [x for x in d["rows"] if x["path"] == "/page/app"]
check(len(app) == 1 and 0 < app[0]["usage"] <= 40 << 20,
      f"/page/app's usage is live, under its 32M memory.max ({app[0]['usage'] if app else None})")
check(d["ncgroups"] == len(api["cgroups"]) == 1, f"one managed cgroup ({d['ncgroups']})")
check(d["plots"] == [1, 3, 2], f"the plots have their lines ({d['plots']})")
check(d["external"] == [], f"no external asset ({d['external']})")
check(not d["formHidden"] and "token" in d["mode"], f"the form is there ({d['mode']!r})")
check(res["status"] == 401 and "Bearer" in res["text"],
      f"a change with a wrong token fails: {res['text']!r}")
check(a["tierSize"] == 64 << 20 and a["tierState"].startswith("on, in use"),
      f"... and changes nothing ({a['tierSize']}, {a['tierState']!r})")
check(api["tier"]["size"] == 64 << 20, f"/api/status agrees ({api['tier']['size']})")
PY
else
	nok "chromium opened the page: $(tail -n 3 "$tmp/cdp.err")"
fi >> "$tmp/results"
cat "$tmp/results"
pass=$((pass + $(grep -c '^ok - page' "$tmp/results")))
fail=$((fail + $(grep -c '^not ok - page' "$tmp/results")))
if [ -s "$out/page.png" ]; then
	ok "a screenshot: $out/page.png ($(stat -c %s "$out/page.png") bytes)"
else
	nok "no screenshot in $out"
fi

# ---- curl: no token, a wrong one ----
code=$(curl -s -m 30 -o "$tmp/b" -w '%{http_code}' -d state=off "$base/api/tier")
check "POST /api/tier without a token: 401" [ "$code" = 401 ]
code=$(curl -s -m 30 -o "$tmp/b" -w '%{http_code}' -H "Authorization: Bearer x$token" \
	-d 'size=16M' "$base/api/tier")
check "POST /api/tier with a wrong token: 401" [ "$code" = 401 ]
curl -sf -m 10 "$base/api/status" -o "$tmp/status3.json"
check "the tier is unchanged (64M, in use)" python3 -c "
import json; t = json.load(open('$tmp/status3.json'))['tier']
raise SystemExit(not (t['size'] == 64 << 20 and t['in_use']))"

# ---- Prometheus ----
# query EXPR: the first sample's value, or nothing
query() {
	curl -sf -m 10 "http://127.0.0.1:$p_prom/api/v1/query" --data-urlencode "query=$1" |
	python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null
}
got=
for _ in $(seq 120); do
	got=$(query 'memctl_tier_size_bytes{job="memctld"}')
	[ -z "$got" ] || break
	sleep 1
done
check "Prometheus scraped memctld: memctl_tier_size_bytes is 67108864 ($got)" \
	[ "$got" = 67108864 ]
got=$(query 'memctl_usage_bytes{job="memctld",cgroup="/page/app"}')
check "Prometheus has /page/app's usage ($got bytes)" \
	python3 -c "raise SystemExit(not (0 < float('${got:-0}') <= 40 << 20))"
got=$(query 'up{job="memctld"}')
check "its target is up ($got)" [ "$got" = 1 ]

# ---- the token holder's changes, in the VM ----
for _ in $(seq 10); do
	(exec 3<>"/dev/tcp/127.0.0.1/$p_done" && echo "done" >&3) 2>/dev/null
	for _ in $(seq 10); do
		grep -q '^guest: the host is done' "$out/vm.out" && break 2
		sleep 1
	done
done
rc=0
wait "$vm_pid" || rc=$?
vm_pid=
grep '^guest: ' "$out/vm.out" | sed -n 's/^guest: \(# .*\)/\1/p'
pass=$((pass + $(grep -c '^guest: ok - ' "$out/vm.out")))
fail=$((fail + $(grep -c '^guest: not ok - ' "$out/vm.out")))
grep -E '^guest: (not )?ok - ' "$out/vm.out" | sed 's/^guest: //'
check "the VM ended with status 0 (tools/vm/run: $rc)" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/# /' "$out/vm.err" | tail -n 20
echo "$pass passed, $fail failed, 0 skipped"
[ $fail = 0 ]
