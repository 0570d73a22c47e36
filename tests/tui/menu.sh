#!/bin/sh
# menu.sh - the interface shell end to end, the real binary in tmux: the main
# menu of spec/keys.md in both languages, its keys, the screens behind it,
# help, too small and back, and the terminal put back on every way out: q, a
# signal, a lost terminal (which must end sgz promptly, never leave it spinning).
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 48

# sgz refuses a non-UTF-8 locale; the test's may be C.
LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
# Drafts go to a state directory of the test's own.
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

if ! "$SGZ_BIN" migrate >"$tap_tmp/migrate.out" 2>&1; then
	sed 's/^/# /' "$tap_tmp/migrate.out"
	bail "sgz migrate failed"
fi

now_ms() { date +%s%3N; }

# The menu items as shown, "N  Label" one per line.
menu_items() {
	tmux_screen | sed -n 's/^ *\([1-6]  .*[^ ]\) *$/\1/p'
}

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}

# process_gone PID - no such process, or a zombie its parent has yet to reap.
process_gone() {
	pg_stat=$(ps -o stat= -p "$1")
	[ -z "$pg_stat" ] || [ "${pg_stat#Z}" != "$pg_stat" ]
}

# gone_within PID SECONDS - waits for PID to end; prints the milliseconds it
# took. On timeout says what the process is doing (running = spinning) and
# kills it, so no test leaves it behind.
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

# child_of PID - the pid of PID's only child (sgz under a wrapper script).
child_of() {
	ps -o pid= --ppid "$1" | tr -d ' '
}

# A wrapper that reports how sgz left the terminal: the line discipline's
# modes, which must be cooked again; then it waits for Enter, so the pane
# stays alive for its screen flags to be read (tmux hides a dead pane's cursor).
cat >"$tap_tmp/wrap" <<EOF
#!/bin/sh
'$SGZ_BIN' --lang en
echo "sgz exited: \$?"
echo "modes: \$(stty -a | tr -s ' ;' '\n\n' | grep -x -E -- '-?(icanon|echo|isig)' | tr '\n' ' ')"
read -r line
EOF
chmod 755 "$tap_tmp/wrap"

en_items='1  Stations
2  Volunteers
3  Cases
4  Contracts
5  Reports
6  Administration'
zh_items='1  站点台账
2  志愿服务
3  个案管理
4  购买服务
5  统计报表
6  系统管理'

# 1. English: the menu, its keys, the screens behind it.
tmux_start "$SGZ_BIN" --lang en
sgz_pid=$(tmux_pid)
ok "sgz opens the main menu" wait_for "Main menu"
like "the title line names sgz in English" "$(tmux_screen | head -n 1)" \
	"sgz social work stations"
unlike "no Chinese on an English title line" "$(tmux_screen | head -n 1)" "社工站"
like "the title line shows user@database" "$(tmux_screen | head -n 1)" \
	"${PGUSER:-$(id -un)}@${PGDATABASE:-${PGUSER:-$(id -un)}}"
is "the six items in the order of spec/keys.md" "$(menu_items)" "$en_items"
is "the status line shows the menu's keys" "$(last_row)" "1-6 open  Enter open  ? help  q quit"
is "the menu runs on the alternate screen with the cursor hidden" \
	"$(tmux_format '#{alternate_on} #{cursor_flag}')" "1 0"

tmux_keys 2
ok "2 opens the volunteers submenu" wait_for "3  Service hours"
is "its status line shows its keys" "$(last_row)" "1-3 open  Enter open  ? help  Esc back"
tmux_keys Escape
ok "Esc goes back to the main menu" wait_for "6  Administration"
is "the menu is whole again" "$(menu_items)" "$en_items"

# The selection stayed on 2: k, j, j lands on 3 (any key ignored lands elsewhere).
tmux_keys k j j Enter
ok "k and j move, Enter opens the selected item" wait_for "3  Visits"
tmux_keys F10
ok "F10 goes back too" wait_for "6  Administration"
tmux_keys Down Down Down Up Enter
ok "Up and Down move" wait_for "8  Monthly progress"
tmux_keys F1
ok "F1 shows the help of the current screen" wait_for "Help: Reports"
like "the help lists the screen's keys" "$(tmux_screen)" "back to the previous screen"
tmux_keys Escape Escape
ok "Esc closes the help, Esc again leaves the screen" wait_for "1-6 open"

