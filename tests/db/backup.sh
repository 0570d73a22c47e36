#!/bin/sh
# backup.sh - sgz backup and sgz restore (issue 9, item 6): a backup taken by
# the owner of the schema (CREATEROLE, not a superuser: row-level security
# is FORCEd on it), the database and every role of sgz dropped, the backup
# restored as into a fresh cluster, and everything compared: the export of
# every entity byte for byte, the audit trail row for row, the users with
# their kinds, scopes, memberships and settings, the database's privileges;
# row-level security and the trail's rules still hold. Then the refusals, a
# forced restore, one that fails and changes nothing, the owner's own round
# trip, and the pg_dump route sgz(1) documents.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 82

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"
BIN=$SGZ_PG_BINDIR

# q SQL - as the superuser of the cluster, in the database sgz.
q() { psql -XAtc "$1" 2>&1; }
qp() { psql -d postgres -XAtc "$1" 2>&1; }
as() {
	r=$1
	shift
	PGUSER=$r psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }
ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans"
USERS="dongli zgz xiqing tianjin pinggu boss"
GROUPS="sgz_admin sgz_region sgz_county sgz_station sgz_evaluator sgz_users"

qp "CREATE ROLE sgz_owner LOGIN CREATEROLE" >/dev/null || bail "owner role"
qp "CREATE DATABASE sgz OWNER sgz_owner" >/dev/null || bail "database"
PGDATABASE=sgz
export PGDATABASE

sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in $ENTITIES; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# A second county, 120111 西青区, so that a scope has something to leave out.
printf 'code,name\n120111001201,西营门示范村\n' >dv.csv
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >st.csv
printf 'id_number,name,station,role,hired_on\n120111198808080030,陈刚,120111001000,head,2021-09-01\n' >sf.csv
printf 'id_number,name,station,registered_on\n120111199202020046,孙丽,120111001000,2022-01-01\n' >vo.csv
printf 'volunteer,service_date,station,activity,hours\n120111199202020046,2024-03-06,120111001000,,2\n' >ho.csv
sgz import divisions dv.csv >/dev/null && sgz import stations st.csv >/dev/null &&
	sgz import staff sf.csv >/dev/null && sgz import volunteers vo.csv >/dev/null &&
	sgz import hours ho.csv >/dev/null || bail "second county"

sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"
sgz user add xiqing --scope 120111 --kind county >/dev/null || bail "user xiqing"
sgz user add tianjin --scope 1201 --kind region >/dev/null || bail "user tianjin"
sgz user add pinggu --scope 120110 --kind evaluator >/dev/null || bail "user pinggu"
sgz user add boss --scope 12 --kind admin >/dev/null || bail "user boss"
# What a deployment adds by hand: a reporting role with a privilege in the
# schema, the database closed to everyone but the users of sgz, settings.
q "CREATE ROLE reporter LOGIN; GRANT USAGE ON SCHEMA sgz TO reporter;
   GRANT SELECT ON sgz.division TO reporter;
   REVOKE CONNECT ON DATABASE sgz FROM PUBLIC;
   GRANT CONNECT ON DATABASE sgz TO sgz_users, reporter;
   ALTER DATABASE sgz SET work_mem = '8MB';
   ALTER ROLE zgz IN DATABASE sgz SET work_mem = '2MB'" >/dev/null || bail "deployment"
# Changes by users, so that the trail holds more than imports.
as dongli "UPDATE sgz.hours SET note = '核对' WHERE note IS NULL" >/dev/null || bail "update"
as zgz "UPDATE sgz.station SET signage = true" >/dev/null || bail "station update"
PGUSER=zgz "$SGZ_BIN" export volunteers >/dev/null 2>&1 || bail "an export by zgz"

