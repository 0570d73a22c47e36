/* import.c - the generic CSV import over the data dictionary.
 *
 * Every cell is parsed by the same code as the forms (dict_parse_value) and
 * streamed with COPY into a temporary staging table; the rules across rows
 * run as SQL over that table; then one INSERT ... SELECT ... ON CONFLICT
 * writes everything in the same transaction. Any error: nothing is written,
 * and every error is listed as FILE:LINE:COLUMN: message. */
#include "config.h"

#include "sgz/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/message.h"

/* Past this many messages the rest are counted, not printed. */
#define MAX_LISTED_ERRORS 10000

struct issue {
	long line;
	int order; /* field index, for a stable order within a line */
	char *column;
	char *msg;
};

#define YEAR_FIRST 1900
#define YEAR_LAST 9999

struct import {
	struct db *db;
	const struct dict_entity *e;
	const struct import_opts *opts;
	const char *name; /* the file's name in messages */

	int ncols;			  /* cells in the header */
	const struct dict_field **col; /* header cell -> field (NULL = bad) */
	int *present;			  /* field index -> header cell, or -1 */
	/* field index -> the user may not read the table's column (0017: a
	 * recipient's name): the upsert compares it with the view's */
	int *unreadable;

	struct issue *issues;
	size_t nissues, cap;
	struct issue *warns;
	size_t nwarns, wcap;
	long unlisted_warns; /* counted by the server, not fetched */
	long last_rejected_line;
	long rejected;

	/* A table partitioned by year (0038): the field its partitions go by,
	 * or -1, and the years the file's rows are dated in (from YEAR_FIRST) */
	int year_field;
	const char *year_table;
	unsigned char years[(YEAR_LAST - YEAR_FIRST + 1 + 7) / 8];
	int nyears;
	int stage_kept; /* the stage committed, to be dropped on failure */
};

/* Which checks a pass of stage_check() runs. For an entity whose rules the
 * database enforces on write (dict_entity.enforced), CHECK_BEFORE runs only
 * what the database would not refuse (warnings, checks not marked
 * enforced, keys repeated among rows already stored, which one UPDATE would
 * silently apply once) and CHECK_NAMING the rest, when the write has failed
 * or there are errors anyway: every error is listed either way, and an
 * import that is right pays for its rules once, in the triggers, instead
 * of twice. For other entities CHECK_BEFORE runs everything. */
enum check_pass { CHECK_BEFORE, CHECK_NAMING };

static void add_issue(struct import *im, long line, int order, const char *column,
		      const char *msg)
{
	if (im->nissues == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 64;
		im->issues = xreallocarray(im->issues, im->cap, sizeof(*im->issues));
	}
	struct issue *is = &im->issues[im->nissues++];
	is->line = line;
	is->order = order;
	is->column = xstrdup(column);
	is->msg = xstrdup(msg);
}

static void add_warning(struct import *im, long line, int order, const char *column,
			const char *msg)
{
	if (im->nwarns == im->wcap) {
		im->wcap = im->wcap ? im->wcap * 2 : 64;
		im->warns = xreallocarray(im->warns, im->wcap, sizeof(*im->warns));
	}
	struct issue *is = &im->warns[im->nwarns++];
	is->line = line;
	is->order = order;
	is->column = xstrdup(column);
	is->msg = xstrdup(msg);
}

static int issue_cmp(const void *a, const void *b)
{
	const struct issue *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->order - y->order;
}

/* Writes the sorted messages; returns how many distinct lines they name. */
static long flush_issues(struct import *im)
{
	long lines = 0, prev = -1;
	FILE *out = im->opts->errors ? im->opts->errors : stderr;

	if (im->nissues)
		qsort(im->issues, im->nissues, sizeof(*im->issues), issue_cmp);
	for (size_t i = 0; i < im->nissues; i++) {
		struct issue *is = &im->issues[i];
		if (is->line != prev)
			lines++;
		prev = is->line;
		if (i < MAX_LISTED_ERRORS) {
			/* FILE:LINE:COLUMN: as they are; the message the reader's */
			char *t = msg_tr(is->msg);
			fprintf(out, "%s:%ld:%s: %s\n", im->name, is->line, is->column, t);
			free(t);
		}
	}
	if (im->nissues > MAX_LISTED_ERRORS)
		fprintf(out,
			ngettext("%s: ... and %zu more error\n", "%s: ... and %zu more errors\n",
				 (unsigned long)(im->nissues - MAX_LISTED_ERRORS)),
			im->name, im->nissues - MAX_LISTED_ERRORS);
	return lines;
}

/* Warnings are listed, not fatal: "FILE:LINE:COLUMN: warning: message". */
static void flush_warnings(struct import *im)
{
	FILE *out = im->opts->errors ? im->opts->errors : stderr;

	if (im->nwarns)
		qsort(im->warns, im->nwarns, sizeof(*im->warns), issue_cmp);
	for (size_t i = 0; i < im->nwarns && i < MAX_LISTED_ERRORS; i++) {
		char *t = msg_tr(im->warns[i].msg);
		/* TRANSLATORS: FILE:LINE:COLUMN: warning: message */
		fprintf(out, _("%s:%ld:%s: warning: %s\n"), im->name, im->warns[i].line,
			im->warns[i].column, t);
		free(t);
	}
	long more = im->unlisted_warns +
		    (im->nwarns > MAX_LISTED_ERRORS ? (long)(im->nwarns - MAX_LISTED_ERRORS) : 0);
	if (more > 0)
		fprintf(out,
			ngettext("%s: ... and %ld more warning\n", "%s: ... and %ld more warnings\n",
				 (unsigned long)more),
			im->name, more);
}

static void free_list(struct issue *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].column);
		free(list[i].msg);
	}
	free(list);
}

static void free_issues(struct import *im)
{
	free_list(im->issues, im->nissues);
	free_list(im->warns, im->nwarns);
	im->issues = im->warns = NULL;
	im->nissues = im->cap = im->nwarns = im->wcap = 0;
}

/* ---- header ---- */

static void list_columns(const struct dict_entity *e, struct strbuf *sb)
{
	for (size_t i = 0; i < e->nfields; i++) {
		if (e->fields[i].flags & DF_NOEXPORT)
			continue;
		sb_addf(sb, "%s%s", i ? ", " : "", e->fields[i].column);
	}
}

