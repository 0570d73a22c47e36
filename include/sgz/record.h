/* record.h - one record of an entity of the data dictionary: loaded by key
 * as the canonical text of every field plus its row_version, saved with
 * optimistic concurrency (a conflict, never a silent overwrite), inserted,
 * deleted (refused, with who refers to it, where it is referenced). The
 * rules of the dictionary run before the write, as on import, so a refusal
 * names its field. No libpq here: the database is `struct db`, opaque. */
#ifndef SGZ_RECORD_H
#define SGZ_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "sgz/dict.h"
#include "sgz/util.h"

struct db;

struct record {
	const struct dict_entity *e;
	char **values;	  /* e->nfields canonical texts; NULL = empty */
	char **stored;	  /* the values as last read from the database; NULL for a new record */
	char **key;	  /* the stored key, one per DF_KEY field; NULL for a new record */
	long row_version; /* of the stored row; 0 for a new record */
	/* For a field naming a person (dict_field.pid_column) of an entity
	 * read through its masking view: the person's pid, as read or picked,
	 * while values[i] shows the number masked; NULL when the number was
	 * typed in full (or the field is empty). A stored key part of such a
	 * field is the pid. */
	char **pids;
	char **stored_pids;
};

/* Who still refers to a record whose delete was refused. */
struct record_ref {
	const struct dict_entity *e; /* the referring entity */
	long count;		     /* its rows that refer to the record (as far as visible) */
};

#define RECORD_MAX_REFS 8

enum record_rc {
	RECORD_OK,	   /* done (re->warning may hold a warning) */
	RECORD_REFUSED,	   /* a rule or the database refused the data: re->err, re->field */
	RECORD_CONFLICT,   /* someone else saved the row first: re->stored is theirs */
	RECORD_GONE,	   /* the row is no longer there */
	RECORD_REFERENCED, /* delete refused: re->refs (may be empty) and re->err */
	RECORD_FAILED,	   /* the connection was lost (re->err.conn_lost) or another failure */
};

struct record_error {
	struct sgz_err err;
	int field;	       /* index into e->fields of the field concerned, or -1 */
	struct record *stored; /* RECORD_CONFLICT: the row as stored now. Owned */
	struct record_ref refs[RECORD_MAX_REFS];
	size_t nrefs;
	char warning[512]; /* RECORD_OK: what a rule accepted with a warning, or "" */
};

/* Clears re (frees re->stored); re may be uninitialised only if zeroed. */
void record_error_init(struct record_error *re);
void record_error_free(struct record_error *re);

/* Returns a new record of e with the dictionary's defaults. Caller frees
 * with record_free(). */
struct record *record_new(const struct dict_entity *e);
/* Returns a copy of r. Caller frees. */
struct record *record_dup(const struct record *r);
void record_free(struct record *r);
/* Is r not stored yet? */
bool record_is_new(const struct record *r);
/* The canonical text of field i, NULL when empty. Borrowed until it changes. */
const char *record_value(const struct record *r, size_t i);
/* Sets field i to canonical text v (NULL or "": empty), copied. */
void record_set(struct record *r, size_t i, const char *v);
/* Sets person field i to the person with this pid, shown as shown (the
 * masked number): a pick. */
void record_set_person(struct record *r, size_t i, const char *pid, const char *shown);
/* The pid of person field i (read or picked), or NULL. */
const char *record_pid(const struct record *r, size_t i);
/* A person named by pid where a field's value travels as text (a pick in
 * a form, which shows the masked number): "#pid". Caller frees. */
char *record_person_token(const char *pid);
/* The pid a token of record_person_token() names, or NULL if v is none. */
const char *record_token_pid(const char *v);
/* The name a form shows beside the value of reference field f of e
 * (dict_shows_name(): a station's, a division's, an organization's name; a
 * person's, masked as lists show it): value is the code, a person's token
 * (record_person_token()) or a number typed, looked up in the reader's
 * scope (sgz.person_lookup()). *name receives a new string, or NULL when
 * the value refers to nothing the reader can see, or f is no such field.
 * One statement, a look-up by key, sent and waited for without the
 * interface's wait hook (db_query()): the form asks while it draws, when
 * keys the hook kept would be handled after the next one typed. 0, or -1
 * with err set. */
