#!/bin/sh
# grid.sh - the hours grid end to end: the real binary in tmux at 80x24
# against a real PostgreSQL loaded with the fixtures. Opened from the
# activity 学雷锋志愿服务日 with its station and date filled in; rows typed
# with ID prefixes and names completed by Tab, the name shown; ditto; a
# refused value (25 hours) with its reason; Ctrl-X; all rows saved in one
# statement and found with psql; a day over 24 hours refused naming the
# row; spreadsheet rows pasted (bracketed paste); typed rows kept as a grid
# draft past SIGHUP and offered back; the keystrokes of 30 volunteers
# against spec/bench.md's budget (the data's characters + 2 per row).
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 38

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in organizations stations staff volunteers activities hours; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done

# 30 more volunteers of the station, 120110199001010010 to ..0300 with
# their check digits (GB 11643), for the keystroke count.
awk 'BEGIN {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
	split("1 0 X 9 8 7 6 5 4 3 2", c, " ")
	print "id_number,name,phone,station,team,registered_on,skills"
	for (i = 1; i <= 30; i++) {
		id = sprintf("12011019900101%03d", i)
		s = 0
		for (k = 1; k <= 17; k++)
			s += substr(id, k, 1) * w[k]
		printf "%s%s,志愿者%d,,120110001000,,2020-01-01,\n", id, c[s % 11 + 1], i
	}
}' >"$tap_tmp/v30.csv"
"$SGZ_BIN" import volunteers "$tap_tmp/v30.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "volunteer import failed"

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}
message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}
# The message and hint lines, wrapped over up to three rows above the
# status line, as one text without spaces (a break may fall at one).
hint_text() {
	tmux_screen | tail -n 4 | head -n 3 | tr -d ' \n'
}
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

# 1. From the activity list: g opens its grid, station and date filled in.
tmux_start "$SGZ_BIN" --lang zh_CN
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 2 2
ok "the activity list" wait_for "学雷锋志愿服务日"
like "the list's status line shows g" "$(last_row)" "g 批量录入"
tmux_keys g
ok "g opens the grid" wait_for "服务时长 - 批量录入"
like "the header: the activity's station, date and title" "$(tmux_screen | sed -n 3p)" \
	"所属站点 120110001000_  服务日期 2024-03-05_  活动名称 学雷锋志愿服务日"

# 2. Rows: an ID prefix completed with its name, ditto, a refusal, delete.
tmux_keys 1201101970 Tab 4 Enter
ok "Tab completes an ID prefix and shows the name" wait_for "张敏"
like "the prefix became the ID" "$(row_with 张敏)" "120110197007070042"
tmux_keys 赵 Tab C-d Enter
ok "a name completes too" wait_for "120110199512310077"
like "its name beside it" "$(row_with 120110199512310077)" "赵磊"
like "ditto copied the hours of the row above" "$(row_with 赵磊)" "4"
tmux_keys 12011019900101001 Tab 25 Tab
ok "25 hours are refused on leaving the field" wait_for "24"
like "the reason on the hint line, with the row" "$(message_row)" "第 3 行,服务时长:"
like "the row is marked" "$(row_with 志愿者1)" "!  3 "
tmux_keys C-x
ok "Ctrl-X deletes the row" wait_gone "志愿者1"

# 3. F2 saves all rows at once.
tmux_keys F2
ok "F2 saves and closes the grid" wait_for "2 行已保存"
is "the rows are in the database" \
	"$(q "SELECT string_agg(volunteer || '=' || hours, ' ' ORDER BY volunteer) FROM sgz.hours
	      WHERE service_date = '2024-03-05' AND activity = '学雷锋志愿服务日'")" \
	"120110197007070042=4.0 120110199512310077=4.0"

