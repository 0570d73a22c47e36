#!/bin/sh
# picker.sh - the F5 picker of a person (spec/rules.md: display masks,
# sensitive records), the real binary in tmux at 80x24 against a real
# PostgreSQL with the fixtures, as a station user in Chinese
# (LANG=zh_CN.UTF-8) and as an administrator. The station user's picker
# masks every number and a child's name; a picked person shows in the
# field as the picker showed it, never in full; typing replaces the pick;
# the save stores the full number; picking a child's record is filed in the
# audit trail as an open, picking an adult is not. The administrator's
# pick of an adult shows the number in full, and is filed. A person shows
# by name, then the masked number (work.md). A look-up the database
# refuses says why, in the picker and on the message line, never that
# nothing matches.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 39

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
LIU=120110195001010066
XIAOMING=120110201506010051
WANG=12011019850315002X
ZHANG=120110197007070042
q() { psql -XAtc "$1" 2>&1; }
opens_of() {
	q "SELECT count(*) FROM sgz.audit WHERE action = 'open' AND key = to_jsonb('$1'::text)"
}

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations staff volunteers activities hours recipients; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001000 --kind station >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add failed"

message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

# 1. A station user's new case: the recipient picked, a child.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
ok "sgz opens the main menu" wait_for "q 退出"
tmux_keys 3 2
ok "the cases list" wait_for "a 新增"
tmux_keys a
ok "a new case" wait_for "个案 - 新增"
tmux_keys Tab F5
ok "F5 on the recipient: the picker" wait_for "刘大爷"
like "an adult's number masked" "$(tmux_screen)" "刘大爷 1201**********0066"
like "a child's number and name masked" "$(tmux_screen)" "小* 1201**********0051"
unlike "no number in full" "$(tmux_screen)" "$LIU"
unlike "nor the child's name" "$(tmux_screen)" "小明"
tmux_keys Down Enter
ok "the pick closes the picker" wait_gone "刘大爷"
like "the field shows the child masked, as the picker did" "$(row_with 受助对象)" \
	"1201**********0051"
unlike "never in full" "$(tmux_screen)" "$XIAOMING"
is "picking a child's record is filed as an open, by the station user" \
	"$(q "SELECT who || ' ' || table_name || ' ' || division || ' ' || (new->>'shown')
	      FROM sgz.audit WHERE action = 'open' AND key = to_jsonb('$XIAOMING'::text)")" \
	"zgz recipient 120110001201 picker"

# 2. Typing replaces a pick; F5 again starts from every candidate.
tmux_keys 120110001000 Up 1
ok "a key typed into the pick replaces it" wait_for "受助对象  1_"
tmux_keys C-k F5
ok "F5 again lists every recipient" wait_for "小* 1201**********0051"
tmux_keys Enter
ok "an adult picked" wait_gone "小*"
like "masked in the field" "$(row_with 受助对象)" "1201**********0066"
is "a station user's pick of an adult shows nothing more: not filed" "$(opens_of "$LIU")" 0

# 3. The rest of the case, the worker picked too; the save stores the
# full numbers.
tmux_keys Tab F5
ok "the worker's picker" wait_for "王芳"
tmux_keys Enter
ok "the worker masked" wait_for "1201**********002X"
tmux_keys individual Tab 2024-03-01 Tab intake F2
ok "saved" wait_for "已保存:个案 120110001-2024-0001 刘大爷"
is "with the full numbers the picks stood for" \
	"$(q "SELECT recipient || ' ' || worker FROM sgz.case_file WHERE opened_on = '2024-03-01'")" \
	"$LIU $WANG"
tmux_keys Escape Escape q
wait_exit 10 >/dev/null

# 4. An administrator's pick shows the number masked too (a number in full
# is a reveal, and every reveal is audited: sgz.person_reveal): nothing
# was revealed, nothing is filed.
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出" >/dev/null
tmux_keys 2 3
ok "the hours list" wait_for "a 新增"
tmux_keys a
ok "a new hours record" wait_for "服务时长 - 新增"
tmux_keys F5
ok "F5 on the volunteer" wait_for "张敏"
tmux_keys Enter
ok "the administrator's pick shows the number masked" wait_for "1201**********0042"
is "and nothing is filed" "$(opens_of "$ZHANG")" 0
tmux_keys Escape y Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 5. A stored person's form shows the number as the list does: the title
# and the field masked for the station user; a save of another field
# keeps the number the field stands for.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
wait_for "q 退出" >/dev/null
tmux_keys 3 1
ok "the recipients list" wait_for "a 新增"
tmux_keys Enter
ok "a recipient's form, the title masked" wait_for "服务对象 - 修改 刘大爷 1201**********0066"
unlike "the form shows no number in full" "$(tmux_screen)" "$LIU"
like "the ID field masked" "$(row_with 身份证号)" "1201**********0066"
tmux_keys Tab Tab 13900001234 F2
ok "a change of the phone saves" wait_for "已保存:服务对象 刘大爷 1201**********0066"
is "the number the field stood for is kept" \
	"$(q "SELECT id_number FROM sgz.recipient WHERE phone = '13900001234'")" "$LIU"
tmux_keys Escape Escape q
is "q quits again" "$(wait_exit 10)" 0

# 6. A look-up the database refuses is no "nothing matches": the picker
# and the message line say why, in Chinese.
q "REVOKE SELECT ON sgz.recipient_v FROM sgz_station" >/dev/null
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=zgz "$SGZ_BIN"
wait_for "q 退出" >/dev/null
tmux_keys 3 2
ok "the cases list again" wait_for "a 新增"
tmux_keys a
ok "a new case again" wait_for "个案 - 新增"
tmux_keys Tab F5
ok "the refused look-up says why in the picker" wait_for "| 无权访问视图 recipient_v"
like "and on the message line" "$(message_row)" "无权访问视图 recipient_v"
unlike "not that nothing matches" "$(tmux_screen)" "没有匹配"
