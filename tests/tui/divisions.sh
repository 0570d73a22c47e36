#!/bin/sh
# divisions.sh - the division browser (screen_tree.c) end to end: the real
# binary in tmux at 80x24 against a real PostgreSQL loaded with the national
# division list and a few villages. The provinces first, a page of them;
# down a level at a time to a township's villages with the path line; back
# up with the selection where it was; the search in Chinese from the top,
# each match with its path, and a jump from a match into its villages; the
# form opened from the tree, a village renamed and shown; a village added
# with its code prefix filled in, then deleted; a delete refused where
# referenced; export of what is shown; a county user who starts at his
# county and cannot go above it, and sees no add or delete; English; help.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 87

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
printf 'code,name\n120102011001,东新第一社区\n120102011002,东新第二社区\n120102011201,东新示范村\n' \
	>"$tap_tmp/villages.csv"
"$SGZ_BIN" import divisions "$tap_tmp/villages.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "village import failed"

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}
message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}
# The path line: the browser's name and where it is.
path_row() {
	tmux_screen | sed -n 2p | sed 's/^ *//; s/ *$//'
}
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}
# Rows of the list on screen: lines that start with a 12-digit code.
list_rows() {
	tmux_screen | grep -cE '^[0-9]{12} '
}
# Opens the selected division's record and prints the form's title line,
# then closes the form: which row is selected.
selected() {
	tmux_keys Enter
	wait_for "行政区划 - 修改" >/dev/null || return 1
	tmux_screen | grep -o '行政区划 - 修改 [0-9]*' | head -n 1
	tmux_keys Escape
	wait_gone "行政区划 - 修改" >/dev/null
}

# Exports write into the directory sgz runs in.
cd "$tap_tmp" || bail "no scratch directory"

# 1. The provinces, the first page of them.
tmux_start "$SGZ_BIN" --lang zh_CN
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 1 1
ok "stations, divisions opens the browser at the provinces" wait_for "110000000000 北京市"
is "the path line says where: the whole country" "$(path_row)" "行政区划  全国"
like "each row has its level and how many divisions are below it" \
	"$(row_with 110000000000)" "北京市                         省级      1"
like "the column titles" "$(tmux_screen | sed -n 3p)" "区划代码     名称                           级别 下级数"
is "a page of the provinces" "$(list_rows)" 19
unlike "not all of them" "$(tmux_screen)" "650000000000"
is "the status line" "$(last_row)" "h/l 上下级  Enter 打开  / 筛选  a 新增  d 删除  e 导出  ? 帮助  Esc 返回"
tmux_keys End
ok "End fetches the last page" wait_for "650000000000 新疆维吾尔自治区"
tmux_keys Home
ok "Home the first" wait_for "110000000000 北京市"
tmux_keys Left
ok "nothing above the provinces" wait_for "已是最上一级。"

# 2. Down a level at a time to a township's villages.
tmux_keys Down Right
ok "Right opens Tianjin's prefectures" wait_for "120100000000 市辖区"
is "the path line" "$(path_row)" "行政区划  天津市"
tmux_keys l
ok "l opens its counties" wait_for "120102000000 河东区"
tmux_keys Down Right
ok "the townships of 河东区" wait_for "120102011000 东新街道"
is "the path line follows" "$(path_row)" "行政区划  天津市 > 市辖区 > 河东区"
like "a township counts its villages" "$(row_with 120102011000)" "东新街道                       乡级      3"
tmux_keys Down Down Down Down Down Down Down Down Down Down
tmux_keys Right
ok "the villages of 东新街道" wait_for "120102011201 东新示范村"
is "the path line of a township" "$(path_row)" "行政区划  天津市 > 市辖区 > 河东区 > 东新街道"
like "a village counts nothing below it" "$(row_with 120102011001)" "东新第一社区                   村级"
tmux_keys Right
ok "a village has nothing below it" wait_for "村级区划没有下一级。"

