#!/bin/sh
# reports.sh - main menu item 5 end to end: the real binary in tmux at 80x24
# against a real PostgreSQL loaded with the demo data set. The choice of
# the eight reports in both languages; the figures on the screen are those
# of `sgz report NAME --format text` for the same parameters and language,
# the Total row kept under the rows; bad parameters refused naming the
# field and its rule, nothing typed lost; Esc leaves the fields without
# typing into them, Enter in the month runs the monthly progress, a month
# to come is refused; scrolling with the column names kept at the top, and
# sideways with the first column kept; e writes the CSV of `sgz report
# --format csv` byte for byte; Esc cancels a slow query and goes back; a
# county user's reports cover his county alone, and a scope outside it is
# refused.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"

plan 97

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

T=$tap_tmp
D=$SGZ_DATADIR/demo
q() { psql -XAtc "$1" 2>&1; }

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
# The demo's files in the dictionary's order: what is referred to first.
for e in divisions organizations stations service_points staff volunteers activities hours \
	recipients cases visits indicators programmes contracts evaluations plans; do
	"$SGZ_BIN" import $e "$D/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
"$SGZ_BIN" user add dongli --scope 120110 --kind county >>"$T/setup.out" 2>&1 ||
	bail "user add failed"

# A lock taken by someone else waits as long as it is held: a slow query to
# cancel, whatever the machine's speed.
cat >"$T/sgz.ini" <<'EOF'
[database]
lock_timeout = 0
EOF

last_row() {
	tmux_screen | sed -n '$s/^ *//p' | sed 's/ *$//'
}
message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}
# screen_rows FROM TO - rows FROM to TO of the screen (1 is the title bar).
screen_rows() {
	tmux_screen | sed -n "$1,$2p" | sed 's/ *$//'
}
# The row of the screen the selection is on (reverse video), or nothing.
selected_row() {
	_tmux capture-pane -e -p -t "$tmux_target" | grep -n "$(printf '\033')\\[7m" |
		head -n 1 | cut -d: -f1
}
# wait_selected ROW - until the selection is on ROW (10 s at most).
wait_selected() {
	ws_end=$(_tmux_deadline 10)
	until [ "$(selected_row)" = "$1" ]; do
		if [ "$(_tmux_now)" -ge "$ws_end" ]; then
			_tmux_diag "timed out waiting for the selection on row $1 (it is on $(selected_row))"
			return 1
		fi
		sleep 0.05
	done
}
# cli_lines FROM TO ARGS - lines FROM to TO of `sgz report ARGS --format text`.
cli_lines() {
	from=$1 to=$2
	shift 2
	"$SGZ_BIN" report "$@" --format text 2>&1 | sed -n "$from,${to}p"
}
# cli_total ARGS - the rule and the Total row of `sgz report ARGS --format text`.
cli_total() {
	"$SGZ_BIN" report "$@" --format text 2>&1 | tail -n 3 | head -n 2
}

# 1. The choice, in English.
tmux_start "$SGZ_BIN" --config "$T/sgz.ini" --lang en
ok "sgz opens the main menu" wait_for "5  Reports"
tmux_keys 5
ok "5 opens the report choice" wait_for "8  Monthly progress"
is "the eight reports in the order of spec/csv.md" "$(tmux_screen | sed -n 's/^ *\([1-8]  [A-Z][a-z]*\( [a-z][a-z]*\)\?\)  .*/\1/p')" \
	"1  Coverage
2  Staffing
3  Volunteer hours
4  Volunteer stars
5  Caseload
6  Station indicators
7  Contracts
8  Monthly progress"
like "the parameters are on the same screen" "$(tmux_screen)" "Scope  ______"
is "its status line" "$(last_row)" "1-9, a-e run  Enter run  Tab parameters  ? help  Esc back"
tmux_keys F1
ok "F1 shows its keys" wait_for "Help: Reports"
like "running report N directly among them" "$(tmux_screen)" "run report N directly"
tmux_keys Escape

# 2. A bad year: refused naming the field and the rule, the rest kept.
tmux_keys Tab 120110 Tab 20x4 Enter
ok "a bad year is refused" wait_for 'Year: "20x4" is not a year YYYY from 2000 to 2100'
like "the scope typed is kept" "$(tmux_screen)" "Scope  120110_"
like "and the year as typed" "$(tmux_screen)" "Year   20x4_"
is "the status line of a field" "$(last_row)" "Enter run  Tab parameters  F1 help  Esc back"
tmux_keys C-k 2024 Up C-k 12011x Enter
ok "a bad scope is refused" \
	wait_for 'Scope: "12011x" is not a division code of 2, 4, 6, 9 or 12 digits'
