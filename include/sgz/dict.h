/* dict.h - the data dictionary: one descriptor per entity, from which the
 * lists, forms, CSV import and export, and their SQL are all derived. */
#ifndef SGZ_DICT_H
#define SGZ_DICT_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/division.h"
#include "sgz/util.h"

enum dict_type {
	DT_TEXT,     /* free text, one line unless DF_MULTILINE */
	DT_DIVISION, /* a division code, normalised to 12 digits */
	DT_DATE,     /* YYYY-MM-DD (also YYYY/M/D, YYYY年M月D日 on input) */
	DT_INT,	     /* integer within [min, max] */
	DT_NUMBER,   /* decimal with at most `scale` decimals within [min, max] */
	DT_MONEY,    /* yuan, at most 2 decimals; 25万 refused with a hint */
	DT_BOOL,     /* yes/no (是/否, y/n, 1/0, true/false) */
	DT_CHOICE,   /* one code of `choices` (code or Chinese label) */
	DT_CHOICES,  /* ;-separated codes of `choices` */
	DT_PATTERN,  /* text that must match `pattern` (a POSIX ERE) */
	DT_DIVISIONS, /* ;-separated division codes, normalised and sorted */
};

enum dict_flags {
	DF_KEY = 1 << 0,       /* part of the natural key (upsert, export order) */
	DF_REQUIRED = 1 << 1,  /* a value is required; of DF_NOEXPORT: the database always sets one */
	DF_MULTILINE = 1 << 2, /* DT_TEXT may hold line breaks */
	DF_SEARCH = 1 << 3,    /* searched by the list filter */
	DF_LIST = 1 << 4,      /* shown as a column of the list screen */
	DF_NOEXPORT = 1 << 5,  /* derived by the database: shown, never imported or exported */
	DF_AUTO = 1 << 6,      /* a key the database assigns when it is left empty */
	/* a name (a person's, an activity's title): the filter also matches
	 * the pinyin initials the database keeps in the table's column
	 * "initials" (migrations 0006, 0021); a recipient's, whose view masks
	 * a child's, through sgz.person_match() */
	DF_PINYIN = 1 << 7,
	/* a reference shown as its code, not by name: the record's own key
	 * (a station is its township; its list shows the code and its name) */
	DF_CODE = 1 << 8,
	/* a date that says when it happened (a service, a visit, a hiring):
	 * a new record's form proposes today (spec/work.md, Forms that help) */
	DF_NOW = 1 << 9,
	/* kept by save-and-next (F3) beside the references and dates that
	 * always are: a worker, an activity */
	DF_STICKY = 1 << 10,
};

struct dict_choice {
	const char *code;     /* in CSV and on the command line */
	const char *label_zh; /* what a Chinese reader sees; accepted as a value */
	const char *label_en; /* what an English reader sees; accepted as a value */
};

/* Normalises one cell after the type's own parsing; may rewrite out.
 * Returns 0, or -1 with the reason in err (no field name: the caller adds
 * it). Returning 0 with a message in err is a warning: accepted, said. */
typedef int (*dict_validator)(const char *in, struct strbuf *out, struct sgz_err *err);

/* Validators several entities share (dict.c): a credit code, a phone, a
 * resident ID number (normalised; one born before 1900 warned), a division
 * code of a level between min and max (what: the rule, said on refusal),
 * a station's township, a purchaser (province to township). */
int dict_v_credit_code(const char *in, struct strbuf *out, struct sgz_err *err);
int dict_v_phone(const char *in, struct strbuf *out, struct sgz_err *err);
int dict_v_idnum(const char *in, struct strbuf *out, struct sgz_err *err);
int dict_v_level(const char *in, struct strbuf *out, struct sgz_err *err,
		 enum division_level min, enum division_level max, const char *what);
int dict_v_township(const char *in, struct strbuf *out, struct sgz_err *err);
int dict_v_purchaser(const char *in, struct strbuf *out, struct sgz_err *err);

