# tests/bench/session.sh - the figures of sgz as its users use it
# (spec/bench.md: list page, scoped list, search, reports, start, memory),
# sourced by tests/bench/run inside the province's cluster once everything
# is imported. Uses run's helpers (row, row_q, best_of, timed, commas,
# $runs, $notes, $work, $SGZ_BIN, sgzo, su_psql) and trace.sh's.
#
# One user of each kind, made by sgz user add as the owner of the database
# (not a superuser): admin (scope 13), region (the prefecture of the
# county below), county (the county with the most volunteers), station
# (that county's station with the most hours). Each opens sgz in tmux with
# the trace on and, in the volunteers, hours and visits lists: the first
# page, Page Down, End, Page Up, and (but the region, who reads only) a
# record opened, changed and saved, which puts the list back where it was.
# The county user also searches the volunteers. Every figure below is a
# statement of those traces, timed as the role that sent it.

county=$(psql -XAtqc "SELECT left(station, 6) FROM sgz.volunteer GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
region=$(echo "$county" | cut -c1-4)
station=$(psql -XAtqc "SELECT station FROM sgz.hours WHERE station LIKE '$county%'
	GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
township=$(echo "$station" | cut -c1-9)
sgzo user add bench_admin --scope 13 --kind admin >/dev/null 2>&1
sgzo user add bench_region --scope "$region" --kind region >/dev/null 2>&1
sgzo user add bench_county --scope "$county" --kind county >/dev/null 2>&1
sgzo user add bench_station --scope "$township" --kind station >/dev/null 2>&1
kinds="admin region county station"
bench_logging bench_admin bench_region bench_county bench_station
psql -Xqc "VACUUM ANALYZE sgz.volunteer" -c "VACUUM ANALYZE sgz.hours" -c "VACUUM ANALYZE sgz.visit"
scope_of() {
	case $1 in
	admin) echo 13 ;;
	region) echo "$region" ;;
	county) echo "$county" ;;
	station) echo "$township" ;;
	esac
}

