#!/bin/sh
# admin.sh - main menu item 6, administration, end to end: the real binary
# in tmux at 80x24 against a real PostgreSQL with the fixtures and users of
# each kind. The submenu in English and Chinese; a user added through the
# form (kind from the picker) and found by `sgz user list` and in pg_roles;
# a bad scope refused with its reason, the other fields kept; a user removed
# after the confirm dialog; a setting edited and found in the database, and
# refused values with their reasons; the audit trail showing that change
# with its old and new values; a county user refused users and settings by
# the database (the refusal shown) and seeing only its county's part of
# the trail, ID numbers masked; the database screen's schema version.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 80

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in organizations stations staff volunteers; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
# A station of the other county, 120111 西青区: its rows are in the trail
# under that county, which a county user of 120110 must not see.
printf 'township,name,batch_year,status,established_on\n120111001000,,2021,operating,2021-09-01\n' \
	>"$tap_tmp/xiqing.csv"
"$SGZ_BIN" import stations "$tap_tmp/xiqing.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "second county's station failed"
# An admin who is no superuser (the database's rules apply to them), and a
# county user.
"$SGZ_BIN" user add boss --scope 12 --kind admin >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add boss failed"
"$SGZ_BIN" user add clerk --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
	bail "sgz user add clerk failed"

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}

# The line of the screen holding TEXT.
row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

# The rows of the submenu: " N  Label".
menu_items() {
	tmux_screen | sed -n 's/^ *\([1-9]  .*[^ ]\) *$/\1/p'
}

# 1. The submenu, in English and in Chinese.
tmux_start env PGUSER=boss "$SGZ_BIN" --lang en
wait_for "q quit" || bail "sgz did not start"
tmux_keys 6
ok "6 opens the administration submenu" wait_for "4  Database"
is "its four items" "$(menu_items)" "1  Users
2  Settings
3  Audit trail
4  Database"
is "its status line" "$(last_row)" "1-4 open  Enter open  ? help  Esc back"
tmux_keys '?'
ok "? shows its help" wait_for "Help: Administration"
tmux_keys Escape Escape
ok "Esc goes back to the main menu" wait_for "6  Administration"
tmux_keys q
wait_exit 10 >/dev/null

tmux_start env PGUSER=boss "$SGZ_BIN" --lang zh_CN
wait_for "q 退出" || bail "sgz did not start in Chinese"
tmux_keys 6
ok "the submenu in Chinese" wait_for "4  数据库"
is "every item translated" "$(menu_items)" "1  用户
2  参数设置
3  操作日志
4  数据库"
is "the status line too" "$(last_row)" "1-4 打开  Enter 打开  ? 帮助  Esc 返回"
tmux_keys 1
ok "the users in Chinese, kinds by their labels" wait_for "县区人员"
like "the scope with its division's name" "$(row_with clerk)" "120110000000 东丽区"
tmux_keys a
wait_for "用户 - 新增"
tmux_keys -l "Bad Name"
tmux_keys Tab
ok "a refused role name says why, in Chinese" wait_for "不是有效的用户名"
tmux_keys Escape y Escape Escape q
wait_exit 10 >/dev/null

# 2. Users: add one through the form, the kind from the picker.
tmux_start env PGUSER=boss "$SGZ_BIN" --lang en
wait_for "q quit"
tmux_keys 6 1
ok "1 lists the users" wait_for "clerk"
like "role, kind, scope and the scope's name" "$(row_with clerk)" \
	"clerk                county     120110000000 东丽区"
is "the list's status line" "$(last_row)" \
	"Enter open  a add  d delete  / filter  ? help  Esc back"
tmux_keys a
ok "a opens the form" wait_for "Users - new user"
tmux_keys -l "wang.li"
tmux_keys Enter F5
ok "F5 on the kind opens the picker" wait_for "Pick: Kind"
like "with every kind" "$(tmux_screen)" "|evaluator   "
tmux_keys -l "cou"
ok "typing narrows it" wait_gone "|evaluator"
tmux_keys Enter
ok "Enter takes the kind and moves on" wait_for "county____"
tmux_keys -l "120110"
tmux_keys F2
ok "F2 creates the user, and says so" \
	wait_for "Created the user wang.li: county, scope 120110000000 东丽区"
