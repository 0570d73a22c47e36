#!/bin/sh
# labels.sh - columns say what they hold, choices in the reader's language
# (work.md, People and places, not codes): the real binary in tmux at 80x24.
# A case's list heads its people 受助对象 and 责任社工 (Recipient, Worker), no
# two columns alike; a choice shows its Chinese label in Chinese and its
# English label in English, in a list's cell, a form's field, the picker
# and the form's hint; never its code. A cell cut to its column ends in a
# cut marker; the contracts list shows an amount whole.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 44

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations contracts staff volunteers recipients cases visits; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done

# The line of the screen holding TEXT.
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
heading() {
	tmux_screen | sed -n 3p
}
cd "$tap_tmp" || bail "no scratch directory"

# 1. Chinese: the headings of a case's list and the labels in its cells.
tmux_start "$SGZ_BIN" --lang zh_CN
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 3 2
ok "the case list" wait_for "120110001-2024-0001"
like "a case's recipient and worker by who they are" "$(heading)" \
	"个案编号            受助对象 所属站点         责任社工 服务方式"
unlike "no heading says ID number" "$(heading)" "身份证号"
like "a method by its Chinese label" "$(row_with 120110001-2024-0002)" " 小组"
tmux_keys Right Right Right
ok "the columns further right" wait_for "风险等级"
like "a status and a risk by their Chinese labels" "$(row_with 120110001-2024-0001)" \
	"个案     2024-01-10 介入     中"
unlike "no code in a cell" "$(tmux_screen)" "intervention"
tmux_keys Escape 3
# the case list holds the same case number: wait for the visits' own heading
ok "the visit list" wait_for "服务日期"
like "a visit's case and worker, its kind by its label" "$(heading)" \
	"个案                         服务日期   服务类型 社工 "
like "the kind's Chinese label" "$(row_with 2024-01-15)" " 入户走访 "
tmux_keys Escape Escape 1 4
# the visits name the same worker: wait for the staff list's own heading
ok "the staff list" wait_for "岗位"
like "a role by its Chinese label" "$(row_with 1201**********002X)" " 站长 "
tmux_keys Escape Escape 4 2
ok "the contracts list" wait_for "DL-2024-001"
like "a name cut to its column ends in the cut marker" "$(row_with DL-2024-001)" \
	" 东丽区乐群社会工… "
tmux_keys Right
ok "scrolled: the amount's column" wait_for "合同金额(元)"
like "the amount whole, to the fen" "$(row_with DL-2024-001)" " 250000.00"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 2. English: English labels, in the list, the form, its hint and the picker.
tmux_start "$SGZ_BIN" --lang en
ok "sgz opens in English" wait_for "q quit"
tmux_keys 3 2
ok "the case list" wait_for "120110001-2024-0001"
like "Recipient and Worker" "$(heading)" \
	"Case number         Recipient Station          Worker   Method"
unlike "no heading says ID number" "$(heading)" "ID number"
like "the status cut at the screen's edge is marked so" "$(heading)" "Opened on  S…"
like "in its cells too" "$(row_with 120110001-2024-0002)" "2024-02-01 C…"
tmux_keys Right Right Right
ok "the columns further right" wait_for "Risk"
like "a method, a status and a risk by their English labels" \
	"$(row_with 120110001-2024-0001)" "Individual 2024-01-10 Intervention Medium"
like "another case's" "$(row_with 120110001-2024-0002)" "Group      2024-02-01 Closed       Low"
unlike "no code in a cell" "$(tmux_screen)" "intervention"
tmux_keys Escape Escape 1 2
ok "the station list" wait_for "120110002000"
like "a station's status by its English label" "$(row_with 120110001000)" " Operating "
tmux_keys Down Enter
ok "the station's form" wait_for "Stations - edit 120110002000"
like "the form's choice in English" "$(row_with "*Status")" "Established"
like "another choice in English" "$(row_with "Operation mode")" "Purchased service"
tmux_keys Tab Tab Tab
ok "the hint lists the English labels" \
	wait_for "F5 pick: Planned, Established, Operating, Suspended, Closed"
tmux_keys F5
ok "F5 opens the picker" wait_for "Pick: Status"
like "every choice by its English label" "$(tmux_screen)" "|Suspended   "
unlike "no codes" "$(tmux_screen)" "suspended"
tmux_keys -l "sus"
ok "typing an English label narrows it" wait_gone "|Operating"
tmux_keys Enter
ok "Enter takes it" wait_for "Suspended_"
like "shown in the field by its label" "$(row_with "*Status")" "Suspended"
tmux_keys Escape
ok "Esc asks before discarding the change" wait_for "Discard"
tmux_keys y
ok "back at the list" wait_for "Enter open"
is "nothing written" "$(psql -XAtc "SELECT status FROM sgz.station WHERE township = '120110002000'")" \
	"established"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0
