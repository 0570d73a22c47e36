#!/bin/sh
# grid.sh - the hours grid end to end: the real binary in tmux at 80x24
# against a real PostgreSQL loaded with the fixtures, as a station user in
# Chinese (LANG=zh_CN.UTF-8), a county user and an administrator (with
# migration 0014 the two users cannot read a full number in any table:
# the same script passes with it and without). Opened from the
# activity 学雷锋志愿服务日 with its station and date filled in, the hours
# already stored for it as its first rows: ID numbers masked with the
# names (spec/rules.md), the title counting them and the foot totalling
# their people and hours; a typed number shown as typed until the field is
# left. A volunteer typed again is her stored row: the cursor moves to its
# hours (spec/work.md: edited in place, never replaced); rows typed
# with ID prefixes and names completed by Tab; a prefix longer than the
# mask shows that several volunteers share lists them all under the field,
# masked with their names, and F5 goes through them; the last digits the
# mask shows; a number outside the user's scope not registered, found in
# the county's; ditto; a refused value (25
# hours) with its reason; Ctrl-X; a stored row changed in place, its
# stored hours beside the new until the save, the foot's totals once saved
# and stored now, and the new rows saved in one statement, the message
# counting both; the activity's form then totals its people and hours; someone
# else's change meanwhile a conflict shown, then saved over knowingly; a
# stored row deleted after a question, marked, out of the foot's total,
# gone when the grid is opened again; the header changed to the
# activity-less hours of the day, whose stored rows F2 shows before it
# saves; a day over 24 hours refused naming the row, the number masked; spreadsheet rows pasted (bracketed paste);
# typed rows kept as a grid draft past SIGHUP, without full numbers, and
# offered back; the keystrokes of 30 volunteers against spec/bench.md's
# budget (the data's characters + 2 per row); an administrator sees full
# numbers, each filed in the audit trail (sgz.person_reveal()), several
# found by a prefix masked and none filed; row numbers past 999 in full.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 137

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
EVENT=学雷锋志愿服务日
ZHANG=120110197007070042
ZHAO=120110199512310077
q() { psql -XAtc "$1" 2>&1; }
opens() { q "SELECT count(*) FROM sgz.audit WHERE action = 'open'"; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in organizations stations staff volunteers activities hours; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001000 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add failed"
"$SGZ_BIN" user add dlq --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add failed"

# vid N: the ID number of volunteer N, 120110199001010010 to ..0400 with
# its check digit (GB 11643).
vid() {
	awk -v i="$1" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		split("1 0 X 9 8 7 6 5 4 3 2", c, " ")
		id = sprintf("12011019900101%03d", i)
		s = 0
		for (k = 1; k <= 17; k++)
			s += substr(id, k, 1) * w[k]
		print id c[s % 11 + 1]
	}'
}
# mask ID: as lists show it.
mask() {
	echo "$1" | sed 's/^\(....\).\{10\}\(....\)$/\1**********\2/'
}
# 40 more volunteers of the station, 志愿者1 to 志愿者40.
{
	echo "id_number,name,phone,station,team,registered_on,skills"
	i=1
	while [ $i -le 40 ]; do
		echo "$(vid $i),志愿者$i,,120110001000,,2020-01-01,"
		i=$((i + 1))
	done
} >"$tap_tmp/v40.csv"
"$SGZ_BIN" import volunteers "$tap_tmp/v40.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "volunteer import failed"
V1=$(vid 1)
V2=$(vid 2)
V5=$(vid 5)
V7=$(vid 7)
# 钱芳, of the county's other station: outside the station user's scope.
QIAN=120110198505050030
{
	echo "id_number,name,phone,station,team,registered_on,skills"
	echo "$QIAN,钱芳,,120110002000,,2020-01-01,"
} >"$tap_tmp/qian.csv"
"$SGZ_BIN" import volunteers "$tap_tmp/qian.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "volunteer import failed"

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}
# The grid's foot: the line above the hint.
foot_row() {
	tmux_screen | tail -n 3 | head -n 1 | sed 's/^ *//; s/ *$//'
}
message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}
# The message and hint lines, wrapped over up to three rows above the
# status line, as one text without spaces (a break may fall at one).
hint_text() {
	tmux_screen | tail -n 4 | head -n 3 | tr -d ' \n'
}
# row_like TEXT WANT - waits (10 s at most) until the row holding TEXT
# also holds WANT: a key's effect is drawn after the key, not with it.
row_like() {
	_n=0
	while :; do
		case $(row_with "$1") in
		*"$2"*) return 0 ;;
		esac
		_n=$((_n + 1))
		if [ $_n -ge 200 ]; then
			printf '# row: %s\n# lacks: %s\n' "$(row_with "$1")" "$2"
			return 1
		fi
		sleep 0.05
	done
}
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
event_hours() {
	q "SELECT string_agg(v.name || '=' || h.hours || coalesce('/' || h.note, ''), ' '
	   ORDER BY h.volunteer) FROM sgz.hours h JOIN sgz.volunteer v ON v.id_number = h.volunteer
	   WHERE h.service_date = '2024-03-05' AND h.activity = '$EVENT'"
}
# The station user, in Chinese by the environment alone.
as_station() {
	tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
}

