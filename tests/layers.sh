#!/bin/sh
# layers.sh - the dependency direction of DESIGN.md and HACKING.md, checked
# by grep over the #include lines:
#
#   main, cli -> shell -> modules -> tui (services, widgets, generic
#   screens) -> reports -> model -> db -> core
#
# core includes neither curses nor libpq; db, model and cli never curses;
# tui never libpq nor the db layer's header; only db.c sends SQL through
# libpq (the others through db_query(), db_pq_*()), so that the trace of
# the SQL sent (SGZ_TRACE_SQL) misses no statement. The module folders
# (src/stations/, src/volunteers/, src/cases/, src/contracts/) may include
# the interface's services and generic screens, the model, db and core;
# the generic interface, reports, model, db and core never include a
# module; nothing includes the shell (tui.h) but main, cli and the shell
# itself, and a screen never the interface's state (uistate.h). Last, the
# folders of src/ include each other without a circle: each header is
# given the folder of the .c that implements it, each #include is an
# arrow between two folders, and tsort(1) must find an order.
. "$SGZ_SRCDIR/tests/lib/tap.sh"
cd "$SGZ_SRCDIR" || bail "no source tree"

plan 14

MODULES="stations volunteers cases contracts desk"

hits() { grep -nE "$1" $2 2>/dev/null; }

h=$(hits '#include *[<"](n?curses|ncursesw/|libpq-fe|iniparser|sgz/(db|dict|transfer|migrate|tui|cli|conf)\.h)' "src/core/*.c")
is "core includes no curses, libpq, iniparser or upper layers" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/|sgz/(tui|ui|uistate|screens)\.h)' "src/db/*.c src/model/*.c")
is "db and model never include curses or the interface" "$h" ""
h=$(hits '#include *[<"](libpq-fe\.h|sgz/db\.h|sgz/transfer\.h|sgz/migrate\.h)' \
	"src/tui/*.c src/shell/*.c include/sgz/tui.h include/sgz/ui.h include/sgz/uistate.h include/sgz/screens.h")
is "tui includes neither libpq nor the db layer" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/|sgz/tui\.h|sgz/ui\.h|sgz/screens\.h|libpq-fe\.h|sgz/db\.h)' \
	"src/volunteers/certificate_pdf.c")
is "the certificate's drawing includes neither curses nor the database" "$h" ""
h=$(hits '#include *[<"](pango/|cairo)' "src/*.c src/*/*.c" | grep -v '^src/volunteers/certificate_pdf\.c:')
is "only the certificate's drawer (sgz-certificate-pdf) includes pango or cairo" "$h" ""
h=$(hits '#include *[<"](n?curses|ncursesw/)' "src/cli/*.c src/main.c")
is "cli and main leave curses to tui" "$h" ""
h=$(hits '#include *[<"](n?curses|libpq-fe)' "include/sgz/util.h include/sgz/log.h include/sgz/csv.h include/sgz/division.h include/sgz/date.h include/sgz/dict.h")
is "core and dictionary headers are free of curses and libpq" "$h" ""
h=$(hits '\<(PQexec|PQexecParams|PQexecPrepared|PQprepare|PQsendQuery|PQsendQueryParams|PQsendPrepare|PQsendQueryPrepared|PQsendDescribe[A-Za-z]*|PQdescribe[A-Za-z]*)[[:space:]]*\(' \
	"src/*.c src/*/*.c src/*/*/*.c")
# (comment lines aside)
h=$(printf '%s\n' "$h" | grep -v -e '^src/db/db\.c:' -e '^[^:]*:[0-9]*:[[:space:]]*/\{0,1\}\*' |
	grep -v '^$')
is "only src/db/db.c sends SQL through libpq" "$h" ""

# The folder of header sgz/NAME.h: that of src/.../NAME.c, a module's own
# header (stations.h), or one of the few headers of several files.
folder_of() {
	case $1 in
	draft | screens | uistate) echo src/tui; return ;;
	transfer) echo src/model; return ;;
	esac
	for m in $MODULES; do
		[ "$1" = "$m" ] && { echo "src/$m"; return; }
	done
	f=$(find src -name "$1.c" | head -n 1)
	place "$f"
}

