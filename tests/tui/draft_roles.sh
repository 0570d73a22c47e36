#!/bin/sh
# draft_roles.sh - a draft records the database and the login role it was
# typed against, and is offered back only to a session of the same two:
# the real binary in tmux at 80x24, in Chinese, against a real PostgreSQL.
# Two county users share one system account (one state directory): what
# one typed and lost to a dropped link is never shown to the other, nor
# discarded by them; it stays on disk and is offered to its own role. A
# draft of an older sgz, which recorded neither, is offered to no one.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 16

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME
drafts=$XDG_STATE_HOME/sgz/drafts

F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$tap_tmp/setup.out" 2>&1 ||
	bail "division import failed"
for e in organizations stations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$tap_tmp/setup.out" 2>&1 || bail "$e import failed"
done
for u in zhangmin lisi; do
	"$SGZ_BIN" user add $u --scope 120110 --kind county >>"$tap_tmp/setup.out" 2>&1 ||
		bail "sgz user add $u failed"
done

now_ms() { date +%s%3N; }

# gone_within PID SECONDS - waits for PID to end.
gone_within() {
	gw_end=$(($(now_ms) + $2 * 1000))
	while :; do
		gw_stat=$(ps -o stat= -p "$1")
		[ -z "$gw_stat" ] || [ "${gw_stat#Z}" != "$gw_stat" ] && return 0
		[ "$(now_ms)" -lt "$gw_end" ] || return 1
		sleep 0.05
	done
}

ndrafts() { ls "$drafts" 2>/dev/null | wc -l; }
sums() { cat "$drafts"/* 2>/dev/null | md5sum; }

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

# as ROLE - sgz in Chinese, connected as ROLE.
as() {
	tmux_start env PGUSER="$1" "$SGZ_BIN" --lang zh_CN
}

# 1. zhangmin edits a station's name; the link drops (SIGHUP).
as zhangmin
wait_for "q 退出" || bail "sgz did not start as zhangmin"
pid=$(tmux_pid)
tmux_keys 1 2
wait_for "120110002000"
tmux_keys Down Enter
wait_for "社工站 - 修改 120110002000"
tmux_keys Tab C-k
tmux_keys -l "张敏输入的名称"
wait_for "张敏输入的名称"
kill -HUP "$pid"
ok "SIGHUP ends sgz" gone_within "$pid" 5
is "one draft is kept" "$(ndrafts)" 1
draft=$(cat "$drafts"/*.draft)
like "it records the role typed as" "$draft" "
role zhangmin
"
sysid=$(q "SELECT system_identifier FROM pg_control_system()")
like "and the database: the cluster's identifier and the database's name" "$draft" "
database $sysid/postgres
"

# 2. lisi, on the same account: not offered, not touched.
before=$(sums)
as lisi
ok "lisi's session opens on the main menu" wait_for "q 退出"
unlike "with no offer of zhangmin's typing" "$(tmux_screen)" "未保存的输入"
unlike "nor the station it was of" "$(tmux_screen)" "120110002000"
tmux_keys q
is "lisi quits" "$(wait_exit 10)" 0
is "the draft is still there, untouched" "$(sums)" "$before"

# 3. The database's owner (another role again): not offered either.
tmux_start "$SGZ_BIN" --lang zh_CN
ok "the owner's session opens on the main menu" wait_for "q 退出"
unlike "with no offer" "$(tmux_screen)" "未保存的输入"
tmux_keys q
wait_exit 10 >/dev/null

# 4. A draft of an older sgz (no database, no role): offered to no one.
printf 'sgz-draft 1\nentity stations\nkey V120110001000\nversion 1\ntitle 120110001000\nsaved 100\nhost elsewhere\npid 1\nfield name 旧版本的输入\n' \
	>"$drafts/stations-100-1-0.draft"
before=$(sums)

# 5. zhangmin again: offered exactly zhangmin's; r reopens it.
as zhangmin
ok "zhangmin is offered the draft" wait_for "未保存的输入"
like "naming the record" "$(tmux_screen)" "社工站  120110002000  ("
unlike "and not the older sgz's" "$(tmux_screen)" "120110001000"
tmux_keys r
wait_for "社工站 - 修改 120110002000"
like "r reopens it with the typing" "$(row_with "站点名称")" "张敏输入的名称"
tmux_keys Escape
wait_for "放弃"
tmux_keys y
wait_for "q 退出"
tmux_keys q
wait_exit 10 >/dev/null
is "discarding it left the older draft alone" "$(ls "$drafts")" "stations-100-1-0.draft"