like "the list shows the new user" "$(row_with wang.li)" "county     120110000000 东丽区"
like "sgz user list has it" "$("$SGZ_BIN" user list 2>&1)" "wang.li  county  120110000000  东丽区"
is "the login role exists, in the county group" \
	"$(q "SELECT r.rolcanlogin || ' ' || g.rolname FROM pg_roles r
	       JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid
	      WHERE r.rolname = 'wang.li' AND g.rolname <> 'sgz_users'")" "true sgz_county"

# 3. A bad scope: its reason, as sgz user add gives it; the other fields kept.
tmux_keys a
wait_for "Users - new user"
tmux_keys -l "zhao"
tmux_keys Tab
tmux_keys -l "station"
tmux_keys Tab
tmux_keys -l "1201x"
tmux_keys Tab
ok "a scope that is no code is refused on leaving the field" \
	wait_for "Scope: division code may hold only the digits 0-9: \"1201x\""
like "the field is marked" "$(row_with "*Scope")" "!*Scope"
# the cursor moved on all the same (moving never traps): back to the scope
tmux_keys BTab C-k
tmux_keys -l "120199"
tmux_keys F2
ok "a scope not in the division list is refused by the database" \
	wait_for "scope 120199000000 is not in the division list"
like "on the scope field" "$(row_with "*Scope")" "!*Scope"
like "the role typed is kept" "$(row_with "User (login name)")" "zhao"
like "and the kind" "$(row_with "*Kind")" "station"
is "no role was created" "$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'zhao'")" 0
tmux_keys Escape
ok "Esc asks before discarding" wait_for "Discard what you typed?"
tmux_keys y
ok "y discards" wait_for "Enter open  a add"

# 4. Remove, after the confirm dialog.
tmux_keys /
tmux_keys -l "wang"
tmux_keys Enter
ok "the filter finds the user" wait_gone "clerk"
tmux_keys d
ok "d asks first" wait_for "Remove the user wang.li?"
tmux_keys n
ok "n keeps the user" wait_gone "Remove the user"
is "still there" "$(q "SELECT count(*) FROM sgz.user_scope WHERE role = 'wang.li'")" 1
tmux_keys d
wait_for "Remove the user wang.li?"
tmux_keys y
ok "y removes the user" wait_for "Removed the user wang.li."
is "the login role and its scope are gone" \
	"$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'wang.li'"):$(q "SELECT count(*) FROM sgz.user_scope WHERE role = 'wang.li'")" \
	"0:0"
unlike "sgz user list no longer has it" "$("$SGZ_BIN" user list 2>&1)" "wang.li"

# 5. Settings: edit a value; refused values keep the typing and say why.
tmux_keys Escape 2
ok "2 lists the settings" wait_for "star1_hours"
like "key, value and description" "$(row_with star1_hours)" "100 1-star volunteer"
tmux_keys /
tmux_keys -l "star1"
tmux_keys Enter
wait_gone "star2_hours"
tmux_keys Enter
ok "Enter edits the value, its default shown" wait_for "star1_hours (default 100):"
is "the status line says how to end" "$(last_row)" "Enter save  Esc cancel"
tmux_keys C-k
tmux_keys -l "abc"
tmux_keys Enter
ok "a value that is no number is refused" \
	wait_for "not a number (digits with an optional decimal point)"
