#!/bin/sh
# evalsheet.sh - the evaluation sheet (programmes.md, the indicator
# sheet) in tmux at 80x24 in Chinese as a county user: g on a contract
# year opens its sheet (the tree of its programme's set), scores typed
# change the first-level sum, the total, the grade and the decision on
# the bottom line as they are typed; a score above its weight is refused
# naming the indicator, what was typed kept; F2 saves and the evaluations
# list shows the score; g on that evaluation opens it again, F3 saves and
# moves to the next contract year of the cycle; a station user reads it.
# Two evaluators: a save over a sheet saved since is refused naming who,
# the typed score kept on the screen and in a draft, Ctrl-R reads it again
# keeping it; a draft kept when the terminal is killed, offered at the
# next start, and kept by Esc's k, offered when the sheet opens again.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 37

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
T=$tap_tmp
ORG=52120110MJ0000001Y

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff contracts; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,20\nT1,A2,人员,A,20\nT1,B,服务,,60\n' >"$T/indicators.csv"
printf 'code,name,purchaser,kind,cycle_years,indicator_set\nP2,两年项目包,120110,community_package,2,T1\n' >"$T/programmes.csv"
K=contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations,programme
printf '%s\nP2-1,120110,%s,inquiry,2024,1,2024-01-01,2024-12-31,400000,120110001000,P2\nP2-2,120110,%s,inquiry,2024,2,2025-01-01,2025-12-31,400000,120110001000,P2\n' \
	"$K" $ORG $ORG >"$T/contracts.csv"
for e in indicators programmes contracts; do
	"$SGZ_BIN" import $e "$T/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$T/setup.out" 2>&1 || bail "user zgz"
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$T/setup.out" 2>&1 || bail "user dl"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
bottom() {
	tmux_screen | grep -F "合计" | tail -n 1 | tr -s ' '
}
cd "$T" || bail "no scratch directory"

# 1. The county user: g on contract P2-1.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
wait_for "q 退出"
tmux_keys 4
wait_for "8  报表报送"
tmux_keys 2
wait_for "P2-2"
tmux_keys /
wait_for "Enter 确定  Esc 清除"
tmux_keys -l "P2-1"
tmux_keys Enter
wait_for "  筛选:P2-1"
ok "the contracts list offers g, the sheet" wait_for "g 评分表"
tmux_keys g
ok "g opens the contract year's sheet" wait_for "评估评分表 P2-1"
like "its programme, set and year" "$(tmux_screen | tr -s ' ')" "项目 P2 指标体系 T1 第 1 年(共 2 年)"
like "the first level with its weight" "$(row_with 管理 | tr -s ' ')" "A 管理 40"
like "nothing scored: the decision pending" "$(bottom)" "合计 - 评估等级 - 续签决定 待评估"
tmux_keys -l "15"
ok "a score typed changes the total as it is typed" wait_for "合计 15 "
like "and the first level's sum" "$(row_with 管理 | tr -s ' ')" "A 管理 40 15"
like "grade fail, re-procure" "$(bottom)" "合计 15 评估等级 不合格 续签决定 重新采购"
tmux_keys Tab
tmux_keys -l "25"
tmux_keys Tab
ok "a score above its weight is refused naming the indicator" \
	wait_for "得分 25.0 超过指标 A2 的分值 20.0"
like "what was typed is kept" "$(row_with 人员 | tr -s ' ')" "A2 人员 20 25"
tmux_keys C-k
tmux_keys -l "20"
tmux_keys Tab
tmux_keys -l "50.5"
ok "the total, grade and decision follow" wait_for "合计 85.5   评估等级 良好   续签决定 续签"
tmux_keys F2
ok "F2 saves" wait_for "已保存:评估得分 85.5"
tmux_keys Escape
wait_for "  筛选:P2-1"
tmux_keys Escape
wait_for "8  报表报送"
tmux_keys 3
wait_for "评估日期"
ok "the evaluations list shows the score" wait_for "85.5"
like "the contract year's evaluation, graded" "$(row_with P2-1 | tr -s ' ')" "2024-12-31"

# 2. g on the evaluation, F3: the next contract year.
tmux_keys /
wait_for "Enter 确定  Esc 清除"
tmux_keys -l "P2-1"
tmux_keys Enter
wait_for "  筛选:P2-1"
tmux_keys g
wait_for "评估评分表 P2-1"
tmux_keys -l "18"
tmux_keys F3
ok "F3 saves and opens the next year of the cycle" wait_for "评估评分表 P2-2"
like "year 2 of 2, dated a year on" "$(tmux_screen | tr -s ' ')" "2025-12-31"
tmux_keys Escape
tmux_stop