static int read_header(struct import *im, const struct csv_record *rec)
{
	const struct dict_entity *e = im->e;
	size_t before = im->nissues;

	im->ncols = (int)rec->nfields;
	im->col = xcalloc(rec->nfields, sizeof(*im->col));
	im->present = xcalloc(e->nfields, sizeof(int));
	im->unreadable = xcalloc(e->nfields, sizeof(int));
	for (size_t i = 0; i < e->nfields; i++)
		im->present[i] = -1;

	for (size_t c = 0; c < rec->nfields; c++) {
		struct strbuf cell = { 0 };
		const char *s = rec->fields[c];
		size_t n = rec->lens[c];
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		sb_addn(&cell, s, n);
		const struct dict_field *f = dict_field_by_header(e, sb_str(&cell));
		if (!f || (f->flags & DF_NOEXPORT)) {
			struct strbuf msg = { 0 };
			sb_addf(&msg, "unknown column for %s (its columns: ", e->name);
			list_columns(e, &msg);
			sb_adds(&msg, ")");
			add_issue(im, rec->line, (int)c, cell.len ? sb_str(&cell) : "(empty)",
				  sb_str(&msg));
			sb_free(&msg);
		} else {
			int fi = dict_field_index(e, f);
			if (im->present[fi] >= 0) {
				add_issue(im, rec->line, (int)c, f->column,
					  "the column appears twice in the header");
			} else {
				im->present[fi] = (int)c;
				im->col[c] = f;
			}
		}
		sb_free(&cell);
	}
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		/* a key that may be empty may be left out: empty on every row
		 * (an evaluation's station in a file of contract years) */
		if (im->present[i] < 0 && (f->flags & DF_REQUIRED) &&
		    !(f->flags & (DF_AUTO | DF_NOEXPORT)))
			add_issue(im, rec->line, (int)(rec->nfields + i), f->column,
				  "required column missing from the header");
	}
	return im->nissues == before ? 0 : -1;
}

/* ---- COPY text format ---- */

/* A cell in COPY's text format. Runs without a character to escape go in
 * whole: this is per cell of a million rows. */
static void copy_escape(struct strbuf *sb, const char *s, size_t n)
{
	size_t run = 0;

	if (n == 0) {
		sb_adds(sb, "\\N");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *esc;
		switch (s[i]) {
		case '\\':
			esc = "\\\\";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			continue;
		}
		sb_addn(sb, s + run, i - run);
		sb_addn(sb, esc, 2);
		run = i + 1;
	}
	sb_addn(sb, s + run, n - run);
}

/* The line number that starts a row of COPY data. */
static void copy_line_number(struct strbuf *sb, long line)
{
	char buf[24];
	size_t n = sizeof(buf);

	do {
		buf[--n] = (char)('0' + line % 10);
		line /= 10;
	} while (line > 0 && n > 0);
	sb_addn(sb, buf + n, sizeof(buf) - n);
}

/* ---- SQL built from the dictionary (identifiers only, never values) ---- */

/* Derived columns (DF_NOEXPORT) are the database's to fill, never staged,
 * but those the import fills itself (stage_sql). */
static int staged(const struct dict_field *f)
{
	return !(f->flags & DF_NOEXPORT) || f->stage_sql;
}

/* The staging table's type of field f. Dates are staged as dates: every
 * check and the upsert read them as dates, and a million rows paid for
 * the text being parsed again in each of them; COPY parses it once. (They
 * read back as the same text: the session's DateStyle is ISO.) The rest is
 * staged as the canonical text the checks were written for. */
static const char *stage_type(const struct dict_field *f)
{
	return f->type == DT_DATE ? "date" : "text";
}

static const char *cast_of(const struct dict_field *f)
{
	const char *t = dict_sql_type(f);

	return strcmp(t, "text") == 0 ? NULL : t;
}

/* The staged text of field f as the table's type. */
static void add_stage_expr(struct strbuf *sb, const struct dict_field *f)
{
	const char *cast = cast_of(f);

	if (f->type == DT_CHOICES || f->type == DT_DIVISIONS)
		sb_addf(sb, "coalesce(string_to_array(s.%s, ';'), '{}')", f->column);
	else if (cast)
		sb_addf(sb, "s.%s::%s", f->column, cast);
	else
		sb_addf(sb, "s.%s", f->column);
}

/* A field naming a person by ID number: the people entities' own key, and
 * the volunteer, recipient or worker of the entities that name people. A
 * user who is not an admin cannot read the number columns of the tables
 * (migration 0017): the stage has the person's pid in its column
 * pid_column, found with sgz.person_lookup() in the user's scope
 * (dict_stage_pid_sql()), and the stored rows are compared and joined on
 * the pid columns. The number itself is only written. */
static int person(const struct dict_field *f)
{
	return f->pid_column != NULL;
}

/* Field i names a person of another table, from the file: a new row gets
 * the pid the stage found for the number beside it (NULL when it found
 * none: the database then says why), so that the database checks the pair
 * once per statement (0018) rather than looking the pid up row by row. */
static int names_person(const struct import *im, size_t i)
{
	const struct dict_field *f = &im->e->fields[i];

	return person(f) && im->present[i] >= 0 &&
	       strcmp(dict_person_table(im->e, f), im->e->table) != 0;
}

static void add_key_list(struct strbuf *sb, const struct dict_entity *e, const char *prefix)
{
	int first = 1;

	for (size_t i = 0; i < e->nfields; i++) {
		if (!(e->fields[i].flags & DF_KEY))
			continue;
		sb_addf(sb, "%s%s%s", first ? "" : ", ", prefix, e->fields[i].column);
		first = 0;
	}
}

/* Which columns of a table of people (or naming people) the user may not
 * read: with migration 0017, those holding a full ID number, and a
 * recipient's name, for everyone but admins. */
