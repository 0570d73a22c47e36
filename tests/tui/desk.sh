#!/bin/sh
# desk.sh - the desk (工作台; spec/work.md, Work screens 1; keys.md `0`): the
# real binary in tmux at 80x24, in Chinese, on the fixtures and a case dated
# relative to today. A station user linked to her staff record (sgz user
# add --staff) starts on the desk and sees her case overdue by 5 days;
# Enter opens her open cases, Enter on one its case file, and the desk is read
# again when shown; Esc leaves it for the main menu, `0` opens it again,
# the menu's numbers and q work on it. A county user sees one line a
# station under headings (Left/Right choose the figure Enter opens, the
# name its page) and, under them, one line on how to link a staff
# record. An administrator starts at the
# menu, where `0` opens the desk; his users list shows the link, masked.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 40

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff volunteers activities hours recipients cases \
	visits; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
# 王芳's case overdue by 5 days (a visit's next_due), one due in 20 days
psql -XAtq -v ON_ERROR_STOP=1 >>"$tap_tmp/setup.out" 2>&1 <<'EOF' || bail "dated records"
INSERT INTO sgz.case_file (case_no, recipient, station, worker, method, opened_on) VALUES
 ('120110001-2026-0901', '120110195001010066', '120110001000', '12011019850315002X',
  'individual', current_date - 40),
 ('120110001-2026-0902', '120110195001010066', '120110001000', '12011019850315002X',
  'individual', current_date - 10);
INSERT INTO sgz.visit (case_no, visit_date, kind, worker, next_due) VALUES
 ('120110001-2026-0901', current_date - 35, 'home_visit', '12011019850315002X',
  current_date - 5);
EOF
"$SGZ_BIN" user add zgz --scope 120110001 --kind station --staff 12011019850315002X \
	>>"$tap_tmp/setup.out" 2>&1 || bail "sgz user add zgz failed"
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add dl failed"
cd "$tap_tmp" || bail "no scratch directory"

# matches NAME TEXT ERE - passes when a line of TEXT matches the extended
# regular expression ERE.
matches() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		pass "$1"
	else
		fail "$1" "text: $2" "lacks: $3"
	fi
}

matches "sgz user list shows the link, masked" "$("$SGZ_BIN" user list 2>&1)" \
	"zgz *station *120110001000 *张贵庄街道 *王芳 1201\*\*\*\*\*\*\*\*\*\*002X"

# 1. The station user starts on her desk.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "a station user starts on the desk" wait_for "我的在办个案(王芳):3 件,逾期 2 件"
matches "her case overdue by 5 days, with its recipient" "$(tmux_screen)" \
	"120110001-2026-0901  刘大爷 .*逾期 5 天"
matches "and the one due in 20 days" "$(tmux_screen)" "120110001-2026-0902 .*20 天后到期"
like "her station's lines" "$(tmux_screen)" "7 天内到期的回访:0 件"
matches "the overdue visits counted as the other lines are" "$(tmux_screen)" "^   逾期回访:[0-9]+ 件$"
like "the qualification deadlines" "$(tmux_screen)" "超过 2 年取证期限的社工:1 人"
like "the status line keeps the menu's q" "$(tmux_screen | tail -n 1)" "Esc 主菜单  q 退出"

# Enter on the first line: her open cases, overdue first
tmux_keys Enter
ok "Enter opens her open cases" wait_for "Esc 返回"
matches "its columns headed" "$(tmux_screen | sed -n 4p)" \
	"^ 个案编号 +受助对象 +责任社工 +下次回访 *$"
matches "overdue first, by due date" "$(tmux_screen | sed -n 5p)" "^ 120110001-2024-0001"
matches "her case overdue by 5 days, with its worker" "$(tmux_screen | sed -n 6p)" \
	"120110001-2026-0901  刘大爷 *王芳 .*逾期 5 天"
tmux_keys Down Enter
ok "Enter on a case opens its case file" wait_for "个案档案 120110001-2026-0901 刘大爷"
like "overdue as the desk says" "$(tmux_screen)" "逾期 5 天"
tmux_keys Escape
ok "Esc back to the list" wait_gone "个案档案"
tmux_keys Escape
ok "Esc back to the desk" wait_for "Esc 主菜单"

# a visit logged meanwhile: the desk read again when shown
psql -XAtq -c "INSERT INTO sgz.visit (case_no, visit_date, kind, worker)
	VALUES ('120110001-2026-0901', current_date, 'phone', '12011019850315002X')" ||
	bail "visit"
tmux_keys Enter
wait_for "Esc 返回" || bail "no list"
tmux_keys Escape
ok "the desk is read again when shown: one overdue case less" \
	wait_for "我的在办个案(王芳):3 件,逾期 1 件"

