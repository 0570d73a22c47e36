#!/bin/sh
# programmes.sh - programmes.md's entities through the generic screens, in
# tmux at 80x24 in Chinese: the contracts menu lists them; a county user
# opens the programmes list and a programme's form (its fields, its
# contracts in the pane), an evaluation's form its indicator scores, a
# cycle made shorter than a year stored is
# refused in Chinese; a payment past the contract's amount is refused
# naming the excess; a station user reads the district's programme.
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
ORG=52120110MJ0000001Y

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff contracts evaluations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
printf 'indicator_set,code,name,parent,weight\nT1,A,管理,,40\nT1,A1,制度,A,20\nT1,A2,人员,A,20\nT1,B,服务,,60\n' >"$T/indicators.csv"
printf 'code,name,purchaser,kind,cycle_years,budget_per_station,indicator_set\nP2,两年项目包,120110,community_package,2,200000,T1\n' >"$T/programmes.csv"
K=contract_no,purchaser,organization,procurement_method,cycle_start,year_no,starts_on,ends_on,amount,stations,programme
printf '%s\nP2-1,120110,%s,inquiry,2024,1,2024-01-01,2024-12-31,400000,120110001000;120110002000,P2\nP2-2,120110,%s,inquiry,2024,2,2025-01-01,2025-12-31,400000,120110001000;120110002000,P2\n' \
	"$K" $ORG $ORG >"$T/contracts.csv"
printf 'contract_no,kind,evaluated_on,score\nP2-1,annual,2024-12-20,88\n' >"$T/evaluations.csv"
printf 'contract_no,paid_on,kind,amount\nP2-1,2024-01-10,advance,200000\n' >"$T/payments.csv"
printf 'contract_no,kind,evaluated_on,indicator,score\nP2-1,annual,2024-12-20,A1,18\nP2-1,annual,2024-12-20,A2,17.5\nP2-1,annual,2024-12-20,B,50\n' >"$T/evaluation_scores.csv"
for e in indicators programmes contracts evaluations payments evaluation_scores; do
	"$SGZ_BIN" import $e "$T/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$T/setup.out" 2>&1 || bail "user zgz"
"$SGZ_BIN" user add dl --scope 120110 --kind county >>"$T/setup.out" 2>&1 || bail "user dl"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
cd "$T" || bail "no scratch directory"

# 1. The county user: the menu, the list, the form.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dl "$SGZ_BIN"
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 4
ok "the contracts menu lists the programmes' entities" wait_for "8  报表报送"
like "programmes, indicators, scores and payments among them" \
	"$(tmux_screen | tr '\n' ' ' | tr -s ' ')" "2 购买服务合同 3 评估 4 购买服务项目 5 评估指标 6 评估指标得分 7 资金拨付"
tmux_keys 4
ok "4 opens the programmes list" wait_for "两年项目包"
like "its columns" "$(tmux_screen | sed -n 3p | tr -s ' ')" "项目编号 项目名称 购买主体 项目类型 周期年数"
like "a programme: its purchaser by name, its kind and cycle" "$(row_with 两年项目包 | tr -s ' ')" "P2 两年项目包 东丽区 社区服务项目包 2"
tmux_keys Enter
ok "Enter opens its form" wait_for "购买服务项目 - 修改 P2"
like "the form shows its indicator set" "$(row_with 指标体系)" "T1"
ok "and its contracts in a pane" wait_for "P2-2"
tmux_keys Tab Tab Tab Tab C-k
tmux_keys -l "1"
tmux_keys F2
ok "a cycle shorter than a year stored is refused, in Chinese" \
	wait_for "合同 P2-2 为周期第 2 年:周期不能缩短"
tmux_keys Escape
wait_for "放弃刚才输入的内容?" && tmux_keys y
tmux_keys Escape
wait_for "8  报表报送" || tmux_keys Escape

# 2. An evaluation's form: its indicator sheet in a pane, the total the sum.
tmux_keys 3
ok "3 opens the evaluations" wait_for "评估日期"
tmux_keys /
wait_for "Enter 确定  Esc 清除"
tmux_keys -l "P2-1"
tmux_keys Enter
wait_for "  筛选:P2-1"
tmux_keys Enter
ok "an evaluation's form" wait_for "评估 - 修改 P2-1"
like "its score is the sum of its indicators' (18 + 17.5 + 50)" "$(row_with 评估得分)" "85.5"
ok "its indicator scores in a pane" wait_for "17.5"
tmux_keys Escape
wait_for "  筛选:P2-1"
tmux_keys Escape
wait_for "8  报表报送" || tmux_keys Escape

# 3. A payment past the amount: the form names the excess.
tmux_keys 7
ok "7 opens the payments" wait_for "预付款"
tmux_keys a
wait_for "资金拨付 - 新增"
tmux_keys -l "P2-1"
tmux_keys Tab Tab
tmux_keys -l "进度款"
tmux_keys Tab
tmux_keys -l "250000"
tmux_keys F2
ok "a payment past the amount is refused, naming the excess" \
	wait_for "合同 P2-1 的拨付合计 450000.00 元,超出 50000.00 元"
tmux_stop

# 4. The station user reads the district's programme.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
wait_for "q 退出" || wait_for "0 工作台"
tmux_keys Escape
tmux_keys 4
wait_for "8  报表报送"
tmux_keys 4
ok "a station user sees the district's programme" wait_for "两年项目包"
tmux_stop
