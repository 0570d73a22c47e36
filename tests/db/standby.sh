#!/bin/sh
# standby.sh - reports on a hot standby (DESIGN.md, "Beyond one machine"):
# a streaming standby of with-pg's cluster (pg_basebackup -R, a Unix socket
# only, the same binaries, as the postgres user when run as root), stopped
# and removed at exit. Every report run through [database] report_conninfo
# as a station user and a county user, with row-level security in force
# on the standby, equals the primary's; a standby paused behind the primary
# gives its own figures with the lag in the text header (report_max_lag),
# never in the CSV; sgz sends nothing that writes, and the standby refuses
# a write anyway; with the standby stopped, the reports run on the primary
# and sgz says so once, in the reader's language.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/standby.sh"

plan 41

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtqc "$1" 2>&1; }
ENTITIES="organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans"
REPORTS="coverage staffing hours stars caseload kpi contracts progress"

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 || bail "divisions"
"$SGZ_BIN" import divisions "$F/divisions.csv" >/dev/null 2>&1 || bail "fixture divisions"
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >/dev/null 2>&1 || bail "user zgz"
"$SGZ_BIN" user add dongli --scope 120110 --kind county >/dev/null 2>&1 || bail "user dongli"

# ---------------------------------------------------------------- the standby
start=$(date +%s)
standby_start
is "the second cluster is a standby" "$(sq 'SELECT pg_is_in_recovery()')" t

# The fixtures go in on the primary now that the standby streams.
for e in $ENTITIES; do
	"$SGZ_BIN" import "$e" "$F/$e.csv" >/dev/null 2>&1 || bail "fixture $e"
done

ok "the standby replays the import" wait_replay
is "it has the primary's rows" "$(sq 'SELECT count(*) FROM sgz.hours')" \
	"$(q 'SELECT count(*) FROM sgz.hours')"

# ------------------------------------------------- every report on the standby
printf '[database]\nreport_conninfo = "host=%s target_session_attrs=prefer-standby"\n[log]\nfile = %s\nlevel = info\n' \
	"$SB" "$T/sgz.log" >"$T/standby.ini"
printf '[log]\nfile = %s/primary.log\n' "$T" >"$T/primary.ini"
# rep USER CONFIG NAME ARGS... - the report's CSV on stdout, stderr to $T/err
rep() {
	u=$1 c=$2 n=$3
	shift 3
	case $n in
	progress) set -- --month 2024-12 "$@" ;;
	*) set -- --year 2024 "$@" ;;
	esac
	PGUSER=$u SGZ_CONFIG=$T/$c.ini "$SGZ_BIN" ${G:-} report "$n" "$@" 2>"$T/err"
}

same=0 differ=0 quiet=0 rows=0
for u in zgz dongli; do
	for n in $REPORTS; do
		rep "$u" primary "$n" --format csv >"$T/p.csv" || echo "primary $u $n: $(cat "$T/err")"
		: >"$T/sgz.log"
		rep "$u" standby "$n" --format csv >"$T/s.csv" || echo "standby $u $n: $(cat "$T/err")"
		if cmp -s "$T/p.csv" "$T/s.csv" && grep -q 'reports run on the standby' "$T/sgz.log"; then
			same=$((same + 1))
		else
			echo "# $u $n differs:" && diff "$T/p.csv" "$T/s.csv" | sed 's/^/# /'
		fi
		[ -s "$T/err" ] || quiet=$((quiet + 1))
		rows=$((rows + $(wc -l <"$T/s.csv") - 1))
		cp "$T/s.csv" "$T/$u-$n.csv"
	done
done
for n in $REPORTS; do
	cmp -s "$T/zgz-$n.csv" "$T/dongli-$n.csv" || differ=$((differ + 1))
done
is "all 8 reports, as the station and the county user, are the primary's figures, from the standby" \
	"$same" 16
is "with nothing said on stderr" "$quiet" 16
ok "with rows in them ($rows)" test "$rows" -gt 16
ok "the station user's differ from the county user's ($differ of 8)" test "$differ" -ge 5
# row-level security on the standby itself
is "on the standby the station user sees its own station only" \
	"$(PGHOST=$SB PGUSER=zgz psql -XAtqc 'SELECT string_agg(township, $$ $$) FROM sgz.station' 2>&1)" \
	120110001000
is "the county user its county's" \
	"$(PGHOST=$SB PGUSER=dongli psql -XAtqc 'SELECT count(*) FROM sgz.station' 2>&1)" \
	"$(q "SELECT count(*) FROM sgz.station WHERE township LIKE '120110%'")"
out=$(rep zgz standby coverage --format text)
like "the text layout for the station user names its township" "$out" "120110001"
is "with no lag line when the standby is current" "$(printf '%s\n' "$out" | sed -n 2p)" ""

# ------------------------------------------------------------------ no writes
out=$(PGHOST=$SB PGUSER=dongli psql -XAtqc \
	"UPDATE sgz.station SET name = name WHERE township = '120110001000'" 2>&1)
like "the standby refuses a write" "$out" "read-only transaction"
out=$(PGHOST=$SB psql -XAtqc "CREATE TABLE public.x (i int)" 2>&1)
like "even the superuser's" "$out" "read-only transaction"
: >"$T/trace"
chmod 600 "$T/trace"
for n in $REPORTS; do
	SGZ_TRACE_SQL=$T/trace rep dongli standby "$n" --format csv >/dev/null
