#!/bin/sh
# bench_scripts.sh - the benchmarks are not run by make check (they measure),
# but they must not rot: every script of tests/bench/ parses (sh -n), gen.c
# builds warning-free, and gen --years writes what the ten-year bench
# (years.sh) imports: each year's hours within that year, --year Y exactly
# that year's rows of the whole set, every row valid by spec/rules.md (not
# before the volunteer registered, not on or after --today, a key once, at
# most 24 hours a day), the visits times the years.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 12

bench=$SGZ_SRCDIR/tests/bench
for s in run session.sh trace.sh rollup.sh years.sh cpu.sh; do
	ok "sh -n tests/bench/$s" sh -n "$bench/$s"
done

gen=$tap_tmp/gen
ok "gen.c builds with -Wall -Wextra -Werror" \
	${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$gen" "$bench/gen.c"
[ -x "$gen" ] || bail "no generator"

g="$gen --divisions $SGZ_SRCDIR/data/divisions-2022.csv --scale 0.01 --today 2026-03-10"
$g --out "$tap_tmp/one" 2>/dev/null || bail "gen failed"
$g --years 3 --out "$tap_tmp/three" 2>/dev/null || bail "gen --years 3 failed"
$g --years 3 --year 2025 --only hours --out "$tap_tmp/y2025" 2>/dev/null ||
	bail "gen --years 3 --year 2025 failed"
rows() { echo $(($(wc -l <"$1") - 1)); }

is "--years 3: three times the hours rows, one year's in each" \
	"$(rows "$tap_tmp/three/hours.csv") $(cut -c20-23 "$tap_tmp/three/hours.csv" | sed 1d | sort | uniq -c |
		awk '{ printf "%s:%s ", $2, $1 }')" \
	"$((3 * $(rows "$tap_tmp/one/hours.csv"))) 2024:50000 2025:50000 2026:50000 "

is "--year 2025: that year's rows of the whole set, byte for byte" \
	"$(sed 1d "$tap_tmp/y2025/hours.csv" | cksum)" \
	"$(sed 1d "$tap_tmp/three/hours.csv" | awk -F, 'substr($2, 1, 4) == "2025"' | cksum)"

# volunteer -> registered_on (the generator writes no comma inside these
# fields' quotes but in names and teams: take the ID and the date by pattern)
bad=$(awk -F, '
	NR == FNR { if (FNR > 1 && match($0, /,[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9],/))
			reg[$1] = substr($0, RSTART + 1, 10); next }
	FNR == 1 { next }
	{
		if (!($1 in reg)) { print "no volunteer " $1; exit }
		if ($2 < reg[$1]) { print $1 " on " $2 " before " reg[$1]; exit }
		if ($2 >= "2026-03-10") { print $1 " on " $2 ": not before today"; exit }
		k = $1 "," $2 "," $3 "," $4
		if (k in seen) { print "key twice: " k; exit }
		seen[k] = 1
		day[$1 "," $2] += $(NF - 1)
		if (day[$1 "," $2] > 24) { print $1 " on " $2 ": more than 24 hours"; exit }
	}' "$tap_tmp/three/volunteers.csv" "$tap_tmp/three/hours.csv")
is "--years 3: every hours row valid (registered, past, key once, <= 24 h a day)" "$bad" ""

is "--years 3: every station open before the first year" \
	"$(awk -F, 'NR > 1 && $4 != "planned" && $5 >= "2024-01-01"' "$tap_tmp/three/stations.csv" | wc -l)" 0

is "--years 3: three times the visits" \
	"$(grep -c '^[0-9]\{6\}' "$tap_tmp/three/visits.csv")" \
	"$((3 * $(grep -c '^[0-9]\{6\}' "$tap_tmp/one/visits.csv")))"

