#!/bin/sh
# reports.sh - every report of spec/csv.md against a small fixture of its own,
# with the expected CSV worked out by hand below (the arithmetic is in the
# comments), and the edges of spec/rules.md: empty wholes, zones, the
# prefecture without counties, staff roles and the two-year rule, star
# boundaries and settings, deciding evaluations, visit due dates, targets.
# Then scope (a township's progress labelled as the township), --year and
# --month (this month as of today, a month to come refused in the user's
# language), the text layout for people in either language with its Total
# row, --labels, -o and the usage errors.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 96

T=$tap_tmp
q() { psql -XAtqc "$1" 2>&1; }
rep() { "$SGZ_BIN" report "$@" 2>&1; }

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"

# ---------------------------------------------------------------- fixture
#
# 长安区 130102 (county):
#   townships 001 建北街道 (street; station operating since 2023-03-01),
#   002 青园街道 (street; station planned for 2024), 100 西兴镇 (town),
#   200 东营乡 (township), 400 长安经济开发区 (zone; station operating since
#   2024-05-01, no batch year), 401 长安物流园区 (zone, no station);
#   villages 001001, 001002 (point 建北第一社工点 since 2023-06-01), 001201
#   (a planned point), 200201 (none).
# 桥西区 130104 (county): 001 振头街道 (station since 2022-06-01), 002 友谊街道
#   (station planned for 2025); 16 villages under 001, one with a point
#   since 2024-03-01.
# 新华区 130105 (county): nothing under it.
# 东莞市 441900 (prefecture without counties): 003 东城街道 (station since
#   2022-01-01), 004 南城街道.
cat >"$T/divisions.csv" <<'EOF'
code,name,urban_rural,population,households
130000000000,河北省,,,
130100000000,石家庄市,,,
130102000000,长安区,,,
130102001000,建北街道,,,
130102001001,建北第一社区,111,3000,1000
130102001002,建北第二社区,111,2500,900
130102001201,建北村,220,800,300
130102002000,青园街道,,,
130102100000,西兴镇,,,
130102200000,东营乡,,,
130102200201,东营村,220,600,200
130102400000,长安经济开发区,,,
130102401000,长安物流园区,,,
130104000000,桥西区,,,
130104001000,振头街道,,,
130104002000,友谊街道,,,
130105000000,新华区,,,
440000000000,广东省,,,
441900000000,东莞市,,,
441900003000,东城街道,,,
441900004000,南城街道,,,
EOF
i=1
while [ $i -le 16 ]; do
	printf '1301040010%02d,振头第%d社区,111,1000,300\n' $i $i >>"$T/divisions.csv"
	i=$((i + 1))
done

cat >"$T/organizations.csv" <<'EOF'
credit_code,name,registered_on,registration_level,social_work_scope,tax_qualified,violation_record,fulltime_staff,professional_staff
52120110MJ0000001Y,乐群社会工作服务中心,2015-06-01,county,yes,yes,no,12,6
52441900MJ0000002L,东莞社工服务中心,2016-01-01,prefecture,yes,yes,no,20,10
EOF

cat >"$T/stations.csv" <<'EOF'
township,name,batch_year,status,established_on,operation_mode,organization
130102001000,建北街道社会工作服务站,2023,operating,2023-03-01,purchased,52120110MJ0000001Y
130102002000,青园街道社会工作服务站,2024,planned,,,
130102400000,长安经济开发区社会工作服务站,,operating,2024-05-01,integrated,
130104001000,振头街道社会工作服务站,2022,operating,2022-06-01,purchased,52120110MJ0000001Y
130104002000,友谊街道社会工作服务站,2025,planned,,,
441900003000,东城街道社会工作服务站,2022,operating,2022-01-01,purchased,52441900MJ0000002L
EOF

cat >"$T/service_points.csv" <<'EOF'
station,name,villages,established_on,status
130102001000,建北第一社工点,130102001001;130102001002,2023-06-01,operating
130102001000,建北第二社工点,130102001201,,planned
130104001000,振头社工点,130104001001,2024-03-01,operating
EOF

# Staff of 建北 (130102001000) unless said: S1 王芳 head, qualified 2019;
# S2 李强 fulltime, unqualified, hired 2022-03-01 (two years end 2024-03-01);
# S3 张丽 resident, qualified only in 2025; S4 刘伟 point_worker hired
# 2022-12-31 (two years end on 2024-12-31 itself: not overdue on that day);
# S5 陈刚 coordinator and S6 杨梅 assistant (not social-work staff); S7 赵军
# supervisor, qualified, left 2024-06-30; S8 孙悦 hired 2025; S9 周杰 at the
# zone, qualified; S10 吴敏 at 振头; S11 郑浩 at 东城, hired 2020, unqualified.
cat >"$T/staff.csv" <<'EOF'
id_number,name,station,role,education,qualification,qualified_on,hired_on,left_on
130102198503150021,王芳,130102001000,head,bachelor,intermediate,2019-06-20,2021-07-01,
130102199001010031,李强,130102001000,fulltime,bachelor,none,,2022-03-01,
130102199208080045,张丽,130102001000,resident,bachelor,assistant,2025-01-10,2023-01-15,
130102199511110059,刘伟,130102001000,point_worker,college,none,,2022-12-31,
130102197005050066,陈刚,130102001000,coordinator,college,none,,2020-01-01,
130102197512120073,杨梅,130102001000,assistant,college,none,,2020-01-01,
130102198002020085,赵军,130102001000,supervisor,master,intermediate,2020-01-01,2021-01-01,2024-06-30
130102199909090094,孙悦,130102001000,resident,bachelor,none,,2025-03-01,
130102198806060103,周杰,130102400000,resident,bachelor,intermediate,2023-01-01,2024-05-01,
130104199107070115,吴敏,130104001000,fulltime,bachelor,none,,2024-01-01,
441900198203030129,郑浩,441900003000,head,bachelor,none,,2020-05-01,
EOF

