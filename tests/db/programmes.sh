#!/bin/sh
# programmes.sh - spec/programmes.md's rules, each from its example, in the
# import (the dictionary's checks) and in the database (0021's triggers)
# with the same message: indicator weights that add up, scores within
# their weights and the total their sum, a contract's cycle by its
# programme and no year after a failed one, the decision by cycle_years,
# payments within the amount, performance payments only for good or
# better, the budget and staffing warnings, an evaluation of a station;
# two writers at once; plain round trips of the new entities; what a
# station user and county users may read and write.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 104

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
as() {
	r=$1
	shift
	PGUSER=$r psql -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
imp() { "$SGZ_BIN" import "$1" "$2" 2>&1; }

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff contracts evaluations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >/dev/null 2>&1 || bail "fixture $e"
done
ORG=52120110MJ0000001Y
ST=120110001000\;120110002000

# --- indicator sets: the weights add up ---

printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,60\nT1,B,服务,,30\n' >"$T/i1.csv"
out=$(imp indicators "$T/i1.csv")
like "first-level weights that do not add up to 100 are refused, naming the set and the sum" \
	"$out" "i1.csv:2:weight: indicator set T1: the first-level weights add up to 90.0, not 100"
like "by the database too, in the same words" \
	"$(q "INSERT INTO sgz.indicator (indicator_set, code, name, weight) VALUES ('T1', 'A', '管理', 60), ('T1', 'B', '服务', 30)")" \
	"indicator set T1: the first-level weights add up to 90.0, not 100"
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,20\nT1,A2,人员,A,10\nT1,B,服务,,60\n' >"$T/i2.csv"
out=$(imp indicators "$T/i2.csv")
like "children that do not add up to their parent's weight: the parent and both sums" \
	"$out" "i2.csv:2:weight: indicator set T1: the indicators under A add up to 30.0, not its weight 40.0"
like "the database says the same" \
	"$(q "INSERT INTO sgz.indicator (indicator_set, code, name, parent, weight) VALUES ('T1', 'A', '管理', NULL, 40), ('T1', 'A1', '制度', 'A', 20), ('T1', 'A2', '人员', 'A', 10), ('T1', 'B', '服务', NULL, 60)")" \
	"indicator set T1: the indicators under A add up to 30.0, not its weight 40.0"
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,20\nT1,A2,人员,A,20\nT1,A21,细则,A2,20\nT1,B,服务,,60\n' >"$T/i3.csv"
like "two levels only: a parent is a first-level indicator" "$(imp indicators "$T/i3.csv")" \
	"i3.csv:5:parent: indicator A21: its parent A2 is not a first-level indicator"
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,20\nT1,A2,人员,A,20\nT1,B,服务,,60\nT2,X,全部,,100\n' >"$T/indicators.csv"
is "a set that adds up is imported" "$(imp indicators "$T/indicators.csv" | tail -1)" "5 rows imported"
like "a change that breaks a stored set is refused" \
	"$(q "UPDATE sgz.indicator SET weight = 25 WHERE indicator_set = 'T1' AND code = 'A1'")" \
	"indicator set T1: the indicators under A add up to 45.0, not its weight 40.0"

# --- programmes and the cycle ---

printf 'code,name,purchaser,kind,cycle_years,budget_per_station,indicator_set,target_recipients\nP2,两年项目包,120110,community_package,2,250000,T1,40\nP9,无指标,120110,other,,,,\n' >"$T/programmes.csv"
is "programmes are imported" "$(imp programmes "$T/programmes.csv" | tail -1)" "2 rows imported"
is "a programme's cycle is 3 years unless given" \
	"$(q "SELECT code || ':' || cycle_years FROM sgz.programme ORDER BY code")" "P2:2
P9:3"
printf 'code,name,purchaser,kind,indicator_set\nP8,x,120110,other,NOPE\n' >"$T/p8.csv"
like "a set that does not exist is refused" "$(imp programmes "$T/p8.csv")" \
	"p8.csv:2:indicator_set: NOPE does not exist: import its indicators first"
like "by the database too" \
	"$(q "INSERT INTO sgz.programme (code, name, purchaser, kind, indicator_set) VALUES ('P8', 'x', '120110000000', 'other', 'NOPE')")" \
	"NOPE does not exist: import its indicators first"

K=contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations,required_staff,required_qualified,programme
printf '%s\nP2-1,120110,%s,competitive_consultation,2024,1,2024-01-01,2024-12-31,400000,%s,3,1,P2\nP2-3,120110,%s,competitive_consultation,2024,3,2026-01-01,2026-12-31,400000,%s,3,1,P2\n' \
	"$K" $ORG "$ST" $ORG "$ST" >"$T/c1.csv"
out=$(imp contracts "$T/c1.csv")
like "a year past the programme's cycle is refused" "$out" \
	"c1.csv:3:year_no: year 3 is past the 2-year cycle of programme P2"
like "a contract at 200,000 a station against a budget of 250,000: warned, naming both" "$out" \
	"c1.csv:2:amount: warning: 200000.00 yuan a station is below the programme's budget of 250000.00 a station"
like "the database refuses the year past the cycle in the same words" \
	"$(q "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method, cycle_start, year_no, starts_on, ends_on, amount, programme) VALUES ('P2-3', '120110000000', '$ORG', 'inquiry', 2024, 3, '2026-01-01', '2026-12-31', 1, 'P2')")" \
	"year 3 is past the 2-year cycle of programme P2"
