#!/bin/sh
# paste.sh - a bracketed paste goes only into a text field or the hours grid
# (spec/keys.md): the real binary in tmux at 80x24, in Chinese, against a
# real PostgreSQL. On a list, a menu or a dialog it is refused with a
# message and none of it runs as keys ("dy" on a list deleted a record; a
# long paste opened a form and typed into it); a one-line field takes the
# first line, tabs as spaces, and the focus stays; a multi-line field takes
# the lines; a paste that arrives while a query runs waits whole for it,
# its Esc no cancel and its letters no commands.
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
"$SGZ_BIN" import plans "$F/plans.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "plans import failed"

refused="粘贴的内容只能放进输入框或工时表格,这里没有粘贴任何内容。"
first_line="此栏只能填一行,只粘贴了第一行。"

# paste TEXT - TEXT (printf's escapes) as the terminal's bracketed paste.
paste() {
	printf "$1" >"$tap_tmp/paste.txt"
	_tmux load-buffer "$tap_tmp/paste.txt"
	_tmux paste-buffer -p -t "$tmux_target"
}

# paste_file FILE - the file as one bracketed paste.
paste_file() {
	_tmux load-buffer "$1"
	_tmux paste-buffer -p -t "$tmux_target"
}

nplans() { q "SELECT count(*) FROM sgz.plan"; }

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

# The message line(s) above the status line, joined.
message() {
	tmux_screen | tail -n 4 | head -n 3 | sed 's/^ *//; s/ *$//' | tr -d '\n'
}

tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出" || bail "sgz did not start"

# 1. "dy" pasted on the plans list: refused, nothing deleted.
tmux_keys 1 5
wait_for "东丽区       2024" || bail "no plans list"
paste 'dy'
ok "a paste on a list is refused with a message" wait_for "$refused"
is "nothing was deleted" "$(nplans)" 1
unlike "no delete dialog opened" "$(tmux_screen)" "删除建设计划"

# 2. 2,000 lines pasted on the list: no form opens, nothing is typed.
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "a120111\t2025\t%d\n", i }' \
	>"$tap_tmp/long.txt"
tmux_keys Down
wait_gone "$refused"
paste_file "$tap_tmp/long.txt"
ok "a 2,000-line paste on a list is refused too" wait_for "$refused"
unlike "it opened no form" "$(tmux_screen)" "建设计划 - 新增"
is "and added nothing" "$(nplans)" 1

# 3. The list's filter is a text field: it takes the first line.
tmux_keys /
wait_for "筛选:"
paste '1201\nzzz\n'
ok "the filter takes the first line of a paste" wait_for "筛选:1201_"
like "and says the rest was left out" "$(message)" "$first_line"
tmux_keys Escape
wait_gone "筛选:"

# 4. A dialog: a pasted "y" answers nothing.
tmux_keys d
wait_for "删除建设计划 东丽区 2024?"
paste 'y'
ok "a paste on a dialog is refused" wait_for "$refused"
like "the dialog is still open" "$(tmux_screen)" "删除建设计划 东丽区 2024?"
is "nothing was deleted by it" "$(nplans)" 1
tmux_keys n
wait_gone "删除建设计划 东丽区 2024?"

# 5. A form: a paste of rows and cells stays in the field it started in.
tmux_keys a
wait_for "建设计划 - 新增"
paste '120111\t2026\t5\n120112\t2027\t6\n'
ok "the field takes the first line, tabs as spaces" wait_for "120111 2026 5_"
like "and says the rest was left out" "$(message)" "$first_line"
like "the next field got nothing" "$(row_with "*年度" | tr -s ' ')" "*年度 ____________"
like "the focus stayed on the first field" "$(row_with "120111 2026 5")" ">*行政区划"
tmux_keys C-k
paste '120111\r\n'
wait_for "120111_" >/dev/null
like "a spreadsheet cell (text, CR LF) goes in whole" "$(row_with "120111_" | tr -s ' ')" \
	">*行政区划 120111_"
unlike "and that is one line: nothing said" "$(message)" "$first_line"
# the F5 picker's filter takes the first line, typed as keys
tmux_keys C-k F5
ok "F5 opens the division's picker" wait_for "选择:"
# (its first rows shown: the look-up done)
wait_for "北京市" >/dev/null
paste '120111\n120112\n'
ok "the picker's filter takes the first line of a paste" wait_for "> 120111"
like "and says the rest was left out" "$(message)" "$first_line"
unlike "the second line was not typed" "$(tmux_screen)" "> 120111120112"
tmux_keys Escape
wait_gone "选择:"
# a paste that arrives while the picker's first look-up still runs is kept
# for the picker, not left out
tmux_keys F5
paste '120112\n120111\n'
ok "a paste during the picker's first look-up reaches its filter" wait_for "> 120112"
like "and says the rest was left out" "$(message)" "$first_line"
tmux_keys Escape
wait_gone "选择:"
tmux_keys Escape
wait_for "放弃"
tmux_keys y
wait_for "东丽区       2024"
is "the form saved nothing" "$(nplans)" 1

# 6. A multi-line field takes the lines (a visit's summary).
tmux_keys Escape Escape 3 3
wait_for "a 新增"
tmux_keys a
wait_for "服务记录"
paste '120110001-2024-0001'
wait_for "120110001-2024-0001_"
tmux_keys Tab
paste '2024-03-05\r\n'
wait_for "2024-03-05_"
tmux_keys Tab
tmux_keys -l phone
tmux_keys Tab Tab
ok "the focus reaches the summary" wait_for "> 服务记录"
paste '第一行\n第二行\n'
ok "a multi-line field takes the lines" wait_for "第一行⏎第二行"
tmux_keys Escape
wait_for "放弃"
tmux_keys y
wait_for "a 新增"
tmux_keys Escape Escape
wait_for "q 退出"

# 7. The main menu: lines of digits open nothing, a pasted q quits nothing.
paste '2\nq\n3\n'
ok "a paste on a menu is refused" wait_for "$refused"
like "the main menu is still there" "$(tmux_screen)" "1  站点台账"
unlike "no submenu opened" "$(tmux_screen)" "志愿者"
tmux_keys 5
wait_for "Tab 参数"
paste '1\n'
ok "a paste on the list of reports is refused" wait_for "$refused"
like "it ran no report: the choice is still there" "$(tmux_screen)" "Tab 参数"
tmux_keys Escape
wait_for "q 退出"

# 8. A paste while a query waits (the plans locked by another session):
# gathered whole, its Esc no cancel, then refused on the list that opened.
mkfifo "$tap_tmp/lock.in"
psql -Xq <"$tap_tmp/lock.in" >/dev/null 2>&1 &
locker=$!
exec 9>"$tap_tmp/lock.in"
echo "BEGIN; LOCK TABLE sgz.plan IN ACCESS EXCLUSIVE MODE; SELECT 1;" >&9
sleep 0.5
tmux_keys 1 5
ok "the list waits for the lock" wait_for "正在处理……按 Esc 取消。"
paste '\033dy'
sleep 0.5
unlike "the Esc in the paste cancelled nothing" "$(tmux_screen)" "已取消。"
echo "COMMIT;" >&9
exec 9>&-
wait "$locker"
ok "the list opens once the lock is gone" wait_for "东丽区       2024"
ok "then the paste is refused there" wait_for "$refused"
unlike "no delete dialog opened" "$(tmux_screen)" "删除建设计划"
is "nothing was deleted" "$(nplans)" 1

tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0
