#!/bin/sh
# sanshe.sh - spec/programmes.md's community organisations, outreach
# visits, supervisions, trainings and charitable resources against a real
# PostgreSQL: the fixtures import, export and re-import unchanged, with and
# without --labels; each rule from its example refused on its line and
# column by the import and, by direct SQL, by the database itself, nothing
# of a refused file written; the KPI's households visited counting
# outreach visits (rules.md extended) on the fixtures, computed by hand;
# station and county users see their rows, masked, and write only there;
# the community, training and plan reports on the fixtures, by hand; an
# attendee's dates and his attendance written by two sessions at once,
# also with the pids given beside the numbers (as sgz import writes them,
# checked and locked once per statement: 0040), and pids that are not the
# numbers' people refused.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 69

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"
q() { psql -XAtc "$1" 2>&1; }
as() { PGUSER=$1 psql -XAt -v ON_ERROR_STOP=1 -c "$2" 2>&1; }
imp() { "$SGZ_BIN" import "$@" 2>&1; }
BASE="organizations stations service_points staff volunteers activities hours recipients cases
	visits contracts evaluations plans"
NEW="community_orgs outreach_visits supervisions trainings resources"
TABLES="community_org outreach_visit supervision training resource"

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 || bail "divisions"
imp divisions "$F/divisions.csv" >/dev/null || bail "fixture divisions"
for e in $BASE; do
	imp "$e" "$F/$e.csv" >/dev/null || bail "fixture $e"
done