like "without a programme the cycle is 3 years" \
	"$(q "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method, cycle_start, year_no, starts_on, ends_on, amount) VALUES ('N-4', '120110000000', '$ORG', 'inquiry', 2020, 4, '2023-01-01', '2023-12-31', 1)")" \
	"year 4 is past the 3-year cycle of a contract without a programme"
printf '%s\nP2-1,120110,%s,competitive_consultation,2024,1,2024-01-01,2024-12-31,400000,%s,24,8,P2\nP2-2,120110,%s,competitive_consultation,2024,2,2025-01-01,2025-12-31,500000,%s,3,1,P2\nQ-2,120110,%s,competitive_consultation,2022,2,2023-01-01,2023-12-31,500000,%s,3,1,P2\n' \
	"$K" $ORG "$ST" $ORG "$ST" $ORG "$ST" >"$T/contracts.csv"
out=$(imp contracts "$T/contracts.csv")
like "the staffing figures are per station: more than 20 is warned" "$out" \
	"contracts.csv:2:required_staff: warning: 24 staff required: per station, not in total?"
like "year 2 after a year 1 stored without a deciding evaluation yet: a warning" "$out" \
	"contracts.csv:3:year_no: warning: year 1 (contract P2-1) has no deciding evaluation yet"
unlike "a year 1 that is not stored is no objection" "$out" "contracts.csv:4:year_no"
is "and the rows are imported" "$(printf '%s\n' "$out" | tail -1)" "3 rows imported"
is "the programme's contracts" "$(q "SELECT string_agg(contract_no, ' ' ORDER BY contract_no) FROM sgz.contract WHERE programme = 'P2'")" \
	"P2-1 P2-2 Q-2"
like "a cycle cannot become shorter than a year stored" \
	"$(q "UPDATE sgz.programme SET cycle_years = 1 WHERE code = 'P2'")" \
	"contract P2-2 is year 2 of the cycle: the cycle cannot be shorter"

# --- the decision by cycle_years ---

printf 'contract_no,kind,evaluated_on,score\nP2-1,annual,2024-12-20,75\nP2-2,annual,2025-12-20,81\n' >"$T/e1.csv"
imp evaluations "$T/e1.csv" >/dev/null
R=$("$SGZ_BIN" report contracts --year 2024 2>&1)
like "year 1 of 2 passed: renew" "$R" "P2-1,$ORG,120110000000,1,400000.00,75.0,pass,renew"
like "a contract without a programme keeps the 3-year cycle: year 1 of 3 renews" "$R" \
	"DL-2024-001,$ORG,120110000000,1,250000.00,86.0,good,renew"
