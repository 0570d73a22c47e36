#!/bin/sh
# terminal.sh - what sgz says about the terminal and the connection, the
# real binary in tmux at 80x24. A terminal type curses cannot draw on
# (TERM=dumb, unset, unknown) is refused before connecting, with why and
# how to fix it in the user's language, as a non-UTF-8 locale is: never a
# blank screen. libpq's messages, whose lines go on in "\n\t", show as
# lines with the tab a space, never as '?'.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 16

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

"$SGZ_BIN" migrate >"$tap_tmp/setup.out" 2>&1 || bail "sgz migrate failed"

# refused LANG ENV... - sgz in LANG with env's ENV (TERM=dumb, -u TERM)
# and a database that is not there: it must say what is wrong with the
# terminal, not with the connection. Sets status to its exit status and
# said to what it wrote on standard error (kept in a file: tmux may drop
# what a pane prints before it has settled).
refused() {
	lang=$1
	shift
	rm -f "$tap_tmp/err"
	tmux_start sh -c 'err=$1; shift; exec "$@" 2>"$err"' sh "$tap_tmp/err" \
		env "$@" PGHOST=/nonexistent "$SGZ_BIN" --lang "$lang"
	status=$(wait_exit 10)
	said=$(cat "$tap_tmp/err")
}

# 1. TERM=dumb: no cursor addressing.
refused zh_CN TERM=dumb
is "TERM=dumb is refused with status 2" "$status" 2
like "saying why, in Chinese" "$said" "sgz:终端类型\"dumb\"(TERM)不能移动光标"
like "and how to fix it" "$said" "解决办法:在 xterm、PuTTY 或 Linux 控制台等终端中运行 sgz"
unlike "before connecting" "$said" "nonexistent"
refused en TERM=dumb
is "in English too" "$status" 2
like "saying why" "$said" \
	'sgz: the terminal type "dumb" (TERM) cannot move the cursor, so sgz cannot draw'

# 2. TERM unset, and a type this system does not know.
refused zh_CN -u TERM
is "TERM unset is refused" "$status" 2
like "saying so" "$said" "sgz:没有设置 TERM,sgz 不知道如何在这个终端上显示。"
refused zh_CN TERM=no-such-terminal
is "an unknown TERM is refused" "$status" 2
like "naming it" "$said" "sgz:本系统不认识终端类型\"no-such-terminal\"(TERM)"
like "and the fix" "$said" "export TERM=xterm-256color"

# 3. A terminal that can: the interface opens.
tmux_start env TERM=xterm-256color "$SGZ_BIN" --lang zh_CN
ok "TERM=xterm-256color opens the main menu" wait_for "q 退出"
tmux_keys q
is "and quits" "$(wait_exit 10)" 0

# 4. The server gone: the dialog shows libpq's message line by line.
tmux_start "$SGZ_BIN" --lang en
wait_for "q quit" || bail "sgz did not start"
as_pg=""
[ "$(id -u)" = 0 ] && as_pg="runuser -u postgres --"
$as_pg "$SGZ_PG_BINDIR/pg_ctl" -D "$SGZ_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 ||
	bail "cannot stop the server"
tmux_keys Enter Enter
ok "the lost server is said in a dialog" wait_for "Is the server running"
like "libpq's second line is a line of its own, its tab a space" "$(tmux_screen)" \
	"|  Is the server running locally"
unlike "never a '?' for a tab or a line end" "$(tmux_screen)" "?Is the server"
