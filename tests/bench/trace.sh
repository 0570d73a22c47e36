# tests/bench/trace.sh - sgz driven as its users, and the statements it sent
# timed as the roles that sent them (spec/bench.md: "every figure that
# times a query times the statement sgz itself sends, taken from sgz, never
# re-typed, as the non-superuser roles that send it"). Sourced by
# tests/bench/run inside a cluster, after tests/lib/tap.sh, tmux.sh and
# sqltrace.sh; uses run's $work, $runs, $SGZ_BIN, $su (the cluster's
# superuser) and $server_log.
#
# sgz runs with SGZ_TRACE_SQL (src/db/db.c): every statement it sends, with
# its parameters, goes into a trace file, one psql-replayable record each.
# The server logs the statements of the bench's roles too (log_statement =
# all, set on those roles), so that:
#
#   * trace_check ROLE: the trace holds what the server got from that
#     session, byte for byte;
#   * time_rec ...: the statement timed is a record of the trace, sent to
#     the server as PREPARE sgz_trace AS <its bytes>; the server's log of
#     the timing session is read back and compared with the record; a byte
#     of difference stops the run.
#
# A statement is timed in a psql session as its role: sgz's own session
# settings replayed first (the first record of its process: the timeouts,
# DateStyle), and, for a statement sgz sent inside a transaction, the
# records from that transaction's BEGIN; then PREPARE, and EXPLAIN
# (ANALYZE, TIMING OFF) EXECUTE with its parameters, best of $runs, planned
# with its values each time (plan_cache_mode = force_custom_plan, as
# libpq's unnamed statements always are); then once more with BUFFERS for
# the record. Figures are the server's Execution Time.

# ---- driving sgz in tmux ----

# sgz_start ROLE NAME: sgz at 80x24 as ROLE, the trace into
# $work/trace/NAME.sql, until its main menu shows.
sgz_start() {
	mkdir -p "$work/trace"
	trace_name=$2
	trace_file=$work/trace/$2.sql
	trace_role=$1
	: >"$work/trace/$2.actions"
	# (tmux.sh is not written for set -e)
	set +e
	tmux_start env PGUSER="$1" SGZ_TRACE_SQL="$trace_file" "$SGZ_BIN" --lang en
	set -e
	wait_for "q quit" 60 || bail "sgz as $1 did not show its main menu"
}

sgz_stop() {
	tmux_keys Escape Escape Escape q
	wait_exit 30 >/dev/null || bail "sgz as $trace_role did not end"
	set +e
	tmux_stop
	set -e
}

trace_count() {
	_n=$(grep -c '^-- sgz-trace ' "$trace_file" 2>/dev/null || true)
	echo "${_n:-0}"
}

# The server's state of sgz's session (the backend of the last record).
backend_state() {
	_b=$(grep '^-- sgz-trace ' "$trace_file" | tail -n 1 | tr ' ' '\n' | sed -n 's/^backend=//p')
	PGUSER=$su psql -XAtqc "SELECT state FROM pg_stat_activity WHERE pid = ${_b:-0}"
}

# act LIST ACTION KEY...: sends the keys, waits until sgz has sent at least
# one statement and then nothing for 0.3 s, its screen unchanged and its
# session idle, and notes the records the keys caused as ACTION of LIST.
act() {
	_list=$1 _action=$2
	shift 2
	_from=$(($(trace_count) + 1))
	tmux_keys "$@"
	_end=$(($(date +%s) + 120))
	until [ "$(trace_count)" -ge "$_from" ]; do
		if [ "$(date +%s)" -gt "$_end" ]; then
			tmux_screen | sed 's/^/# |/'
			bail "$trace_role, $_list, $_action ($*): sgz sent no statement in 120 s"
		fi
		sleep 0.05
	done
	_c=$(trace_count)
	_sc=$(tmux_screen)
	while :; do
		sleep 0.3
		_c2=$(trace_count)
		_sc2=$(tmux_screen)
		[ "$_c2" = "$_c" ] && [ "$_sc2" = "$_sc" ] && [ "$(backend_state)" = idle ] && break
		_c=$_c2 _sc=$_sc2
	done
	echo "$_list $_action $_from $_c2" >>"$work/trace/$trace_name.actions"
	tmux_screen >"$work/trace/$trace_name.$_list.$_action.screen"
}