like "year 2 of 2 passed: cycle_end (SZ-WZ-2016-2's case)" \
	"$("$SGZ_BIN" report contracts --year 2025 2>&1)" "P2-2,$ORG,120110000000,2,500000.00,81.0,good,cycle_end"

# --- no year after a failed one ---

printf '%s\nF-1,120110,%s,inquiry,2025,1,2025-01-01,2025-12-31,100000,120110001000,3,1,P9\n' "$K" $ORG >"$T/f1.csv"
imp contracts "$T/f1.csv" >/dev/null
printf 'contract_no,kind,evaluated_on,score\nF-1,mid_term,2025-07-01,70\nF-1,annual,2025-12-20,55\n' >"$T/f1e.csv"
imp evaluations "$T/f1e.csv" >/dev/null
printf '%s\nF-2,120110,%s,inquiry,2025,2,2026-01-01,2026-12-31,100000,120110001000,3,1,P9\n' "$K" $ORG >"$T/f2.csv"
out=$(imp contracts "$T/f2.csv")
like "year N+1 after a year N graded fail is refused, naming the evaluation" "$out" \
	"f2.csv:2:year_no: year 1 was graded fail (contract F-1, annual evaluation of 2025-12-20, score 55.0): procure anew"
like "the database names it the same" \
	"$(q "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method, cycle_start, year_no, starts_on, ends_on, amount, programme) VALUES ('F-2', '120110000000', '$ORG', 'inquiry', 2025, 2, '2026-01-01', '2026-12-31', 1, 'P9')")" \
	"year 1 was graded fail (contract F-1, annual evaluation of 2025-12-20, score 55.0): procure anew"
like "and in Chinese" "$("$SGZ_BIN" --lang zh_CN import contracts "$T/f2.csv" 2>&1)" \
	"第 1 年评估不合格(合同 F-1,年度评估,2025-12-20,得分 55.0):应重新确定承接主体"
is "a new cycle is procured anew" \
	"$(sed 's/F-2,120110,\([^,]*\),inquiry,2025,2/F-N,120110,\1,inquiry,2026,1/' "$T/f2.csv" >"$T/fn.csv"; imp contracts "$T/fn.csv" | tail -1)" \
	"1 rows imported"
is "the failed year decides reprocure" \
	"$("$SGZ_BIN" report contracts --year 2025 2>&1 | grep '^F-1,' | cut -d, -f7,8)" "fail,reprocure"
like "a later failing grade of a year whose next year is stored is refused too" \
	"$(q "UPDATE sgz.evaluation SET score = 50 WHERE contract_no = 'P2-1'")" \
	"contract P2-2 is year 2 of the same cycle: a year graded fail ends its cycle"
printf 'contract_no,kind,evaluated_on,score\nP2-1,annual,2024-12-20,50\n' >"$T/e2.csv"
like "in the import as well" "$(imp evaluations "$T/e2.csv")" \
	"e2.csv:2:score: contract P2-2 is year 2 of the same cycle: a year graded fail ends its cycle"

# --- evaluations of a station, and the indicator sheet ---

printf 'contract_no,station,kind,evaluated_on,evaluator,score\n,120110002000,annual,2024-12-18,区民政局,\nP2-1,120110002000,final,2024-12-30,x,80\n,,final,2024-12-30,x,80\n' >"$T/e3.csv"
out=$(imp evaluations "$T/e3.csv")
like "an evaluation with both a contract and a station is refused" "$out" \
	"e3.csv:3:contract_no: an evaluation is of a contract year or of a station: give one of them"
like "as one with neither" "$out" \
	"e3.csv:4:contract_no: an evaluation is of a contract year or of a station: give one of them"
like "the database refuses both too" \
	"$(q "INSERT INTO sgz.evaluation (contract_no, station, kind, evaluated_on) VALUES ('P2-1', '120110002000', 'final', '2024-12-30')")" \
	"an evaluation is of a contract year or of a station: give one of them"