# 1. From the activity list: g opens its grid, station and date filled in,
# the hours stored for the activity its first rows.
as_station
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 2 2
ok "the activity list" wait_for "$EVENT"
like "the list's status line shows g" "$(last_row)" "g 批量录入"
tmux_keys g
ok "g opens the grid" wait_for "服务时长 - 批量录入"
like "the header: the activity's station, date and title" "$(tmux_screen | sed -n 3p)" \
	"所属站点 120110001000_  服务日期 2024-03-05_  活动名称 ${EVENT}_"
like "the title names the header's station" "$(tmux_screen | sed -n 2p)" "服务时长 - 批量录入,2 行  张贵庄街道"
like "the stored hours are the first rows: the number masked, the name" \
	"$(row_with 张敏)" "1 1201**********0042_ 张敏      3.5"
like "each stored row" "$(row_with 赵磊)" "2 1201**********0077_ 赵磊      4_"
unlike "no full number on the screen" "$(tmux_screen)" "$ZHANG"
like "typing starts under them" "$(message_row)" "第 3 行,志愿者:"
like "the title counts the stored rows" "$(tmux_screen | sed -n 2p)" "服务时长 - 批量录入,2 行"
like "the foot: the people and hours stored" "$(foot_row)" "合计 2 人,7.5 小时,均已保存"
# a volunteer the station does not have is nobody in the foot
tmux_keys 王五 Tab
ok "a name no volunteer has: said as the field is left" \
	wait_for "第 3 行,志愿者:站点 张贵庄街道 没有与 王五 相符的志愿者"
like "the field left marked refused" "$(row_with 王五)" "!  3 王五"
like "not counted as a person" "$(foot_row)" "保存后合计 2 人,7.5 小时;现已存 2 人,7.5 小时"
tmux_keys 2
ok "the cursor moved on to the hours (moving never traps)" row_like 王五 "           2_____"
tmux_keys BSpace BTab C-k
ok "back and cleared: nothing to save" wait_for "合计 2 人,7.5 小时,均已保存"

# 2. A volunteer who has a stored row, typed again in a new row, is her
# stored row, edited in place (issue 8: 3.5 h stored, typed again with 1,
# was saved as 1.0 unseen): the cursor moves to its hours, said.
tmux_keys 张 Tab
ok "a volunteer with stored hours: the cursor moves to her row" \
	wait_for "1201**********0042 张敏 的服务时长已存于第 1 行:请在此修改。"
like "onto its hours" "$(row_with 张敏)" ">  1 1201**********0042_ 张敏      3.5"
like "the new row emptied" "$(row_with "  3 ")" "  3 ___________________           ______"
is "she is in the grid once" "$(tmux_screen | grep -c "0042_")" 1
unlike "still masked" "$(tmux_screen)" "$ZHANG"
tmux_keys Tab Tab Tab Tab Tab
ok "back on the new row" wait_for "第 3 行,志愿者:"
tmux_keys C-k "$V1"
ok "a full number shows as typed" wait_for "$V1"
tmux_keys Tab
ok "once the field is left, masked with the name" wait_for "志愿者1"
like "masked" "$(row_with 志愿者1)" "$(mask "$V1")_ 志愿者1"
unlike "the typed number is no longer shown" "$(tmux_screen)" "$V1"
tmux_keys 4 Enter 12011019900101002 Tab
ok "Tab completes an ID prefix, masked, with the name" wait_for "志愿者2"
like "masked" "$(row_with 志愿者2)" "$(mask "$V2")"
tmux_keys C-d Enter
ok "ditto copied the hours of the row above" row_like 志愿者2 "4_"

