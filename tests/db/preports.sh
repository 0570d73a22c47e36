#!/bin/sh
# preports.sh - programmes.md's reports evaluation and plan --by on a small
# fixture, against figures worked out by hand: every scored indicator of
# the year's evaluations in scope, sorted; plan one row per division at
# each level with its own plan's targets; --labels; the Total row; what a
# station user, a county user and a region user read.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 28

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
imp() { "$SGZ_BIN" import "$1" "$2" 2>&1; }
rep() { "$SGZ_BIN" report "$@" --format csv 2>&1; }

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations service_points staff volunteers contracts evaluations plans; do
	imp $e "$F/$e.csv" >/dev/null || bail "fixture $e"
done
"$SGZ_BIN" user add dongli --scope 120110 --kind county >/dev/null 2>&1 || bail "user dongli"
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >/dev/null 2>&1 || bail "user zgz"
"$SGZ_BIN" user add xiqing --scope 120111 --kind county >/dev/null 2>&1 || bail "user xiqing"
"$SGZ_BIN" user add tianjin --scope 12 --kind region >/dev/null 2>&1 || bail "user tianjin"
ORG=52120110MJ0000001Y

# --- evaluation ---
# T1: A 40 (A1 20, A2 20), B 60. Programme P2 of 东丽区 scores by it: the
# contract year P2-1 (both stations), 丰年村街道's station by its county's
# programme. 2024: P2-1 annual 18 + 17.5 + 50, the station 10 + 10 + 40;
# 2023: 张贵庄街道's station 5 + 5 + 30. DL-2024-001 has no programme and
# so no scores: no rows.
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,20\nT1,A2,人员,A,20\nT1,B,服务,,60\n' >"$T/indicators.csv"
printf 'code,name,purchaser,kind,cycle_years,budget_per_station,indicator_set\nP2,两年项目包,120110,community_package,2,250000,T1\n' >"$T/programmes.csv"
printf 'contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations,programme\nP2-1,120110,%s,competitive_consultation,2024,1,2024-01-01,2024-12-31,500000,120110001000;120110002000,P2\n' $ORG >"$T/contracts.csv"
printf 'contract_no,station,kind,evaluated_on,evaluator,score\nP2-1,,annual,2024-12-20,x,\n,120110002000,annual,2024-12-18,x,\n,120110001000,annual,2023-12-15,x,\n' >"$T/evaluations.csv"
S=contract_no,station,kind,evaluated_on,indicator,score,note
printf '%s\nP2-1,,annual,2024-12-20,B,50,\nP2-1,,annual,2024-12-20,A2,17.5,\nP2-1,,annual,2024-12-20,A1,18,\n,120110002000,annual,2024-12-18,A1,10,\n,120110002000,annual,2024-12-18,A2,10,\n,120110002000,annual,2024-12-18,B,40,\n,120110001000,annual,2023-12-15,A1,5,\n,120110001000,annual,2023-12-15,A2,5,\n,120110001000,annual,2023-12-15,B,30,\n' "$S" >"$T/evaluation_scores.csv"
for e in indicators programmes contracts evaluations evaluation_scores; do
	imp $e "$T/$e.csv" >/dev/null || bail "$e"
done
cat >"$T/want" <<'EOF2'
contract_no,station,kind,evaluated_on,indicator,indicator_name,weight,score
P2-1,,annual,2024-12-20,A1,制度,20.0,18.0
P2-1,,annual,2024-12-20,A2,人员,20.0,17.5
P2-1,,annual,2024-12-20,B,服务,60.0,50.0
,120110002000,annual,2024-12-18,A1,制度,20.0,10.0
,120110002000,annual,2024-12-18,A2,人员,20.0,10.0
,120110002000,annual,2024-12-18,B,服务,60.0,40.0
EOF2
is "evaluation 2024: each scored indicator, the contract year's first, then the station's" \
	"$(rep evaluation --year 2024)" "$(cat "$T/want")"
is "2023: the year's evaluations only" "$(rep evaluation --year 2023 | sed 1d)" \
	",120110001000,annual,2023-12-15,A1,制度,20.0,5.0
,120110001000,annual,2023-12-15,A2,人员,20.0,5.0
,120110001000,annual,2023-12-15,B,服务,60.0,30.0"
is "the county user reads the same" "$(PGUSER=dongli "$SGZ_BIN" report evaluation --year 2024 --format csv 2>&1)" \
	"$(cat "$T/want")"
is "a station user: the contract year binding its station, not another station's evaluation" \
	"$(PGUSER=zgz "$SGZ_BIN" report evaluation --year 2024 --format csv 2>&1 | sed 1d | cut -d, -f1,2,5 | tr '\n' ' ')" \
	"P2-1,,A1 P2-1,,A2 P2-1,,B "
is "another county reads none" \
	"$(PGUSER=xiqing "$SGZ_BIN" report evaluation --year 2024 --format csv 2>&1)" \
	"contract_no,station,kind,evaluated_on,indicator,indicator_name,weight,score"
is "a scope narrowed to 丰年村街道: its station's evaluation and the contract year binding it" \
	"$(rep evaluation --year 2024 --scope 120110002 | sed 1d | cut -d, -f1,2 | uniq | tr '\n' ' ')" \
	"P2-1, ,120110002000 "
is "--labels: the Chinese titles and the kind's label" \
	"$(rep evaluation --year 2024 --labels | sed -n '1p;2p')" \
	"合同编号,所属站点,评估类型,评估日期,指标编号,指标名称,分值,得分
