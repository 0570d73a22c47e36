#!/bin/sh
# exports.sh - what the interface writes goes into the export directory
# only, by a file name, never a path: the real binary in tmux at 80x24, in
# Chinese, as a station user. The attacks of issue 9 (an export named
# .bashrc, ../x, /tmp/x, a symbolic link planted in the directory, a file
# already there) each refused or asked about, and nothing outside the
# directory touched. Then a locked front end as a ForceCommand runs it:
# no LANG at all, --db, $SGZ_DB and PG* set by the client, the language and
# the export directory (with %u) from the system file.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 36

T=$tap_tmp
HOME=$T/home
export HOME
mkdir -p "$HOME"
LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$T/state
export XDG_STATE_HOME
X=$HOME/sgz-exports
F=$SGZ_SRCDIR/tests/db/fixtures

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in organizations stations; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add wangfang --scope 120110002 --kind station >>"$T/setup.out" 2>&1 ||
	bail "sgz user add failed"

# export NAME - e on the list, the offered name replaced by NAME, Enter.
export_as() {
	tmux_keys e
	wait_for "导出到:" || return 1
	tmux_keys C-u
	tmux_keys -l "$1"
	tmux_keys Enter
}

mode() { stat -c %a "$1"; }

printf '# the shell start-up of wangfang\n' >"$HOME/.bashrc"
cp "$HOME/.bashrc" "$T/bashrc.orig"

tmux_start env PGUSER=wangfang "$SGZ_BIN" --lang zh_CN
wait_for "q 退出" || bail "sgz did not start"
tmux_keys 1 2
wait_for "120110002000" || bail "no stations list"

# 1. .bashrc: a hidden file, refused naming the rule; nothing written.
export_as .bashrc
ok ".bashrc is refused, naming the rule" \
	wait_for '文件名须以字母、汉字或数字开头,不能以"."开头'
ok "~/.bashrc is untouched" cmp "$HOME/.bashrc" "$T/bashrc.orig"
is "and nothing was written anywhere" "$(ls -A "$HOME")" ".bashrc"

# 2. ../x and /tmp/x: paths, refused, saying where files go.
export_as ../x
ok "../x is refused: a file name, not a path" wait_for "只能输入文件名,不能输入路径(不能有 /)"
# (the message wraps where the screen's width ends it)
like "naming the export directory" "$(tmux_screen | tr -d ' \n')" "$X"
is "no ~/x" "$(ls -A "$HOME")" ".bashrc"
export_as /tmp/x
ok "/tmp/x is refused the same way" wait_for "只能输入文件名,不能输入路径(不能有 /)"
export_as "$T/x"
ok "and any absolute path" wait_for "只能输入文件名,不能输入路径(不能有 /)"
is "which is not written" "$(ls "$T/x" 2>&1)" "ls: cannot access '$T/x': No such file or directory"

# 3. Other characters: a blank, a shell's.
export_as 'a b.csv'
ok "a blank is refused, named" wait_for "文件名只能由字母、汉字、数字和 - _ . 组成,不能含空格"
export_as 'x$(id)'
ok "so is \$" wait_for '文件名只能由字母、汉字、数字和 - _ . 组成,不能含"$"'

# 4. A good name: into the directory, created 0750, the file 0640.
export_as 站点.csv
ok "a file name is written into the export directory" wait_for "1 行已导出到 $X/站点.csv"
is "the directory was made, mode 0750" "$(mode "$X")" 750
is "the file is mode 0640" "$(mode "$X/站点.csv")" 640
is "and holds the list (a station user's one station)" \
	"$(sed 1d "$X/站点.csv" | cut -d, -f1)" "120110002000"

# 5. A symbolic link planted in the directory: never written through.
ln -s "$HOME/.bashrc" "$X/planted.csv"
export_as planted.csv
ok "a symbolic link in the directory is refused" \
	wait_for "planted.csv 不是普通文件(是 "
