#!/bin/sh
# demo_users.sh - as root, two people's demos are two clusters: the state
# directories are out of the postgres user's reach (as /root is), so each
# cluster lives under /var/lib/sgz, one per state directory
# (demo-<16 hex digits>, owned by postgres), and one's --stop leaves the
# other running. The real binary in tmux at 80x24. Root only: elsewhere the
# cluster is always inside the user's own state directory (demo.sh).
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP only root's demo clusters live under /var/lib/sgz"
	exit 0
fi

plan 18

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
# The state directories are in a 0700 directory, as under /root: the
# postgres user cannot reach them.
home=$tap_tmp/home
mkdir -m 700 "$home" || bail "mkdir $home"
runuser -u postgres -- test -x "$home" 2>/dev/null &&
	bail "user postgres reaches $home: the clusters would not go to /var/lib/sgz"
role=$(id -un)
old_shared=$(ls -ld --time-style=+%s.%N /var/lib/sgz/demo 2>/dev/null)
had_parent=no
[ -d /var/lib/sgz ] && had_parent=yes

now_ms() { date +%s%3N; }

poll() {
	poll_end=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$poll_end" ] || return 1
		sleep 0.1
	done
}

# the cluster directory of user U (a or b): where its state's demo link leads
cluster() { readlink "$home/$1/state/sgz/demo"; }
server_pid() { head -n 1 "$(cluster "$1")/postmaster.pid" 2>/dev/null; }
# dpsql U SQL - U's demo server through its socket
dpsql() {
	env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER -u PGSERVICE -u PGOPTIONS \
		psql -X -A -t -q -h "$(cluster "$1")" -p 5432 -U "$role" -d sgz -c "$2" 2>&1
}
server_up() { [ "$(dpsql "$1" 'SELECT 1')" = 1 ]; }
server_gone() {
	gone_pid=$(server_pid "$1")
	[ -z "$gone_pid" ] || ! kill -0 "$gone_pid" 2>/dev/null
}
# demo U ARG... - sgz demo as user U (its own XDG_STATE_HOME), no PG*
demo() {
	demo_u=$1
	shift
	env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER XDG_STATE_HOME="$home/$demo_u/state" \
		"$SGZ_BIN" --lang en demo "$@"
}

fake_old=""
cleanup() {
	tmux_stop
	for u in a b c; do
		dir=$(cluster $u)
		demo $u --stop >/dev/null 2>&1
		pid=$(server_pid $u)
		[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null && poll 30 server_gone $u
		case $dir in
		/var/lib/sgz/demo-*) rm -rf "$dir" ;;
		esac
	done
	[ -n "$fake_old" ] && rm -rf /var/lib/sgz/demo
	[ $had_parent = yes ] || rmdir /var/lib/sgz 2>/dev/null
	rm -rf "$tap_tmp"
}
trap cleanup EXIT

# start U - opens U's demo in tmux, waits for the main menu, quits.
start() {
	mkdir -p "$home/$1/state"
	tmux_start env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER \
		XDG_STATE_HOME="$home/$1/state" "$SGZ_BIN" --lang en demo
	wait_for "Main menu" 300 || return 1
	tmux_keys q
	[ "$(wait_exit 20)" = 0 ]
}

ok "the first person's demo starts" start a
ok "the second person's demo starts" start b
da=$(cluster a)
db=$(cluster b)
like "the first cluster is one of its own under /var/lib/sgz" "$da" "/var/lib/sgz/demo-"
like "so is the second" "$db" "/var/lib/sgz/demo-"
ok "and they are two" test -n "$da" -a "$da" != "$db"
ok "the names are 16 hex digits" \
	sh -c 'echo "$1 $2" | grep -Eqx "/var/lib/sgz/demo-[0-9a-f]{16} /var/lib/sgz/demo-[0-9a-f]{16}"' \
	sh "$da" "$db"
is "owned by postgres, private" "$(stat -c '%U %a' "$da" "$db" | sort -u)" "postgres 700"
ok "both servers run" test -n "$(server_pid a)" -a "$(server_pid a)" != "$(server_pid b)"
dpsql a "CREATE TABLE mine (x int)" >/dev/null
is "each is a database of its own" "$(dpsql b "SELECT to_regclass('mine') IS NULL")" t

# One --stop stops one.
demo a --stop 2>"$tap_tmp/stop.err"
is "--stop of the first exits 0" $? 0
ok "stops the first server" poll 30 server_gone a
ok "leaves the second running" server_up b
ok "whose data is still there" test "$(dpsql b 'SELECT count(*) > 0 FROM sgz.station')" = t
is "the shared /var/lib/sgz/demo of an earlier sgz is untouched" \
	"$(ls -ld --time-style=+%s.%N /var/lib/sgz/demo 2>/dev/null)" "$old_shared"

# An earlier sgz's shared /var/lib/sgz/demo (only where there is none: a
# stand-in, never a real one): --reset leaves it to its other users and
# builds a cluster of its own.
if [ -n "$old_shared" ]; then
	for i in 1 2 3 4; do pass "# SKIP /var/lib/sgz/demo exists here: not touched"; done
	exit 0
fi
fake_old=yes
mkdir -p /var/lib/sgz/demo
echo "someone else's" >/var/lib/sgz/demo/theirs
mkdir -p "$home/c/state/sgz"
ln -s /var/lib/sgz/demo "$home/c/state/sgz/demo"
tmux_start env -u PGHOST -u PGPORT -u PGDATABASE -u PGUSER \
	XDG_STATE_HOME="$home/c/state" "$SGZ_BIN" --lang en demo --reset
ok "--reset over a link to the shared cluster opens a demo" wait_for "Main menu" 300
like "of its own" "$(cluster c)" "/var/lib/sgz/demo-"
is "the shared one is left as it was" "$(cat /var/lib/sgz/demo/theirs 2>&1)" "someone else's"
tmux_keys q
is "and q quits" "$(wait_exit 20)" 0