# V1 刘洋 90.0 h in 2023 and 9.9 in 2024: 99.9 in all, below 1 star; V2 陈静
# 96.0 + 4.0 = 100.0, exactly 1 star; V3 杨帆 (ID ending in X) registered
# mid-2024, no hours; V4 赵敏 registered in 2025; V5 黄磊 50 × 20.0 = 1000.0
# in 2022, exactly 4 stars; V6 周婷 of 东城, 5.5 h there and 2.0 h at 建北.
cat >"$T/volunteers.csv" <<'EOF'
id_number,name,station,registered_on
130102196001010214,刘洋,130102001000,2020-01-01
130102196502020226,陈静,130102001000,2020-01-01
13010219700303023X,杨帆,130102001000,2024-06-01
130102197504040241,赵敏,130102001000,2025-01-05
130102198005050255,黄磊,130102001000,2021-06-01
441900198506060261,周婷,441900003000,2023-01-01
EOF

# 建北 in 2024: 2 large events, 1 small, 1 training, 1 meeting; one large
# event in 2023 and a small one in 2025 that 2024 does not count.
cat >"$T/activities.csv" <<'EOF'
station,date,title,kind,participants
130102001000,2023-06-01,端午活动,large_event,80
130102001000,2024-03-05,学雷锋志愿服务日,large_event,120
130102001000,2024-09-01,中秋游园会,large_event,200
130102001000,2024-04-01,读书会,small_event,15
130102001000,2024-05-01,社工能力培训,training,20
130102001000,2024-07-01,居民议事会,meeting,30
130102001000,2025-01-20,新春小组,small_event,12
441900003000,2024-06-01,志愿者培训,training,25
EOF

{
	echo volunteer,service_date,station,activity,hours
	echo 130102196001010214,2023-01-10,130102001000,,24
	echo 130102196001010214,2023-01-11,130102001000,,24
	echo 130102196001010214,2023-01-12,130102001000,,24
	echo 130102196001010214,2023-01-13,130102001000,,18
	echo 130102196001010214,2024-05-10,130102001000,,9.9
	echo 130102196502020226,2023-02-01,130102001000,,24
	echo 130102196502020226,2023-02-02,130102001000,,24
	echo 130102196502020226,2023-02-03,130102001000,,24
	echo 130102196502020226,2023-02-04,130102001000,,24
	echo 130102196502020226,2024-03-05,130102001000,学雷锋志愿服务日,4
	echo 441900198506060261,2024-05-15,441900003000,,5.5
	echo 441900198506060261,2024-05-20,130102001000,,2
	d=1
	while [ $d -le 31 ]; do
		printf '130102198005050255,2022-03-%02d,130102001000,,20\n' $d
		d=$((d + 1))
	done
	d=1
	while [ $d -le 19 ]; do
		printf '130102198005050255,2022-04-%02d,130102001000,,20.0\n' $d
		d=$((d + 1))
	done
} >"$T/hours.csv"

cat >"$T/recipients.csv" <<'EOF'
id_number,name,village
130102194001010311,刘大爷,130102001001
130102194502020323,王奶奶,130102001001
130102195003030337,张爷爷,130102001002
130102195504040349,张阿姨,130102001201
130104196005050355,李大爷,130104001001
EOF

# K1 R1 individual, open since 2023, high risk (王芳); K2 R2 group, open in
# Feb 2024 only (李强); K3 R3 individual, closed on 2024-01-01 (open at some
# time in 2024); K4 R4, closed 2023-12-31 (not in 2024); K5 R1 group, open
# since 2024-06-01, critical, never visited (李强); K6 R2 individual, opened
# 2025; K7 R2 group, open since 2024-10-01 (李强); K8 R5 at 振头, opened
# 2024-12-01, never visited: due 2024-12-31 (吴敏).
cat >"$T/cases.csv" <<'EOF'
case_no,recipient,station,worker,method,opened_on,status,risk,closed_on,close_reason
130102001-2023-0001,130102194001010311,130102001000,130102198503150021,individual,2023-05-01,intervention,high,,
130102001-2024-0001,130102194502020323,130102001000,130102199001010031,group,2024-02-01,closed,low,2024-03-01,目标达成
130102001-2023-0002,130102195003030337,130102001000,130102198503150021,individual,2023-01-01,closed,medium,2024-01-01,目标达成
130102001-2022-0001,130102195504040349,130102001000,130102198503150021,community,2022-01-01,closed,low,2023-12-31,目标达成
130102001-2024-0002,130102194001010311,130102001000,130102199001010031,group,2024-06-01,intervention,critical,,
130102001-2025-0001,130102194502020323,130102001000,130102198503150021,individual,2025-01-10,intake,low,,
130102001-2024-0003,130102194502020323,130102001000,130102199001010031,group,2024-10-01,intervention,medium,,
130104001-2024-0001,130104196005050355,130104001000,130104199107070115,individual,2024-12-01,intake,low,,
EOF

# K1: home visits 03-10 (王芳, next due 04-10) and 05-10 (李强), then a phone
# call on 11-20 with no worker (counts for 王芳) and no next_due: due
# 12-20, overdue on 12-31. K7: two visits on 11-15, one with next_due
# 2025-01-15, which decides: not overdue (the other alone would give 12-15).
cat >"$T/visits.csv" <<'EOF'
case_no,visit_date,kind,worker,summary,next_due
130102001-2023-0002,2023-12-01,home_visit,130102198503150021,,
130102001-2023-0001,2024-03-10,home_visit,130102198503150021,,2024-04-10
130102001-2023-0001,2024-05-10,home_visit,130102199001010031,,
130102001-2023-0001,2024-11-20,phone,,,
130102001-2024-0001,2024-02-15,home_visit,130102199001010031,,
130102001-2024-0003,2024-11-15,office,130102199001010031,,2025-01-15
130102001-2024-0003,2024-11-15,phone,,,
EOF

