#!/bin/sh
# attendees.sh - a supervision's and a training's attendees ticked with F5
# (issue 14), at 80x24 in Chinese: a station user's new supervision offers
# her station's staff active on its day (not one who had left, not another
# station's), by name with the number masked and the station; type-ahead
# by initials, Space ticks, Enter takes the ticked set, the record saved
# with both; opened again the two come ticked, one unticked and saved. A
# county user's training offers the staff of every station of his scope.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 26

XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
# 赵敏 left the station at the end of 2023; 孙丽 works at the other one.
cat >"$tap_tmp/more_staff.csv" <<'EOF'
id_number,name,phone,station,role,education,qualification,qualified_on,hired_on,left_on,employer,local_hukou
120110198808080042,赵敏,13800000001,120110001000,resident,college,none,,2020-01-01,2023-12-31,,yes
120110199202020058,孙丽,13800000002,120110002000,resident,college,none,,2022-01-01,,,yes
EOF
"$SGZ_BIN" import staff "$tap_tmp/more_staff.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "staff import failed"
"$SGZ_BIN" user add zgz --scope 120110001000 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "user add failed"
"$SGZ_BIN" user add dlq --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "user add failed"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
names_of() {
	q "SELECT string_agg(s.name, ',' ORDER BY s.name) FROM sgz.$1 t, sgz.staff s
	    WHERE s.pid = ANY (t.attendee_pids) AND $2"
}

# 1. The station user's new supervision.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "the station user starts on her desk" wait_for "工作台"
tmux_keys 1
wait_for "7  督导" >/dev/null
tmux_keys 7
ok "the supervisions list" wait_for "a 新增"
tmux_keys a
ok "a new supervision" wait_for "督导 - 新增"
tmux_keys Down Down 团体督导 Down 陈督导 Down 2 Down
ok "the attendees' hint says F5 ticks" wait_for "F5 勾选参加的工作人员"
tmux_keys F5
ok "F5: the picker, nothing ticked yet" wait_for "选择:参加人员(已选 0 人)"
ok "her station's staff by name" wait_for "王芳"
like "the number masked, the station named" "$(row_with 王芳)" \
	"[ ] 王芳 1201**********002X 张贵庄街道"
unlike "no number in full" "$(tmux_screen)" "12011019850315002X"
unlike "not who left before the day" "$(tmux_screen)" "赵敏"
unlike "not another station's" "$(tmux_screen)" "孙丽"
tmux_keys l q
ok "type-ahead by initials" wait_gone "王芳"
tmux_keys Space
ok "Space ticks 李强" wait_for "已选 1 人"
tmux_keys BSpace BSpace w f
wait_gone "李强" >/dev/null
tmux_keys Space
ok "and 王芳" wait_for "已选 2 人"
tmux_keys BSpace BSpace
ok "both ticked in the full list" wait_for "[x] 李强"
like "王芳 too" "$(row_with 王芳)" "[x] 王芳"
tmux_keys Enter
ok "Enter takes them: the field names them" wait_for "李强;王芳"
tmux_keys F2
ok "saved" wait_gone "督导 - 新增"
is "the supervision has both attendees" \
	"$(names_of supervision "t.supervisor = '陈督导' AND t.held_on = current_date")" "李强,王芳"
ok "the list names them" wait_for "王芳、李强"

# 2. Opened again: both ticked; 王芳 unticked, saved with 李强 alone.
tmux_keys Enter
wait_for "督导 - " >/dev/null
tmux_keys Down Down Down Down Down F5
ok "the listed attendees come ticked" wait_for "已选 2 人"
tmux_keys w f
wait_gone "[x] 李强" >/dev/null
tmux_keys Space
ok "王芳 unticked" wait_for "已选 1 人"
tmux_keys Enter F2
wait_gone "督导 - " >/dev/null
is "saved with 李强 alone" \
	"$(names_of supervision "t.supervisor = '陈督导' AND t.held_on = current_date")" "李强"
tmux_stop

# 3. The county user's training: the staff of both stations.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dlq "$SGZ_BIN"
wait_for "q 退出" >/dev/null
tmux_keys 1
wait_for "8  培训" >/dev/null
# his new supervision has no station yet: whom to offer follows from it
tmux_keys 7
wait_for "a 新增" >/dev/null
tmux_keys a
wait_for "督导 - 新增" >/dev/null
tmux_keys Down Down Down Down Down F5
ok "no station, no staff: the picker asks for it" wait_for "(请先填写所属站点)"
tmux_keys Escape Escape
wait_gone "督导 - 新增" >/dev/null
tmux_keys Escape
wait_for "8  培训" >/dev/null
tmux_keys 8
wait_for "a 新增" >/dev/null
tmux_keys a
wait_for "培训 - 新增" >/dev/null
tmux_keys 社工伦理讲座 Down Down 区民政局 Down Down Down 3 Down F5
ok "the training offers another station's staff" wait_for "孙丽"
tmux_keys s l
wait_gone "李强" >/dev/null
tmux_keys Space Enter F2
ok "saved" wait_gone "培训 - 新增"
is "the training has 孙丽" "$(names_of training "t.title = '社工伦理讲座'")" "孙丽"
tmux_stop