static int find_unreadable(struct import *im, struct sgz_err *err)
{
	const struct dict_entity *e = im->e;
	struct strbuf cols = { 0 };
	const char *params[2] = { e->table, NULL };

	if (!e->view)
		return 0;
	sb_addc(&cols, '{');
	for (size_t i = 0; i < e->nfields; i++)
		if (staged(&e->fields[i]))
			sb_addf(&cols, "%s%s", cols.len > 1 ? "," : "", e->fields[i].column);
	sb_addc(&cols, '}');
	params[1] = sb_str(&cols);
	PGresult *res = db_query(im->db,
				 "SELECT c FROM unnest($2::text[]) c\n"
				 " WHERE NOT has_column_privilege($1, c, 'SELECT')",
				 2, params, err);
	sb_free(&cols);
	if (!res)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		const struct dict_field *f = dict_field_by_header(e, PQgetvalue(res, r, 0));
		if (f)
			im->unreadable[dict_field_index(e, f)] = 1;
	}
	PQclear(res);
	return 0;
}

static int stage_create(struct import *im, struct sgz_err *err)
{
	struct strbuf sql = { 0 };
	const struct dict_entity *e = im->e;
	int rc;

	sb_adds(&sql, "CREATE TEMP TABLE stage (_line integer NOT NULL, _stored boolean NOT NULL DEFAULT "
		     "false");
	for (size_t i = 0; i < e->nfields; i++)
		if (staged(&e->fields[i]))
			sb_addf(&sql, ", %s %s", e->fields[i].column, stage_type(&e->fields[i]));
	/* the pids of the people the rows name (dict_stage_pid_sql()) */
	for (size_t i = 0; i < e->nfields; i++)
		if (staged(&e->fields[i]) && e->fields[i].pid_column)
			sb_addf(&sql, ", %s bigint", e->fields[i].pid_column);
		else if (staged(&e->fields[i]) && e->fields[i].pids_column)
			sb_addf(&sql, ", %s bigint[]", e->fields[i].pids_column);
	/* dropped by the import itself (stage_drop()): it outlives the
	 * transaction the partitions of a new year are made between */
	sb_adds(&sql, ")");
	rc = db_exec(im->db, sb_str(&sql), 0, NULL, err);
	if (rc == 0) {
		sb_reset(&sql);
		sb_adds(&sql, "COPY stage (_line");
		for (size_t i = 0; i < e->nfields; i++)
			if (im->present[i] >= 0)
				sb_addf(&sql, ", %s", e->fields[i].column);
		sb_adds(&sql, ") FROM STDIN");
		rc = db_copy_begin(im->db, sb_str(&sql), err);
	}
	sb_free(&sql);
	return rc;
}

static void stage_drop(struct import *im)
{
	struct sgz_err e;

	sgz_err_clear(&e);
	db_exec(im->db, "DROP TABLE IF EXISTS pg_temp.stage", 0, NULL, &e);
}

/* The tables partitioned by year an import writes, by the field that
 * dates their rows (0038), and the name sgz.partitions_for() knows them by
 * (0043). */
static const struct {
	const char *table, *field, *name;
} year_tables[] = {
	{ "sgz.hours", "service_date", "hours" },
	{ "sgz.visit", "visit_date", "visit" },
};

static void find_year_field(struct import *im)
{
	im->year_field = -1;
	for (size_t t = 0; t < sizeof(year_tables) / sizeof(year_tables[0]); t++) {
		if (strcmp(im->e->table, year_tables[t].table) != 0)
			continue;
		for (size_t i = 0; i < im->e->nfields; i++)
			if (strcmp(im->e->fields[i].column, year_tables[t].field) == 0 &&
			    im->present[i] >= 0) {
				im->year_field = (int)i;
				im->year_table = year_tables[t].name;
			}
	}
}

/* The year of a date as staged (YYYY-MM-DD). */
static void note_year(struct import *im, const char *date, size_t len)
{
	int y = 0;

	if (len < 4)
		return;
	for (int i = 0; i < 4; i++) {
		if (date[i] < '0' || date[i] > '9')
			return;
		y = y * 10 + (date[i] - '0');
	}
	if (y < YEAR_FIRST || y > YEAR_LAST)
		return;
	y -= YEAR_FIRST;
	if (!(im->years[y / 8] & (1u << (y % 8)))) {
		im->years[y / 8] |= (unsigned char)(1u << (y % 8));
		im->nyears++;
	}
}

/* The partitions of the file's years, made before its rows are written
 * (sgz.partitions_for(), 0043), in a transaction of their own between the
 * staging and the rest: making one locks the table out for every reader
 * until it commits (28 to 78 ms measured, tests/bench/README), not for the
 * whole import. The function makes only the missing ones and takes no lock
 * when none is. If they cannot be made (another session holds the table
 * longer than the function waits, or the schema predates it), the import
 * goes on: the rows go into the default partition, as before, and the user
 * is told. */
static int ensure_partitions(struct import *im, struct sgz_err *err)
{
	struct strbuf years = { 0 };
	struct sgz_err e;
	FILE *out = im->opts->errors ? im->opts->errors : stderr;

	sb_addc(&years, '{');
	for (int y = 0; y <= YEAR_LAST - YEAR_FIRST; y++)
		if (im->years[y / 8] & (1u << (y % 8)))
			sb_addf(&years, "%s%d", years.len > 1 ? "," : "", y + YEAR_FIRST);
	sb_addc(&years, '}');
	const char *params[2] = { im->year_table, sb_str(&years) };
	if (db_commit(im->db, err) < 0) {
		sb_free(&years);
		return -1;
	}
	im->stage_kept = 1;
	sgz_err_clear(&e);
	PGresult *res = db_query(im->db, "SELECT sgz.partitions_for($1, $2::integer[])", 2, params,
				 &e);
	if (!res) {
		log_msg(LOG_WARNING, "import %s %s: partitions for the years %s not made: %s",
			im->e->name, im->name, params[1], e.msg);
		char *t = msg_tr(e.msg);
		fprintf(out,
			_("%s: warning: the partitions of the file's years were not made (%s): "
			  "its rows of a year without one wait in the default partition for "
			  "sgz migrate\n"),
			im->name, t);
		free(t);
	} else {
		int n = atoi(PQgetvalue(res, 0, 0));
		if (n > 0) {
			log_msg(LOG_INFO, "import %s %s: added %d partitions for the years %s",
				im->e->name, im->name, n, params[1]);
			fprintf(out,
				ngettext("%s: added %d partition for the file's years\n",
					 "%s: added %d partitions for the file's years\n",
					 (unsigned long)n),
				im->name, n);
		}
		PQclear(res);
	}
	sb_free(&years);
	return db_begin(im->db, err);
}