# --- every new entity imports, exports and re-imports unchanged ---
for e in $NEW; do
	out=$(imp "$e" "$F/$e.csv")
	rc=$?
	[ $rc = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
	is "$e: the fixture imports" "$rc" 0
done
snapshot() {
	for t in $TABLES; do
		q "SELECT '$t', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM sgz.$t x"
	done
}
before=$(snapshot)
diffs=""
for e in $NEW; do
	"$SGZ_BIN" export "$e" -o "$T/$e.csv" 2>/dev/null || diffs="$diffs export:$e"
	imp "$e" "$T/$e.csv" >/dev/null || diffs="$diffs import:$e"
	"$SGZ_BIN" export "$e" -o "$T/$e.2.csv" 2>/dev/null
	cmp -s "$T/$e.csv" "$T/$e.2.csv" || diffs="$diffs bytes:$e"
	"$SGZ_BIN" export "$e" --labels -o "$T/$e.labels.csv" 2>/dev/null || diffs="$diffs labels:$e"
done
is "every new entity's export re-imports and re-exports identically" "$diffs" ""
is "re-importing every export changes no row (row_version included)" "$(snapshot)" "$before"
is "attendees are stored sorted, by number and by pid" \
	"$(q "SELECT attendees || ' ' || array_length(attendee_pids, 1) FROM sgz.supervision WHERE kind = 'group'")" \
	"12011019850315002X;12011019900101003X 2"
is "a labelled export has the Chinese titles" "$(head -1 "$T/community_orgs.labels.csv" | tail -c +4)" \
	"所在社区(村),组织名称,服务类型,登记备案,统一社会信用代码,备案日期,成员人数,负责人,负责人电话,孵化机构,状态"
like "and the labels of the choices" "$(cat "$T/community_orgs.labels.csv")" ",为老服务,备案,,2023-03-01,"

# Emptied, the labelled files import back to what the plain export had.
q "DELETE FROM sgz.resource; DELETE FROM sgz.training; DELETE FROM sgz.supervision;
   DELETE FROM sgz.outreach_visit; DELETE FROM sgz.community_org" >/dev/null
diffs=""
for e in $NEW; do
	imp "$e" "$T/$e.labels.csv" >/dev/null || diffs="$diffs import:$e"
	"$SGZ_BIN" export "$e" -o "$T/$e.3.csv" 2>/dev/null
	cmp -s "$T/$e.csv" "$T/$e.3.csv" || diffs="$diffs bytes:$e"
done
is "every labelled export imports back into empty tables as it was" "$diffs" ""

# --- community organisations (programmes.md, Community organisations) ---
H=community,name,kind,registration,credit_code,filed_on,status
printf '%s\n120110001001,新成立的互助会,volunteer,registered,91120110MA0000002G,,active\n' "$H" >co1.csv
out=$(imp community_orgs co1.csv)
like "registered with a credit code not starting with 5 is refused" "$out" \
	"co1.csv:2:credit_code: a registered organisation needs its unified social credit code, starting with 5"
printf '%s\n120110001001,新成立的互助会,volunteer,registered,,,active\n' "$H" >co2.csv
out=$(imp community_orgs co2.csv)
like "registered without a credit code is refused" "$out" "co2.csv:2:credit_code: a registered organisation needs"
printf '%s\n120110001001,楼道议事会,other,filed,,,active\n' "$H" >co3.csv
out=$(imp community_orgs co3.csv)
rc=$?
like "filed without a date is refused" "$out" \
	"co3.csv:2:filed_on: a filed organisation needs the date it was filed"
is "and nothing of that file is written" "$rc:$(q "SELECT count(*) FROM sgz.community_org")" "1:4"
printf '%s\n120110001000,街道舞蹈队,culture,filed,,2024-01-01,active\n' "$H" >co4.csv
out=$(imp community_orgs co4.csv)
like "a township code is not a community" "$out" \
	"co4.csv:2:community: 120110001000 is a township code, not a village or community (12 digits)"
printf '%s\n120110001001,新成立的互助会,volunteer,registered,51120110MJ0000102T,,active\n' "$H" >co5.csv
is "registered with a credit code starting with 5 is accepted" "$(imp community_orgs co5.csv)" "1 rows imported"
out=$(q "INSERT INTO sgz.community_org (community, name, registration, credit_code) VALUES ('120110001001', 'x', 'registered', '91120110MA0000002G')")
like "the database itself refuses a registered one without a 5" "$out" "community_org_registered_needs_credit_code"
out=$(q "INSERT INTO sgz.community_org (community, name, registration) VALUES ('120110001001', 'x', 'filed')")
like "and a filed one without its date" "$out" "community_org_filed_needs_filed_on"
out=$(q "INSERT INTO sgz.community_org (community, name, registration, filed_on) VALUES ('120110001000', 'x', 'filed', '2024-01-01')")
like "and a community that is not a village" "$out" "community_org_community_valid"
is "urban: digits 10-12 are 001-199; rural: the others" \
	"$(q "SELECT sgz.community_urban('120110001001') || ' ' || sgz.community_urban('120110001199') || ' ' || sgz.community_urban('120110001201')")" \
	"true true false"

# --- supervision and training (programmes.md, Supervision and training) ---
H=station,held_on,kind,supervisor,hours,attendees
printf '%s\n120110001000,2021-07-10,group,陈督导,2,12011019850315002X;12011019900101003X\n' "$H" >su1.csv
out=$(imp supervisions su1.csv)
rc=$?
like "an attendee not yet hired on the day is refused" "$out" \
	"su1.csv:2:attendees: attendee 12011019900101003X is not an active staff member of station 120110001000 on 2021-07-10"
is "and nothing of that file is written" "$rc:$(q "SELECT count(*) FROM sgz.supervision")" "1:2"
q "INSERT INTO sgz.staff (id_number, name, station, role, hired_on) VALUES ('120110199101010010', '周丰', '120110002000', 'fulltime', '2021-08-01')" >/dev/null
printf '%s\n120110001000,2024-06-01,on_site,陈督导,2,120110199101010010\n' "$H" >su2.csv
out=$(imp supervisions su2.csv)
like "an attendee of another station is refused for a supervision" "$out" \
	"su2.csv:2:attendees: attendee 120110199101010010 is not an active staff member of station 120110001000 on 2024-06-01"
for h in 0.4 200.5 1.25; do
	printf '%s\n120110001000,2024-06-01,remote,陈督导,%s,12011019850315002X\n' "$H" "$h" >su3.csv
	out=$(imp supervisions su3.csv)
	like "hours $h are refused" "$out" "su3.csv:2:hours:"
done
printf '%s\n120110001000,2024-06-01,remote,陈督导,200,12011019850315002X\n120110001000,2024-06-02,remote,陈督导,0.5,12011019850315002X\n' "$H" >su4.csv
is "hours 0.5 and 200 are accepted" "$(imp supervisions su4.csv)" "2 rows imported"
out=$(q "INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees) VALUES ('120110001000', '2024-06-03', 'group', 0.4, '12011019850315002X')")
like "the database itself refuses hours below 0.5" "$out" "supervision_hours_valid"
out=$(q "INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees) VALUES ('120110001000', '2021-07-10', 'group', 2, '12011019900101003X')")
like "and an attendee not active on the day, masked" "$out" \
	"attendee 1201**********003X is not an active staff member of station 120110001000 on 2021-07-10"
out=$(q "INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees) VALUES ('120110001000', '2024-06-03', 'group', 2, '120110199101010010')")
like "and one of another station" "$out" "is not an active staff member of station 120110001000"
H=title,starts_on,organiser,level,kind,hours,attendees
printf '%s\n社工实务培训,2021-07-10,东丽区民政局,county,continuing,8,12011019900101003X\n' "$H" >tr1.csv
out=$(imp trainings tr1.csv)
like "a training's attendee not active on the day is refused" "$out" \
	"tr1.csv:2:attendees: attendee 12011019900101003X is not a staff member active on 2021-07-10"
printf '%s\n全市社工培训,2024-06-10,天津市民政局,province,continuing,8,12011019850315002X;120110199101010010\n' "$H" >tr2.csv
is "a training's attendees may be of several stations" "$(imp trainings tr2.csv)" "1 rows imported"
out=$(q "UPDATE sgz.staff SET left_on = '2024-03-01' WHERE id_number = '12011019900101003X'")
like "a staff member's leaving date before what he attended is refused" "$out" \
	"staff member 李强 made the outreach visit of 2024-03-05 at 示范村"

# --- outreach visits and resources ---
H=station,visit_date,village,address,worker
printf '%s\n120110001000,2024-06-01,120110002201,邻村1号,12011019850315002X\n' "$H" >ov1.csv
q "INSERT INTO sgz.division (code, name) VALUES ('120110002201', '邻村')" >/dev/null
out=$(imp outreach_visits ov1.csv)
like "an outreach visit to a village of another township is refused" "$out" \
	"ov1.csv:2:village: village 120110002201 is not in the township of station 120110001000"
printf '%s\n120110001000,2021-06-01,120110001201,示范村20号,12011019850315002X\n' "$H" >ov2.csv
out=$(imp outreach_visits ov2.csv)
like "a worker not active on the day is refused" "$out" \
	"ov2.csv:2:worker: worker 12011019850315002X is not an active staff member of station 120110001000 on 2021-06-01"
printf 'station,received_on,donor,kind,case_no\n120110002000,2024-06-01,某基金会,goods,120110001-2024-0001\n' >re1.csv
out=$(imp resources re1.csv)
like "a resource given to another station's case is refused" "$out" \
	"re1.csv:2:case_no: case 120110001-2024-0001 is of station 120110001000, not 120110002000"

# --- KPI: households visited (rules.md extended) ---
# Station 120110001000 in 2024: 刘大爷, the recipient of case 0001's home
# visit (2024-01-15) and of the outreach visit to 示范村3号; 示范村12号
# (visited twice) and 示范村15号 without a recipient: 3 households.
kpi() { q "SELECT households_visited FROM sgz.report_kpi('120110', '$1') WHERE township_code = '120110001000'"; }
is "households visited: recipients plus outreach households, each once" "$(kpi 2024-12-31)" 3
is "only those visited by then" "$(kpi 2024-02-29)" 1
q "INSERT INTO sgz.outreach_visit (station, visit_date, village, address, worker) VALUES ('120110001000', '2023-12-30', '120110001201', '示范村30号', '12011019850315002X')" >/dev/null
is "and in the year" "$(kpi 2024-12-31)" 3

# --- access: station and county users ---
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >/dev/null 2>&1 || bail "user zgz"
"$SGZ_BIN" user add xiqing --scope 120111 --kind county >/dev/null 2>&1 || bail "user xiqing"
"$SGZ_BIN" user add dongli --scope 120110 --kind county >/dev/null 2>&1 || bail "user dongli"
is "a station user reads its supervisions masked, with the names" \
	"$(as zgz "SELECT attendees || ' ' || attendee_names FROM sgz.supervision_v WHERE kind = 'group'")" \
	"1201**********002X;1201**********003X 王芳、李强"
like "but not the numbers of the table" "$(as zgz "SELECT attendees FROM sgz.supervision")" "permission denied"
like "nor an outreach visit's worker" "$(as zgz "SELECT worker FROM sgz.outreach_visit")" "permission denied"
is "a training of several stations shows it its own attendees' names only" \
	"$(as zgz "SELECT attendee_names FROM sgz.training_v WHERE title = '全市社工培训'")" "王芳"
is "another county sees none of it" \
	"$(as xiqing "SELECT (SELECT count(*) FROM sgz.community_org) + (SELECT count(*) FROM sgz.outreach_visit_v) + (SELECT count(*) FROM sgz.supervision_v) + (SELECT count(*) FROM sgz.training_v) + (SELECT count(*) FROM sgz.resource)")" 0
like "nor may write there" \
	"$(as xiqing "INSERT INTO sgz.community_org (community, name, registration, filed_on) VALUES ('120110001001', 'y', 'filed', '2024-01-01')")" \
	"outside your scope"
like "a training of another county's staff is refused to it" \
	"$(as xiqing "INSERT INTO sgz.training (title, starts_on, hours, attendees) VALUES ('x', '2024-06-01', 2, '12011019850315002X')")" \
	"outside your scope"
printf 'station,held_on,kind,supervisor,hours,attendees\n120110001000,2024-07-01,group,陈督导,2,12011019850315002X;12011019900101003X\n' >su5.csv
out=$(PGUSER=zgz "$SGZ_BIN" import supervisions su5.csv 2>&1)
is "a station user imports a supervision by the numbers" "$out" "1 rows imported"
out=$(PGUSER=zgz "$SGZ_BIN" export supervisions 2>&1)
like "and exports the numbers in full" "$out" "120110001000,2024-07-01,group,陈督导,2.0,12011019850315002X;12011019900101003X,"
is "which the trail files" \
	"$(q "SELECT count(*) FROM sgz.audit WHERE who = 'zgz' AND action = 'export' AND table_name = 'staff' AND new->>'reason' = 'attendees'")" 1
PGUSER=zgz "$SGZ_BIN" export supervisions -o "$T/zsu.csv" >/dev/null 2>&1
PGUSER=zgz "$SGZ_BIN" export trainings -o "$T/ztr.csv" >/dev/null 2>&1
sup() { q "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM sgz.supervision x"; }
trn() { q "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM sgz.training x"; }
b1=$(sup)
b2=$(trn)
PGUSER=zgz "$SGZ_BIN" import supervisions "$T/zsu.csv" >/dev/null 2>&1
PGUSER=zgz "$SGZ_BIN" import trainings "$T/ztr.csv" >/dev/null 2>&1
is "a station user's export imported again changes no row (row_version included)" \
	"$(sup):$(trn)" "$b1:$b2"
as zgz "UPDATE sgz.supervision SET attendees = '1201**********002X' WHERE held_on = '2024-07-01'" >/dev/null
is "a masked attendee sent back names the stored one" \
	"$(q "SELECT attendees FROM sgz.supervision WHERE held_on = '2024-07-01'")" "12011019850315002X"
like "the trail masks the attendees for a county user" \
	"$(as dongli "SELECT new::text FROM sgz.audit_v WHERE table_name = 'supervision' AND action = 'insert' ORDER BY id LIMIT 1")" \
	"1201**********002X;1201**********003X"
is "the trail holds no full number a county user can read" \
	"$(as dongli "SELECT count(*) FROM sgz.audit_v WHERE coalesce(new::text, '') || coalesce(old::text, '') ~ '12011019850315002X|12011019900101003X'")" 0

# --- reports: community and training (programmes.md, Reports), by hand ---
# 120110's communities in 2024: 张贵庄第一社区 (urban) has 3 active
# organisations (夕阳红 filed, 邻里互助会 and 新成立的互助会 registered; 书画社
# is dormant) against 10; 示范村 (rural) 1 filed against 5; 邻村 none.
rep() { "$SGZ_BIN" report "$@" --format csv 2>&1 | tail -n +2; }
is "community: each community's active organisations against 10 urban / 5 rural" \
	"$(rep community --scope 120110 --year 2024)" \
	"120110001001,张贵庄第一社区,urban,3,2,1,10,no
120110001201,示范村,rural,1,0,1,5,no
120110002201,邻村,rural,0,0,0,5,no"
q "UPDATE sgz.plan SET community_orgs_rural_target = 1 WHERE division = '120110000000' AND year = 2024" >/dev/null
is "the county's plan gives the targets where it has them" \
	"$(rep community --scope 120110 --year 2024 | cut -d, -f1,7,8)" \
	"120110001001,10,no
120110001201,1,yes
120110002201,1,no"
is "an organisation filed after the day is not counted yet" \
	"$(rep community --scope 120110 --year 2022 | head -1 | cut -d, -f4-6)" "2,2,0"
# 2024: 王芳 trained 8 h (全市社工培训), supervised 3 + 200 + 0.5 + 2 h;
# 李强 trained 24.5 h, supervised 3 + 1.5 h; 周丰 trained 8 h.
is "training: each staff member's trainings and supervisions of the year with hours" \
	"$(rep training --scope 120110 --year 2024)" \
	"1201**********002X,王芳,120110001000,1,8.0,4,205.5
1201**********003X,李强,120110001000,1,24.5,2,4.5
1201**********0010,周丰,120110002000,1,8.0,0,0.0"
is "a station user's: its own staff only" \
	"$(PGUSER=zgz "$SGZ_BIN" report training --year 2024 --format csv 2>&1 | tail -n +2 | cut -d, -f2 | tr '\n' ' ')" \
	"王芳 李强 "
# plan, 东丽区 2024: 2 stations against 11, 3 social workers (王芳, 李强,
# 周丰) against 33, 1 qualified (no target), 2 of its 3 villages with a
# point (66.7% against 50), no population: no rate, its target the setting.
is "plan: the county's figures beside its plan's targets" \
	"$(rep plan --scope 120110 --year 2024)" \
	"120110000000,东丽区,2024,2,11,3,33,1,,66.7,50.0,,13.0,no"
q "UPDATE sgz.division SET population = 20 WHERE code = '120110000000'" >/dev/null
q "UPDATE sgz.plan SET stations_target = 2, social_workers_target = 3, volunteer_rate_target_pct = 10 WHERE division = '120110000000' AND year = 2024" >/dev/null
is "the registration rate: 2 volunteers of 20 people, against the plan's 10%" \
	"$(rep plan --scope 120110 --year 2024 | cut -d, -f4-)" "2,2,3,3,1,,66.7,50.0,10.0,10.0,yes"
q "UPDATE sgz.plan SET volunteer_rate_target_pct = NULL WHERE division = '120110000000' AND year = 2024" >/dev/null
is "else against the setting's 13% (004 §1(2))" \
	"$(rep plan --scope 120110 --year 2024 | cut -d, -f12-)" "10.0,13.0,no"

# --- two writers at once: an attendee's dates and his attendance ---
# A supervision naming 周丰 not yet committed; his leaving date, changed
# meanwhile before it, waits for it and is then refused.
psql -X -q -c "BEGIN; INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees) VALUES ('120110002000', '2024-08-01', 'group', 2, '120110199101010010'); SELECT pg_sleep(2); COMMIT" >/dev/null 2>&1 &
sleep 0.7
out=$(q "UPDATE sgz.staff SET left_on = '2024-07-01' WHERE id_number = '120110199101010010'")
wait
like "a leaving date changed while a supervision naming him is written waits and is refused" "$out" \
	"staff member 周丰 attended the supervision of 2024-08-01 at station 120110002000"
q "DELETE FROM sgz.supervision WHERE held_on = '2024-08-01'" >/dev/null
# The other way round: his leaving date not yet committed; a supervision
# after it waits for it and is then refused.
psql -X -q -c "BEGIN; UPDATE sgz.staff SET left_on = '2024-07-01' WHERE id_number = '120110199101010010'; SELECT pg_sleep(2); COMMIT" >/dev/null 2>&1 &
sleep 0.7
out=$(q "INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees) VALUES ('120110002000', '2024-09-01', 'group', 2, '120110199101010010')")
wait
like "a supervision written while his leaving date changes waits and is refused" "$out" \
	"attendee 1201**********0010 is not an active staff member of station 120110002000 on 2024-09-01"

# --- the same with the pids given beside the numbers (as sgz import writes
# them, 0040): no row trigger resolves them, the statement's check locks ---
q "UPDATE sgz.staff SET left_on = NULL WHERE id_number = '120110199101010010'" >/dev/null
zf=$(q "SELECT pid FROM sgz.staff WHERE id_number = '120110199101010010'")
wf=$(q "SELECT pid FROM sgz.staff WHERE id_number = '12011019850315002X'")
lq=$(q "SELECT pid FROM sgz.staff WHERE id_number = '12011019900101003X'")
psql -X -q -c "BEGIN; UPDATE sgz.staff SET left_on = '2024-07-01' WHERE id_number = '120110199101010010'; SELECT pg_sleep(2); COMMIT" >/dev/null 2>&1 &
sleep 0.7
out=$(q "INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees, attendee_pids) VALUES ('120110002000', '2024-10-01', 'group', 2, '120110199101010010', ARRAY[$zf])")
wait
like "written with its pids while his leaving date changes: waits and is refused" "$out" \
	"attendee 1201**********0010 is not an active staff member of station 120110002000 on 2024-10-01"
q "UPDATE sgz.staff SET left_on = NULL WHERE id_number = '120110199101010010'" >/dev/null
psql -X -q -c "BEGIN; INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees, attendee_pids) VALUES ('120110002000', '2024-10-02', 'group', 2, '120110199101010010', ARRAY[$zf]); SELECT pg_sleep(2); COMMIT" >/dev/null 2>&1 &
sleep 0.7
out=$(q "UPDATE sgz.staff SET left_on = '2024-07-01' WHERE id_number = '120110199101010010'")
wait
like "his leaving date changed while one with its pids is written: waits and is refused" "$out" \
	"staff member 周丰 attended the supervision of 2024-10-02 at station 120110002000"
is "and the supervision written with its pids is stored as given" \
	"$(q "SELECT attendees || ' ' || attendee_pids::text || ' ' || row_version FROM sgz.supervision WHERE held_on = '2024-10-02'")" \
	"120110199101010010 {$zf} 1"
like "pids that are not the numbers' people are refused" \
	"$(q "INSERT INTO sgz.supervision (station, held_on, kind, hours, attendees, attendee_pids) VALUES ('120110002000', '2024-10-03', 'group', 2, '120110199101010010', ARRAY[$wf])")" \
	"ID number 1201**********0010 and pid $wf are not one person"
like "and a list out of the order the database keeps" \
	"$(q "INSERT INTO sgz.training (title, starts_on, hours, attendees, attendee_pids) VALUES ('x', '2024-06-01', 2, '12011019900101003X;12011019850315002X', ARRAY[$lq, $wf])")" \
	"ID number 1201**********002X and pid $wf are not one person"