# 4. A day over 24 hours: refused, naming the row, nothing saved.
tmux_keys g
ok "the grid again" wait_for "服务时长 - 批量录入"
tmux_keys Up Tab Tab C-k Tab 12011019900101002 Tab 1 Enter 赵 Tab 21 Enter F2
ok "the day over 24 hours is refused" wait_for "超过 24 小时"
like "the refusal names the row and the field, wrapped whole" "$(hint_text)" \
	"未保存:第2行,服务时长:120110199512310077在2024-03-05的服务时长合计25.0,超过24小时"
is "nothing of it was saved" \
	"$(q "SELECT count(*) FROM sgz.hours WHERE service_date = '2024-03-05' AND activity IS NULL")" 0
tmux_keys Escape
ok "Esc asks before discarding typed rows" wait_for "放弃"
tmux_keys y
ok "y discards them" wait_for "g 批量录入"

# 4b. The same volunteer twice: said on leaving the ID field, not at the save.
tmux_keys g
ok "the grid again" wait_for "服务时长 - 批量录入"
tmux_keys 1201101970 Tab 1 Enter 张 Tab
ok "a volunteer typed twice is refused on leaving the field" wait_for "与第 1 行是同一位志愿者"
like "naming the row and the field" "$(message_row)" "第 2 行,志愿者身份证号:"
tmux_keys C-k z l Tab 2 Enter
ok "another, found by the pinyin initials of the name, is taken" wait_for "赵磊"
tmux_keys Escape y
ok "discarded" wait_for "g 批量录入"

# 5. Spreadsheet rows pasted: ID<TAB>hours<TAB>note per line.
tmux_keys g
ok "the grid again" wait_for "服务时长 - 批量录入"
printf '120110197007070042\t5\t签到\n120110199512310077\t3\n' >"$tap_tmp/paste.tsv"
_tmux load-buffer "$tap_tmp/paste.tsv"
_tmux paste-buffer -p -t "$tmux_target"
ok "the pasted rows fill the grid" wait_for "2 行已粘贴"
like "with their note" "$(row_with 张敏)" "5_____ 签到"
tmux_keys C-w
ok "Ctrl-W saves them" wait_for "2 行已保存"
is "the pasted rows are stored" \
	"$(q "SELECT string_agg(volunteer || '=' || hours || coalesce('/' || note, ''), ' '
	      ORDER BY volunteer) FROM sgz.hours
	      WHERE service_date = '2024-03-05' AND activity = '学雷锋志愿服务日'")" \
	"120110197007070042=5.0/签到 120110199512310077=3.0"

# 6. SIGHUP: the typed rows become a grid draft, offered back.
tmux_keys g
ok "the grid again" wait_for "服务时长 - 批量录入"
tmux_keys 1201101970 Tab 2 Tab 草稿
wait_for "草稿" >/dev/null
kill -HUP "$(tmux_pid)"
wait_exit 10 >/dev/null
tmux_start "$SGZ_BIN" --lang zh_CN
ok "the draft is offered at the next start" wait_for "批量录入 120110001000 2024-03-05"
tmux_keys r
ok "r opens the grid again with the row" wait_for "张敏"
like "and its note" "$(row_with 张敏)" "草稿"
tmux_keys Escape y
wait_for "q 退出" >/dev/null

# 7. Keystrokes for 30 volunteers (spec/bench.md): an ID prefix of 17
# characters, Tab, hours, Enter per row; the data is the 18-character ID
# and the hours.
tmux_keys 2 2
wait_for "学雷锋志愿服务日" >/dev/null
tmux_keys g
wait_for "服务时长 - 批量录入" >/dev/null
keys=0
data=0
i=1
while [ $i -le 30 ]; do
	prefix=$(printf '12011019900101%03d' $i)
	tmux_keys "$prefix" Tab 2 Enter
	keys=$((keys + ${#prefix} + 3))
	data=$((data + 18 + 1))
	i=$((i + 1))
done
tmux_keys F2
ok "30 rows typed and saved" wait_for "30 行已保存"
echo "# keystrokes for 30 volunteers: $keys; the data's characters: $data; budget: $((data + 60))"
ok "the keystrokes are within the data + 2 per row" [ $keys -le $((data + 60)) ]