sed -i '3,4d' "$T/e3.csv"
is "a station's evaluation, its score left to its indicators" "$(imp evaluations "$T/e3.csv" | tail -1)" \
	"1 rows imported"
S=contract_no,station,kind,evaluated_on,indicator,score,note
printf '%s\nP2-1,,annual,2024-12-20,A1,18,\nP2-1,,annual,2024-12-20,A2,21,超出\nP2-1,,annual,2024-12-20,A,10,\nP2-1,,annual,2024-12-20,Z9,1,\nP2-1,,mid_term,2024-06-30,A1,1,\n' "$S" >"$T/s1.csv"
out=$(imp evaluation_scores "$T/s1.csv")
like "a score above its indicator's weight names the indicator" "$out" \
	"s1.csv:3:score: score 21.0 of indicator A2 is above its weight 20.0"
like "only leaves are scored" "$out" "s1.csv:4:indicator: indicator A has indicators under it: score those"
like "an indicator of another set is refused" "$out" \
	"s1.csv:5:indicator: indicator Z9 is not in the set T1 of the evaluation"
like "a score of an evaluation that is not stored" "$out" \
	"s1.csv:6:evaluated_on: no mid_term evaluation of P2-1 on 2024-06-30: import the evaluation first"
like "the database names the indicator the same" \
	"$(q "INSERT INTO sgz.evaluation_score (contract_no, kind, evaluated_on, indicator, score) VALUES ('P2-1', 'annual', '2024-12-20', 'A2', 21)")" \
	"score 21.0 of indicator A2 is above its weight 20.0"
like "the database refuses a contract year's score of an evaluation not stored" \
	"$(q "INSERT INTO sgz.evaluation_score (contract_no, kind, evaluated_on, indicator, score) VALUES ('P2-1', 'mid_term', '2024-06-30', 'A1', 1)")" \
	"no mid_term evaluation of P2-1 on 2024-06-30: import the evaluation first"
like "and a station's" \
	"$(q "INSERT INTO sgz.evaluation_score (station, kind, evaluated_on, indicator, score) VALUES ('120110002000', 'annual', '2024-12-19', 'A1', 1)")" \
	"no annual evaluation of 120110002000 on 2024-12-19: import the evaluation first"
printf '%s\nP2-1,,annual,2024-12-20,A1,18,\nP2-1,,annual,2024-12-20,A2,17.5,\nP2-1,,annual,2024-12-20,B,50,\n,120110002000,annual,2024-12-18,A1,10,\n,120110002000,annual,2024-12-18,A2,10,\n,120110002000,annual,2024-12-18,B,40,\n' "$S" >"$T/evaluation_scores.csv"
like "the sheet is imported" "$(imp evaluation_scores "$T/evaluation_scores.csv")" "6 rows imported"
is "the total is the sum: the contract year's and the station's" \
	"$(q "SELECT coalesce(contract_no, station) || ':' || score FROM sgz.evaluation WHERE (contract_no = 'P2-1' AND kind = 'annual') OR station IS NOT NULL ORDER BY 1")" \
	"120110002000:60.0
P2-1:85.5"
is "the station's grade by the same bands" \
	"$(q "SELECT sgz.grade(score) FROM sgz.evaluation WHERE station = '120110002000'")" "pass"
is "and the contract year's decision follows the sheet" \
	"$("$SGZ_BIN" report contracts --year 2024 2>&1 | grep '^P2-1,' | cut -d, -f6-8)" "85.5,good,renew"
printf 'contract_no,kind,evaluated_on,score\nP2-1,annual,2024-12-20,90\n' >"$T/e4.csv"
like "a given score that differs from the sum names both" "$(imp evaluations "$T/e4.csv")" \
	"e4.csv:2:score: score 90.0 differs from the sum of its indicator scores, 85.5"
like "the database too" \
	"$(q "UPDATE sgz.evaluation SET score = 90 WHERE contract_no = 'P2-1' AND kind = 'annual'")" \
	"score 90.0 differs from the sum of its indicator scores, 85.5"
