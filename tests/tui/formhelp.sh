#!/bin/sh
# formhelp.sh - forms that help (spec/work.md; keys.md, Forms and grids):
# the real binary in tmux at 80x24, in Chinese, as a station user linked
# to her staff record (sgz user add --staff) and as a county user. A new
# hours, visit and case form shows today and the station; a new case
# starts as 接案 with the user herself as its worker; a visit's worker
# follows its case; a case's station follows its recipient's village;
# Shift-Tab and Up move out of an empty required field, the refusal said;
# F2 refuses naming the field and puts the cursor there; F3 keeps the
# worker; a save names the record with its assigned case number and the
# list has it selected; the delete question names the record.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 31

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
for e in divisions organizations stations service_points staff volunteers activities hours \
	recipients cases visits; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station --staff 12011019850315002X \
	>>"$tap_tmp/setup.out" 2>&1 || bail "sgz user add zgz failed"
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add dl failed"
cd "$tap_tmp" || bail "no scratch directory"

TODAY=$(date +%Y-%m-%d)

# The line of the screen holding TEXT.
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

# The message line, just above the status line.
message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}

# The label of the field the cursor is on.
cursor_label() {
	tmux_screen | sed -n "$(($(tmux_format '#{cursor_y}') + 1))p" |
		sed -E 's/^...//; s/  .*$//'
}

# wait_label LABEL - until the cursor is on the field LABEL (5 s at most).
wait_label() {
	_n=0
	while [ "$(cursor_label)" != "$1" ] && [ $_n -lt 100 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	[ "$(cursor_label)" = "$1" ]
}

tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
wait_for "我的在办个案" || bail "no desk"
tmux_keys Escape
wait_for " 0  工作台" || bail "no menu"

# 1. Service hours: today and the station.
tmux_keys 2 3
wait_for "服务时长" || bail "no hours list"
wait_for "a 新增" || bail "no hours list"
tmux_keys a
ok "a new hours record" wait_for "服务时长 - 新增"
like "its service date is today" "$(row_with "服务日期")" "$TODAY"
like "its station the user's" "$(row_with "所属站点")" "120110001000__ 张贵庄街道"
tmux_keys Escape
wait_gone "服务时长 - 新增" || bail "the form stays"
tmux_keys Escape Escape
wait_for " 0  工作台" || bail "no menu"

# 2. A new case: 接案, today, the station, herself as the worker.
tmux_keys 3 2
wait_for "个案编号" || bail "no case list"
tmux_keys a
ok "a new case" wait_for "个案 - 新增"
like "its status is 接案" "$(row_with "*状态")" "接案"
like "opened today" "$(row_with "接案日期")" "$TODAY"
like "at her station" "$(row_with "所属站点")" "120110001000__ 张贵庄街道"
like "her own staff record is the worker" "$(row_with "责任社工")" "1201**********002X__ 王芳"

# moving never traps: out of the empty recipient and back
tmux_keys Tab
wait_label "受助对象" || bail "not on the recipient"
tmux_keys BTab
ok "Shift-Tab moves out of an empty required field" wait_label "个案编号"
like "the refusal is said on leaving it" "$(message_row)" "受助对象:必填"
like "and marked" "$(row_with "受助对象")" "!*受助对象"
tmux_keys Tab Down
ok "Down moves on out of it too" wait_label "所属站点"
tmux_keys Up Up
ok "Up moves back out of it" wait_label "个案编号"
tmux_keys -l "x"
# (waited for: the key is drawn after it is sent)
row_has() {
	_n=0
	while ! row_with "$1" | grep -qF -- "$2" && [ $_n -lt 100 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	row_with "$1" | grep -qF -- "$2"
}
ok "typing lands in the field the cursor shows" row_has "个案编号" "x"
tmux_keys C-k
tmux_keys F2
ok "F2 refuses naming the empty field" wait_for "受助对象:必填"
ok "with the cursor on it" wait_label "受助对象"

# the recipient typed: F3 saves, names the case with its number, keeps the worker
tmux_keys -l "120110195001010066"
tmux_keys Tab Tab Tab
wait_label "服务方式" || bail "not on the method"
tmux_keys -l "个案"
tmux_keys F3
ok "F3 saves and names the case" wait_for "已保存:个案 120110001-2026-"
NO=$(q "SELECT case_no FROM sgz.case_file WHERE opened_on = current_date")
like "with its assigned number and its recipient" "$(message_row)" "已保存:个案 $NO 刘大爷"
like "F3 keeps the worker" "$(row_with "责任社工")" "1201**********002X__ 王芳"
like "and the status proposed again" "$(row_with "*状态")" "接案"
is "the database has her as the worker" \
	"$(q "SELECT worker FROM sgz.case_file WHERE case_no = '$NO'")" "12011019850315002X"
tmux_keys Escape
wait_gone "个案 - 新增" || bail "the form stays"

# the list has the case saved selected
tmux_keys Enter
ok "the list has the saved case selected" wait_for "个案档案 $NO 刘大爷"
tmux_keys Escape
wait_gone "个案档案" || bail "the case file stays"
tmux_keys d
ok "the delete question names the case" wait_for "删除个案 $NO 刘大爷?"
tmux_keys n
wait_gone "删除个案" || bail "the question stays"
tmux_keys Escape Escape
wait_for " 0  工作台" || bail "no menu"

# 3. A new visit: today, the worker hers until the case says whose it is.
tmux_keys 3 3
wait_for "下次回访" || bail "no visit list"
tmux_keys a
ok "a new visit" wait_for "走访记录 - 新增"
like "its date is today" "$(row_with "服务日期")" "$TODAY"
like "its worker the user until a case is given" "$(row_with "社工  ")" "1201**********002X__ 王芳"
tmux_keys -l "120110001-2024-0002"
tmux_keys Tab
ok "the case's worker follows the case" wait_for "1201**********003X__ 李强"
tmux_keys Escape y
wait_gone "走访记录 - 新增" || bail "the form stays"
tmux_stop

# 4. A county user: no station proposed, then the recipient's.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
wait_for "工作台" || bail "no desk"
tmux_keys Escape
wait_for " 0  工作台" || bail "no menu"
tmux_keys 3 2
wait_for "个案编号" || bail "no case list"
tmux_keys a
wait_for "个案 - 新增" || bail "no case form"
unlike "no station proposed to a county user" "$(row_with "所属站点")" "1201"
tmux_keys Tab
tmux_keys -l "120110195001010066"
tmux_keys Tab
ok "the station follows the recipient's village" wait_for "120110001000__ 张贵庄街道"
tmux_keys Escape y
wait_gone "个案 - 新增" || bail "the form stays"

# a station typed first stays what was typed
tmux_keys a
wait_for "个案 - 新增" || bail "no case form"
tmux_keys Tab Tab
wait_label "所属站点" || bail "not on the station"
tmux_keys -l "120110002"
tmux_keys BTab
wait_label "受助对象" || bail "not on the recipient"
tmux_keys -l "120110195001010066"
tmux_keys Tab
ok "the recipient is named" wait_for "120110195001010066__ 刘大爷"
like "a station typed is never replaced by a proposal" "$(row_with "所属站点")" "120110002000__ 丰年村街道"
tmux_keys Escape y
wait_gone "个案 - 新增" || bail "the form stays"
tmux_stop
