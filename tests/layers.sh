#!/bin/sh
# layers.sh - the dependency direction of DESIGN.md, checked by grep:
# core includes neither curses nor libpq; db, model and cli never curses;
# tui never libpq nor the db layer's header.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
cd "$SGZ_SRCDIR" || bail "no source tree"

plan 5

hits() { grep -nE "$1" $2 2>/dev/null; }

h=$(hits '#include *[<"](n?curses|ncursesw/|libpq-fe|iniparser|sgz/(db|dict|transfer|migrate|tui|cli|conf)\.h)' "src/core/*.c")
is "core includes no curses, libpq, iniparser or upper layers" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/|sgz/tui\.h)' "src/db/*.c src/model/*.c")
is "db and model never include curses or the interface" "$h" ""
h=$(hits '#include *[<"](libpq-fe\.h|sgz/db\.h|sgz/transfer\.h|sgz/migrate\.h)' "src/tui/*.c include/sgz/tui.h")
is "tui includes neither libpq nor the db layer" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/)' "src/cli/*.c src/main.c")
is "cli and main leave curses to tui" "$h" ""
h=$(hits '#include *[<"](n?curses|libpq-fe)' "include/sgz/util.h include/sgz/log.h include/sgz/csv.h include/sgz/division.h include/sgz/date.h include/sgz/dict.h")
is "core and dictionary headers are free of curses and libpq" "$h" ""
