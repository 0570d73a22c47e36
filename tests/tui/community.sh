#!/bin/sh
# community.sh - a community's page (issue 14), at 80x24 in Chinese: a
# village or residents' committee opened from the division browser shows
# its organisations' pane under one line, urban or rural and its active
# organisations against the target of its kind (the community report's
# row); an organisation added from the pane counts at once; a rural
# village against 5; a township has no such line. As a station user, then
# a county user whose plan sets the urban target.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 15

XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME
F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff community_orgs; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "user add failed"
"$SGZ_BIN" user add dlq --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "user add failed"

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1 | sed 's/  */ /g; s/^ //; s/ $//'
}

# 1. The station user: 1 1 the division browser, her township's
# communities; Enter on 张贵庄第一社区.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "the station user starts on her desk" wait_for "工作台"
tmux_keys 1 1
ok "the division browser lists her communities" wait_for "120110001201 示范村"
tmux_keys Enter
ok "the community's page" wait_for "行政区划 - 修改 120110001001 张贵庄第一社区"
ok "its count against 10 on top" \
	wait_for "城市社区:活跃社区社会组织 2/10(登记 1,备案 1),未达标"
like "its organisations' pane" "$(row_with 书画社)" "张贵庄第一社区书画社 文体娱乐 备案 休眠"

# 2. A filed organisation added from the pane: 3 of 10.
tmux_keys ']'
wait_for "a 新增" >/dev/null
tmux_keys Enter
ok "Enter on the pane opens the organisation" wait_for "社区社会组织 - 修改"
is "its title names it once" "$(row_with '社区社会组织 - 修改')" \
	"社区社会组织 - 修改 张贵庄第一社区 张贵庄第一社区书画社"
tmux_keys Escape
wait_for "城市社区:" >/dev/null
tmux_keys a
ok "a new organisation of the community" wait_for "所在社区(村)      120110001001"
tmux_keys Down 楼道互助会 Down 其他 Down 备案 Down Down 2024-05-06 F2
ok "saved: the page counts it" \
	wait_for "城市社区:活跃社区社会组织 3/10(登记 1,备案 2),未达标"
like "and lists it" "$(tmux_screen)" "楼道互助会"

# 3. The rural village: against 5.
tmux_keys Escape
wait_for "120110001201 示范村" >/dev/null
tmux_keys Down Enter
ok "示范村 against 5" wait_for "农村社区:活跃社区社会组织 1/5(登记 0,备案 1),未达标"
tmux_stop

# 4. The county user, the district's plan of this year asking 3 per urban
# community: 张贵庄第一社区's 3 meet it; a township has no such line.
q "INSERT INTO sgz.plan (division, year, community_orgs_urban_target)
   VALUES ('120110000000', extract(year FROM current_date)::int, 3)" >>"$tap_tmp/setup.out"
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=dlq "$SGZ_BIN"
wait_for "q 退出" >/dev/null
tmux_keys 1 1
wait_for "张贵庄街道" >/dev/null
tmux_keys l
ok "a township below the district" wait_for "120110001001 张贵庄第一社区"
tmux_keys Enter
ok "the plan's target, met" wait_for "城市社区:活跃社区社会组织 3/3(登记 1,备案 2),达标"
tmux_keys Escape h
wait_for "张贵庄街道" >/dev/null
tmux_keys Enter
ok "the township's own form" wait_for "行政区划 - 修改 120110001000"
unlike "a township's page has no community line" "$(tmux_screen)" "活跃社区社会组织"
tmux_stop
