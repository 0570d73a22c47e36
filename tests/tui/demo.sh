#!/bin/sh
# demo.sh - sgz demo end to end: the first start creates, starts, migrates and
# loads a private cluster on a Unix socket only and opens the interface; the
# second start is quick and loads nothing; --stop stops it; --reset rebuilds
# it. The PG* environment (pg_virtualenv's, and deliberately wrong values in
# the terminal) must not matter. No postgres process is left behind.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 28

HOME=$tap_tmp/home
export HOME
unset XDG_STATE_HOME
state=$HOME/.local/state/sgz
demo=$state/demo
role=$(id -un)
# The state directory exists and is searchable by everyone (0755), so that as
# root the server's user (postgres) reaches the cluster inside it and the
# test never touches /var/lib/sgz/demo, the demo of the real root.
mkdir -p "$state"
chmod 755 "$HOME" "$HOME/.local" "$HOME/.local/state" "$state"
if [ "$(id -u)" = 0 ]; then
	runuser -u postgres -- test -x "$state" ||
		bail "user postgres cannot reach $state (a parent directory is not searchable)"
fi

now_ms() { date +%s%3N; }

# poll SECONDS CMD... - runs CMD every 0.1 s until it succeeds; fails after SECONDS.
poll() {
	poll_end=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$poll_end" ] || return 1
		sleep 0.1
	done
}

# dpsql SQL - the demo server through its socket, whatever PG* says.
dpsql() {
	env -u PGHOST -u PGHOSTADDR -u PGPORT -u PGDATABASE -u PGUSER -u PGSERVICE \
		-u PGSERVICEFILE -u PGOPTIONS -u PGPASSWORD \
		psql -X -A -t -q -v ON_ERROR_STOP=1 -h "$demo" -p 5432 -U "$role" -d sgz -c "$1" 2>&1
}

server_pid() { head -n 1 "$demo/postmaster.pid" 2>/dev/null; }
server_up() { [ "$(dpsql 'SELECT 1')" = 1 ]; }
server_gone() {
	gone_pid=$(server_pid)
	[ -z "$gone_pid" ] || ! kill -0 "$gone_pid" 2>/dev/null
}

# Replaces tmux.sh's EXIT trap (stop tmux, remove tap_tmp) so that the demo
# server stops too; tmux.sh's signal traps exit through it.
cleanup() {
	tmux_stop
	"$SGZ_BIN" demo --stop >/dev/null 2>&1
	# Should --stop have failed, still no server may outlive the test.
	left=$(server_pid)
	if [ -n "$left" ] && kill -0 "$left" 2>/dev/null; then
		kill -INT "$left" 2>/dev/null
		poll 30 server_gone
	fi
	rm -rf "$tap_tmp"
}
trap cleanup EXIT

# The interface runs in tmux through this script, so that its standard error
# (the progress lines) and exit status can be read, and so that the pane has
# deliberately wrong PG* settings, which the demo must ignore.
{
	echo '#!/bin/sh'
	echo "HOME='$HOME'"
	echo 'LC_ALL=C.UTF-8'
	echo 'PGHOST=/nonexistent PGPORT=1 PGDATABASE=nosuchdb PGUSER=nosuchuser'
	echo "PGSERVICE=nosuchservice PGOPTIONS='-c search_path=nowhere'"
	echo 'export HOME LC_ALL PGHOST PGPORT PGDATABASE PGUSER PGSERVICE PGOPTIONS'
	echo 'unset XDG_STATE_HOME'
	echo 'run=$1'
	echo 'shift'
	echo "'$SGZ_BIN' --lang en demo \"\$@\" 2>'$tap_tmp/'\"\$run.err\""
	echo "echo \$? >'$tap_tmp/'\"\$run.rc\""
} >"$tap_tmp/run-demo"
chmod 755 "$tap_tmp/run-demo"

# start RUN [ARG...] - opens the demo in tmux and waits for the main menu
# (the first start runs initdb, the migrations and loads 44,699 divisions);
# sets elapsed (milliseconds).
start() {
	t0=$(now_ms)
	tmux_start "$tap_tmp/run-demo" "$@"
	wait_for "Main menu" 180 && wait_for "$role@sgz" 5
	started=$?
	elapsed=$(($(now_ms) - t0))
	return $started
}

# quit RUN - q on the main menu; prints the exit status. (run-demo records
# it: tmux itself sometimes never learns the status of a dead pane.)
quit() {
	tmux_keys q
	poll 20 test -s "$tap_tmp/$1.rc"
	cat "$tap_tmp/$1.rc" 2>/dev/null
}

# process_gone PID - no such process, or only a zombie its parent has not reaped.
process_gone() {
	pg_stat=$(ps -o stat= -p "$1")
	[ -z "$pg_stat" ] || [ "${pg_stat#Z}" != "$pg_stat" ]
}

# 1. First start: create, start, migrate, load, open the interface.
if start first; then
	pass "first start opens the interface"