cat >"$T/contracts.csv" <<'EOF'
contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations,required_staff,required_qualified
HB-2024-001,130102,52120110MJ0000001Y,competitive_consultation,2024,1,2024-01-01,2024-12-31,300000,130102001000;130102002000,3,2
HB-2024-002,130102,52120110MJ0000001Y,competitive_consultation,2022,3,2024-03-01,2024-12-31,120000.00,130102001000,4,1
QX-2023-001,130104,52120110MJ0000001Y,inquiry,2023,1,2023-01-01,2023-12-31,50000,130104001000,2,1
QX-2024-001,130104,52120110MJ0000001Y,inquiry,2024,1,2024-07-01,2025-06-30,80000,130104001000,1,0
DG-2024-001,441900,52441900MJ0000002L,open_tender,2023,2,2024-01-01,2024-12-31,200000,,,
EOF

cat >"$T/evaluations.csv" <<'EOF'
contract_no,kind,evaluated_on,evaluator,score
HB-2024-001,mid_term,2024-07-01,评估机构,55
HB-2024-001,annual,2025-01-10,评估机构,85.5
HB-2024-002,annual,2024-12-20,评估机构,95
HB-2024-002,annual,2024-12-28,评估机构,59.9
HB-2024-002,final,2024-12-28,评估机构,60
QX-2024-001,mid_term,2024-10-01,评估机构,95
QX-2024-001,annual,2024-12-30,评估机构,59.9
DG-2024-001,annual,2025-01-05,评估机构,90
EOF

cat >"$T/plans.csv" <<'EOF'
division,year,stations_target,social_workers_target,point_coverage_target_pct
130102,2023,1,3,30
130102,2024,2,6,50
130104,2024,2,4,20
EOF

for e in divisions organizations stations service_points staff volunteers activities hours \
	recipients cases visits contracts evaluations plans; do
	out=$("$SGZ_BIN" import "$e" "$T/$e.csv" 2>&1) || bail "import $e: $out"
done

# ---------------------------------------------------------------- coverage
#
# 长安区 2024: townships 001 002 100 200 and the zone 400 (it has a
# station), not the zone 401: 5. Planned by 2024: 001 (2023), 002 (2024),
# 400 (established, no batch year): 3. Established: 001, 400: 2/5 = 40.0.
# Villages 4, with a point 2 (the planned point does not count): 50.0.
# Plan 2024: 2 stations, 2 established: yes.
# 桥西区: 2 townships, planned 1 (002 is for 2025), established 1: 50.0;
# villages 16, with a point 1: 6.25 rounds half away from zero to 6.3.
# Plan 2 > 1: no.
# 新华区: nothing: empty percentages; no plan: empty target and target_met.
# 东莞市: its townships group under the prefecture: 2, 1, 1, 50.0; no villages.
cat >"$T/want" <<'EOF'
county_code,county_name,townships,stations_planned,stations_established,coverage_pct,villages,villages_with_point,village_coverage_pct,target_stations,target_met
130102000000,长安区,5,3,2,40.0,4,2,50.0,2,yes
130104000000,桥西区,2,1,1,50.0,16,1,6.3,2,no
130105000000,新华区,0,0,0,,0,0,,,
441900000000,东莞市,2,1,1,50.0,0,0,,,
EOF
is "coverage 2024" "$(rep coverage --year 2024 --format csv)" "$(cat "$T/want")"

# 2023: the zone's station is not established yet (nor planned: no batch
# year), so the zone does not count: 4 townships, 1 planned, 1 established
# (25.0); 桥西's point opened in 2024 (0.0). The 2023 plan of 长安区: 1, yes.
cat >"$T/want" <<'EOF'
county_code,county_name,townships,stations_planned,stations_established,coverage_pct,villages,villages_with_point,village_coverage_pct,target_stations,target_met
130102000000,长安区,4,1,1,25.0,4,2,50.0,1,yes
130104000000,桥西区,2,1,1,50.0,16,0,0.0,,
130105000000,新华区,0,0,0,,0,0,,,
441900000000,东莞市,2,1,1,50.0,0,0,,,
EOF
is "coverage 2023: zones count only with a station, plans by year" \
	"$(rep coverage --year 2023 --format csv)" "$(cat "$T/want")"

is "coverage --scope 4419: the prefecture without counties" \
	"$(rep coverage --year 2024 --scope 4419 | sed 1d)" "441900000000,东莞市,2,1,1,50.0,0,0,,,"
is "coverage --scope 1301: the counties of a prefecture" \
	"$(rep coverage --year 2024 --scope 130100000000 | sed 1d | cut -d, -f1 | tr '\n' ' ')" \
	"130102000000 130104000000 130105000000 "
# One township: 建北 alone, 3 villages of which 2 with a point (66.7).
is "coverage --scope of a township counts within it" \
	"$(rep coverage --year 2024 --scope 130102001 | sed 1d)" \
	"130102000000,长安区,1,1,1,100.0,3,2,66.7,2,no"

# ---------------------------------------------------------------- staffing
#
# 建北 on 2024-12-31: social-work staff active: 王芳 李强 张丽 刘伟 (not the
# coordinator or assistant, not 赵军 who left, not 孙悦 hired in 2025): 4;
# fulltime (head, fulltime, resident): 王芳 李强 张丽 3; qualified: 王芳 1
# (张丽 only from 2025): 25.0; overdue: 李强 (2024-03-01 < D), not 刘伟 (=
# D) nor 张丽: 1. Two contracts cover it: HB-2024-002 started last and
# binds (4, 1): 4 >= 4, 1 >= 1: yes.
# 青园 (planned): nobody; HB-2024-001 (3, 2): no. The zone: 周杰, qualified:
# 100.0, no contract: empty. 振头: 吴敏 unqualified (hired 2024, not
# overdue); QX-2024-001 (1, 0) is met, but 吴敏 is no head, and a station
# is compliant only with an active head (programmes.md): no. 友谊: nothing. 东城: 郑浩, unqualified
# since 2020: overdue; no contract.
cat >"$T/want" <<'EOF'
township_code,station_name,staff,fulltime,qualified,qualified_pct,overdue_unqualified,required_staff,required_qualified,compliant
130102001000,建北街道社会工作服务站,4,3,1,25.0,1,4,1,yes
130102002000,青园街道社会工作服务站,0,0,0,,0,3,2,no
130102400000,长安经济开发区社会工作服务站,1,1,1,100.0,0,,,
130104001000,振头街道社会工作服务站,1,1,0,0.0,0,1,0,no
130104002000,友谊街道社会工作服务站,0,0,0,,0,,,
441900003000,东城街道社会工作服务站,1,1,0,0.0,1,,,
EOF
is "staffing 2024" "$(rep staffing --year 2024 --format csv)" "$(cat "$T/want")"

