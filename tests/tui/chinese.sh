#!/bin/sh
# chinese.sh - every screen in the reader's language (work.md, "Every
# message in the reader's language"): the real binary in tmux at 80x24, in
# Chinese, walks every menu, every entity's list, its help, a new record's
# form and the messages of a save refused, every report, the
# administration's screens and the division browser, as an administrator
# and as a station user, and fails on any run of three or more English
# words on the screen.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

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
	recipients cases visits contracts evaluations plans; do
	[ -f "$F/$e.csv" ] || continue
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "user zgz"
psql -XAtqc "CREATE ROLE zgz LOGIN" 2>/dev/null
cd "$tap_tmp" || bail "no scratch directory"

# english WHERE - the screen holds no run of three English words (codes,
# dates and punctuation between them do not break the run)
english() {
	# (the server's own version string is a name, not a sentence; so is
	# the command the desk names to link a staff record)
	# (nor are the names of keys, as the keyboard has them)
	_e=$(tmux_screen | sed 's/PostgreSQL [^ ]* ([^)]*)//; s/sgz user add//' |
		sed -E 's/\<(Shift-Tab|Tab|Enter|Esc|Up|Down|Left|Right|PgUp|PgDn|Home|End|Space|Insert|Delete|Backspace|Ctrl-[A-Z])\>/ /g' | perl -CSD -ne 'print "$1\n" while
		/([A-Za-z]{2,}(?:[\x20-\x40\x5b-\x60\x7b-\x7e]*\x20[\x20-\x40\x5b-\x60\x7b-\x7e]*[A-Za-z]{2,}){2,})/g' |
		head -n 3)
	if [ -n "$_e" ]; then
		fail "$1: no English on the screen" "$(tmux_screen)" "has: $_e"
	else
		pass "$1: no English on the screen"
	fi
}

# screen TITLE WAIT WHERE - wait for WAIT, then check the screen
screen() {
	if wait_for "$2" 10; then
		english "$1"
	else
		fail "$1: the screen opens"
	fi
}

# entity MENU ITEM NAME WAIT - a list, its help, a new record's form, the
# refusals of an empty save, back to the submenu
entity() {
	tmux_keys "$2"
	screen "$3: the list" "$4"
	tmux_keys '?'
	screen "$3: the list's help" "帮助"
	tmux_keys Escape
	wait_for "$4" 10 >/dev/null
	tmux_keys a
	screen "$3: a new record" "F2 保存"
	tmux_keys F1
	screen "$3: the form's help" "帮助"
	tmux_keys Escape
	wait_for "F2 保存" 10 >/dev/null
	tmux_keys F2
	sleep 1
	english "$3: an empty record saved"
	tmux_keys Escape
	sleep 0.3
	# a question before the typed input is dropped, or already the list
	tmux_keys y
	wait_for "$4" 10 >/dev/null
	tmux_keys Escape
	wait_gone "$4" 10 >/dev/null
}

N=0
count() { N=$((N + $1)); }

walk() {
	tmux_keys 1
	screen "the stations menu" "行政区划"
	tmux_keys 1
	screen "the division browser" "天津市"
	tmux_keys '?'
	screen "the division browser's help" "帮助"
	tmux_keys Escape Escape
	wait_for "建设计划" >/dev/null
	entity 1 2 "stations" "120110001000"
	# a station's form and its panes of related records
	tmux_keys 2
	wait_for "120110001000" 10 >/dev/null
	tmux_keys Enter
	screen "a station's panes" "- 工作人员 "
	tmux_keys ']'
	screen "a pane chosen" "> 工作人员 "
	tmux_keys F1
	screen "a pane's help" "帮助:社工站"
	tmux_keys Escape
	wait_gone "帮助:社工站" 10 >/dev/null
	tmux_keys Escape
	wait_gone "> 工作人员" 10 >/dev/null
	tmux_keys Escape
	wait_gone "120110001000" 10 >/dev/null
	entity 1 3 "service points" "社工点"
	entity 1 4 "staff" "岗位"
	entity 1 5 "plans" "建设计划"
	tmux_keys Escape 2
	screen "the volunteers menu" "服务时长"
	entity 2 1 "volunteers" "张敏"
	entity 2 2 "activities" "学雷锋志愿服务日"
	# the database's refusal (an activity whose hours name it), as it says it
	tmux_keys 2
	wait_for "学雷锋志愿服务日" 10 >/dev/null
	tmux_keys d
	wait_for "删除活动 " 10 >/dev/null
	tmux_keys y
	screen "an activity with hours, not deleted" "不能删除"
	like "the database's reason in Chinese" "$(tmux_screen)" "仍有服务"
	tmux_keys Enter Escape
	wait_gone "参与人数" 10 >/dev/null
	entity 2 3 "hours" "学雷锋志愿服务日"
	tmux_keys Escape 3
	screen "the cases menu" "走访记录"
	entity 3 1 "recipients" "刘大爷"
	entity 3 2 "cases" "120110001-2024-0001"
	# the case file and its help
	tmux_keys 2
	wait_for "120110001-2024-0001" 10 >/dev/null
	tmux_keys Enter
	screen "the case file" "个案档案"
	tmux_keys '?'
	screen "the case file's help" "帮助:个案档案"
	tmux_keys Escape Escape
	wait_gone "个案档案" 10 >/dev/null
	tmux_keys Escape
	wait_gone "120110001-2024-0001" 10 >/dev/null
	entity 3 3 "visits" "服务日期"
	tmux_keys Escape 4
	screen "the contracts menu" "承接机构"
	entity 4 1 "organizations" "52120110"
	entity 4 2 "contracts" "合同"
	entity 4 3 "evaluations" "评估"
	entity 4 4 "programmes" "项目编号"
	entity 4 5 "indicators" "指标编号"
	entity 4 6 "evaluation scores" "得分"
	entity 4 7 "payments" "款项类型"
	entity 4 8 "submissions" "报送日期"
	tmux_keys Escape 5
	screen "the reports menu" "每月进度"
	for r in 1 2 3 4 5 6 7 8 9 a b c d e; do
		tmux_keys "$r"
		screen "report $r" "e 导出"
		tmux_keys '?'
		screen "report $r's help" "帮助"
		tmux_keys Escape Escape
		wait_for "每月进度" 10 >/dev/null
	done
	tmux_keys Escape
}

plan 278

# An administrator: every screen, the administration's too.
tmux_start "$SGZ_BIN" --lang zh_CN
screen "the main menu" "q 退出"
tmux_keys '?'
screen "the main menu's help" "帮助"
tmux_keys Escape
tmux_keys 0
screen "the desk" "人员配备"
tmux_keys Escape
walk
tmux_keys 6
screen "the administration menu" "操作日志"
for i in 1 2 3 4; do
	tmux_keys "$i"
	sleep 1
	english "administration $i"
	tmux_keys '?'
	screen "administration $i's help" "帮助"
	tmux_keys Escape Escape
	wait_for "操作日志" 10 >/dev/null
done
tmux_keys Escape q
wait_exit 10 >/dev/null

# A station user: what the database refuses him, in Chinese.
PGUSER=zgz tmux_start "$SGZ_BIN" --lang zh_CN
screen "a station user's main menu" "q 退出"
walk
tmux_keys 6
sleep 1
english "a station user's administration"
