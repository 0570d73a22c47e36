#!/bin/sh
# drafts.sh - interrupted sessions lose nothing (DESIGN.md, Terminal): the
# real binary in tmux at 80x24 against a real PostgreSQL. What was typed
# into a form and not saved survives a dropped SSH link (SIGHUP), SIGTERM,
# the terminal itself lost (the tmux server killed) and a lost database
# connection: sgz ends within 2 s, keeps it as a draft (a private file
# under the state directory), offers it back at the next start (entity,
# record, when), reopens it with r (a save removes the draft; someone
# else's save since shows as a conflict) or discards it with d. Also: a
# query that takes time says so and Esc cancels it; a signal cancels it too.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 48

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

now_ms() { date +%s%3N; }

process_gone() {
	pg_stat=$(ps -o stat= -p "$1")
	[ -z "$pg_stat" ] || [ "${pg_stat#Z}" != "$pg_stat" ]
}

# gone_within PID SECONDS - waits for PID to end; prints the milliseconds.
gone_within() {
	gw_start=$(now_ms)
	gw_end=$((gw_start + $2 * 1000))
	until process_gone "$1"; do
		if [ "$(now_ms)" -ge "$gw_end" ]; then
			ps -o pid,stat,pcpu,wchan:24,args -p "$1" | sed 's/^/# /' >&2
			kill -KILL "$1" 2>/dev/null
			return 1
		fi
		sleep 0.05
	done
	echo $(($(now_ms) - gw_start))
}

row_with() {
	tmux_screen | grep -F -- "$1" | head -n 1
}

ndrafts() {
	ls "$drafts" 2>/dev/null | wc -l
}

# The station 120110002000's form with its name changed to $1, not saved.
edit_name() {
	tmux_keys 1 2
	wait_for "120110002000" || return 1
	tmux_keys Down Enter
	wait_for "社工站 - 修改 120110002000" || return 1
	tmux_keys Tab C-k
	tmux_keys -l "$1"
	wait_for "$1"
}

# 1. SIGHUP (a dropped SSH link) while editing: gone within 2 s, the typing kept.
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
sgz_pid=$(tmux_pid)
edit_name "挂断前输入的名称"
kill -HUP "$sgz_pid"
if ms=$(gone_within "$sgz_pid" 2); then
	pass "SIGHUP ends sgz within 2 s ($ms ms)"
else
	fail "SIGHUP ends sgz within 2 s"
fi
is "one draft is kept" "$(ndrafts)" 1
is "private to the user" "$(stat -c %a "$drafts"/*.draft) $(stat -c %a "$drafts")" "600 700"
like "holding what was typed" "$(cat "$drafts"/*.draft)" "field name 挂断前输入的名称"
is "nothing was saved" \
	"$(q "SELECT name FROM sgz.station WHERE township = '120110002000'")" \
	"东丽区丰年村街道社会工作服务站"

# 2. The next start offers it back; r reopens it, F2 saves it, the draft goes.
tmux_start "$SGZ_BIN" --lang zh_CN
ok "the next start offers the draft" wait_for "未保存的输入"
like "naming the entity and the record" "$(tmux_screen)" "社工站  120110002000  ("
like "and when" "$(tmux_screen)" "$(date +%Y-%m-%d)"
like "the keys are said" "$(tmux_screen | tail -n 1)" "r 恢复  d 放弃修改  Esc 取消"
tmux_keys r
ok "r reopens the form" wait_for "社工站 - 修改 120110002000"
like "with the typed value" "$(row_with "站点名称")" "挂断前输入的名称"
tmux_keys F2
ok "F2 saves it" wait_for "已保存:社工站 120110002000 东丽区丰年村街道"
is "it is stored" "$(q "SELECT name FROM sgz.station WHERE township = '120110002000'")" \
	"挂断前输入的名称"
is "and the draft is gone" "$(ndrafts)" 0
tmux_keys q
is "q quits" "$(wait_exit 10)" 0

# 3. SIGTERM on a new record: offered as a new record; d discards it.
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
sgz_pid=$(tmux_pid)
tmux_keys 1 2
wait_for "Enter 打开  / 筛选"
tmux_keys a
wait_for "社工站 - 新增"
tmux_keys -l "120110003"
wait_for "120110003"
kill -TERM "$sgz_pid"
if ms=$(gone_within "$sgz_pid" 2); then
	pass "SIGTERM ends sgz within 2 s ($ms ms)"
else
	fail "SIGTERM ends sgz within 2 s"
fi
is "the new record is kept as a draft" "$(ndrafts)" 1
tmux_start "$SGZ_BIN" --lang en
ok "offered at the next start, in English" wait_for "Unsaved input"
like "as a new record" "$(tmux_screen)" "Stations  new record  ("
tmux_keys d
ok "d discards it" wait_for "1-6 open"
is "the draft is removed" "$(ndrafts)" 0
tmux_keys q
wait_exit 10 >/dev/null