tmux_keys '?'
ok "? shows the help of the main menu" wait_for "Help: Main menu"
like "the menu help lists the moves" "$(tmux_screen)" "Up/Down, k/j"
is "the help's status line" "$(last_row)" "Esc back"
tmux_keys Escape
ok "Esc closes the help" wait_for "1-6 open"

tmux_resize 60 20
ok "a 60x20 terminal is too small" wait_for "terminal too small (need 80x24)"
is "where q still quits, and the status line says so" "$(last_row)" "q quit"
tmux_resize 80 24
ok "back at 80x24 the menu returns" wait_gone "terminal too small"
is "with every item" "$(menu_items)" "$en_items"

tmux_keys q
is "q quits with status 0" "$(wait_exit 10)" 0
ok "the sgz process is gone" process_gone "$sgz_pid"

# 2. Chinese. First by the environment alone: LANG=zh_CN.UTF-8 on a host
# that has not generated that locale still gets UTF-8 and Chinese.
tmux_start env -u LC_ALL -u LC_MESSAGES -u LC_CTYPE LANG=zh_CN.UTF-8 "$SGZ_BIN"
if wait_for "q 退出"; then
	pass "LANG=zh_CN.UTF-8 alone gives the Chinese menu"
else
	fail "LANG=zh_CN.UTF-8 alone gives the Chinese menu"
fi
tmux_keys q
wait_exit 10 >/dev/null
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
is "--lang zh_CN shows the Chinese menu in order" "$(menu_items)" "$zh_items"
like "its heading too" "$(tmux_screen)" "主菜单"
like "its title line in Chinese" "$(tmux_screen | head -n 1)" "sgz 社工站"
tmux_keys q
wait_exit 10 >/dev/null
# The Chinese comes from the gettext catalogue: without it, the msgids.
tmux_start env SGZ_LOCALEDIR="$tap_tmp/no-catalogue" "$SGZ_BIN" --lang zh_CN
ok "without the catalogue the menu is the English msgids" wait_for "6  Administration"
is "all of it" "$(last_row)" "1-6 open  Enter open  ? help  q quit"
tmux_keys q
wait_exit 10 >/dev/null
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
tmux_keys 6
# The administration screen's content is its own; here only that 6 opens
# a screen of that name, the menu gone.
if wait_gone "5  统计报表"; then
	like "6 opens the administration screen" "$(tmux_screen | sed -n 2,3p)" "系统管理"
else
	fail "6 opens the administration screen"
fi

# 3. However sgz ends, promptly and with the terminal put back: q, SIGTERM,
# SIGHUP (a dropped SSH link), SIGINT.
for how in q TERM HUP INT; do
	tmux_start "$tap_tmp/wrap"
	wait_for "q quit"
	sgz_pid=$(child_of "$(tmux_pid)")
	if [ "$how" = q ]; then
		tmux_keys q
	else
		kill -"$how" "$sgz_pid"
	fi
	if ms=$(gone_within "$sgz_pid" 2); then
		pass "$how ends sgz within 2 s ($ms ms)"
	else
		fail "$how ends sgz within 2 s"
	fi
	wait_for "modes:" 5
	like "after $how the line discipline is cooked again" "$(tmux_screen)" \
		"modes: isig icanon echo"
	is "after $how: normal screen, cursor shown, keypad off" \
		"$(tmux_format '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{keypad_flag}')" \
		"0 1 0 0"
	tmux_keys Enter
done

# 4. The terminal itself lost: the tmux server killed. Timed from the
# server's end, which tmux takes its time over.
tmux_start "$SGZ_BIN" --lang en
wait_for "q quit"
sgz_pid=$(tmux_pid)
server_pid=$(tmux_format '#{pid}')
tmux_stop
gone_within "$server_pid" 10 >/dev/null || bail "the tmux server does not exit"
if ms=$(gone_within "$sgz_pid" 2); then
	pass "a killed tmux server ends sgz within 2 s ($ms ms)"
else
	fail "a killed tmux server ends sgz within 2 s"
fi

# With SIGHUP ignored (nohup) only the read error or hang-up on the terminal
# is left to notice; the server killed outright, as a link drops.
tmux_start sh -c 'trap "" HUP; exec "$0" --lang en' "$SGZ_BIN"
wait_for "q quit"
sgz_pid=$(tmux_pid)
kill -KILL "$(tmux_format '#{pid}')"
if ms=$(gone_within "$sgz_pid" 2); then
	pass "with SIGHUP ignored, the lost terminal ends sgz within 2 s ($ms ms)"
else
	fail "with SIGHUP ignored, the lost terminal ends sgz within 2 s"
fi
