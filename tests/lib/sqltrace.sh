# sqltrace.sh - the trace of the SQL sgz sends (SGZ_TRACE_SQL; the format
# is at the top of src/db/db.c) and the statements a PostgreSQL server
# logged, taken apart record by record into files of their exact bytes, so
# that a shell compares statements with cmp(1). POSIX sh and awk (bytes,
# LC_ALL=C). Sourced by tests/tui/trace_sql.sh and tests/bench/run.
#
#   sqltrace_split TRACE DIR    one record a number N (000001, ...):
#                               DIR/N.sql the statement's bytes as sgz sent
#                               them, DIR/N.hdr its header line, DIR/N.exec
#                               the EXECUTE line of its parameters (when it
#                               has any); DIR/index a line a record: N, pid,
#                               backend, user, the statement's first word.
#                               Prints the count; fails, saying where, on a
#                               record that is not well formed.
#   sqltrace_field HDR NAME     a field of a header (pid, seq, user, ...)
#   sqltrace_log LOG APP DIR [PID...]
#                               the statements the server logged for
#                               application_name APP (and those backends
#                               only, when PIDs are given), in order:
#                               DIR/N.sql, DIR/N.params (the DETAIL line of
#                               its parameters), DIR/N.pid, DIR/N.early when
#                               it failed before it was logged (in Parse or
#                               Bind: told by the error's STATEMENT line, no
#                               parameters); DIR/errors the numbers of those
#                               that failed. Prints the count. The server's
#                               settings: log_statement = all, log_duration =
#                               on (a statement done), log_line_prefix as
#                               below.
#   sqltrace_unprepare FILE     a statement the replay of a trace sent
#                               (PREPARE sgz_trace AS\nSQL\n; or SQL\n;) as
#                               the SQL it carried, in place; 1 for the
#                               replay's EXECUTE and DEALLOCATE, 2 for what
#                               does not end so, 0 otherwise
#
# The prefix the log needs:
SQLTRACE_LOG_PREFIX='@@sgzlog %p %a@@ '

sqltrace_split() {
	rm -rf "$2"
	mkdir -p "$2" || return 1
	: >"$2/index"
	LC_ALL=C awk -v dir="$2" '
	function fail(msg) {
		printf "sqltrace: %s, line %d: %s\n", FILENAME, NR, msg > "/dev/stderr"
		bad = 1
		exit 1
	}
	function name(ext) { return sprintf("%s/%06d.%s", dir, n, ext) }
	state == 0 {
		if ($0 !~ /^-- sgz-trace /)
			fail("not the header of a record")
		n++
		need = -1; params = -1; copy = 0
		pid = backend = user = "-"
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^pid=/) pid = substr($i, 5)
			else if ($i ~ /^backend=/) backend = substr($i, 9)
			else if ($i ~ /^user=/) user = substr($i, 6)
			else if ($i ~ /^bytes=[0-9]+$/) need = substr($i, 7) + 0
			else if ($i ~ /^params=[0-9]+$/) params = substr($i, 8) + 0
			else if ($i == "copy=in") copy = 1
		}
		if (need < 0 || params < 0)
			fail("a header without bytes= or params=")
		printf "%s\n", $0 > name("hdr")
		close(name("hdr"))
		state = params > 0 ? 1 : 2
		sql = ""; first = 1
		next
	}
	state == 1 {
		if ($0 != "PREPARE sgz_trace AS")
			fail("PREPARE sgz_trace AS expected")
		state = 2
		next
	}
	state == 2 {
		sql = first ? $0 : sql "\n" $0
		first = 0
		if (length(sql) < need)
			next
		if (length(sql) > need)
			fail("a statement longer than its bytes=")
		printf "%s", sql > name("sql")
		close(name("sql"))
		w = sql
		sub(/^[ \t\n]*/, "", w)
		w = match(w, /^[A-Za-z]+/) ? toupper(substr(w, 1, RLENGTH)) : "-"
		printf "%d %s %s %s %s\n", n, pid, backend, user, w > (dir "/index")
		state = 3
		next
	}
	state == 3 {
		if ($0 != ";")
			fail("the end of a statement (;) expected")
		state = params > 0 ? 4 : copy ? 6 : 0
		next
	}
	state == 4 {
		if ($0 !~ /^EXECUTE sgz_trace\(.*\);$/)
			fail("EXECUTE sgz_trace(...); expected")
		printf "%s\n", $0 > name("exec")
		close(name("exec"))
		state = 5
		next
	}
	state == 5 {
		if ($0 != "DEALLOCATE sgz_trace;")
			fail("DEALLOCATE sgz_trace; expected")
		state = 0
		next
	}
	state == 6 {
		if ($0 != "\\.")
			fail("the end of the rows of a COPY (\\.) expected")
		state = 0
		next
	}
	END {
		if (bad)
			exit 1
		if (state != 0)
			fail("the last record is cut short")
		close(dir "/index")
		print n + 0
	}' "$1"
}