like "the year is kept" "$(tmux_screen)" "Year   2024_"

# 3. Volunteer hours of 东丽区 in 2024: the screen shows the text of
# `sgz report hours --scope 120110 --year 2024` (narrow enough for 80
# columns): the column headings, the rule and the first rows, and under
# them the rule and the Total row.
tmux_keys BSpace 0 Up 3
ok "3 runs the volunteer hours" wait_for "Volunteer hours — 东丽区 (120110) — as of 2024-12-31"
rows=$("$SGZ_BIN" report hours --scope 120110 --year 2024 --format csv | sed 1d | wc -l)
like "the row count beside the title" "$(screen_rows 2 2)" "$rows rows"
is "the columns and the first 16 rows are the command line's" "$(screen_rows 3 20)" \
	"$(cli_lines 3 20 hours --scope 120110 --year 2024)"
is "then its Total row" "$(screen_rows 21 22)" "$(cli_total hours --scope 120110 --year 2024)"
like "a station by its township's name" "$(screen_rows 5 5)" "张贵庄街道"
unlike "not by its code" "$(screen_rows 3 20)" "120110001000"
like "the CSV keeps the station's code" \
	"$("$SGZ_BIN" report hours --scope 120110 --year 2024 --format csv | sed -n 2p)" ",120110001000,"
like "the status line of a report" "$(last_row)" "e export  ? help  Esc back"

# 4. Scrolling: the selection moves to the last row shown, then the rows
# scroll under the column names, above the Total row.
ok "the selection starts on the first row" wait_selected 5
tmux_keys Down Down Down Down Down Down Down Down Down Down Down Down Down Down Down
ok "Down moves it to the last row shown" wait_selected 20
is "the screen has not scrolled" "$(screen_rows 5 5)" \
	"$(cli_lines 5 5 hours --scope 120110 --year 2024)"
tmux_keys Down
ok "one more Down scrolls one row" wait_for "$(cli_lines 21 21 hours --scope 120110 --year 2024)"
is "the rows moved up by one" "$(screen_rows 5 20)" "$(cli_lines 6 21 hours --scope 120110 --year 2024)"
is "under the column names, kept at the top" "$(screen_rows 3 4)" \
	"$(cli_lines 3 4 hours --scope 120110 --year 2024)"
is "above the Total row, kept at the bottom" "$(screen_rows 21 22)" \
	"$(cli_total hours --scope 120110 --year 2024)"
tmux_keys End
last=$("$SGZ_BIN" report hours --scope 120110 --year 2024 --format text | tail -n 4 | head -n 1)
ok "End shows the last row" wait_for "$last"
is "at the bottom, above the Total row" "$(screen_rows 20 22)" \
	"$last
$(cli_total hours --scope 120110 --year 2024)"
tmux_keys Home
ok "Home the first again" wait_for "$(cli_lines 5 5 hours --scope 120110 --year 2024)"
tmux_keys PageDown
ok "PgDn the next page" wait_for "$(cli_lines 21 21 hours --scope 120110 --year 2024)"
is "a page of rows further" "$(screen_rows 5 5)" "$(cli_lines 21 21 hours --scope 120110 --year 2024)"
tmux_keys b
ok "b is PgUp's twin: the first page again" wait_for "$(cli_lines 5 5 hours --scope 120110 --year 2024)"
tmux_keys Space
ok "Space is PgDn's twin" wait_for "$(cli_lines 21 21 hours --scope 120110 --year 2024)"
is "a page of rows further again" "$(screen_rows 5 5)" "$(cli_lines 21 21 hours --scope 120110 --year 2024)"
tmux_keys C-b
ok "and Ctrl-B back" wait_for "$(cli_lines 5 5 hours --scope 120110 --year 2024)"