# trail DIR - what a restore must bring back, into DIR: the trail, the
# users, the roles, the database's privileges and settings.
trail() {
	mkdir -p "$1"
	q "SELECT count(*) FROM sgz.audit" >"$1/audit.count"
	q "SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM sgz.audit a" >"$1/audit.md5"
	q "SELECT string_agg(u.role || ':' || u.kind || ':' || u.scope || ':' || u.added_by, ' '
	    ORDER BY u.role) FROM sgz.user_scope u" >"$1/user_scope"
	q "SELECT string_agg(r.rolname || ':' || r.rolcanlogin || ':' || r.rolcreaterole || ':'
	      || r.rolsuper || ':' || coalesce((SELECT string_agg(g.rolname, ',' ORDER BY g.rolname)
	           FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
	          WHERE m.member = r.oid), '') || ':' || coalesce(r.rolconfig::text, ''), ' '
	    ORDER BY r.rolname)
	     FROM pg_roles r
	    WHERE r.rolname IN ('sgz_owner', 'reporter', 'sgz_admin', 'sgz_region', 'sgz_county',
	                        'sgz_station', 'sgz_evaluator', 'sgz_users', 'dongli', 'zgz',
	                        'xiqing', 'tianjin', 'pinggu', 'boss')" >"$1/roles"
	q "SELECT coalesce(setrole::regrole::text, '-') || ':' || setconfig::text
	     FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
	    WHERE d.datname = 'sgz' ORDER BY 1" >"$1/db_settings"
	# the owner's privileges are its own as the database's owner, or
	# granted when a superuser made the database
	q "SELECT string_agg(p, ' ' ORDER BY p) FROM (
	     SELECT coalesce(nullif(a.grantee::regrole::text, '-'), 'PUBLIC') || ':'
	            || a.privilege_type AS p
	       FROM pg_database d, aclexplode(d.datacl) a
	      WHERE d.datname = 'sgz' AND a.grantee <> d.datdba
	        AND a.grantee::regrole::text <> 'sgz_owner') x" >"$1/db_acl"
	q "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class
	    WHERE relnamespace = 'sgz'::regnamespace AND relrowsecurity AND relforcerowsecurity" \
		>"$1/rls"
	PGUSER=sgz_owner "$SGZ_BIN" user list >"$1/users" 2>&1
}
# exports DIR - the owner's export of every entity, into DIR (each export
# adds an event to the trail).
exports() {
	mkdir -p "$1"
	for e in $ENTITIES; do
		PGUSER=sgz_owner "$SGZ_BIN" export "$e" >"$1/$e.csv" 2>"$1/$e.err" ||
			echo "export $e failed" >>"$1/errors"
	done
}
# same NAME DIR1 DIR2 FILE - passes when FILE is the same in both.
same() {
	if cmp -s "$2/$4" "$3/$4"; then
		pass "$1"
	else
		fail "$1" "$(diff "$2/$4" "$3/$4" | head -20)"
	fi
}
# all_exports_same NAME DIR1 DIR2
all_exports_same() {
	d=""
	for e in $ENTITIES; do
		cmp -s "$2/$e.csv" "$3/$e.csv" || d="$d $e"
		[ -s "$2/$e.csv" ] || d="$d $e(empty)"
	done
	is "$1" "$d" ""
}

exports before
trail before
is "the exports of the state before worked" "$(cat before/errors 2>/dev/null)" ""

# --- refusals of sgz backup ---

out=$(PGUSER=zgz "$SGZ_BIN" backup zgz.sgz 2>&1)
is "a station user's backup is refused with 2" "$?" 2
like "naming who may take one" "$out" \
	"permission denied: only the owner of the schema sgz (sgz_owner) or a superuser takes a backup, not zgz"
ok "and writes nothing" test ! -e zgz.sgz
out=$(PGDATABASE=postgres "$SGZ_BIN" backup none.sgz 2>&1)
is "a database without sgz has nothing to back up: 2" "$?:$out" \
	"2:sgz backup: database postgres holds no schema sgz: nothing to back up"

# --- the backup, by the owner under FORCEd row-level security ---

out=$(sgz backup b1.sgz)
is "the owner takes a backup" "$?" 0
like "and says what it holds" "$out" \
	"sgz backup: database sgz (schema $(q "SELECT name FROM sgz.schema_migration ORDER BY version DESC LIMIT 1")) written to b1.sgz: "
like "with the users" "$out" "audit entries, 6 users"
is "the file is the owner's alone" "$(stat -c %a b1.sgz)" 600
is "a tar of the manifest, the roles and the dump, in that order" \
	"$(tar -tf b1.sgz | tr '\n' ' ')" "sgz-backup.txt roles.csv database.dump "