# 2023-12-31: 赵军 is still there (supervisor, qualified): 5 staff, 3
# fulltime, 2 qualified (40.0); nobody overdue yet; no contract covers 建北.
# 振头: 吴敏 not hired yet; QX-2023-001 (2, 1): no.
cat >"$T/want" <<'EOF'
township_code,station_name,staff,fulltime,qualified,qualified_pct,overdue_unqualified,required_staff,required_qualified,compliant
130102001000,建北街道社会工作服务站,5,3,2,40.0,0,,,
130102002000,青园街道社会工作服务站,0,0,0,,0,,,
130102400000,长安经济开发区社会工作服务站,0,0,0,,0,,,
130104001000,振头街道社会工作服务站,0,0,0,,0,2,1,no
130104002000,友谊街道社会工作服务站,0,0,0,,0,,,
441900003000,东城街道社会工作服务站,1,1,0,0.0,1,,,
EOF
is "staffing 2023" "$(rep staffing --year 2023 --format csv)" "$(cat "$T/want")"

# ---------------------------------------------------------------- hours
#
# 2024: 刘洋 9.9 of 99.9 (below 100: 0 stars), 陈静 4.0 of 100.0 (1 star),
# 杨帆 none (0.0), 黄磊 1000.0 all in 2022 (4 stars), 周婷 5.5 + 2.0 = 7.5.
# 赵敏 registered in 2025 is not listed. Sorted by station, then ID.
cat >"$T/want" <<'EOF'
id_number,name,station,hours_year,hours_total,star
1301**********0214,刘洋,130102001000,9.9,99.9,0
1301**********0226,陈静,130102001000,4.0,100.0,1
1301**********023X,杨帆,130102001000,0.0,0.0,0
1301**********0255,黄磊,130102001000,0.0,1000.0,4
4419**********0261,周婷,441900003000,7.5,7.5,0
EOF
is "hours 2024: star boundaries 99.9 and 100" "$(rep hours --year 2024 --format csv)" \
	"$(cat "$T/want")"

cat >"$T/want" <<'EOF'
id_number,name,station,hours_year,hours_total,star
1301**********0214,刘洋,130102001000,90.0,90.0,0
1301**********0226,陈静,130102001000,96.0,96.0,0
1301**********0255,黄磊,130102001000,0.0,1000.0,4
4419**********0261,周婷,441900003000,0.0,0.0,0
EOF
is "hours 2023: as of its end" "$(rep hours --year 2023 --format csv)" "$(cat "$T/want")"

# Within 东莞 only the hours served there count, as for a user of that scope.
is "hours --scope 4419 counts the hours served in scope" \
	"$(rep hours --year 2024 --scope 441900 | sed 1d)" "4419**********0261,周婷,441900003000,5.5,5.5,0"
is "without --year: as of today" "$(rep hours)" "$(rep hours --year "$(date +%Y)")"

# ---------------------------------------------------------------- stars
#
# 建北 2024: registered 刘洋 陈静 杨帆 黄磊 (4), active in 2024 刘洋 陈静 (2),
# their hours 9.9 + 4.0 = 13.9; 1 star: 陈静, 4 stars: 黄磊. 东城: 周婷, 7.5.
cat >"$T/want" <<'EOF'
township_code,station_name,volunteers,active_volunteers,hours_year,star1,star2,star3,star4,star5
130102001000,建北街道社会工作服务站,4,2,13.9,1,0,0,1,0
130102002000,青园街道社会工作服务站,0,0,0.0,0,0,0,0,0
130102400000,长安经济开发区社会工作服务站,0,0,0.0,0,0,0,0,0
130104001000,振头街道社会工作服务站,0,0,0.0,0,0,0,0,0
130104002000,友谊街道社会工作服务站,0,0,0.0,0,0,0,0,0
441900003000,东城街道社会工作服务站,1,1,7.5,0,0,0,0,0
EOF
is "stars 2024" "$(rep stars --year 2024 --format csv)" "$(cat "$T/want")"

# Beijing's thresholds 100/200/500/800/1000: 黄磊's 1000.0 is 5 stars.
q "UPDATE sgz.setting SET value = v FROM (VALUES ('star2_hours', 200), ('star3_hours', 500),
	('star4_hours', 800), ('star5_hours', 1000)) s(k, v) WHERE key = k" >/dev/null
is "stars follow the threshold settings" \
	"$(rep stars --year 2024 --scope 130102001 | sed 1d)" "130102001000,建北街道社会工作服务站,4,2,13.9,1,0,0,0,1"
is "so does the star of the hours report" \
	"$(rep hours --year 2024 --scope 130102001 | grep 黄磊)" "1301**********0255,黄磊,130102001000,0.0,1000.0,5"
q "UPDATE sgz.setting SET value = v FROM (VALUES ('star2_hours', 300), ('star3_hours', 600),
	('star4_hours', 1000), ('star5_hours', 1500)) s(k, v) WHERE key = k" >/dev/null

