# tap.sh - TAP output for shell tests: plan N; ok COND NAME; is GOT WANT NAME.
# Sourced by every tests/*/*.sh; each test script prints its own plan.

tap_n=0
# tap_todo=REASON marks the tests that follow as known to fail (TAP TODO).
tap_failed=0

plan() { echo "1..$1"; }

# pass NAME / fail NAME [DIAG...]
pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1${tap_todo:+ # TODO $tap_todo}"
}
fail() {
	tap_n=$((tap_n + 1))
	[ -n "${tap_todo:-}" ] || tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1${tap_todo:+ # TODO $tap_todo}"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
}

# ok NAME CMD... - passes when CMD succeeds.
ok() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "command failed: $*"; fi
}

# is NAME GOT WANT - passes when the strings are equal.
is() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}

# like NAME TEXT PATTERN - passes when TEXT contains the fixed string PATTERN.
like() {
	case $2 in
	*"$3"*) pass "$1" ;;
	*) fail "$1" "text: $2" "lacks: $3" ;;
	esac
}

# unlike NAME TEXT PATTERN
unlike() {
	case $2 in
	*"$3"*) fail "$1" "text: $2" "has: $3" ;;
	*) pass "$1" ;;
	esac
}

bail() {
	echo "Bail out! $*"
	exit 99
}

# A scratch directory removed at exit.
tap_tmp=$(mktemp -d "${TMPDIR:-/tmp}/sgz-test.XXXXXX") || bail "mktemp failed"
chmod 755 "$tap_tmp"
trap 'rm -rf "$tap_tmp"' EXIT

: "${SGZ_BIN:?SGZ_BIN is not set: run the tests with make check}"