# 3. Back up: the selection is on the township we came from.
tmux_keys Left
ok "Left goes back up to the townships" wait_for "120102001000 大王庄街道"
is "the path line goes back too" "$(path_row)" "行政区划  天津市 > 市辖区 > 河东区"
is "the selection is on the township we came from" "$(selected)" "行政区划 - 修改 120102011000"
tmux_keys BSpace
ok "Backspace goes up too" wait_for "120101000000 和平区"
is "on the county we came from" "$(selected)" "行政区划 - 修改 120102000000"

# 4. The search from the top, in Chinese: every level, with the path.
tmux_keys h h
ok "back at the provinces" wait_for "110000000000 北京市"
tmux_keys /
ok "/ asks for a filter" wait_for "Enter 确定  Esc 清除"
tmux_keys -l "东新街道"
tmux_keys Enter
ok "the township is found from the top" wait_for "120102011000 东新街道"
like "with its path" "$(row_with 120102011000)" "天津市 > 市辖区 > 河东区"
like "the namesakes of other provinces too" "$(row_with 330105018000)" "浙江省 > 杭州市 > 拱墅区"
like "the path line says what filters" "$(path_row)" "全国  筛选:东新街道"
like "Esc now clears the search" "$(last_row)" "Esc 清除"
tmux_keys Right
ok "Right on a match opens its villages" wait_for "120102011002 东新第二社区"
is "the path line of the match" "$(path_row)" "行政区划  天津市 > 市辖区 > 河东区 > 东新街道"
tmux_keys Left
ok "Left goes up one level from there" wait_for "120102001000 大王庄街道"
is "onto the match" "$(selected)" "行政区划 - 修改 120102011000"
tmux_keys Left
ok "and another, through the levels the jump passed" wait_for "120101000000 和平区"
is "onto the county of the match" "$(selected)" "行政区划 - 修改 120102000000"
tmux_keys Left Left
ok "up to the search again" wait_for "330105018000"
is "onto the match" "$(selected)" "行政区划 - 修改 120102011000"
tmux_keys Escape
ok "Esc clears the search" wait_for "110000000000 北京市"
unlike "the heading has no filter" "$(path_row)" "筛选"
# A match far down its county's list: going back up fetches the list from it.
tmux_keys /
tmux_keys -l "大黄堡"
tmux_keys Enter
ok "a town far down its county's list is found" wait_for "120114122000 大黄堡镇"
tmux_keys Right
ok "Right opens it, no villages loaded" wait_for "(没有记录)"
is "its path" "$(path_row)" "行政区划  天津市 > 市辖区 > 武清区 > 大黄堡镇"
tmux_keys Left
ok "Left fetches its county's townships from the town" wait_for "120114122000 大黄堡镇"
is "with the selection on it" "$(selected)" "行政区划 - 修改 120114122000"
tmux_keys Up
is "and the rows above it at hand" "$(selected)" "行政区划 - 修改 120114121000"
tmux_keys Left Left Left
ok "back up to the search" wait_for "全国  筛选:大黄堡"
tmux_keys Escape
ok "Esc clears it" wait_for "110000000000 北京市"

# 5. The form from the tree: a village renamed, shown in the tree.
tmux_keys /
tmux_keys -l "120102011"
tmux_keys Enter
ok "a code prefix searches too" wait_for "120102011001 东新第一社区"
tmux_keys Right
ok "into the township's villages" wait_for "120102011201 东新示范村"
tmux_keys Enter
ok "Enter opens the village's record" wait_for "行政区划 - 修改 120102011001"
tmux_keys Tab C-k
tmux_keys -l "东新一社区"
tmux_keys F2
ok "F2 saves" wait_for "已保存:行政区划 120102011001 河东区东新一社区"
like "the tree shows the new name" "$(row_with 120102011001)" "东新一社区"
is "it is stored" "$(q "SELECT name FROM sgz.division WHERE code = '120102011001'")" "东新一社区"

