#!/bin/sh
# cli_import.sh - sgz import/export of divisions and stations against a real
# PostgreSQL: the real national file, round trips, all-or-nothing, messages.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 48

T=$tap_tmp
q() { psql -XAtc "$1"; }
"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"

# --- the whole national file ---
out=$("$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" 2>&1)
rc=$?
is "importing the national divisions exits 0" "$rc" 0
is "it reports every row" "$out" "44699 rows imported"
is "all 44,699 rows are stored" "$(q 'SELECT count(*) FROM sgz.division')" 44699
is "levels: provinces, prefectures, counties, townships" \
	"$(q "SELECT string_agg(n::text, ',' ORDER BY level) FROM (SELECT level, count(*) n FROM sgz.division GROUP BY level) x")" \
	"31,342,2975,41351"
is "Dongguan's towns hang under the prefecture" \
	"$(q "SELECT parent FROM sgz.division WHERE code = '441900003000'")" "441900000000"
is "every division but the provinces has a parent" \
	"$(q "SELECT count(*) FROM sgz.division WHERE parent IS NULL")" 31

# --- export, and importing the export changes nothing ---
"$SGZ_BIN" export divisions -o "$T/div.csv" 2>"$T/err"
is "export exits 0" "$?" 0
is "a .csv file starts with a UTF-8 BOM" "$(head -c 3 "$T/div.csv" | od -An -tx1 | tr -d ' ')" "efbbbf"
is "the header is the import columns" "$(sed -n '1s/^\xef\xbb\xbf//p' "$T/div.csv")" \
	"code,name,urban_rural,population,households"
is "the export has every row" "$(($(wc -l <"$T/div.csv") - 1))" 44699
"$SGZ_BIN" export divisions >"$T/stdout.csv"
is "export to stdout has no BOM" "$(head -c 4 "$T/stdout.csv")" "code"
snap() { q "SELECT md5(string_agg(d::text, '|' ORDER BY code)) FROM sgz.division d"; }
before=$(snap)
out=$("$SGZ_BIN" import divisions "$T/div.csv" 2>&1)
is "re-importing the export exits 0" "$?" 0
is "re-importing the export changes nothing (rows and row_version)" "$(snap)" "$before"
"$SGZ_BIN" export divisions -o "$T/div2.csv"
ok "a second export is byte-identical" cmp -s "$T/div.csv" "$T/div2.csv"

# --- one bad row among good ones: nothing imported, the row named ---
{
	echo "code,name,population"
	echo "110101001000,东华门街道,50000"
	echo "110101002000,景山街道,abc"
	echo "110101003000,交道口街道,60000"
} >"$T/onebad.csv"
out=$("$SGZ_BIN" import divisions "$T/onebad.csv" 2>&1)
is "a file with one bad row exits 1" "$?" 1
like "the message is FILE:LINE:COLUMN" "$out" "$T/onebad.csv:3:population: not a whole number"
like "the summary says nothing was imported" "$out" "1 rows rejected, nothing imported"
is "no row of that file was written" \
	"$(q "SELECT count(*) FROM sgz.division WHERE population IS NOT NULL")" 0

# one bad row among thousands
{
	echo "code,name,population"
	awk -F, 'NR > 1 && $1 ~ /^11/ { print $1 "," $2 ",100" }' "$SGZ_DATADIR/divisions-2022.csv"
	echo "110101001000,东华门街道,-5"
} >"$T/big.csv"
lines=$(wc -l <"$T/big.csv")
out=$("$SGZ_BIN" import divisions "$T/big.csv" 2>&1)
is "one bad row among hundreds exits 1" "$?" 1
like "it names the last line and the rule" "$out" "big.csv:$lines:population: out of range"
is "and writes none of the good ones" \
	"$(q "SELECT count(*) FROM sgz.division WHERE population IS NOT NULL")" 0

# --- header rules ---
printf 'code,name,colour\n110000,北京市,red\n' >"$T/unknown.csv"
out=$("$SGZ_BIN" import divisions "$T/unknown.csv" 2>&1)
is "an unknown column exits 1" "$?" 1
like "it is named with line 1" "$out" "unknown.csv:1:colour: unknown column"
printf 'name\n北京市\n' >"$T/nokey.csv"
out=$("$SGZ_BIN" import divisions "$T/nokey.csv" 2>&1)
like "a missing required column is named" "$out" "nokey.csv:1:code: required column missing"
printf '名称,区划代码,人口\n北京,11,21893095\n' >"$T/zh.csv"
out=$("$SGZ_BIN" import divisions "$T/zh.csv" 2>&1)
is "Chinese header labels in any order are accepted" "$?" 0
is "a short code is padded and the label columns land" \
	"$(q "SELECT name || ':' || population FROM sgz.division WHERE code = '110000000000'")" \
	"北京:21893095"