# ---------------------------------------------------------------- caseload
#
# On 2024-12-31, visit interval 30 days. 王芳: K1 open, high risk; its last
# visit (11-20, no next_due) makes it due 12-20: overdue; visits in 2024:
# 03-10 and 11-20 (no worker: the case's) = 2. 李强: K5 (critical, never
# visited: due 07-01, overdue) and K7 (due 2025-01-15): 2 open, 1 high
# risk, 1 overdue; visits 05-10 (on 王芳's case), 02-15, and both of 11-15:
# 4. 吴敏: K8 due 2024-12-31 = D: not overdue. The coordinator, the
# assistant and everyone else active are listed with nothing; 赵军 (left)
# and 孙悦 (hired 2025) are not.
cat >"$T/want" <<'EOF'
worker,worker_name,station,open_cases,high_risk,visits_year,overdue_visits
1301**********0021,王芳,130102001000,1,1,2,1
1301**********0031,李强,130102001000,2,1,4,1
1301**********0045,张丽,130102001000,0,0,0,0
1301**********0059,刘伟,130102001000,0,0,0,0
1301**********0066,陈刚,130102001000,0,0,0,0
1301**********0073,杨梅,130102001000,0,0,0,0
1301**********0103,周杰,130102400000,0,0,0,0
1301**********0115,吴敏,130104001000,1,0,0,0
4419**********0129,郑浩,441900003000,0,0,0,0
EOF
is "caseload 2024" "$(rep caseload --year 2024 --format csv)" "$(cat "$T/want")"

# 30 days later the due dates move: with an interval of 45, K1 is due
# 2025-01-04 and K5 2024-07-16: 王芳 is no longer overdue, 李强 still is.
q "UPDATE sgz.setting SET value = 45 WHERE key = 'visit_interval_days'" >/dev/null
is "overdue visits follow visit_interval_days" \
	"$(rep caseload --year 2024 --scope 130102001 | grep -E '王芳|李强')" \
	"1301**********0021,王芳,130102001000,1,1,2,0
1301**********0031,李强,130102001000,2,1,4,1"
q "UPDATE sgz.setting SET value = 30 WHERE key = 'visit_interval_days'" >/dev/null

# The text layout is a display and the CSV a report for people: ID
# numbers masked for everyone (rules.md: every reveal is audited; the
# numbers in full leave only by sgz export, which files it).
"$SGZ_BIN" user add chang_an --scope 130102 --kind county >/dev/null 2>&1 || bail "user add failed"
like "an admin's text masks a worker's ID number too" \
	"$(rep caseload --year 2024 --format text | grep 王芳)" "1301**********0021"
like "a county user's text masks it" \
	"$(PGUSER=chang_an rep caseload --year 2024 --format text | grep 王芳)" "1301**********0021"
like "and the volunteer's in the hours report" \
	"$(PGUSER=chang_an rep hours --year 2024 --format text | grep 刘洋)" "1301**********0214"
like "the county user's CSV masks it" \
	"$(PGUSER=chang_an rep caseload --year 2024 --format csv | grep 王芳)" "1301**********0021"

# ---------------------------------------------------------------- kpi
#
# 建北 2024: recipients with a case open at some time in 2024: R1 (K1, K5),
# R2 (K2, K7; not K6, opened 2025), R3 (K3, closed on 1 January): 3 (R4's
# case closed 2023-12-31). With an individual case: R1, R3: 2/3 = 66.7.
# Home visits in 2024: R1 (twice), R2: 2. Events 2 large, 1 small, 1
# training. Hours served there: 9.9 + 4.0 + 2.0 (周婷 of 东城) = 15.9.
# Default targets (40, 50%, 2, 6, 4): no. 振头: R5 individual: 1, 100.0.
cat >"$T/want" <<'EOF'
township_code,station_name,recipients_served,individual_pct,households_visited,large_events,small_events,trainings,volunteer_hours,meets_targets
130102001000,建北街道社会工作服务站,3,66.7,2,2,1,1,15.9,no
130102002000,青园街道社会工作服务站,0,,0,0,0,0,0.0,no
130102400000,长安经济开发区社会工作服务站,0,,0,0,0,0,0.0,no
130104001000,振头街道社会工作服务站,1,100.0,0,0,0,0,0.0,no
130104002000,友谊街道社会工作服务站,0,,0,0,0,0,0.0,no
441900003000,东城街道社会工作服务站,0,,0,0,0,1,5.5,no
EOF
is "kpi 2024" "$(rep kpi --year 2024 --format csv)" "$(cat "$T/want")"

kpi_targets() {
	q "UPDATE sgz.setting SET value = v FROM (VALUES ('target_recipients_served', $1),
		('target_individual_pct', $2), ('target_large_events', $3),
		('target_small_events', $4), ('target_trainings', $5)) s(k, v) WHERE key = k" >/dev/null
	rep kpi --year 2024 --format csv | sed 1d | cut -d, -f1,10 | tr '\n' ' '
}
# 3 >= 3, 66.7% >= 50%, 2 >= 2, 1 >= 1, 1 >= 1: 建北 meets them.
is "meets_targets when all five hold" "$(kpi_targets 3 50 2 1 1)" \
	"130102001000,yes 130102002000,no 130102400000,no 130104001000,no 130104002000,no 441900003000,no "
# The share is 66.66...%, below 66.7 although it is shown rounded as 66.7.
is "the individual share is compared unrounded" "$(kpi_targets 3 66.7 2 1 1 | cut -d' ' -f1)" \
	"130102001000,no"
# Nobody served: the share is unknown and meets only a target of 0.
is "an unknown share meets a target of 0 only" "$(kpi_targets 0 0 0 0 0)$(kpi_targets 0 1 0 0 0)" \
	"130102001000,yes 130102002000,yes 130102400000,yes 130104001000,yes 130104002000,yes 441900003000,yes 130102001000,yes 130102002000,no 130102400000,no 130104001000,yes 130104002000,no 441900003000,no "
kpi_targets 40 50 2 6 4 >/dev/null