/* The checks and the triggers group and join the whole file, several
 * times: with the server's default work_mem (4 MB) a million rows spill to
 * disk in every pass. Give this transaction about 256 bytes a row, never
 * less than the session has and at most 512 MB (each sort or hash may take
 * that much; they run one after the other). Given the memory, the planner
 * would sort the million staged rows for merge joins, where hashing the
 * smaller side costs a fraction (text sorts are slow); and JIT compiling
 * these plans costs more than it saves. */
static int session_for(struct import *im, long rows, struct sgz_err *err)
{
	char bytes[24];
	const char *params[1] = { bytes };

	snprintf(bytes, sizeof(bytes), "%ld", rows * 256);
	return db_exec(im->db,
		       "SELECT set_config('work_mem',\n"
		       "         greatest(pg_size_bytes(current_setting('work_mem')),\n"
		       "                  least($1::bigint, 536870912)) / 1024 || 'kB', true),\n"
		       "       set_config('enable_mergejoin', 'off', true),\n"
		       "       set_config('jit', 'off', true)",
		       1, params, err);
}

/* Indexes the keys, and fills the columns the file lacks from the rows that
 * exist, so that the checks see whole rows and the upsert keeps them. */
static void add_key_join(struct strbuf *sb, const struct dict_entity *e, const char *pid);

static int stage_prepare(struct import *im, struct sgz_err *err)
{
	const struct dict_entity *e = im->e;
	struct strbuf sql = { 0 };
	int rc, keys = 0, stored = 0;

	for (size_t i = 0; i < e->nfields; i++)
		keys += (e->fields[i].flags & DF_KEY) != 0;
	/* The checks join the staged rows with hash joins; an index on them pays
	 * only for the row-by-row lookups of a reference to earlier rows of the
	 * same file (a division's parent). */
	rc = 0;
	for (size_t i = 0; i < e->nfields && rc == 0; i++) {
		const struct dict_field *f = &e->fields[i];
		if (f->ref_table && strcmp(f->ref_table, e->table) == 0) {
			sb_addf(&sql, "CREATE INDEX ON stage (%s, _line)", f->ref_column);
			rc = db_exec(im->db, sb_str(&sql), 0, NULL, err);
		}
	}
	if (e->checks && strcmp(e->table, "sgz.division") == 0 && rc == 0)
		rc = db_exec(im->db, "CREATE INDEX ON stage (code, _line)", 0, NULL, err);
	/* The pids of the people the file names (the checks compare them),
	 * once per person. When a person is part of the key, which rows are
	 * stored already is marked in the same pass (one write of the stage,
	 * not two): all of them when he is the whole key (staff, volunteers,
	 * recipients). */
	for (size_t i = 0; i < e->nfields && rc == 0; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!staged(f) || !f->pid_column)
			continue;
		sb_reset(&sql);
		if (!(f->flags & DF_KEY) || im->present[i] < 0) {
			if (im->present[i] >= 0)
				dict_stage_pid_sql(e, f, &sql);
			rc = sql.len ? db_exec(im->db, sb_str(&sql), 0, NULL, err) : 0;
			continue;
		}
		/* as dict_stage_pid_sql() */
		const char *params[1] = { dict_person_table(e, f) };
		sb_addf(&sql, "UPDATE stage s SET %s = p.pid", f->pid_column);
		if (keys == 1) {
			sb_adds(&sql, ", _stored = true");
		} else {
			sb_addf(&sql, ",\n       _stored = EXISTS (SELECT 1 FROM %s t WHERE ", e->table);
			add_key_join(&sql, e, "p.pid");
			sb_adds(&sql, ")");
		}
		sb_addf(&sql,
			"\n  FROM sgz.person_lookup($1, ARRAY(SELECT DISTINCT %s FROM stage\n"
			"                                     WHERE %s IS NOT NULL)) p\n"
			" WHERE p.id_number = s.%s",
			f->column, f->column, f->column);
		rc = db_exec(im->db, sb_str(&sql), 1, params, err);
		stored = 1;
		/* The people's own table: every number the stage holds that
		 * is stored in the user's scope has its pid now, so the
		 * per-row look-up of the pid by number (0012's
		 * person_pid_keep) would find none for the rows the upsert
		 * inserts; a number stored out of the scope, or by another
		 * session meanwhile, is refused by the table's key on the
		 * number either way (0020). */
		if (rc == 0 && keys == 1 && strcmp(params[0], e->table) == 0)
			rc = db_exec(im->db, "SELECT set_config('sgz.pids_found', 'on', true)", 0,
				     NULL, err);
	}
	/* the derived columns the import fills (stage_sql) */
	for (size_t i = 0; i < e->nfields && rc == 0; i++)
		if (e->fields[i].stage_sql)
			rc = db_exec(im->db, e->fields[i].stage_sql, 0, NULL, err);
	if (rc == 0)
		rc = db_exec(im->db, "ANALYZE stage", 0, NULL, err);
	/* The pids of a list of staff (attendees), in the list's order, for
	 * the rows whose every number is found in the user's scope and whose
	 * list is in the order the database keeps (its collation's): one
	 * look-up for the file. The other rows (a #pid, a masked number, a
	 * number not found) are the database's to resolve, row by row. */
	for (size_t i = 0; i < e->nfields && rc == 0; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!staged(f) || !f->pids_column || im->present[i] < 0)
			continue;
		sb_reset(&sql);
		sb_addf(&sql,
			"WITH l AS MATERIALIZED (\n"
			"  SELECT l.id_number, l.pid FROM sgz.person_lookup('staff', ARRAY(\n"
			"    SELECT DISTINCT x FROM stage q CROSS JOIN unnest(string_to_array(q.%1$s, ';')) x\n"
			"     WHERE x ~ '^[0-9]{17}[0-9X]$')) l)\n"
			"UPDATE stage s SET %2$s = x.pids\n"
			"  FROM (SELECT q._line, array_agg(l.pid ORDER BY l.id_number) AS pids,\n"
			"               string_agg(l.id_number, ';' ORDER BY l.id_number) AS nums,\n"
			"               count(*) = count(l.pid) AS whole\n"
			"          FROM stage q CROSS JOIN unnest(string_to_array(q.%1$s, ';')) a(a)\n"
			"          LEFT JOIN l ON l.id_number = a.a\n"
			"         GROUP BY q._line) x\n"
			" WHERE x._line = s._line AND x.whole AND x.nums = s.%1$s",
			f->column, f->pids_column);
		rc = db_exec(im->db, sb_str(&sql), 0, NULL, err);
	}
	/* A person the file leaves out stays as stored (the upsert does not
	 * write him), as does a column the user may not read. */
	struct strbuf set = { 0 };
	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (im->present[i] >= 0 || !staged(f) || person(f) || im->unreadable[i] ||
		    f->stage_sql)
			continue;
		sb_addf(&set, "%s%s = ", set.len ? ", " : "", f->column);
		if (strcmp(stage_type(f), "text") == 0)
			transfer_export_expr(&set, f, "t");
		else
			sb_addf(&set, "t.%s", f->column);
	}
	if (rc == 0 && set.len) {
		sb_reset(&sql);
		sb_addf(&sql, "UPDATE stage s SET %s FROM %s t WHERE ", sb_str(&set), e->table);
		add_key_join(&sql, e, NULL);
		rc = db_exec(im->db, sb_str(&sql), 0, NULL, err);
	}
	sb_free(&set);
	/* Which staged rows are stored already: marked once, here, so that the
	 * upsert inserts the others without an anti-join against a table that
	 * grows as it runs (a planner that believes the table empty would scan
	 * it once per row). */
	if (rc == 0 && !stored) {
		sb_reset(&sql);
		sb_addf(&sql, "UPDATE stage s SET _stored = true FROM %s t WHERE ", e->table);
		add_key_join(&sql, e, NULL);
		rc = db_exec(im->db, sb_str(&sql), 0, NULL, err);
	}
	/* New rows get the dictionary's default for a column the file lacks. */
	for (size_t i = 0; rc == 0 && i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (im->present[i] >= 0 || !staged(f) || !f->def)
			continue;
		const char *params[1] = { f->def };
		sb_reset(&sql);
		sb_addf(&sql, "UPDATE stage SET %s = $1 WHERE %s IS NULL", f->column, f->column);
		rc = db_exec(im->db, sb_str(&sql), 1, params, err);
	}
	sb_free(&sql);
	return rc;
}

