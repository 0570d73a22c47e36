#!/bin/sh
# pinyin.sh - the pinyin initials of people's names (migration 0013,
# spec/work.md "Pinyin for every Chinese character") against a real
# PostgreSQL: every Chinese character, the surnames read as surnames, what is
# not Chinese kept or left out as 0006 did, the columns of staff, volunteers
# and recipients, and a database of before 0013 brought up to date: every
# stale row recomputed, and nothing else of the rows, their audit trail,
# triggers or row-level security changed.
. "$SGZ_SRCDIR/tests/lib/tap.sh"

plan 31

F=$SGZ_SRCDIR/tests/db/fixtures
q() { psql -XAtc "$1" 2>&1; }
# the initials of each argument, space separated
ini() {
	list=""
	for n in "$@"; do
		list="$list${list:+, }'$n'"
	done
	q "SELECT string_agg(sgz.pinyin_initials(n), ' ' ORDER BY o)
	     FROM unnest(ARRAY[$list]) WITH ORDINALITY u(n, o)"
}

"$SGZ_BIN" migrate >/dev/null 2>&1 || bail "migrate failed"
"$SGZ_BIN" import divisions "$SGZ_DATADIR/divisions-2022.csv" >/dev/null 2>&1 || bail "divisions"
for e in divisions organizations stations staff volunteers recipients; do
	"$SGZ_BIN" import "$e" "$F/$e.csv" >/dev/null 2>&1 || bail "import $e"
done

# --- every Chinese character ---
is "jxy is 金欣怡 (spec/work.md)" "$(ini 金欣怡)" "jxy"
is "the given names' characters GB 2312's first level lacks: 怡 婷 琪 萱 梓 璐 鑫" \
	"$(ini 怡 婷 琪 萱 梓 璐 鑫 王琪 李梓萱)" "y t q x z l x wq lzx"
# GB 2312 as GB18030 bytes: rows 0xB0-0xD7 the first level (3,755), 0xD8-0xF7
# the second (3,008); an "x" first, so no character is read as a surname.
is "each of GB 2312's 6,763 characters has an initial, both levels" \
	"$(q "SELECT count(*) || ' ' || count(*) FILTER (WHERE sgz.pinyin_initials('x' || ch) ~ '^x[a-z]$')
	        FROM (SELECT convert_from(decode(to_hex(hi) || to_hex(lo), 'hex'), 'GB18030') ch
	                FROM generate_series(176, 247) hi, generate_series(161, 254) lo
	               WHERE NOT (hi = 215 AND lo > 249)) c")" "6763 6763"
is "extension A, extension B, a compatibility ideograph (as what it decomposes to)" \
	"$(ini 㐀 𠀀 豈)" "q h q"
is "the first kMandarin reading: 长 is zhang, 曾 not first is ceng" "$(ini 张长 李曾)" "zz lc"

# --- surnames: the first character of a name ---
is "sm is 单敏: 单 as a surname is shan (spec/work.md)" "$(ini 单敏)" "sm"
is "each surname of the spec as the first character" \
	"$(ini 单 曾 仇 解 区 朴 查 盖 尉 乐 缪 覃 翟 召)" "s z q x o p z g y y m q z s"
is "万俟 is mq, before a given name too" "$(ini 万俟 万俟卨)" "mq mqx"
is "the traditional forms: 單 區 樂 萬俟" "$(ini 單敏 區 樂 萬俟卨)" "sm o y mqx"
is "a surname's reading only for the first character" "$(ini 敏单 王曾 曾曾 万万俟)" "md wc zc wwq"

# --- what is not Chinese: as 0006 ---
is "Latin letters in lower case and digits kept, spaces and punctuation left out" \
	"$(ini 'Ann 李' '吕·买买提' 'Zhang3 三' 'a-b_c.d')" "annl lmmt zhang3s abcd"
is "full-width and accented letters, symbols, and characters without a reading left out" \
	"$(ini 'ＡＢ１王' 'José王' '王😀' '〇王' '䷀王' '')" "w josw w w w "
