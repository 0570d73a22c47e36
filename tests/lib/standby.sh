# standby.sh - a streaming hot standby of tests/with-pg's cluster, for the
# tests of report_conninfo: pg_basebackup -R of the primary into the
# test's scratch directory, a server on a Unix socket there only, the same
# binaries ($SGZ_PG_BINDIR), as the postgres user when run as root (as
# with-pg runs the primary). Sourced after tap.sh; stopped and removed at
# exit with the scratch directory (and tmux.sh's server: source this after
# it).
#
#   standby_start     the first time: the base backup; then start it
#   standby_stop      stop it (immediate), keeping its data to start again
#   wait_replay       until it has replayed all the primary has written (its
#                     asynchronous commits too: with-pg sets synchronous_commit off)
#   sq SQL            SQL on it as the superuser, errors included
#
# SB is its directory and socket (PGHOST=$SB reaches it); PRIMARY the
# primary's socket directory.

: "${SGZ_PG_BINDIR:?not inside tests/with-pg}"
PRIMARY=$PGHOST
SB=$tap_tmp/sb
_sb_as=""
mkdir "$SB" || bail "mkdir $SB"
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$SB"
	_sb_as="runuser -u postgres --"
fi

standby_stop() {
	[ -f "$SB/data/postmaster.pid" ] || return 0
	$_sb_as "$SGZ_PG_BINDIR/pg_ctl" -D "$SB/data" -m immediate -w stop >/dev/null 2>&1
}
trap 'command -v tmux_stop >/dev/null && tmux_stop; standby_stop; rm -rf "$tap_tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

standby_start() {
	if [ ! -d "$SB/data" ]; then
		$_sb_as "$SGZ_PG_BINDIR/pg_basebackup" -h "$PRIMARY" -p "$PGPORT" -U "$PGUSER" \
			-D "$SB/data" -R -X stream -c fast >"$SB/basebackup.log" 2>&1 ||
			bail "pg_basebackup: $(cat "$SB/basebackup.log")"
	fi
	$_sb_as "$SGZ_PG_BINDIR/pg_ctl" -D "$SB/data" -l "$SB/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$SB' -c fsync=off -c hot_standby=on" \
		start >/dev/null 2>&1 || bail "the standby did not start: $(cat "$SB/server.log")"
}

sq() { PGHOST=$SB psql -XAtqc "$1" 2>&1; }

wait_replay() {
	_sb_lsn=$(PGHOST=$PRIMARY psql -XAtqc 'SELECT pg_current_wal_insert_lsn()')
	_sb_i=0
	while [ "$(sq "SELECT pg_last_wal_replay_lsn() >= '$_sb_lsn'")" != t ]; do
		_sb_i=$((_sb_i + 1))
		[ $_sb_i -lt 300 ] || return 1
		sleep 0.1
	done
}