/* Runs a query returning (line, message) rows into the issue list, or the
 * warning list. */
static int run_check(struct import *im, const char *column, const char *sql, int warning,
		     struct sgz_err *err)
{
	struct strbuf capped = { 0 };
	const struct dict_field *f = dict_field_by_header(im->e, column);
	int order = f ? dict_field_index(im->e, f) : 0;

	/* A million historical rows may each be late: list the first lines
	 * and count the rest in the server, rather than carry them all. */
	if (warning) {
		sb_addf(&capped,
			"SELECT w.*, count(*) OVER () FROM (%s) w ORDER BY 1 LIMIT %d", sql,
			MAX_LISTED_ERRORS);
		sql = sb_str(&capped);
	}
	PGresult *res = db_query(im->db, sql, 0, NULL, err);
	sb_free(&capped);
	if (!res)
		return -1;
	if (warning && PQntuples(res) > 0)
		im->unlisted_warns += atol(PQgetvalue(res, 0, 2)) - PQntuples(res);
	for (int r = 0; r < PQntuples(res); r++) {
		long line = atol(PQgetvalue(res, r, 0));
		if (warning)
			add_warning(im, line, order, column, PQgetvalue(res, r, 1));
		else
			add_issue(im, line, order, column, PQgetvalue(res, r, 1));
	}
	PQclear(res);
	return 0;
}

/* Rows outside the importing user's scope are errors, never skipped
 * (csv.md). Row-level security refuses them anyway; this names the line and
 * the scope before anything is written. sgz.scope_prefix() is '' for
 * administrators and NULL for a role without a scope. */
static int scope_check(struct import *im, struct sgz_err *err)
{
	const struct dict_entity *e = im->e;
	const struct dict_field *f = e->scope_column ? dict_field_by_header(e, e->scope_column) : NULL;
	struct strbuf sql = { 0 };
	int rc;

	if (!f || !staged(f) || strcmp(e->table, "sgz.division") == 0)
		return 0;
	sb_addf(&sql,
		"SELECT s._line, CASE WHEN p.prefix IS NULL\n"
		"         THEN 'you have no scope in this database: ask an administrator "
		"(sgz user add)'\n"
		"         ELSE format('%%s is outside your scope (%%s)', s.%s, p.prefix) END\n"
		"  FROM stage s CROSS JOIN (SELECT sgz.scope_prefix() AS prefix OFFSET 0) p\n"
		" WHERE p.prefix IS NULL OR s.%s NOT LIKE p.prefix || '%%'",
		f->column, f->column);
	rc = run_check(im, f->column, sb_str(&sql), 0, err);
	sb_free(&sql);
	return rc;
}

/* References named in the dictionary: each value must exist in the table it
 * refers to, or, for a reference to the entity itself, earlier in the file. */
static int ref_checks(struct import *im, struct sgz_err *err)
{
	const struct dict_entity *e = im->e;
	struct strbuf sql = { 0 };
	int rc = 0;

	for (size_t i = 0; i < e->nfields && rc == 0; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!f->ref_table || im->present[i] < 0)
			continue;
		int self = strcmp(f->ref_table, e->table) == 0;
		sb_reset(&sql);
		if (f->type == DT_DIVISIONS)
			sb_addf(&sql,
				"SELECT s._line, format('%%s does not exist: %s', v)\n"
				"  FROM stage s, unnest(string_to_array(s.%s, ';')) v\n"
				" WHERE NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = v)",
				f->ref_hint ? f->ref_hint : "", f->column, f->ref_table, f->ref_column);
		else
			sb_addf(&sql,
				"SELECT s._line, format('%%s does not exist: %s', s.%s)\n"
				"  FROM stage s\n"
				" WHERE s.%s IS NOT NULL\n"
				"   AND NOT EXISTS (SELECT 1 FROM %s r WHERE r.%s = s.%s)",
				f->ref_hint ? f->ref_hint : "", f->column, f->column, f->ref_table,
				f->ref_column, f->column);
		if (self)
			sb_addf(&sql,
				"\n   AND NOT EXISTS (SELECT 1 FROM stage q WHERE q.%s = s.%s "
				"AND q._line < s._line)",
				f->ref_column, f->column);
		rc = run_check(im, f->column, sb_str(&sql), 0, err);
	}
	sb_free(&sql);
	return rc;
}

