/* backup.h - sgz backup and sgz restore: the schema sgz, its data (the
 * audit trail included) and the roles it needs, in one file.
 *
 * The file is a POSIX tar archive (tar -tf lists it) of three members, in
 * this order:
 *
 *   sgz-backup.txt  the manifest: "sgz-backup 1", then "KEY VALUE" lines:
 *                   created, database, owner, schema (the last migration),
 *                   server, sgz, users, and one "rows TABLE N" per table
 *   roles.csv       the roles the schema needs, with a header: the owner
 *                   of the schema, the group roles, every role a privilege
 *                   or policy of the schema names, the users of sgz (members
 *                   of sgz_users or the kind groups, or with a scope): login,
 *                   inherit, createrole, member_of, settings (ALTER ROLE
 *                   SET), database_settings and database_privileges (of
 *                   this database); a last row "public" holds the
 *                   database's own settings and PUBLIC's privileges on it
 *   database.dump   pg_dump --format=custom --schema=sgz, taken in the same
 *                   snapshot as the roles and the counts
 */
#ifndef SGZ_BACKUP_H
#define SGZ_BACKUP_H

#include "sgz/db.h"
#include "sgz/util.h"

/* What a backup holds, from its manifest, for the messages. */
struct backup_summary {
	char *created;	/* "2026-12-07 03:35:19 UTC" */
	char *database; /* the database it was taken from */
	char *owner;	/* the owner of the schema sgz */
	char *schema;	/* the last migration applied, e.g. 0010_integrity */
	long tables;
	long long rows; /* of every table, the audit trail included */
	long long audit;
	long users; /* roles kind user in roles.csv */
};

void backup_summary_free(struct backup_summary *s);

/* Writes a backup of the schema sgz of db's database to path ("-":
 * standard output), as the owner of the schema or a superuser: a file is
 * written beside path and renamed over it when complete. pg_dump is the
 * one of the server's major version (/usr/lib/postgresql/N/bin), run with
 * an argument vector, never a shell. 0, or -1 with err set (status 2). */
int backup_take(struct db *db, const char *path, struct backup_summary *sum, struct sgz_err *err);

/* Restores the backup at path ("-": standard input) into db's database, as
 * a superuser or the backup's owner of the schema: the roles first
 * (created when missing, the users' kinds and settings as in the backup),
 * then pg_restore's script through psql, then a count of every table
 * against the manifest, all in one transaction. A database that holds a
 * schema sgz is refused unless force, which replaces it in that same
 * transaction. 0, or -1 with err set: status 1 when the backup was refused
 * (a database not empty, a role's name taken, a damaged backup) or its
 * restore failed, nothing changed; 2 when it could not start (not a backup,
 * permission, tools, connection). */
int backup_restore(struct db *db, const char *path, int force, struct backup_summary *sum,
		   struct sgz_err *err);

#endif
