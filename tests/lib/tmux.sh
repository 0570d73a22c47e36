# tmux.sh - drive the real binary in a terminal: keys in, screen out.
# Sourced after tap.sh (uses tap_tmp, fail, bail). POSIX sh.
#
#   tmux_start [-x COLS] [-y ROWS] CMD [ARG...]   start CMD in a fresh tmux server, 80x24
#   wait_for TEXT [SECONDS]      until TEXT is on the screen (default 10 s)
#   wait_gone TEXT [SECONDS]     until TEXT is no longer on the screen
#   tmux_keys KEY...             send keys (tmux send-keys names: Enter, Escape, F1, C-l, Up)
#   tmux_screen                  print the screen
#   tmux_pid                     print the pid of the pane's process (CMD itself)
#   tmux_format FORMAT           print a tmux format for the pane, e.g. '#{cursor_flag}'
#   wait_exit [SECONDS]          until CMD has exited; prints its exit status
#   tmux_resize COLS ROWS        resize the terminal
#   tmux_stop                    kill the server (also done at exit)
#
# The waits return non-zero on timeout and print the screen as TAP
# diagnostics. Synchronise with them, never with sleep.

command -v tmux >/dev/null 2>&1 || bail "tmux not found: apt-get install tmux"

tmux_n=0
tmux_sock=$tap_tmp/tmux.0
tmux_target=sgz-test

# -u: the screen is UTF-8 whatever the test's locale.
_tmux() {
	tmux -u -S "$tmux_sock" "$@"
}

# Milliseconds since the epoch (GNU date).
_tmux_now() {
	date +%s%3N
}

# _tmux_deadline SECONDS - prints the time SECONDS (may be fractional) from now.
_tmux_deadline() {
	echo "$(_tmux_now) ${1:-10}" | awk '{ printf "%.0f\n", $1 + $2 * 1000 }'
}

_tmux_diag() {
	printf '%s\n' "$1" | sed 's/^/# /'
	tmux_screen 2>&1 | sed 's/^/# |/'
}

tmux_start() {
	_tmux_cols=80
	_tmux_rows=24
	OPTIND=1
	while getopts x:y: _tmux_opt; do
		case $_tmux_opt in
		x) _tmux_cols=$OPTARG ;;
		y) _tmux_rows=$OPTARG ;;
		*) bail "tmux_start: usage: tmux_start [-x COLS] [-y ROWS] CMD..." ;;
		esac
	done
	shift $((OPTIND - 1))
	OPTIND=1
	[ $# -gt 0 ] || bail "tmux_start: no command"
	tmux_stop
	# A new socket each time: a server just told to exit may still hold the old one.
	tmux_n=$((tmux_n + 1))
	tmux_sock=$tap_tmp/tmux.$tmux_n
	# Our options, never ~/.tmux.conf; they load with the server, before
	# the command starts, so a command that exits at once still leaves its
	# last screen and exit status.
	cat >"$tap_tmp/tmux.conf" <<-EOF
		set -g default-terminal xterm-256color
		set -g remain-on-exit on
		set -g history-limit 0
		set -g escape-time 0
	EOF
	# The server inherits this shell's environment, and the pane the
	# server's. exec: the pane's process is CMD itself, with exactly these
	# arguments whatever they contain.
	_tmux -f "$tap_tmp/tmux.conf" new-session -d -s "$tmux_target" \
		-x "$_tmux_cols" -y "$_tmux_rows" -- sh -c 'exec "$@"' sh "$@" ||
		bail "tmux_start: cannot start tmux"
}

wait_for() {
	_tmux_end=$(_tmux_deadline "${2:-10}")
	while :; do
		case $(tmux_screen 2>/dev/null) in
		*"$1"*) return 0 ;;
		esac
		if [ "$(_tmux_now)" -ge "$_tmux_end" ]; then
			_tmux_diag "timed out after ${2:-10} s waiting for: $1"
			return 1
		fi
		sleep 0.05
	done
}

wait_gone() {
	_tmux_end=$(_tmux_deadline "${2:-10}")
	while :; do
		case $(tmux_screen 2>/dev/null) in
		*"$1"*) ;;
		*) return 0 ;;
		esac
		if [ "$(_tmux_now)" -ge "$_tmux_end" ]; then
			_tmux_diag "timed out after ${2:-10} s waiting for this to go: $1"
			return 1
		fi
		sleep 0.05
	done
}

tmux_keys() {
	_tmux send-keys -t "$tmux_target" "$@"
}

tmux_screen() {
	_tmux capture-pane -p -t "$tmux_target"
}

tmux_pid() {
	_tmux display-message -p -t "$tmux_target" '#{pane_pid}'
}

# The terminal's state as tmux sees it: #{alternate_on}, #{cursor_flag},
# #{keypad_flag} tell whether a program put its terminal back.
tmux_format() {
	_tmux display-message -p -t "$tmux_target" "$1"
}

# Prints the exit status, or "signal N" when a signal ended the command;
# the diagnostics of a timeout go to standard error, not into the status.
wait_exit() {
	_tmux_end=$(_tmux_deadline "${1:-10}")
	while :; do
		_tmux_st=$(_tmux display-message -p -t "$tmux_target" \
			'#{pane_dead} #{?pane_dead_signal,signal #{pane_dead_signal},#{pane_dead_status}}' \
			2>/dev/null)
		case $_tmux_st in
		"1 "?*)
			echo "${_tmux_st#1 }"
			return 0
			;;
		"1 ")
			# Dead but not reaped: tmux 3.3 now and then misses the
			# SIGCHLD (even for sleep(1)) and would never learn the
			# status. Another SIGCHLD makes it call waitpid().
			kill -CHLD "$(_tmux display-message -p '#{pid}')" 2>/dev/null
			;;
		esac
		if [ "$(_tmux_now)" -ge "$_tmux_end" ]; then
			_tmux_diag "timed out after ${1:-10} s waiting for the program to exit" >&2
			return 1
		fi
		sleep 0.05
	done
}

tmux_resize() {
	_tmux resize-window -t "$tmux_target" -x "$1" -y "$2"
}

# Waits (2 s at most) for the server to be gone, so no test leaves one
# behind: a server that missed its child's SIGCHLD (see wait_exit) waits for
# it forever, so it gets more, and at the end SIGKILL.
tmux_stop() {
	_tmux_spid=$(_tmux display-message -p '#{pid}' 2>/dev/null)
	_tmux kill-server >/dev/null 2>&1
	[ -n "$_tmux_spid" ] || return 0
	_tmux_end=$(_tmux_deadline 2)
	while kill -CHLD "$_tmux_spid" 2>/dev/null; do
		case $(ps -o stat= -p "$_tmux_spid") in
		Z*) break ;;
		esac
		if [ "$(_tmux_now)" -ge "$_tmux_end" ]; then
			kill -KILL "$_tmux_spid" 2>/dev/null
			break
		fi
		sleep 0.02
	done
	return 0
}

# tap.sh's EXIT trap removes tap_tmp; the server must go first. A test that
# is interrupted exits through the EXIT trap too, so no server is left behind.
trap 'tmux_stop; rm -rf "$tap_tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
