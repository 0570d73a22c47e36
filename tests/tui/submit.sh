#!/bin/sh
# submit.sh - s on the monthly progress report (programmes.md, Submission)
# in tmux at 80x24 in Chinese as a county user: the status line offers it
# there only; it asks first; a past month is submitted (late: its due day
# has passed), said in Chinese, stored as sgz submit progress stores it,
# and the submissions report shows it late; the current month before its
# due day is refused with the database's message naming the due date; a
# region user is told, on the screen and by sgz submit, that only county
# users and administrators submit.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 17

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
for e in divisions organizations stations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$T/setup.out" 2>&1 || bail "user dl"
"$SGZ_BIN" user add tj --scope 12 --kind region >>"$T/setup.out" 2>&1 || bail "user tj"
# the current month is not due before its due day: the 28th
psql -XqAt -c "UPDATE sgz.setting SET value = 28 WHERE key = 'progress_due_day'" \
	>>"$T/setup.out" 2>&1 || bail "setting"
today=$(date +%Y-%m-%d)
this_month=$(date +%Y-%m)
day=$(date +%d)

last_row() {
	tmux_screen | sed -n 24p | sed 's/ *$//'
}
cd "$T" || bail "no scratch directory"

tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
wait_for "q 退出"
tmux_keys 5
wait_for "1-9, a-e 生成"
tmux_keys Tab Tab Tab 2024-06 Tab 8
ok "the monthly progress of 2024-06" wait_for "2024-06-30"
like "its status line offers s" "$(last_row)" "s 报送"
tmux_keys s
ok "s asks first" wait_for "按当前显示的内容报送 东丽区 2024-06 的进度报表?"
tmux_keys y
ok "submitted" wait_for "已报送 东丽区 2024-06 的进度报表"
like "late, said in Chinese" "$(tmux_screen | tr -d '\n' | tr -s ' ')" \
	"已报送 东丽区 2024-06 的进度报表,报送日期 $today,逾期:报送期限为 2024-06-28"
is "stored as sgz submit stores it, by the county user" \
	"$(psql -XqAt -c "SELECT division, period, submitted_on, submitted_by, snapshot ? 'stations_cum' FROM sgz.submission")" \
	"120110000000|2024-06|$today|dl|t"
tmux_keys Escape
wait_for "1-9, a-e 生成"
# (the reports screen offers the first nine reports: the submissions
# report is read through sgz report, as the same user)
like "the submissions report shows the county late" \
	"$(PGUSER=dl "$SGZ_BIN" report submissions --month 2024-06 --format csv)" \
	"120110000000,东丽区,2024-06,2024-06-28,$today,late"
tmux_keys 7
wait_for "购买服务合同 —"
unlike "another report's status line has no s" "$(last_row)" "s 报送"
tmux_keys Escape
wait_for "1-9, a-e 生成"
if [ "$day" -lt 28 ]; then
	tmux_keys Tab Tab Tab C-k
	tmux_keys -l "$this_month"
	tmux_keys Tab 8
	wait_for "报送"
	tmux_keys s
	wait_for "按当前显示的内容报送"
	tmux_keys y
	ok "a month not yet due is refused" wait_for "的进度报表还未到报送期"
	like "naming its due date" "$(tmux_screen | tr -d '\n' | tr -s ' ')" \
		"$this_month 的进度报表还未到报送期:报送日期为 $this_month-28"
else
	pass "# SKIP the current month is due from the 28th on"
fi
tmux_stop

# A region user reads the progress report but does not submit: s says who
# does, in Chinese, before asking or sending anything; nothing stored.
n=$(psql -XqAt -c "SELECT count(*) FROM sgz.submission")
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=tj "$SGZ_BIN"
wait_for "q 退出"
tmux_keys 5
wait_for "1-9, a-e 生成"
tmux_keys Tab Tab Tab 2024-06 Tab 8
ok "a region user's monthly progress" wait_for "2024-06-30"
tmux_keys s
ok "s tells a region user that only county users and administrators submit" \
	wait_for "权限不足:只有县级用户或管理员可以报送每月进度表"
unlike "without asking" "$(tmux_screen)" "按当前显示的内容报送"
unlike "nor the database's refusal" "$(tmux_screen)" "submit_progress"
tmux_stop
out=$(PGUSER=tj "$SGZ_BIN" --lang zh_CN submit progress --month 2024-06 --scope 120110 2>&1)
is "sgz submit progress as a region user: exit 2 (permission denied)" "$?" 2
is "saying who submits, in Chinese" "$out" \
	"sgz submit:权限不足:只有县级用户或管理员可以报送每月进度表"
is "nothing stored" "$(psql -XqAt -c "SELECT count(*) FROM sgz.submission")" "$n"
