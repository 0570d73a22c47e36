#!/bin/sh
# entities.sh - the generic screens of the data dictionary end to end: the
# real binary in tmux at 80x24 against a real PostgreSQL loaded with the
# fixtures. The submenus, the station list and its `/` filter in Chinese,
# open, edit and save, a refused value with its reason (the form keeps every
# field), a rule of the database refused on its field, the type-ahead
# picker, add, save-and-next with sticky fields and ditto, delete and delete
# refused where referenced, export, someone else's save (the conflict
# dialog), a lost connection, help, and a resize that loses nothing.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 118

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
# Drafts go to a state directory of the test's own.
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in organizations stations staff volunteers; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}

# The message line, just above the status line.
message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}

# Waits until the cursor is on screen row Y (0-based), or 5 s.
wait_cursor() {
	_n=0
	while [ "$(tmux_format '#{cursor_y}')" != "$1" ] && [ $_n -lt 100 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	[ "$(tmux_format '#{cursor_y}')" = "$1" ]
}

# The line of the screen holding TEXT.
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

# Exports write into the directory sgz runs in.
cd "$tap_tmp" || bail "no scratch directory"

# 1. The submenu of stations and the station list.
tmux_start "$SGZ_BIN" --lang zh_CN
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 1
ok "1 opens the stations submenu" wait_for "5  建设计划"
is "the submenu's status line" "$(last_row)" "1-8 打开  Enter 打开  ? 帮助  Esc 返回"
like "its entities come from the dictionary" "$(tmux_screen)" "2  社工站"
tmux_keys 2
ok "2 opens the station list" wait_for "东丽区丰年村街道社会工作服务站"
like "the list shows the key column first" "$(tmux_screen | sed -n 3p)" "乡镇(街道)   站点名称"
like "choices show their Chinese labels" "$(row_with 120110001000)" "运营中"
is "the list's status line (g: the evaluation sheet)" "$(last_row)" "Enter 打开  / 筛选  a 新增  d 删除  e 导出  ? 帮助  Esc 返回  g 评分表"

# 2. The filter, with Chinese text.
tmux_keys /
ok "/ asks for a filter" wait_for "Enter 确定  Esc 清除"
tmux_keys -l "丰年"
tmux_keys Enter
ok "Enter applies it" wait_gone "120110001000"
like "the matching station stays" "$(tmux_screen)" "东丽区丰年村街道社会工作服务站"
like "the heading says what filters" "$(tmux_screen | sed -n 2p)" "筛选:丰年"
tmux_keys / Escape
ok "/ then Esc clears it" wait_for "120110001000"

# 3. Open, edit, save.
tmux_keys Down Enter
ok "Enter opens the record" wait_for "社工站 - 修改 120110002000 东丽区丰年村街道"
like "the form marks required fields" "$(row_with "乡镇(街道)")" "*乡镇(街道)"
like "a choice shows its label" "$(row_with "*状态")" "已挂牌"
tmux_keys Tab C-k
tmux_keys -l "丰年村社工站"
tmux_keys F2
ok "F2 saves and closes" wait_for "已保存:社工站 120110002000 东丽区丰年村街道"
like "the list shows the new name" "$(row_with 120110002000)" "丰年村社工站"
is "the database has it, row_version bumped" \
	"$(q "SELECT name || ' ' || row_version FROM sgz.station WHERE township = '120110002000'")" \
	"丰年村社工站 2"

# 4. A refused value: the reason on the status line, every field kept.
tmux_keys Enter
wait_for "修改 120110002000"
tmux_keys Tab Tab Tab Tab C-k
tmux_keys -l "2021-02-30"
tmux_keys Tab
ok "leaving a bad date says why, in Chinese" wait_for "挂牌日期:没有这一天:2021-02-30"
like "the field is marked refused" "$(row_with "挂牌日期")" "! 挂牌日期    2021-02-30"
like "the other fields are as they were" "$(row_with "站点名称")" "丰年村社工站"
# moving never traps (spec/work.md): the cursor went on to the next field
# (the field's own row: the station page's lines on top move the fields)
dated=$(($(tmux_screen | grep -n -F '! 挂牌日期' | head -n 1 | cut -d: -f1) - 1))
ok "the cursor moved on to the next field" wait_cursor $((dated + 1))
like "the mark stays on the refused field" "$(row_with "挂牌日期")" "! 挂牌日期"
tmux_keys BTab
ok "Shift-Tab goes back to it" wait_cursor "$dated"
tmux_keys C-k
tmux_keys -l "2021年8月3日"
tmux_keys Tab
ok "a good date in another form is taken" wait_for "2021-08-03"
like "and the mark goes" "$(row_with "挂牌日期")" "  挂牌日期"
tmux_keys Escape
ok "Esc asks before discarding typed input" wait_for "放弃刚才输入的内容?"
tmux_keys n
ok "n keeps editing" wait_gone "放弃刚才输入的内容?"
like "with the input intact" "$(row_with "挂牌日期")" "2021-08-03"
tmux_keys Escape y
ok "y discards" wait_for "Enter 打开  / 筛选"
is "nothing was written" \
	"$(q "SELECT established_on FROM sgz.station WHERE township = '120110002000'")" "2021-08-02"

# 5. A rule across fields, refused on its field; the form stays as typed.
tmux_keys Up Enter
wait_for "修改 120110001000"
tmux_keys Tab C-k
tmux_keys -l "新名称"
tmux_keys Tab Tab Tab C-k F2
ok "the rule's message names the field, in Chinese" \
	wait_for "未保存:挂牌日期:状态为\"运营中\"的社工站需要填写挂牌日期"
like "the cursor is put on it" "$(row_with "挂牌日期")" "! 挂牌日期"
like "what was typed is still there" "$(row_with "站点名称")" "新名称"
tmux_keys Escape y
wait_for "Enter 打开  / 筛选"

# 6. The picker: choices by label, type-ahead.
tmux_keys Down Enter
wait_for "修改 120110002000"
tmux_keys Tab Tab Tab F5
ok "F5 opens the picker" wait_for "选择:状态"
like "with every choice, by its label alone" "$(tmux_screen)" "|撤销   "
tmux_keys -l "运"
ok "typing narrows it" wait_gone "|撤销"
tmux_keys Enter
ok "Enter takes the choice" wait_for "运营中__"
tmux_keys F2
wait_for "已保存:社工站 120110002000 东丽区丰年村街道"
is "the code is stored" "$(q "SELECT status FROM sgz.station WHERE township = '120110002000'")" \
	"operating"

# 7. Add a record, then delete it.
tmux_keys a
ok "a opens a new form" wait_for "社工站 - 新增"
tmux_keys -l "120110003"
tmux_keys Tab Tab
tmux_keys -l "2025"
tmux_keys Tab
tmux_keys -l "规划"
tmux_keys F2
ok "the new station is listed with its default name" wait_for "东丽区万新街道社会工作服务站"
like "planned, as typed" "$(row_with 120110003000)" "规划中"
tmux_keys Down Down d
ok "d asks first" wait_for "删除社工站 120110003000"
like "naming the record" "$(tmux_screen)" "删除社工站 120110003000 东丽区万新街道?"
tmux_keys y
ok "y deletes" wait_for "已删除。"
is "it is gone from the database" \
	"$(q "SELECT count(*) FROM sgz.station WHERE township = '120110003000'")" "0"

# 8. Delete refused where referenced.
tmux_keys Up Up d
wait_for "删除社工站 120110001000 东丽区张贵庄街道?"
tmux_keys y
ok "a referenced station is not deleted" wait_for "不能删除"
like "the dialog says who refers to it" "$(tmux_screen)" "工作人员 2 条、志愿者 2 条"
tmux_keys Enter
is "it is still there" "$(q "SELECT count(*) FROM sgz.station WHERE township = '120110001000'")" "1"

# 9. Export what the list shows.
tmux_keys / 
tmux_keys -l "丰年"
tmux_keys Enter
wait_gone "120110001000"
tmux_keys e
ok "e asks for a file" wait_for "导出到:stations-"
tmux_keys Enter
ok "and writes it, into the export directory" wait_for "1 行已导出到 $HOME/sgz-exports/stations-"
is "the file holds what the list showed, in the import format" \
	"$(sed 1d "$HOME"/sgz-exports/stations-*.csv | cut -d, -f1,2)" "120110002000,丰年村社工站"
tmux_keys / Escape
wait_for "120110001000"

# 10. Someone else saves first: the conflict dialog.
tmux_keys Down Enter
wait_for "修改 120110002000"
q "UPDATE sgz.station SET name = '他人改的名称' WHERE township = '120110002000'" >/dev/null
tmux_keys Tab Tab C-k
tmux_keys -l "2022"
tmux_keys F2
ok "a save after someone else's is a conflict" wait_for "他人已先保存了这条记录"
like "the dialog shows what differs" "$(tmux_screen)" "他人改的名称 (对方的)"
tmux_keys Escape
ok "Esc goes back to the form" wait_gone "他人已先保存"
like "as typed" "$(row_with "建设批次")" "2022"
tmux_keys F2
wait_for "他人已先保存了这条记录"
tmux_keys m
ok "m saves mine over theirs, knowingly" wait_for "已保存:社工站 120110002000 东丽区丰年村街道"
is "mine is stored" \
	"$(q "SELECT name || ' ' || batch_year FROM sgz.station WHERE township = '120110002000'")" \
	"丰年村社工站 2022"

# 11. A lost connection, noticed while idle: said, the form kept and its
# typing written as a draft; the next save goes through and removes it.
tmux_keys Enter
wait_for "修改 120110002000"
tmux_keys Tab Tab C-k
tmux_keys -l "2023"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sgz'" >/dev/null
ok "a lost connection is reported" wait_for "数据库连接曾中断,现已恢复。"
like "the typing is kept as a draft" "$(message_row)" "你的输入已保存为草稿。"
like "the form stays as typed" "$(row_with "建设批次")" "2023"
is "one draft file" "$(ls "$XDG_STATE_HOME/sgz/drafts" | wc -l)" 1
tmux_keys F2
ok "the next save goes through on the restored connection" wait_for "已保存:社工站 120110002000 东丽区丰年村街道"
is "and is stored" "$(q "SELECT batch_year FROM sgz.station WHERE township = '120110002000'")" \
	"2023"
is "the save removed the draft" "$(ls "$XDG_STATE_HOME/sgz/drafts" | wc -l)" 0

# 12. Save-and-next with sticky fields, ditto, on staff.
tmux_keys Escape 4
ok "the staff list" wait_for "王芳"
tmux_keys a
wait_for "工作人员 - 新增"
tmux_keys -l "120110199202020015"
tmux_keys Tab
tmux_keys -l "赵六"
tmux_keys Tab Tab
tmux_keys -l "120110001"
tmux_keys Tab
tmux_keys -l "驻站"
tmux_keys Tab Tab Tab Tab
tmux_keys -l "2024-05-06"
tmux_keys F3
ok "F3 saves and starts the next record" wait_for "已保存:工作人员 赵六 1201**********0015。请录入下一条:"
like "the station is kept" "$(row_with "所属站点")" "120110001000"
like "the hire date is kept" "$(row_with "入职日期")" "2024-05-06"
unlike "the name is not" "$(row_with "姓名")" "赵六"
tmux_keys -l "120110198808080026"
tmux_keys Tab
tmux_keys -l "钱七"
tmux_keys Tab Tab Tab C-d
ok "F4/Ctrl-D copies the field from the record before" wait_for "驻站社工__"
tmux_keys F2
wait_for "钱七"
is "both are stored" \
	"$(q "SELECT string_agg(name || ':' || role, ' ' ORDER BY name) FROM sgz.staff WHERE hired_on = '2024-05-06'")" \
	"赵六:resident 钱七:resident"

# 13. Help, and a resize that loses nothing.
tmux_keys Enter
wait_for "工作人员 - 修改"
tmux_keys Tab C-k
tmux_keys -l "改名中"
tmux_keys F1
ok "F1 shows the form's keys" wait_for "F3, Ctrl-N"
tmux_keys Escape
ok "Esc returns to the form" wait_for "改名中"
tmux_resize 70 20
ok "a small terminal says so" wait_for "终端窗口太小(需要 80x24)"
tmux_resize 80 24
ok "back at 80x24 the form returns" wait_gone "终端窗口太小"
like "with what was typed" "$(row_with "姓名")" "改名中"
tmux_keys Escape y Escape Escape q
is "q quits with status 0" "$(wait_exit 10)" 0

# 14. English.
tmux_start "$SGZ_BIN" --lang en
wait_for "q quit"
tmux_keys 1 2
ok "the English list" wait_for "Township"
is "its status line" "$(last_row)" "Enter open  / filter  a add  d delete  e export  ? help  Esc back  g sheet"
# The division browser is a tree (tests/tui/divisions.sh): the provinces
# first, its search below them.
tmux_keys Escape 1
ok "the division browser" wait_for "110000000000"
tmux_keys /
tmux_keys -l "东丽"
tmux_keys Enter
ok "filtered by Chinese name" wait_for "120110000000 东丽区"
unlike "and only those" "$(tmux_screen)" "110000000000"
tmux_keys Escape
wait_for "110000000000"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 15. Sensitive records (rules.md, work.md): ID numbers masked for everyone,
# an admin included (every reveal is audited); a child's name (under 14, by
# the ID number) masked for everyone but admins; opening it is audited.
"$SGZ_BIN" import divisions "$F/divisions.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "villages"
for e in recipients cases visits; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
audit_opens() { q "SELECT count(*) FROM sgz.audit WHERE action = 'open'"; }
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
tmux_keys 3 1
ok "the recipients list" wait_for "刘大爷"
like "an adult's ID number is masked for an administrator too" "$(row_with "刘大爷")" \
	"1201**********0066"
like "a child's name is shown to an administrator, the number masked" "$(tmux_screen)" \
	"1201**********0051 小明"
unlike "no number in full" "$(tmux_screen)" "120110201506010051"
tmux_keys Enter
ok "an adult's record titled by his name" wait_for "服务对象 - 修改 刘大爷 1201**********0066"
is "opening an adult's record is not an audited event" "$(audit_opens)" 0
tmux_keys Escape Down Enter
ok "the child's record opens, its number masked" wait_for "服务对象 - 修改 小明 1201**********0051"
like "with the name" "$(row_with "姓名")" "小明"
is "and the open is audited" \
	"$(q "SELECT who = session_user, table_name, key #>> '{}', division FROM sgz.audit WHERE action = 'open'")" \
	"t|recipient|120110201506010051|120110001201"

# 16. A multi-line field: the break shows as ⏎, Ctrl-J adds one, Enter
# does not; saved with the line breaks.
tmux_keys Escape Escape 3
wait_for "120110001-2024-0001"
tmux_keys Enter
ok "a visit titled by its case and recipient" wait_for "走访记录 - 修改 120110001-2024-0001 刘大爷 2024-01-15"
like "a stored line break shows as ⏎" "$(row_with "服务记录")" "首次入户评估⏎需要每月回访"
tmux_keys Tab Tab Tab Tab
# Waited for, not read at once: four keys take a moment on a slow build.
ok "the hint says how to break a line" wait_for "可填多行:Ctrl-J 换行(显示为 ⏎)"
like "on the message line" "$(message_row)" "可填多行:Ctrl-J 换行(显示为 ⏎)"
tmux_keys C-j
tmux_keys -l "第三行"
ok "Ctrl-J breaks the line" wait_for "需要每月回访⏎第三行"
tmux_keys Enter
# Let the focus arrive on the next field (bounded poll, 5 s at most).
i=0
while [ $i -lt 100 ] && ! row_with "下次回访" | grep -qF ">"; do
	sleep 0.05
	i=$((i + 1))
done
like "Enter moves on without a break" "$(row_with "服务记录")" "需要每月回访⏎第三行_"
like "to the next field" "$(row_with "下次回访")" ">"
tmux_keys F2
ok "saved" wait_for "已保存:走访记录 120110001-2024-0001 刘大爷 2024-01-15 入户走访"
is "with the line breaks" \
	"$(q "SELECT replace(summary, E'\n', '|') FROM sgz.visit WHERE case_no = '120110001-2024-0001' AND visit_date = '2024-01-15'")" \
	"首次入户评估|需要每月回访|第三行"
tmux_keys Escape Escape q
wait_exit 10 >/dev/null

# 17. A county user: ID numbers masked in every list; the child's open audited as theirs.
"$SGZ_BIN" user add clerk --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add failed"
tmux_start env PGUSER=clerk "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
tmux_keys 3 1
ok "the county user's recipients list" wait_for "刘大爷"
like "an adult's ID number is masked" "$(row_with "刘大爷")" "1201**********0066"
unlike "nowhere in full" "$(tmux_screen)" "120110195001010066"
tmux_keys Escape 3
wait_for "2024-01-15"
like "the visits list names the worker, not his number" "$(row_with "2024-01-15")" \
	"入户走访 王芳 "
tmux_keys Escape 1 Down Enter
wait_for "服务对象 - 修改"
is "the county user's open of the child is audited as theirs" \
	"$(q "SELECT count(*) FROM sgz.audit WHERE action = 'open' AND who = 'clerk'")" 1
# The F5 picker of a person masks as the lists do.
tmux_keys Escape Escape 2
wait_for "120110001-2024-0001"
tmux_keys a
wait_for "个案 -"
tmux_keys Tab F5
ok "the county user's picker of recipients" wait_for "刘大爷"
like "shows an adult's ID number masked" "$(tmux_screen)" "刘大爷 1201**********0066"
like "and a child's number and name masked" "$(tmux_screen)" "小* 1201**********0051"
unlike "never a number in full" "$(tmux_screen)" "120110195001010066"
unlike "nor the child's name" "$(tmux_screen)" "小明"
tmux_keys Enter
ok "picking closes the picker" wait_gone "小* 1201**********0051"
like "and shows the person masked, as the list does" "$(row_with "受助对象")" \
	"1201**********0066"
unlike "never in full" "$(tmux_screen)" "120110195001010066"
tmux_keys Escape
ok "Esc asks before discarding the pick" wait_for "放弃刚才输入的内容?"
tmux_keys y
wait_for "120110001-2024-0001"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0
