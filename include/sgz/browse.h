/* browse.h - the model side of lists: rows of an entity of the data
 * dictionary fetched by key (keyset: WHERE order > last's ORDER BY order
 * LIMIT n, never OFFSET, never the whole table; the order is the scope
 * column then the key, or dict_entity.list_order, so that a county user's
 * pages are a range of an index), the list's columns, the `/` filter
 * over the entity's search fields, the canonical text of every cell; the
 * look-up behind a reference field's picker; the export of what a list
 * shows. The interface adapts the fetches to a listview_source. No libpq
 * and no curses here: the database is `struct db`, opaque. */
#ifndef SGZ_BROWSE_H
#define SGZ_BROWSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sgz/dict.h"
#include "sgz/util.h"

struct db;
struct browse;

/* Receives one row: its key (record_key_encode()) and one canonical text
 * per list column (NULL when empty), in list order. Returns 0, or -1 to
 * stop (the fetch then still succeeds). All borrowed for the call. */
typedef int (*browse_row_fn)(void *arg, const char *key, const char *const *cells);

/* Returns the lists of entity e over db (borrowed; must outlive it). Caller
 * frees with browse_free(). */
struct browse *browse_new(struct db *db, const struct dict_entity *e);
void browse_free(struct browse *b);
const struct dict_entity *browse_entity(const struct browse *b);

/* Makes b a pane of related records (related.h): only the rows where
 * where (SQL over the row t, NULL: all) holds, its parameters
 * $1..$n params (copied); in order (column names, NULL-terminated; NULL:
 * the list's), reversed when reverse (newest first), the pages still by
 * key. */
void browse_restrict(struct browse *b, const char *where, const char *const *params, int n,
		     const char *const *order, bool reverse);

/* The list's columns: the first key field first, then the DF_LIST fields
 * in dictionary order. */
size_t browse_ncolumns(const struct browse *b);
const struct dict_field *browse_column(const struct browse *b, size_t i);

/* Fetch at most n rows in list order into fn: the first, the n after or
 * before the row with key, the last. filter is NULL or the text typed after
 * `/`: rows whose search fields contain it (case-insensitively; % and _
 * match themselves). 0, or -1 with err set (err->conn_lost when the
 * connection was lost).
 *
 * A reference the dictionary shows by name (dict_shows_name(): a person,
 * a station, a division, an organization) is the name, fetched with the
 * page in the same statement (dict_name_sql()), and the filter finds rows
 * by those names and people's pinyin initials too; a reference that does
 * not resolve is BROWSE_UNRESOLVED and its code.
 *
 * Sensitive cells are masked (spec/rules.md): resident ID numbers
 * (5401**********1231) unless the session's kind is admin
 * (sgz.current_kind(), asked once per browse), and the ID number and name
 * of a recipient under 14 (record_sensitive()) whoever asks. Keys are
 * never masked: they open the record. */
/* Before the code of a reference shown by name (dict_shows_name()) that
 * does not resolve: a station deleted meanwhile, a person outside the
 * reader's scope. */
#define BROWSE_UNRESOLVED DICT_UNRESOLVED

int browse_first(struct browse *b, const char *filter, size_t n, browse_row_fn fn, void *arg,
		 struct sgz_err *err);
int browse_after(struct browse *b, const char *filter, const char *key, size_t n, browse_row_fn fn,
		 void *arg, struct sgz_err *err);
int browse_before(struct browse *b, const char *filter, const char *key, size_t n, browse_row_fn fn,
		  void *arg, struct sgz_err *err);
int browse_last(struct browse *b, const char *filter, size_t n, browse_row_fn fn, void *arg,
		struct sgz_err *err);

/* Writes the rows the list shows with this filter, in the import format of
 * spec/csv.md (all the columns of `sgz export`, sorted by key), to out
 * (outfile.h: the caller gives the file its name, and a byte order mark,
 * only when this succeeds). *rows receives the row count. 0, or -1 with
 * err set. */
int browse_export(struct browse *b, const char *filter, FILE *out, long *rows,
		  struct sgz_err *err);