is "NULL stays NULL (STRICT)" "$(q "SELECT sgz.pinyin_initials(NULL) IS NULL")" "t"

# --- the function ---
is "immutable, strict, parallel safe, search_path pinned" \
	"$(q "SELECT provolatile::text || proisstrict::text || proparallel::text || ' ' || array_to_string(proconfig, ';')
	        FROM pg_proc WHERE oid = 'sgz.pinyin_initials(text)'::regprocedure")" \
	"itrues search_path=pg_catalog, pg_temp"
is "a session's own functions before pg_catalog change nothing" \
	"$(psql -XAtq -c "CREATE FUNCTION public.ascii(text) RETURNS integer LANGUAGE sql AS 'SELECT 0'" \
		-c "CREATE FUNCTION public.get_byte(bytea, integer) RETURNS integer LANGUAGE sql AS 'SELECT 120'" \
		-c "SET search_path = public, pg_catalog" -c "SELECT sgz.pinyin_initials('金欣怡')" 2>&1)" "jxy"
q "DROP FUNCTION public.ascii(text), public.get_byte(bytea, integer)" >/dev/null

# --- the columns ---
is "a volunteer's initials from the import" \
	"$(q "SELECT initials FROM sgz.volunteer WHERE id_number = '120110197007070042'")" "zm"
q "UPDATE sgz.volunteer SET name = '金欣怡' WHERE id_number = '120110197007070042'" >/dev/null
q "UPDATE sgz.staff SET name = '单敏' WHERE id_number = '12011019850315002X'" >/dev/null
q "UPDATE sgz.recipient SET name = '万俟卨' WHERE id_number = '120110195001010066'" >/dev/null
is "staff, volunteers and recipients keep the initials of the name they have" \
	"$(q "SELECT (SELECT initials FROM sgz.staff WHERE id_number = '12011019850315002X') || ' ' ||
	             (SELECT initials FROM sgz.volunteer WHERE id_number = '120110197007070042') || ' ' ||
	             (SELECT initials FROM sgz.recipient WHERE id_number = '120110195001010066')")" \
	"sm jxy mqx"

# --- a database of before 0013 ---
# 0006's function back, the names written again under it: the rows hold
# what it gave (no 怡, 单 as dan, 万 as wan). Then 0013 applied again, as
# sgz migrate applies it to a database that has not had it.
sed -n '/^CREATE FUNCTION sgz.pinyin_initials/,/^\$\$;/p' \
	"$SGZ_SRCDIR/src/db/migrations/0006_search.sql" |
	sed 's/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/' >"$tap_tmp/0006.sql"
psql -XAtq -v ON_ERROR_STOP=1 -f "$tap_tmp/0006.sql" >/dev/null 2>&1 || bail "0006's function"
for t in staff volunteer recipient; do
	q "UPDATE sgz.$t SET name = name" >/dev/null
done
stale() {
	q "SELECT (SELECT count(*) FROM sgz.staff WHERE initials IS DISTINCT FROM sgz.pinyin_initials(name))
	        + (SELECT count(*) FROM sgz.volunteer WHERE initials IS DISTINCT FROM sgz.pinyin_initials(name))
	        + (SELECT count(*) FROM sgz.recipient WHERE initials IS DISTINCT FROM sgz.pinyin_initials(name))"
}
is "under 0006's function the rows hold its initials" \
	"$(q "SELECT string_agg(initials, ' ' ORDER BY initials) FROM (
	        SELECT initials FROM sgz.staff WHERE id_number = '12011019850315002X'
	        UNION ALL SELECT initials FROM sgz.volunteer WHERE id_number = '120110197007070042'
	        UNION ALL SELECT initials FROM sgz.recipient WHERE id_number = '120110195001010066') x")" \
	"dm jx w"