# focus LABEL: Tab in a form until the cursor is on the row of LABEL.
focus() {
	for _ in $(seq 20); do
		_row=$(tmux_screen | grep -n -- "$1" | head -n 1 | cut -d: -f1)
		[ -n "$_row" ] || bail "$trace_role: no field $1 on the form"
		[ "$(tmux_format '#{cursor_y}')" = $((_row - 1)) ] && return 0
		tmux_keys Tab
		sleep 0.1
	done
	tmux_screen | sed 's/^/# |/'
	bail "$trace_role: Tab never reached the field $1"
}

# ---- the records ----

# trace_split NAME: the trace of NAME taken apart ($work/trace/NAME.d).
trace_split() {
	sqltrace_split "$work/trace/$1.sql" "$work/trace/$1.d" >/dev/null ||
		bail "the trace of $1 is not well formed"
}

# trace_check NAME: the trace of NAME against the server's log of the
# same sessions: the same statements, byte for byte, in the same order.
trace_check() {
	_d=$work/trace/$1.d
	_n=$(ls "$_d" | grep -c '\.hdr$')
	# shellcheck disable=SC2046
	_m=$(sqltrace_log "$server_log" sgz "$work/trace/$1.log" $(for h in "$_d"/*.hdr; do
		sqltrace_field "$h" backend; done | sort -u))
	[ "$_m" = "$_n" ] || bail "the trace of $1 has $_n statements, the server logged $_m"
	for _f in "$_d"/*.sql; do
		cmp -s "$_f" "$work/trace/$1.log/${_f##*/}" ||
			bail "the trace of $1 differs from what the server got at ${_f##*/}"
	done
	echo "$_n"
}

rec() { printf '%s/trace/%s.d/%06d' "$work" "$1" "$2"; }

# stmt NAME LIST ACTION [NTH]: the NTH (default: last) page statement of
# LIST's table or its masking view (a SELECT ... FROM TABLE t WHERE true
# ... LIMIT $n::bigint, or LIMIT (SELECT $n::bigint)) among the records ACTION caused. Prints its
# number; none stops the run.
stmt() {
	_w=$(awk -v l="$2" -v a="$3" '$1 == l && $2 == a { print $3, $4 }' \
		"$work/trace/$1.actions" | tail -n 1)
	[ -n "$_w" ] || bail "$1: no $3 of $2"
	set -- "$1" "$2" "$3" "${4:-0}" $_w
	_k=0 _hits=""
	for _r in $(seq "$5" "$6"); do
		_f=$(rec "$1" "$_r").sql
		case $(head -c 7 "$_f") in "SELECT ") ;; *) continue ;; esac
		grep -Eq " FROM $(table_of_list "$2")(_v)? t WHERE true" "$_f" || continue
		tail -c 40 "$_f" | grep -Eq ' LIMIT (\$[0-9]+::bigint|\(SELECT \$[0-9]+::bigint\))$' || continue
		_hits="$_hits $_r"
	done
	if [ -z "$_hits" ]; then
		sed 's/^/# |/' "$work/trace/$1.$2.$3.screen" >&2
		for _r in $(seq "$5" "$6"); do
			printf '# %s: %s\n' "$_r" "$(head -c 200 "$(rec "$1" "$_r").sql" | tr '\n' ' ')" >&2
		done
		bail "$1: $3 of $2 sent no page of $(table_of_list "$2")"
	fi
	# shellcheck disable=SC2086
	if [ "$4" = 0 ]; then
		echo $_hits | awk '{ print $NF }'
	else
		echo $_hits | awk -v n="$4" '{ if (n > NF) exit 1; print $n }' ||
			bail "$1: $3 of $2 sent fewer than $4 pages"
	fi
}

table_of_list() {
	case $1 in
	volunteers) echo sgz.volunteer ;;
	hours) echo sgz.hours ;;
	visits) echo sgz.visit ;;
	*) bail "no table for the list $1" ;;
	esac
}

