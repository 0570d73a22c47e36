/* admin.h - the model of administration (main menu item 6 and `sgz user`):
 * the users of sgz (sgz.user_scope, changed only through sgz.user_add() and
 * sgz.user_remove()), the settings of rules.md (sgz.setting), the audit
 * trail (sgz.audit) and the state of the database. The interface and the
 * command line share it, so both check a user the same way and give the
 * same reasons. Reasons are English, as spec/cli.md prints them; the
 * interface translates them. Who may do what is the database's decision:
 * a refusal of privilege comes back marked as such. Every query waits
 * through async.h's hook, so the interface can cancel it with Esc. No
 * libpq and no curses here. */
#ifndef SGZ_ADMIN_H
#define SGZ_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/dict.h"
#include "sgz/util.h"

struct db;

/* What went wrong, for the caller to say. */
struct admin_err {
	struct sgz_err err; /* the reason, in English */
	bool denied;	    /* the database refused the privilege (SQLSTATE 42501) */
	int field;	    /* the user field refused (enum admin_user_field), or -1 */
};

void admin_err_init(struct admin_err *e);

/* ---- users (rules.md, Access; spec/cli.md, sgz user) ---- */

enum admin_user_field {
	ADMIN_USER_ROLE,
	ADMIN_USER_KIND,
	ADMIN_USER_SCOPE,
};
#define ADMIN_USER_NFIELDS 3

/* The kinds of user, in the order of rules.md, with Chinese labels;
 * NULL-terminated. */
extern const struct dict_choice admin_kinds[];
/* A user's fields in the order of enum admin_user_field, as a dictionary
 * entry for forms and list columns (it is no entity of sgz_entities[]:
 * users are written only through sgz.user_add()). */
extern const struct dict_entity admin_user_entity;

/* Checks one field of a user as `sgz user add` does and puts its canonical
 * value into out: the role as given (blanks trimmed), the kind's code (its
 * Chinese label is accepted too), the scope as 12 digits. 0, or -1 with
 * the reason in err (status 1). */
int admin_user_check(enum admin_user_field f, const char *text, struct strbuf *out,
		     struct sgz_err *err);

/* What admin_user_add() did. */
struct admin_user_added {
	bool created;	      /* a new login role (else an existing one changed) */
	char scope[12 + 1];   /* the scope as 12 digits */
	char scope_name[256]; /* its division's name */
};

/* Creates or updates user role with kind and scope (sgz.user_add(): the
 * login role, its kind's group, its scope), after admin_user_check() of
 * every field. 0, or -1 with err set: err->field names the field refused
 * (by the checks or by the database), err->denied a user who may not
 * manage users. */
int admin_user_add(struct db *db, const char *role, const char *kind, const char *scope,
		   struct admin_user_added *out, struct admin_err *err);
/* As admin_user_add(), and links the user to his own staff record (sgz
 * user add ... --staff ID, the desk's "my cases"): staff NULL leaves the
 * link as it is, "" removes it, an ID number links the staff member of
 * that number in the user's scope (sgz.user_add(), 0019_desk.sql). */
int admin_user_add_staff(struct db *db, const char *role, const char *kind, const char *scope,
			 const char *staff, struct admin_user_added *out, struct admin_err *err);
/* Reads user role's kind and scope (12 digits). 1, 0 when there is no such
 * user, -1 with err set. */
int admin_user_get(struct db *db, const char *role, char kind[16], char scope[12 + 1],
		   struct admin_err *err);
/* Removes user role (its scope and its login role). 1 removed, 0 there was
 * no such user, -1 with err set. */
int admin_user_remove(struct db *db, const char *role, struct admin_err *err);

/* ---- lists: users, settings, the audit trail ---- */

enum admin_list {
	ADMIN_LIST_USERS,    /* by role */
	ADMIN_LIST_SETTINGS, /* by key */
	ADMIN_LIST_AUDIT,    /* newest first: one row per change, by (id, item) */
};

/* The cells of a row of each list, in this order. */
enum {
	ADMIN_USER_COL_ROLE,
	ADMIN_USER_COL_KIND,
	ADMIN_USER_COL_SCOPE,
	ADMIN_USER_COL_NAME,
	ADMIN_USER_COL_MISSING, /* "t" when the login role is gone */
	ADMIN_USER_COL_STAFF,	/* the linked staff member: name and masked number, or "" */
	ADMIN_USER_NCOLS
};
enum {
	ADMIN_SETTING_COL_KEY,
	ADMIN_SETTING_COL_VALUE,
	ADMIN_SETTING_COL_DESCRIPTION,
	ADMIN_SETTING_NCOLS
};
/* The trail's key is "id:item": a later migration writes a statement's
 * changes as one row of sgz.audit, a batch; item numbers its changes (1
 * for a row that is none). */
enum {
	ADMIN_AUDIT_COL_ID,
	ADMIN_AUDIT_COL_AT,
	ADMIN_AUDIT_COL_WHO,
	ADMIN_AUDIT_COL_TABLE,
	ADMIN_AUDIT_COL_ACTION,
	ADMIN_AUDIT_COL_KEY, /* the key's values, space-separated */
	ADMIN_AUDIT_NCOLS
};