P2-1,,年度评估,2024-12-20,A1,制度,20.0,18.0"
out=$("$SGZ_BIN" --lang zh_CN report evaluation --year 2024 --format text 2>&1)
like "the text layout names the station" "$out" "丰年村街道"
like "and ends with the total: 200 points, 145.5 scored" "$(printf '%s\n' "$out" | grep 合计 | tr -s ' ')" \
	"合计 200.0 145.5"

# --- submissions: the Total row counts the counties that submitted ---
printf 'division,report,period,submitted_on,submitted_by\n120110,progress,2026-01,2026-01-25,dongli\n' >"$T/submissions.csv"
imp submissions "$T/submissions.csv" >/dev/null || bail "submissions"
out=$("$SGZ_BIN" --lang zh_CN report submissions --month 2026-01 --format text 2>&1)
like "submissions: 东丽区 on time" "$out" "120110000000  东丽区"
is "its Total row: 1 county submitted" "$(printf '%s\n' "$out" | grep 合计 | tr -s ' ')" "合计 1"

# --- plan --by ---
# 2024, the fixture: both stations of 东丽区 established in 2021; social
# workers 王芳 (qualified) and 李强, both of 张贵庄街道; its two villages
# both with a point; its two volunteers. Population given to 张贵庄街道
# only (40: 2 volunteers are 5.0%) and to 天津市 (200: 1.0%).
q "UPDATE sgz.division SET population = 40 WHERE code = '120110001000'" >/dev/null
q "UPDATE sgz.division SET population = 200 WHERE code = '120000000000'" >/dev/null
printf 'division,year,stations_target,social_workers_target,qualified_target,point_coverage_target_pct,volunteer_rate_target_pct\n12,2024,420,900,,60,1\n1201,2024,3,,,,\n120110001,2024,1,2,1,90,4\n' >"$T/plans.csv"
is "plans for the province, the prefecture and a township" "$(imp plans "$T/plans.csv" | tail -1)" \
	"3 rows imported"
is "--by province: 天津市 against its 420 stations, 900 workers, 60% coverage and 1% registered" \
	"$(rep plan --year 2024 --by province --scope 12 | sed 1d)" \
	"120000000000,天津市,2024,2,420,2,900,1,,100.0,60.0,1.0,1.0,no"
is "--by prefecture: 市辖区 against its 3 stations" \
	"$(rep plan --year 2024 --by prefecture --scope 12 | sed 1d)" \
	"120100000000,市辖区,2024,2,3,2,,1,,100.0,,,13.0,no"
is "--by county, the default: 东丽区 as before" \
	"$(rep plan --year 2024 --scope 120110 | sed 1d)" \
	"120110000000,东丽区,2024,2,11,2,33,1,,100.0,50.0,,13.0,no"
is "--by county says the same" "$(rep plan --year 2024 --scope 120110 --by county)" \
	"$(rep plan --year 2024 --scope 120110)"
cat >"$T/want" <<'EOF2'
120110001000,张贵庄街道,2024,1,1,2,2,1,1,100.0,90.0,5.0,4.0,yes
120110002000,丰年村街道,2024,1,,0,,0,,,,,13.0,yes
EOF2
is "--by township: each township of 东丽区, 张贵庄街道 meeting its own plan" \
	"$(rep plan --year 2024 --by township --scope 120110 | sed 1d | grep '^12011000[12]')" "$(cat "$T/want")"
is "every township of 东丽区 has its row" \
	"$(rep plan --year 2024 --by township --scope 120110 | sed 1d | wc -l)" \
	"$(grep '^120110[0-9][0-9][0-9]000,' "$SGZ_DATADIR/divisions-2022.csv" | grep -vc '^120110000000,')"
is "a region user's plan by province" \
	"$(PGUSER=tianjin "$SGZ_BIN" report plan --year 2024 --by province --format csv 2>&1 | sed 1d)" \
	"120000000000,天津市,2024,2,420,2,900,1,,100.0,60.0,1.0,1.0,no"
is "a station user by province: the province its scope lies in, the figures its own (the province's plan is not its to read)" \
	"$(PGUSER=zgz "$SGZ_BIN" report plan --year 2024 --by province --format csv 2>&1 | sed 1d | cut -d, -f1-6)" \
	"120000000000,天津市,2024,1,,2"
is "--labels" "$(rep plan --year 2024 --by province --scope 12 --labels | sed 1d)" \
	"120000000000,天津市,2024,2,420,2,900,1,,100.0,60.0,1.0,1.0,否"
like "the text layout's total" \
	"$("$SGZ_BIN" --lang zh_CN report plan --year 2024 --by township --scope 120110 --format text 2>&1 | grep 合计 | tr -s ' ')" \
	"合计 2 1 2 2 1 1"
like "its title says the level" \
	"$("$SGZ_BIN" --lang zh_CN report plan --year 2024 --by township --scope 120110 --format text 2>&1 | head -n 1)" \
	"建设计划 — 东丽区 (120110) — 按乡镇级汇总 — 截至 2024-12-31"
like "in English, by county when not said" \
	"$("$SGZ_BIN" --lang en report plan --year 2024 --format text 2>&1 | head -n 1)" " — by county — "
out=$("$SGZ_BIN" report plan --by city 2>&1)
is "--by city is refused with 2" "$?" 2
like "naming the levels" "$out" "--by: 'city' is not province, prefecture, county or township"
like "in Chinese too" "$("$SGZ_BIN" --lang zh_CN report plan --by city 2>&1)" "不是 province(省)"
like "--by on another report is refused" "$("$SGZ_BIN" --lang zh_CN report funds --by county 2>&1)" \
	"funds:--by 只用于建设计划报表(plan)"