# kind_of FILE: first, after, before or last, by the SQL of a page.
kind_of() {
	# a key compared ("(a, b) > (...)", or "(a, b) >= (...) AND NOT (...)"
	# when an order column may be empty): after, or before read backwards
	if grep -q ') [<>]=\{0,1\} (' "$1"; then
		if grep -q ' DESC' "$1"; then echo before; else echo after; fi
	elif grep -q ' DESC' "$1"; then echo last
	else echo first
	fi
}

# The record as psql replays it.
replay_text() {
	if [ -f "$1.exec" ]; then
		printf 'PREPARE sgz_trace AS\n'
		cat "$1.sql"
		printf '\n;\n'
		cat "$1.exec"
		printf 'DEALLOCATE sgz_trace;\n'
	else
		cat "$1.sql"
		printf '\n;\n'
	fi
}

# params_of REC: the parameters of a record (its EXECUTE line's list).
params_of() {
	[ -f "$1.exec" ] || return 0
	sed 's/^EXECUTE sgz_trace(//; s/);$//' "$1.exec"
}

# literals: fields separated by \037 on standard input as SQL literals, as
# db.c writes them ('...' or E'...').
literals() {
	LC_ALL=C awk -F '\037' '{
		for (i = 1; i <= NF; i++) {
			v = $i
			e = v ~ /[\047\\\001-\037\177]/
			if (e) {
				gsub(/\\/, "\\\\", v); gsub(/\047/, "\\\047", v)
				gsub(/\n/, "\\n", v); gsub(/\r/, "\\r", v); gsub(/\t/, "\\t", v)
			}
			printf "%s%s\047%s\047", (i > 1 ? ", " : ""), (e ? "E" : ""), v
		}
		print ""
	}'
}

# ms_of: the best Execution Time of EXPLAIN outputs on standard input.
best_ms() {
	awk '/Execution Time/ { if (b == "" || $3 < b) b = $3 } END { print b }'
}