# 5. e: the CSV of `sgz report --format csv`, byte for byte; with a .csv
# name the byte order mark of `-o FILE.csv` too.
tmux_keys e
ok "e asks where to" wait_for "Export to: hours-120110-20241231.csv"
tmux_keys C-u hours.txt Enter
X=$HOME/sgz-exports
ok "and says how many rows went where" wait_for "$rows rows written to $X/hours.txt"
"$SGZ_BIN" report hours --scope 120110 --year 2024 --format csv >"$T/cli.txt" 2>&1
ok "the file is the command line's CSV, byte for byte" cmp "$X/hours.txt" "$T/cli.txt"
tmux_keys e C-u hours.csv Enter
ok "a .csv file" wait_for "$rows rows written to $X/hours.csv"
"$SGZ_BIN" report hours --scope 120110 --year 2024 --format csv -o "$T/cli.csv" 2>&1
ok "is that of sgz report -o FILE.csv, byte order mark and all" cmp "$X/hours.csv" "$T/cli.csv"
tmux_keys e
wait_for "Export to:"
tmux_keys Escape
ok "Esc cancels the export" wait_gone "Export to:"

# 6. Esc goes back to the choice with everything kept; a wide report
# scrolls sideways, the first column kept.
tmux_keys Escape
ok "Esc goes back to the choice" wait_for "1-9, a-e run"
like "its scope kept" "$(tmux_screen)" "Scope  120110_"
like "and its year" "$(tmux_screen)" "Year   2024_"
tmux_keys 1
ok "1 runs the coverage" wait_for "Coverage — 东丽区 (120110) — as of 2024-12-31"
like "its columns from the first" "$(screen_rows 3 3)" "County code   County  Townships"
tmux_keys Right
ok "Right scrolls a column, the first kept" wait_for "County code   Townships  Stations planned"
like "the rows with it" "$(screen_rows 5 5)" "120110000000  "
like "and the Total row" "$(screen_rows 7 7)" "Total                11"
tmux_keys Left
ok "Left scrolls back" wait_for "County code   County  Townships"
tmux_keys Escape

# 7. A bad month for the monthly progress, then the report.
tmux_keys Tab Tab Tab 2024-13 Enter
ok "a bad month is refused" wait_for 'Month: "2024-13" is not a month YYYY-MM of the years 2000 to 2100'
tmux_keys BSpace BSpace 06 Tab 8
ok "the monthly progress" wait_for "Monthly progress — 东丽区 (120110) — 2024-06 (as of 2024-06-30)"
tmux_resize 200 24
ok "at 200 columns its whole line shows" \
	wait_for "$(cli_lines 5 5 progress --scope 120110 --month 2024-06)"
is "as the command line's" "$(screen_rows 3 7)" "$(cli_lines 3 7 progress --scope 120110 --month 2024-06)"
tmux_resize 80 24
tmux_keys Escape
ok "back" wait_for "1-9, a-e run"

# 7a. Enter in the month runs the monthly progress, whatever is
# highlighted, and the choice moves to it; Enter in the year with the
# monthly progress chosen says where its month goes.
tmux_keys k
ok "k highlights the contracts" wait_selected 11
tmux_keys BTab Enter
ok "Enter in the month runs the monthly progress" \
	wait_for "Monthly progress — 东丽区 (120110) — 2024-06 (as of 2024-06-30)"
tmux_keys Escape
ok "back, the monthly progress chosen" wait_selected 12
tmux_keys Tab Tab Enter
ok "Enter in the year with it chosen is refused" \
	wait_for "Monthly progress is by month, not by year: type the month under Month"
is "the cursor goes to the month" "$(last_row)" "Enter run  Tab parameters  F1 help  Esc back"
like "still on the choice" "$(screen_rows 3 3)" "Reports"

# 7b. Esc leaves the fields for the reports, nothing typed; a digit typed
# right after it runs a report, and a second Esc goes back.
tmux_keys Escape 2
ok "Esc then 2 runs the staffing" wait_for "Staffing — 东丽区 (120110) — as of 2024-12-31"
tmux_keys Escape
ok "back to the choice" wait_for "1-9, a-e run"
like "the year as it was" "$(tmux_screen)" "Year   2024_"
like "the month as it was" "$(tmux_screen)" "Month  2024-06_"
tmux_keys Tab Escape
ok "Esc in a field leaves it for the reports" wait_for "1-9, a-e run  Enter run"
like "and stays on the choice" "$(screen_rows 3 3)" "Reports"

# 7c. A month to come is refused, naming the field and the latest month.
next=$(date -d "$(date +%Y-%m-15) +1 month" +%Y-%m)
tmux_keys BTab C-k "$next" Enter
ok "a month to come is refused" \
	wait_for "Month: \"$next\" has not come yet: the latest month is $(date +%Y-%m)"