enum admin_fetch {
	ADMIN_FIRST,  /* the first n rows */
	ADMIN_AFTER,  /* the n rows after the row with key */
	ADMIN_BEFORE, /* the n rows before it */
	ADMIN_LAST,   /* the last n rows */
};

/* Receives one row: its key (the first cell) and its cells (NULL for none),
 * all borrowed for the call. 0, or -1 to stop. */
typedef int (*admin_row_fn)(void *arg, const char *key, const char *const *cells);

/* Fetches at most n rows (0: all) of list l in list order into fn, by key
 * (WHERE key > last ORDER BY key LIMIT n: never OFFSET). filter is NULL or
 * the text typed after `/`: rows whose role, kind, scope or division name
 * (users), key or description (settings), or table, who or key (audit)
 * contain it, case-insensitively, % and _ matching themselves; also names
 * NULL or NULL-terminated values of the kind (users), the key (settings)
 * or the table (audit) that match as well: those whose translated labels
 * the interface found the filter in. 0, or -1 with err set. */
int admin_list_fetch(struct db *db, enum admin_list l, enum admin_fetch how, const char *filter,
		     const char *const *also, const char *key, size_t n, admin_row_fn fn, void *arg,
		     struct admin_err *err);

/* ---- settings (rules.md: each *setting* with its default) ---- */

/* What rules.md says of a setting: its default and the values that make
 * sense (min..max, at most scale decimals). */
struct admin_setting_rule {
	const char *key;
	const char *def;
	double min, max;
	int scale;
	const char *label_zh; /* what it is, in Chinese */
};

/* Every setting rules.md names; *n receives the count. Static. */
const struct admin_setting_rule *admin_setting_rules(size_t *n);
/* The rule of setting key, or NULL for a key rules.md does not name (any
 * number is accepted there). Static. */
const struct admin_setting_rule *admin_setting_rule(const char *key);
/* Checks text as a value of setting key and puts the canonical number into
 * out. 0, or -1 with the reason in err (dict.c's reasons for numbers). */
int admin_setting_check(const char *key, const char *text, struct strbuf *out, struct sgz_err *err);

/* One setting as stored now. */
struct admin_setting {
	char value[64];
	char description[512];
	long row_version;
};

/* Reads setting key. 1, 0 when there is no such setting, -1 with err set. */
int admin_setting_get(struct db *db, const char *key, struct admin_setting *out,
		      struct admin_err *err);
/* Saves value (admin_setting_check() first) as setting key in one
 * statement, if it still has row_version. 1 saved, 0 someone else changed
 * or removed it meanwhile (nothing saved), -1 with err set (err->denied for
 * a user who may not change settings). */
int admin_setting_save(struct db *db, const char *key, const char *value, long row_version,
		       struct admin_err *err);

/* ---- one entry of the audit trail ---- */

struct admin_audit_field {
	char *column;
	char *old_value; /* NULL: none (an insert, or the column was NULL) */
	char *new_value;
	bool changed; /* an update that changed it */
};

struct admin_audit_entry {
	char *id, *at, *who, *table, *action, *key;
	struct admin_audit_field *fields; /* in the table's column order */
	size_t nfields;
};

/* Reads the entry with id (the key of ADMIN_LIST_AUDIT) into *out (Caller
 * frees with admin_audit_entry_free()). 1, 0 when it is not there (or not
 * for this user's eyes), -1 with err set. */
int admin_audit_entry_load(struct db *db, const char *id, struct admin_audit_entry **out,
			   struct admin_err *err);
void admin_audit_entry_free(struct admin_audit_entry *e);

/* ---- the database ---- */

/* Rows of one table, as the user's scope lets them see it. */
struct admin_count {
	const char *table; /* "sgz.station" (static) */
	long long rows;	   /* -1: the user may not read the table */
};

struct admin_dbinfo {
	char *database, *size, *server, *user, *kind; /* kind "" for none */
	int version;				      /* the latest migration applied, 0 for none */
	char *version_name;			      /* its name ("0005_reports"), or "" */
	int known;				      /* the latest migration this sgz knows */
	const char *known_name;
	int pending; /* migrations of this sgz not applied */
	int unknown; /* applied migrations this sgz does not know: a newer database */
	struct admin_count *counts; /* every entity of the dictionary, then the trail */
	size_t ncounts;
	bool counted; /* admin_dbinfo_count() filled in the rows */
};

/* Reads the database's name and size, the migration status (as `sgz
 * migrate --status`) and which of the dictionary's tables and the trail
 * the user may read. 0, or -1 with err set; *out is freed with
 * admin_dbinfo_free(). */
int admin_dbinfo_load(struct db *db, struct admin_dbinfo *out, struct admin_err *err);
/* Counts the rows of every table of info the user may read, in one
 * statement (a big trail takes a while: Esc cancels it). 0, or -1 with err
 * set and info->counted false. */
int admin_dbinfo_count(struct db *db, struct admin_dbinfo *info, struct admin_err *err);
void admin_dbinfo_free(struct admin_dbinfo *info);

#endif