q "UPDATE sgz.evaluation_score SET score = 16 WHERE contract_no = 'P2-1' AND indicator = 'A1'" >/dev/null
is "a score changed changes the total" \
	"$(q "SELECT score FROM sgz.evaluation WHERE contract_no = 'P2-1' AND kind = 'annual'")" "83.5"

# --- targets per programme ---

# P2's contracts cover both stations in 2024 and 2025; P2 gives targets of
# 0 but for the households; the settings (40 served, 50 %, 2, 6, 4) apply
# where it gives none or no contract covers the station.
q "UPDATE sgz.programme SET target_recipients = 0, target_individual_pct = 0, target_large_events = 0, target_small_events = 0, target_trainings = 0, target_households_visited = NULL WHERE code = 'P2'" >/dev/null
kpi() { "$SGZ_BIN" report kpi --year "$1" 2>&1 | grep "^120110001000," | awk -F, '{print $NF}'; }
is "a station is judged by its programme's targets" "$(kpi 2024)" "yes"
is "without a contract covering it, by the settings" "$(kpi 2027)" "no"
q "UPDATE sgz.programme SET target_households_visited = 1000 WHERE code = 'P2'" >/dev/null
is "the programme's households target is judged too" "$(kpi 2024)" "no"
q "UPDATE sgz.programme SET target_households_visited = NULL, target_recipients = NULL WHERE code = 'P2'" >/dev/null
is "a target the programme leaves empty is the setting's" "$(kpi 2024)" "no"

# --- money ---

P=contract_no,paid_on,kind,amount,funding_source,note
printf '%s\nP2-1,2024-01-10,advance,200000,fiscal_budget,\nP2-1,2024-07-10,installment,150000,fiscal_budget,\nP2-1,2024-12-25,final,60000,fiscal_budget,\n' "$P" >"$T/pay1.csv"
like "payments past the amount are refused, naming the excess" "$(imp payments "$T/pay1.csv")" \
	"pay1.csv:4:amount: payments of contract P2-1 add up to 410000.00, 10000.00 more than its amount 400000.00"
sed -i 's/,60000,/,40000,/; s/2024-12-25,final/2024-12-15,final/' "$T/pay1.csv"
out=$(imp payments "$T/pay1.csv")
like "a final payment before the deciding evaluation is warned" "$out" \
	"pay1.csv:4:paid_on: warning: final payment on 2024-12-15 comes before the deciding evaluation of contract P2-1"
like "and accepted" "$out" "3 rows imported"
like "the database refuses the excess in the same words" \
	"$(q "INSERT INTO sgz.payment (contract_no, paid_on, kind, amount) VALUES ('P2-1', '2024-12-31', 'performance', 10000.01)")" \
	"payments of contract P2-1 add up to 400000.01, 0.01 more than its amount 400000.00"
like "an amount lowered below what was paid is refused" \
	"$(q "UPDATE sgz.contract SET amount = 300000 WHERE contract_no = 'P2-1'")" \
	"payments of contract P2-1 add up to 390000.00, 90000.00 more than its amount 300000.00"
printf '%s\nQ-2,2023-12-30,performance,1000,,\n' "$P" >"$T/pay2.csv"
printf 'contract_no,kind,evaluated_on,score\nQ-2,annual,2023-12-20,70\n' >"$T/q2.csv"
imp evaluations "$T/q2.csv" >/dev/null
like "a performance payment for a year graded pass is refused" "$(imp payments "$T/pay2.csv")" \
	"pay2.csv:2:kind: a performance payment needs a year graded good or better: contract Q-2 is graded pass"
like "by the database too" \
	"$(q "INSERT INTO sgz.payment (contract_no, paid_on, kind, amount) VALUES ('Q-2', '2023-12-30', 'performance', 1000)")" \
	"a performance payment needs a year graded good or better: contract Q-2 is graded pass"
like "in Chinese, the grade by its label" "$("$SGZ_BIN" --lang zh_CN import payments "$T/pay2.csv" 2>&1)" \
	"合同 Q-2 评估为 合格"