# --- encodings ---
printf 'code,name\n110000,北京市\n120000,天津市\n' | iconv -f UTF-8 -t GB18030 >"$T/gb.csv"
out=$("$SGZ_BIN" import divisions "$T/gb.csv" 2>&1)
is "a GB18030 file is detected and imported" "$?" 0
is "its Chinese text arrives intact" "$(q "SELECT name FROM sgz.division WHERE code = '120000000000'")" "天津市"
out=$("$SGZ_BIN" import divisions "$T/gb.csv" --encoding utf-8 2>&1)
is "GB18030 read as --encoding utf-8 exits 1" "$?" 1
like "and names the line" "$out" "gb.csv:2:"
printf '\357\273\277code,name\r\n130000,河北省\r\n' >"$T/bom.csv"
out=$("$SGZ_BIN" import divisions "$T/bom.csv" 2>&1)
is "a UTF-8 BOM and CRLF lines are accepted" "$?" 0

# --- references: a parent must exist or come earlier in the file ---
printf 'code,name\n990100,某市\n990000,某省\n' >"$T/order.csv"
out=$("$SGZ_BIN" import divisions "$T/order.csv" 2>&1)
like "a child before its parent is refused on its line" "$out" "order.csv:2:code: parent division 990000000000 does not exist"
printf 'code,name\n990000,某省\n990100,某市\n' >"$T/order2.csv"
out=$("$SGZ_BIN" import divisions "$T/order2.csv" 2>&1)
is "a parent earlier in the same file is enough" "$?" 0
printf 'code,name\n990200,甲\n990200,乙\n' >"$T/dup.csv"
out=$("$SGZ_BIN" import divisions "$T/dup.csv" 2>&1)
like "a key twice in one file names the second line" "$out" "dup.csv:3:code: the same code as line 2"

# --- hostile text is stored and exported literally ---
cat >"$T/hostile.csv" <<'CSV'
code,name
990300,"O'Brien""; DROP TABLE sgz.division; --"
CSV
"$SGZ_BIN" import divisions "$T/hostile.csv" >/dev/null 2>&1
is "quotes and SQL in a name are stored literally" \
	"$(q "SELECT name FROM sgz.division WHERE code = '990300000000'")" "O'Brien\"; DROP TABLE sgz.division; --"
printf 'code,name\n990400,"a\001b"\n' >"$T/ctrl.csv"
out=$("$SGZ_BIN" import divisions "$T/ctrl.csv" 2>&1)
like "a control character is refused with the rule" "$out" "ctrl.csv:2:name: control character"

# --- dry run and standard input ---
printf 'code,name\n990500,试运行\n' >"$T/dry.csv"
out=$("$SGZ_BIN" import divisions "$T/dry.csv" --dry-run 2>&1)
is "a valid dry run says so" "$out" "1 rows valid, nothing imported (dry run)"
is "and writes nothing" "$(q "SELECT count(*) FROM sgz.division WHERE code = '990500000000'")" 0
out=$(printf 'code,name\n990600,标准输入\n' | "$SGZ_BIN" import divisions - 2>&1)
is "FILE - reads standard input" "$(q "SELECT name FROM sgz.division WHERE code = '990600000000'")" "标准输入"

# --- stations: rules of the dictionary and of the database ---
printf 'township,status,batch_year,established_on\n120110001000,operating,2021,2021年7月20日\n' >"$T/st.csv"
out=$("$SGZ_BIN" import stations "$T/st.csv" 2>&1)
is "a station imports with a Chinese date" "$?" 0
is "its default name is county + township + 社会工作服务站" \
	"$(q "SELECT name || ' ' || established_on FROM sgz.station WHERE township = '120110001000'")" \
	"东丽区张贵庄街道社会工作服务站 2021-07-20"
printf 'township,status,established_on\n120110002000,运营中,\n120110003000,planned,\n120110,planned,\n' >"$T/st2.csv"
out=$("$SGZ_BIN" import stations "$T/st2.csv" 2>&1)
like "operating without a date is refused on its line" "$out" "st2.csv:2:established_on: a station with status operating needs the date"
like "planned without a batch year is refused" "$out" "st2.csv:3:batch_year: a planned station needs a batch year"
like "a county code is not a township" "$out" "st2.csv:4:township: "
"$SGZ_BIN" export stations -o "$T/st-out.csv" && "$SGZ_BIN" import stations "$T/st-out.csv" >/dev/null 2>&1
is "stations round-trip unchanged" "$(q "SELECT row_version FROM sgz.station WHERE township = '120110001000'")" 1

# --- progress goes to stderr only when it is a terminal ---
n=$(script -qec "\"$SGZ_BIN\" import divisions \"$SGZ_DATADIR/divisions-2022.csv\"" /dev/null |
	tr '\r' '\n' | grep -c 'rows read')
ok "on a terminal an import shows its progress" [ "$n" -ge 1 ]
out=$("$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" 2>&1)
unlike "into a pipe it does not" "$out" "rows read"

# --- export to a device writes through, never replacing it ---
"$SGZ_BIN" export divisions -o /dev/null 2>/dev/null
ok "export -o /dev/null leaves the device a device" [ -c /dev/null ]