# More digits than the mask shows, shared by nine volunteers: all of them
# under the field, masked with their names; none picked until F5 picks.
tmux_keys 1201101990010100 Tab
ok "several volunteers match a long prefix: said" wait_for "有 9 位志愿者"
like "naming what was typed" "$(hint_text)" "有9位志愿者与1201101990010100相符"
# the cursor moved on (moving never traps): back to the field to pick
tmux_keys BTab
like "each of them listed, masked, with the name" "$(row_with 志愿者7)" "$(mask "$V7") 志愿者7"
ok "the ninth too" wait_for "志愿者9"
unlike "no full number on the screen" "$(tmux_screen)" "$V7"
like "none picked: the field holds what was typed" "$(row_with 1201101990010100_)" "!  5 "
tmux_keys F5 F5 F5
ok "F5 goes through them: the third" row_like "> $(mask "$(vid 3)")" "志愿者3"
like "shown in the row, masked" "$(row_with "5 $(mask "$(vid 3)")_")" "志愿者3"
tmux_keys C-k
ok "Ctrl-K clears it, and the list goes" wait_gone "志愿者9"
# A number of the county's other station: not in a station user's scope.
tmux_keys "$QIAN" Tab
ok "a number outside the scope is not registered" wait_for "未注册"
unlike "and not named" "$(tmux_screen)" "钱芳"
tmux_keys BTab C-k
wait_gone "未注册" >/dev/null
# The last four digits the mask shows: the one volunteer they end.
tmux_keys "$(vid 3 | cut -c15-18)" Tab
ok "the last digits find the one volunteer they end" row_like "$(mask "$(vid 3)")_" "志愿者3"
tmux_keys 25 Tab
ok "25 hours are refused on leaving the field" wait_for "不能超过 24"
like "the reason on the hint line, with the row" "$(message_row)" "第 5 行,服务时长:"
like "the row is marked" "$(row_with 志愿者3)" "!  5 "
tmux_keys C-x
ok "Ctrl-X deletes a new row" wait_gone "志愿者3"

# 3. A stored row changed in place; F2 saves it and the new rows at once.
tmux_keys Up Up Up Up Up Up Up Up
ok "a stored row says what is stored" wait_for "第 1 行,已存 3.5 小时,服务时长"
# typed over, as in a spreadsheet: 1 replaces the stored 3.5, never 3.51
tmux_keys 1 Enter
ok "changed, it is marked" wait_for "*  1 1201"
like "the stored hours shown beside the new until the save" "$(row_with 张敏)" \
	"*  1 1201**********0042_ 张敏      1_____ 原 3.5"
like "the foot: once saved and stored now" "$(foot_row)" \
	"保存后合计 4 人,13.0 小时;现已存 2 人,7.5 小时"
tmux_keys Up 记录
ok "a stored row's note changed: the hint says there was none" \
	wait_for "第 1 行,已存 3.5 小时,无备注,备注"
tmux_keys C-k
ok "cleared again: as stored" wait_for "第 1 行,已存 3.5 小时,备注"
tmux_keys F2
ok "F2 saves and says what was added and what changed" wait_for "已保存:新增 2 行,修改 1 行。"
is "in the database" "$(event_hours)" "张敏=1.0 志愿者1=4.0 志愿者2=4.0 赵磊=4.0"
is "a station user's masked grid files no reveal" "$(opens)" 0
tmux_keys Enter
ok "the activity's form: its hours pane totals people and hours" wait_for "共 4 人,13.0 小时"
like "each volunteer's hours in it" "$(row_with 张敏)" "张敏     1.0"
tmux_keys Escape
ok "back to the list" wait_gone "共 4 人,13.0 小时"

