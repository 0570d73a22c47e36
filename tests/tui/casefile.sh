#!/bin/sh
# casefile.sh - the case file (spec/work.md, Work screens 2; keys.md a/c):
# the real binary in tmux at 80x24, in Chinese, as a station user. Enter
# on a case opens the case and its visits as one screen: the recipient
# with categories, worker, method, status, risk, opened on, the next
# visit due and the days it is overdue; the visits newest first. `c` on
# a case whose visit is due warns first, and n keeps it open; `a` logs a
# visit: today, the case's worker, the next due date + 30 days
# (visit_interval_days), the case's station named (the database sets
# it: shown before the save), shown with the days left as the desk says them,
# in the case's form's visits pane too; then no visit is due and `c`
# closes without a warning: the date today, the reason asked; the closed
# case shows its closing date, offers no `c`, and `c` says it is closed. A case never visited, its
# first visit due 30 days after it was opened, is closed after the
# warning with y.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 59

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff recipients cases visits; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
# a third case, never visited: its first visit was due on 2024-05-31
printf '%s\n' "case_no,recipient,station,worker,method,opened_on,status" \
	",120110195001010066,120110001000,12011019900101003X,individual,2024-05-01,intake" \
	>"$tap_tmp/case.csv"
"$SGZ_BIN" import cases "$tap_tmp/case.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "case import failed"
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add zgz failed"

q() {
	psql -X -A -t -q -c "$1" 2>/dev/null
}
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
line_of() {
	tmux_screen | grep -n -F -- "$1" | head -n 1 | cut -d: -f1
}
today=$(date +%Y-%m-%d)
due=$(date -d "+30 day" +%Y-%m-%d)
late1=$(q "SELECT current_date - date '2024-03-15'")
late3=$(q "SELECT current_date - date '2024-05-31'")
cd "$tap_tmp" || bail "no scratch directory"

tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 3 2
ok "the case list" wait_for "120110001-2024-0003"
tmux_keys Enter
ok "Enter opens the case file" wait_for "个案档案 120110001-2024-0001 刘大爷"
like "the recipient, masked, with his categories" "$(row_with 受助对象)" \
	"受助对象 刘大爷 1201**********0066  对象类别 "
like "in Chinese" "$(row_with 受助对象)" "最低生活保障对象"
like "worker, method, status, risk" "$(row_with 责任社工)" \
	"责任社工 王芳  服务方式 个案  状态 介入  风险等级 中"
like "opened on, the next visit due, the days overdue" "$(row_with 接案日期)" \
	"接案日期 2024-01-10  下次回访 2024-03-15  逾期 $late1 天"
v2=$(line_of "2024-02-14 电话回访")
v1=$(line_of "2024-01-15 入户走访")
ok "the visits newest first" [ "${v2:-99}" -lt "${v1:-0}" ]
like "a visit's next due date shown" "$(row_with 2024-01-15)" "2024-02-15"
like "the keys of the case file" "$(tmux_screen | tail -n 1)" "a 走访  c 结案  e 修改"

# c while a visit is due: a warning; n keeps the case open
tmux_keys c
ok "c warns that a visit is due" wait_for "应于 2024-03-15 回访,已逾期 $late1 天。仍然结案?"
tmux_keys n
ok "n: no form" wait_gone "仍然结案?"
is "the case is still open" "$(q "SELECT status FROM sgz.case_file WHERE case_no = '120110001-2024-0001'")" \
	"intervention"

# a logs a visit
tmux_keys a
ok "a opens a new visit" wait_for "走访记录 - 新增"
like "of this case" "$(row_with '*个案')" "120110001-2024-0001"
like "dated today" "$(row_with 服务日期)" "$today"
like "the case's worker" "$(row_with '  社工')" "1201**********002X__ 王芳"
like "next due: today + 30 days" "$(row_with 下次回访)" "$due"
like "its station, the case's, named before it is saved" "$(row_with 所属站点)" \
	"所属站点  120110001000 张贵庄街道"