static int stage_check(struct import *im, enum check_pass pass, struct sgz_err *err)
{
	const struct dict_entity *e = im->e;
	struct strbuf sql = { 0 }, keys = { 0 };
	const char *first_key = NULL;
	int rc, before = pass == CHECK_BEFORE, deferred = e->enforced != 0;
	/* whether this pass runs the scope and reference checks */
	int generic = before ? !deferred : deferred;

	for (size_t i = 0; i < e->nfields && !first_key; i++)
		if (e->fields[i].flags & DF_KEY)
			first_key = e->fields[i].column;
	add_key_list(&keys, e, "");
	/* A key the database assigns (DF_AUTO) may be empty on many rows. */
	struct strbuf where = { 0 };
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & DF_KEY) && (e->fields[i].flags & DF_AUTO))
			sb_addf(&where, " AND %s IS NOT NULL", e->fields[i].column);
	/* The rows of one key are all stored or all new (_stored follows the
	 * key); the unique key refuses new ones, not stored ones. */
	if (deferred)
		sb_adds(&where, before ? " AND _stored" : " AND NOT _stored");
	sb_addf(&sql,
		"SELECT _line, format('the same %s as line %%s: each row needs its own', first)\n"
		"  FROM (SELECT _line, min(_line) OVER (PARTITION BY %s) AS first\n"
		"          FROM stage WHERE true%s) x\n"
		" WHERE _line <> first",
		sb_str(&keys), sb_str(&keys), sb_str(&where));
	sb_free(&where);
	rc = before || deferred ? run_check(im, first_key, sb_str(&sql), 0, err) : 0;
	if (rc == 0 && generic)
		rc = scope_check(im, err);
	if (rc == 0 && generic)
		rc = ref_checks(im, err);
	for (const struct dict_check *c = e->checks; rc == 0 && c && c->sql; c++) {
		int naming = deferred && c->enforced;
		if (before ? !naming : naming)
			rc = run_check(im, c->column, c->sql, c->warning, err);
	}
	sb_free(&sql);
	sb_free(&keys);
	return rc;
}

/* The key of the table row t against the staged row s; a key part that may
 * be empty (an hours row without activity) matches empty to empty. A
 * person of the key matches by pid: the stage's, or the expression pid. */
static void add_key_join(struct strbuf *sb, const struct dict_entity *e, const char *pid)
{
	int first = 1;

	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if (!(f->flags & DF_KEY))
			continue;
		if (person(f)) {
			sb_addf(sb, "%st.%s = ", first ? "" : " AND ", f->pid_column);
			if (pid)
				sb_adds(sb, pid);
			else
				sb_addf(sb, "s.%s", f->pid_column);
			first = 0;
			continue;
		}
		sb_addf(sb, "%st.%s %s ", first ? "" : " AND ", f->column,
			(f->flags & DF_REQUIRED) ? "=" : "IS NOT DISTINCT FROM");
		add_stage_expr(sb, f);
		first = 0;
	}
}

/* One statement that updates the stored rows the file changes and inserts
 * the new ones: an UPDATE in a WITH, then a plain INSERT of the rows whose
 * key is not stored. Cheaper than INSERT ... ON CONFLICT, whose speculative
 * insertion costs on every row of a bulk load; the checks have already
 * refused keys repeated within the file. $1 and $2 bound the lines.
 *
 * A stored row is written only when the file changes it: a person named
 * by the row is compared by pid, a person's name the user may not read (a
 * recipient's) by sgz.person_name_is(), which tells whether it is the same
 * without showing it, and any other column the user may not read with
 * the view's. */
static void build_upsert(const struct import *im, struct strbuf *sql)
{
	const struct dict_entity *e = im->e;
	struct strbuf cols = { 0 }, vals = { 0 }, old = { 0 }, cmp = { 0 };
	int first = 1, view = 0;

	for (size_t i = 0; i < e->nfields; i++) {
		const struct dict_field *f = &e->fields[i];
		if ((f->flags & DF_KEY) || !staged(f))
			continue;
		/* what the file leaves out and the stage could not fill */
		if (im->present[i] < 0 && (person(f) || im->unreadable[i]))
			continue;
		const char *sep = first ? "" : ", ";
		sb_addf(&cols, "%s%s", sep, f->column);
		sb_adds(&vals, sep);
		add_stage_expr(&vals, f);
		sb_adds(&cmp, sep);
		if (f->pids_column && im->present[i] >= 0) {
			/* a list of staff, compared by pids (NULL where the
			 * stage found none: written, and resolved again) */
			sb_addf(&cols, ", %s", f->pids_column);
			sb_addf(&vals, ", coalesce(s.%s, '{}')", f->pids_column);
			sb_addf(&old, "%st.%s", sep, f->pids_column);
			sb_addf(&cmp, "s.%s", f->pids_column);
		} else if (person(f)) {
			sb_addf(&old, "%st.%s", sep, f->pid_column);
			sb_addf(&cmp, "s.%s", f->pid_column);
		} else if (im->unreadable[i] && e->view && strcmp(f->column, "name") == 0) {
			/* the stored name compared without reading it */
			sb_addf(&old, "%ssgz.person_name_is('%s', t.pid, ", sep, e->name);
			add_stage_expr(&old, f);
			sb_adds(&old, ")");
			sb_adds(&cmp, "true");
		} else if (im->unreadable[i] && e->view) {
			sb_addf(&old, "%sv.%s", sep, f->column);
			add_stage_expr(&cmp, f);
			view = 1;
		} else {
			sb_addf(&old, "%st.%s", sep, f->column);
			add_stage_expr(&cmp, f);
		}
		first = 0;
	}
	if (cols.len) {
		sb_addf(sql, "WITH changed AS (\n  UPDATE %s t SET (%s) = ROW(%s)\n    FROM stage s",
			e->table, sb_str(&cols), sb_str(&vals));
		if (view)
			sb_addf(sql, ", %s v", e->view);
		sb_adds(sql, "\n   WHERE s._line BETWEEN $1::integer AND $2::integer AND ");
		add_key_join(sql, e, NULL);
		if (view)
			sb_adds(sql, " AND v.pid = t.pid");
		sb_addf(sql, "\n     AND (%s) IS DISTINCT FROM (%s)\n  RETURNING 1)\n", sb_str(&old),
			sb_str(&cmp));
	}
	sb_addf(sql, "INSERT INTO %s (", e->table);
	first = 1;
	for (size_t i = 0; i < e->nfields; i++) {
		if (!staged(&e->fields[i]))
			continue;
		sb_addf(sql, "%s%s", first ? "" : ", ", e->fields[i].column);
		if (names_person(im, i))
			sb_addf(sql, ", %s", e->fields[i].pid_column);
		else if (e->fields[i].pids_column && im->present[i] >= 0)
			sb_addf(sql, ", %s", e->fields[i].pids_column);
		first = 0;
	}
	sb_adds(sql, ")\nSELECT ");
	first = 1;
	for (size_t i = 0; i < e->nfields; i++) {
		if (!staged(&e->fields[i]))
			continue;
		if (!first)
			sb_adds(sql, ", ");
		add_stage_expr(sql, &e->fields[i]);
		if (names_person(im, i))
			sb_addf(sql, ", s.%s", e->fields[i].pid_column);
		else if (e->fields[i].pids_column && im->present[i] >= 0)
			sb_addf(sql, ", coalesce(s.%s, '{}')", e->fields[i].pids_column);
		first = 0;
	}
	sb_adds(sql, "\n  FROM stage s WHERE s._line BETWEEN $1::integer AND $2::integer\n"
		     "   AND NOT s._stored");
	/* Keys the database assigns follow the file's order; otherwise order
	 * does not matter and sorting a million rows would cost. */
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & DF_AUTO) {
			sb_adds(sql, " ORDER BY s._line");
			break;
		}
	sb_free(&cols);
	sb_free(&vals);
	sb_free(&old);
	sb_free(&cmp);
}

