#!/bin/sh
# rules.sh - rules the database holds beside the forms and the import
# (migration 0008): a village of a township of a prefecture without
# counties is a valid code, as src/core/division.c has it; every setting
# within its range and the star and grade thresholds in order, for a psql
# user as much as for the administration screen.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 10

T=$tap_tmp
q() { psql -XAtqc "$1" 2>&1; }

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 ||
	bail "division import failed"

# --- a community of 东莞's 东城街道: no county digits above the township ---
printf 'code,name\n441900003001,东城测试社区\n' >"$T/dg.csv"
out=$("$SGZ_BIN" import divisions "$T/dg.csv" 2>&1)
is "a village under a township of a prefecture without counties is imported" "$out" \
	"1 rows imported"
is "under that township" "$(q "SELECT sgz.division_parent(code) FROM sgz.division WHERE code = '441900003001'")" \
	"441900003000"
like "a village without its township's digits is still refused" \
	"$(q "INSERT INTO sgz.division (code, name) VALUES ('441900000001', '无乡镇的村')")" \
	"division_code_valid"

# --- settings: ranges ---
like "a score threshold over 100 is refused" \
	"$(q "UPDATE sgz.setting SET value = 101 WHERE key = 'grade_pass'")" "setting_value_in_range"
like "a visit interval of 0 days is refused" \
	"$(q "UPDATE sgz.setting SET value = 0 WHERE key = 'visit_interval_days'")" \
	"setting_value_in_range"
is "a value within its range is taken" \
	"$(q "UPDATE sgz.setting SET value = 21 WHERE key = 'visit_interval_days' RETURNING value")" "21"

# --- settings: order ---
like "a pass mark above the good mark is refused, naming both" \
	"$(q "UPDATE sgz.setting SET value = 85 WHERE key = 'grade_pass'")" \
	"setting grade_good: 80 must be more than grade_pass (85)"
like "a 2-star threshold below the 1-star one is refused" \
	"$(q "UPDATE sgz.setting SET value = 50 WHERE key = 'star2_hours'")" \
	"setting star2_hours: 50 must be more than star1_hours (100)"
is "one statement may move thresholds past each other" \
	"$(q "WITH u AS (UPDATE sgz.setting SET value = CASE key WHEN 'grade_pass' THEN 82 ELSE 88 END
	      WHERE key IN ('grade_pass', 'grade_good') RETURNING 1) SELECT count(*) FROM u")" "2"
is "and they stay in order" \
	"$(q "SELECT string_agg(value::text, ' ' ORDER BY value) FROM sgz.setting
	      WHERE key LIKE 'grade_%'")" "82 88 90"
