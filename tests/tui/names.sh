#!/bin/sh
# names.sh - people and places, not codes (spec/work.md): the real binary
# in tmux at 80x24, in Chinese, as a station user and a county user. The
# case list shows the recipient's, the station's and the worker's names,
# a child's masked (小*) to the station user; the hours list the
# volunteer's and the station's; the `/` filter finds a case by its
# recipient's name and pinyin initials and hours by the volunteer's name;
# a form shows a station's code with its name beside it, the station's
# own key too; a visit's case picked shows its recipient; a list of codes
# (a contract's stations, a service point's villages) its names; the hours
# grid names the station whose volunteers it looked through; a contract's
# evaluations show their grades and decisions.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 82

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
STATION=张贵庄街道

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations service_points staff volunteers activities hours recipients \
	cases visits contracts evaluations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add zgz failed"
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add dl failed"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
heading() {
	tmux_screen | sed -n 3p
}
# the list's rows (below the heading, above the key line)
rows() {
	tmux_screen | sed -n '4,22p' | grep -v '^ \|^$'
}
# filter TEXT: / asks, TEXT typed, Enter applies it; the heading says so.
filter() {
	tmux_keys /
	wait_for "Enter 确定  Esc 清除" || return 1
	tmux_keys -l "$1"
	tmux_keys Enter
	# the heading's, not the bottom line's while typing
	wait_for "  筛选:$1" && wait_gone "Enter 确定  Esc 清除"
}
# / then Esc clears the filter.
unfilter() {
	tmux_keys /
	wait_for "Enter 确定  Esc 清除" || return 1
	tmux_keys Escape
	wait_gone "  筛选:" && wait_gone "Enter 确定  Esc 清除"
}
cd "$tap_tmp" || bail "no scratch directory"

# 1. The station user: cases, hours, a form.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 3 2
ok "the case list" wait_for "120110001-2024-0001"
like "headings: the recipient, the station, the worker" "$(heading)" \
	"个案编号            受助对象 所属站点         责任社工"
like "a case shows its recipient, station and worker by name" \
	"$(row_with 120110001-2024-0001)" "120110001-2024-0001 刘大爷   $STATION       王芳 "
like "a child's name masked to a station user" "$(row_with 120110001-2024-0002)" \
	"120110001-2024-0002 小*      $STATION       李强 "
unlike "no masked number in the list" "$(rows)" "****"
unlike "no station code in the list" "$(rows)" "120110001000"
ok "the filter by the recipient's name" filter 刘大爷
is "finds his case alone" "$(rows | wc -l)" 1
like "his case" "$(rows)" "120110001-2024-0001 刘大爷"
ok "the filter cleared" unfilter
ok "the filter by pinyin initials" filter ldy
is "finds his case alone by initials" "$(rows | wc -l)" 1
like "the same case" "$(rows)" "120110001-2024-0001 刘大爷"
ok "the filter cleared" unfilter
ok "a child's initials" filter xm
ok "find nothing a station user is not shown" wait_for "没有记录"
ok "the filter cleared" unfilter
tmux_keys Enter
ok "a case opens its case file" wait_for "个案档案 120110001-2024-0001"
tmux_keys e
ok "a case's form" wait_for "结案原因"
like "its station's code with the name beside it" "$(row_with 所属站点)" \
	"120110001000__ 张贵庄街道"
like "its recipient as the list shows him" "$(row_with 受助对象)" "1201**********0066__ 刘大爷"
like "its worker too" "$(row_with 责任社工)" "1201**********002X__ 王芳"
tmux_keys Escape
ok "back to the case file" wait_gone "结案原因"
tmux_keys Escape
ok "back to the list" wait_gone "个案档案"
tmux_keys a
ok "a new case" wait_for "个案 - 新增"
tmux_keys Tab F5
ok "F5 on the recipient: the picker" wait_for "小* 1201**********0051"
tmux_keys Down Enter
ok "the child picked" wait_for "1201**********0051__ 小*"
unlike "her name masked beside the field too" "$(tmux_screen)" "小明"
tmux_keys -l 120110001000
ok "a station's code typed: its name beside it" \
	wait_for "120110001000__ 张贵庄街道"
tmux_keys BSpace BSpace BSpace BSpace
ok "a code cut short names nothing" wait_gone "张贵庄街道"
tmux_keys -l 2000
ok "a station outside the user's scope is marked" wait_for "120110002000__ ?"
unlike "not named" "$(tmux_screen)" "丰年村"
tmux_keys Up F5
ok "the recipient's picker again" wait_for "刘大爷 1201**********0066"
tmux_keys Enter
ok "another pick: his name beside the field" wait_for "1201**********0066__ 刘大爷"
tmux_keys Escape
ok "leaving asks" wait_for "放弃"
tmux_keys y
ok "back to the list" wait_gone "个案 - 新增"
tmux_keys Escape
ok "the cases' menu" wait_gone "个案编号"
tmux_keys Escape 2 3
ok "the hours list" wait_for "服务日期"
like "headings: the volunteer, the station" "$(heading)" \
	"志愿者   服务日期   所属站点         活动名称"
