#!/bin/sh
# transfer_roles.sh - sgz import and sgz export (CSV and -o FILE.xlsx) as the
# users who read people only masked (migration 0012; 0017 takes the full ID
# numbers away from them): a station user and a county user export the
# people of their scope with the numbers in full, in the import format, and
# one trail entry says how many numbers left; the file imports back
# unchanged; the checks of the people a file names give their messages; a
# stored person, and the rows naming him, are found and updated by pid.
# The owner of the schema is not a superuser, as sgz(1) deploys it. Passes
# with and without 0017: the same statements work either way.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 56

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"
PY=/usr/bin/python3
"$PY" -c 'import openpyxl' 2>/dev/null || bail "python3-openpyxl is not installed (apt-get install python3-openpyxl)"

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
own() { PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
as() {
	r=$1
	shift
	PGUSER=$r psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }
# imp ROLE ENTITY FILE / exp ROLE ENTITY FILE
imp() { PGUSER=$1 "$SGZ_BIN" import "$2" "$3" 2>&1; }
exp() { PGUSER=$1 "$SGZ_BIN" export "$2" -o "$3" 2>&1; }

sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in divisions organizations stations service_points staff volunteers activities hours recipients \
	cases visits; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# A second county, 120111 西青区, with a volunteer and a recipient.
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >st.csv
printf 'code,name\n120111001201,西营门示范村\n' >dv.csv
printf 'id_number,name,station,registered_on\n120111199202020046,孙丽,120111001000,2022-01-01\n' >vo.csv
printf 'id_number,name,village,categories\n120111194505050055,周大爷,120111001201,empty_nest_elderly\n' >re.csv
sgz import divisions dv.csv >/dev/null && sgz import stations st.csv >/dev/null &&
	sgz import volunteers vo.csv >/dev/null && sgz import recipients re.csv >/dev/null ||
	bail "second county"
sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"

CHILD=120110201506010051 # 小明, born 2015: a child
VOL=120110197007070042	 # 张敏, volunteer at 120110001000
XQ_VOL=120111199202020046
XQ_REC=120111194505050055
if [ "$(as zgz "SELECT has_column_privilege('sgz.volunteer', 'id_number', 'SELECT')")" = f ]; then
	echo "# station and county users may not read full ID numbers (0017)"
else
	echo "# station and county users may still read full ID numbers (before 0017)"
fi

PEOPLE="staff volunteers hours recipients cases visits"
# What a row holds, every column but row_version; and the row_versions of
# every row, a child's among them (a child's name is compared by
# sgz.person_name_is(), never read).
values() {
	for t in staff volunteer hours recipient case_file visit; do
		own "SELECT '$t', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))
		       FROM (SELECT to_jsonb(t) - 'row_version' AS x FROM sgz.$t t) s"
	done
}
versions() {
	for t in staff volunteer hours case_file visit; do
		own "SELECT '$t', string_agg(row_version::text, ',' ORDER BY t::text) FROM sgz.$t t"
	done
	own "SELECT 'recipient', string_agg(row_version::text, ',' ORDER BY pid) FROM sgz.recipient"
}
# export_numbers ROLE TABLE - the count of numbers the last export of
# ROLE's took from TABLE, as the trail has it
export_numbers() {
	own "SELECT new->>'numbers' FROM sgz.audit WHERE who = '$1' AND action = 'export'
	       AND table_name = '$2' AND new ? 'numbers' ORDER BY id DESC LIMIT 1"
}

# ---- CSV: every entity naming people, out and back in ----

for r in zgz dongli; do
	before=$(values)
	vbefore=$(versions)
	diffs=""
	for e in $PEOPLE; do
		exp $r "$e" "$r-$e.csv" >err || diffs="$diffs export:$e:$(head -1 err)"
		imp $r "$e" "$r-$e.csv" >err || diffs="$diffs import:$e:$(grep -v warning err | head -2)"
		exp $r "$e" "$r-$e.2.csv" >/dev/null
		cmp -s "$r-$e.csv" "$r-$e.2.csv" || diffs="$diffs bytes:$e"
	done
	is "$r: every export of people re-imports and re-exports identically" "$diffs" ""
	is "$r: re-importing them changes no value" "$(values)" "$before"
	is "$r: and writes no row again, a child's neither" "$(versions)" "$vbefore"
	like "$r: volunteers are exported with their numbers in full" "$(cat "$r-volunteers.csv")" \
		"$VOL,张敏,13900001111,120110001000"
	like "$r: and so are the volunteers the hours name" "$(cat "$r-hours.csv")" \
		"$VOL,2024-03-05,120110001000,学雷锋志愿服务日"
	like "$r: a child's number and name in full: the file is the import format" \
		"$(cat "$r-recipients.csv")" "$CHILD,小明,"
	like "$r: the people a case names in full" "$(cat "$r-cases.csv")" \
		"120110001-2024-0002,$CHILD,120110001000,12011019900101003X,"
	like "$r: and the worker of a visit" "$(cat "$r-visits.csv")" \
		"120110001-2024-0001,2024-02-14,phone,12011019850315002X,"
	unlike "$r: nobody of another county" "$(cat "$r"-*.csv)" "120111"
	is "$r: the trail has how many numbers the export of volunteers took" \
		"$(export_numbers $r volunteer)" \
		"$(own "SELECT count(*) FROM sgz.volunteer WHERE station LIKE '120110%'")"
done
is "the trail has the export of the numbers by the station user and the county user" \
	"$(own "SELECT string_agg(DISTINCT who, ',') FROM sgz.audit WHERE action = 'export'
		AND table_name = 'recipient' AND new->>'reason' = 'export'")" "dongli,zgz"

# ---- xlsx: the workbook saved as CSV imports back unchanged ----

cat >"$T/csvof.py" <<'EOF'
import sys, csv, datetime, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
out = csv.writer(sys.stdout, lineterminator="\n")
def text(v):
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
for r in ws.iter_rows(values_only=True):
    out.writerow([text(v) for v in r])
EOF
for r in zgz dongli; do
	before=$(values)
	vbefore=$(versions)
	diffs=""
	for e in $PEOPLE; do
		exp $r "$e" "$r-$e.xlsx" >err || diffs="$diffs export:$e:$(head -1 err)"
		"$PY" csvof.py "$r-$e.xlsx" >"$r-$e.x.csv" 2>err || diffs="$diffs convert:$e"
		imp $r "$e" "$r-$e.x.csv" >err || diffs="$diffs import:$e:$(grep -v warning err | head -2)"
	done
	is "$r: every workbook of people saved as CSV imports back" "$diffs" ""
	is "$r: changing no value" "$(values)" "$before"
	is "$r: and writing no row again, a child's neither" "$(versions)" "$vbefore"
	like "$r: the workbook of hours has the volunteers' numbers in full" \
		"$(cat "$r-hours.x.csv")" "$VOL,2024-03-05,120110001000"
	like "$r: the workbook of cases the recipients'" "$(cat "$r-cases.x.csv")" "$CHILD"
done

# ---- the checks of the people a file names, as the user ----

H=volunteer,service_date,station,activity,hours
C=case_no,recipient,station,worker,method,opened_on,status,closed_on,close_reason
day=1
for r in zgz dongli; do
	day=$((day + 1))
	printf '%s\n%s,2024-03-07,120110001000,,1\n' "$H" "$XQ_VOL" >h1.csv
	like "$r: a volunteer of another county is not registered, for this user" \
		"$(imp $r hours h1.csv)" \
		"h1.csv:2:volunteer: volunteer $XQ_VOL is not registered: import the volunteer first"
	printf '%s\n120110199512310077,2021-12-31,120110001000,,1\n' "$H" >h2.csv
	like "$r: a date before the volunteer registered" "$(imp $r hours h2.csv)" \
		"h2.csv:2:service_date: 2021-12-31 is before the volunteer registered (2022-01-10)"
	printf '%s\n%s,2024-03-06,120110001000,学雷锋志愿服务日,22.5\n' "$H" "$VOL" >h3.csv
	like "$r: a day over 24 hours with the stored ones, the name and the number masked" \
		"$(imp $r hours h3.csv)" \
		"h3.csv:2:hours: hours of 张敏 (1201**********0042) on 2024-03-06 add up to 24.5"
	printf '%s\n%s,2024-03-06,120110001000,,2\n%s,2024-02-0%s,120110001000,,1\n' "$H" "$VOL" "$VOL" $day >h4.csv
	out=$(imp $r hours h4.csv)
	unlike "$r: a stored row is not late: it is not new" "$out" "h4.csv:2:service_date: warning"
	like "$r: a new row long after its day is" "$out" \
		"h4.csv:3:service_date: warning: recorded "
	printf '%s\n,%s,120110001000,12011019850315002X,individual,2024-05-01,intake,,\n' "$C" "$XQ_REC" >c1.csv
	like "$r: a recipient of another county is not registered, for this user" \
		"$(imp $r cases c1.csv)" \
		"c1.csv:2:recipient: recipient $XQ_REC is not registered: import the recipient first"
	printf '%s\n,120110195001010066,120110001000,12011019850315002X,individual,2021-01-01,intake,,\n' "$C" >c2.csv
	like "$r: a worker not active when the case opened" "$(imp $r cases c2.csv)" \
		"c2.csv:2:worker: worker 12011019850315002X is not an active staff member of station 120110001000 on 2021-01-01"
	printf 'case_no,visit_date,kind,worker\n120110001-2024-0001,2024-03-01,phone,%s\n' "$VOL" >v1.csv
	like "$r: a visit's worker who is not staff" "$(imp $r visits v1.csv)" \
		"v1.csv:2:worker: worker $VOL is not a staff member"
done
is "none of those files wrote anything" \
	"$(own "SELECT count(*) FROM sgz.hours WHERE service_date IN ('2024-03-07', '2021-12-31')
		OR hours = 22.5")|$(own "SELECT count(*) FROM sgz.case_file")" "0|2"

# ---- stored rows found by pid and updated in place ----

pid_of() { own "SELECT pid FROM sgz.$1 WHERE id_number = '$2'"; }
VOL_PID=$(pid_of volunteer $VOL)
n=$(own "SELECT count(*) FROM sgz.volunteer")
printf 'id_number,name,phone,station,registered_on\n%s,张敏,13900002222,120110001000,2021-08-01\n' "$VOL" >vo1.csv
imp zgz volunteers vo1.csv >/dev/null
is "a volunteer imported again is updated in place, by pid" \
	"$(own "SELECT pid, phone FROM sgz.volunteer WHERE id_number = '$VOL'")|$(own "SELECT count(*) FROM sgz.volunteer")" \
	"$VOL_PID|13900002222|$n"
is "the columns the file leaves out are kept" \
	"$(own "SELECT team FROM sgz.volunteer WHERE id_number = '$VOL'")" "张贵庄志愿服务队"
printf 'id_number,name,village,categories\n%s,小明明,120110001201,left_behind_child\n' "$CHILD" >re1.csv
imp dongli recipients re1.csv >/dev/null
is "a child's name changed by a county user is stored, in full" \
	"$(own "SELECT name, address FROM sgz.recipient WHERE id_number = '$CHILD'")" "小明明|示范村8号"
v=$(own "SELECT row_version FROM sgz.recipient WHERE id_number = '120110195001010066'")
printf 'id_number,name,village,categories\n120110195001010066,刘大爷,120110001201,empty_nest_elderly;dibao\n' >re2.csv
imp zgz recipients re2.csv >/dev/null
is "an adult's unchanged row is not written again" \
	"$(own "SELECT row_version FROM sgz.recipient WHERE id_number = '120110195001010066'")" "$v"
n=$(own "SELECT count(*) FROM sgz.hours")
printf '%s\n%s,2024-03-05,120110001000,学雷锋志愿服务日,5\n' "$H" "$VOL" >h5.csv
imp zgz hours h5.csv >/dev/null
is "hours imported again are updated in place, by the volunteer's pid" \
	"$(own "SELECT hours, volunteer_pid FROM sgz.hours WHERE volunteer = '$VOL'
		AND service_date = '2024-03-05'")|$(own "SELECT count(*) FROM sgz.hours")" \
	"5.0|$VOL_PID|$n"
LI=12011019900101003X # 李强, staff at 120110001000 since 2021-07-15
printf '%s\n120110001-2024-0001,120110195001010066,120110001000,%s,individual,2024-01-10,intervention,,\n' "$C" "$LI" >c3.csv
imp dongli cases c3.csv >/dev/null
is "a case given another worker names him, number and pid" \
	"$(own "SELECT worker, worker_pid = (SELECT pid FROM sgz.staff WHERE id_number = '$LI')
		FROM sgz.case_file WHERE case_no = '120110001-2024-0001'")" "$LI|t"
w=$(own "SELECT worker_pid FROM sgz.visit WHERE case_no = '120110001-2024-0001' AND visit_date = '2024-02-14'")
printf 'case_no,visit_date,kind,summary\n120110001-2024-0001,2024-02-14,phone,再次电话回访\n' >v2.csv
imp zgz visits v2.csv >/dev/null
is "a visit imported without the worker column keeps its worker" \
	"$(own "SELECT summary, worker_pid FROM sgz.visit WHERE case_no = '120110001-2024-0001'
		AND visit_date = '2024-02-14'")" "再次电话回访|$w"
printf 'id_number,name,station,registered_on\n%s,孙丽,120110001000,2022-01-01\n' "$XQ_VOL" >vo2.csv
out=$(imp zgz volunteers vo2.csv)
is "a person of another county cannot be taken over by an import" \
	"$?|$(own "SELECT station FROM sgz.volunteer WHERE id_number = '$XQ_VOL'")" "1|120111001000"