sqltrace_field() {
	tr ' ' '\n' <"$1" | sed -n "s/^$2=//p" | head -n 1
}

sqltrace_log() {
	_sqlt_log=$1 _sqlt_app=$2 _sqlt_dir=$3
	shift 3
	rm -rf "$_sqlt_dir"
	mkdir -p "$_sqlt_dir" || return 1
	: >"$_sqlt_dir/errors"
	LC_ALL=C awk -v app="$_sqlt_app" -v dir="$_sqlt_dir" -v pids=" $* " '
	function name(k, ext) { return sprintf("%s/%06d.%s", dir, k, ext) }
	function statement(m) {
		n++
		printf "%s", m > name(n, "sql")
		close(name(n, "sql"))
		printf "%s\n", epid > name(n, "pid")
		close(name(n, "pid"))
		text[n] = m
		last[epid] = n
	}
	function failed(k) {
		print k > (dir "/errors")
	}
	function entry(   m) {
		if (!have || eapp != app || (pids != "  " && index(pids, " " epid " ") == 0))
			return
		m = etext
		if (sub(/^LOG:  statement: /, "", m) || sub(/^LOG:  execute [^:]*: /, "", m)) {
			statement(m)
			open[epid] = n
		} else if (etext ~ /^LOG:  duration: /) {
			open[epid] = 0
		} else if (etext ~ /^DETAIL:  parameters: / && last[epid]) {
			printf "%s\n", substr(etext, 22) > name(last[epid], "params")
			close(name(last[epid], "params"))
		} else if (etext ~ /^(ERROR|FATAL):  /) {
			erred[epid] = 1
		} else if (erred[epid] && sub(/^STATEMENT:  /, "", m)) {
			# the statement logged and not yet done failed, or one
			# that failed before it could be logged (in Parse or Bind)
			if (open[epid] && text[open[epid]] == m) {
				failed(open[epid])
			} else {
				statement(m)
				failed(n)
				printf "" > name(n, "early")
				close(name(n, "early"))
			}
			open[epid] = 0
			erred[epid] = 0
		}
	}
	/^@@sgzlog [0-9]+ [^@]*@@ / {
		entry()
		have = 1
		sub(/^@@sgzlog /, "")
		epid = $1
		eapp = substr($0, length($1) + 2)
		eapp = substr(eapp, 1, index(eapp, "@@ ") - 1)
		etext = substr($0, index($0, "@@ ") + 3)
		next
	}
	# (the server starts each further line of a message with a tab)
	have { etext = etext "\n" substr($0, substr($0, 1, 1) == "\t" ? 2 : 1) }
	END {
		entry()
		close(dir "/errors")
		print n + 0
	}' "$_sqlt_log"
}

sqltrace_unprepare() {
	case $(head -c 21 "$1" | tr '\n' '|') in
	"EXECUTE sgz_trace"* | "DEALLOCATE sgz_trace"*) return 1 ;;
	esac
	[ "$(tail -c 2 "$1" | od -An -tx1 | tr -d ' ')" = 0a3b ] || return 2
	case $(head -c 21 "$1" | tr '\n' '|') in
	"PREPARE sgz_trace AS|") tail -c +22 "$1" | head -c -2 >"$1.tmp" ;;
	*) head -c -2 "$1" >"$1.tmp" ;;
	esac
	mv "$1.tmp" "$1"
}
