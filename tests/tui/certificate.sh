#!/bin/sh
# certificate.sh - p on a volunteer in the volunteers list (spec/keys.md):
# the real binary in tmux at 80x24, in Chinese, as a station user. The
# status line offers p; p asks for the file with the volunteer's name in
# it; Enter writes the PDF into the export directory (0640), read back
# with pdftotext; a name that is not .pdf, or a path, is refused; a file
# already there is replaced only after the question; every certificate
# written is in the trail; p is only the volunteers list's.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 24

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
command -v pdftotext >/dev/null || bail "pdftotext is not installed (apt-get install poppler-utils)"

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations service_points staff volunteers activities hours; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$T/setup.out" 2>&1 ||
	bail "sgz user add failed"
audits() {
	psql -XAtc "SELECT count(*) FROM sgz.audit WHERE table_name = 'volunteer' AND action = 'export'"
}
DAY=$(date +%Y%m%d)
last_row() { tmux_screen | sed -n 24p | sed 's/ *$//'; }

tmux_start env PGUSER=zgz "$SGZ_BIN" --lang zh_CN
wait_for "q 退出" || bail "sgz did not start"
tmux_keys 2
wait_for "志愿者" || bail "no volunteers menu"
tmux_keys 1
ok "the volunteers list" wait_for "赵磊"
like "its status line offers p" "$(last_row)" "p 证明"

# p on the first volunteer (张敏): the file, named after her
tmux_keys p
ok "p asks for the file" wait_for "证明保存为:"
like "offering a name with hers" "$(tmux_screen | sed -n 23p)" "志愿服务证明-张敏-$DAY.pdf"
tmux_keys Enter
wait_for "证明已保存到"
# (the message wraps where the screen's width ends it)
like "Enter writes it into the export directory" "$(tmux_screen | tr -d ' \n')" \
	"证明已保存到$X/志愿服务证明-张敏-$DAY.pdf"
P=$X/志愿服务证明-张敏-$DAY.pdf
is "the file is 0640" "$(stat -c %a "$P")" 640
txt=$(pdftotext "$P" - 2>&1 | tr -d ' \n')
like "a certificate of hers" "$txt" "兹证明张敏(公民身份号码1201**********0042)"
like "with her station" "$txt" "东丽区张贵庄街道社会工作服务站"
is "filed in the trail" "$(audits)" 1

# refused names
tmux_keys p
wait_for "证明保存为:"
tmux_keys C-u
tmux_keys -l "证明.txt"
tmux_keys Enter
ok "a name that is not .pdf is refused" wait_for "证明是 PDF 文件:文件名须以 .pdf 结尾"
tmux_keys p
wait_for "证明保存为:"
tmux_keys C-u
tmux_keys -l "../证明.pdf"
tmux_keys Enter
ok "a path is refused" wait_for "只能输入文件名,不能输入路径(不能有 /)"
is "nothing else written, no trail entry" "$(ls -A "$X" | wc -l):$(audits)" "1:1"

# the same name again: asked, n keeps the file, y replaces it
tmux_keys p
wait_for "证明保存为:"
tmux_keys Enter
ok "a file already there is asked about" wait_for "已经存在(在"
tmux_keys n
ok "n keeps it" wait_for "未写入:志愿服务证明-张敏-$DAY.pdf 保持原样"
tmux_keys p
wait_for "证明保存为:"
tmux_keys Enter
wait_for "已经存在(在"
tmux_keys y
ok "y replaces it" wait_for "证明已保存到"
is "each certificate written filed in the trail" "$(audits)" 2

# p on her record: in its hours pane (no text field has the cursor)
tmux_keys Enter
wait_for "注册日期" || bail "no volunteer form"
tmux_keys ]
ok "her hours pane" wait_for "Enter 打开  a 新增"
like "its status line offers p" "$(last_row)" "p 证明"
tmux_keys p
ok "p there asks for the file" wait_for "证明保存为:"
like "named after her" "$(tmux_screen | sed -n 23p)" "志愿服务证明-张敏-$DAY.pdf"
tmux_keys Escape
wait_gone "证明保存为:"
# in a field p is typed, never the certificate
tmux_keys [
wait_gone "p 证明"
tmux_keys p
sleep 0.3
unlike "in a field p types" "$(tmux_screen)" "证明保存为:"
tmux_keys Escape y
wait_for "赵磊"

# p is the volunteers list's only
tmux_keys Escape 2
ok "the activities list" wait_for "学雷锋志愿服务日"
unlike "offers no p" "$(last_row)" "p "
tmux_keys p
sleep 0.3
unlike "and p there does nothing" "$(tmux_screen)" "证明保存为:"
tmux_stop
