/* browse.h - the model side of lists: rows of an entity of the data
 * dictionary fetched by key (keyset: WHERE key > last ORDER BY key LIMIT n,
 * never OFFSET, never the whole table), the list's columns, the `/` filter
 * over the entity's search fields, the canonical text of every cell; the
 * look-up behind a reference field's picker; the export of what a list
 * shows. The interface adapts the fetches to a listview_source. No libpq
 * and no curses here: the database is `struct db`, opaque. */
#ifndef SGZ_BROWSE_H
#define SGZ_BROWSE_H

#include <stddef.h>

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

/* The list's columns: the first key field first, then the DF_LIST fields
 * in dictionary order. */
size_t browse_ncolumns(const struct browse *b);
const struct dict_field *browse_column(const struct browse *b, size_t i);

/* Fetch at most n rows in list order into fn: the first, the n after or
 * before the row with key, the last. filter is NULL or the text typed after
 * `/`: rows whose search fields contain it (case-insensitively; % and _
 * match themselves). 0, or -1 with err set (err->conn_lost when the
 * connection was lost). */
int browse_first(struct browse *b, const char *filter, size_t n, browse_row_fn fn, void *arg,
		 struct sgz_err *err);
int browse_after(struct browse *b, const char *filter, const char *key, size_t n, browse_row_fn fn,
		 void *arg, struct sgz_err *err);
int browse_before(struct browse *b, const char *filter, const char *key, size_t n, browse_row_fn fn,
		  void *arg, struct sgz_err *err);
int browse_last(struct browse *b, const char *filter, size_t n, browse_row_fn fn, void *arg,
		struct sgz_err *err);

/* Writes the rows the list shows with this filter, in the import format of
 * spec/csv.md (all the columns of `sgz export`, sorted by key, a UTF-8 BOM
 * when path ends in .csv), to path; the file appears only when complete.
 * *rows receives the row count. 0, or -1 with err set. */
int browse_export(struct browse *b, const char *filter, const char *path, long *rows,
		  struct sgz_err *err);

/* Receives one candidate of a reference field: the value to store and a
 * description (the referred row's name, or NULL). */
typedef int (*browse_pick_fn)(void *arg, const char *value, const char *label);

/* The rows a reference field f (f->ref_table) may refer to whose key or
 * search fields start with text (every row for ""), at most n, in key
 * order, into fn. 0, or -1 with err set. */
int browse_lookup(struct db *db, const struct dict_field *f, const char *text, size_t n,
		  browse_pick_fn fn, void *arg, struct sgz_err *err);

#endif
