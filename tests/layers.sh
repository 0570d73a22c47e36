#!/bin/sh
# layers.sh - the dependency direction of DESIGN.md, checked by grep:
# core includes neither curses nor libpq; db, model and cli never curses;
# tui never libpq nor the db layer's header; only db.c sends SQL through
# libpq (the others through db_query(), db_pq_*()), so that the trace of
# the SQL sent (SGZ_TRACE_SQL) misses no statement.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
cd "$SGZ_SRCDIR" || bail "no source tree"

plan 7

hits() { grep -nE "$1" $2 2>/dev/null; }

h=$(hits '#include *[<"](n?curses|ncursesw/|libpq-fe|iniparser|sgz/(db|dict|transfer|migrate|tui|cli|conf)\.h)' "src/core/*.c")
is "core includes no curses, libpq, iniparser or upper layers" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/|sgz/tui\.h)' "src/db/*.c src/model/*.c")
is "db and model never include curses or the interface" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/|sgz/tui\.h|sgz/screens\.h|libpq-fe\.h|sgz/db\.h)' \
	"src/volunteers/certificate_pdf.c")
is "the certificate's drawing includes neither curses nor the database" "$h" ""
h=$(hits '#include *[<"](libpq-fe\.h|sgz/db\.h|sgz/transfer\.h|sgz/migrate\.h)' "src/tui/*.c include/sgz/tui.h")
is "tui includes neither libpq nor the db layer" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/)' "src/cli/*.c src/main.c")
is "cli and main leave curses to tui" "$h" ""
h=$(hits '#include *[<"](n?curses|libpq-fe)' "include/sgz/util.h include/sgz/log.h include/sgz/csv.h include/sgz/division.h include/sgz/date.h include/sgz/dict.h")
is "core and dictionary headers are free of curses and libpq" "$h" ""
h=$(hits '\<(PQexec|PQexecParams|PQexecPrepared|PQprepare|PQsendQuery|PQsendQueryParams|PQsendPrepare|PQsendQueryPrepared|PQsendDescribe[A-Za-z]*|PQdescribe[A-Za-z]*)[[:space:]]*\(' \
	"src/*.c src/*/*.c")
# (comment lines aside)
h=$(printf '%s\n' "$h" | grep -v -e '^src/db/db\.c:' -e '^[^:]*:[0-9]*:[[:space:]]*/\{0,1\}\*' |
	grep -v '^$')
is "only src/db/db.c sends SQL through libpq" "$h" ""