int record_ref_name(struct db *db, const struct dict_entity *e, const struct dict_field *f,
		    const char *value, char **name, struct sgz_err *err);
/* What a new record's form proposes from who the user is (spec/work.md,
 * Forms that help): the station of a station user, and his own staff
 * member (sgz user add --staff, migration 0019). */
struct record_session {
	char *station;	   /* the station's township, or NULL: no station user */
	char *staff_pid;   /* the user's own staff member, or NULL */
	char *staff_shown; /* his number as the masking view shows it */
};

/* Fills s in one statement, read in the user's scope. 0, or -1 with err
 * set and s empty. Free with record_session_free(). */
int record_session_load(struct db *db, struct record_session *s, struct sgz_err *err);
void record_session_free(struct record_session *s);
/* The value field f of e follows from the value from of its follow_from
 * field (dict_field.follow_sql): from is a code, a person's token
 * (record_person_token()) or a number typed, looked up in the reader's
 * scope. *value receives the canonical value or a person's token, *shown
 * what the field shows (a masked number) or NULL; both NULL when nothing
 * follows. One statement through db_query(), as record_ref_name(). 0, or
 * -1 with err set. */
int record_follow(struct db *db, const struct dict_entity *e, const struct dict_field *f,
		  const char *from, char **value, char **shown, struct sgz_err *err);
/* What names the stored record r in a message, as the lists show it
 * (spec/work.md: 个案 120110001-2026-0003 刘桂兰): a person by his name and
 * masked number; any other record by its key, each part that refers to
 * something by its name (a person by name and masked number, a case by
 * its number and recipient), then what the entity shows of its rows (a
 * station's township, a case's recipient). Choices read in Chinese when
 * zh. One statement, read in the reader's scope through the entity's
 * masking view. *title receives a new string ("" when the row is not to
 * be seen). 0, or -1 with err set. */
int record_title(struct db *db, const struct record *r, bool zh, char **title,
		 struct sgz_err *err);
/* Parses what the user typed into field i with dict_parse_value() (the
 * import's rules) and stores its canonical text. 0, with err->msg set on a
 * warning; -1 with the reason in err and the field unchanged. */
int record_set_input(struct record *r, size_t i, const char *in, struct sgz_err *err);

/* The key of a row as one string, for lists: from values[i] of each DF_KEY
 * field i (values indexed like e->fields). Caller frees. */
char *record_key_encode(const struct dict_entity *e, const char *const *values);
/* Splits a key of record_key_encode() into one value per DF_KEY field (NULL
 * for an empty part); *n receives the count. NULL if key is malformed.
 * Caller frees with record_key_free(). */
char **record_key_decode(const struct dict_entity *e, const char *key, size_t *n);
void record_key_free(char **parts, size_t n);
/* The key of r as stored (or, for a new record, of its values). Caller frees. */
char *record_key(const struct record *r);

/* Is the row of e with these values (indexed like e->fields) sensitive
 * personal information (spec/rules.md, PIPL Art. 28): a recipient under
 * 14 today, by the birth date in the ID number? */
bool record_sensitive(const struct dict_entity *e, const char *const *values);

/* Loads the row with key (record_key_encode()) into a new record (*out,
 * caller frees). RECORD_OK, RECORD_GONE, or RECORD_FAILED. Opening a
 * sensitive record (record_sensitive()) is audited with
 * sgz.audit_event('open', ...); an open the audit cannot record fails. */
enum record_rc record_load(struct db *db, const struct dict_entity *e, const char *key,
			   struct record **out, struct record_error *re);
/* Checks the dictionary's rules over r (references, checks across fields),
 * then inserts it (new) or updates the stored row if its row_version is
 * still r's, all in one transaction. On RECORD_OK r holds the row as
 * stored (defaults, assigned keys, the new row_version). */
enum record_rc record_save(struct db *db, struct record *r, struct record_error *re);
/* Deletes r's stored row if its row_version is still r's. RECORD_OK,
 * RECORD_REFERENCED (re->refs count the referring rows by entity of the
 * dictionary; re->err holds the database's own message), RECORD_CONFLICT
 * (changed since: re->stored), RECORD_GONE or RECORD_FAILED. */
enum record_rc record_delete(struct db *db, const struct record *r, struct record_error *re);

#endif
