#!/bin/sh
# certificate.sh - sgz certificate (spec/work.md "Volunteer service
# certificate"): as a station user, on the fixtures, a one-page A4 PDF in
# Chinese with an embedded CJK font, read back with poppler-utils: the
# name, the masked ID number (never the full one), the station, the hours by
# year and in total, the star level, the services of the year or of every
# year, the issuer and the date; a volunteer of another station refused as
# nobody; file names refused (not .pdf, locked); the file written whole,
# 0640, a symbolic link replaced rather than followed; without a font that
# has Chinese characters, refused naming the package; every certificate
# issued filed in the audit trail, none for a refusal.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 52

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures
cd "$T" || bail "cd $T"
for t in pdftotext pdfinfo pdffonts; do
	command -v $t >/dev/null || bail "$t is not installed (apt-get install poppler-utils)"
done

psql -XAtqc "CREATE ROLE sgz_owner LOGIN CREATEROLE" || bail "owner role"
psql -XAtqc "CREATE DATABASE sgz OWNER sgz_owner" || bail "database"
PGDATABASE=sgz
export PGDATABASE
own() { PGUSER=sgz_owner psql -XAt -v ON_ERROR_STOP=1 -c "$1" 2>&1; }
sgz() { PGUSER=sgz_owner "$SGZ_BIN" "$@" 2>&1; }
# cert ROLE ARGS... - sgz certificate as ROLE, in English
cert() {
	r=$1
	shift
	PGUSER=$r "$SGZ_BIN" -L en certificate "$@" 2>&1
}

sgz migrate >/dev/null || bail "migrate failed: $(sgz migrate)"
sgz import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null || bail "divisions"
for e in divisions organizations stations service_points staff volunteers activities hours; do
	sgz import "$e" "$F/$e.csv" >/dev/null || bail "fixture $e: $(sgz import "$e" "$F/$e.csv")"
done
# 张敏 gets 2025 too: 60 days of 2 hours (lifetime 125.5: one star), more
# services than a page lists. A second county's station and volunteer.
{
	echo "volunteer,service_date,station,activity,hours,note"
	d=0
	while [ $d -lt 60 ]; do
		printf '120110197007070042,%s,120110001000,,2,社区巡访第%d次\n' \
			"$(date -d "2025-01-06 +$d days" +%F)" $((d + 1))
		d=$((d + 1))
	done
} >more.csv
sgz import hours more.csv >/dev/null || bail "more hours: $(sgz import hours more.csv)"
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' >st.csv
printf 'id_number,name,station,registered_on\n120111199202020046,孙丽,120111001000,2022-01-01\n' >vo.csv
sgz import stations st.csv >/dev/null && sgz import volunteers vo.csv >/dev/null || bail "second county"
sgz user add zgz --scope 120110001 --kind station >/dev/null || bail "user zgz"
sgz user add dongli --scope 120110 --kind county >/dev/null || bail "user dongli"

VOL=120110197007070042 # 张敏, 120110001000
XQ_VOL=120111199202020046
VOL_PID=$(own "SELECT pid FROM sgz.volunteer WHERE id_number = '$VOL'")
XQ_PID=$(own "SELECT pid FROM sgz.volunteer WHERE id_number = '$XQ_VOL'")
TODAY=$(date +%Y年%-m月%-d日)
audits() { own "SELECT count(*) FROM sgz.audit WHERE table_name = 'volunteer' AND action = 'export'"; }