# ---- sgz driven by each kind of user ----
# list:main menu item:submenu item:the field a save changes
lists="volunteers:2:1:Skills hours:2:3:Note visits:3:3:Summary"
name=$(psql -XAtqc "SELECT substr(name, 2, 1) FROM sgz.volunteer WHERE station LIKE '$county%'
	ORDER BY id_number LIMIT 1")
initials=$(psql -XAtqc "SELECT left(initials, 2) FROM sgz.volunteer WHERE station LIKE '$county%'
	ORDER BY id_number LIMIT 1")
idp=$(psql -XAtqc "SELECT left(id_number, 10) FROM sgz.volunteer WHERE station LIKE '$county%'
	ORDER BY id_number LIMIT 1")
for kind in $kinds; do
	sgz_start "bench_$kind" "$kind"
	for spec in $lists; do
		# shellcheck disable=SC2086
		set -- $(echo "$spec" | tr : ' ')
		list=$1 menu=$2 item=$3 field=$4
		act "$list" first "$menu" "$item"
		act "$list" pgdn NPage
		act "$list" end End
		act "$list" pgup PPage
		if [ "$kind" != region ]; then
			tmux_keys Down Down Down
			act "$list" open Enter
			focus "$field"
			tmux_keys x
			act "$list" save F2
		fi
		tmux_keys Escape Escape
		wait_for "q quit" 30 || bail "$kind: the main menu did not come back from $list"
	done
	if [ "$kind" = county ]; then
		act volunteers search 2 1
		for s in name:"$name" initials:"$initials" idnum:"$idp"; do
			tmux_keys /
			wait_for "Esc clear" 10 || bail "no filter prompt"
			tmux_keys -l "${s#*:}"
			act volunteers "search_${s%%:*}" Enter
			act volunteers search_clear / Escape
		done
		tmux_keys Escape Escape
		wait_for "q quit" 30 || bail "county: the main menu did not come back"
	fi
	sgz_stop
	trace_split "$kind"
	n=$(trace_check "$kind")
	echo "note: trace of the $kind user: $n statements, each what the server logged," \
		"byte for byte" >>"$notes"
done

# ---- list pages ----

# The value of the last literal of a list of parameters (a page's LIMIT).
last_param() { printf '%s\n' "$1" | sed "s/.*, //; s/^'//; s/'\$//"; }
# All but the last.
key_params() { printf '%s\n' "$1" | sed 's/, [^,]*$//'; }
nparams() { printf '%s\n' "$1" | awk -F ', ' '{ print NF }'; }
figure_no=0
# q_row FIGURE MS PEER TARGET-MS EXPLAIN-FILE: a row of the table; a figure
# over its target noted with its EXPLAIN for the end of the run.
q_row() {
	row_q "$1" "$2" "$3" "$4"
	if awk -v a="$2" -v t="$4" 'BEGIN { exit !(a > t) }'; then
		figure_no=$((figure_no + 1))
		{
			echo "== $1: ${2} ms, target <= $4 ms"
			cat "$5"
			echo
		} >>"$work/misses"
	fi
}
deep=$(awk -v s="$SGZ_BENCH_SCALE" 'BEGIN { printf "%d", 4900000 * s }')
for list in volunteers hours visits; do
	for kind in $kinds; do
		role=bench_$kind
		first=$(stmt "$kind" "$list" first)
		after=$(stmt "$kind" "$list" pgdn)
		last=$(stmt "$kind" "$list" end)
		before=$(stmt "$kind" "$list" pgup)
		for x in first:"$first" after:"$after" last:"$last" before:"$before"; do
			[ "$(kind_of "$(rec "$kind" "${x#*:}").sql")" = "${x%%:*}" ] ||
				bail "$kind, $list: record ${x#*:} is not the $x page it should be"
		done
		h=$(last_param "$(params_of "$(rec "$kind" "$first")")")
		ap=$(params_of "$(rec "$kind" "$after")")
		nk=$(($(nparams "$ap") - 1))
		total=$(rows_of "$kind" "$first")
		# the key of row h, read as below for the deeper rows, is the
		# key sgz sent for the page after it
		kh=$(row_key "$kind" "$first" "$h" "$nk")
		[ "$kh" = "$(key_params "$ap")" ] ||
			bail "$kind, $list: the key of row $h read from the first page ($kh) is not" \
				"the key sgz sent for the next page ($(key_params "$ap"))"
		label="$list, $kind"
		x=$work/explain.$list.$kind
		ms=$(time_rec "$kind" "$first" "" "$x.first")
		echo "$ms" >"$work/first.$list.$kind"
		q_row "$label: first page" "$ms" - 5 "$x.first"
		ms=$(time_rec "$kind" "$last" "" "$x.last")
		q_row "$label: End (last page)" "$ms" - 5 "$x.last"
		# OFFSET: the first page's statement, its rows after row N
		offset_sql() {
			sed "s/ LIMIT \\(\\\$[0-9]*::bigint\\|(SELECT \\\$[0-9]*::bigint)\\)\$/ OFFSET $1 LIMIT \\1/" \
				"$(rec "$kind" "$first").sql" >"$work/offset.sql"
			grep -q " OFFSET $1 LIMIT" "$work/offset.sql" || bail "no LIMIT to put an OFFSET before"
		}
		if [ "$kind" != region ]; then
			rb=$(stmt "$kind" "$list" save 1)
			ra=$(stmt "$kind" "$list" save 2)
			[ "$(kind_of "$(rec "$kind" "$rb").sql")" = before ] &&
				[ "$(kind_of "$(rec "$kind" "$ra").sql")" = after ] ||
				bail "$kind, $list: the save did not fetch the rows before and after the record"
			k1=$(last_param "$(params_of "$(rec "$kind" "$rb")")")
			ra_n=$(last_param "$(params_of "$(rec "$kind" "$ra")")")
		fi
		# rows 1 (the page after the first), 100,000 and 4,900,000 (at
		# scale 1) of the role's rows, or its last page's
		depths=$(for d in "$h" 100000 "$deep"; do
			[ "$d" -gt $((total - h)) ] && d=$((total - h))
			[ "$d" -lt "$h" ] && d=$h
			echo "$d"
		done | sort -n -u)
		for depth in $depths; do
			if [ "$depth" = "$h" ]; then key=$kh; else key=$(row_key "$kind" "$first" "$depth" "$nk"); fi
			[ -n "$key" ] || bail "$kind, $list: no row $depth"
			at="row $(commas "$depth")"
			ms=$(time_rec "$kind" "$after" "$key, '$h'" "$x.after.$depth")
			offset_sql "$depth"
			pm=$(peer_ms "$role" "$work/offset.sql" "'$h'")
			q_row "$label: next page after $at" "$ms" "$pm" 5 "$x.after.$depth"
			ms=$(time_rec "$kind" "$before" "$key, '$h'" "$x.before.$depth")
			q_row "$label: previous page before $at" "$ms" - 5 "$x.before.$depth"
			if [ "$kind" != region ] && [ "$depth" -gt "$k1" ]; then
				k2=$(row_key "$kind" "$first" $((depth - k1)) "$nk")
				m1=$(time_rec "$kind" "$rb" "$key, '$k1'" "$x.rb.$depth")
				m2=$(time_rec "$kind" "$ra" "$k2, '$ra_n'" "$x.ra.$depth")
				cat "$x.rb.$depth" "$x.ra.$depth" >"$x.re.$depth"
				q_row "$label: reposition after a save, $at" \
					"$(awk -v a="$m1" -v b="$m2" 'BEGIN { print a + b }')" - 5 "$x.re.$depth"
			fi
		done
		[ "$kind" = region ] &&
			printf '%-52s %10s\n' "$label: reposition after a save" "n/a: reads only"
	done
done
printf '%s\n' "note: list pages: server time (Execution Time of EXPLAIN (ANALYZE, TIMING OFF)," \
	"  best of $runs) of the statement sgz sent for the page, as the role that sent it:" \
	"  at the first row with its own parameters, deeper with the key of row N in their" \
	"  place; reposition = the two statements a save sends to put the list back (the rows" \
	"  before the record, then from there); peer of the next page = sgz's first page with" \
	"  OFFSET N (best of $peer_runs). Scopes: region $region, county $county," \
	"  station $township" >>"$notes"

# ---- scoped list: a county user's first page against an admin's ----
for list in volunteers hours visits; do
	c=$(cat "$work/first.$list.county")
	a=$(cat "$work/first.$list.admin")
	row_ms "scoped list: $list, first page, county/admin" "$c" "$a" "<= 2x"
	if [ -n "$(missed "<= 2x" "$c" "$a")" ]; then
		{
			echo "== scoped list: $list, first page: county $c ms, admin $a ms, target <= 2x"
			echo "-- the county user's:"
			cat "$work/explain.$list.county.first"
			echo "-- the admin user's:"
			cat "$work/explain.$list.admin.first"
			echo
		} >>"$work/misses"
	fi
done

# ---- search, as the county user: what the / filter sends ----
for s in name:"'$name'" initials:"'$initials'" idnum:"ID prefix $idp"; do
	r=$(stmt county volunteers "search_${s%%:*}")
	c=$(time_rec county "$r" "" "$work/explain.search.${s%%:*}")
	a=$(time_rec county "$r" "" "$work/explain.search.${s%%:*}.admin" bench_admin)
	case ${s%%:*} in
	name) what="name fragment ${s#*:}" ;;
	initials) what="pinyin initials ${s#*:}" ;;
	idnum) what="${s#*:}" ;;
	esac
	row_q "search: $what (county)" "$c" "$a" 10
	if awk -v a="$c" 'BEGIN { exit !(a > 10) }'; then
		{ echo "== search: $what: $c ms, target <= 10 ms"; cat "$work/explain.search.${s%%:*}"; echo; } \
			>>"$work/misses"
	fi