done
is "sgz sends nothing that writes (SGZ_TRACE_SQL)" \
	"$(grep -ciE '^ *(insert|update|delete|merge|copy|create|alter|drop|truncate|grant)\b' "$T/trace")" 0
is "every report is one read-only transaction" "$(grep -c '^BEGIN READ ONLY$' "$T/trace")" 8
like "and the report connection's session is read only" "$(cat "$T/trace")" \
	"set_config('default_transaction_read_only'"
is "the same user logs in on the standby (its statements in the trace are dongli's)" \
	"$(grep -c '^-- sgz-trace .* user=dongli ' "$T/trace")" "$(grep -c '^-- sgz-trace ' "$T/trace")"

# ------------------------------------------------------ a standby behind: lag
is "replay paused on the standby" "$(sq 'SELECT pg_wal_replay_pause()' >/dev/null;
	sleep 0.2; sq 'SELECT pg_get_wal_replay_pause_state()')" paused
rep dongli primary staffing --format csv >"$T/before.csv"
printf 'id_number,name,station,role,hired_on\n120110199001010013,新社工,120110002000,fulltime,2024-05-01\n' \
	>"$T/staff.csv"
"$SGZ_BIN" import staff "$T/staff.csv" >/dev/null 2>&1 || bail "one more social worker"
rep dongli primary staffing --format csv >"$T/after.csv"
ok "the primary's staffing changed" test "$(cat "$T/before.csv")" != "$(cat "$T/after.csv")"
sleep 2
printf '[database]\nreport_max_lag = 1\n' >>"$T/standby.ini"
rep dongli standby staffing --format csv >"$T/s.csv"
is "the standby's report has the figures it replayed" "$(cat "$T/s.csv")" "$(cat "$T/before.csv")"
like "stderr says how far behind, past report_max_lag" "$(cat "$T/err")" \
	"Note: the standby is"
unlike "never inside the CSV" "$(cat "$T/s.csv")" "standby"
out=$(rep dongli standby staffing --format text)
like "the text layout says it under its title" "$(printf '%s\n' "$out" | sed -n 2p)" \
	"Note: the standby is"
like "in seconds" "$(printf '%s\n' "$out" | sed -n 2p)" "seconds behind; recent changes may be missing"
out=$(G="--lang zh_CN" rep dongli standby staffing --format text)
like "in Chinese too" "$(printf '%s\n' "$out" | sed -n 2p)" "注意:备库落后主库"
sed -i '/report_max_lag = 1/d' "$T/standby.ini"
out=$(rep dongli standby staffing --format text)
is "within report_max_lag (300 s by default) nothing is said" "$(printf '%s\n' "$out" | sed -n 2p)" ""
sq 'SELECT pg_wal_replay_resume()' >/dev/null
ok "replay resumed, the standby catches up" wait_replay
rep dongli standby staffing --format csv >"$T/s.csv"
is "and has the new figures" "$(cat "$T/s.csv")" "$(cat "$T/after.csv")"

# --------------------------------------- the standby stopped: the primary answers
standby_stop
ok "the standby is down" test "$(sq 'SELECT 1' >/dev/null 2>&1; echo $?)" != 0
rep dongli primary kpi --format csv >"$T/p.csv"
rep dongli standby kpi --format csv >"$T/s.csv"
rc=$?
is "the report still runs" "$rc" 0
is "on the primary, with its figures" "$(cat "$T/s.csv")" "$(cat "$T/p.csv")"
is "and says so once on stderr" "$(cat "$T/err")" \
	"sgz report: the standby of report_conninfo cannot be reached: the report runs on the main database"
G="--lang zh_CN" rep dongli standby kpi --format csv >/dev/null
is "in the reader's language" "$(cat "$T/err")" \
	"sgz report:无法连接 report_conninfo 的备库:报表改在主库上运行"
out=$(rep dongli standby coverage --format text)
is "said once per run" "$(grep -c 'cannot be reached' "$T/err")" 1
is "the text layout is the primary's" "$out" "$(rep dongli primary coverage --format text)"

# Two hosts, the standby first: libpq's prefer-standby settles on the
# primary when the standby is down, and sgz notices it is no standby.
printf '[database]\nreport_conninfo = "host=%s,%s target_session_attrs=prefer-standby"\n[log]\nfile = %s\nlevel = info\n' \
	"$SB" "$PRIMARY" "$T/sgz.log" >"$T/both.ini"
rep dongli both hours --format csv >"$T/s.csv"
is "report_conninfo of two hosts: the primary's figures" "$(cat "$T/s.csv")" \
	"$(rep dongli primary hours --format csv)"
like "and the fallback said" "$(rep dongli both hours --format csv >/dev/null; cat "$T/err")" \
	"cannot be reached"

# --db names the database: no standby is tried.
out=$(PGUSER=dongli SGZ_CONFIG=$T/standby.ini "$SGZ_BIN" --db "host=$PRIMARY" report kpi --year 2024 \
	--format csv 2>&1 >/dev/null)
is "with --db, report_conninfo is not tried" "$out" ""

# The standby back: two hosts go to it again.
standby_start
: >"$T/sgz.log"
rep dongli both hours --format csv >/dev/null
is "the standby restarted takes the reports of two hosts again, quietly" "$(cat "$T/err")" ""
like "(the log says where they ran)" "$(cat "$T/sgz.log")" "reports run on the standby"

elapsed=$(($(date +%s) - start))
ok "the standby's part took well under a minute (${elapsed}s)" test "$elapsed" -lt 40