# 3. A station user reads the sheet, may not score it.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
wait_for "q 退出" || wait_for "0 工作台"
tmux_keys Escape
tmux_keys 4
wait_for "8  报表报送"
tmux_keys 3
wait_for "评估日期"
tmux_keys /
wait_for "Enter 确定  Esc 清除"
tmux_keys -l "P2-1"
tmux_keys Enter
wait_for "  筛选:P2-1"
tmux_keys g
wait_for "评估评分表 P2-1"
tmux_keys -l "1"
ok "a station user reads the sheet, not scores it" wait_for "您可以查看此评分表,但不能评分。"
tmux_stop

# 4. Two evaluators on one sheet: wang saves P2-1's while dl types; dl's
# F2 is refused naming wang, the typed score kept on the screen and in a
# draft; Ctrl-R reads the sheet again keeping it, F2 saves it.
drafts=$XDG_STATE_HOME/sgz/drafts
ndrafts() { ls "$drafts" 2>/dev/null | wc -l; }
E="'P2-1', NULL, 'annual', '2024-12-31'"
scores() {
	psql -XAtq -c "SELECT string_agg(indicator || '=' || score, ' ' ORDER BY indicator) FROM sgz.evaluation_score WHERE contract_no = 'P2-1'"
}
open_p21() {
	tmux_keys 4
	wait_for "8  报表报送"
	tmux_keys 2
	wait_for "P2-2"
	tmux_keys /
	wait_for "Enter 确定  Esc 清除"
	tmux_keys -l "P2-1"
	tmux_keys Enter
	wait_for "  筛选:P2-1"
	tmux_keys g
}
"$SGZ_BIN" user add wang --scope 120110 --kind county >>"$T/setup.out" 2>&1 || bail "user wang"
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
wait_for "q 退出"
pid=$(tmux_pid)
open_p21
wait_for "评估评分表 P2-1"
PGUSER=wang psql -XAtq -c "SELECT total FROM sgz.evaluation_sheet_save($E, '{A1,A2,B}', '{10,20,50.5}', sgz.evaluation_sheet_version($E))" >>"$T/setup.out" 2>&1
tmux_keys -l "19"
tmux_keys Tab F2
ok "a save over a sheet saved since it was opened is refused, naming who" \
	wait_for "已被 wang 于"
like "nothing saved" "$(tmux_screen | tr -d '\n' | tr -s ' ')" "本次未保存任何内容"
like "the typed score still shown" "$(row_with 制度 | tr -s ' ')" "A1 制度 20 19"
is "wang's scores stand" "$(scores)" "A1=10.0 A2=20.0 B=50.5"
is "and dl's typing is kept as a draft" "$(ndrafts)" 1
tmux_keys C-r
ok "Ctrl-R reads it again keeping the typed score" wait_for "已按保存的内容重新读取"
like "19 over wang's 10" "$(row_with 制度 | tr -s ' ')" "A1 制度 20 19"
tmux_keys F2
ok "F2 then saves it" wait_for "已保存:评估得分 89.5"
is "stored" "$(scores)" "A1=19.0 A2=20.0 B=50.5"
is "the draft gone once saved" "$(ndrafts)" 0

# 5. dl types a score and the terminal is killed: a draft, offered at the
# next start; r opens the sheet with it.
tmux_keys Up
tmux_keys -l "12"
tmux_keys Tab
wait_for "合计 82.5"
kill -HUP "$pid"
sleep 1
is "a draft kept when the terminal goes" "$(ndrafts)" 1
tmux_stop
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
ok "offered at the next start" wait_for "未保存的输入"
like "naming the sheet" "$(tmux_screen)" "评分表 P2-1 年度评估 2024-12-31"
tmux_keys r
ok "r opens the sheet" wait_for "评估评分表 P2-1"
like "with the typed score" "$(row_with 制度 | tr -s ' ')" "A1 制度 20 12"

# 6. Esc keeps it as a draft (k); opening the same sheet again offers it.
tmux_keys Escape
wait_for "保留为草稿"
tmux_keys k
wait_for "  筛选:P2-1" >/dev/null 2>&1 || wait_for "q 退出"
is "Esc, k: kept" "$(ndrafts)" 1
tmux_stop
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
wait_for "未保存的输入"
tmux_keys Escape
wait_for "q 退出"
open_p21
ok "opening the sheet again offers its draft" wait_for "未保存的输入"
tmux_keys r
ok "restored on the sheet" wait_for "项得分已恢复到评分表"
tmux_keys F2
ok "and saved" wait_for "已保存:评估得分 82.5"
is "stored from the draft" "$(scores)" "A1=12.0 A2=20.0 B=50.5"
tmux_stop