tar -xf b1.sgz sgz-backup.txt roles.csv database.dump || bail "tar -x"
is "the manifest says what it is" "$(head -1 sgz-backup.txt)" "sgz-backup 1"
is "the dump is pg_dump's custom format" "$(head -c 5 database.dump)" "PGDMP"
# The policies give the owner every row: the counts it took (through them)
# are the superuser's (past them), table by table.
want=$(q "SELECT string_agg(c.relname || ' ' || (xpath('/row/n/text()',
	    query_to_xml(format('SELECT count(*) AS n FROM sgz.%I', c.relname), false, true, '')))[1]::text,
	    E'\n' ORDER BY c.relname)
	  FROM pg_class c WHERE c.relnamespace = 'sgz'::regnamespace AND c.relkind IN ('r', 'p')")
is "the owner's backup counted every row of every table, as a superuser sees them" \
	"$(sed -n 's/^rows //p' sgz-backup.txt)" "$want"
is "the audit trail is in it whole" "$(sed -n 's/^rows audit //p' sgz-backup.txt)" "$(cat before/audit.count)"
pg_restore -l database.dump >toc.txt 2>&1
like "the dump holds the trail's data" "$(cat toc.txt)" "TABLE DATA sgz audit"
like "and its append-only trigger, created after the data" "$(cat toc.txt)" "TRIGGER sgz audit audit_append_only"
is "roles.csv: the owner, the groups, the reporter and the users" \
	"$(cut -d, -f1,2 roles.csv | tr '\n' ' ')" \
	"role,kind sgz_owner,owner sgz_admin,group sgz_county,group sgz_evaluator,group sgz_region,group sgz_station,group sgz_users,group reporter,grantee boss,user dongli,user pinggu,user tianjin,user xiqing,user zgz,user public,public "
like "with a user's kind, membership and settings" "$(grep '^zgz,' roles.csv)" \
	'zgz,user,t,t,f,"{sgz_station,sgz_users}","{statement_timeout='
like "and the database's own settings and PUBLIC's privileges" "$(grep '^public,' roles.csv)" \
	'public,public,,,,,,{work_mem=8MB},{TEMPORARY}'
out=$(sgz backup - >b1-stdout.sgz)
is "a backup to standard output" "$?" 0
is "is the same archive" "$(tar -tf b1-stdout.sgz | tr '\n' ' ')" "sgz-backup.txt roles.csv database.dump "

# --- refusals of sgz restore ---

out=$(sgz restore b1.sgz)
is "a restore into the database that holds sgz is refused with 1" "$?" 1
like "saying why, and what to do" "$out" \
	"database sgz already holds the schema sgz, which the restore would replace with all its data and audit trail: nothing was restored. Restore into an empty database (createdb -O sgz_owner NAME), or give --force to replace it"
is "and nothing changed" "$(q "SELECT count(*) FROM sgz.audit")" "$(cat before/audit.count)"
out=$(sgz restore "$SGZ_DATADIR/divisions-2022.csv")
is "a file that is not a backup: 2" "$?:$out" \
	"2:sgz restore: $SGZ_DATADIR/divisions-2022.csv is not an sgz backup: not a tar header (bad checksum)"
out=$(sgz restore "$F/stations.csv")
is "nor a short one" "$?:$out" "2:sgz restore: $F/stations.csv is not an sgz backup: it is too short"

# --- drop the database and every role of sgz ---

qp "DROP DATABASE sgz" >/dev/null || bail "drop database"
for r in $USERS reporter $GROUPS sgz_owner; do
	qp "DROP ROLE $r" >/dev/null || bail "drop role $r: $(qp "DROP ROLE $r")"
done
is "no role of sgz is left in the cluster" \
	"$(qp "SELECT count(*) FROM pg_roles WHERE rolname IN ('sgz_owner', 'sgz_admin', 'sgz_region',
	      'sgz_county', 'sgz_station', 'sgz_evaluator', 'sgz_users', 'reporter', 'dongli', 'zgz',
	      'xiqing', 'tianjin', 'pinggu', 'boss')")" 0
qp "CREATE DATABASE sgz" >/dev/null || bail "createdb"
roles_now() { qp "SELECT string_agg(rolname, ' ' ORDER BY rolname) FROM pg_roles WHERE rolname !~ '^pg_'"; }