struct dict_field {
	const char *column;   /* CSV column name and SQL column */
	const char *label;    /* English label (gettext msgid) */
	const char *label_zh; /* Chinese label, accepted as a CSV header */
	/* An earlier Chinese label, still accepted as a CSV header: files
	 * exported with --labels before the label changed import unchanged. */
	const char *label_zh_was;
	enum dict_type type;
	unsigned flags;
	int width;	 /* display columns in lists */
	int max_len;	 /* DT_TEXT: characters; 0 = 200 */
	double min, max; /* DT_INT, DT_NUMBER, DT_MONEY */
	int scale;	 /* DT_NUMBER (or DT_TEXT of a numeric sql_type): decimals */
	const struct dict_choice *choices; /* NULL-terminated (code == NULL) */
	const char *pattern;		   /* DT_PATTERN */
	const char *pattern_rule;	   /* DT_PATTERN: the rule, for messages */
	dict_validator validate;	   /* optional, after the type's parsing */
	const char *sql_type; /* the column's type when the staged text needs a cast */
	const char *def;      /* canonical value of an empty cell (and of a new row) */
	/* A reference: the value (each value of a DT_DIVISIONS list) must exist
	 * in ref_table.ref_column, or earlier in the same file when the table
	 * is the entity's own. */
	const char *ref_table;
	const char *ref_column;
	const char *ref_hint; /* what to do: "import stations first" */
	/* A person the field names (a volunteer, a recipient, a worker): F5
	 * picks from pick_table.pick_column. The rows are checked by the
	 * entity's SQL checks, with messages of their own (a worker must also
	 * be active at the station), not as references. */
	const char *pick_table;
	const char *pick_column;
	/* A person's number (a person's own key, or a field naming one): the
	 * column of the table, and of its view, that holds the person's pid
	 * (migration 0012). Users who are not admins cannot read the number:
	 * they read it masked from the view and name the person by pid. */
	const char *pid_column;
	/* How the list and the form show a person the field names by pid
	 * (dict_by_pid()): the column of the entity's masking view that holds
	 * his name, masked there as rules.md says ("recipient_name": a child's
	 * is 刘* to all but admins). A ref_table reference is shown by the
	 * referenced entity's name (dict_entity.shown) without a word here. */
	const char *name_column;
	/* A date that follows another (spec/work.md: a visit's next due):
	 * a new record's form fills it with the field due_from's date plus
	 * the setting due_setting's days, until the user types another. */
	const char *due_from;
	const char *due_setting;
	/* A ';' list of staff who attend on the day the field pick_day holds
	 * (of the station the field pick_station holds, when given): F5
	 * ticks several staff members active that day, shown by name. */
	const char *pick_day;
	const char *pick_station;
	/* Of such a list: the column holding the attendees' pids in the
	 * list's order. An import writes it beside the list where it finds
	 * every number in the user's scope, and the database checks the pairs
	 * once per statement instead of resolving the list row by row (0040). */
	const char *pids_column;
	/* A value the dictionary derives, never typed nor stored (with
	 * DF_NOEXPORT): an SQL expression over the row, its columns written
	 * "@.column" (a staff member's qualification deadline). Lists and
	 * forms read it with the row (dict_column_sql()); NULL where the
	 * rule gives none. */
	const char *derived;
	/* One statement an import runs over its staging table "stage" before
	 * the checks, so that the database's triggers have once per file what
	 * they would otherwise do row by row (0050): of a column the database
	 * fills (DF_NOEXPORT), filling it from what the file gives, the rows
	 * then written with it (a visit's station from its case); of another,
	 * what its rows need first (the counters of the case numbers given,
	 * taken before the rows). */
	const char *stage_sql;
	/* What a new record's form proposes (a new case's status: intake), a
	 * canonical value, shown until the user types another. */
	const char *proposed;
	/* A value that follows another field's (a case's station from its
	 * recipient's village, a visit's worker from its case): follow_sql,
	 * one statement over $1, the value of the field follow_from (a code,
	 * or a person's pid), returns no row or one row of (the canonical
	 * value, or a person's token "#pid"; what the field shows, or NULL:
	 * the value as it is). A new record's form proposes it while the
	 * field is empty or still holds what was proposed. */
	const char *follow_from;
	const char *follow_sql;
	/* How the filter finds DF_SEARCH text, in place of comparing the
	 * column: an SQL condition over the row t, "@P" standing for the
	 * filter's pattern ("%text%"), "@I" for the initials' ("text%"), NULL
	 * when the text cannot be initials (an hours row by its activity's
	 * title and the title's initials, looked up in sgz.activity by its
	 * key rather than compared row by row) */
	const char *match_sql;
	/* What the export writes for the field of an entity with a view, an
	 * SQL expression over the table's row t, when the column holds
	 * people's numbers only admins may read: a list of staff numbers
	 * from their pids (a training's attendees), through a function that
	 * files the trail. NULL: the column. */
	const char *export_sql;
};