# A file's place in the graph: its folder; main.c and conf.c, alone at the
# top of src/, each a place of its own.
place() {
	case $1 in
	"") ;;
	src/*/*) dirname "$1" ;;
	*) echo "$1" ;;
	esac
}

# Every #include "sgz/NAME.h" of src/ and include/sgz/ as "FILE NAME".
includes() {
	grep -H '^#include *"sgz/[a-z_]*\.h"' $(find src include/sgz -name '*.[ch]' | sort) |
		sed 's|^\([^:]*\):#include *"sgz/\([a-z_]*\)\.h".*|\1 \2|'
}

# The headers of the modules: each module's own and those of its .c files.
module_headers=$(for m in $MODULES; do
	echo "$m"
	[ -d "src/$m" ] && find "src/$m" -name '*.c' -exec basename {} .c \;
done | sort -u | tr '\n' '|' | sed 's/|$//')

h=$(hits "#include *\"sgz/($module_headers)\\.h\"" \
	"src/tui/*.c include/sgz/ui.h include/sgz/uistate.h include/sgz/screens.h include/sgz/form.h include/sgz/listview.h include/sgz/lineedit.h include/sgz/picker.h include/sgz/draft.h src/reports/*.c include/sgz/report.h src/model/*.c src/db/*.c src/core/*.c")
is "the generic interface, reports, model, db and core never include a module" "$h" ""

h=$(includes | awk '$2 == "tui" { print $1 }' |
	grep -v -e '^src/main\.c$' -e '^src/cli/' -e '^src/shell/' -e '^include/sgz/tui\.h$')
is "nothing includes the shell (tui.h) but main, cli and the shell" "$h" ""

h=$(includes | awk '$2 == "uistate" { print $1 }' |
	grep -v -e '^src/tui/ui\.c$' -e '^src/shell/' -e '^include/sgz/uistate\.h$')
is "only the services (ui.c) and the shell include the interface's state" "$h" ""

# The arrows between folders: "FROM TO" for each include across folders.
unknown=
edges=$(includes | while read -r file name; do
	to=$(folder_of "$name")
	if [ -z "$to" ]; then
		echo "? $file sgz/$name.h"
		continue
	fi
	case $file in
	include/*) from=$(folder_of "$(basename "$file" .h)") ;;
	*) from=$(place "$file") ;;
	esac
	[ -n "$from" ] && [ "$from" != "$to" ] && echo "$from $to"
done | sort -u)
unknown=$(printf '%s\n' "$edges" | grep '^?' | sed 's/^? //')
is "every header has a folder (tests/layers.sh folder_of)" "$unknown" ""

edges=$(printf '%s\n' "$edges" | grep -v '^?')
loop=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null)
if [ -z "$loop" ]; then
	pass "no include circle among the folders of src/"
else
	fail "no include circle among the folders of src/" "$loop" "the arrows:" "$edges"
fi

# The generic screens share one header (screens.h), so the folders' arrows
# cannot see them: the calls between their files run one way too (a list
# opens forms and tells them its struct form_origin; a form draws its
# panes and gives them its struct panes_opener). "FILE PREFIX" owns the
# functions named PREFIX...
owners="src/tui/screen_list.c list_screen_
src/tui/screen_form.c form_screen_
src/tui/panes.c panes_
src/tui/screen_report.c report_screen_
src/tui/screen_admin.c admin_screen_"
calls=$(printf '%s\n' "$owners" | while read -r to prefix; do
	for from in "$SGZ_SRCDIR"/src/tui/*.c; do
		f=src/tui/${from##*/}
		[ "$f" = "$to" ] && continue
		grep -qE "(^|[^a-z_])$prefix[a-z_]+\(" "$from" && echo "$f $to"
	done
done)
loop=$(printf '%s\n' "$calls" | tsort 2>&1 >/dev/null)
if [ -z "$loop" ]; then
	pass "no call circle among the generic screens of src/tui/"
else
	fail "no call circle among the generic screens of src/tui/" "$loop" "the calls:" "$calls"
fi
