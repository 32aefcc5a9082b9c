#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# memctld without the module (the host has none): it starts, waits for the
# module, watches a directory tree standing in for cgroupfs (--cgroup-root),
# serves /metrics (promtool check metrics on it, and on the unit tests'
# /metrics with per-cgroup rows), answers 404 and 405, reloads on SIGHUP
# (a bad file keeps the rules, one log line per error), --check and the
# usage exit statuses, the status page and /api/status, /api/tier's
# refusals (403 read-only; --token-file: 401, 400, 503), and stops on
# SIGTERM with status 0 (ASan/UBSan
# build: no leak, no error).  Last line "N passed, N failed".
#
#   tests/smoke.sh MEMCTLD [RUN_TESTS]
set -u

bin=$1
unit=${2:-}
tmp=$(mktemp -d /tmp/memctld-smoke.XXXXXX)
pid=
pass=0
fail=0

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok - $*"; pass=$((pass + 1)); }
nok() { echo "not ok - $*"; fail=$((fail + 1)); }
check() {	# check DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else nok "$d"; fi
}

# wait_for COMMAND...: up to 20 s
wait_for() {
	local i
	for i in $(seq 200); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

metric() {	# metric NAME: its value in $tmp/m
	sed -n "s/^$1 //p" "$tmp/m"
}

scrape() {
	curl -sf "http://127.0.0.1:$port/metrics" -o "$tmp/m"
}

# Three times four scrapes at once, each byte for byte the one in $tmp/m:
# the buffer of one scrape is the next one's (memctld.c, g.spare).
same_scrapes() {
	local k pids
	for _ in 1 2 3; do
		pids=
		for k in 1 2 3 4; do
			curl -sf "http://127.0.0.1:$port/metrics" -o "$tmp/m.$k" &
			pids="$pids $!"
		done
		# shellcheck disable=SC2086 # the pids, one word each
		wait $pids || return 1
		for k in 1 2 3 4; do
			cmp -s "$tmp/m" "$tmp/m.$k" || return 1
		done
	done
}

have_promtool=0
command -v promtool >/dev/null && have_promtool=1

mkdir -p "$tmp/root/a.slice/x" "$tmp/root/b"
cat > "$tmp/rules.conf" <<'RULES'
/a.slice/**  high 100M target 80M
/kubepods/burstable/pod*  high 1G target 512M classes slab,file
RULES

# --check and the usage errors
check "--check of a good file exits 0" "$bin" --check --config "$tmp/rules.conf"
printf '/x high 1G\n/y bogus\n' > "$tmp/bad.conf"
"$bin" --check --config "$tmp/bad.conf" 2> "$tmp/err"
rc=$?
check "--check of a bad file exits 65" [ $rc -eq 65 ]
check "... with one line per error" [ "$(grep -c 'bad.conf:[12]: ' "$tmp/err")" -eq 2 ]
"$bin" --check --config "$tmp/none.conf" 2>/dev/null
check "a missing file exits 66" [ $? -eq 66 ]
"$bin" 2>/dev/null
check "no --config exits 64" [ $? -eq 64 ]
"$bin" --config "$tmp/rules.conf" --listen nonsense --cgroup-root "$tmp/root" 2>/dev/null
check "a bad --listen exits 1" [ $? -eq 1 ]

# a port of its own (several sessions may run this at once)
port=
for try in 1 2 3 4 5; do
	p=$((20000 + RANDOM % 20000))
	"$bin" --config "$tmp/rules.conf" --listen "127.0.0.1:$p" \
		--cgroup-root "$tmp/root" 2> "$tmp/log" &
	pid=$!
	if wait_for grep -q "serving /metrics" "$tmp/log"; then
		port=$p
		break
	fi
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
if [ -z "$port" ]; then
	nok "memctld starts and listens"
	cat "$tmp/log"
	echo "$pass passed, $fail failed"
	exit 1
fi
ok "memctld starts and listens on 127.0.0.1:$port"
check "it says it waits for the module" grep -q "module is not loaded; waiting" "$tmp/log"

check "GET /metrics answers 200" scrape
if [ $have_promtool = 1 ]; then
	check "promtool check metrics accepts the scrape" \
		sh -c "promtool check metrics < '$tmp/m'"
fi
check "memctld_module_loaded is 0" [ "$(metric memctld_module_loaded)" = 0 ]
check "memctld_rules is 2" [ "$(metric memctld_rules)" = 2 ]
check "memctld_cgroups counts the tree (4)" [ "$(metric memctld_cgroups)" = 4 ]
check "12 more scrapes, 4 at a time, are the same bytes" same_scrapes
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nowhere")
check "GET /nowhere answers 404" [ "$code" = 404 ]
curl -s -o "$tmp/page" "http://127.0.0.1:$port/"
check "GET / is the status page, self-contained" \
	sh -c "grep -q '<title>memctld</title>' '$tmp/page' && ! grep -Eq '(src|href)=\"?(https?:)?//' '$tmp/page'"
curl -s -o "$tmp/status.json" "http://127.0.0.1:$port/api/status"
check "GET /api/status is JSON: read-only, no module, 4 cgroups" \
	python3 -c "import json,sys; s=json.load(open('$tmp/status.json')); sys.exit(not (s['writable'] is False and s['module']['loaded'] is False and s['agent']['cgroups'] == 4 and s['tier'] is None))"
code=$(curl -s -o "$tmp/b" -w '%{http_code}' -d state=off "http://127.0.0.1:$port/api/tier")
check "POST /api/tier without --token-file answers 403" \
	[ "$code" = 403 ] && grep -q read-only "$tmp/b"
check "the refusal is logged" wait_for grep -q 'tier change from 127.0.0.1 refused (403)' "$tmp/log"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/metrics")
check "POST /metrics answers 405" [ "$code" = 405 ]
ctype=$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$port/metrics")
check "the content type is the text format 0.0.4" \
	[ "$ctype" = "text/plain; version=0.0.4; charset=utf-8" ]

# new directories are seen, at any depth, removed ones forgotten
mkdir -p "$tmp/root/kubepods/burstable/pod1/c1"
check "new cgroups are watched (8)" \
	wait_for sh -c "curl -sf http://127.0.0.1:$port/metrics | grep -qx 'memctld_cgroups 8'"
rmdir "$tmp/root/kubepods/burstable/pod1/c1"
check "removed ones are forgotten (7)" \
	wait_for sh -c "curl -sf http://127.0.0.1:$port/metrics | grep -qx 'memctld_cgroups 7'"

# SIGHUP: a bad file keeps the rules, a good one replaces them
cp "$tmp/rules.conf" "$tmp/good.conf"
printf '/c high 1G\n/d high 2G target 1G bogus 1\n' >> "$tmp/rules.conf"
kill -HUP "$pid"
check "a bad file is refused" wait_for grep -q "keeping the 2 rules loaded before" "$tmp/log"
check "one line per error, with its line number" \
	[ "$(grep -c 'rules.conf:[34]: ' "$tmp/log")" -eq 2 ]
scrape
check "memctld_rules is still 2" [ "$(metric memctld_rules)" = 2 ]
check "memctld_reload_errors_total is 1" [ "$(metric memctld_reload_errors_total)" = 1 ]
{ cat "$tmp/good.conf"; echo "/b high 1G target 512M"; } > "$tmp/rules.conf"
kill -HUP "$pid"
check "a good file is loaded" wait_for grep -q "reload: 3 rules" "$tmp/log"
scrape
check "memctld_rules is 3" [ "$(metric memctld_rules)" = 3 ]
check "memctld_reloads_total is 1" [ "$(metric memctld_reloads_total)" = 1 ]

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
check "SIGTERM stops it with status 0 (no sanitizer report)" [ $rc -eq 0 ]
if grep -q "ERROR: \(Address\|Leak\)Sanitizer\|runtime error" "$tmp/log"; then
	nok "no sanitizer report"
	cat "$tmp/log"
fi

# --token-file: refused unless root's alone; then 401, 400 and 503 (no
# module), each logged, none changing anything
printf 'smoke-token-0123456789abcdef\n' > "$tmp/token"
chmod 640 "$tmp/token"
"$bin" --config "$tmp/rules.conf" --listen 127.0.0.1:1 --cgroup-root "$tmp/root" \
	--token-file "$tmp/token" 2> "$tmp/err"
rc=$?
check "a group-readable --token-file: exit 1" [ $rc -eq 1 ]
check "... with one clear line" sh -c "[ \$(wc -l < '$tmp/err') -eq 1 ] && grep -q 'must be owned by root and not readable' '$tmp/err'"
chmod 600 "$tmp/token"
if [ "$(id -u)" = 0 ]; then
	port=
	for _ in 1 2 3 4 5; do
		p=$((20000 + RANDOM % 20000))
		"$bin" --config "$tmp/rules.conf" --listen "127.0.0.1:$p" \
			--cgroup-root "$tmp/root" --token-file "$tmp/token" 2> "$tmp/log" &
		pid=$!
		if wait_for grep -q "serving /metrics" "$tmp/log"; then
			port=$p
			break
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		pid=
	done
	check "memctld starts with --token-file" [ -n "$port" ]
	post() {	# post AUTH BODY: the status code
		curl -s -o "$tmp/b" -w '%{http_code}' ${1:+-H "Authorization: Bearer $1"} \
			-d "$2" "http://127.0.0.1:$port/api/tier"
	}
	check "no token: 401" [ "$(post '' state=off)" = 401 ]
	check "a wrong token: 401" [ "$(post smoke-token-0123456789abcdeX state=off)" = 401 ]
	check "a bad request with the token: 400, one line" \
		sh -c "[ \$(curl -s -o '$tmp/b' -w '%{http_code}' -H 'Authorization: Bearer smoke-token-0123456789abcdef' -d size=12Q http://127.0.0.1:$port/api/tier) = 400 ] && [ \$(wc -l < '$tmp/b') -eq 1 ]"
	check "a good request without the module: 503" \
		[ "$(post smoke-token-0123456789abcdef 'state=on&size=64M')" = 503 ]
	check "each is logged" wait_for sh -c "[ \$(grep -c 'tier change from 127.0.0.1' '$tmp/log') -eq 4 ]"
	check "/api/status says writable" \
		sh -c "curl -s http://127.0.0.1:$port/api/status | grep -q '\"writable\":true'"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	pid=
	check "it stops with status 0 (no sanitizer report)" [ $rc -eq 0 ]
else
	echo "# not root: the --token-file requests were not tried (the file must be root's)"
fi

# the per-cgroup families, with Kubernetes labels, from the unit tests
if [ -n "$unit" ] && [ $have_promtool = 1 ]; then
	MEMCTLD_METRICS_OUT=$tmp/unit.prom "$unit" -k metrics_text >/dev/null
	check "promtool check metrics accepts the per-cgroup families" \
		sh -c "promtool check metrics < '$tmp/unit.prom'"
fi
[ $have_promtool = 1 ] || echo "# promtool is missing (make deps): its checks were not run"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
