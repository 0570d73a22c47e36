# tests/bench/session.sh - the figures of one person's session at the
# terminal (spec/bench.md: scoped list, search, start, memory), sourced by
# tests/bench/run inside the province's cluster once everything is imported.
# Uses run's helpers: row, row_ms, best_of, timed, commas, $runs, $notes,
# $work, $SGZ_BIN.

# A county user of the county with the most volunteers: the scoped figures
# are taken as the people they are for.
county=$(psql -XAtqc "SELECT left(station, 6) FROM sgz.volunteer GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
"$SGZ_BIN" user add bench_county --scope "$county" --kind county >/dev/null 2>&1
in_county=$(psql -XAtqc "SELECT count(*) FROM sgz.volunteer WHERE station LIKE '$county%'")
psql -Xqc "VACUUM ANALYZE sgz.volunteer"

# server time of SQL as role ROLE: Execution Time of EXPLAIN ANALYZE, best
# of $runs in one session, as sgz's one connection runs it all day (a new
# session's first statement also pays for loading the catalogs)
role_ms() { # ROLE SQL
	for _ in $(seq "$runs"); do
		printf '%s;\n' "EXPLAIN (ANALYZE, TIMING OFF) $2"
	done | PGUSER=$1 psql -XAtq | awk '/Execution Time/ { if (b == "" || $3 < b) b = $3 } END { print b }'
}
admin=$(psql -XAtqc "SELECT current_user")

# ---- scoped list: the first page of the volunteers list, as sgz asks it
# (browse.c: the scope column, then the key) ----
page="SELECT t.id_number, t.name, t.phone, t.station, t.team, t.registered_on
  FROM sgz.volunteer t ORDER BY t.station, t.id_number LIMIT 40"
c=$(role_ms bench_county "$page")
a=$(role_ms "$admin" "$page")
row_ms "scoped list: volunteers, first page" "$c" "$a" "<= 2x"

# ---- search, as the county user: what the / filter sends ----
name=$(psql -XAtqc "SELECT substr(name, 2, 1) FROM sgz.volunteer WHERE station LIKE '$county%' LIMIT 1")
initials=$(psql -XAtqc "SELECT left(initials, 2) FROM sgz.volunteer WHERE station LIKE '$county%' LIMIT 1")
idp=$(psql -XAtqc "SELECT left(id_number, 10) FROM sgz.volunteer WHERE station LIKE '$county%' LIMIT 1")
search() { # PATTERN
	printf '%s' "SELECT t.id_number, t.name, t.station FROM sgz.volunteer t
  WHERE (t.id_number::text ILIKE '%$1%' OR t.name::text ILIKE '%$1%'
     OR t.initials LIKE lower('$1%'))
  ORDER BY t.station, t.id_number LIMIT 40"
}
row_ms "search: name fragment '$name' (county user)" "$(role_ms bench_county "$(search "$name")")" \
	"$(role_ms "$admin" "$(search "$name")")" "<= 10 ms"
row_ms "search: pinyin initials '$initials' (county user)" \
	"$(role_ms bench_county "$(search "$initials")")" \
	"$(role_ms "$admin" "$(search "$initials")")" "<= 10 ms"
row_ms "search: ID prefix $idp (county user)" "$(role_ms bench_county "$(search "$idp")")" \
	"$(role_ms "$admin" "$(search "$idp")")" "<= 10 ms"
printf '%s\n' "note: scoped list and search: server time (EXPLAIN ANALYZE, TIMING OFF, best of $runs)" \
	"  as a county user of $county ($(commas "$in_county") volunteers); peer = the same query as the admin" \
	>>"$notes"

# ---- start and memory: the real binary in a terminal (tmux) ----
if command -v tmux >/dev/null 2>&1; then
	sock=sgz-bench-$$
	tm() { tmux -L "$sock" "$@"; }
	# sgz in a fresh terminal, until its main menu shows (polled every 2 ms)
	launch() {
		tm kill-server 2>/dev/null || true
		t0=$(now)
		tm new -d -x 80 -y 24 "$SGZ_BIN --lang en 2>>$work/sgz.err; echo exit \$? >>$work/sgz.err"
		i=0
		until tm capture-pane -p 2>/dev/null | grep -q "q quit"; do
			i=$((i + 1))
			[ $i -gt 5000 ] && break
			sleep 0.002
		done
		echo "$(now) $t0" | awk '{ printf "%.4f\n", $1 - $2 }' >"$timing"
	}
	start_once() {
		launch
		tm kill-server 2>/dev/null || true
	}
	s=$(best_of "$runs" start_once)
	p=$(best_of "$runs" timed psql -XAtqc 'select 1')
	row "start: sgz to the main menu (tmux)" "$s" "$p" "<= 2x"

	# memory: every screen opened, then the resident and private sets. In a
	# subshell: a tmux command failing here is a missing figure, not a
	# failed run (tmux clients have said "server exited unexpectedly" here
	# while sgz went on).
	(
	set +e
	sock=sgz-bench-mem-$$ # a server of its own: the last one may still be going
	launch
	tm has-session 2>/dev/null || { sleep 1; launch; }
	for k in 1 1 Escape 2 Escape 3 Escape 4 Escape 5 Escape Escape 2 1 Escape 2 Escape 3 \
		Escape Escape 3 1 Escape 2 Escape 3 Escape Escape 4 1 Escape 2 Escape 3 Escape Escape \
		5 Escape 6 1 Escape 2 Escape 3 Escape 4 Escape Escape; do
		# a tmux client here and there says "server exited unexpectedly"
		# while the server and sgz go on: once more, then on
		tm send-keys "$k" 2>/dev/null || { sleep 0.2; tm send-keys "$k" 2>/dev/null; }
		sleep 0.3
	done
	if ! tm has-session 2>/dev/null; then
		echo "note: memory: sgz was gone before its figure was taken:" \
			"$(tail -n 3 "$work/sgz.err" | tr '\n' ' ')" >>"$notes"
		exit 0
	fi
	# the pane's process, or its child when a shell runs the command
	pane_process() {
		_p=$(tm display -p '#{pane_pid}')
		_c=$(pgrep -P "$_p" | head -n 1)
		echo "${_c:-$_p}"
	}
	pid=$(pane_process 2>/dev/null)
	if [ ! -r "/proc/$pid/smaps_rollup" ]; then
		echo "note: memory: tmux lost the pane before the figure was taken" >>"$notes"
		tm kill-server 2>/dev/null
		exit 0
	fi
	mem() { awk '/^Rss:/ { r = $2 } /^Private_(Clean|Dirty):/ { p += $2 } END { print r, p }' \
		"/proc/$1/smaps_rollup"; }
	set -- $(mem "$pid")
	s_rss=$1 s_priv=$2
	tm kill-server 2>/dev/null || true
	# the peer in a server of its own, too (a new server just after a
	# kill-server on the same socket has died at birth here)
	sock=sgz-bench-psql-$$
	tm new -d -x 80 -y 24 "psql -X"
	sleep 1
	ppid=$(pane_process 2>/dev/null)
	if [ -r "/proc/$ppid/smaps_rollup" ]; then
		set -- $(mem "$ppid")
		p_rss=$1 p_priv=$2
	else
		p_rss=0 p_priv=0
		echo "note: memory: psql's figure could not be taken" >>"$notes"
	fi
	tm kill-server 2>/dev/null || true
	printf '%-46s %8.1fMB %8.1fMB %8s  %s\n' "memory: resident set, every screen opened" \
		"$(echo "$s_rss" | awk '{ print $1 / 1024 }')" "$(echo "$p_rss" | awk '{ print $1 / 1024 }')" \
		"$(ratio "$s_rss" "$p_rss")" "<= 0.8x"
	printf '%-46s %8.1fMB %8.1fMB %8s  %s\n' "memory: private" \
		"$(echo "$s_priv" | awk '{ print $1 / 1024 }')" "$(echo "$p_priv" | awk '{ print $1 / 1024 }')" \
		"$(ratio "$s_priv" "$p_priv")" "<= 2 MB"
	) </dev/null || echo "note: memory: the figure could not be taken" >>"$notes"
	printf '%s\n' "note: start = sgz launched in tmux until its main menu shows (polled every 2 ms)," \
		"  peer psql -c 'select 1'; memory from /proc/PID/smaps_rollup, peer psql idle" >>"$notes"
else
	echo "note: start and memory need tmux" >>"$notes"
fi