# 4. Someone else changes a stored row while the grid is open: a conflict,
# shown; F2 again saves over it knowingly.
tmux_keys g
ok "the grid again, with the rows saved" wait_for "志愿者2"
like "stored: no old value shown" "$(row_with 张敏)" "张敏      1_____         ____"
like "the foot: all stored" "$(foot_row)" "合计 4 人,13.0 小时,均已保存"
# the stored rows by the volunteers' pids, as the hours list orders a day
tmux_keys Up Up Up Up Up Up Up Up
ok "赵磊's stored row" wait_for "第 2 行,已存 4 小时,服务时长"
tmux_keys C-k 5
q "UPDATE sgz.hours SET hours = 6 WHERE volunteer = '$ZHAO' AND activity = '$EVENT'" >/dev/null
tmux_keys F2
ok "the save meets the other change" wait_for "已被他人修改"
like "said with the row and what is stored now" "$(hint_text)" \
	"未保存:第2行,服务时长:表格打开后已被他人修改:现为6.0小时;表格已显示现存内容:再按F2以您录入的内容覆盖"
is "nothing was saved" "$(event_hours)" "张敏=1.0 志愿者1=4.0 志愿者2=4.0 赵磊=6.0"
tmux_keys Tab Up
ok "the grid shows what is stored now" wait_for "第 2 行,已存 6 小时"
like "and keeps what was typed" "$(row_with 赵磊)" "5_"
tmux_keys F2
ok "F2 again saves over it" wait_for "已保存:新增 0 行,修改 1 行。"
is "knowingly" "$(event_hours)" "张敏=1.0 志愿者1=4.0 志愿者2=4.0 赵磊=5.0"

# 5. Ctrl-X on a stored row asks, and deletes it at the save.
tmux_keys g
ok "the grid again" wait_for "志愿者2"
tmux_keys Up Up C-x
ok "Ctrl-X on a stored row asks" wait_for "保存时删除第 4 行已存的服务时长"
like "naming the volunteer masked" "$(tmux_screen)" "$(mask "$V2") 志愿者2,4 小时"
tmux_keys y
ok "the row is marked" wait_for "(保存时删除)"
like "the foot counts it out" "$(foot_row)" "保存后合计 3 人,10.0 小时;现已存 4 人,14.0 小时"
tmux_keys Down Down
ok "marked x when the cursor leaves it" row_like 志愿者2 "x  4 "
tmux_keys F2
ok "deleted at the save" wait_for "已保存:新增 0 行,修改 0 行,删除 1 行。"
is "gone from the database" "$(event_hours)" "张敏=1.0 志愿者1=4.0 赵磊=5.0"

# 6. A day over 24 hours: refused, naming the row, the number masked.
tmux_keys g
ok "the grid again" wait_for "志愿者1"
is "the deleted row is gone" "$(tmux_screen | grep -c 志愿者2)" 0
like "the foot without it" "$(foot_row)" "合计 3 人,10.0 小时,均已保存"
tmux_keys Up Up Up Up Up Up Up Up Up Up Tab Tab C-k F2
ok "F2 with the header changed shows that activity's stored rows first" \
	wait_for "表格已显示该活动已存的服务时长"
ok "the activity-less grid of the day: no stored rows" wait_gone "志愿者1"
tmux_keys 12011019900101002 Tab 1 Enter 赵 Tab 21 Enter F2
ok "the day over 24 hours is refused" wait_for "超过 24 小时"
like "the refusal names the row and the field, wrapped whole" "$(hint_text)" "未保存:第2行,服务时长:"
like "and the day" "$(hint_text)" "在2024-03-05的服务时长合计26.0,超过24小时"
like "the volunteer's number masked" "$(hint_text)" "1201**********0077"
unlike "never in full" "$(tmux_screen)" "$ZHAO"
is "nothing of it was saved" \
	"$(q "SELECT count(*) FROM sgz.hours WHERE service_date = '2024-03-05' AND activity IS NULL")" 0
tmux_keys Escape
ok "Esc asks before discarding typed rows" wait_for "放弃"
tmux_keys y
ok "y discards them" wait_for "g 批量录入"

