#!/bin/sh
# run-unit.sh: run each Criterion unit test binary given as an argument,
# print one line per suite and a final "N passed, N failed" line (counting
# suites); exit non-zero if any suite failed.
passed=0
failed=0
for bin in "$@"; do
	name=${bin##*/}
	if out=$("$bin" --jobs=1 2>&1); then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		printf '%s\n' "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