# 6. A village added below the township, its code prefix filled in; deleted.
tmux_keys a
ok "a opens a new division's form" wait_for "行政区划 - 新增"
like "with the township's code prefix" "$(row_with "区划代码")" "120102011_"
tmux_keys -l "003"
tmux_keys Tab
tmux_keys -l "东新第三社区"
tmux_keys F2
ok "the new village is in the tree" wait_for "120102011003 东新第三社区"
is "and in the database, under the township" \
	"$(q "SELECT parent || ' ' || level FROM sgz.division WHERE code = '120102011003'")" \
	"120102011000 5"
tmux_keys End Up d
ok "d asks first" wait_for "删除行政区划 120102011003"
like "naming the division" "$(tmux_screen)" "删除行政区划 120102011003 河东区东新第三社区?"
tmux_keys y
ok "y deletes" wait_for "已删除。"
is "it is gone" "$(q "SELECT count(*) FROM sgz.division WHERE code = '120102011003'")" 0
wait_gone "120102011003"
tmux_keys Left
wait_for "120102001000 大王庄街道"
tmux_keys d
wait_for "删除行政区划 120102001000 河东区大王庄街道?"
tmux_keys y
ok "a township with villages is not deleted" wait_for "不能删除"
tmux_keys Enter
is "it is still there" "$(q "SELECT count(*) FROM sgz.division WHERE code = '120102011000'")" 1

# 7. Export what is shown.
tmux_keys Right
wait_for "120102011201 东新示范村"
tmux_keys e
ok "e asks for a file" wait_for "导出到:divisions-120102011-"
tmux_keys Enter
ok "and writes it, into the export directory" \
	wait_for "3 行已导出到 $HOME/sgz-exports/divisions-120102011-"
is "the file holds the villages shown, in the import format" \
	"$(sed '1s/^\xEF\xBB\xBF//' "$HOME"/sgz-exports/divisions-120102011-*.csv)" \
	"code,name,urban_rural,population,households
120102011001,东新一社区,,,
120102011002,东新第二社区,,,
120102011201,东新示范村,,,"
tmux_keys Escape
wait_for "1  行政区划"
tmux_keys Escape q
is "q quits" "$(wait_exit 10)" 0

# 8. A county user starts at his county and cannot go above it.
"$SGZ_BIN" user add clerk --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add failed"
tmux_start env PGUSER=clerk "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
tmux_keys 1 1
ok "the county user's browser opens at his county's townships" \
	wait_for "120110001000 张贵庄街道"
is "the path line names the county" "$(path_row)" "行政区划  天津市 > 市辖区 > 东丽区"
unlike "nothing of another county" "$(tmux_screen)" "120102"
is "no add or delete on the status line" "$(last_row)" \
	"h/l 上下级  Enter 打开  / 筛选  e 导出  ? 帮助  Esc 返回"
tmux_keys Left
ok "Left at the top of the scope says so" wait_for "已是你管辖范围的最上一级:天津市 > 市辖区 > 东丽区。"
is "and stays" "$(path_row)" "行政区划  天津市 > 市辖区 > 东丽区"
tmux_keys a
ok "a says why not" wait_for "你没有新增行政区划的权限。"
tmux_keys /
tmux_keys -l "东新"
tmux_keys Enter
ok "the search stays within the county" wait_for "(没有记录)"
tmux_keys Escape
ok "Esc clears it" wait_for "120110001000 张贵庄街道"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 9. English, and help.
tmux_start "$SGZ_BIN" --lang en
wait_for "q quit"
tmux_keys 1 1
ok "the English browser" wait_for "110000000000 北京市"
like "levels in English" "$(row_with 110000000000)" "province"
is "its status line" "$(last_row)" \
	"h/l levels  Enter open  / filter  a add  d delete  e export  ? help  Esc back"
tmux_keys F1
ok "F1 lists the keys" wait_for "Left, h, Backspace"
like "Right goes down a level" "$(row_with "Right, l")" "open the divisions below the selected one"
tmux_keys Escape Escape Escape q
is "q quits" "$(wait_exit 10)" 0
