#!/bin/sh
# evalsheet_stale.sh - the evaluation sheet's save refuses a stale sheet
# (0037): sgz.evaluation_sheet_save() carries what the sheet was read as
# (sgz.evaluation_sheet_version()); two county evaluators open the same
# sheet, the first saves, the second's save is refused naming who saved
# it and when, nothing of it written; read again, it saves; two sessions
# at once queue on the evaluation's lock and the second is refused; a
# save that changes nothing leaves the version as it was; 0033's save
# without the check is gone.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 19

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
ORG=52120110MJ0000001Y
as() {
	r=$1
	shift
	PGUSER=$r psql -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
q() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1" 2>&1; }

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff contracts; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,20\nT1,A2,人员,A,20\nT1,B,服务,,60\n' >"$T/indicators.csv"
printf 'code,name,purchaser,kind,cycle_years,indicator_set\nP2,两年项目包,120110,community_package,2,T1\n' >"$T/programmes.csv"
K=contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations,programme
printf '%s\nP2-1,120110,%s,inquiry,2024,1,2024-01-01,2024-12-31,400000,120110001000,P2\n' \
	"$K" $ORG >"$T/contracts.csv"
for e in indicators programmes contracts; do
	"$SGZ_BIN" import $e "$T/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$T/setup.out" 2>&1 || bail "user dl"
"$SGZ_BIN" user add wang --scope 120110 --kind county >>"$T/setup.out" 2>&1 || bail "user wang"

E="'P2-1', NULL, 'annual', '2024-12-31'"
version() { as "$1" "SELECT sgz.evaluation_sheet_version($E)"; }
# save ROLE READ_AS '{codes}' '{scores}': the stored total and the new version
save() {
	as "$1" "SELECT total || ' ' || version FROM sgz.evaluation_sheet_save($E, '$3', '$4', '$2')"
}
scores() {
	q "SELECT string_agg(indicator || '=' || score, ' ' ORDER BY indicator) FROM sgz.evaluation_score WHERE contract_no = 'P2-1'"
}

# 1. Both open the sheet before it is stored: read as ''.
v0=$(version dl)
is "a sheet not stored is read as empty" "$v0" ""
is "by the other evaluator too" "$(version wang)" ""
out=$(save dl "$v0" '{A1,A2}' '{15,NULL}')
like "the first evaluator saves" "$out" "15.0 "
va=${out#* }
is "the version it returns is the sheet's now" "$(version dl | cut -d: -f2)" "$(printf '%s' "$va" | cut -d: -f2)"
out=$(save wang "$v0" '{A1,A2,B}' '{10,10,50}')
like "the second's save of the sheet as it read it is refused, naming who saved it" \
	"$out" "the evaluation sheet of P2-1 on 2024-12-31 was saved by dl at $(date +%Y-%m-%d) "
like "and when" "$(printf '%s' "$out" | sed -n 's/.* at \([0-9-]* [0-9:]*\) since it was opened: nothing was saved$/\1/p' | wc -l)" "1"
is "nothing of it written" "$(scores)" "A1=15.0"
is "the total the first's" "$(q "SELECT score FROM sgz.evaluation WHERE contract_no = 'P2-1'")" "15.0"

# 2. Read again, the second saves; the first's version is stale now.
vb=$(version wang)
out=$(save wang "$vb" '{A1,A2,B}' '{15,10,50}')
like "read again, the second evaluator's save goes through" "$out" "75.0 "
vb=${out#* }
like "the first's next save with its old version is refused, naming the second" \
	"$(save dl "$va" '{A1,A2,B}' '{20,20,60}')" "was saved by wang at "
is "the second's scores stay" "$(scores)" "A1=15.0 A2=10.0 B=50.0"

# 3. A save that changes nothing writes nothing: the version holds.
out=$(save wang "$vb" '{A1,A2,B}' '{15,10,50}')
is "a save that changes nothing keeps the version" "$(printf '%s' "${out#* }" | cut -d: -f2)" \
	"$(printf '%s' "$vb" | cut -d: -f2)"

# 4. Two sessions at once with the same version: the second waits on the
# evaluation's lock, then is refused; the first's scores are stored.
v=$(version dl)
PGUSER=dl psql -XAtq -v ON_ERROR_STOP=1 -c "BEGIN; SELECT total FROM sgz.evaluation_sheet_save($E, '{A1,A2,B}', '{20,20,60}', '$v'); SELECT pg_sleep(2); COMMIT;" >"$T/s1" 2>&1 &
s1=$!
sleep 0.5
out=$(save wang "$v" '{A1,A2,B}' '{5,5,5}')
wait $s1
is "the first of two at once is stored" "$(head -n 1 "$T/s1")" "100.0"
like "the second, waiting on the lock, is refused" "$out" "was saved by dl at "
is "all of the first's scores, none of the second's" "$(scores)" "A1=20.0 A2=20.0 B=60.0"

# 5. No save goes round the check.
like "0033's save without what the sheet was read as is gone" \
	"$(as dl "SELECT sgz.evaluation_sheet_save($E, '{A1}', '{1}')")" "does not exist"
like "a save without a version is refused" \
	"$(as dl "SELECT total FROM sgz.evaluation_sheet_save($E, '{A1}', '{1}', NULL)")" \
	"the evaluation sheet is saved with what it was read as"

# 6. Who wrote a sheet is told only within the caller's scope: a county
# user of another county asking with the same transactions learns nothing.
"$SGZ_BIN" user add xq --scope 120111 --kind county >>"$T/setup.out" 2>&1 || bail "user xq"
xids=$(q "SELECT array_agg(x)::text FROM (SELECT xmin AS x FROM sgz.evaluation WHERE contract_no = 'P2-1' UNION ALL SELECT xmin FROM sgz.evaluation_score WHERE contract_no = 'P2-1') t")
is "the writer told to a user of the evaluation's county" \
	"$(as wang "SELECT who FROM sgz.evaluation_sheet_writer('$xids', '-infinity')")" "dl"
is "and to no one of another county" \
	"$(as xq "SELECT coalesce(who, '-') FROM sgz.evaluation_sheet_writer('$xids', '-infinity')")" "-"