is "for a year graded good it is accepted" \
	"$(q "INSERT INTO sgz.payment (contract_no, paid_on, kind, amount) VALUES ('P2-1', '2025-01-05', 'performance', 10000) RETURNING kind")" \
	"performance"
like "and that year cannot then be graded below good" \
	"$(q "UPDATE sgz.evaluation_score SET score = 30 WHERE contract_no = 'P2-1' AND indicator = 'B'")" \
	"contract P2-1 has a performance payment: its year cannot be graded"

# two writers at once: each within the amount, together past it
q "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method, cycle_start, year_no, starts_on, ends_on, amount) VALUES ('W-1', '120110000000', '$ORG', 'inquiry', 2024, 1, '2024-01-01', '2024-12-31', 100)" >/dev/null
psql -XAtq -c "BEGIN; INSERT INTO sgz.payment (contract_no, paid_on, kind, amount) VALUES ('W-1', '2024-02-01', 'advance', 60); SELECT pg_sleep(2); COMMIT;" >"$T/w1" 2>&1 &
sleep 0.7
like "a second writer waits for the first and is refused" \
	"$(q "INSERT INTO sgz.payment (contract_no, paid_on, kind, amount) VALUES ('W-1', '2024-02-02', 'advance', 60)")" \
	"payments of contract W-1 add up to 120.00, 20.00 more than its amount 100.00"
wait
is "the first one's payment stands" "$(q "SELECT sum(amount) FROM sgz.payment WHERE contract_no = 'W-1'")" "60.00"

# a year graded fail and the next year written at once: the second waits
# for the first's lock on the cycle, then sees the fail
q "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method, cycle_start, year_no, starts_on, ends_on, amount) VALUES ('C-1', '120110000000', '$ORG', 'inquiry', 2019, 1, '2019-01-01', '2019-12-31', 100)" >/dev/null
psql -XAtq -c "BEGIN; INSERT INTO sgz.evaluation (contract_no, kind, evaluated_on, score) VALUES ('C-1', 'annual', '2019-12-20', 40); SELECT pg_sleep(2); COMMIT;" >"$T/c1" 2>&1 &
sleep 0.7
like "a next year written while its year is graded fail waits and is refused" \
	"$(q "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method, cycle_start, year_no, starts_on, ends_on, amount) VALUES ('C-2', '120110000000', '$ORG', 'inquiry', 2019, 2, '2020-01-01', '2020-12-31', 100)")" \
	"year 1 was graded fail (contract C-1, annual evaluation of 2019-12-20, score 40.0): procure anew"
wait

# --- round trips, without labels (labels.sh has the labelled ones) ---

printf 'division,report,period,submitted_on,submitted_by\n120110,progress,2026-01,2026-01-25,dongli\n' >"$T/submissions.csv"
imp submissions "$T/submissions.csv" >/dev/null
for e in indicators programmes evaluation_scores payments submissions; do
	"$SGZ_BIN" export $e >"$T/$e.out.csv" 2>/dev/null
done
q "CREATE DATABASE back" >/dev/null
PGDATABASE=back "$SGZ_BIN" migrate >/dev/null 2>&1
PGDATABASE=back "$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1
for e in divisions organizations stations indicators programmes contracts evaluations evaluation_scores payments submissions; do
	case $e in indicators | programmes | evaluation_scores | payments | submissions) f=$T/$e.out.csv ;;
	*) "$SGZ_BIN" export $e >"$T/$e.all.csv" 2>/dev/null; f=$T/$e.all.csv ;; esac
	PGDATABASE=back "$SGZ_BIN" import $e "$f" >"$T/err" 2>&1 || bail "back: $e: $(tail -3 "$T/err")"
done
for e in indicators programmes evaluation_scores payments submissions; do
	ok "$e: exported, imported into an empty database and exported again, the same" \
		sh -c "PGDATABASE=back '$SGZ_BIN' export $e | cmp -s - '$T/$e.out.csv'"
done

# --- access ---