like "an hours row shows the volunteer and the station by name" \
	"$(rows | head -n 1)" "张敏     2024-03-05 $STATION       学雷锋志愿服务日"
unlike "no masked number in the hours list" "$(rows)" "****"
ok "the hours filtered by the volunteer's name" filter 赵磊
is "his one row" "$(rows | wc -l)" 1
like "his row" "$(rows)" "赵磊 "
tmux_keys Escape
ok "back to the volunteer menu" wait_gone "服务日期"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 2. The county user: the same names, filtered by initials.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
ok "sgz opens for the county user" wait_for "q 退出"
tmux_keys 3 2
ok "the county's case list" wait_for "120110001-2024-0001"
like "a county user reads the names" "$(row_with 120110001-2024-0001)" \
	"120110001-2024-0001 刘大爷   $STATION       王芳 "
like "a child's name masked to a county user" "$(row_with 120110001-2024-0002)" \
	"120110001-2024-0002 小* "
ok "the filter by initials in capitals" filter LDY
is "finds the case" "$(rows | wc -l)" 1
ok "the filter cleared" unfilter
tmux_keys Escape
ok "the cases' menu" wait_gone "个案编号"
tmux_keys Escape 2 3
ok "the county's hours list" wait_for "服务日期"
ok "hours by the volunteer's initials" filter zm
is "his two rows" "$(rows | grep -c '^张敏 ')" 2
tmux_keys Escape
ok "back to the volunteer menu" wait_gone "服务日期"
tmux_keys Escape 3 3
ok "the county's visit list" wait_for "服务类型"
like "a visit's case by its number and its recipient, its worker by name" \
	"$(rows | head -n 1)" "120110001-2024-0001 刘大爷   2024-01-15 入户走访 王芳 "
tmux_stop

# 3. The station user's forms: codes with their names beside them.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "sgz opens for the station user again" wait_for "q 退出"
tmux_keys 1 2
ok "the stations list" wait_for "建设批次"
tmux_keys Enter
ok "her station's form" wait_for "社工站 - 修改"
like "the station's own key with its township's name" "$(row_with 乡镇)" \
	"120110001000__ 张贵庄街道"
tmux_keys Escape Escape
ok "back to the stations' menu" wait_gone "建设批次"
tmux_keys 3
ok "the service points" wait_for "张贵庄第一社工点"
tmux_keys Enter
ok "a service point's form" wait_for "社工点 - 修改"
like "its villages' codes with their names" "$(row_with 服务村)" \
	"120110001001;120110001201_____ 张贵庄第一社区;示范村"
tmux_keys Escape Escape Escape 3 3
ok "the visits" wait_for "服务类型"
tmux_keys a
ok "a new visit" wait_for "走访记录 - 新增"
tmux_keys F5
ok "F5 on its case" wait_for "120110001-2024-0002  小*"
tmux_keys Enter
ok "the case picked: its number and its recipient" \
	wait_for "120110001-2024-0001___________ 刘大爷"
tmux_keys Escape y
ok "back to the visits" wait_gone "走访记录 - 新增"
tmux_keys Escape Escape 4 2
ok "the contracts" wait_for "DL-2024-001"
tmux_keys Enter
ok "a contract's form" wait_for "购买服务合同 - 修改"
like "its stations by name, one the user may not see marked" "$(row_with 服务站点)" \
	"120110001000;120110002000_____ 张贵庄街道;?120110002000"
# the evaluations pane: each one's grade (rules.md bands) and what an
# annual one decides (the contracts report's words); a mid-term one decides nothing
like "an annual evaluation with its grade and decision" "$(row_with 年度评估)" \
	"年度评估 2024-12-20     86.0 良好     续签"
is "a mid-term one with its grade alone" "$(row_with 中期评估 | sed 's/^ *//; s/ *$//')" \
	"中期评估 2024-07-01     78.5 合格"
tmux_keys Escape Escape Escape 2 2
ok "the activities" wait_for "学雷锋志愿服务日"
tmux_keys g
ok "the activity's hours grid" wait_for "均已保存"
tmux_keys -l 王五
tmux_keys Tab
ok "a volunteer the station does not have: the station by its name" \
	wait_for "站点 张贵庄街道 没有与 王五 相符的志愿者"
tmux_stop