# 7. Spreadsheet rows pasted: ID<TAB>hours<TAB>note per line.
tmux_keys g
ok "the grid again" wait_for "服务时长 - 批量录入"
printf '%s\t5\t签到\n%s\t3\n' "$(vid 3)" "$(vid 4)" >"$tap_tmp/paste.tsv"
_tmux load-buffer "$tap_tmp/paste.tsv"
_tmux paste-buffer -p -t "$tmux_target"
ok "the pasted rows fill the grid under the stored ones" wait_for "2 行已粘贴"
like "with their note" "$(row_with 志愿者3)" "5_____         签到"
tmux_keys C-w
ok "Ctrl-W saves them" wait_for "已保存:新增 2 行,修改 0 行。"
is "the pasted rows are stored" "$(event_hours)" \
	"张敏=1.0 志愿者1=4.0 志愿者3=5.0/签到 志愿者4=3.0 赵磊=5.0"

# 8. SIGHUP: the typed rows become a grid draft, offered back.
tmux_keys g
ok "the grid again" wait_for "服务时长 - 批量录入"
tmux_keys 12011019900101005 Tab 2 Tab 草稿
wait_for "草稿" >/dev/null
kill -HUP "$(tmux_pid)"
wait_exit 10 >/dev/null
is "the draft holds the number as it was shown, never in full" \
	"$(grep -rlF -e "$V5" "$XDG_STATE_HOME" | wc -l) $(grep -rlF -e "$(mask "$V5")" "$XDG_STATE_HOME" | wc -l)" \
	"0 1"
as_station
ok "the draft is offered at the next start" wait_for "批量录入 120110001000 2024-03-05"
tmux_keys r
ok "r opens the grid again with the row" wait_for "志愿者5"
like "its number masked, its note" "$(row_with 志愿者5)" "$(mask "$V5")_ 志愿者5   2_____         草稿"
tmux_keys Escape y
wait_for "q 退出" >/dev/null

