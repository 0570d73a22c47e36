#!/bin/sh
# station_page.sh - the station page (spec/work.md, Work screens 3) and
# reports that open what they count (Reports for people; keys.md Enter on
# a report row): the real binary in tmux at 80x24, in Chinese. A county
# user runs the staffing report; Enter on the row of a station that falls
# short of its contract opens the station's page: its form, the year's
# KPIs against the targets, the staffing against the contract with those
# past the qualification deadline, and the staff pane with each one's
# deadline (the staff list's derived column). The caseload report's row
# of a worker opens the list of her overdue cases, the coverage report's
# county row the county's stations. A station user's own station page
# shows the KPIs against the targets.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 38

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff volunteers activities hours recipients cases visits \
	contracts evaluations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
q() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1" 2>&1
}
# A contract binding 120110001000 this year: 3 staff of whom 1 qualified.
# It has 王芳 (qualified) and 李强 (unqualified, hired 2021-07-15: past
# his deadline, 2023-07-15): short of staff. 赵敏, hired a year ago, has
# a year to go. This year's training at the station.
q "INSERT INTO sgz.contract (contract_no, purchaser, organization, procurement_method,
    cycle_start, year_no, starts_on, ends_on, amount, stations, required_staff,
    required_qualified) VALUES ('DL-PAGE-1', '120110000000', '52120110MJ0000001Y',
    'competitive_consultation', extract(year FROM current_date)::int, 1,
    current_date - 100, current_date + 100, 300000, ARRAY['120110001000'], 4, 1)" \
	>>"$tap_tmp/setup.out" || bail "contract failed"
q "INSERT INTO sgz.staff (id_number, name, station, role, hired_on) VALUES
    ('120110199203040114', '赵敏', '120110001000', 'fulltime',
     (current_date - interval '1 year')::date)" >>"$tap_tmp/setup.out" || bail "staff failed"
q "INSERT INTO sgz.activity (station, date, title, kind) VALUES
    ('120110001000', current_date, '本年培训', 'training')" >>"$tap_tmp/setup.out" ||
	bail "activity failed"
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add dl failed"
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add zgz failed"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
year=$(date +%Y)
zhao=$(q "SELECT (current_date + interval '1 year')::date")
overdue=$(q "SELECT count(*) FROM sgz.report_caseload('120110', current_date)
              WHERE worker_name = '王芳' AND overdue_visits::int > 0")
cd "$tap_tmp" || bail "no scratch directory"

# 1. A county user: the staffing report, Enter on the station short of
# its contract.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
ok "the county user starts on the desk" wait_for "工作台"
tmux_keys 5
ok "5 the reports" wait_for "8  每月进度"
tmux_keys 2
ok "2 runs the staffing report" wait_for "人员配备 — 东丽区"
is "its station falls short" "$(q "SELECT compliant FROM sgz.report_staffing('120110', current_date)
                                    WHERE township_code = '120110001000'")" "no"
like "Enter is among the report's keys" "$(tmux_screen | tail -n 1)" "Enter 打开"
tmux_keys Enter
ok "Enter opens the station's page" wait_for "社工站 - 修改 120110001000"
like "the year's KPIs against the targets" "$(row_with "${year}年指标")" \
	"${year}年指标:未达标 对象 "
like "the trainings against theirs" "$(row_with "${year}年指标")" "培训 1/4"
like "the staffing against the contract" "$(row_with "人员配备:")" \
	"人员配备:不达标 社工 3/4 持证 1/1 超期未取证 1"
like "the station's fields below" "$(row_with 运营方式)" "运营方式"
# the panes below the fields: Tab past them, ] into the staff
tmux_keys ]
ok "] moves into the staff pane" wait_for "> 工作人员"
like "the staff pane names who is past the deadline" "$(row_with 超期未取证:)" \
	"超期未取证:李强;90天内到期:-"
like "who is past the deadline: 李强, hired 2021-07-15" "$(row_with "003X 李强")" \
	"2021-07-15 2023-07-15"
like "赵敏's deadline is a year away" "$(row_with 赵敏)" "$zhao"
case $(row_with 王芳) in
*20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]\ 20[0-9][0-9]-*) fail "王芳, qualified, has no deadline" ;;
*) pass "王芳, qualified, has no deadline" ;;
esac
# [ from the staff pane: the fields; [ again: the last pane (the resources), the outreach visits, the contracts
tmux_keys [ [ [ [
ok "[ [ the contracts pane" wait_for "> 购买服务合同"
like "a contract year with its grade" "$(row_with DL-2024-001)" "良好"
like "a name cut in a pane ends in the cut marker" "$(row_with DL-2024-001)" \
	" 东丽区乐群社会工… "
is "so does a line cut at the screen's edge" \
	"$(row_with DL-2024-001 | sed 's/ *$//; s/.*\(.\)$/\1/')" "…"
tmux_keys [ [ [ [ [
ok "[ back through the panes to the staff" wait_for "> 工作人员"
tmux_keys Down
tmux_keys Enter
ok "Enter opens 李强" wait_for "工作人员 - 修改"
like "the deadline is a field of the staff form" "$(row_with 取证期限)" "2023-07-15"
tmux_keys Escape
ok "Esc back to the station's page" wait_for "人员配备:不达标"
tmux_keys Escape
ok "and to the report" wait_for "人员配备 — 东丽区"

# 2. The caseload report: a worker's row opens her overdue cases.
tmux_keys Escape
wait_for "8  每月进度"
tmux_keys 5
ok "5 runs the caseload" wait_for "个案工作量 — 东丽区"
is "王芳 has overdue cases" "$overdue" "1"
tmux_keys Enter
ok "Enter on her row opens her overdue cases" wait_for "个案 王芳 逾期未走访"
like "the case overdue since 2024-03-15" "$(row_with 120110001-2024-0001)" "王芳"
tmux_keys Escape
ok "Esc back to the caseload" wait_for "个案工作量 — 东丽区"

# 3. The coverage report: the county's row opens its stations.
tmux_keys Escape
wait_for "8  每月进度"
tmux_keys 1
ok "1 runs the coverage" wait_for "站点覆盖 — 东丽区"
tmux_keys Enter
ok "Enter on the county opens its stations" wait_for "社工站 东丽区"
like "its station" "$(row_with 120110001000)" "张贵庄街道"

# 4. The contracts: a contract year opens its contract; the volunteer
# hours' rows open nothing, and say so.
tmux_keys Escape
wait_for "站点覆盖 — 东丽区"
tmux_keys Escape
wait_for "8  每月进度"
tmux_keys 7
ok "7 runs the contracts" wait_for "购买服务合同 — 东丽区"
tmux_keys Enter
ok "Enter opens the contract" wait_for "修改 DL-PAGE-1"
tmux_keys Escape
wait_for "购买服务合同 — 东丽区"
tmux_keys Escape
wait_for "8  每月进度"
tmux_keys 3
ok "3 runs the volunteer hours" wait_for "志愿服务时长 — 东丽区"
tmux_keys Enter
ok "Enter says its rows open nothing" wait_for "这张报表的行没有可打开的记录。"
tmux_stop

# 5. A station user's own station page.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
wait_for "工作台"
tmux_keys 1 2
wait_for "120110001000"
tmux_keys Enter
ok "Enter opens the station's page" wait_for "${year}年指标"
like "the KPIs against the year's targets" "$(row_with "${year}年指标")" "对象 1/40"
tmux_stop