out=$(head -c 20000 b1.sgz | "$SGZ_BIN" restore - 2>&1)
is "a truncated backup is refused with 1" "$?" 1
like "as truncated" "$out" "sgz restore: standard input is truncated: it ends inside database.dump"
qp "CREATE ROLE zgz LOGIN" >/dev/null
roles_zgz=$(roles_now)
out=$("$SGZ_BIN" restore b1.sgz 2>&1)
is "a user's name taken by a role sgz did not create: refused with 1" "$?" 1
like "naming it" "$out" "the backup's users zgz have namesakes in this cluster that sgz did not create: nothing was restored"
is "nothing was created" "$(roles_now)" "$roles_zgz"
is "nor restored" "$(q "SELECT to_regnamespace('sgz') IS NULL")" t
qp "DROP ROLE zgz" >/dev/null
qp "CREATE ROLE someone LOGIN" >/dev/null
out=$(PGUSER=someone "$SGZ_BIN" restore b1.sgz 2>&1)
is "a role that is neither the owner nor a superuser: 2" "$?:$out" \
	"2:sgz restore: permission denied: restore as the owner of the backup's schema sgz (sgz_owner) or as a superuser, not as someone"
qp "DROP ROLE someone" >/dev/null

# --- the restore, by a superuser into the fresh database ---

out=$("$SGZ_BIN" restore b1.sgz 2>&1)
is "a superuser restores the backup" "$?" 0
like "and says what" "$out" "sgz restore: the backup of database sgz taken "
like "into where" "$out" "restored into database sgz: "
trail after
exports after
is "the audit trail has as many rows" "$(cat after/audit.count)" "$(cat before/audit.count)"
same "the audit trail is the same, row for row" before after audit.md5
all_exports_same "the export of every entity is the same, byte for byte" before after
same "sgz user list is the same" before after users
same "the users' kinds and scopes are the same" before after user_scope
same "the roles, their logins, memberships and settings are the same" before after roles
same "the database's and the users' settings in it are the same" before after db_settings
same "the privileges on the database are the same" before after db_acl
is "the schema is the owner's again, which is no superuser" \
	"$(q "SELECT r.rolname || ':' || r.rolsuper || ':' || r.rolcreaterole FROM pg_namespace n
	       JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = 'sgz'")" "sgz_owner:false:true"
out=$(sgz migrate --status)
is "the schema is current" "$?" 0
is "every function still pins its search_path" "$(q "SELECT count(*) FROM sgz.unpinned_functions()")" 0
same "row-level security is enabled and forced on the same tables" before after rls
is "the station user sees its own township and nothing else" \
	"$(as zgz "SELECT string_agg(township, ' ') FROM sgz.station")" "120110001000"
is "and its volunteers only" \
	"$(as zgz "SELECT count(*) FILTER (WHERE station <> '120110001000') || '/' || count(*) FROM sgz.volunteer")" \
	"0/$(q "SELECT count(*) FROM sgz.volunteer WHERE station = '120110001000'")"
like "it cannot write outside it" \
	"$(as zgz "INSERT INTO sgz.volunteer (id_number, name, station, registered_on)
	   VALUES ('120111199909090064', '外人', '120111001000', '2023-01-01')")" \
	"station 120111001000 is outside your scope"
is "the county user sees nothing of the other county" \
	"$(as dongli "SELECT count(*) FROM sgz.hours WHERE station NOT LIKE '120110%'")" 0
is "nor the other county of it" \
	"$(as xiqing "SELECT count(*) FROM sgz.hours WHERE station LIKE '120110%'")" 0
is "the reporter still reads what it was granted" \
	"$(as reporter "SELECT count(*) > 44000 FROM sgz.division")" t
qp "CREATE ROLE outsider LOGIN" >/dev/null
like "a role outside sgz still cannot connect to the database" \
	"$(PGUSER=outsider psql -XAtc "SELECT 1" 2>&1)" "permission denied for database"
like "the trail is still append-only, for the owner too" \
	"$(as sgz_owner "DELETE FROM sgz.audit")" "the audit trail is append-only"
max=$(q "SELECT max(id) FROM sgz.audit")
as dongli "UPDATE sgz.volunteer SET phone = '13800000000' WHERE station = '120110001000'" >/dev/null
is "changes are audited again, after the restored trail" \
	"$(q "SELECT count(*) > 0 AND min(id) > $max FROM sgz.audit WHERE id > $max AND who = 'dongli'")" t

# --- a forced restore replaces; a failed one changes nothing ---

out=$("$SGZ_BIN" restore --force b1.sgz 2>&1)
is "--force replaces the database's schema sgz" "$?" 0
is "with the backup's trail" "$(q "SELECT count(*) FROM sgz.audit")" "$(cat before/audit.count)"
is "and the backup's data" \
	"$(q "SELECT count(*) FROM sgz.volunteer WHERE phone = '13800000000'")" \
	0
