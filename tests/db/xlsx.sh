#!/bin/sh
# xlsx.sh - sgz export and sgz report -o FILE.xlsx against a real PostgreSQL
# loaded with the fixtures, read back with python3-openpyxl: ID numbers,
# codes and phones are text cells of their exact characters (never
# 1.20110197507205E+17), dates are dates, money a number with two decimals,
# counts numbers; the headers are the Chinese titles, frozen; every cell of
# every entity says what the CSV export says, and the workbook saved as CSV
# imports back unchanged. The CSV export is as it was.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 69

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }
ENTITIES="divisions organizations stations service_points staff volunteers activities hours
	recipients cases visits contracts evaluations plans"
# Debian's python3, where python3-openpyxl is, whatever else is first on PATH
PY=/usr/bin/python3
"$PY" -c 'import openpyxl' 2>/dev/null || bail "python3-openpyxl is not installed (apt-get install python3-openpyxl)"

# xl FILE EXPR - prints EXPR over the workbook: wb, ws (the first sheet),
# cell("B2") its value and type (s, n, d) joined by "|", row(N) a row's
# values joined by ",".
cat >"$T/xl.py" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
def cell(ref):
    c = ws[ref]
    return "%s|%s" % (c.value, c.data_type)
def row(n):
    return ",".join("" if c.value is None else str(c.value) for c in ws[n])
print(eval(sys.argv[2]))
EOF
xl() { "$PY" "$T/xl.py" "$@" 2>&1; }

# csvof FILE.xlsx - the workbook as the CSV export writes it: the values as
# they are (dates YYYY-MM-DD, numbers as the shortest decimal), the header
# as it is (Chinese).
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
# same FILE.csv FILE.xlsx - whether every data cell of the workbook is the
# CSV's (numbers compared as numbers: 250000.00 is 250000).
cat >"$T/same.py" <<'EOF'
import sys, csv, datetime, openpyxl
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
ws = openpyxl.load_workbook(sys.argv[2]).worksheets[0]
cells = list(ws.iter_rows(values_only=True))
bad = []
if len(rows) != len(cells):
    bad.append("rows: csv %d, xlsx %d" % (len(rows), len(cells)))
for i, (a, b) in enumerate(zip(rows[1:], cells[1:]), 2):
    for j, (x, y) in enumerate(zip(a, b)):
        if y is None:
            ok = x == ""
        elif isinstance(y, datetime.datetime):
            ok = y.strftime("%Y-%m-%d") == x
        elif isinstance(y, (int, float)):
            ok = x != "" and float(x) == y
        else:
            ok = y == x
        if not ok:
            bad.append("%d:%d csv %r xlsx %r" % (i, j + 1, x, y))
print("same" if not bad else "; ".join(bad[:5]))
EOF

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 || bail "divisions"
for e in $ENTITIES; do
	"$SGZ_BIN" import "$e" "$F/$e.csv" >/dev/null 2>&1 || bail "the fixture $e does not import"
done