"$SGZ_BIN" user add dongli --scope 120110 --kind county >/dev/null 2>&1
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >/dev/null 2>&1
"$SGZ_BIN" user add xiqing --scope 120111 --kind county >/dev/null 2>&1
is "a station user reads the programmes of the divisions above it" \
	"$(as zgz "SELECT string_agg(code, ' ' ORDER BY code) FROM sgz.programme")" "P2 P9"
like "and may not write them" \
	"$(as zgz "UPDATE sgz.programme SET name = 'x' WHERE code = 'P2'")" "permission denied"
is "it reads the payments of the contracts that bind its station" \
	"$(as zgz "SELECT count(*) FROM sgz.payment WHERE contract_no = 'P2-1'")" "4"
is "another county sees no programme, payment, score or submission" \
	"$(as xiqing "SELECT (SELECT count(*) FROM sgz.programme) + (SELECT count(*) FROM sgz.payment) + (SELECT count(*) FROM sgz.evaluation_score) + (SELECT count(*) FROM sgz.submission)")" "0"
like "nor pays a contract of Dongli" \
	"$(PGUSER=xiqing "$SGZ_BIN" import payments "$T/pay2.csv" 2>&1)" "rejected"
like "nor evaluates a station of Dongli" \
	"$(as xiqing "INSERT INTO sgz.evaluation (station, kind, evaluated_on, score) VALUES ('120110001000', 'annual', '2024-12-01', 80)")" \
	"station 120110001000 is outside your scope"
printf '%s\nW-1,2024-03-01,installment,40,,\n' "$P" >"$T/pay3.csv"
is "the county pays its own contract" "$(PGUSER=dongli "$SGZ_BIN" import payments "$T/pay3.csv" 2>&1 | tail -1)" \
	"1 rows imported"
is "and the payment is in the trail, under the purchaser" \
	"$(q "SELECT division || ':' || who FROM sgz.audit WHERE table_name = 'payment' ORDER BY id DESC LIMIT 1")" \
	"120110000000:dongli"

# --- the funds report, by hand ---
# DL-2024-001: no programme, 2 stations, nothing paid, its annual 86 good;
# P2-1: 400,000 for 2 stations against P2's 250,000 a station, paid
# 200,000 + 150,000 + 40,000 + 10,000; W-1: no station, paid 60 + 40.
cat >"$T/want" <<'EOF2'
contract_no,programme,organization,year,stations,amount,per_station,budget_per_station,paid,unpaid,grade
DL-2024-001,,52120110MJ0000001Y,2024,2,250000.00,125000.00,,0.00,250000.00,good
P2-1,P2,52120110MJ0000001Y,2024,2,400000.00,200000.00,250000.00,400000.00,0.00,good
W-1,,52120110MJ0000001Y,2024,0,100.00,,,100.00,0.00,
EOF2
is "funds 2024" "$("$SGZ_BIN" report funds --year 2024 --format csv 2>&1)" "$(cat "$T/want")"
is "a station user's: the contracts that bind its station" \
	"$(PGUSER=zgz "$SGZ_BIN" report funds --year 2024 --format csv 2>&1 | sed 1d | cut -d, -f1 | tr '\n' ' ')" \
	"DL-2024-001 P2-1 "
like "the text layout has the total: 650,100 in all, 400,100 paid" "$("$SGZ_BIN" --lang zh_CN report funds --year 2024 --format text 2>&1 | grep 合计 | tr -s ' ')" \
	"合计 4 650100.00 400100.00 250000.00"
R=$("$SGZ_BIN" --lang zh_CN report funds --year 2024 --format text 2>&1)
like "the text layout names the organisation" "$(printf '%s\n' "$R" | grep '^P2-1 ')" \
	"东丽区乐群社会工作服务中心"
unlike "not by its credit code (the CSV's)" "$R" "52120110MJ0000001Y"
like "the contracts report's text names it too" \
	"$("$SGZ_BIN" --lang zh_CN report contracts --year 2024 --format text 2>&1 | grep '^P2-1 ')" \
	"东丽区乐群社会工作服务中心"

