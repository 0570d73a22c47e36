#!/bin/sh
# panes.sh - related records under a record's form (spec/work.md,
# "Related records"; keys.md): the real binary in tmux at 80x24, in
# Chinese, as a station user. A station's form shows its staff and open
# cases as panes below its fields, named as the lists name them; `]` and
# `[` move between the panes, Tab past the last field moves into the
# first; Enter opens a row (a case: its case file), `a` adds one with the
# station filled in; a staff member's cases as worker, a child's name
# masked; a volunteer's record shows the year's and lifetime hours and
# the star level on top of its hours, newest first.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 41

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations service_points staff volunteers activities hours \
	recipients cases visits contracts evaluations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
# 张敏: 100 hours more on the five days before today: 105.5 in all, one star
{
	echo "volunteer,service_date,station,activity,hours,note"
	for k in 1 2 3 4 5; do
		echo "120110197007070042,$(date -d "-$k day" +%Y-%m-%d),120110001000,,20,"
	done
} >"$tap_tmp/hours.csv"
"$SGZ_BIN" import hours "$tap_tmp/hours.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "hours import failed"
# an activity without hours, deleted by someone else while its form is open
printf '%s\n' "station,date,title,kind" "120110001000,2024-04-01,将删除的活动,other" \
	>"$tap_tmp/activity.csv"
"$SGZ_BIN" import activities "$tap_tmp/activity.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "activity import failed"
year=$(date +%Y)
year_hours=0
for k in 1 2 3 4 5; do
	[ "$(date -d "-$k day" +%Y)" = "$year" ] && year_hours=$((year_hours + 20))
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add zgz failed"

q() {
	psql -X -A -t -q -c "$1" 2>/dev/null
}
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
# the line number of the first line with TEXT
line_of() {
	tmux_screen | grep -n -F -- "$1" | head -n 1 | cut -d: -f1
}
cd "$tap_tmp" || bail "no scratch directory"

tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 1 2
ok "the station list" wait_for "120110001000 东丽区张贵庄街道"
tmux_keys Enter
ok "the station's form, named" wait_for "社工站 - 修改 120110001000 张贵庄街道"
ok "its staff as a pane below the fields" wait_for "- 工作人员 ---"
like "the staff named, numbers masked" "$(row_with 王芳)" "1201**********002X 王芳"
like "the status line shows the pane key" "$(tmux_screen | tail -n 1)" "] 相关记录"

# ] into the first pane, then on to the open cases
tmux_keys ']'
ok "] moves into the staff pane" wait_for "> 工作人员 ---"
like "a pane's keys on the status line" "$(tmux_screen | tail -n 1)" "Enter 打开  a 新增"
tmux_keys ']' ']' ']' ']'
ok "] on to the open cases" wait_for "> 在办个案 ---"
like "the open case, its recipient by name" "$(row_with 120110001-2024-0001)" \
	"120110001-2024-0001 刘大爷 "
like "and its worker" "$(row_with 120110001-2024-0001)" " 王芳 "
unlike "the closed case is not open" "$(tmux_screen)" "120110001-2024-0002"
tmux_keys Enter
ok "Enter opens the case: its case file" wait_for "个案档案 120110001-2024-0001 刘大爷"
tmux_keys Escape
ok "Esc back to the station, the pane still chosen" wait_for "> 在办个案 ---"

# [ back to the staff; the second staff member opened
tmux_keys '[' '[' '[' '['
ok "[ back to the staff" wait_for "> 工作人员 ---"
tmux_keys Down Enter
ok "Enter opens the staff member, named" wait_for "工作人员 - 修改 李强 1201**********003X"
ok "her cases as worker" wait_for "- 负责的个案 ---"
like "a child's name masked there" "$(row_with 120110001-2024-0002)" "120110001-2024-0002 小* "
tmux_keys Escape
ok "Esc back to the station" wait_for "社工站 - 修改 120110001000"

# a in the staff pane: a new staff member of this station
tmux_keys a
ok "a adds a staff member" wait_for "工作人员 - 新增"
like "the station filled in, named" "$(row_with 所属站点)" "120110001000__ 张贵庄街道"
tmux_keys Escape
ok "Esc back to the station" wait_for "社工站 - 修改 120110001000"

# [ from the first pane back to the fields; Tab past the last field into it
tmux_keys '['
ok "[ from the first pane: the fields again" wait_for "- 工作人员 ---"
tmux_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
ok "Tab to the last field" wait_for "> 站点类型"
tmux_keys Tab
ok "Tab past the last field: the first pane" wait_for "> 工作人员 ---"
tmux_keys Escape
ok "Esc leaves the form" wait_for "120110001000 东丽区张贵庄街道"

# a volunteer's record: the year's and lifetime hours and the star
tmux_keys Escape
ok "the station menu" wait_gone "120110001000 东丽区张贵庄街道"
tmux_keys Escape
ok "the main menu" wait_for "q 退出"
tmux_keys 2 1
ok "the volunteer list" wait_for "1201**********0042 张敏"
tmux_keys Enter
ok "张敏's record" wait_for "- 服务时长 "
like "the year's and lifetime hours, the star level" "$(row_with 本年)" \
	"本年 $year_hours.0 小时,累计 105.5 小时,星级 1 ★☆☆☆☆"
y1=$(line_of "$(date -d "-1 day" +%Y-%m-%d)")
y2=$(line_of "$(date -d "-2 day" +%Y-%m-%d)")
ok "her hours newest first: yesterday's above the day before's" [ "${y1:-99}" -lt "${y2:-0}" ]

# a record deleted meanwhile: said when its panes are fetched again, closed
tmux_keys Escape
ok "back to the volunteers" wait_gone "- 服务时长 "
tmux_keys Escape 2
ok "the activity list" wait_for "将删除的活动"
tmux_keys Down Enter
ok "the activity's form, its station named" wait_for "活动 - 修改 张贵庄街道 2024-04-01 将删除的活动"
ok "its hours, none, the totals on top" wait_for "共 0 人,0.0 小时"
tmux_keys ']' a
ok "a adds hours" wait_for "服务时长 - 新增"
like "the activity filled in" "$(row_with 活动名称)" "将删除的活动"
like "its date" "$(row_with 服务日期)" "2024-04-01"
q "DELETE FROM sgz.activity WHERE title = '将删除的活动'" >/dev/null
tmux_keys Escape
ok "back: the deletion is said" wait_for "此记录已被他人删除:相关记录已关闭"
unlike "and the panes are closed" "$(tmux_screen)" "服务时长 "