/* A check over the staged rows, run in SQL before they are written. The
 * query returns (line integer, message text) for every offending row. */
struct dict_check {
	const char *column; /* the CSV column the message names */
	const char *sql;    /* reads the staging table "stage" */
	int warning;	    /* accepted and reported, not refused */
	/* The database refuses the same rows when they are written (a
	 * constraint or a trigger): see dict_entity.enforced. */
	int enforced;
	/* The view that shows the rows with people's numbers and children's
	 * names masked (migration 0012), read instead of the table by the
	 * lists, the forms and the pickers; NULL when the rows name nobody. */
	const char *view;
};

/* One condition of a child's rows on its parent (spec/work.md, "Related
 * records"): the child's field column holds the parent's field parent.
 * A person field of a child read by pid (dict_by_pid()) compares pids,
 * the parent's own person key by its pid; a child's list of codes
 * (DT_DIVISIONS) contains the parent's value; a parent's list of codes
 * contains the child's. via, instead of a field of the child: an SQL
 * condition over the child's row t with %1$s, the parent's value (the
 * visits of a recipient are those of his cases). */
struct dict_link {
	const char *column;
	const char *parent;
	const char *via;
};

#define DICT_CHILD_LINKS 4

/* The records that belong to a record of an entity, declared by the
 * entity they belong to through the reference of the child that points
 * at it: its form shows them below its fields as a pane (related.h). */
struct dict_child {
	const char *entity;   /* the child's dict_entity.name; NULL ends a list */
	const char *label;    /* the pane's English title (msgid), NULL: the child's label */
	const char *label_zh; /* Chinese */
	struct dict_link on[DICT_CHILD_LINKS]; /* all hold; column NULL ends */
	/* More of the parent's fields a new child starts with, not a
	 * condition (a visit's worker is the case's); column NULL ends. */
	struct dict_link fill[DICT_CHILD_LINKS];
	const char *where;    /* and this, over the child's row t, or NULL */
	/* The pane's order, by column, NULL-terminated; NULL: the child's
	 * list order. An index that starts with the links' columns serves it. */
	const char *const *order;
	bool newest_first;    /* that order reversed */
	/* A line above the rows: an SQL statement of one row over the
	 * parent's value of the first link ($1), its columns the arguments
	 * of summary_fmt (an English msgid of %1$s... in order), or NULL. */
	const char *summary_sql;
	const char *summary_fmt;
	/* Or one of these (msgids), the statement's first column its index
	 * and the arguments after it: a case's visits due in some days, due
	 * today, overdue or none (closed), each in its own words. */
	const char *summary_fmts[4];
};