# --- sgz export: staff, the cell types of each kind of field ---
audits() { q "SELECT count(*) FILTER (WHERE new ? 'rows') || ' ' || count(*) FILTER (WHERE new ? 'numbers')
		FROM sgz.audit WHERE action = 'export'"; }
audits=$(audits)
out=$("$SGZ_BIN" export staff -o "$T/staff.xlsx" 2>&1)
is "export -o staff.xlsx exits 0" "$?" 0
is "it says nothing" "$out" ""
is "the file is a zip (a workbook), not CSV" "$(head -c 2 "$T/staff.xlsx")" "PK"
is "it is audited as an export, and so are the numbers it took" \
	"$(audits)" "$((${audits% *} + 1)) $((${audits#* } + 1))"
is "the sheet is named for the entity" "$(xl "$T/staff.xlsx" 'ws.title')" "工作人员"
is "the header is the Chinese titles (--labels)" "$(xl "$T/staff.xlsx" 'row(1)')" \
	"身份证号,姓名,联系电话,所属站点,岗位,学历,职业资格,取证日期,入职日期,离职日期,用人单位,本地户籍"
is "the header row is frozen" "$(xl "$T/staff.xlsx" 'ws.freeze_panes')" "A2"
is "one row per staff member under the header" "$(xl "$T/staff.xlsx" 'ws.max_row')" 3
is "an ID number is a text cell of its 18 characters" "$(xl "$T/staff.xlsx" 'cell("A2")')" \
	"12011019850315002X|s"
is "the ID number column is formatted as text, for what is typed into it" \
	"$(xl "$T/staff.xlsx" 'ws["A3"].number_format')" "@"
is "a mobile number is text" "$(xl "$T/staff.xlsx" 'cell("C2")')" "13812345678|s"
is "a phone with an area code is text" "$(xl "$T/staff.xlsx" 'cell("C3")')" "022-24391234|s"
is "a division code is text" "$(xl "$T/staff.xlsx" 'cell("D2")')" "120110001000|s"
is "a credit code is text" "$(xl "$T/staff.xlsx" 'cell("K2")')" "52120110MJ0000001Y|s"
is "a choice is the CSV's code" "$(xl "$T/staff.xlsx" 'cell("E2")')" "head|s"
is "a date is a date" "$(xl "$T/staff.xlsx" 'cell("I2")')" "2021-07-01 00:00:00|d"
is "shown as yyyy-mm-dd" "$(xl "$T/staff.xlsx" 'ws["I2"].number_format')" "yyyy-mm-dd"
is "an empty date is an empty cell" "$(xl "$T/staff.xlsx" 'ws["J2"].value')" "None"
is "a boolean is the CSV's word" "$(xl "$T/staff.xlsx" 'cell("L2"), cell("L3")')" \
	"('yes|s', 'no|s')"
w=$(xl "$T/staff.xlsx" 'ws.column_dimensions["A"].width >= 20 and ws.column_dimensions["B"].width >= 6')
is "columns are wide enough for an ID number and a Chinese name" "$w" "True"

# --- the ID number made only of digits: what spreadsheets turn into 1.2E+17 ---
"$SGZ_BIN" export volunteers -o "$T/volunteers.xlsx" 2>/dev/null
is "a volunteer's all-digit ID number is text, all 18 digits" \
	"$(xl "$T/volunteers.xlsx" 'cell("A2")')" "120110197007070042|s"
is "so is the second one" "$(xl "$T/volunteers.xlsx" 'cell("A3")')" "120110199512310077|s"

# --- money, numbers, lists ---
"$SGZ_BIN" export contracts -o "$T/contracts.xlsx" 2>/dev/null
is "money is a number" "$(xl "$T/contracts.xlsx" 'cell("K2")')" "250000|n"
is "shown with two decimals" "$(xl "$T/contracts.xlsx" 'ws["K2"].number_format')" "#,##0.00"
is "a whole number is a number" "$(xl "$T/contracts.xlsx" 'cell("F2")')" "2024|n"
is "a purchaser's code is text" "$(xl "$T/contracts.xlsx" 'cell("B2")')" "120110000000|s"
is "a list of station codes is text" "$(xl "$T/contracts.xlsx" 'cell("M2")')" \
	"120110001000;120110002000|s"
"$SGZ_BIN" export hours -o "$T/hours.xlsx" 2>/dev/null
is "hours are a number" "$(xl "$T/hours.xlsx" 'cell("E2")')" "3.5|n"
is "with one decimal" "$(xl "$T/hours.xlsx" 'ws["E3"].number_format')" "0.0"
"$SGZ_BIN" export evaluations -o "$T/evaluations.xlsx" 2>/dev/null
is "a score is a number with one decimal" \
	"$(xl "$T/evaluations.xlsx" 'cell("F3"), ws["F3"].number_format')" "('78.5|n', '0.0')"
"$SGZ_BIN" export cases -o "$T/cases.xlsx" 2>/dev/null
is "a case number is text" "$(xl "$T/cases.xlsx" 'cell("A2")')" "120110001-2024-0001|s"
"$SGZ_BIN" export visits -o "$T/visits.xlsx" 2>/dev/null
is "a note keeps its line break" "$(xl "$T/visits.xlsx" 'repr(ws["E2"].value)')" \
	"'首次入户评估\\n需要每月回访'"

# --- every entity: the workbook says what the CSV says, and reads back ---
snapshot() {
	for t in division organization station service_point staff volunteer activity hours \
		recipient case_file visit contract evaluation plan; do
		q "SELECT '$t', md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM sgz.$t x"
	done
}
diffs=""
for e in $ENTITIES; do
	"$SGZ_BIN" export "$e" -o "$T/$e.csv" 2>/dev/null || diffs="$diffs csv:$e"
	"$SGZ_BIN" export "$e" -o "$T/$e.xlsx" 2>/dev/null || diffs="$diffs xlsx:$e"
	s=$("$PY" "$T/same.py" "$T/$e.csv" "$T/$e.xlsx" 2>&1)
	[ "$s" = same ] || diffs="$diffs $e: $s"
done
is "every cell of every entity's workbook is the CSV's value" "$diffs" ""
is "the national divisions: one row each under the header" \
	"$(xl "$T/divisions.xlsx" 'ws.max_row - 1')" "$(($(wc -l <"$T/divisions.csv") - 1))"
is "a province's code is text, not 1.1E+11" "$(xl "$T/divisions.xlsx" 'cell("A2")')" \
	"110000000000|s"
before=$(snapshot)
diffs=""
for e in $ENTITIES; do
	"$PY" "$T/csvof.py" "$T/$e.xlsx" >"$T/$e.back.csv" 2>"$T/err" || diffs="$diffs convert:$e"
	"$SGZ_BIN" import "$e" "$T/$e.back.csv" >"$T/err" 2>&1 ||
		diffs="$diffs import:$e:$(head -3 "$T/err")"
done
is "each workbook saved as CSV (Chinese headers) imports" "$diffs" ""
is "and changes nothing" "$(snapshot)" "$before"

# --- --labels: choices and booleans by their labels, read back all the same ---
diffs=""
for e in $ENTITIES; do
	"$SGZ_BIN" export "$e" --labels -o "$T/$e.labels.xlsx" 2>/dev/null || diffs="$diffs xlsx:$e"
	"$PY" "$T/csvof.py" "$T/$e.labels.xlsx" >"$T/$e.lback.csv" 2>"$T/err" ||
		diffs="$diffs convert:$e"
	"$SGZ_BIN" import "$e" "$T/$e.lback.csv" >"$T/err" 2>&1 ||
		diffs="$diffs import:$e:$(head -3 "$T/err")"
done
is "--labels: each workbook saved as CSV imports" "$diffs" ""
is "and changes nothing" "$(snapshot)" "$before"
is "--labels: a choice and booleans by their labels" \
	"$(xl "$T/staff.labels.xlsx" 'cell("E2"), cell("L2"), cell("L3")')" "('站长|s', '是|s', '否|s')"

# --- the CSV stays as it is ---
is "the CSV export still has the column names" "$(sed -n '1s/^\xef\xbb\xbf//p' "$T/staff.csv")" \
	"id_number,name,phone,station,role,education,qualification,qualified_on,hired_on,left_on,employer,local_hukou"
is "and its ID numbers as they are" "$(sed -n '2p' "$T/staff.csv" | cut -d, -f1)" \
	"12011019850315002X"
is ".XLSX in capitals is a workbook too" \
	"$("$SGZ_BIN" export plans -o "$T/PLANS.XLSX" 2>&1; head -c 2 "$T/PLANS.XLSX")" "PK"

# --- scope, failures ---
"$SGZ_BIN" export staff --scope 120110002 -o "$T/none.xlsx" 2>/dev/null
is "--scope: a township without staff gives the header alone" \
	"$(xl "$T/none.xlsx" 'ws.max_row, row(1).split(",")[0]')" "(1, '身份证号')"
out=$("$SGZ_BIN" export staff -o "$T/no/such/dir.xlsx" 2>&1)
is "an unwritable path exits 2" "$?" 2
like "and names the path" "$out" "$T/no/such/dir.xlsx: cannot write"
is "no temporary files are left beside the workbooks" \
	"$(find "$T" -name '*.xlsx.*' | wc -l)" 0

# --- sgz report ---
out=$("$SGZ_BIN" report contracts --year 2024 -o "$T/r_contracts.xlsx" 2>&1)
is "report -o contracts.xlsx exits 0" "$?" 0
is "the sheet is the report's Chinese title" "$(xl "$T/r_contracts.xlsx" 'ws.title')" "购买服务合同"
is "its headers are Chinese" "$(xl "$T/r_contracts.xlsx" 'row(1)')" \
	"合同编号,承接机构,购买主体,周期第几年,合同金额(元),评估得分,评估等级,续签决定"
is "frozen" "$(xl "$T/r_contracts.xlsx" 'ws.freeze_panes')" "A2"
is "the contract number and codes are text" \
	"$(xl "$T/r_contracts.xlsx" 'cell("A2"), cell("B2"), cell("C2")')" \
	"('DL-2024-001|s', '52120110MJ0000001Y|s', '120110000000|s')"
is "the amount is money with two decimals" \
	"$(xl "$T/r_contracts.xlsx" 'cell("E2"), ws["E2"].number_format')" "('250000|n', '#,##0.00')"
is "the score a number with one decimal, the year a count" \
	"$(xl "$T/r_contracts.xlsx" 'cell("F2"), ws["F2"].number_format, cell("D2")')" \
	"('86|n', '0.0', '1|n')"
is "grade and decision are the CSV's words" "$(xl "$T/r_contracts.xlsx" 'cell("G2"), cell("H2")')" \
	"('good|s', 'renew|s')"
like "the document's title says which report, scope and year" \
	"$(xl "$T/r_contracts.xlsx" 'wb.properties.title')" "购买服务合同 — 全部 — 2024"
"$SGZ_BIN" report contracts --year 2024 --labels -o "$T/r_labels.xlsx" 2>/dev/null
is "--labels: grade and decision by their labels" "$(xl "$T/r_labels.xlsx" 'cell("G2"), cell("H2")')" \
	"('良好|s', '续签|s')"
is "--labels: the figures as they are" "$(xl "$T/r_labels.xlsx" 'cell("E2"), cell("F2")')" \
	"('250000|n', '86|n')"

"$SGZ_BIN" report progress --month 2024-11 --scope 120110 -o "$T/progress.xlsx" 2>/dev/null
is "progress: work.md's titles" "$(xl "$T/progress.xlsx" 'row(1)')" \
	"县(区)代码,县(区),月份,累计建站数,本月新建站数,累计社工点数,累计社工人数,持证社工人数,累计注册志愿者数,本月志愿服务时长,在办个案数,本月走访次数"
"$SGZ_BIN" report progress --month 2024-11 --scope 120110 --format csv >"$T/progress.csv"
is "progress: the same rows as its CSV" "$("$PY" "$T/same.py" "$T/progress.csv" "$T/progress.xlsx")" \
	"same"
is "progress: a county's row, figures as numbers" \
	"$(xl "$T/progress.xlsx" 'cell("A2"), cell("C2"), cell("D2"), cell("J2")')" \
	"('120110000000|s', '2024-11|s', '2|n', '0|n')"

"$SGZ_BIN" report hours --year 2024 -o "$T/r_hours.xlsx" 2>/dev/null
is "hours report: the ID number masked, as text" "$(xl "$T/r_hours.xlsx" 'cell("A2")')" \
	"1201**********0042|s"
is "hours report: hours with one decimal, the star a count" \
	"$(xl "$T/r_hours.xlsx" 'cell("D2"), ws["D2"].number_format, cell("F2")')" \
	"('5.5|n', '0.0', '0|n')"
"$SGZ_BIN" report coverage --year 2024 --scope 120110 -o "$T/coverage.xlsx" 2>/dev/null
is "coverage: a percentage is a number with one decimal, yes/no a word" \
	"$(xl "$T/coverage.xlsx" 'ws["F2"].data_type, ws["F2"].number_format, cell("K2")')" \
	"('n', '0.0', 'no|s')"

"$SGZ_BIN" report staffing --format xlsx -o - >"$T/piped.xlsx" 2>"$T/err"
is "--format xlsx -o - writes the workbook to standard output" \
	"$(xl "$T/piped.xlsx" 'ws.title, ws.freeze_panes')" "('人员配备', 'A2')"
out=$("$SGZ_BIN" report coverage --format csv -o "$T/wrong.xlsx" 2>&1)
is "--format csv with a .xlsx name exits 2" "$?" 2
like "and says why" "$out" "a .xlsx file is a workbook"
ok "and writes nothing" test ! -e "$T/wrong.xlsx"
out=$("$SGZ_BIN" report coverage --format pdf 2>&1)
like "--format names xlsx among the formats" "$out" "is not text, csv or xlsx"