else
	fail "first start opens the interface" "$(cat "$tap_tmp/first.err")"
	bail "the demo did not start"
fi
echo "# first start: $elapsed ms"
like "first start loads the divisions" "$(cat "$tap_tmp/first.err")" "loaded 44,699 divisions"
ok "the cluster is in the state directory" test -d "$demo" -a ! -L "$demo"
# The national file plus the demo's villages.
ndiv=$(($(wc -l <"$SGZ_DATADIR/divisions-2022.csv") + $(wc -l <"$SGZ_DATADIR/demo/divisions.csv") - 2))
is "divisions loaded" "$(dpsql 'SELECT count(*) FROM sgz.division')" "$ndiv"
# Every module has something real to show: each demo file is loaded whole.
missing=""
for f in "$SGZ_DATADIR"/demo/*.csv; do
	e=$(basename "$f" .csv)
	[ "$e" = divisions ] && continue
	t=$e
	case $e in
	organizations) t=organization ;; stations) t=station ;; service_points) t=service_point ;;
	volunteers) t=volunteer ;; activities) t=activity ;; recipients) t=recipient ;;
	cases) t=case_file ;; visits) t=visit ;; contracts) t=contract ;; evaluations) t=evaluation ;;
	plans) t=plan ;;
	community_orgs) t=community_org ;; outreach_visits) t=outreach_visit ;;
	supervisions) t=supervision ;; trainings) t=training ;; resources) t=resource ;;
	indicators) t=indicator ;; programmes) t=programme ;; evaluation_scores) t=evaluation_score ;;
	payments) t=payment ;; submissions) t=submission ;;
	esac
	want=$(($(wc -l <"$f") - 1))
	got=$(dpsql "SELECT count(*) FROM sgz.$t")
	[ "$got" = "$want" ] || missing="$missing $e:$got/$want"
done
is "every demo file is loaded whole (staff, hours, cases, contracts, ...)" "$missing" ""
is "stations loaded" "$(dpsql 'SELECT count(*) FROM sgz.station')" \
	"$(($(wc -l <"$SGZ_DATADIR/demo/stations.csv") - 1))"
is "default station names" \
	"$(dpsql "SELECT name FROM sgz.station WHERE township = '120110001000'")" \
	"东丽区张贵庄街道社会工作服务站"
is "no TCP listener" "$(dpsql 'SHOW listen_addresses')" ""
is "the superuser is the invoking user" "$(dpsql 'SELECT current_user')" "$role"
if [ "$(id -u)" = 0 ]; then
	is "as root the server runs as postgres" "$(ps -o user= -p "$(server_pid)")" postgres
else
	is "the server runs as the user" "$(ps -o user= -p "$(server_pid)")" "$role"
fi
is "q quits with status 0" "$(quit first)" 0
ok "the server still runs after the interface quits" server_up

# 2. Second start: quick, loads nothing.
sysid=$(dpsql 'SELECT system_identifier FROM pg_control_system()')
marker=$(ls -l --time-style=+%s.%N "$demo/sgz-demo-loaded")
if start second; then
	pass "second start opens the interface"
else
	fail "second start opens the interface" "$(cat "$tap_tmp/second.err")"
fi
echo "# second start: $elapsed ms"
ok "second start is quick (under 5 s)" test "$elapsed" -lt 5000
unlike "second start loads nothing" "$(cat "$tap_tmp/second.err")" "loading"
is "second start leaves the load marker alone" \
	"$(ls -l --time-style=+%s.%N "$demo/sgz-demo-loaded")" "$marker"
is "q quits the second run" "$(quit second)" 0

# 3. --stop, twice; pg_virtualenv's PG* environment is ignored here too.
pid=$(server_pid)
"$SGZ_BIN" demo --stop 2>"$tap_tmp/stop.err"
is "--stop exits 0" $? 0
ok "--stop stops the server" poll 30 server_gone
ok "the postmaster is gone" poll 10 process_gone "$pid"
"$SGZ_BIN" demo --stop 2>"$tap_tmp/stop2.err"
is "--stop when stopped exits 0" $? 0
"$SGZ_BIN" demo --bogus 2>/dev/null
is "an unknown option exits 2" $? 2

# 4. --reset: a new cluster, loaded again.
if start reset --reset; then
	pass "--reset opens the interface"
else
	fail "--reset opens the interface" "$(cat "$tap_tmp/reset.err")"
fi
like "--reset loads again" "$(cat "$tap_tmp/reset.err")" "loaded 44,699 divisions"
new_sysid=$(dpsql 'SELECT system_identifier FROM pg_control_system()')
ok "--reset made a new cluster" test -n "$new_sysid" -a "$new_sysid" != "$sysid"
is "divisions after --reset" "$(dpsql 'SELECT count(*) FROM sgz.division')" "$ndiv"
is "q quits after --reset" "$(quit reset)" 0
"$SGZ_BIN" demo --stop 2>/dev/null
ok "the final --stop leaves no server" poll 30 server_gone
