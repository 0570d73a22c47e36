#!/bin/sh
# plan_by.sh - the plan report's --by on the reports screen, in tmux at
# 80x24 in Chinese as a region user: the level field (汇总层级) is reached
# by Tab with the plan chosen, shows its choice by label and changes with
# Left/Right, Home and End; the plan runs by each level, its rows the
# divisions of that level, as sgz report plan --by gives them.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 13

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
T=$tap_tmp

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add tj --scope 12 --kind region >>"$T/setup.out" 2>&1 || bail "user tj"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1 | sed 's/  */ /g; s/^ //; s/ $//'
}
# the first row of the report shown, as sgz report plan --by gives it
first_row() {
	tmux_screen | sed -n 5p | sed 's/  */ /g; s/^ //; s/ $//' | cut -d' ' -f1-2
}
cli_first() {
	PGUSER=tj "$SGZ_BIN" report plan --by "$1" --format csv | sed -n 2p | cut -d, -f1,2 | tr , ' '
}
cd "$T" || bail "no scratch directory"

tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=tj "$SGZ_BIN"
wait_for "q 退出"
tmux_keys 5
ok "the reports screen has the level field" wait_for "汇总层级"
like "county by default, by its label" "$(row_with 汇总层级)" "汇总层级 县级 左右键:省级、地市级、县级或乡镇级;用于建设计划"
# b: the plan, by county (the default)
tmux_keys b
ok "the plan by county" wait_for "120101000000  和平区"
tmux_keys Escape
wait_for "1-9, a-e 生成"
# the plan chosen, Tab reaches the level after the month
tmux_keys Tab Tab Tab Tab Home
ok "Home: province" wait_for "汇总层级  省级"
tmux_keys Enter
ok "the plan by province: one row, Tianjin" wait_for "1 行"
is "its row" "$(first_row)" "$(cli_first province)"
is "120000000000 天津市" "$(first_row)" "120000000000 天津市"
tmux_keys Escape
wait_for "1-9, a-e 生成"
# Shift-Tab from the reports: the level, the plan chosen
tmux_keys BTab Right
ok "Right: prefecture" wait_for "汇总层级  地市级"
tmux_keys Enter
wait_for "合计"
is "the plan by prefecture" "$(first_row)" "$(cli_first prefecture)"
tmux_keys Escape
wait_for "1-9, a-e 生成"
tmux_keys BTab End
ok "End: township" wait_for "汇总层级  乡镇级"
tmux_keys Enter
wait_for "合计"
is "the plan by township" "$(first_row)" "$(cli_first township)"
like "a township's row" "$(first_row)" "120101001000 劝业场街道"
tmux_keys Escape
wait_for "1-9, a-e 生成"
# another report chosen: Tab goes from the month back to the reports
tmux_keys Up
tmux_keys Tab Tab Tab Tab 1
ok "with another report Tab skips the level: 1 runs the first report" wait_for "站点覆盖 —"
tmux_stop