# 4. The terminal lost (the tmux server killed, as a link drops): sgz ends,
# the typing is kept; Esc at the next start keeps it for later still.
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
sgz_pid=$(tmux_pid)
server_pid=$(tmux_format '#{pid}')
edit_name "断线前的名称"
kill -KILL "$server_pid"
if ms=$(gone_within "$sgz_pid" 2); then
	pass "a lost terminal ends sgz within 2 s ($ms ms)"
else
	fail "a lost terminal ends sgz within 2 s"
fi
like "the typing is kept" "$(cat "$drafts"/*.draft 2>/dev/null)" "field name 断线前的名称"
tmux_start "$SGZ_BIN" --lang zh_CN
ok "offered at the next start" wait_for "未保存的输入"
tmux_keys Escape
ok "Esc leaves it for later" wait_for "q 退出"
is "still there" "$(ndrafts)" 1
tmux_keys q
wait_exit 10 >/dev/null

# 5. Someone else saved the record since: the restored draft says so, and
# the save shows the conflict rather than overwrite theirs unseen.
q "UPDATE sgz.station SET batch_year = 2020 WHERE township = '120110002000'" >/dev/null
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "未保存的输入"
tmux_keys r
ok "the restored draft says the record changed since" wait_for "此后他人修改过这条记录"
like "the typing is back" "$(row_with "站点名称")" "断线前的名称"
tmux_keys F2
ok "saving shows the conflict" wait_for "他人已先保存了这条记录"
like "with what differs" "$(tmux_screen)" "断线前的名称 (你的)"
tmux_keys m
ok "m saves mine knowingly" wait_for "已保存:社工站 120110002000 东丽区丰年村街道"
is "mine and theirs where they did not clash" \
	"$(q "SELECT name || ' ' || batch_year FROM sgz.station WHERE township = '120110002000'")" \
	"断线前的名称 2020"
is "no draft left" "$(ndrafts)" 0

# 6. A lost database connection while editing: said, the form kept and
# written as a draft at once; a SIGHUP then leaves exactly that draft.
# (The save put us back on the main menu: the draft had no list.)
sgz_pid=$(tmux_pid)
edit_name "断库时的名称"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sgz'" >/dev/null
ok "the lost connection is said" wait_for "数据库连接曾中断,现已恢复。"
like "the form is kept" "$(row_with "站点名称")" "断库时的名称"
is "and its draft written" "$(ndrafts)" 1
kill -HUP "$sgz_pid"
gone_within "$sgz_pid" 2 >/dev/null || fail "SIGHUP after the lost connection"
is "one draft, the same" "$(ndrafts)" 1
like "holding the typing" "$(cat "$drafts"/*.draft)" "field name 断库时的名称"
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "未保存的输入"
tmux_keys d
wait_for "q 退出"
is "discarded" "$(ndrafts)" 0

# 7. A query that takes time: the message line says so, Esc cancels it
# (the station table locked by another session until lock_timeout).
mkfifo "$tap_tmp/lock.in"
psql -Xq <"$tap_tmp/lock.in" >/dev/null 2>&1 &
locker=$!
exec 9>"$tap_tmp/lock.in"
echo "BEGIN; LOCK TABLE sgz.station IN ACCESS EXCLUSIVE MODE; SELECT 1;" >&9
sleep 0.5
tmux_keys 1 2
ok "a slow list says it is working" wait_for "正在处理……按 Esc 取消。"
tmux_keys Escape
ok "Esc cancels it" wait_for "已取消。"
like "the submenu is still there" "$(tmux_screen)" "2  社工站"
echo "COMMIT;" >&9
exec 9>&-
wait "$locker"
tmux_keys 2
ok "the list opens once the lock is gone" wait_for "Enter 打开  / 筛选"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 8. SIGTERM while a save waits on someone else's lock (lock_timeout is
# 5 s): the save is cancelled, sgz ends within 2 s, the typing is kept.
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
sgz_pid=$(tmux_pid)
edit_name "等锁时的名称"
mkfifo "$tap_tmp/row.in"
psql -Xq <"$tap_tmp/row.in" >/dev/null 2>&1 &
locker=$!
exec 9>"$tap_tmp/row.in"
echo "BEGIN; SELECT 1 FROM sgz.station WHERE township = '120110002000' FOR UPDATE;" >&9
sleep 0.5
tmux_keys F2
ok "the save waits, and says so" wait_for "正在处理……按 Esc 取消。"
kill -TERM "$sgz_pid"
if ms=$(gone_within "$sgz_pid" 2); then
	pass "SIGTERM during the save ends sgz within 2 s ($ms ms)"
else
	fail "SIGTERM during the save ends sgz within 2 s"
fi
echo "COMMIT;" >&9
exec 9>&-
wait "$locker"
like "the typing is kept as a draft" "$(cat "$drafts"/*.draft 2>/dev/null)" "field name 等锁时的名称"
is "nothing half saved" "$(q "SELECT name FROM sgz.station WHERE township = '120110002000'")" \
	"断线前的名称"
