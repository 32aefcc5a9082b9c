#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the in-VM suite: every *_test program (kselftest harness) and every
# *.sh scenario in this directory, or only those named on the command line.
# Prints each program's KTAP output, then one line:
#   vm: N passed, N failed, N skipped
# Exits 0 when nothing failed.
cd "$(dirname "$0")" || exit 1

pass=0
fail=0
skip=0
out=/tmp/.memctl-test.out

tests=$*
if [ -z "$tests" ]; then
	tests=$(ls *_test 2>/dev/null; ls *.sh 2>/dev/null | grep -v '^run_vm_tests.sh$')
fi

# which kernel of the matrix, and the module's parameters (the -nosyms suites)
params=
if [ -r /sys/module/memctl/parameters/ignore_ksyms ]; then
	params="; memctl ignore_ksyms=$(cat /sys/module/memctl/parameters/ignore_ksyms)"
fi
echo "# kernel $(uname -r)$params"

for t in $tests; do
	[ -x "./$t" ] || { echo "not ok - $t: not found"; fail=$((fail + 1)); continue; }
	echo "# ---- $t"
	{ "./$t"; echo "rc=$?" >"$out.rc"; } 2>&1 | tee "$out"
	rc=$(sed -n 's/^rc=//p' "$out.rc")
	totals=$(grep '^# Totals: ' "$out" | tail -n 1)
	if [ -n "$totals" ]; then
		# kselftest harness: "# Totals: pass:N fail:N xfail:N xpass:N skip:N error:N"
		set -- $(echo "$totals" | sed 's/^# Totals://; s/[a-z]*://g')
		pass=$((pass + $1))
		fail=$((fail + $2 + $6))
		skip=$((skip + $5))
		if [ "$rc" != 0 ] && [ $(($2 + $6)) -eq 0 ]; then
			echo "not ok - $t exited $rc"
			fail=$((fail + 1))
		fi
	else
		case $rc in
		0) echo "ok - $t"; pass=$((pass + 1)) ;;
		4) echo "ok - $t # SKIP"; skip=$((skip + 1)) ;;
		*) echo "not ok - $t (exit $rc)"; fail=$((fail + 1)) ;;
		esac
	fi
done
rm -f "$out" "$out.rc"
echo "vm: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