# ---------------------------------------------------------------- contracts
#
# Contract year = cycle_start + year_no - 1 = 2024 for all but QX-2023-001.
# DG: annual 90.0 (made in 2025): excellent, year 2 of 3: renew.
# HB-001: the mid-term 55 does not decide; annual 85.5: good, renew.
# HB-002: latest are an annual 59.9 and a final 60.0 on the same day: the
# final decides: pass, year 3: cycle_end (the older annual 95 does not).
# QX-2024: the mid-term 95 does not decide; annual 59.9: fail: reprocure.
cat >"$T/want" <<'EOF'
contract_no,organization,purchaser,year_no,amount,score,grade,decision
DG-2024-001,52441900MJ0000002L,441900000000,2,200000.00,90.0,excellent,renew
HB-2024-001,52120110MJ0000001Y,130102000000,1,300000.00,85.5,good,renew
HB-2024-002,52120110MJ0000001Y,130102000000,3,120000.00,60.0,pass,cycle_end
QX-2024-001,52120110MJ0000001Y,130104000000,1,80000.00,59.9,fail,reprocure
EOF
is "contracts 2024" "$(rep contracts --year 2024 --format csv)" "$(cat "$T/want")"
is "contracts 2023: no deciding evaluation is pending" \
	"$(rep contracts --year 2023 | sed 1d)" "QX-2023-001,52120110MJ0000001Y,130104000000,1,50000.00,,,pending"
is "contracts of a township: those that list its station" \
	"$(rep contracts --year 2024 --scope 130102001000 | sed 1d | cut -d, -f1 | tr '\n' ' ')" \
	"HB-2024-001 HB-2024-002 "
is "a year without contracts gives the header alone" "$(rep contracts --year 2030)" \
	"contract_no,organization,purchaser,year_no,amount,score,grade,decision"

# ---------------------------------------------------------------- progress
#
# As of 2024-05-31. 长安区: stations 建北 and the zone (opened in May): 2, 1
# this month; 1 point (the other is planned); social-work staff 王芳 李强 张丽
# 刘伟 赵军 周杰: 6, qualified 王芳 赵军 周杰: 3; volunteers 刘洋 陈静 黄磊: 3;
# hours in May 9.9 + 2.0 = 11.9; open cases: K1; visits in May: 1.
# 桥西区: 振头, its point, 吴敏. 东莞市: 东城, 郑浩, 周婷, 5.5 hours in May.
cat >"$T/want" <<'EOF'
county_code,county_name,month,stations_cum,stations_month,service_points_cum,staff_cum,qualified_cum,volunteers_cum,hours_month,open_cases,visits_month
130102000000,长安区,2024-05,2,1,1,6,3,3,11.9,1,1
130104000000,桥西区,2024-05,1,0,1,1,0,0,0.0,0,0
130105000000,新华区,2024-05,0,0,0,0,0,0,0.0,0,0
441900000000,东莞市,2024-05,1,0,0,1,0,1,5.5,0,0
EOF
is "progress 2024-05" "$(rep progress --month 2024-05 --format csv)" "$(cat "$T/want")"
is "progress without --month: this month" \
	"$(rep progress --scope 4419 | sed 1d | cut -d, -f3)" "$(date +%Y-%m)"
# A township's figures are labelled with the township, not its county: 建北
# alone in May: its station and point, 王芳 李强 张丽 刘伟 赵军 (5, qualified
# 王芳 赵军), 刘洋 陈静 黄磊, 9.9 + 2.0 hours served there, K1, one visit.
is "progress --scope of a township: the row is the township's" \
	"$(rep progress --month 2024-05 --scope 130102001 | sed 1d)" \
	"130102001000,建北街道,2024-05,1,0,1,5,2,3,11.9,1,1"
is "progress --scope of a county: the county's row as before" \
	"$(rep progress --month 2024-05 --scope 130102 | sed 1d | cut -d, -f1,2)" "130102000000,长安区"
# This month's figures are as of today, not of its last day still to come.
like "this month: as of today" "$(rep progress --scope 4419 --format text | head -1)" \
	"$(date +%Y-%m) (as of $(date +%F))"
like "--month of this month: as of today too" \
	"$(rep progress --month "$(date +%Y-%m)" --scope 4419 --format text | head -1)" \
	"(as of $(date +%F))"
next=$(date -d "$(date +%Y-%m-15) +1 month" +%Y-%m)
out=$("$SGZ_BIN" report progress --month "$next" 2>&1)
is "a month to come: exit 2" "$?" 2
is "... naming the option and the latest month" "$out" \
	"sgz report: --month $next has not come yet: the latest month is $(date +%Y-%m)"
is "... in the user's language" "$("$SGZ_BIN" --lang zh_CN report progress --month "$next" 2>&1)" \
	"sgz report:--month $next 尚未到来,最近的月份是 $(date +%Y-%m)"

# ---------------------------------------------------------------- text
out=$(rep coverage --year 2024 --format text)
title=$(printf '%s\n' "$out" | head -1)
like "text: the title names the report" "$title" "Coverage"
like "text: ... the scope and the date" "$title" "as of 2024-12-31"
like "text: a bar by each percentage (40.0 is 8 of 20)" "$out" "40.0 [########............]"
like "text: 6.3 is 1 of 20" "$out" "6.3 [#...................]"
# Every bar starts in the same display column, whatever the width of the
# Chinese names before it.
cols=$(printf '%s\n' "$out" | grep '\[' | sed 's/\[.*//' | while IFS= read -r l; do
	printf '%s' "$l" | LC_ALL=C.UTF-8 wc -L
done | sort -u | tr '\n' ' ')
is "text: columns aligned in display columns" "$(printf '%s' "$cols" | wc -w)" 1
like "text: the row count" "$out" "(4 rows)"
unlike "text: an empty share has no bar" "$(printf '%s\n' "$out" | grep 新华区)" "["
out=$(rep progress --month 2024-05 --scope 1301 --format text | head -1)
like "text: a monthly title" "$out" "石家庄市 (1301) — 2024-05 (as of 2024-05-31)"

# ---------------------------------------------------------------- for people
#
# The text in the reader's language: headings, not the CSV's names; labels,
# not codes; a last row Total / 合计: 2024's coverage adds up to 9 townships,
# 5 planned, 4 established (44.4 % of 9, recomputed, not a mean of the
# shares), 20 villages, 3 with a point (15.0 %), 4 stations as targets; its
# yes/no add nothing.
out=$(rep coverage --year 2024 --format text)
like "text: English headings" "$(printf '%s\n' "$out" | sed -n 3p)" \
	"County code   County  Townships  Stations planned"
