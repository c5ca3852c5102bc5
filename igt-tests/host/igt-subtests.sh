# SPDX-License-Identifier: MIT
#
# IGT conventions for test scripts that run on the host. A script defines one
# function per subtest, subtest_<name with _ for ->, lists the names in
# SUBTESTS and ends with: igt_main "$@". Inside a subtest, igt_assert CMD...
# fails unless CMD succeeds, igt_fail MSG fails, igt_skip MSG skips, and
# $IGT_TMP is a scratch directory removed when the subtest ends. Exit codes
# are IGT's: 0 passed, 77 all skipped, 98 a failure, 79 an unknown subtest
# or a bad option.

igt_fail() {
	echo "Test assertion failure: $*" >&2
	exit 98
}

igt_skip() {
	echo "$*" >&2
	exit 77
}

igt_assert() {
	"$@" || igt_fail "$*"
}

# igt_matches NAME PATTERNS: PATTERNS is a comma-separated list of globs.
igt_matches() {
	local pattern patterns

	IFS=, read -ra patterns <<< "$2"
	for pattern in "${patterns[@]}"; do
		# shellcheck disable=SC2053 # a glob on purpose
		[[ $1 == $pattern ]] && return 0
	done
	return 1
}

igt_run_subtest() {
	local name=$1 start code result

	echo "Starting subtest: $name"
	start=$EPOCHREALTIME
	(
		set -e
		IGT_TMP=$(mktemp -d)
		trap 'rm -rf "$IGT_TMP"' EXIT
		"subtest_${name//-/_}"
	)
	code=$?
	case $code in
	0) result=SUCCESS ;;
	77) result=SKIP ;;
	*) result=FAIL; code=98 ;;
	esac
	printf 'Subtest %s: %s (%.3fs)\n' "$name" "$result" \
		"$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')"
	return $code
}

igt_main() {
	local name ran=0 failed=0 skipped=0

	case ${1:-} in
	--list-subtests)
		printf '%s\n' "${SUBTESTS[@]}"
		return 0 ;;
	--run-subtest)
		[ $# -eq 2 ] || { echo "usage: $0 [--list-subtests | --run-subtest PATTERN]" >&2; exit 79; } ;;
	"") ;;
	*) echo "usage: $0 [--list-subtests | --run-subtest PATTERN]" >&2; exit 79 ;;
	esac

	for name in "${SUBTESTS[@]}"; do
		[ -z "${2:-}" ] || igt_matches "$name" "$2" || continue
		ran=$((ran + 1))
		igt_run_subtest "$name"
		case $? in
		0) ;;
		77) skipped=$((skipped + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done
	[ $ran -gt 0 ] || { echo "Unknown subtest: ${2:-}" >&2; exit 79; }
	[ $failed -eq 0 ] || exit 98
	[ $skipped -lt $ran ] || exit 77
	exit 0
}