# --- sgz submit progress, the submissions report ---
next=$(date -d "$(date +%Y-%m-01) +1 month" +%Y-%m)
last=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)
out=$(PGUSER=dongli "$SGZ_BIN" submit progress --month "$next" 2>&1)
is "a month not yet due is refused with 1" "$?" 1
like "naming the due date" "$out" "the progress report of $next is not due yet: it is due on $next-26"
like "in Chinese too" "$(PGUSER=dongli "$SGZ_BIN" --lang zh_CN submit progress --month "$next" 2>&1)" \
	"$next 的进度报表还未到报送期:报送日期为 $next-26"
out=$(PGUSER=dongli "$SGZ_BIN" submit progress --month "$last" 2>&1)
is "last month is submitted by the county" "$?" 0
like "late: after its due day" "$out" "for $last on $(date +%F), late: it was due on $last-26"
PGUSER=dongli "$SGZ_BIN" submit progress --month "$last" >/dev/null 2>&1
is "submitting again replaces the snapshot" \
	"$(q "SELECT count(*) || ':' || max(snapshot ->> 'county_code') || ':' || max(submitted_by) FROM sgz.submission WHERE period = '$last'")" \
	"1:120110000000:dongli"
is "and is in the trail" \
	"$(q "SELECT string_agg(action, ' ' ORDER BY id) FROM sgz.audit WHERE table_name = 'submission' AND who = 'dongli'")" \
	"insert update"
like "a station user may not submit" "$(PGUSER=zgz "$SGZ_BIN" submit progress --month "$last" --scope 120110 2>&1)" \
	"permission denied"
like "another county's is outside the scope" \
	"$(PGUSER=xiqing "$SGZ_BIN" submit progress --month "$last" --scope 120110 2>&1)" "outside your scope"
like "the due day is a setting of 1 to 28" \
	"$(q "UPDATE sgz.setting SET value = 29 WHERE key = 'progress_due_day'")" "setting_value_in_range"
sub() { "$SGZ_BIN" report submissions --month "$1" --format csv 2>&1 | sed 1d; }
is "submissions: on time (the file's, on the 25th)" "$(sub 2026-01)" \
	"120110000000,东丽区,2026-01,2026-01-26,2026-01-25,on_time"
is "late" "$(sub "$last")" "120110000000,东丽区,$last,$last-26,$(date +%F),late"
is "missing once the due day has passed" "$(sub 2025-06)" "120110000000,东丽区,2025-06,2025-06-26,,missing"

# --- 0036: indicator sets shared across counties ---
like "another county may not change a set a programme of Dongli names" \
	"$(as xiqing "UPDATE sgz.indicator SET name = '管理' WHERE indicator_set = 'T1' AND code = 'A'")" \
	"indicator set T1 is used by programme P2 of 120110000000: outside your scope"
is "a set no programme names is any county's to change" \
	"$(as xiqing "UPDATE sgz.indicator SET guidance = '全部工作' WHERE indicator_set = 'T2'")" ""
is "Dongli renames an indicator of its scored set" \
	"$(as dongli "UPDATE sgz.indicator SET name = '制度建设' WHERE indicator_set = 'T1' AND code = 'A1'")" ""
like "but its weights stay: the set has scored evaluations" \
	"$(as dongli "UPDATE sgz.indicator SET weight = CASE code WHEN 'A1' THEN 15 ELSE 25 END WHERE indicator_set = 'T1' AND code IN ('A1', 'A2')")" \
	"indicator set T1 has scored evaluations (120110002000): its indicators are fixed; make a new set"
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,15\nT1,A2,人员,A,25\nT1,B,服务,,60\n' >"$T/i9.csv"
like "nor are they changed by an import of the set, its changed lines named" "$(imp indicators "$T/i9.csv")" \
	"i9.csv:3:weight: indicator set T1 has scored evaluations (120110002000): its indicators are fixed; make a new set"
like "and the admin is held to it too" \
	"$(q "DELETE FROM sgz.indicator WHERE indicator_set = 'T1' AND code = 'A2'")" \
	"indicator set T1 has scored evaluations (120110002000): its indicators are fixed; make a new set"
