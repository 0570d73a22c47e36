#!/bin/sh
# standby.sh - the reports screen on a hot standby (report_conninfo), the
# real binary in tmux at 80x24 in Chinese as a station user: the desk's
# counts and the reports read there; a standby paused behind the primary
# shows its figures with the lag on the line under the report's title;
# stopped under the open interface, the next report runs on the primary and
# the message line says so, once; started with no standby up, the desk
# says it at once, and no report again.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
. "$SGZ_SRCDIR/tests/lib/tmux.sh"
. "$SGZ_SRCDIR/tests/lib/standby.sh"

plan 19

LC_ALL=C.UTF-8
export LC_ALL
unset LANGUAGE
XDG_STATE_HOME=$tap_tmp/state
export XDG_STATE_HOME

T=$tap_tmp
F=$SGZ_SRCDIR/tests/db/fixtures

"$SGZ_BIN" migrate >"$T/setup.out" 2>&1 || bail "sgz migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >>"$T/setup.out" 2>&1 ||
	bail "division import failed"
for e in divisions organizations stations service_points staff volunteers activities hours \
	recipients cases visits contracts evaluations plans; do
	"$SGZ_BIN" import $e "$F/$e.csv" >>"$T/setup.out" 2>&1 || bail "$e import failed"
done
standby_start
# the user made on the primary once the standby streams: the lag is the
# time since the last transaction it replayed
"$SGZ_BIN" user add zgz --scope 120110001 --kind station >>"$T/setup.out" 2>&1 ||
	bail "user add failed"
ok "the standby has replayed the fixtures and the user" wait_replay

cat >"$T/sgz.ini" <<EOF
[database]
report_conninfo = "host=$SB target_session_attrs=prefer-standby"
report_max_lag = 1
EOF
FELL_BACK="无法连接备库:在重新启动 sgz 之前,报表都在主库上运行。"
LAG="注意:备库落后主库"
message_row() {
	tmux_screen | tail -n 2 | head -n 1 | sed 's/^ *//; s/ *$//'
}

# The standby paused behind the primary: a social worker more on the
# primary only.
sq 'SELECT pg_wal_replay_pause()' >/dev/null
printf 'id_number,name,station,role,hired_on\n120110199001010013,新社工,120110001000,fulltime,2024-05-01\n' \
	>"$T/staff.csv"
"$SGZ_BIN" import staff "$T/staff.csv" >>"$T/setup.out" 2>&1 || bail "one more social worker"
sleep 2 # past report_max_lag

tmux_start env PGUSER=zgz "$SGZ_BIN" --config "$T/sgz.ini" --lang zh_CN
ok "a station user's interface opens on the desk" wait_for "工作台  张贵庄街道"
unlike "its counts read on the standby, nothing said" "$(message_row)" "$FELL_BACK"
# the standby's count: the new social worker, unqualified past two years
# since 2024, is not there yet
like "they are the standby's" "$(tmux_screen)" "超过 2 年取证期限的社工:1 人"
tmux_keys 5
ok "the reports" wait_for "8  每月进度"
tmux_keys Tab Tab 2024 Escape 2
ok "the staffing of 2024 runs" wait_for "人员配备 — 张贵庄街道"
ok "the line under its title says the standby lags" wait_for "$LAG"
# the standby's figures: the station's staff before the new one
primary=$(PGUSER=zgz "$SGZ_BIN" report staffing --year 2024 --format csv | sed -n 2p | cut -d, -f3)
standby=$(tmux_screen | grep '120110001000' | awk '{print $3}')
is "its figures are the standby's (staff $standby, the primary has $primary)" \
	"$standby" "$((primary - 1))"
unlike "no fallback said" "$(message_row)" "$FELL_BACK"

# The standby stopped under the open interface.
tmux_keys Escape
wait_gone "$LAG"
standby_stop
tmux_keys 1
ok "the next report runs" wait_for "站点覆盖 — 张贵庄街道"
is "on the primary, the message line says so" "$(message_row)" "$FELL_BACK"
tmux_keys Escape 2
ok "the staffing again" wait_for "人员配备 — 张贵庄街道"
unlike "said once: not again" "$(message_row)" "$FELL_BACK"
unlike "and the primary lags nothing" "$(tmux_screen)" "$LAG"

# Started with no standby up: the desk's counts, read first, say it.
tmux_start env PGUSER=zgz "$SGZ_BIN" --config "$T/sgz.ini" --lang zh_CN
ok "started without a standby, the desk opens" wait_for "工作台  张贵庄街道"
is "its counts from the primary, saying so at once" "$(message_row)" "$FELL_BACK"
like "the primary's count" "$(tmux_screen)" "超过 2 年取证期限的社工:2 人"
tmux_keys 5
wait_for "8  每月进度" || true
tmux_keys 3
ok "a report then runs" wait_for "志愿服务时长 — 张贵庄街道"
unlike "not said again" "$(message_row)" "$FELL_BACK"
