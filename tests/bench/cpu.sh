#!/bin/sh
# tests/bench/cpu.sh ROLE SQL [RUNS] - the server's CPU time for a
# statement, as ROLE: utime + stime of the backend (/proc/PID/stat)
# before and after each of RUNS (5) runs of SQL in one psql session, its
# rows thrown away, in milliseconds (the kernel counts in ticks of 10 ms).
# Under the load of a shared machine the wall time of a statement doubles;
# its backend's CPU time moves far less. Run on the database server's
# host, with the connection in the PG* environment; not part of make
# check: a benchmark.
#
#   PGHOST=/work/y/pg PGDATABASE=sgz sh tests/bench/cpu.sh bench_region \
#       "SELECT * FROM sgz.report_hours('13', '2025-12-31')" 4
set -eu
[ $# -ge 2 ] || { echo "usage: tests/bench/cpu.sh ROLE SQL [RUNS]" >&2; exit 2; }
role=$1 sql=$2 runs=${3:-5}
{
	echo "SELECT pg_backend_pid() AS bp \\gset"
	echo "\\setenv SGZ_CPU_PID :bp"
	echo "\\o /dev/null"
	i=0
	while [ "$i" -lt "$runs" ]; do
		echo "\\! awk '{ print \"cpu\", \$14 + \$15 }' /proc/\$SGZ_CPU_PID/stat"
		printf '%s;\n' "$sql"
		i=$((i + 1))
	done
	echo "\\! awk '{ print \"cpu\", \$14 + \$15 }' /proc/\$SGZ_CPU_PID/stat"
} | PGUSER=$role psql -X -q -v ON_ERROR_STOP=1 |
	awk -v hz="$(getconf CLK_TCK)" '
		$1 == "cpu" { if (n++) printf "%s%d", (n > 2 ? " " : ""), ($2 - p) * 1000 / hz; p = $2 }
		END { print " ms" }'