like "what was typed stays" "$(tmux_screen)" "Month  ${next}_"
tmux_keys C-k 2024-06 Escape
ok "corrected and left" wait_for "1-9, a-e run  Enter run"

# 8. Esc cancels a slow query: someone holds a lock the report waits for.
psql -X -q -v ON_ERROR_STOP=1 \
	-c "SET application_name = 'reports-lock'" \
	-c "BEGIN" -c "LOCK TABLE sgz.division IN ACCESS EXCLUSIVE MODE" \
	-c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
lock_pid=$!
n=0
until [ "$(q "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
	WHERE c.relname = 'division' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
	n=$((n + 1))
	[ $n -lt 400 ] || bail "the lock was not taken"
	sleep 0.05
done
tmux_keys 3
ok "a slow report says Esc cancels it" wait_for "Working... Esc cancels."
tmux_keys Escape
ok "Esc cancels it" wait_for "Cancelled."
like "still on the choice" "$(last_row)" "1-9, a-e run"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reports-lock'" >/dev/null
wait "$lock_pid" 2>/dev/null
tmux_keys 3
ok "the next run works" wait_for "Volunteer hours — 东丽区"
tmux_keys Escape Escape
ok "Esc, Esc back to the main menu" wait_for "1-6 open"
tmux_keys 5
ok "opened again, the parameters are still there" wait_for "Year   2024_"
tmux_keys Escape q
wait_exit 10 >/dev/null

# 9. In Chinese.
tmux_start "$SGZ_BIN" --lang zh_CN
wait_for "q 退出"
tmux_keys 5
ok "the choice in Chinese" wait_for "8  每月进度"
like "its heading" "$(screen_rows 3 3)" "统计报表"
like "the reports' names" "$(tmux_screen)" "3  志愿服务时长"
like "the reports past nine by letter" "$(tmux_screen)" "c  资金拨付"
like "each named in Chinese" "$(tmux_screen)" "d  报表报送"
is "its status line" "$(last_row)" "1-9, a-e 生成  Enter 生成  Tab 参数  ? 帮助  Esc 返回"
tmux_keys Tab 120110 Tab 1999 Enter
ok "a bad year in Chinese" wait_for '年度:"1999"不是 2000 至 2100 之间的年份 YYYY'
tmux_keys C-k 2024 Enter
ok "the report in Chinese" wait_for "站点覆盖 — 东丽区 (120110) — 截至 2024-12-31"
like "its row count in Chinese" "$(screen_rows 2 2)" "1 行"
like "its headings in Chinese" "$(screen_rows 3 3)" "县(区)代码    县(区)  乡镇(街道)数"
like "its Total row 合计" "$(screen_rows 7 7)" "合计 "
tmux_keys Escape 2
ok "the staffing in Chinese" wait_for "人员配备 — 东丽区 (120110) — 截至 2024-12-31"
tmux_resize 200 24
ok "at 200 columns its whole Total row shows" \
	wait_for "$("$SGZ_BIN" --lang zh_CN report staffing --scope 120110 --year 2024 --format text | tail -n 2 | head -n 1)"
is "headings, rows and 合计 as the command line's in Chinese" "$(screen_rows 3 17)" \
	"$("$SGZ_BIN" --lang zh_CN report staffing --scope 120110 --year 2024 --format text | sed -n 3,17p)"
tmux_resize 80 24
tmux_keys Escape Escape q
wait_exit 10 >/dev/null

# 10. A county user: his county only; another one refused, saying why.
tmux_start env PGUSER=dongli "$SGZ_BIN" --lang en
wait_for "q quit"
tmux_keys 5 1
ok "a county user's coverage" wait_for "Coverage — 东丽区 (120110) — as of"
like "one row" "$(screen_rows 2 2)" "1 row"
is "his county's, as the command line gives him" "$(screen_rows 5 5 | cut -c1-40)" \
	"$(PGUSER=dongli "$SGZ_BIN" report coverage --format text | sed -n 5p | cut -c1-40)"
tmux_keys Escape Tab 120111 Enter
ok "a scope outside his own is refused" wait_for "division 120111 is outside your scope (120110)"
tmux_keys Escape
ok "Esc leaves the scope for the reports" wait_for "1-9, a-e run  Enter run"
tmux_keys Escape q
wait_exit 10 >/dev/null