/* The column a database error is about: the one it names, or the one whose
 * name its constraint's name contains (division_population_valid). */
static const char *error_column(const struct dict_entity *e, const PGresult *res)
{
	const char *col = res ? PQresultErrorField(res, PG_DIAG_COLUMN_NAME) : NULL;
	const char *con = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	const char *best = NULL;

	if (col && dict_field_by_header(e, col))
		return dict_field_by_header(e, col)->column;
	for (size_t i = 0; con && i < e->nfields; i++)
		if (strstr(con, e->fields[i].column) &&
		    (!best || strlen(e->fields[i].column) > strlen(best)))
			best = e->fields[i].column;
	if (best)
		return best;
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & DF_KEY)
			return e->fields[i].column;
	return e->fields[0].column;
}

/* The upsert of lines lo..hi failed with a data error: find the lines that
 * fail by halving, inside savepoints, keeping what succeeds so that later
 * rows see earlier ones as they would in one statement. */
static int locate(struct import *im, const char *sql, long lo, long hi, struct sgz_err *err)
{
	char a[24], b[24];
	const char *params[2] = { a, b };

	if (im->nissues >= MAX_LISTED_ERRORS)
		return 0;
	snprintf(a, sizeof(a), "%ld", lo);
	snprintf(b, sizeof(b), "%ld", hi);
	if (db_exec(im->db, "SAVEPOINT sgz_locate", 0, NULL, err) < 0)
		return -1;
	PGresult *res = db_pq_exec_params(im->db, sql, 2, params);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		return db_exec(im->db, "RELEASE SAVEPOINT sgz_locate", 0, NULL, err);
	}
	struct sgz_err rerr;
	sgz_err_clear(&rerr);
	db_result_error(res, &rerr);
	const char *column = error_column(im->e, res);
	char *col = xstrdup(column);
	PQclear(res);
	if (rerr.status != SGZ_EDATA) {
		free(col);
		*err = rerr;
		return -1;
	}
	if (db_exec(im->db, "ROLLBACK TO SAVEPOINT sgz_locate", 0, NULL, err) < 0 ||
	    db_exec(im->db, "RELEASE SAVEPOINT sgz_locate", 0, NULL, err) < 0) {
		free(col);
		return -1;
	}
	int rc = 0;
	if (lo == hi) {
		const struct dict_field *f = dict_field_by_header(im->e, col);
		add_issue(im, lo, f ? dict_field_index(im->e, f) : 0, col, rerr.msg);
	} else {
		long mid = lo + (hi - lo) / 2;
		rc = locate(im, sql, lo, mid, err);
		if (rc == 0)
			rc = locate(im, sql, mid + 1, hi, err);
	}
	free(col);
	return rc;
}

static int upsert(struct import *im, long first_line, long last_line, struct sgz_err *err)
{
	struct strbuf sql = { 0 };
	char a[24], b[24];
	const char *params[2] = { a, b };
	int rc;

	build_upsert(im, &sql);
	snprintf(a, sizeof(a), "%ld", first_line);
	snprintf(b, sizeof(b), "%ld", last_line);
	if (db_exec(im->db, "SAVEPOINT sgz_upsert", 0, NULL, err) < 0) {
		sb_free(&sql);
		return -1;
	}
	rc = db_exec(im->db, sb_str(&sql), 2, params, err);
	if (rc < 0 && !err->conn_lost) {
		size_t before = im->nissues;
		struct sgz_err lerr;
		sgz_err_clear(&lerr);
		int back = db_exec(im->db, "ROLLBACK TO SAVEPOINT sgz_upsert", 0, NULL, &lerr) == 0;
		/* The database refused the rows: the checks it stands in for
		 * name them, with their own messages. Should they fail too (a
		 * timeout), the write's own error is the one to report. */
		if (back && im->e->enforced && stage_check(im, CHECK_NAMING, &lerr) == 0 &&
		    im->nissues > before) {
			sgz_err_set(err, SGZ_EDATA, "the database refused some rows");
		} else if (err->status == SGZ_EDATA) {
			/* Name the rows: the constraints of the database said no. */
			if (back && locate(im, sb_str(&sql), first_line, last_line, &lerr) == 0 &&
			    im->nissues > before)
				sgz_err_set(err, SGZ_EDATA, "the database refused some rows");
			else if (im->nissues == before)
				add_issue(im, first_line, 0, im->e->fields[0].column, err->msg);
		}
	}
	sb_free(&sql);
	return rc;
}