# time_rec NAME REC PARAMS EXPLAIN [ROLE]: times record REC of NAME's
# trace with PARAMS (a list of literals; "" for the record's own) as the
# role that sent it (or ROLE, for a peer: labelled so), prints the best
# Execution Time in ms; the BUFFERS run goes to EXPLAIN. Stops the run when
# the server did not get the record's bytes.
time_rec() {
	_name=$1 _r=$2 _p=$3 _x=$4
	_rf=$(rec "$_name" "$_r")
	_role=${5:-$(sqltrace_field "$_rf.hdr" user)}
	[ -n "$_p" ] || _p=$(params_of "$_rf")
	_pid=$(sqltrace_field "$_rf.hdr" pid)
	_s=$work/time.sql
	{
		echo "SELECT 'bench-backend', pg_backend_pid();"
		echo "SET plan_cache_mode = force_custom_plan;"
		# sgz's session settings: the first record of its process;
		# the records of the transaction the statement was sent in
		awk -v pid="$_pid" -v r="$_r" '$2 == pid && $1 < r {
			if (!first) first = $1
			if ($5 == "BEGIN") { begin = $1; tx = "" }
			else if ($5 == "COMMIT" || $5 == "ROLLBACK") begin = ""
			else if (begin) tx = tx " " $1
		} END { print first + 0, begin + 0, tx }' "$work/trace/$_name.d/index" >"$work/prefix"
		read -r _first _begin _tx <"$work/prefix"
		if [ "$_first" -gt 0 ]; then
			replay_text "$(rec "$_name" "$_first")"
		fi
		if [ "$_begin" -gt 0 ]; then
			for _k in $_begin $_tx; do
				replay_text "$(rec "$_name" "$_k")"
			done
		fi
		printf 'PREPARE sgz_trace AS\n'
		cat "$_rf.sql"
		printf '\n;\n'
		for _ in $(seq "$runs"); do
			printf '%s\n' "EXPLAIN (ANALYZE, TIMING OFF) EXECUTE sgz_trace($_p);"
		done
		printf '%s\n' '\echo @@buffers'
		printf '%s\n' "EXPLAIN (ANALYZE, BUFFERS) EXECUTE sgz_trace($_p);"
		echo "DEALLOCATE sgz_trace;"
		if [ "$_begin" -gt 0 ]; then
			echo "ROLLBACK;"
		fi
	} >"$_s"
	PGUSER=$_role PGAPPNAME=sgz_bench psql -XAtq -f "$_s" >"$work/time.out" 2>"$work/time.err"
	if grep -q 'ERROR' "$work/time.err"; then
		sed 's/^/# /' "$work/time.err" >&2
		bail "timing record $_r of $_name as $_role failed"
	fi
	_bp=$(sed -n 's/^bench-backend|//p' "$work/time.out")
	sqltrace_log "$server_log" sgz_bench "$work/time.log" "$_bp" >/dev/null
	# the last PREPARE of the session is the one timed
	_last=""
	for _f in "$work/time.log"/*.sql; do
		if [ "$(head -c 20 "$_f")" = "PREPARE sgz_trace AS" ]; then
			_last=$_f
		fi
	done
	[ -n "$_last" ] || bail "the server logged no PREPARE of the timing session $_bp"
	sqltrace_unprepare "$_last"
	cmp -s "$_last" "$_rf.sql" ||
		bail "FAILED: the statement timed is not byte-identical to record $_r of $_name," \
			"the one sgz sent"
	sed -n '/^@@buffers$/,$p' "$work/time.out" | sed 1d >"$_x"
	sed '/^@@buffers$/,$d' "$work/time.out" | best_ms
}

# peer_ms ROLE SQLFILE PARAMS: a statement that is not sgz's (a peer) as
# ROLE, best of $peer_runs, no statement timeout.
peer_ms() {
	{
		echo "SET statement_timeout = 0;"
		echo "SET plan_cache_mode = force_custom_plan;"
		printf 'PREPARE bench_peer AS\n'
		cat "$2"
		printf '\n;\n'
		for _ in $(seq "$peer_runs"); do
			printf '%s\n' "EXPLAIN (ANALYZE, TIMING OFF) EXECUTE bench_peer($3);"
		done
	} >"$work/peer.sql"
	PGUSER=$1 psql -XAtq -f "$work/peer.sql" 2>"$work/peer.err" | best_ms
	! grep -q ERROR "$work/peer.err" || bail "peer as $1: $(cat "$work/peer.err")"
}

# rows_of NAME FIRST: how many rows the list whose first page is record
# FIRST has for its role (that statement counted without its LIMIT).
rows_of() {
	_rf=$(rec "$1" "$2")
	{
		echo "SET statement_timeout = 0;"
		printf 'PREPARE bench_count AS SELECT count(*) FROM (\n'
		cat "$_rf.sql"
		printf '\n) s;\n'
		echo "EXECUTE bench_count('1000000000000');"
	} >"$work/count.sql"
	PGUSER=$(sqltrace_field "$_rf.hdr" user) psql -XAtq -f "$work/count.sql" 2>"$work/count.err"
	! grep -q ERROR "$work/count.err" || bail "rows of $1's record $2: $(cat "$work/count.err")"
}

# row_key NAME FIRST N NKEYS: the key of row N of a list as ROLE sees it
# (the role of record FIRST, the list's first page as sgz sent it, run
# with LIMIT N and the rows before N skipped), as a list of literals: the
# first NKEYS columns of the row, which browse.c sends as the key of the
# next page. Empty when there is no row N.
row_key() {
	_rf=$(rec "$1" "$2")
	{
		echo "SET statement_timeout = 0;"
		printf 'PREPARE bench_key AS SELECT * FROM (\n'
		cat "$_rf.sql"
		printf '\n) s OFFSET %d LIMIT 1;\n' "$(($3 - 1))"
		echo "EXECUTE bench_key('$3');"
	} >"$work/key.sql"
	PGUSER=$(sqltrace_field "$_rf.hdr" user) psql -XAtq -F "$(printf '\037')" \
		-f "$work/key.sql" 2>"$work/key.err" | cut -d "$(printf '\037')" -f "1-$4" | literals
	! grep -q ERROR "$work/key.err" || bail "the key of row $3: $(cat "$work/key.err")"
}