is "text: the Total row" "$(printf '%s\n' "$out" | grep '^Total' | tr -s ' ')" \
	"Total 9 5 4 44.4 [#########...........] 20 3 15.0 [###.................] 4"
is "text: a rule above it, the count under it" \
	"$(printf '%s\n' "$out" | tail -n 3 | sed -n '1s/^--*  [- ]*$/rule/p;3p')" "rule
(4 rows)"
zh=$("$SGZ_BIN" --lang zh_CN report coverage --year 2024 --format text 2>&1)
like "text in Chinese: the title" "$(printf '%s\n' "$zh" | head -1)" \
	"站点覆盖 — 全部 — 截至 2024-12-31"
like "text in Chinese: the headings" "$(printf '%s\n' "$zh" | sed -n 3p)" \
	"县(区)代码    县(区)  乡镇(街道)数  规划建站数"
like "text in Chinese: 是 for yes" "$(printf '%s\n' "$zh" | grep 长安区)" "  是"
like "text in Chinese: 否 for no" "$(printf '%s\n' "$zh" | grep 桥西区)" "  否"
unlike "text in Chinese: no codes" "$zh" "yes"
is "text in Chinese: 合计" "$(printf '%s\n' "$zh" | grep '^合计' | tr -s ' ')" \
	"合计 9 5 4 44.4 [#########...........] 20 3 15.0 [###.................] 4"
like "text in Chinese: the count" "$(printf '%s\n' "$zh" | tail -n 1)" "(共 4 行)"
zh=$("$SGZ_BIN" --lang zh_CN report contracts --year 2024 --format text 2>&1)
like "text in Chinese: grades and decisions by their labels" \
	"$(printf '%s\n' "$zh" | grep -E '^(DG|HB|QX)' | awk '{ print $1, $(NF-1), $NF }' | tr '\n' ' ')" \
	"DG-2024-001 优秀 续签 HB-2024-001 良好 续签 HB-2024-002 合格 周期届满 QX-2024-001 不合格 重新采购 "
# 200000 + 300000 + 120000 + 80000 yuan; years of a cycle and scores do not add
is "text: money adds up, scores do not" "$(printf '%s\n' "$zh" | grep '^合计' | tr -s ' ')" \
	"合计 700000.00"
en=$(rep contracts --year 2024 --format text)
like "text in English: a decision's English label" \
	"$(printf '%s\n' "$en" | grep HB-2024-002 | tr -s ' ')" "60.0 pass cycle ended"

# --labels: the CSV for people, Chinese titles and labels, whatever the
# language; the text is for people already.
is "--labels: work.md's titles of the progress report" \
	"$(rep progress --month 2024-05 --labels | head -1)" \
	"县(区)代码,县(区),月份,累计建站数,本月新建站数,累计社工点数,累计社工人数,持证社工人数,累计注册志愿者数,本月志愿服务时长,在办个案数,本月走访次数"
is "--labels: the figures as they are" "$(rep progress --month 2024-05 --labels | sed 1d)" \
	"$(rep progress --month 2024-05 | sed 1d)"
is "--labels: grades and decisions by their labels" \
	"$(rep contracts --year 2024 --format csv --labels | sed 1d | cut -d, -f1,7,8 | tr '\n' ' ')" \
	"DG-2024-001,优秀,续签 HB-2024-001,良好,续签 HB-2024-002,合格,周期届满 QX-2024-001,不合格,重新采购 "
is "--labels: booleans as 是/否" \
	"$(rep coverage --year 2024 --labels | sed 1d | cut -d, -f11 | tr '\n' ' ')" "是 否   "
is "--labels: no Total row in a CSV" "$(rep coverage --year 2024 --labels | wc -l)" 5
"$SGZ_BIN" report coverage --year 2024 --labels -o "$T/labels.csv" 2>/dev/null
is "--labels -o FILE.csv: the byte order mark, then the same CSV" \
	"$(tail -c +4 "$T/labels.csv")" "$(rep coverage --year 2024 --labels)"
out=$("$SGZ_BIN" report coverage --format text --labels 2>&1)
is "--labels with --format text: exit 2" "$?" 2
like "... saying what it is for" "$out" "--labels is for --format csv or xlsx"

# ---------------------------------------------------------------- -o FILE
rep coverage --year 2024 --format csv >"$T/stdout.csv"
"$SGZ_BIN" report coverage --year 2024 -o "$T/out.csv" >"$T/o.out" 2>&1
rc=$?
is "-o FILE: nothing on standard output" "$rc:$(cat "$T/o.out")" "0:"
is "-o FILE.csv: CSV with a byte order mark" "$(head -c 3 "$T/out.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
is "-o FILE.csv: then the same CSV" "$(tail -c +4 "$T/out.csv")" "$(cat "$T/stdout.csv")"
"$SGZ_BIN" report coverage --year 2024 -o "$T/out.txt" 2>/dev/null
ok "-o another FILE: CSV without the mark (not a terminal)" cmp -s "$T/out.txt" "$T/stdout.csv"
"$SGZ_BIN" report coverage --year 2024 --format text -o "$T/text.csv" 2>/dev/null
like "-o with --format text writes the text" "$(head -1 "$T/text.csv")" "Coverage"
"$SGZ_BIN" report coverage --year 2024 -o "$T/nodir/x.csv" >/dev/null 2>&1
is "-o into a missing directory: exit 2" "$?" 2
"$SGZ_BIN" report coverage --year 2024 -o /dev/null 2>/dev/null
is "-o a device writes to it, not over it" "$?:$(test -c /dev/null && echo device)" "0:device"
"$SGZ_BIN" report coverage --year 2024 >/dev/full 2>/dev/null
is "a failed write: exit 2" "$?" 2

