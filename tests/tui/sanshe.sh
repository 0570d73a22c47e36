#!/bin/sh
# sanshe.sh - programmes.md's community organisations in the interface, at
# 80x24 in Chinese, as a station user: the community report of her
# township, a filed organisation added to a community through the form
# (a filed one without its date refused on its field first), and the
# report again with one more; the supervisions' list with the attendees
# by name, their numbers masked.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 19

XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff supervisions community_orgs; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "user add failed"

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1 | sed 's/  */ /g; s/^ //; s/ $//'
}

tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "the station user starts on her desk" wait_for "工作台"

# The community report of her township, this year: 张贵庄第一社区 has two
# active organisations (书画社 is dormant) against 10, 示范村 one against 5.
tmux_keys 5
ok "the reports offer the community report" wait_for "9  社区社会组织"
tmux_keys 9
ok "which runs" wait_for "合计"
is "张贵庄第一社区: 2 active, 1 registered, 1 filed (its target of 10 beyond the edge)" \
	"$(row_with '120110001001')" "120110001001 张贵庄第一社区 城市社区 2 1 1"
is "示范村: 1 filed" "$(row_with '120110001201')" "120110001201 示范村 农村社区 1 0 1"
tmux_keys Right Right Right Right
ok "scrolled, the targets and whether they are met" wait_for "目标数"
like "10 for the urban community, not met" "$(row_with '120110001001')" " 10 否"
like "5 for the rural one" "$(row_with '120110001201')" " 5 否"
# Enter on the first row, 张贵庄第一社区: the community's page, as a
# station row opens the station's, its organisations in a pane.
tmux_keys Enter
ok "Enter on a community's row opens its page" \
	wait_for "城市社区:活跃社区社会组织 2/10(登记 1,备案 1),未达标"
like "the community's own page" "$(tmux_screen)" "行政区划 - 修改 120110001001 张贵庄第一社区"
like "its organisations in a pane" "$(tmux_screen)" "张贵庄第一社区书画社"
tmux_keys Escape
wait_for "目标数" >/dev/null
tmux_keys Escape
wait_for "1-9, a-e 生成" >/dev/null
tmux_keys Escape
wait_for "工作台" >/dev/null

# 1 站点台账, 6 社区社会组织, a: a new one
tmux_keys 1
ok "the stations menu has the community organisations" wait_for "6  社区社会组织"
tmux_keys 6
wait_for "张贵庄第一社区书画社" >/dev/null
tmux_keys a
ok "a new organisation's form" wait_for "社区社会组织 - 新增"
tmux_keys 120110001001 Down 楼道互助会 Down 其他 Down 备案 Down Down Down 18 Down 周阿姨 F2
ok "a filed one without its date is refused on its field" wait_for "备案的组织须填写备案日期"
tmux_keys 2024-05-06 F2
ok "with its date it is saved" wait_gone "社区社会组织 - 新增"
wait_for "楼道互助会" >/dev/null
is "as filed and active" "$(row_with '楼道互助会')" "张贵庄第一社区 楼道互助会 其他 备案 活跃"
is "in the database, with the date" \
	"$(q "SELECT registration || ' ' || filed_on || ' ' || members FROM sgz.community_org WHERE name = '楼道互助会'")" \
	"filed 2024-05-06 18"

# The report again: one more filed, active organisation.
tmux_keys Escape
wait_for "6  社区社会组织" >/dev/null
tmux_keys Escape
wait_for "工作台" >/dev/null
tmux_keys 5
wait_for "9  社区社会组织" >/dev/null
tmux_keys 9
wait_for "合计" >/dev/null
is "the community report counts it" "$(row_with '120110001001')" \
	"120110001001 张贵庄第一社区 城市社区 3 1 2"
tmux_keys Escape
wait_for "1-9, a-e 生成" >/dev/null
tmux_keys Escape
wait_for "工作台" >/dev/null

# Supervisions: the attendees by name in the list, masked in the form.
tmux_keys 1
wait_for "7  督导" >/dev/null
tmux_keys 7
ok "the supervisions list names the attendees" wait_for "王芳、李强"
tmux_stop