ok "its target is untouched" cmp "$HOME/.bashrc" "$T/bashrc.orig"
ok "and the link is still a link" test -L "$X/planted.csv"

# 6. An existing file: a question that names it; n keeps it, y replaces it.
printf 'mine\n' >"$X/站点.csv"
export_as 站点.csv
ok "an existing name asks first, naming the file" wait_for "站点.csv 已经存在(在"
like "with replace and keep" "$(tmux_screen)" "n 保留原文件"
tmux_keys n
ok "n says nothing was written" wait_for "未写入:站点.csv 保持原样"
is "and the file is as it was" "$(cat "$X/站点.csv")" "mine"
export_as 站点.csv
wait_for "站点.csv 已经存在(在"
tmux_keys y
ok "y replaces it" wait_for "1 行已导出到 $X/站点.csv"
is "with the export" "$(sed 1d "$X/站点.csv" | cut -d, -f1)" "120110002000"
is "no temporary file is left behind" "$(ls -A "$X" | grep -c '^\.')" 0

# 7. The export directory itself a symbolic link (to the home directory):
# refused, nothing written.
rm -rf "$X"
ln -s "$HOME" "$X"
export_as README
ok "an export directory that is a link is refused" \
	wait_for "导出目录 $X 是符号链接"
is "nothing went into the home directory" "$(ls -A "$HOME" | sort | tr '\n' ' ')" \
	".bashrc sgz-exports "
rm "$X"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 8. A locked front end, as sshd's ForceCommand runs it: no LANG at all;
# --db, $SGZ_DB and PG* from the client's side; the system file gives the
# database, the language and an export directory of the administrator's,
# one per login (%u).
login=$(id -un)
mkdir -p "$T/etc" "$T/srv/exports"
cat >"$T/etc/sgz.ini" <<EOF
[database]
conninfo = "host=$PGHOST port=$PGPORT user=wangfang dbname=$PGDATABASE"
[ui]
language = zh_CN
[export]
directory = $T/srv/exports/%u
[security]
locked = yes
EOF
tmux_start env -i PATH="$PATH" TERM=xterm-256color HOME="$HOME" \
	SGZ_TEST_SYSCONFDIR="$T/etc" SGZ_TEST_PASSWD_HOME="$HOME" \
	SGZ_DB=dbname=nowhere PGHOST=/nonexistent PGSERVICE=nowhere \
	"$SGZ_BIN" --db dbname=nowhere
ok "locked, without LANG, sgz opens in the system file's language" wait_for "q 退出"
tmux_keys 1 2
ok "on the system file's database, as wangfang" wait_for "120110002000"
export_as .bashrc
ok "locked, .bashrc is refused the same" wait_for '不能以"."开头'
export_as 站点.csv
ok "and a file name goes into the administrator's directory for this login" \
	wait_for "1 行已导出到 $T/srv/exports/$login/站点.csv"
ok "which was made for it" test -f "$T/srv/exports/$login/站点.csv"
tmux_keys Escape Escape q
is "q quits" "$(wait_exit 10)" 0

# 9. Not locked, the client's UTF-8 locale chooses the language; the system
# file's [ui] language is for a client that names none.
sed -i '/^\[security\]/,$d' "$T/etc/sgz.ini"
tmux_start env -i PATH="$PATH" TERM=xterm-256color HOME="$HOME" LANG=en_US.UTF-8 \
	SGZ_TEST_SYSCONFDIR="$T/etc" "$SGZ_BIN"
ok "a client's en_US.UTF-8 gets English" wait_for "q quit"
tmux_keys q
wait_exit 10 >/dev/null
tmux_start env -i PATH="$PATH" TERM=xterm-256color HOME="$HOME" LC_ALL=C \
	SGZ_TEST_SYSCONFDIR="$T/etc" "$SGZ_BIN"
ok "a client's C gets the system file's Chinese, in UTF-8" wait_for "q 退出"
tmux_keys q
wait_exit 10 >/dev/null