tmux_keys Escape
ok "Esc leaves the desk for the main menu" wait_for " 0  工作台"
tmux_keys 0
ok "0 opens it again" wait_for "我的在办个案(王芳)"
tmux_keys 3
ok "the menu's numbers work on the desk" wait_for "走访记录"
tmux_keys Escape
wait_for " 0  工作台" || bail "no menu"
tmux_keys 0
wait_for "我的在办个案(王芳)" || bail "no desk"
tmux_keys q
is "q quits from the desk" "$(wait_exit)" 0
tmux_stop

# 2. A county user: his stations, and how to link a staff record.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
ok "a county user starts on the desk" wait_for "工作台  东丽区"
is "told how to link his staff record, in one line under his stations" \
	"$(tmux_screen | grep -c "sgz user add 登录名 ... --staff 身份证号\|工作人员档案")" 1
matches "the stations' figures headed" "$(tmux_screen)" \
	"^ 所属站点 +逾期 +人员配备 +指标 +对象 +个案 +大型 +小型 +培训 +待评估$"
matches "one line a station: overdue visits, staffing, the year's KPIs, evaluations due" \
	"$(tmux_screen)" "^ 张贵庄街道 +1 +无要求 2 1 +未达标 +1 +100% +0 +0 +0 +0$"
like "each station of his county" "$(tmux_screen)" " 丰年村街道"
like "against the targets" "$(tmux_screen)" "年度目标:服务对象 40 人,个案 50%"
matches "the month's progress report by the setting's due day" "$(tmux_screen)" \
	"进度月报:(26 日截止,还有 [0-9]+ 天|已过 26 日截止日)"
like "and whether this month's and last month's were submitted" "$(tmux_screen)" \
	"本月尚未报送；上月未报送"
last_month=$(date -d "$(date +%Y-%m-01) -1 month" +%Y-%m)
PGUSER=dl "$SGZ_BIN" submit progress --month "$last_month" >/dev/null 2>&1
tmux_keys Escape 0
ok "last month's submission on the desk read again" wait_for "上月已于 $(date +%Y-%m-%d) 报送"
stations_at=$(tmux_screen | grep -n "^ 张贵庄街道" | cut -d: -f1)
hint_at=$(tmux_screen | grep -n "工作人员档案" | cut -d: -f1)
ok "the hint under the stations" [ "${hint_at:-0}" -gt "${stations_at:-99}" ]
# Left/Right choose the figure Enter opens: the station's staff
tmux_keys Right Right Enter
ok "Right, Right, Enter: the station's staff" wait_for "张贵庄街道:工作人员"
tmux_keys Escape
ok "back on the desk" wait_for "待评估"
tmux_keys Left Enter
ok "Left: its overdue visits" wait_for "张贵庄街道:逾期回访"
tmux_keys Escape
wait_for "待评估" || bail "no desk"
tmux_keys Left Enter
ok "the name opens the station's page" wait_for "社工站 - 修改 120110001000"
tmux_keys Escape
wait_for "待评估" || bail "no desk"
# A contract binding today that asks for 12 social workers: the staffing
# cell holds the whole of "不足 2/12 1/1", not a cut one.
psql -XAtq -v ON_ERROR_STOP=1 >>"$tap_tmp/setup.out" 2>&1 <<EOF2 || bail "contract"
INSERT INTO sgz.contract (contract_no, purchaser, purchaser_name, organization,
	procurement_method, cycle_start, year_no, signed_on, starts_on, ends_on, amount,
	funding_source, stations, required_staff, required_qualified)
VALUES ('DL-DESK-1', '120110000000', '东丽区民政局', '52120110MJ0000001Y',
	'competitive_consultation', $(date +%Y), 1, '$(date +%Y)-01-01', '$(date +%Y)-01-01',
	'$(date +%Y)-12-31', 250000, '{social_assistance}', '{120110001000}', 12, 1);
EOF2
tmux_keys Escape 0
ok "the desk read again" wait_for "不足 2/12"
matches "staffing against a two-digit requirement, whole" "$(tmux_screen)" \
	"^ 张贵庄街道 +1 +不足 2/12 1/1 +未达标 "
tmux_stop

# 3. An administrator starts at the menu; 0 opens the desk.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 "$SGZ_BIN"
ok "an administrator starts at the menu" wait_for " 0  工作台"
tmux_keys 0
ok "0 opens the desk" wait_for "人员配备"
tmux_keys Escape
wait_for " 0  工作台" || bail "no menu"
tmux_keys 6 1
ok "the users list shows whom a login is, masked" wait_for "王芳 1201**********002X"
tmux_stop
