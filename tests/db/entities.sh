#!/bin/sh
# entities.sh - every entity of spec/csv.md against a real PostgreSQL: the
# round trip import -> export -> import unchanged, and each rule of
# spec/rules.md refused on its line by the import and, by direct SQL, by the
# database itself.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 90

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }
imp() { "$SGZ_BIN" import "$@" 2>&1; }
ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans"

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 || bail "divisions"

# --- every entity imports, exports, and re-imports unchanged ---
for e in $ENTITIES; do
	out=$(imp "$e" "$F/$e.csv")
	rc=$?
	[ $rc = 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
	is "$e: the fixture imports" "$rc" 0
done
snapshot() {
	for t in division organization station service_point staff volunteer activity hours \
		recipient case_file visit contract evaluation plan; do
		q "SELECT '$t', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM sgz.$t x"
	done
}
before=$(snapshot)
diffs=""
for e in $ENTITIES; do
	"$SGZ_BIN" export "$e" -o "$T/$e.csv" 2>/dev/null || diffs="$diffs export:$e"
	imp "$e" "$T/$e.csv" >/dev/null || diffs="$diffs import:$e"
	"$SGZ_BIN" export "$e" -o "$T/$e.2.csv" 2>/dev/null
	cmp -s "$T/$e.csv" "$T/$e.2.csv" || diffs="$diffs bytes:$e"
done
is "every entity's export re-imports and re-exports identically" "$diffs" ""
is "re-importing every export changes no row (row_version included)" "$(snapshot)" "$before"

is "case numbers are assigned as township-year-sequence" \
	"$(q "SELECT string_agg(case_no, ' ' ORDER BY case_no) FROM sgz.case_file")" \
	"120110001-2024-0001 120110001-2024-0002"
is "gender and birth date come from the ID number" \
	"$(q "SELECT gender || ' ' || birth_date FROM sgz.staff WHERE name = '王芳'")" "female 1985-03-15"
is "a visit takes its case's station" "$(q "SELECT DISTINCT station FROM sgz.visit")" "120110001000"

# --- stations and service points ---
printf 'station,name,villages,status,established_on\n120110001000,第二社工点,120110002201,planned,\n' >"$T/sp1.csv"
q "INSERT INTO sgz.division (code, name) VALUES ('120110002201', '邻村')" >/dev/null
out=$(imp service_points "$T/sp1.csv")
like "a village of another township is refused" "$out" "sp1.csv:2:villages: village 120110002201 is not in the township of station 120110001000"
printf 'station,name,villages,status,established_on\n120110001000,第二社工点,120110001201,planned,\n' >"$T/sp2.csv"
out=$(imp service_points "$T/sp2.csv")
like "a village already served by another point is refused" "$out" "sp2.csv:2:villages: village 120110001201 is already served by the point 张贵庄第一社工点"
printf 'station,name,villages,status\n120110001000,第二社工点,120110001,planned\n' >"$T/sp3.csv"
out=$(imp service_points "$T/sp3.csv")
like "a township code is not a village" "$out" "sp3.csv:2:villages: 120110001000 is a township code, not a village"
out=$(q "INSERT INTO sgz.service_point (station, name, villages, status) VALUES ('120110001000', 'x', '{120110001201}', 'planned')")
like "the database itself refuses a village served twice" "$out" "already served by the point"

# --- staff ---
printf 'id_number,name,station,role,hired_on,left_on\n12011019850315002X,王芳,120110001000,head,2021-07-01,2020-01-01\n' >"$T/st1.csv"
out=$(imp staff "$T/st1.csv")
like "left before hired is refused" "$out" "st1.csv:2:left_on: left on 2020-01-01, before being hired on 2021-07-01"
printf 'id_number,name,station,role,hired_on,qualification,qualified_on\n12011019850315002X,王芳,120110001000,head,2021-07-01,社会工作师,\n' >"$T/st2.csv"
out=$(imp staff "$T/st2.csv")
like "a qualification needs its date" "$out" "st2.csv:2:qualified_on: a qualification (intermediate) needs the date"
printf 'id_number,name,station,role,hired_on\n120110198503150021,王芳,120110001000,head,2021-07-01\n' >"$T/st3.csv"
out=$(imp staff "$T/st3.csv")
rc=$?
like "a bad check character is refused" "$out" "st3.csv:2:id_number: bad check character"
is "and nothing of that file is written" "$rc:$(q "SELECT count(*) FROM sgz.staff")" "1:2"
printf 'id_number,name,station,role,hired_on,education\n120110197007070042,张敏,120110001000,resident,2021-07-01,below_college\n' >"$T/st4.csv"
out=$(imp staff "$T/st4.csv")
rc=$?
is "warnings do not refuse the row" "$rc" 0
like "a resident older than 45 at hire is a warning" "$out" "st4.csv:2:hired_on: warning: resident social worker aged 50 at hire"
like "education below college is a warning" "$out" "st4.csv:2:education: warning: education below college"
printf 'id_number,name,station,role,hired_on,phone\n120110197007070042,张敏,120110001000,resident,2021-07-01,12345\n' >"$T/st5.csv"
out=$(imp staff "$T/st5.csv")
like "a bad phone number is refused" "$out" "st5.csv:2:phone: "
out=$(q "INSERT INTO sgz.staff (id_number, name, station, role, hired_on) VALUES ('120110198503150021', 'x', '120110001000', 'head', '2021-01-01')")
like "the database refuses a bad ID number" "$out" "staff_id_number_valid"

# --- volunteers: old 15-digit numbers are upgraded ---
printf 'id_number,name,station,registered_on\n110105491231002,老张,120110001000,2023-01-01\n' >"$T/v1.csv"
imp volunteers "$T/v1.csv" >/dev/null
is "a 15-digit ID number is stored upgraded" "$(q "SELECT id_number FROM sgz.volunteer WHERE name = '老张'")" "11010519491231002X"

# --- hours ---
H=volunteer,service_date,station,activity,hours
printf '%s\n120110197007070042,2024-03-07,120110001000,,10\n120110197007070042,2024-03-07,120110001000,学雷锋志愿服务日,15\n' "$H" >"$T/h1.csv"
out=$(imp hours "$T/h1.csv")
like "a day over 24 hours in one file is refused" "$out" "h1.csv:3:hours: hours of 张敏 (1201**********0042) on 2024-03-07 add up to 25"
printf '%s\n120110197007070042,2024-03-06,120110001000,学雷锋志愿服务日,22.5\n' "$H" >"$T/h2.csv"
out=$(imp hours "$T/h2.csv")
like "a day over 24 with the stored hours is refused" "$out" "h2.csv:2:hours: hours of 张敏 (1201**********0042) on 2024-03-06 add up to 24.5"
printf '%s\n120110197007070042,2024-03-06,120110001000,,24\n' "$H" >"$T/h3.csv"
out=$(imp hours "$T/h3.csv")
is "replacing a stored row counts it once: exactly 24 is accepted" "$?" 0
printf '%s\n120110197007070042,2099-01-01,120110001000,,1\n' "$H" >"$T/h4.csv"
out=$(imp hours "$T/h4.csv")
like "a future date is refused" "$out" "h4.csv:2:service_date: 2099-01-01 is in the future"
printf '%s\n120110199512310077,2021-12-31,120110001000,,1\n' "$H" >"$T/h5.csv"
out=$(imp hours "$T/h5.csv")
like "a date before registration is refused" "$out" "h5.csv:2:service_date: 2021-12-31 is before the volunteer registered (2022-01-10)"
printf '%s\n120110199512310077,2024-03-09,120110001000,不存在的活动,1\n' "$H" >"$T/h6.csv"
out=$(imp hours "$T/h6.csv")
like "an unknown activity is refused" "$out" "h6.csv:2:activity: no activity '不存在的活动'"
printf '%s\n120110199512310077,2024-03-09,120110001000,,0\n120110199512310077,2024-03-10,120110001000,,24.1\n120110199512310077,2024-03-11,120110001000,,2.25\n' "$H" >"$T/h7.csv"
out=$(imp hours "$T/h7.csv")
like "zero hours are refused" "$out" "h7.csv:2:hours: "
like "24.1 hours are refused" "$out" "h7.csv:3:hours: "
like "two decimals are refused" "$out" "h7.csv:4:hours: "
printf '%s\n110105491231002,2024-03-09,120110001000,,1\n' "$H" >"$T/h8.csv"
out=$(imp hours "$T/h8.csv")
like "a volunteer given by the old 15-digit number is found" "$out" "1 rows imported"
out=$(q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('120110197007070042', '2024-03-05', '120110001000', 21)")
like "the database refuses more than 24 hours on a day" "$out" "more than 24"
out=$(q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('120110197007070042', current_date + 1, '120110001000', 1)")
like "the database refuses a future date" "$out" "in the future"

# The rules the database enforces on write are checked by the import only
# when the write fails, or when the file has errors anyway (0007, import.c):
# every error is still listed, on its line, with the import's message.
printf '%s\n120110199512310077,2024-03-12,120110001000,,abc\n12011019900101003X,2024-03-12,120110001000,,1\n120110199512310077,2024-03-13,120110001000,没有的活动,1\n' "$H" >"$T/h9.csv"
out=$(imp hours "$T/h9.csv")
like "a file with a bad cell: the unregistered volunteer is named too" "$out" \
	"h9.csv:3:volunteer: volunteer 12011019900101003X is not registered: import the volunteer first"
like "and the unknown activity" "$out" "h9.csv:4:activity: no activity '没有的活动'"
printf '%s\n120110199512310077,2024-03-14,120110001000,,1\n120110199512310077,2024-03-14,120110001000,,2\n' "$H" >"$T/h10.csv"
is "a key repeated among new rows: the write fails and the line is named" \
	"$(imp hours "$T/h10.csv" | grep -v ': warning: ')" \
	"$T/h10.csv:3:volunteer: the same volunteer, service_date, station, activity as line 2: each row needs its own
1 rows rejected, nothing imported"
printf '%s\n120110197007070042,2024-03-06,120110001000,,2\n120110197007070042,2024-03-06,120110001000,,3\n' "$H" >"$T/h11.csv"
like "a stored key repeated in the file is named before writing (one update would take either)" \
	"$(imp hours "$T/h11.csv")" "h11.csv:3:volunteer: the same volunteer, service_date, station, activity as line 2"
is "nothing of these files is written" \
	"$(q "SELECT count(*) FROM sgz.hours WHERE service_date BETWEEN '2024-03-12' AND '2024-03-14'")" 0
# sgz.hours_check of 0007 and the activity's guard, in place of the
# foreign key of 0003.
out=$(q "INSERT INTO sgz.hours (volunteer, service_date, station, activity, hours) VALUES ('120110199512310077', '2024-03-15', '120110001000', '没有的活动', 1)")
like "the database refuses an unknown activity" "$out" "no activity 没有的活动 at station 120110001000 on 2024-03-15"
like "and deleting an activity that hours name" \
	"$(q "DELETE FROM sgz.activity WHERE title = '学雷锋志愿服务日'")" "still has service hours recorded"
like "or renaming it" \
	"$(q "UPDATE sgz.activity SET title = '改名' WHERE title = '学雷锋志愿服务日'")" "still has service hours recorded"
like "the database adds a day's hours at every station" \
	"$(q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('120110197007070042', '2024-03-06', '120110002000', 0.5)")" \
	"hours of 张敏 (1201**********0042) on 2024-03-06 add up to more than 24"
q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('120110199512310077', '2024-03-20', '120110001000', 10), ('120110199512310077', '2024-03-20', '120110002000', 10)" >/dev/null
like "and those of an update" \
	"$(q "UPDATE sgz.hours SET hours = 15 WHERE volunteer = '120110199512310077' AND service_date = '2024-03-20' AND station = '120110002000'")" \
	"hours of 赵磊 (1201**********0077) on 2024-03-20 add up to more than 24"
like "and those of one statement in a year without hours before" \
	"$(q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) VALUES ('120110199512310077', '2023-05-01', '120110001000', 12), ('120110199512310077', '2023-05-01', '120110002000', 13)")" \
	"hours of 赵磊 (1201**********0077) on 2023-05-01 add up to more than 24"
# A statement of over 1,000 rows (an import) takes the totals' word for
# which volunteers had hours in a year before it (0007).
big="SELECT '120110199512310077', date '2022-02-01' + g, '120110002000', 0.5
     FROM generate_series(0, 1001) g WHERE date '2022-02-01' + g <> '2024-03-20'"
like "a large insert: a day over 24 with the hours stored before is refused" \
	"$(q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) $big
	      UNION ALL SELECT '120110197007070042', '2024-03-06', '120110002000', 1")" \
	"hours of 张敏 (1201**********0042) on 2024-03-06 add up to more than 24"
like "and a day over 24 within the statement" \
	"$(q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) $big
	      UNION ALL SELECT '120110197007070042', date '2023-06-01', '120110001000', 12
	      UNION ALL SELECT '120110197007070042', date '2023-06-01', '120110002000', 13")" \
	"hours of 张敏 (1201**********0042) on 2023-06-01 add up to more than 24"
like "and an unregistered volunteer" \
	"$(q "INSERT INTO sgz.hours (volunteer, service_date, station, hours) $big
	      UNION ALL SELECT '12011019900101003X', '2024-03-06', '120110002000', 1")" \
	"volunteer 12011019900101003X is not registered"
is "a large insert that breaks no rule is written, and counted in the totals" \
	"$(q "BEGIN; INSERT INTO sgz.hours (volunteer, service_date, station, hours) $big;
	      SELECT sum(records) FROM sgz.hours_year_total
	       WHERE volunteer = '120110199512310077' AND station = '120110002000'; ROLLBACK" | sed -n 3p)" 1002

# --- recipients ---
R=id_number,name,village,categories
printf '%s\n120110200801010017,小李,120110001201,left_behind_child\n' "$R" >"$T/r1.csv"
out=$(imp recipients "$T/r1.csv")
like "a left-behind child must be under 16" "$out" "r1.csv:2:categories: left_behind_child (农村留守儿童) needs an age under 16"
printf '%s\n12011019850315002X,王芳,120110001201,空巢/独居老年人\n' "$R" >"$T/r2.csv"
out=$(imp recipients "$T/r2.csv")
like "elderly categories need 60 or over" "$out" "r2.csv:2:categories: elderly categories need an age of 60 or over"
out=$(q "UPDATE sgz.recipient SET categories = '{disabled_elderly}' WHERE name = '小明'")
like "the database refuses an elderly category for a child" "$out" "elderly categories need an age of 60 or over"
out=$(q "UPDATE sgz.recipient SET categories = '{dibao,de_facto_orphan}' WHERE name = '刘大爷'")
like "the database refuses a child category for an elder" "$out" "child categories need an age under 18, not "
is "the database stores a recipient in no age category whatever his age" \
	"$(q "UPDATE sgz.recipient SET categories = '{dibao}' WHERE name = '小明' RETURNING categories" | head -1)" "{dibao}"
is "and keeps the category of a child who is one" \
	"$(q "UPDATE sgz.recipient SET categories = '{left_behind_child}' WHERE name = '小明' RETURNING categories" | head -1)" \
	"{left_behind_child}"

# --- cases ---
C=case_no,recipient,station,worker,method,opened_on,status,closed_on,close_reason
printf '%s\n120110001-2024-0001,120110195001010066,120110001000,12011019850315002X,individual,2024-01-10,closed,,\n' "$C" >"$T/c1.csv"
out=$(imp cases "$T/c1.csv")
like "closing needs a date" "$out" "c1.csv:2:closed_on: closing a case needs the date"
like "and a reason" "$out" "c1.csv:2:close_reason: closing a case needs a reason"
printf '%s\n,120110195001010066,120110001000,12011019850315002X,individual,2021-01-01,intake,,\n' "$C" >"$T/c2.csv"
out=$(imp cases "$T/c2.csv")
like "the worker must be active at the station when the case opens" "$out" "c2.csv:2:worker: worker 12011019850315002X is not an active staff member of station 120110001000 on 2021-01-01"
printf '%s\n,120110195001010066,120110001000,12011019850315002X,individual,2024-05-01,intake,,\n' "$C" >"$T/c3.csv"
imp cases "$T/c3.csv" >/dev/null
is "a new case continues the township's sequence" \
	"$(q "SELECT max(case_no) FROM sgz.case_file")" "120110001-2024-0003"
out=$(q "INSERT INTO sgz.case_file (recipient, station, worker, method, opened_on) VALUES ('120110195001010066', '120110002000', '12011019850315002X', 'individual', '2024-01-01')")
like "the database refuses a worker of another station" "$out" "is not an active staff member of station 120110002000"
out=$(q "UPDATE sgz.case_file SET status = 'closed' WHERE case_no = '120110001-2024-0003'")
like "the database refuses closing without a date or reason" "$out" "violates check constraint \"case_file_close"

# --- visits ---
printf 'case_no,visit_date,kind\n120110001-2024-0001,2023-12-31,phone\n120110001-2099-0001,2024-01-01,phone\n' >"$T/vi1.csv"
out=$(imp visits "$T/vi1.csv")
like "a visit before the case opened is refused" "$out" "vi1.csv:2:visit_date: visit on 2023-12-31 is before the case was opened (2024-01-10)"
like "a visit of an unknown case is refused" "$out" "vi1.csv:3:case_no: "

# --- contracts and evaluations ---
K=contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations
printf '%s\nDL-X,120110,52120110MJ0000001Y,inquiry,2024,1,2024-01-01,2024-12-31,25万,\n' "$K" >"$T/k1.csv"
out=$(imp contracts "$T/k1.csv")
like "25万 is refused with the amount in yuan" "$out" "k1.csv:2:amount: amounts are in yuan, not 万元: write 250000.00"
printf '%s\nDL-X,120110,52120110MJ0000001Y,inquiry,2024,1,2024-01-01,2024-12-31,1000,130102001000\n' "$K" >"$T/k2.csv"
out=$(imp contracts "$T/k2.csv")
like "a station outside the purchaser is refused" "$out" "k2.csv:2:stations: "
printf '%s\nDL-X,120110,52120110MJ0000001Y,inquiry,2024,1,2024-12-31,2024-01-01,1000,\n' "$K" >"$T/k3.csv"
out=$(imp contracts "$T/k3.csv")
like "ending before starting is refused" "$out" "k3.csv:2:ends_on: ends on 2024-01-01, before it starts on 2024-12-31"
printf '%s\nDL-Y,120110,91120110MA0000001D,inquiry,2024,1,2024-01-01,2024-12-31,3000000,\n' "$K" >"$T/k4.csv"
out=$(imp contracts "$T/k4.csv")
rc=$?
is "eligibility problems are warnings, not refusals" "$rc" 0
like "an organisation not registered with civil affairs is named" "$out" "k4.csv:2:organization: warning: organization 91120110MA0000001D may not be eligible: not registered with civil affairs"
like "a large amount not by open tender is a warning" "$out" "k4.csv:2:procurement_method: warning: 3000000"
printf 'contract_no,kind,evaluated_on,score\nDL-2024-001,final,2024-12-30,100.1\nDL-2024-001,final,2024-12-31,100\n' >"$T/e1.csv"
out=$(imp evaluations "$T/e1.csv")
like "a score over 100 is refused" "$out" "e1.csv:2:score: out of range"
unlike "a score of exactly 100 is accepted" "$out" "e1.csv:3:"
is "the grade follows the score bands" "$(q "SELECT sgz.grade(89.9) || sgz.grade(90) || sgz.grade(59.9) || sgz.grade(60)")" "goodexcellentfailpass"

# --- organisations and plans ---
printf 'credit_code,name\n52120110MJ00000011,甲机构\n' >"$T/o1.csv"
out=$(imp organizations "$T/o1.csv")
like "a bad credit code check character is refused" "$out" "o1.csv:2:credit_code: "
printf 'credit_code,name,fulltime_staff,professional_staff\n52120110MJ0000001Y,乐群,2,3\n' >"$T/o2.csv"
out=$(imp organizations "$T/o2.csv")
like "more professional than full-time staff is refused" "$out" "o2.csv:2:professional_staff: 3 professional staff are more than the 2 full-time staff"
printf 'division,year,point_coverage_target_pct\n120110,2025,100.5\n' >"$T/p1.csv"
out=$(imp plans "$T/p1.csv")
like "a coverage target over 100% is refused" "$out" "p1.csv:2:point_coverage_target_pct: out of range"
printf 'id_number,name,station,role,hired_on\n120110199512310077,赵磊,120110001000,assistant,2023-01-01\n' >"$T/st6.csv"
imp staff "$T/st6.csv" >/dev/null
is "a new staff row without the qualification column gets none" \
	"$(q "SELECT qualification FROM sgz.staff WHERE name = '赵磊'")" "none"

# --- pinyin initials (migrations 0006, 0013; tests/db/pinyin.sh): kept beside every person's name ---
is "the initials of Chinese characters (0013: 琪 too), Latin kept, the rest left out" \
	"$(q "SELECT string_agg(sgz.pinyin_initials(n), ' ' ORDER BY o)
	      FROM unnest(ARRAY['欧阳晓明', '张敏', 'Ann 李', '王琪', '吕·买买提']) WITH ORDINALITY u(n, o)")" \
	"oyxm zm annl wq lmmt"
is "a staff member's initials follow the name" \
	"$(q "SELECT initials FROM sgz.staff WHERE name = '赵磊'")" "zl"
q "UPDATE sgz.staff SET name = '赵雷雷' WHERE name = '赵磊'" >/dev/null
is "and change with it" "$(q "SELECT initials FROM sgz.staff WHERE name = '赵雷雷'")" "zll"