# nothing typed yet: Esc leaves without asking to discard
tmux_keys Escape
ok "Esc leaves the untouched visit without a question" wait_for "个案档案 120110001-2024-0001"
tmux_keys a
ok "a opens a new visit again" wait_for "走访记录 - 新增"
tmux_keys -l phone
tmux_keys F2
ok "F2 saves, back to the case file" wait_for "个案档案 120110001-2024-0001"
ok "the new visit first" wait_for "$today 电话回访 王芳"
v0=$(line_of "$today 电话回访")
v2=$(line_of "2024-02-14 电话回访")
ok "above the older ones" [ "${v0:-99}" -lt "${v2:-0}" ]
like "the next due date follows it, in the desk's words" "$(row_with 接案日期)" \
	"下次回访 $due  30 天后到期"
unlike "no longer overdue" "$(row_with 接案日期)" "逾期"
# the case's form: its visits pane in the same words
tmux_keys e
ok "e: the case's form" wait_for "个案 - 修改 120110001-2024-0001"
tmux_keys ]
ok "its visits pane" wait_for "a 新增  F1"
like "the due date and the days left, as the desk says them" "$(row_with 下次回访)" \
	"下次回访 $due,30 天后到期"
tmux_keys Escape
ok "back to the case file" wait_gone "个案 - 修改"
is "stored with its next due date" \
	"$(q "SELECT worker || ' ' || next_due FROM sgz.visit WHERE visit_date = current_date")" \
	"12011019850315002X $due"

# c with nothing due: the case's form, closing today, the reason asked
tmux_keys c
ok "c opens the case to close it" wait_for "个案 - 修改 120110001-2024-0001"
like "closed today" "$(row_with 结案日期)" "$today"
like "status closed" "$(row_with '*状态')" "结案"
tmux_keys -l 目标达成
tmux_keys F2
ok "F2 closes it: the case file says so" wait_for "状态 结案"
is "closed in the database" \
	"$(q "SELECT status || ' ' || closed_on || ' ' || close_reason FROM sgz.case_file WHERE case_no = '120110001-2024-0001'")" \
	"closed $today 目标达成"
like "a closed case shows its closing date" "$(row_with 接案日期)" "结案日期 $today"
unlike "and no visit due" "$(row_with 接案日期)" "下次回访"
unlike "its keys offer no c" "$(tmux_screen | tail -n 1)" "c 结案"
tmux_keys c
ok "c says it is closed" wait_for "此个案已结案"
unlike "and opens no form" "$(tmux_screen)" "个案 - 修改"
tmux_keys e
ok "its form" wait_for "个案 - 修改 120110001-2024-0001"
tmux_keys ]
ok "its visits pane" wait_for "a 新增  F1"
ok "says no visit is due" wait_for "已结案,无需回访"
tmux_keys Escape
ok "back to the case file" wait_gone "个案 - 修改"

# a case never visited: overdue since 30 days after it opened; c, y
tmux_keys Escape
ok "back to the list" wait_for "120110001-2024-0003"
tmux_keys Down Down Enter
ok "the case never visited" wait_for "个案档案 120110001-2024-0003"
tmux_keys c
ok "c warns: due 30 days after it opened" \
	wait_for "应于 2024-05-31 回访,已逾期 $late3 天。仍然结案?"
tmux_keys y
ok "y: the form to close it" wait_for "个案 - 修改 120110001-2024-0003"
tmux_keys -l 转介他处
tmux_keys F2
ok "closed" wait_for "状态 结案"

# A visit added from the case file, the link lost before F2: the draft
# keeps the case it was added to (filled in, not typed) with what was
# typed, and the restored form saves as it would have.
tmux_keys Escape
ok "back to the list again" wait_for "120110001-2024-0002"
tmux_keys Up Enter
ok "an open case" wait_for "个案档案 120110001-2024-0002"
tmux_keys a
ok "a: a new visit of it" wait_for "走访记录 - 新增"
tmux_keys Down Down
tmux_keys -l 断线前写的走访记录
ok "its record typed" wait_for "断线前写的走访记录"
kill -HUP "$(tmux_pid)"
is "the link lost: sgz ends, keeping the draft" "$(wait_exit)" 0
tmux_stop
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "the next start offers the draft" wait_for "r 恢复"
tmux_keys r
ok "r: the visit's form again" wait_for "走访记录 - 新增"
like "with the case it was added to" "$(row_with '*个案')" "120110001-2024-0002"
like "and what was typed" "$(row_with 服务记录)" "断线前写的走访记录"
