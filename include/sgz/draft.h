/* draft.h - what was typed into a form and not saved, kept in a file under
 * the user's state directory (sgz_state_dir()/drafts) when the session ends
 * unasked (SIGHUP from a dropped SSH link, SIGTERM, a lost terminal) or the
 * database connection is lost; offered back at the next start, removed
 * once saved or discarded. No curses, no libpq: text and files only.
 *
 * The file is UTF-8 text, one item per line, written whole to a temporary
 * file (mode 0600) and renamed over the old one, so a reader never sees
 * half a draft:
 *
 *     sgz-draft 1
 *     entity stations
 *     key V120110002000         (record_key_encode(); absent: a new record)
 *     version 3                 (the row_version the typing started from)
 *     title 120110002000        (what the offer shows)
 *     saved 1732247000          (seconds since the epoch)
 *     host station-gw
 *     pid 4242
 *     database 7316542012345678901/sgz  (the database typed against)
 *     role zhangmin             (the login role typed as: session_user)
 *     field name 丰年村社工站    (a field's text as typed, by column)
 *
 * In values '\' escapes: \\ \n \r \t and \xHH for other control bytes.
 * Unknown lines are skipped, so a newer sgz may add some.
 *
 * A draft holds what one role typed against one database: it is offered
 * back only to a session of the same database and role (draft_list()),
 * never to another user who shares the account, nor against another
 * database. Drafts of an sgz before the database and role were recorded
 * have neither, so no session is offered them; they stay on disk.
 *
 * A grid draft (the hours grid, screen_grid.c) is a draft of entity hours
 * without key whose fields are the grid's: "grid:station", "grid:date",
 * "grid:activity", "grid:rows" (the count) and per row i "i:volunteer"
 * (the ID number as the grid showed it: masked unless the user may see
 * it), "i:name", "i:hours", "i:note"; a stored row the user changed or
 * deleted also has "i:row_version" (as loaded) and, deleted, "i:drop".
 *
 * A sheet draft (the evaluation sheet, screen_evalsheet.c) is a draft of
 * entity evaluations without key whose fields are "sheet:contract" (or
 * "sheet:station"), "sheet:kind", "sheet:date", "sheet:version" (what the
 * sheet was read as when the typing started, sgz.evaluation_sheet_version())
 * and per indicator typed "score:CODE", its score as typed ("" cleared). */
#ifndef SGZ_DRAFT_H
#define SGZ_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sgz/util.h"

struct draft {
	char *entity;	  /* the entity's import name */
	char *key;	  /* the stored record's key, or NULL: a new record */
	long row_version; /* of the stored record when the typing started */
	char *title;	  /* the record as the offer names it ("" for a new one) */
	time_t saved;
	char *host;
	long pid;
	char *database; /* draft_set_identity()'s when it was made; NULL: not recorded */
	char *role;
	char **columns; /* n fields typed: column names ... */
	char **texts;	/* ... and their texts as typed */
	size_t n;
	char *path; /* the file, once written or read; NULL before */
};

/* The database (something stable that names it, e.g. the cluster's system
 * identifier and the database's name) and the login role of this session,
 * copied: every draft made from now on records them, and draft_list()
 * lists only the drafts of the same two. Set once, after connecting;
 * NULL for both forgets them. */
void draft_set_identity(const char *database, const char *role);

/* Returns an empty draft of entity (a new record when key is NULL), of the
 * identity draft_set_identity() set. Caller frees with draft_free(). */
struct draft *draft_new(const char *entity, const char *key, long row_version, const char *title);
void draft_free(struct draft *d);
/* Sets the text of column (copied; replaces an earlier one). */
void draft_set(struct draft *d, const char *column, const char *text);
/* The text of column, or NULL. Borrowed until the draft changes. */
const char *draft_get(const struct draft *d, const char *column);

/* Appends d in the file format to sb. */
void draft_format(const struct draft *d, struct strbuf *sb);
/* Parses the file format. Returns a new draft (path NULL) or NULL with err
 * set. Caller frees. */
struct draft *draft_parse(const char *text, struct sgz_err *err);

/* The directory of drafts: sgz_state_dir()/drafts. Caller frees. */
char *draft_dir(void);
/* Writes d into dir (created 0700 if need be) under d->path, chosen on the
 * first write; stamps d->saved, host and pid. Atomic: a temporary file,
 * fsync, rename. 0 or -1 with err set. */
int draft_write(struct draft *d, const char *dir, struct sgz_err *err);
/* Reads the draft at path (d->path set). NULL with err set. */
struct draft *draft_read(const char *path, struct sgz_err *err);
/* Removes d's file, if it has one; d stays usable. */
void draft_remove(struct draft *d);

/* The drafts in dir of this session's database and role
 * (draft_set_identity()), newest first, except those a running sgz on
 * this host wrote (another session still editing them) and files that do
 * not parse. The others are left as they are. *n receives the count.
 * Caller frees with draft_list_free(). */
struct draft **draft_list(const char *dir, size_t *n);
void draft_list_free(struct draft **list, size_t n);

/* Is d a grid draft (see above)? */
bool draft_is_grid(const struct draft *d);
/* Is d a draft of the evaluation sheet (see above)? */
bool draft_is_sheet(const struct draft *d);

#endif
