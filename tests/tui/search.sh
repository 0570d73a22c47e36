#!/bin/sh
# search.sh - search finds what is shown (spec/work.md; migration 0021): the
# real binary in tmux at 80x24, in Chinese, as a station user and a county
# user. The `/` filter finds a case by its recipient's initials (lgl:
# 刘桂兰), the cases of a station by its township's (zgz: 张贵庄街道), an
# activity and its hours by its title's (sdbkt: 四点半课堂), visits by the
# initials of their kind's label (rh: 入户走访); a child's initials find
# nothing; F5 on a case's worker lists namesakes apart, each with the
# masked number and the station.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 37

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
for e in divisions organizations stations staff volunteers activities hours recipients cases visits; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
# 刘桂兰 and her case; 周杰 at both stations; 四点半课堂 and its hours
cat >"$tap_tmp/recipients.csv" <<'EOF'
id_number,name,village,categories
120110195802020045,刘桂兰,120110001201,empty_nest_elderly
EOF
cat >"$tap_tmp/cases.csv" <<'EOF'
case_no,recipient,station,worker,method,opened_on,status
,120110195802020045,120110001000,12011019850315002X,individual,2024-03-01,intake
EOF
cat >"$tap_tmp/staff.csv" <<'EOF'
id_number,name,station,role,hired_on
120110198808080018,周杰,120110001000,fulltime,2022-01-01
120110198909090020,周杰,120110002000,fulltime,2022-01-01
EOF
cat >"$tap_tmp/activities.csv" <<'EOF'
station,date,title,kind
120110001000,2024-03-07,四点半课堂,small_event
EOF
cat >"$tap_tmp/hours.csv" <<'EOF'
volunteer,service_date,station,activity,hours
120110199512310077,2024-03-07,120110001000,四点半课堂,2
EOF
for e in recipients cases staff activities hours; do
	"$SGZ_BIN" import $e "$tap_tmp/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add zgz failed"
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add dl failed"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
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
	wait_for "  筛选:$1" && wait_gone "Enter 确定  Esc 清除"
}
unfilter() {
	tmux_keys /
	wait_for "Enter 确定  Esc 清除" || return 1
	tmux_keys Escape
	wait_gone "  筛选:" && wait_gone "Enter 确定  Esc 清除"
}
cd "$tap_tmp" || bail "no scratch directory"

# 1. The station user.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 3 2
ok "the case list" wait_for "120110001-2024-0001"
ok "the cases filtered by lgl" filter lgl
is "one case" "$(rows | wc -l)" 1
like "刘桂兰's" "$(rows)" "120110001-2024-0003 刘桂兰   $STATION"
ok "the filter cleared" unfilter
ok "the cases filtered by zgz" filter zgz
is "the station's three cases" "$(rows | grep -c "  $STATION ")" 3
ok "the filter cleared" unfilter
ok "a child's initials" filter xm
ok "find nothing" wait_for "没有记录"
tmux_keys Escape
ok "the cases' menu" wait_gone "个案编号"
tmux_keys 3
ok "the visit list" wait_for "服务类型"
ok "the visits filtered by rh" filter rh
is "one visit" "$(rows | wc -l)" 1
like "the home visit" "$(rows)" "2024-01-15 入户走访"
tmux_keys Escape
ok "the cases' menu again" wait_gone "服务类型"
tmux_keys Escape 2 2
ok "the activity list" wait_for "活动类型"
ok "the activities filtered by sdbkt" filter sdbkt
is "one activity" "$(rows | wc -l)" 1
like "四点半课堂" "$(rows)" "$STATION       2024-03-07 四点半课堂"
tmux_keys Escape
ok "the volunteers' menu" wait_gone "活动类型"
tmux_keys 3
ok "the hours list" wait_for "服务时长"
ok "the hours filtered by sdbkt" filter sdbkt
is "one row" "$(rows | wc -l)" 1
like "赵磊 at 四点半课堂" "$(rows)" "赵磊     2024-03-07 $STATION       四点半课堂"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 2. The county user: namesakes in F5, apart.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
ok "sgz opens for the county user" wait_for "q 退出"
tmux_keys 3 2
ok "the county's case list" wait_for "120110001-2024-0001"
ok "lgl as the county user" filter lgl
like "刘桂兰's case" "$(rows)" "120110001-2024-0003 刘桂兰"
ok "the filter cleared" unfilter
tmux_keys a
ok "a new case" wait_for "个案 - 新增"
tmux_keys Tab Tab Tab F5
ok "F5 on the worker: the picker" wait_for "选择:责任社工"
tmux_keys -l 周杰
ok "both 周杰, with the station of each" wait_for "周杰 1201**********0020 丰年村街道"
like "the first with his" "$(row_with "周杰 1201**********0018")" \
	"周杰 1201**********0018 $STATION"
tmux_keys Down Enter
ok "the one chosen is picked" wait_for "1201**********0020__ 周杰"
