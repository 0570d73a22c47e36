/* related.h - the records that belong to a record (spec/work.md,
 * "Related records"), from the dictionary: each entity declares its
 * children by the reference of the child that points at it
 * (dict_entity.children, dict_link), and one mechanism serves every pair:
 * the rows of a pane are the child's list (browse.h: names, masking,
 * keys) restricted to the parent's rows in one keyset statement, a new
 * child starts with the parent's fields filled in, and a pane may have a
 * line of totals on top. No libpq and no curses here. */
#ifndef SGZ_RELATED_H
#define SGZ_RELATED_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/dict.h"
#include "sgz/util.h"

struct db;
struct browse;
struct record;

/* The children e declares, in the order its form shows them; *n receives
 * how many (0 when none). */
const struct dict_child *related_children(const struct dict_entity *e, size_t *n);
/* The entity of child c, or NULL when the dictionary has none of its name. */
const struct dict_entity *related_entity(const struct dict_child *c);

/* The rows of child c that belong to the stored record r of e: the
 * child's list (browse_new()) restricted to them (browse_restrict()),
 * in c's order. NULL when r is new or c names no entity. Caller frees
 * with browse_free(). */
struct browse *related_browse(struct db *db, const struct dict_entity *e,
			      const struct dict_child *c, const struct record *r);

/* Is field f of c's entity one of c's links, which a pane need not show
 * (it holds the parent)? */
bool related_linked(const struct dict_child *c, const struct dict_field *f);

/* Fills the new record child of c's entity with the values of the parent
 * record r that the links and c->fill name: a person by pid, shown masked
 * as r shows him; a list of codes as the parent's one code. */
void related_fill(const struct dict_child *c, const struct record *r, struct record *child);

/* The line on top of c's pane (dict_child.summary_sql) for the parent r:
 * fmt (c->summary_fmt in the reader's language, or NULL: the one of
 * c->summary_fmts the first column picks; %1$s... the statement's
 * columns, after that one where c has summary_fmts) filled in, into *line (caller frees; NULL when c has none or
 * the statement gave no row). One statement. 0, or -1 with err set. */
int related_summary(struct db *db, const struct dict_entity *e, const struct dict_child *c,
		    const struct record *r, const char *fmt, char **line, struct sgz_err *err);

/* Is the stored record r still there, in the reader's scope? 1 yes, 0
 * gone (deleted meanwhile), -1 with err set. One statement. */
int related_exists(struct db *db, const struct record *r, struct sgz_err *err);

/* A numeric setting (sgz.setting_value()) as an integer into *value, 0
 * when it is not set. 0, or -1 with err set. */
int related_setting(struct db *db, const char *key, long *value, struct sgz_err *err);

/* Fills "%1$s".."%9$s" of fmt with args[0..n) (a missing one as ""),
 * "%%" as "%", into out: a translated format of positional arguments
 * whose count is the dictionary's, not the compiler's. */
void related_format(const char *fmt, const char *const *args, int n, struct strbuf *out);

#endif