/* ---- progress ---- */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(const struct import *im, struct csv_reader *r, long rows, int done)
{
	off_t size = csv_reader_size(r);

	if (done) {
		fputs("\r\033[K", stderr);
		return;
	}
	fputc('\r', stderr);
	if (size > 0)
		fprintf(stderr, _("%s: %ld rows read (%d%%)"), im->e->name, rows,
			(int)(100.0 * (double)csv_reader_offset(r) / (double)size));
	else
		fprintf(stderr, _("%s: %ld rows read"), im->e->name, rows);
	fputs("\033[K", stderr);
}

/* ---- the run ---- */

int import_run(struct db *db, const struct dict_entity *e, const struct import_opts *opts,
	       struct import_result *res, struct sgz_err *err)
{
	struct import im = { .db = db, .e = e, .opts = opts };
	struct csv_record rec;
	struct strbuf line = { 0 }, val = { 0 };
	struct sgz_err cerr;
	long rows = 0, first_line = 0, last_line = 0;
	int rc = -1, copying = 0, in_tx = 0, n;
	int show_progress = opts->progress && isatty(STDERR_FILENO);
	double next_progress = 0;

	memset(res, 0, sizeof(*res));
	sgz_err_clear(err);
	struct csv_reader *r = csv_reader_open(opts->path, opts->encoding, err);
	if (!r)
		return -1;
	im.name = csv_reader_name(r);

	n = csv_reader_next(r, &rec, err);
	if (n < 0)
		goto out;
	if (n == 0) {
		sgz_err_set(err, SGZ_EDATA, "%s: the file is empty: a header line is needed",
			    im.name);
		goto out;
	}
	if (read_header(&im, &rec) < 0) {
		sgz_err_set(err, SGZ_EDATA, "bad header");
		goto refused;
	}

	find_year_field(&im);
	if (db_begin(db, err) < 0)
		goto out;
	in_tx = 1;
	if (find_unreadable(&im, err) < 0 || stage_create(&im, err) < 0)
		goto out;
	copying = 1;

	while ((n = csv_reader_next(r, &rec, err)) > 0) {
		int bad = 0;
		rows++;
		if (!first_line)
			first_line = rec.line;
		last_line = rec.line;
		if ((int)rec.nfields != im.ncols) {
			char msg[128];
			snprintf(msg, sizeof(msg), "the row has %zu fields, the header %d",
				 rec.nfields, im.ncols);
			int c = (int)rec.nfields < im.ncols ? (int)rec.nfields : im.ncols - 1;
			const struct dict_field *f = im.col[c];
			add_issue(&im, rec.line, c, f ? f->column : "(row)", msg);
			im.rejected++;
			continue;
		}
		sb_reset(&line);
		copy_line_number(&line, rec.line);
		for (size_t fi = 0; fi < e->nfields; fi++) {
			int c = im.present[fi];
			if (c < 0)
				continue;
			sgz_err_clear(&cerr);
			if (dict_parse_value(&e->fields[fi], rec.fields[c], &val, &cerr) < 0) {
				add_issue(&im, rec.line, (int)fi, e->fields[fi].column, cerr.msg);
				bad = 1;
				continue;
			}
			if (cerr.msg[0])
				add_warning(&im, rec.line, (int)fi, e->fields[fi].column, cerr.msg);
			if ((int)fi == im.year_field)
				note_year(&im, val.buf, val.len);
			sb_addc(&line, '\t');
			copy_escape(&line, sb_str(&val), val.len);
		}
		if (bad) {
			im.rejected++;
			continue;
		}
		sb_addc(&line, '\n');
		if (db_copy_put(db, line.buf, line.len, err) < 0)
			goto out;
		if (show_progress && (rows & 1023) == 0 && now_seconds() >= next_progress) {
			progress(&im, r, rows, 0);
			next_progress = now_seconds() + 0.2;
		}
	}
	if (show_progress)
		progress(&im, r, rows, 1);
	if (n < 0) {
		/* The file itself is broken: its message already names the line. */
		goto out;
	}
	copying = 0;
	if (db_copy_end(db, NULL, err) < 0)
		goto out;
	res->rows = rows;
	if (rows == 0)
		goto written;

	if (im.nyears > 0 && !opts->dry_run && im.nissues == 0 &&
	    ensure_partitions(&im, err) < 0) {
		in_tx = 0;
		goto out;
	}
	if (session_for(&im, rows, err) < 0 || stage_prepare(&im, err) < 0 ||
	    stage_check(&im, CHECK_BEFORE, err) < 0)
		goto out;
	if (im.nissues) {
		if (stage_check(&im, CHECK_NAMING, err) < 0)
			goto out;
		goto refused;
	}
	if (upsert(&im, first_line, last_line, err) < 0) {
		if (err->status == SGZ_EDATA && im.nissues)
			goto refused;
		goto out;
	}
written:
	flush_warnings(&im);
	res->warnings = (long)im.nwarns + im.unlisted_warns;
	if (db_exec(db, "DROP TABLE stage", 0, NULL, err) < 0)
		goto out;
	if (opts->dry_run) {
		db_rollback(db);
		in_tx = 0;
	} else {
		if (db_commit(db, err) < 0)
			goto out;
		in_tx = 0;
	}
	rc = 0;
	goto out;

refused:
	res->rows = rows;
	res->errors = (long)im.nissues;
	res->rejected = flush_issues(&im);
	flush_warnings(&im);
	res->warnings = (long)im.nwarns + im.unlisted_warns;
	sgz_err_set(err, SGZ_EDATA, "%ld rows rejected, nothing imported", res->rejected);
out:
	if (copying)
		db_copy_end(db, "import abandoned", &cerr);
	if (in_tx)
		db_rollback(db);
	if (rc < 0 && im.stage_kept)
		stage_drop(&im);
	if (rc < 0 && err->status == SGZ_OK)
		err->status = SGZ_EUSAGE;
	res->rows = rows;
	free_issues(&im);
	free(im.col);
	free(im.present);
	free(im.unreadable);
	sb_free(&line);
	sb_free(&val);
	csv_reader_free(r);
	return rc;
}