done
printf '%s\n' "note: scoped list and search: sgz's statements as the county user of $county" \
	"  ($(commas "$(psql -XAtqc "SELECT count(*) FROM sgz.volunteer WHERE station LIKE '$county%'")") volunteers);" \
	"  peer = the admin user's own first page / the same statement as the admin user" >>"$notes"

# ---- reports: sgz report as the admin user, its statements timed ----
if sgzo report coverage --format csv >/dev/null 2>&1; then
	year=$(date +%Y) month=$(date +%Y-%m)
	trace_file=$work/trace/reports.sql
	for r in coverage staffing hours stars caseload kpi contracts progress community training \
		plan funds submissions evaluation; do
		case $r in
		progress | submissions) set -- --month "$month" ;;
		*) set -- --year "$year" ;;
		esac
		from=$(($(trace_count) + 1))
		if ! PGUSER=bench_admin SGZ_TRACE_SQL=$trace_file "$SGZ_BIN" report "$r" --scope 13 \
			--format csv "$@" -o /dev/null 2>"$work/err"; then
			printf '%-52s %10s  %s\n' "report $r" failed "$(head -1 "$work/err")"
			continue
		fi
		echo "$r $from $(trace_count)" >>"$work/trace/reports.windows"
	done
	trace_split reports
	trace_check reports >/dev/null
	while read -r r from to; do
		case $r in progress) p="--month $month" ;; *) p="--year $year" ;; esac
		# the statements of its transaction
		sum=0
		: >"$work/explain.report.$r"
		for k in $(awk -v f="$from" -v t="$to" '$1 >= f && $1 <= t' "$work/trace/reports.d/index" |
			awk '$5 == "BEGIN" { on = 1; next } $5 == "COMMIT" { on = 0 } on { print $1 }'); do
			ms=$(time_rec reports "$k" "" "$work/x")
			cat "$work/x" >>"$work/explain.report.$r"
			sum=$(awk -v a="$sum" -v b="$ms" 'BEGIN { print a + b }')
		done
		q_row "report $r (province 13, $p)" "$sum" - 500 "$work/explain.report.$r"
		rep() { timed env PGUSER=bench_admin "$SGZ_BIN" report "$r" --scope 13 --format csv \
			$p -o /dev/null; }
		# shellcheck disable=SC2086
		t=$(best_of 3 rep)
		row "  sgz report $r, wall (client included)" "$t" - -
	done <"$work/trace/reports.windows"
	printf '%s\n' "note: reports: server time of the statements of sgz report's transaction" \
		"  (context and report), as the admin user (scope 13); wall = the whole command" >>"$notes"