/* The export behind browse_export() and the division tree's: in a
 * transaction of its own, setup_sql (or NULL) with its nsetup parameters
 * (settings the COPY reads: it takes no parameters), then copy_sql (a COPY
 * ... TO STDOUT with a header) through the wait hook (Esc cancels,
 * db_async_copy_out()), into
 * out, then audit_sql with audit_params and the row count as parameter
 * naudit + 1 (rules.md: every export is audited, or fails). *rows
 * receives the data rows. 0, or -1 with err set (what out holds is then
 * to be thrown away). */
#define BROWSE_AUDIT_MAX 8
int browse_copy_export(struct db *db, FILE *out, const char *setup_sql,
		       const char *const *setup_params, int nsetup, const char *copy_sql,
		       const char *audit_sql, const char *const *audit_params, int naudit,
		       long *rows, struct sgz_err *err);

/* Receives one candidate of a reference field: the value to store, the
 * value as the picker shows it (a resident ID number masked as lists mask
 * it), a description (the referred row's name, masked for a child; or
 * NULL), and for a person where he is (his station's name, a recipient's
 * village's: namesakes told apart; NULL). */
typedef int (*browse_pick_fn)(void *arg, const char *value, const char *shown, const char *label,
			      const char *place);

/* The rows a reference field f (f->ref_table) may refer to whose key
 * starts with text or that the list of the referred entity's filter finds
 * by text (names, referenced names, initials: spec/work.md, "Search finds
 * what is shown"; every row for ""), at most n, in key order, into fn. 0,
 * or -1 with err set. */
int browse_lookup(struct db *db, const struct dict_field *f, const char *text, size_t n,
		  browse_pick_fn fn, void *arg, struct sgz_err *err);

/* The staff who may attend a supervision or a training (dict_field
 * pick_day): active on day (YYYY-MM-DD), of station when not NULL, in the
 * user's scope, whose name, initials or number text finds (all for ""),
 * at most n: into fn as '#pid', the number as the view shows it, the
 * name and the station's name. 0, or -1 with err set. */
int browse_lookup_attendees(struct db *db, const char *text, const char *station,
			    const char *day, size_t n, browse_pick_fn fn, void *arg,
			    struct sgz_err *err);
/* The attendees a ';' list names (a '#pid', a number masked or in full),
 * in its order: into fn as the element itself, the '#pid' of the staff
 * member it names (the element again when none the user can see), his
 * name and his station's name (NULL when none). 0, or -1 with err set. */
int browse_attendee_ticks(struct db *db, const char *list, const char *station, const char *day,
			  browse_pick_fn fn, void *arg, struct sgz_err *err);

/* Is f a resident ID number (masked in lists)? */
bool browse_is_idnum(const struct dict_field *f);

/* A resident ID number as lists show it (spec/rules.md: display masks),
 * for every screen that shows a person: masked (5401**********1231,
 * idnum_mask()) unless the session is admin, and whoever asks when the
 * record is sensitive (a child under 14: record_sensitive()). Returns a
 * new string. Caller frees. */
char *browse_idnum_shown(const char *id, bool admin, bool sensitive);
/* Does the session see full ID numbers (its kind is admin)? Asked of the
 * database once per browse; an error counts as no. */
bool browse_session_admin(struct browse *b);
/* Tells b the session's kind, asked already by another browse of the
 * same session (the panes of one form): one statement less. */
void browse_set_session_admin(struct browse *b, bool admin);

/* After a pick of value from the picker of field f (browse_lookup()):
 * when the pick named a person (a resident ID number key) and revealed
 * something - its number is shown in full (shown_full: an admin's
 * picker), or the record is sensitive (a child) - files an 'open' of that
 * record in the audit trail (spec/rules.md: every reveal and every open of
 * a sensitive record is audited); otherwise no query. 0 (filed, or nothing
 * to file), or -1 with err set: then the pick must not be shown. */
int browse_audit_pick(struct db *db, const struct dict_field *f, const char *value,
		      bool shown_full, struct sgz_err *err);

#endif
