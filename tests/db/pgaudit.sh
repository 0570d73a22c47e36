#!/bin/sh
# pgaudit.sh - the reads of people logged as sgz(1) PRIVACY says, with
# Debian's postgresql-15-pgaudit: the server preloads pgaudit, and a role
# of its own (pgaudit.role) holds SELECT on the masking views, so every
# statement that reads them, psql's \copy included, leaves a line in the
# server's log with the role that sent it. Skipped without the package.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

lib=$(dirname "$SGZ_PG_BINDIR")/lib
if [ ! -f "$lib/pgaudit.so" ]; then
	echo "1..0 # SKIP pgaudit is not installed (apt-get install postgresql-15-pgaudit)"
	exit 0
fi

plan 7

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
LOG=$SGZ_PG_DIR/server.log
as_pg=""
[ "$(id -u)" = 0 ] && as_pg="runuser -u postgres --"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
q() { psql -XAtc "$1" 2>&1; }
own() { PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }

sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in divisions organizations stations staff volunteers activities hours recipients cases visits; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e"
done
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"

# The server as sgz(1) PRIVACY configures it: pgaudit preloaded, the
# role in every log line.
$as_pg "$SGZ_PG_BINDIR/pg_ctl" -D "$SGZ_PG_DIR/data" -l "$LOG" -w -t 60 \
	-o "-c listen_addresses='' -c unix_socket_directories='$SGZ_PG_DIR' -c fsync=off \
-c shared_preload_libraries=pgaudit -c log_line_prefix='%m [%p] %u@%d '" \
	restart >/dev/null 2>&1 || bail "restart with pgaudit"
is "pgaudit is loaded" "$(q "SHOW shared_preload_libraries")" "pgaudit"
q "CREATE EXTENSION pgaudit; CREATE ROLE sgz_auditor NOLOGIN;
   ALTER DATABASE sgz SET pgaudit.role = 'sgz_auditor'" >/dev/null
own "GRANT SELECT ON sgz.staff_v, sgz.volunteer_v, sgz.recipient_v, sgz.hours_v, sgz.case_file_v,
	sgz.visit_v TO sgz_auditor" >/dev/null
is "the auditor role reads the views, and nothing else" \
	"$(q "SELECT string_agg(table_name, ' ' ORDER BY table_name) FROM information_schema.role_table_grants
	       WHERE grantee = 'sgz_auditor'")" \
	"case_file_v hours_v recipient_v staff_v visit_v volunteer_v"

before=$(wc -l <"$LOG")
out=$(PGUSER=zgz psql -XAtc "\\copy (SELECT id_number, name FROM sgz.volunteer_v) TO '$T/v.csv' CSV" 2>&1)
like "a station user's psql copy of the masked volunteers" "$out" "COPY"
new=$(tail -n +"$((before + 1))" "$LOG")
like "is in the server's log as an object read of the view" "$new" "AUDIT: OBJECT,"
like "naming the view" "$new" "VIEW,sgz.volunteer_v"
like "by the role that read it" "$(printf '%s\n' "$new" | grep 'AUDIT: OBJECT')" "zgz@sgz"

before=$(wc -l <"$LOG")
PGUSER=zgz psql -XAtc "SELECT count(*) FROM sgz.recipient_v" >/dev/null 2>&1
like "a read of the recipients too" "$(tail -n +"$((before + 1))" "$LOG")" "VIEW,sgz.recipient_v"