# ---- a station user's certificate of every year ----
out=$(cert zgz "$VOL" -o zm.pdf)
is "a station user's certificate is made" "$?:$out" "0:"
info=$(pdfinfo zm.pdf 2>&1 | tr -s ' ')
like "one page" "$info" "Pages: 1"
like "A4" "$info" "Page size: 595.276 x 841.89 pts (A4)"
like "its title" "$info" "Title: 志愿服务证明 张敏"
fonts=$(pdffonts zm.pdf 2>&1)
cjk=$(printf '%s\n' "$fonts" | grep -c 'CJK.* yes ')
ok "a CJK font embedded" [ "$cjk" -ge 1 ]
unemb=$(printf '%s\n' "$fonts" | sed 1,2d | awk '$(NF-4) != "yes"' | head -1)
is "every font embedded" "$unemb" ""
# pdftotext puts spaces between some characters of a line laid out by
# pango (each glyph placed), and breaks the statement's lines: compare
# without blanks and line breaks
txt=$(pdftotext -layout zm.pdf - 2>&1 | tr -d ' \t\n')
like "the heading" "$txt" "志愿服务证明"
like "the name" "$txt" "张敏"
like "the ID number masked" "$txt" "1201**********0042"
unlike "never the full number" "$txt" "$VOL"
like "the registration date" "$txt" "2021年8月1日"
like "the station" "$txt" "张贵庄街道"
like "the issuer" "$txt" "在东丽区张贵庄街道社会工作服务站注册"
unlike "the county named once" "$txt" "东丽区东丽区"
like "the hours in total" "$txt" "累计参加志愿服务62次,服务时长125.5小时"
like "the years" "$txt" "年度2024年2025年合计"
like "the services by year" "$txt" "服务次数26062"
like "the hours by year" "$txt" "服务时长(小时)5.5120.0125.5"
like "the star level" "$txt" "★☆☆☆☆一星"
like "the latest service" "$txt" "2025-03-06社区巡访第60次2.0"
like "the services a page cannot hold, counted" "$txt" "此前另有"
like "the date of issue" "$txt" "出具日期:$TODAY"
like "room for the seal" "$txt" "出具单位(盖章)"
mode=$(stat -c %a zm.pdf)
is "the file is 0640" "$mode" "640"
is "the issue is audited" "$(audits)" "1"
row=$(own "SELECT who, division, key #>> '{}', new ->> 'pid', new ->> 'certificate', new ->> 'hours', new ->> 'file'
	     FROM sgz.audit WHERE table_name = 'volunteer' AND action = 'export'")
is "the trail entry: who, where, whom (masked), what" "$row" \
	"zgz|120110001000|1201**********0042|$VOL_PID|all|125.5|zm.pdf"

# ---- one year, by pid ----
out=$(cert zgz "#$VOL_PID" --year 2024 -o y2024.pdf)
is "a year's certificate by #pid" "$?:$out" "0:"
txt=$(pdftotext -layout y2024.pdf - 2>&1 | tr -d ' \t\n')
like "the year's services" "$txt" "三、服务记录(2024年度)"
like "the activity's title" "$txt" "2024-03-05学雷锋志愿服务日3.5"
like "a service without an activity by its note" "$txt" "2024-03-06入户探访2.0"
unlike "no service of another year" "$txt" "社区巡访"
like "the year in the statement" "$txt" "其中2024年度参加志愿服务2次,服务时长5.5小时"

# ---- a county user; standard output ----
PGUSER=dongli "$SGZ_BIN" certificate "$VOL" -o - >stdout.pdf 2>err.txt
is "a county user's certificate to standard output" "$?:$(cat err.txt)" "0:"
is "a PDF" "$(head -c 5 stdout.pdf)" "%PDF-"

# ---- no star yet; a year without services ----
out=$(cert zgz 120110199512310077 -o zl.pdf)
is "a volunteer of 4 hours" "$?:$out" "0:"
txt=$(pdftotext -layout zl.pdf - 2>&1 | tr -d ' \t\n')
like "has no star yet" "$txt" "服务时长4.0小时,尚未达到星级。"
like "none in the particulars" "$txt" "☆☆☆☆☆未达星级"
out=$(cert zgz "$VOL" --year 2023 -o y2023.pdf)
txt=$(pdftotext -layout y2023.pdf - 2>&1 | tr -d ' \t\n')
like "a year without services says so" "$txt" "三、服务记录(2023年度)无服务记录。"

# ---- refused ----
n=$(audits)
out=$(cert zgz "$XQ_VOL" -o xq.pdf)
is "another station's volunteer by number: refused" "$?:$out" \
	"2:sgz certificate: no volunteer 1201**********0046 in your scope"
out=$(cert zgz "#$XQ_PID" -o xq.pdf)
is "another station's volunteer by pid: refused" "$?:$out" \
	"2:sgz certificate: no volunteer #$XQ_PID in your scope"
out=$(cert zgz "刘桂兰" -o xq.pdf)
like "a name is not a volunteer's key" "$?:$out" "2:sgz certificate: '刘桂兰' names no volunteer"
out=$(cert zgz "$VOL" -o zm.txt)
like "a file that is not .pdf: refused" "$?:$out" "2:sgz certificate: -o zm.txt: the certificate is a PDF"
out=$(cert zgz "$VOL")
like "no -o: usage" "$?:$out" "2:Usage: sgz certificate"
out=$(PGUSER=zgz "$SGZ_BIN" --locked -L en certificate "$VOL" -o locked.pdf 2>&1)
like "locked: -o FILE refused" "$?:$out" "2:sgz certificate: -o locked.pdf: refused: sgz is locked"
ok "nothing written for a refusal" test ! -e xq.pdf -a ! -e zm.txt -a ! -e locked.pdf
is "no trail entry for a refusal" "$(audits)" "$n"
out=$(PGUSER=zgz "$SGZ_BIN" -L zh_CN certificate "$XQ_VOL" -o xq.pdf 2>&1)
is "refused in Chinese" "$out" "sgz certificate: 您的范围内没有志愿者 1201**********0046"

# ---- without a font that has Chinese characters ----
# fontconfig shown only a Latin font (or none): the certificate is refused,
# naming the package, rather than printed as boxes
mkdir fcache
fonts=
[ -d /usr/share/fonts/truetype/dejavu ] && fonts="<dir>/usr/share/fonts/truetype/dejavu</dir>"
printf '<?xml version="1.0"?>\n<fontconfig>%s<cachedir>%s/fcache</cachedir></fontconfig>\n' \
	"$fonts" "$T" >fonts.conf
n=$(audits)
out=$(FONTCONFIG_FILE=$T/fonts.conf PGUSER=zgz "$SGZ_BIN" -L zh_CN certificate "$VOL" -o nofont.pdf 2>&1)
is "no Chinese font: refused, naming the package" "$?:$out" \
	"2:sgz certificate: 没有含中文字符的字体:请安装 Debian 软件包 fonts-noto-cjk"
ok "no file" test ! -e nofont.pdf
is "no trail entry" "$(audits)" "$n"

# ---- a symbolic link is replaced, not followed ----
echo precious >target.txt
ln -s target.txt link.pdf
out=$(cert zgz "$VOL" -o link.pdf)
is "a certificate over a symbolic link" "$?:$out" "0:"
ok "the link's target untouched, the link replaced by the file" \
	test "$(cat target.txt)" = precious -a ! -L link.pdf -a -f link.pdf