as dongli "UPDATE sgz.volunteer SET phone = '13800000000' WHERE station = '120110001000'" >/dev/null
changed=$(q "SELECT count(*) FROM sgz.audit")
# the same manifest and roles, a dump cut short: pg_restore fails midway
mkdir bad && (cd bad && tar -xf ../b1.sgz && head -c 60000 database.dump >d && mv d database.dump &&
	tar --format=ustar -cf ../bad.sgz sgz-backup.txt roles.csv database.dump) || bail "bad backup"
out=$("$SGZ_BIN" restore --force bad.sgz 2>&1)
is "a forced restore of a damaged dump fails with 1" "$?" 1
like "saying that nothing was restored" "$out" "nothing was restored"
is "and the database is as it was" \
	"$(q "SELECT count(*) FROM sgz.audit")/$(q "SELECT count(*) > 0 FROM sgz.volunteer WHERE phone = '13800000000'")" \
	"$changed/t"
# a dump that restores but does not hold what the manifest counted
sed 's/^rows audit .*/rows audit 1/' bad/sgz-backup.txt >bad/m && mv bad/m bad/sgz-backup.txt
(cd bad && tar -xf ../b1.sgz database.dump &&
	tar --format=ustar -cf ../miscounted.sgz sgz-backup.txt roles.csv database.dump) || bail "miscounted"
out=$("$SGZ_BIN" restore --force miscounted.sgz 2>&1)
is "a restore whose rows differ from the manifest's counts fails with 1" "$?" 1
like "naming the table" "$out" "sgz.audit: $(cat before/audit.count) rows restored, the backup holds 1"
is "and is rolled back" "$(q "SELECT count(*) FROM sgz.audit")" "$changed"
out=$("$SGZ_BIN" restore --force - <b1-stdout.sgz 2>&1)
is "a restore from standard input" "$?" 0
is "of the backup written to standard output" "$(q "SELECT count(*) FROM sgz.audit")" \
	"$(cat before/audit.count)"

# --- the owner's own round trip: the roles exist, the database is its own ---

sgz backup b2.sgz >/dev/null || bail "second backup"
qp "DROP DATABASE sgz" >/dev/null && qp "CREATE DATABASE sgz OWNER sgz_owner" >/dev/null ||
	bail "recreate"
out=$(sgz restore b2.sgz)
is "the owner restores its backup into its own empty database" "$?" 0
trail owner
exports owner
same "with the same trail" before owner audit.md5
all_exports_same "and the same export of every entity" before owner
same "the roles are as they were" before owner roles

# --- the pg_dump route of sgz(1), BACKUP ---

trail dumped
out=$(PGUSER=sgz_owner "$BIN/pg_dump" --enable-row-security --schema=sgz --format=custom \
	--file=sgz.dump sgz 2>&1)
is "pg_dump as the owner with --enable-row-security" "$?" 0
out=$(PGUSER=sgz_owner "$BIN/pg_dump" --schema=sgz --format=custom --file=refused.dump sgz 2>&1)
like "(without it, the owner is refused)" "$out" "query would be affected by row-level security policy"
"$BIN/pg_dumpall" --roles-only --no-role-passwords --file=roles.sql 2>/dev/null
is "pg_dumpall --roles-only" "$?" 0
qp "DROP DATABASE sgz" >/dev/null || bail "drop database"
for r in $USERS reporter outsider $GROUPS sgz_owner; do
	qp "DROP ROLE $r" >/dev/null || bail "drop role $r"
done
psql -d postgres -Xq -f roles.sql >/dev/null 2>roles.err
like "the roles come back (the superuser's own 'already exists' aside)" "$(cat roles.err)" \
	'role "sgz_test" already exists'
qp "CREATE DATABASE sgz OWNER sgz_owner" >/dev/null || bail "createdb -O"
out=$(PGUSER=sgz_owner "$BIN/pg_restore" --single-transaction --exit-on-error -d sgz sgz.dump 2>&1)
is "pg_restore as the owner" "$?:$out" "0:"
trail manual
exports manual
same "the same trail" dumped manual audit.md5
all_exports_same "the same export of every entity" before manual
same "the same users" before manual users
is "the station user sees its township only" \
	"$(as zgz "SELECT string_agg(township, ' ') FROM sgz.station")" "120110001000"