else
	echo "reports: not available"
fi

# ---- start and memory: the real binary in a terminal (tmux), as the county user ----
sock=sgz-bench-$$
tm() { tmux -L "$sock" "$@"; }
# sgz in a fresh terminal, until its main menu shows (polled every 2 ms)
launch() {
	tm kill-server 2>/dev/null || true
	t0=$(now)
	tm new -d -x 80 -y 24 "PGUSER=bench_county $SGZ_BIN --lang en 2>>$work/sgz.err; echo exit \$? >>$work/sgz.err"
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
p=$(best_of "$runs" timed env PGUSER=bench_county psql -XAtqc 'select 1')
row "start: sgz to the main menu (tmux, county)" "$s" "$p" "<= 2x"

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
	tm send-keys "$k" 2>/dev/null || { sleep 0.2; tm send-keys "$k" 2>/dev/null; }
	sleep 0.3
done
# and every report of menu 5, each run in the user's scope (a digit runs
# one, Esc goes back to the choice)
tm send-keys 5 2>/dev/null
sleep 0.5
for k in 1 2 3 4 5 6 7 8; do
	tm send-keys "$k" 2>/dev/null
	sleep 1.5
	tm send-keys Escape 2>/dev/null
	sleep 0.3
done
tm send-keys Escape 2>/dev/null
sleep 0.3
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
# the same session's private set with a second user's sgz running, as on
# a host many users log in to: sgz's program text is then shared, and
# what is left is the session's own
s2_priv=0
tmux -L "sgz-bench-2nd-$$" new -d -x 80 -y 24 "PGUSER=bench_county $SGZ_BIN --lang en" 2>/dev/null &&
	sleep 2 && [ -r "/proc/$pid/smaps_rollup" ] && s2_priv=$(mem "$pid" | awk '{ print $2 }')
tmux -L "sgz-bench-2nd-$$" kill-server 2>/dev/null || true
tm kill-server 2>/dev/null || true
sock=sgz-bench-psql-$$
tm new -d -x 80 -y 24 "PGUSER=bench_county psql -X"
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
# pspg, the pager psql users page with, on the county's volunteers
pg_rss=0 pg_priv=0
if command -v pspg >/dev/null 2>&1; then
	PGUSER=bench_county psql -XAq --csv -c "SELECT * FROM sgz.volunteer_v" >"$work/pspg.csv"
	sock=sgz-bench-pspg-$$
	tm new -d -x 80 -y 24 "pspg --csv -f $work/pspg.csv"
	sleep 1
	tm send-keys NPage 2>/dev/null
	sleep 0.5
	gpid=$(pane_process 2>/dev/null)
	if [ -r "/proc/$gpid/smaps_rollup" ]; then
		set -- $(mem "$gpid")
		pg_rss=$1 pg_priv=$2
	fi
	tm kill-server 2>/dev/null || true
fi
[ "$pg_rss" = 0 ] && echo "note: memory: pspg's figure could not be taken (apt-get install pspg)" >>"$notes"
printf '%-52s %8.1fMB %8.1fMB %8s  %s\n' "memory: resident set, every screen and report" \
	"$(echo "$s_rss" | awk '{ print $1 / 1024 }')" "$(echo "$p_rss" | awk '{ print $1 / 1024 }')" \
	"$(ratio "$s_rss" "$p_rss")" "<= 0.8x"
printf '%-52s %8.1fMB %8.1fMB %8s  %s\n' "memory: private" \
	"$(echo "$s_priv" | awk '{ print $1 / 1024 }')" "$(echo "$p_priv" | awk '{ print $1 / 1024 }')" \
	"$(ratio "$s_priv" "$p_priv")" "<= 2 MB"
[ "$s2_priv" != 0 ] &&
	printf '%-52s %8.1fMB %8.1fMB %8s  %s\n' "memory: private, a second user's sgz running" \
		"$(echo "$s2_priv" | awk '{ print $1 / 1024 }')" "$(echo "$p_priv" | awk '{ print $1 / 1024 }')" \
		"$(ratio "$s2_priv" "$p_priv")" "<= 2 MB"
if [ "$pg_rss" != 0 ]; then
	printf '%-52s %8.1fMB %8.1fMB %8s  %s\n' "memory: resident set, pspg as the peer" \
		"$(echo "$s_rss" | awk '{ print $1 / 1024 }')" "$(echo "$pg_rss" | awk '{ print $1 / 1024 }')" \
		"$(ratio "$s_rss" "$pg_rss")" "-"
	printf '%-52s %8.1fMB %8.1fMB %8s  %s\n' "memory: private, pspg as the peer" \
		"$(echo "$s_priv" | awk '{ print $1 / 1024 }')" "$(echo "$pg_priv" | awk '{ print $1 / 1024 }')" \
		"$(ratio "$s_priv" "$pg_priv")" "-"
fi
) </dev/null || echo "note: memory: the figure could not be taken" >>"$notes"
printf '%s\n' "note: start = sgz launched in tmux until its main menu shows (polled every 2 ms)," \
	"  peer psql -c 'select 1'; memory from /proc/PID/smaps_rollup after every screen" \
	"  opened and every report run, peer psql idle, and pspg paging the county's volunteers;" \
	"  sgz and psql as the county user" >>"$notes"