struct dict_entity {
	const char *name;     /* import/export name: "divisions" */
	const char *table;    /* "sgz.division" */
	const char *label;    /* English msgid */
	const char *label_zh; /* Chinese */
	/* One of them, in English, for a message that names a record (Case
	 * 120110001-2026-0003 ...); in Chinese label_zh serves */
	const char *label_one;
	const struct dict_field *fields;
	size_t nfields;
	const char *scope_column;	  /* division code column, or NULL */
	const struct dict_check *checks; /* NULL-terminated (sql == NULL) */
	/* The order of the entity's lists, by column, NULL-terminated: an index
	 * serves it. NULL: the scope column, then the key fields (a county
	 * user's pages are then a range of an index that starts with the
	 * scope column, and row-level security costs nothing). */
	const char *const *list_order;
	/* The database itself refuses what the key, scope and reference checks
	 * and the checks marked enforced find: a key repeated among new rows
	 * (its unique key), a row out of scope (row-level security), a missing
	 * reference (foreign keys, triggers). An import then writes first and
	 * runs those checks only when the write fails, to name the lines; a
	 * bulk import does not pay for every rule twice (import.c). */
	int enforced;
	/* The view that shows the rows with people's numbers and children's
	 * names masked (migration 0012), read instead of the table by the
	 * lists, the forms and the pickers; NULL when the rows name nobody. */
	const char *view;
	/* What a reference to a row shows (spec/work.md, "People and places,
	 * not codes"): an SQL expression over the row, of the view if the
	 * entity has one, called r ("r.name"). NULL: references show the code. */
	const char *shown;
	/* Lists show a reference to a row by its key, then shown: a case by
	 * its number and its recipient, a contract by its number and its
	 * organization (the key tells them apart; the name says whose). */
	bool shown_keyed;
	/* A list of many rows per scope (the hours): a filtered page is the
	 * first page of each term of the filter by its own index, merged
	 * (browse.c), not a walk of the scope's rows in order testing each. */
	bool filter_by_terms;
	/* The pinyin initials of what shown names, over the same row r (a
	 * station's township's, a division's: migration 0021): the filter
	 * finds the row by them too. NULL: none. */
	const char *shown_initials;
	/* The field of the row (a person by pid) whose name shown is: the
	 * filter finds the row as it finds that person (a case by its
	 * recipient, sgz.person_match()). NULL: by shown and shown_initials. */
	const char *shown_by;
	/* The records that belong to one of this entity, in the order its
	 * form shows them (spec/work.md, "Related records"); NULL: none. */
	const struct dict_child *children;
};

/* Appends to sql field f's column of the row called alias: alias.column,
 * or the expression of a derived field (dict_field.derived) over alias,
 * in parentheses. */
void dict_column_sql(const struct dict_field *f, const char *alias, struct strbuf *sql);

/* The entity of the given import/export name, or NULL. */
const struct dict_entity *dict_find(const char *name);
/* All entities, in menu order; *n receives the count. */
const struct dict_entity *const *dict_entities(size_t *n);
/* The field whose column name or Chinese label (or earlier Chinese label)
 * is name, or NULL. */
const struct dict_field *dict_field_by_header(const struct dict_entity *e, const char *name);
/* Index of a field in e->fields, or -1. */
int dict_field_index(const struct dict_entity *e, const struct dict_field *f);

/* Parses and normalises one cell for field f into out (canonical text as
 * stored and exported). An empty cell leaves out empty and is an error only
 * for DF_REQUIRED fields. Returns 0, or -1 with the reason in err; 0 with a
 * message in err (err->status 0) is a warning. */
int dict_parse_value(const struct dict_field *f, const char *in, struct strbuf *out,
		     struct sgz_err *err);
/* The SQL type of field f's column: text, date, integer, numeric, boolean,
 * text[] for lists, or the field's sql_type. Static. */
const char *dict_sql_type(const struct dict_field *f);
/* Is f a person field of e that the lists, forms and checks name by pid:
 * e is read through its masking view and f has a pid_column (0012)? */
bool dict_by_pid(const struct dict_entity *e, const struct dict_field *f);
/* The people table a person field f of e names: its pick_table, or e's
 * own table for the people's own number. NULL if f has no pid_column. */
const char *dict_person_table(const struct dict_entity *e, const struct dict_field *f);
/* Before the code of a reference shown by name that does not resolve (a
 * station deleted meanwhile, a person outside the reader's scope). */
#define DICT_UNRESOLVED "?"