like "the typing is kept" "$(row_with "star1_hours (default")" "abc"
tmux_keys C-k
tmux_keys -l "200000"
tmux_keys Enter
ok "a value out of the setting's range is refused" \
	wait_for "out of range: must be between 1 and 100000"
is "nothing was saved" "$(q "SELECT value FROM sgz.setting WHERE key = 'star1_hours'")" 100
tmux_keys C-k
tmux_keys -l "120"
tmux_keys Enter
ok "a good value is saved" wait_for "Saved: star1_hours = 120"
like "the list shows it" "$(row_with star1_hours)" "120 1-star volunteer"
is "in the database, in one statement (row_version bumped once)" \
	"$(q "SELECT value || ' ' || row_version FROM sgz.setting WHERE key = 'star1_hours'")" "120 2"

# 6. The audit trail: the change just made, newest first, its old and new values.
tmux_keys Escape 3
ok "3 shows the trail" wait_for "When             Who"
like "newest first: the setting just changed" "$(tmux_screen | sed -n 4p)" \
	"boss         Settings       update   star1_hours"
tmux_keys Enter
ok "Enter shows the entry" wait_for "Column               Before"
like "who, what and which table" "$(tmux_screen)" "by boss: update, Settings"
like "the old and the new value" "$(row_with "*value")" "100                           120"
tmux_keys Escape /
tmux_keys -l "120111"
tmux_keys Enter
# (wait for the filter's rows before the next key: Esc would cancel its query)
ok "the filter over the key finds the other county's station" wait_gone "star1_hours"
like "its row" "$(tmux_screen | sed -n 4p)" "Stations       insert   120111001000"
tmux_keys Escape 4

# 7. The database screen: the schema version, as sgz migrate --status.
version=$(q "SELECT name FROM sgz.schema_migration ORDER BY version DESC LIMIT 1")
ok "4 shows the database" wait_for "Schema version"
like "the version applied" "$(row_with "Schema version")" "$version"
like "the version this sgz knows" "$(row_with "This sgz knows")" "$version"
like "current" "$(row_with "Status")" "current"
like "row counts of the main tables" "$(row_with "Divisions")" "44699"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 8. A county user: users and settings refused by the database, the refusal
# shown; the trail of its own county only, ID numbers masked.
tmux_start env PGUSER=clerk "$SGZ_BIN" --lang en
wait_for "q quit"
tmux_keys 6 1
ok "a county user is refused the users, and told why" \
	wait_for "Only an administrator of sgz (kind admin) sees and changes the"
unlike "not in the database's words, naming its table" "$(tmux_screen)" "user_scope"
tmux_keys a
wait_for "Users - new user"
tmux_keys -l "sneaky"
tmux_keys Tab
tmux_keys -l "admin"
tmux_keys Tab
tmux_keys -l "12"
tmux_keys F2
ok "adding a user is refused, saying who may" wait_for "Only an administrator of sgz (kind admin) sees and changes"
is "no role was created" "$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'sneaky'")" 0
tmux_keys Escape y Escape 2
wait_for "star1_hours"
tmux_keys Enter
wait_for "(default 90)"
tmux_keys C-k
tmux_keys -l "50"
tmux_keys Enter
ok "changing a setting is refused, and said" \
	wait_for "Only an administrator of sgz (kind admin) changes the settings."
unlike "not in the database's words" "$(tmux_screen)" "permission denied"
is "the setting is unchanged" "$(q "SELECT value FROM sgz.setting WHERE key = 'grade_excellent'")" 90
tmux_keys Escape Escape 3
ok "the county user reads the trail" wait_for "Stations       insert   120110001000"
unlike "but not the other county's rows" "$(tmux_screen)" "120111001000"
tmux_keys /
tmux_keys -l "120111"
tmux_keys Enter
ok "not even by filtering for them" wait_for "(no records)"
tmux_keys / Escape
wait_for "Volunteers"
like "ID numbers are masked for a county user" "$(row_with "Volunteers")" "1201**********0077"
unlike "nowhere in full" "$(tmux_screen)" "120110199512310077"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 9. The same refusal in Chinese: who may, in plain words, no table named.
tmux_start env -u LC_ALL LANG=zh_CN.UTF-8 PGUSER=clerk "$SGZ_BIN"
wait_for "q 退出"
tmux_keys 6 1
ok "the county user is told in Chinese who may see the users" \
	wait_for "只有 sgz 管理员(类型 admin)可以查看和修改用户。"
unlike "without the database's words" "$(tmux_screen)" "user_scope"
unlike "nor its answer" "$(tmux_screen)" "数据库的答复"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0