# ---------------------------------------------------------------- usage
usage_err() {
	out=$("$SGZ_BIN" report "$@" 2>"$T/err")
	printf '%s:%s' "$?" "$out"
}
is "an unknown report: exit 2, nothing written" "$(usage_err nosuch)" "2:"
like "... naming the reports" "$(cat "$T/err")" "not a report; one of: coverage staffing"
is "no report name: exit 2" "$(usage_err)" "2:"
is "--month for a yearly report: exit 2" "$(usage_err coverage --month 2024-05)" "2:"
is "--year for progress: exit 2" "$(usage_err progress --year 2024)" "2:"
is "a bad --year: exit 2" "$(usage_err coverage --year 24)" "2:"
is "a bad --month: exit 2" "$(usage_err progress --month 2024-13)" "2:"
is "a bad --format: exit 2" "$(usage_err coverage --format xml)" "2:"
is "a bad --scope: exit 2" "$(usage_err coverage --scope 12345)" "2:"

# ---------------------------------------------------------------- scope of the user
#
# A county user of 桥西区 sees its county and stations only, without
# --scope; a wider --scope narrows to it; another county is refused.
q "CREATE ROLE rep_qx LOGIN IN ROLE sgz_county" >/dev/null
q "INSERT INTO sgz.user_scope (role, kind, scope) VALUES ('rep_qx', 'county', '130104000000')" >/dev/null
as_qx() { "$SGZ_BIN" -d "user=rep_qx" report "$@" 2>&1; }
is "a county user's coverage is their county" "$(as_qx coverage --year 2024 | sed 1d)" \
	"130104000000,桥西区,2,1,1,50.0,16,1,6.3,2,no"
is "a wider --scope narrows to the user's" "$(as_qx staffing --year 2024 --scope 13 | sed 1d | cut -d, -f1 | tr '\n' ' ')" \
	"130104001000 130104002000 "
out=$(as_qx coverage --scope 4419)
is "a scope outside the user's: exit 2" "$?" 2
like "... saying so" "$out" "outside your scope"
# The user's own hours entry keeps the totals (written by the trigger within
# the user's scope) and shows in the user's report.
printf 'id_number,name,station,registered_on\n130104198808080274,马超,130104001000,2024-01-01\n' \
	>"$T/v_qx.csv"
printf 'volunteer,service_date,station,activity,hours\n130104198808080274,2024-02-02,130104001000,,3.5\n' \
	>"$T/h_qx.csv"
"$SGZ_BIN" -d "user=rep_qx" import volunteers "$T/v_qx.csv" >/dev/null 2>&1
"$SGZ_BIN" -d "user=rep_qx" import hours "$T/h_qx.csv" >/dev/null 2>&1
is "a county user's hours reach the totals and the report" "$(as_qx hours --year 2024 | sed 1d)" \
	"1301**********0274,马超,130104001000,3.5,3.5,0"
is "the hours totals are read under row-level security too" \
	"$(psql -XAtq -U rep_qx -c "SELECT string_agg(station, ' ') FROM sgz.hours_year_total") $(q "SELECT count(*) > 1 FROM sgz.hours_year_total")" \
	"130104001000 t"

# ---------------------------------------------------------------- hours totals
#
# The reports read running totals of hours kept by triggers on sgz.hours;
# every way of changing hours must keep them equal to the records.
totals_diff() {
	q "SELECT (SELECT count(*) FROM (
		(SELECT station, volunteer, year::int, tenths, records FROM sgz.hours_year_total
		 EXCEPT SELECT station, volunteer, extract(year FROM service_date)::int, sum(hours * 10),
			count(*)::int FROM sgz.hours GROUP BY 1, 2, 3)
		UNION ALL
		(SELECT station, volunteer, extract(year FROM service_date)::int, sum(hours * 10),
			count(*)::int FROM sgz.hours GROUP BY 1, 2, 3
		 EXCEPT SELECT station, volunteer, year::int, tenths, records FROM sgz.hours_year_total)) y)"
}
is "totals after the import equal the records" "$(totals_diff)" 0

# An import that changes a stored row updates it: 刘洋's 9.9 h become 5.0.
printf 'volunteer,service_date,station,activity,hours\n130102196001010214,2024-05-10,130102001000,,5\n' \
	>"$T/h_upd.csv"
"$SGZ_BIN" import hours "$T/h_upd.csv" >/dev/null 2>&1
is "a record moved to another station and one deleted" \
	"$(q "UPDATE sgz.hours SET station = '441900003000'
	      WHERE volunteer = '441900198506060261' AND service_date = '2024-05-20'")$(q "DELETE
	      FROM sgz.hours WHERE volunteer = '130102196502020226' AND service_date = '2024-03-05'")" ""
is "totals after updates and deletes equal the records" "$(totals_diff)" 0
# 刘洋 5.0 of 95.0; 陈静 lost 2024's 4.0: 96.0, no star; 马超 and 周婷 unchanged.
cat >"$T/want" <<'EOF'
1301**********0214,刘洋,130102001000,5.0,95.0,0
1301**********0226,陈静,130102001000,0.0,96.0,0
1301**********023X,杨帆,130102001000,0.0,0.0,0
1301**********0255,黄磊,130102001000,0.0,1000.0,4
1301**********0274,马超,130104001000,3.5,3.5,0
4419**********0261,周婷,441900003000,7.5,7.5,0
EOF
is "hours after the changes" "$(rep hours --year 2024 | sed 1d)" "$(cat "$T/want")"
# 建北 now served 5.0 h in 2024, 东城 5.5 + 2.0 = 7.5; May: 5.0 and 7.5.
is "kpi hours after the changes" "$(rep kpi --year 2024 | sed 1d | cut -d, -f1,9 | sed -n '1p;6p')" \
	"130102001000,5.0
441900003000,7.5"
is "progress hours after the changes" \
	"$(rep progress --month 2024-05 | sed 1d | cut -d, -f1,10 | tr '\n' ' ')" \
	"130102000000,5.0 130104000000,0.0 130105000000,0.0 441900000000,7.5 "
q "TRUNCATE sgz.hours" >/dev/null
is "totals after a truncate" "$(totals_diff):$(q "SELECT count(*) FROM sgz.hours_year_total")" "0:0"