/* The entity whose table is table ("sgz.station"), or NULL. */
const struct dict_entity *dict_entity_of_table(const char *table);
/* Does a list or a form show field f of e by the name of what it refers
 * to (a person's name_column, or a ref_table whose entity has shown)? A
 * list of codes (DT_DIVISIONS) by the names of its codes, ';'-separated. */
bool dict_shows_name(const struct dict_entity *e, const struct dict_field *f);
/* Does a list show field f (dict_shows_name()) by its code then the name
 * (dict_entity.shown_keyed)? */
bool dict_shows_code(const struct dict_field *f);
/* Appends to sql the expression of the name field f shows for the row of
 * e called alias (of e's view when it has one, else of its table): the
 * view's column of a person, else a look-up of the referenced row by its
 * key. NULL when the reference does not resolve (a deleted station, a
 * person outside the reader's scope). One mechanism for every list and
 * form; f must be dict_shows_name(). */
void dict_name_sql(const struct dict_entity *e, const struct dict_field *f, const char *alias,
		   struct strbuf *sql);
/* Appends to sql the condition that the name field f shows for the row
 * alias matches pattern, an SQL expression of an ILIKE pattern "%text%":
 * the referenced rows whose name contains the text, people also by the
 * start of their pinyin initials when initials is set (the text can be
 * some), places by theirs (dict_entity.shown_initials), all read in the
 * reader's scope through the referenced entity's view or table and found
 * by the referring column's index. f must be
 * dict_shows_name(), or a DF_CODE reference (a station's township: found by
 * the name it refers to though shown as its code). */
void dict_name_match_sql(const struct dict_entity *e, const struct dict_field *f,
			 const char *alias, const char *pattern, bool initials, struct strbuf *sql);
/* Does the masking view of the people of table mask their names (a
 * recipient under 14's: 0012)? */
bool dict_names_masked(const char *table);
/* Appends to sql "alias.<f's pid column> IN (the people ...)": the
 * people of f's table (a person by pid) in the reader's scope whose name as
 * the masking view shows it matches pattern, or, when initials is set,
 * whose initials as it shows them start with the text: where the view
 * masks names, through sgz.person_match() (migration 0021), which compares
 * the names before it works out a mask; else in the view. */
void dict_person_match_sql(const struct dict_entity *e, const struct dict_field *f,
			   const char *alias, const char *pattern, bool initials,
			   struct strbuf *sql);
/* Appends to sql the expression of the name shown for value, an SQL
 * expression of the field's code, or of a person's pid for a field by pid
 * ("$1"): what a form shows beside the code. NULL when it does not
 * resolve. f must be dict_shows_name(). */
void dict_name_of_sql(const struct dict_entity *e, const struct dict_field *f, const char *value,
		      struct strbuf *sql);
/* Appends to sql the UPDATE that gives the staged rows (the temporary
 * table "stage") the pid of the person f names, in the stage's column
 * f->pid_column, where it is not given yet: the number typed, in the
 * stage's column f->column, looked up in the user's scope
 * (sgz.person_lookup(), migration 0012). Rows naming nobody there keep a
 * NULL pid, which the checks report. f must have a pid_column. */
void dict_stage_pid_sql(const struct dict_entity *e, const struct dict_field *f,
			struct strbuf *sql);
/* The choice with this code, Chinese label or English label (either
 * case), or NULL. */
const struct dict_choice *dict_choice_find(const struct dict_choice *choices, const char *s);
/* Appends to out what people read for the canonical value v of field f,
 * which dict_parse_value() reads back as v: a choice's Chinese label, a
 * list's labels joined by ';', 是/否 for a boolean; anything else (a code
 * without a label too) as it is. NULL appends nothing. */
void dict_value_label(const struct dict_field *f, const char *v, struct strbuf *out);
/* Ditto in the reader's language: Chinese as dict_value_label(), else a
 * choice's English label and a boolean's yes/no. */
void dict_value_label_lang(const struct dict_field *f, const char *v, int zh, struct strbuf *out);

#endif
