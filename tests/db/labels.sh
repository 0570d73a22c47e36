#!/bin/sh
# labels.sh - sgz export --labels (work.md, Reports for people): the Chinese
# column titles and the labels of booleans and choices instead of codes,
# and every entity's labelled export imported into an empty database gives
# back exactly what the plain export of the first gives. Against the demo
# data set, which uses every choice list.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits indicators programmes contracts evaluations evaluation_scores payments
	plans community_orgs outreach_visits supervisions trainings resources submissions"
plan 64

T=$tap_tmp
D=$SGZ_DATADIR/demo
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 ||
	bail "division import failed"
for e in $ENTITIES; do
	out=$("$SGZ_BIN" import $e "$D/$e.csv" 2>&1) || bail "import $e: $out"
done

for e in $ENTITIES; do
	"$SGZ_BIN" export $e >"$T/$e.csv" 2>"$T/err" || bail "export $e: $(cat "$T/err")"
	"$SGZ_BIN" export $e --labels >"$T/$e.labels.csv" 2>"$T/err" ||
		bail "export $e --labels: $(cat "$T/err")"
done

# --- what a labelled file holds ---
is "the header is the Chinese titles" "$(head -1 "$T/stations.labels.csv")" \
	"乡镇(街道),站点名称,建设批次,状态,挂牌日期,运营方式,承接机构,统一标识,党组织,设施配备,站点类型"
is "choices, booleans and lists of choices by their labels" \
	"$(grep -m1 '^120110001000,' "$T/stations.labels.csv" | cut -d, -f4,6,8-11)" \
	"运营中,购买服务,是,是,办公用房;桌椅;电脑;打印机;档案柜;个案咨询室;小组活动室,城中街道"
is "where the plain export has codes" \
	"$(grep -m1 '^120110001000,' "$T/stations.csv" | cut -d, -f4,6,8-11)" \
	"operating,purchased,yes,yes,office;furniture;computer;printer;archive_cabinet;case_room;group_room,urban"
is "codes, ID numbers, dates and figures as they are" \
	"$(cut -d, -f1,3,5 "$T/stations.labels.csv" | sed 1d)" "$(cut -d, -f1,3,5 "$T/stations.csv" | sed 1d)"
is "a case's method, status and risk" "$(sed -n 2p "$T/cases.labels.csv" | cut -d, -f5,7,8)" "小组,接案,高"
like "a visit's kind" "$(sed 1d "$T/visits.labels.csv")" ",入户走访,"
is "a case's people by who they are (work.md: Columns say what they hold)" \
	"$(head -1 "$T/cases.labels.csv" | cut -d, -f1-4)" "个案编号,受助对象,所属站点,责任社工"
is "an hours row's volunteer, a visit's case and worker, an evaluation's contract" \
	"$(head -1 "$T/hours.labels.csv" | cut -d, -f1):$(head -1 "$T/visits.labels.csv" | cut -d, -f1,4):$(head -1 "$T/evaluations.labels.csv" | cut -d, -f1)" \
	"志愿者:个案,社工:合同"
is "the same rows" "$(wc -l <"$T/hours.labels.csv")" "$(wc -l <"$T/hours.csv")"
is "a text of several lines stays one field" "$(grep -c . "$T/visits.labels.csv")" \
	"$(grep -c . "$T/visits.csv")"
n=$(q "SELECT count(*) FROM sgz.audit WHERE action = 'export'")
"$SGZ_BIN" export plans --labels >/dev/null 2>&1
is "a labelled export is audited as any" \
	"$(q "SELECT count(*) FROM sgz.audit WHERE action = 'export'")" "$((n + 1))"
"$SGZ_BIN" export plans --labels -o "$T/plans.out.csv" 2>/dev/null
is "-o FILE.csv: a byte order mark, then the same file" \
	"$(head -c 3 "$T/plans.out.csv" | od -An -tx1 | tr -d ' '):$(tail -c +4 "$T/plans.out.csv")" \
	"efbbbf:$(cat "$T/plans.labels.csv")"

# --- every entity imports back unchanged, into an empty database ---
q "CREATE DATABASE labels" >/dev/null || bail "createdb failed"
PGDATABASE=labels "$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate of the second database failed"
for e in $ENTITIES; do
	out=$(PGDATABASE=labels "$SGZ_BIN" import $e "$T/$e.labels.csv" 2>&1)
	is "$e: the labelled export imports" "$?:$(printf '%s\n' "$out" | tail -n 1)" \
		"0:$(($(wc -l <"$T/$e.csv") - 1)) rows imported"
done
# files exported before the labels said who (ID number headers) still import
old() {
	sed "1{$2}" "$T/$1.labels.csv" >"$T/$1.old.csv"
	cmp -s "$T/$1.labels.csv" "$T/$1.old.csv" && bail "$1: no earlier header put back"
}
old hours 's/^志愿者,/志愿者身份证号,/'
old cases 's/,受助对象,/,服务对象身份证号,/;s/,责任社工,/,责任社工身份证号,/'
old visits 's/^个案,/个案编号,/;s/,社工,/,社工身份证号,/'
old evaluations 's/^合同,/合同编号,/'
for e in hours cases visits evaluations; do
	out=$(PGDATABASE=labels "$SGZ_BIN" import $e "$T/$e.old.csv" 2>&1)
	is "$e: a file of the earlier headers ($(head -1 "$T/$e.old.csv" | cut -c1-40)...) imports" \
		"$?:$(printf '%s\n' "$out" | tail -n 1)" "0:$(($(wc -l <"$T/$e.csv") - 1)) rows imported"
done
for e in $ENTITIES; do
	PGDATABASE=labels "$SGZ_BIN" export $e >"$T/$e.back.csv" 2>"$T/err"
	ok "$e: exported again, the same file as the first database's" cmp "$T/$e.back.csv" "$T/$e.csv"
done
