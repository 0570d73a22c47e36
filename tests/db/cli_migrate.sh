#!/bin/sh
# cli_migrate.sh - sgz migrate against a real PostgreSQL (tests/with-pg).
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 14

out=$("$SGZ_BIN" migrate --status 2>&1)
rc=$?
is "status on an empty database exits 1 (pending)" "$rc" 1
like "status lists the first migration as pending" "$out" "pending  0001_divisions"

# Two at once: the advisory lock lets one apply and the other find it done.
"$SGZ_BIN" migrate >"$tap_tmp/m1" 2>&1 &
p1=$!
"$SGZ_BIN" migrate >"$tap_tmp/m2" 2>&1
rc2=$?
wait $p1
rc1=$?
is "two concurrent migrates both succeed" "$rc1$rc2" "00"
n=$(psql -XAtc "SELECT count(*) = count(DISTINCT version) FROM sgz.schema_migration")
is "each migration is recorded once" "$n" "t"
like "one of them applied the migrations" "$(cat "$tap_tmp/m1" "$tap_tmp/m2")" "applied"

out=$("$SGZ_BIN" migrate 2>&1)
rc=$?
is "migrate when current exits 0" "$rc" 0
like "migrate when current says so" "$out" "the schema is current"
before=$(psql -XAtc "SELECT string_agg(version || applied_at::text, ',') FROM sgz.schema_migration")
"$SGZ_BIN" migrate >/dev/null 2>&1
after=$(psql -XAtc "SELECT string_agg(version || applied_at::text, ',') FROM sgz.schema_migration")
is "migrate when current changes nothing" "$after" "$before"

out=$("$SGZ_BIN" migrate --status 2>&1)
rc=$?
is "status when current exits 0" "$rc" 0
unlike "status when current lists nothing pending" "$out" "pending"

psql -XAtqc "INSERT INTO sgz.schema_migration (version, name, checksum) VALUES (9999, '9999_future', 'x')"
out=$("$SGZ_BIN" migrate 2>&1)
rc=$?
is "a database newer than the binary is refused with status 2" "$rc" 2
like "the refusal names the unknown migration" "$out" "9999_future"
out=$("$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" 2>&1)
is "import refuses a newer schema too" "$?" 2
psql -XAtqc "DELETE FROM sgz.schema_migration WHERE version = 9999"

# A failing migration leaves nothing half-applied: forget the record of the
# first one while its objects remain, so that applying it again fails (a
# later one may be all CREATE OR REPLACE, and apply again cleanly).
psql -XAtqc "DELETE FROM sgz.schema_migration WHERE version = 1"
before=$(psql -XAtc "SELECT count(*) FROM sgz.schema_migration")
out=$("$SGZ_BIN" migrate 2>&1)
rc=$?
after=$(psql -XAtc "SELECT count(*) FROM sgz.schema_migration")
is "a failing migration exits 2 and records nothing" "$rc:$after" "2:$before"