# 9. Keystrokes for 30 volunteers (spec/bench.md): an ID prefix of 17
# characters, Tab, hours, Enter per row; the data is the 18-character ID
# and the hours.
tmux_keys 2 2
wait_for "$EVENT" >/dev/null
tmux_keys g
wait_for "服务时长 - 批量录入" >/dev/null
keys=0
data=0
i=11
while [ $i -le 40 ]; do
	prefix=$(printf '12011019900101%03d' $i)
	tmux_keys "$prefix" Tab 2 Enter
	keys=$((keys + ${#prefix} + 3))
	data=$((data + 18 + 1))
	i=$((i + 1))
done
tmux_keys F2
ok "30 rows typed and saved" wait_for "已保存:新增 30 行,修改 0 行。"
echo "# keystrokes for 30 volunteers: $keys; the data's characters: $data; budget: $((data + 60))"
ok "the keystrokes are within the data + 2 per row" [ $keys -le $((data + 60)) ]
tmux_keys Escape Escape q
wait_exit 10 >/dev/null

# 10. A county user: the grid of a station of his county, masked; a prefix
# forty volunteers share listed as far as the screen holds, the rest
# counted; a number of the county's other station is his.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dlq "$SGZ_BIN"
ok "the county user's menu" wait_for "q 退出"
tmux_keys 2 2
ok "his activity list" wait_for "$EVENT"
tmux_keys g
ok "the activity's grid" wait_for "服务时长 - 批量录入"
like "its stored rows masked, with the names" "$(row_with 志愿者30)" "$(mask "$(vid 30)")_ 志愿者30"
unlike "no full number on the screen" "$(tmux_screen)" "$ZHAO"
# PgUp, PgDn: a page of rows (17 at 80x24, less the one kept), the same column
r0=$(message_row | sed -n 's/^第 \([0-9]*\) 行.*/\1/p')
tmux_keys PgUp
ok "PgUp: a page of rows up" wait_for "第 $((r0 - 16)) 行,"
like "the rows scrolled under the cursor" "$(row_with "> $((r0 - 16)) ")" "1201**********"
tmux_keys PgDn
ok "PgDn: a page down, back on the new row" wait_for "第 $r0 行,志愿者"
tmux_keys 120110199001010 Tab
ok "forty match the prefix: said" wait_for "有 40 位志愿者"
like "naming what was typed" "$(hint_text)" "有40位志愿者与120110199001010相符"
tmux_keys BTab
ok "as many listed as fit, the rest counted" wait_for "另有 31 位"
like "the first of them, masked with the name" "$(row_with "$(mask "$V1") 志愿者1")" "志愿者1"
tmux_keys C-k
ok "Ctrl-K: the list goes" wait_gone "另有 31 位"
tmux_keys "$QIAN"
ok "a full number shows as typed" wait_for "$QIAN"
tmux_keys Tab
ok "the county's volunteer of another station: found, named" wait_for "钱芳"
like "masked" "$(row_with 钱芳)" "$(mask "$QIAN")_ 钱芳"
unlike "the typed number is no longer shown" "$(tmux_screen)" "$QIAN"
tmux_keys 2 F2
ok "saved" wait_for "已保存:新增 1 行,修改 0 行。"
is "in the database, by pid" "$(q "SELECT v.name || '=' || h.hours FROM sgz.hours h
	JOIN sgz.volunteer v ON v.pid = h.volunteer_pid WHERE h.volunteer = '$QIAN'")" "钱芳=2.0"
is "a county user's masked grid files no reveal" "$(opens)" 0
tmux_keys Escape Escape q
wait_exit 10 >/dev/null

# 11. An administrator sees full numbers; each one shown is filed.
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出" >/dev/null
tmux_keys 2 2
wait_for "$EVENT" >/dev/null
tmux_keys g
ok "the administrator's grid" wait_for "服务时长 - 批量录入"
like "shows the full number" "$(row_with 志愿者33)" "$(vid 33)"
is "and files each stored row's number as an open of the volunteer" \
	"$(q "SELECT count(*) FROM sgz.audit WHERE action = 'open' AND table_name = 'volunteer'
	      AND new->>'shown' = 'hours grid' AND key IN (SELECT to_jsonb(volunteer)
	      FROM sgz.hours WHERE activity = '$EVENT')")" \
	"$(q "SELECT count(*) FROM sgz.hours WHERE activity = '$EVENT'")"
tmux_keys 12011019900101006 Tab
ok "a number completed from a prefix is shown in full" wait_for "$(vid 6)"
is "and filed" "$(q "SELECT count(*) FROM sgz.audit WHERE action = 'open'
	AND key = to_jsonb('$(vid 6)'::text)")" 1
# several found by a prefix: masked, none of them filed; the one F5 shows
# is revealed and filed
tmux_keys 1 Enter 1201101990010100 Tab
wait_for "有 9 位志愿者" >/dev/null
tmux_keys BTab
ok "several found by a prefix: listed" wait_for "志愿者8"
like "masked, to an administrator too" "$(row_with 志愿者8)" "$(mask "$(vid 8)") 志愿者8"
is "none of them filed" "$(q "SELECT count(*) FROM sgz.audit WHERE action = 'open'
	AND key = to_jsonb('$(vid 8)'::text)")" 0
tmux_keys F5 F5 F5 F5 F5 F5 F5 F5
ok "the one F5 shows is revealed" wait_for "$(vid 8)"
is "and filed, once" "$(q "SELECT count(*) FROM sgz.audit WHERE action = 'open'
	AND key = to_jsonb('$(vid 8)'::text) AND new->>'shown' = 'hours grid'")" 1
unlike "the others in the list stay masked" "$(tmux_screen)" "$(vid 9)"

# 12. Row numbers of 1,000 and above are shown whole.
awk 'BEGIN { for (i = 0; i < 1001; i++) printf "x\t1\n" }' >"$tap_tmp/many.tsv"
_tmux load-buffer "$tap_tmp/many.tsv"
_tmux paste-buffer -p -t "$tmux_target"
ok "a thousand rows pasted" wait_for "1001 行已粘贴" 60
like "the row numbers past 999 whole, the columns moved right" "$(tmux_screen)" "!1036 x_"
tmux_keys Escape y
ok "discarded" wait_for "g 批量录入"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0
