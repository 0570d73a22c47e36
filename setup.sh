#!/bin/sh
# setup.sh - sets sgz up on a Debian 12 machine, as root or with sudo.
#
#   sh setup.sh           install the packages, build, install sgz
#   sh setup.sh --test    install the packages, build, run the whole test suite
#
# Builds happen out of tree in _build/ so the source tree stays clean.
set -eu

mode=install
case ${1:-} in
"") ;;
--test) mode=test ;;
-h | --help)
	sed -n '2,8s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "setup.sh: unknown option '$1' (use --test or nothing)" >&2
	exit 2
	;;
esac

# Build tools, the libraries of DESIGN.md (pango and cairo draw the service
# certificate's PDF in fonts-noto-cjk's Chinese), and for the demo and the
# tests a PostgreSQL server and tmux; the tests alone read workbooks back
# with python3-openpyxl, make the table of pinyin initials again from
# unicode-data's Unihan, read pgaudit's log of the masking views, and read
# certificates back with poppler-utils.
PACKAGES="build-essential autoconf automake pkg-config
	libncurses-dev libpq-dev libiniparser-dev libcsv-dev libxlsxwriter-dev libcmocka-dev
	libpango1.0-dev libcairo2-dev fonts-noto-cjk
	postgresql postgresql-client tmux"
if [ "$mode" = test ]; then
	PACKAGES="$PACKAGES python3-openpyxl unicode-data postgresql-15-pgaudit poppler-utils"
fi

if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "setup.sh: run as root, or install sudo, to install packages" >&2
	exit 2
fi

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup.sh: installing$missing"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

top=$(cd "$(dirname "$0")" && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

autoreconf -fi >/dev/null

build() { # build DIR CONFIGURE-ARGS...
	dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && "$top/configure" -q "$@" && make -s -j"$jobs")
}

# The system configuration file is /etc/sgz/sgz.ini, as README and the
# manual say (the default prefix would make it /usr/local/etc/sgz/sgz.ini).
if [ "$mode" = install ]; then
	build _build/release --enable-werror --sysconfdir=/etc
	(cd _build/release && $SUDO make -s install)
	echo "setup.sh: sgz is installed as $(command -v sgz || echo /usr/local/bin/sgz); try: sgz demo"
	exit 0
fi

# The whole suite: a -Werror build, then the same tests under AddressSanitizer
# and UBSan.
status=0
build _build/release --enable-werror --sysconfdir=/etc
(cd _build/release && make -j"$jobs" check) || status=1
build _build/asan --enable-werror --enable-asan
(cd _build/asan && ASAN_OPTIONS=detect_leaks=1 make -j"$jobs" check) || status=1

pass=0
fail=0
for log in _build/release/test-suite.log _build/asan/test-suite.log; do
	[ -f "$log" ] || { fail=$((fail + 1)); continue; }
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -1)
	x=$(sed -n 's/^# XPASS: *//p' "$log" | head -1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0} + ${e:-0} + ${x:-0}))
done
[ "$status" = 0 ] || [ "$fail" -gt 0 ] || fail=1
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