# Triggers as an administrator may have left them: one off, one always on.
q "ALTER TABLE sgz.volunteer DISABLE TRIGGER volunteer_registered_check" >/dev/null
q "ALTER TABLE sgz.staff ENABLE ALWAYS TRIGGER staff_cases_check" >/dev/null
state() {
	q "SELECT string_agg(c.relname || '.' || t.tgname || '=' || t.tgenabled::text, ' '
	                  ORDER BY c.relname, t.tgname)
	     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	    WHERE c.relnamespace = 'sgz'::regnamespace AND NOT t.tgisinternal
	      AND c.relname IN ('staff', 'volunteer', 'recipient')"
	q "SELECT string_agg(relname || '=' || relrowsecurity || relforcerowsecurity, ' ' ORDER BY relname)
	     FROM pg_class WHERE oid IN ('sgz.staff'::regclass, 'sgz.volunteer'::regclass, 'sgz.recipient'::regclass)"
	q "SELECT (SELECT sum(row_version) FROM sgz.staff) || ' ' || (SELECT sum(row_version) FROM sgz.volunteer)
	          || ' ' || (SELECT sum(row_version) FROM sgz.recipient) || ' ' || (SELECT count(*) FROM sgz.audit)"
	q "SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) FROM (
	     SELECT id_number, name, phone, station, row_version FROM sgz.staff UNION ALL
	     SELECT id_number, name, phone, station, row_version FROM sgz.volunteer UNION ALL
	     SELECT id_number, name, phone, village, row_version FROM sgz.recipient) x"
}
before=$(state)
q "DELETE FROM sgz.schema_migration WHERE version = 13" >/dev/null
out=$("$SGZ_BIN" migrate 2>&1)
rc=$?
is "sgz migrate applies 0013 to it" "$rc" 0
is "it alone, recorded again" \
	"$(printf '%s\n' "$out" | grep -o 'applied [0-9]* migrations\{0,1\}') $(q "SELECT name FROM sgz.schema_migration WHERE version = 13")" \
	"applied 1 migration 0013_pinyin"
is "every row's initials recomputed: none differs from the function" "$(stale)" "0"
is "单敏 sm, 金欣怡 jxy, 万俟卨 mqx in the stored columns" \
	"$(q "SELECT (SELECT initials FROM sgz.staff WHERE id_number = '12011019850315002X') || ' ' ||
	             (SELECT initials FROM sgz.volunteer WHERE id_number = '120110197007070042') || ' ' ||
	             (SELECT initials FROM sgz.recipient WHERE id_number = '120110195001010066')")" \
	"sm jxy mqx"
after=$(state)
is "triggers as they were (one off, one always), row-level security forced, no row_version bumped, no audit entry, every other column the same" \
	"$after" "$before"
like "(the trigger left off is still off)" "$after" "volunteer.volunteer_registered_check=D"
like "(the trigger always on is still always on)" "$after" "staff.staff_cases_check=A"
like "(row-level security still forced)" "$after" "volunteer=truetrue"
is "the schema has no function of a caller's search_path" \
	"$(q "SELECT count(*) FROM sgz.unpinned_functions()")" "0"

# After it, writes go on as before: the triggers work again.
q "ALTER TABLE sgz.volunteer ENABLE TRIGGER volunteer_registered_check" >/dev/null
q "ALTER TABLE sgz.staff ENABLE TRIGGER staff_cases_check" >/dev/null
rv=$(q "SELECT row_version FROM sgz.volunteer WHERE id_number = '120110199512310077'")
audit=$(q "SELECT count(*) FROM sgz.audit")
q "UPDATE sgz.volunteer SET name = '赵欣怡' WHERE id_number = '120110199512310077'" >/dev/null
is "a later change of a name bumps row_version and is audited" \
	"$(q "SELECT row_version - $rv FROM sgz.volunteer WHERE id_number = '120110199512310077'") $(q "SELECT count(*) > $audit FROM sgz.audit")" \
	"1 t"
is "and gives the new initials" \
	"$(q "SELECT initials FROM sgz.volunteer WHERE id_number = '120110199512310077'")" "zxy"
out=$("$SGZ_BIN" migrate 2>&1)
is "a second sgz migrate has nothing to do" "$?" 0
like "and says the schema is current" "$out" "the schema is current"
