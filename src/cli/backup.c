/* backup.c - sgz backup and sgz restore (backup.h has the file's layout).
 *
 * Why not pg_dump alone: every scoped table FORCEs row-level security, so
 * the owner of the schema obeys the policies too, and pg_dump, which turns
 * row_security off, refuses ("query would be affected by row-level
 * security policy"). With --enable-row-security the policies apply, and
 * they give the owner every row (sgz.scope_prefix() is '' for the owner,
 * sgz.as_owner() true); a superuser bypasses them. The manifest's counts,
 * taken in the dump's own snapshot, are checked again after a restore. And
 * roles belong to the cluster, not to the database: the users of
 * sgz.user_scope, the group roles the privileges name and the owner must
 * exist before the data. pg_dumpall --roles-only would take every role of
 * the cluster; the backup takes the ones the schema needs.
 *
 * The restore is one transaction of one psql: the roles, the schema it
 * replaces (--force), pg_restore's script, the counts, then COMMIT, which
 * psql is only given once pg_restore has finished well. Whatever fails,
 * the database and the roles are left as they were.
 *
 * The tools (pg_dump, pg_restore, psql) are those of the server's major
 * version, run through posix_spawn with an argument vector: nothing of the
 * user's becomes a command line for a shell. They connect where sgz is
 * connected: the connection's own parameters, in the PG* environment
 * variables of the child (not its arguments, which every local user can
 * read in ps). */
#include "config.h"

#include "sgz/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sgz/i18n.h"
#include "sgz/log.h"
#include "sgz/message.h"
#include "sgz/tar.h"

extern char **environ;

#define FORMAT_VERSION 1
#define M_MANIFEST     "sgz-backup.txt"
#define M_ROLES	       "roles.csv"
#define M_DUMP	       "database.dump"
#define SMALL_MEMBER   (16u << 20) /* manifest and roles are read into memory */

/* ---- the SQL ---- */

/* Who may take a backup: the owner of the schema or a superuser. */
static const char who_sql[] =
    "SELECT r.rolsuper, n.nspowner = r.oid, pg_catalog.pg_get_userbyid(n.nspowner),\n"
    "       n.oid IS NOT NULL, pg_catalog.current_database(), session_user\n"
    "  FROM pg_catalog.pg_roles r\n"
    "  LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = 'sgz'\n"
    " WHERE r.rolname = session_user";

/* The backup's transaction: pg_dump imports its snapshot, so the roles and
 * the counts read here are of the same moment as the data. No timeout may
 * end it while pg_dump runs. */
static const char begin_sql[] = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
static const char no_timeouts_sql[] =
    "SELECT pg_catalog.set_config('statement_timeout', '0', true),\n"
    "       pg_catalog.set_config('idle_in_transaction_session_timeout', '0', true)";
static const char snapshot_sql[] =
    "SELECT pg_catalog.pg_export_snapshot(),\n"
    "       pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC',\n"
    "                          'YYYY-MM-DD HH24:MI:SS \"UTC\"'),\n"
    "       pg_catalog.current_database(),\n"
    "       (SELECT pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace n\n"
    "         WHERE n.nspname = 'sgz'),\n"
    "       (SELECT m.name FROM sgz.schema_migration m ORDER BY m.version DESC LIMIT 1),\n"
    "       pg_catalog.current_setting('server_version'),\n"
    "       (SELECT pg_catalog.count(*) FROM sgz.user_scope)";

/* The roles the schema needs (backup.h), one row each, and a last row for
 * PUBLIC with the database's own settings and PUBLIC's privileges on it
 * (NULL: the database has the default privileges). Members: directly, of
 * the roles listed; the owner's memberships are its own business. The
 * owner of the database holds its privileges without a grant: written out
 * when it is the owner of the schema (createdb -O, as sgz(1) deploys it),
 * so that the owner can still connect to a database a superuser created
 * for the restore; another owner (a superuser) is the restorer's business. */
static const char roles_sql[] =
    "COPY (\n"
    "SELECT role, kind, login, inherit, createrole, member_of, settings, database_settings,\n"
    "       database_privileges\n"
    "  FROM (\n"
    "WITH s AS (\n"
    "	SELECT n.oid, n.nspowner, n.nspacl FROM pg_catalog.pg_namespace n\n"
    "	 WHERE n.nspname = 'sgz'),\n"
    "d AS (\n"
    "	SELECT d.oid, d.datdba, d.datacl FROM pg_catalog.pg_database d\n"
    "	 WHERE d.datname = pg_catalog.current_database()),\n"
    "grp AS (\n"
    "	SELECT r.oid FROM pg_catalog.pg_roles r\n"
    "	 WHERE r.rolname IN ('sgz_admin', 'sgz_region', 'sgz_county', 'sgz_station',\n"
    "			     'sgz_evaluator', 'sgz_users')),\n"
    "usr AS (\n"
    "	SELECT m.member AS oid FROM pg_catalog.pg_auth_members m\n"
    "	 WHERE m.roleid IN (SELECT oid FROM grp)\n"
    "	UNION\n"
    "	SELECT r.oid FROM pg_catalog.pg_roles r JOIN sgz.user_scope u ON u.role = r.rolname),\n"
    "named AS (\n"
    "	SELECT s.nspowner AS oid FROM s\n"
    "	UNION SELECT (pg_catalog.aclexplode(s.nspacl)).grantee FROM s\n"
    "	UNION SELECT c.relowner FROM pg_catalog.pg_class c, s WHERE c.relnamespace = s.oid\n"
    "	UNION SELECT (pg_catalog.aclexplode(c.relacl)).grantee\n"
    "		FROM pg_catalog.pg_class c, s WHERE c.relnamespace = s.oid\n"
    "	UNION SELECT (pg_catalog.aclexplode(a.attacl)).grantee\n"
    "		FROM pg_catalog.pg_attribute a\n"
    "		JOIN pg_catalog.pg_class c ON c.oid = a.attrelid, s\n"
    "	       WHERE c.relnamespace = s.oid\n"
    "	UNION SELECT p.proowner FROM pg_catalog.pg_proc p, s WHERE p.pronamespace = s.oid\n"
    "	UNION SELECT (pg_catalog.aclexplode(p.proacl)).grantee\n"
    "		FROM pg_catalog.pg_proc p, s WHERE p.pronamespace = s.oid\n"
    "	UNION SELECT t.typowner FROM pg_catalog.pg_type t, s WHERE t.typnamespace = s.oid\n"
    "	UNION SELECT (pg_catalog.aclexplode(t.typacl)).grantee\n"
    "		FROM pg_catalog.pg_type t, s WHERE t.typnamespace = s.oid\n"
    "	UNION SELECT pg_catalog.unnest(p.polroles)\n"
    "		FROM pg_catalog.pg_policy p\n"
    "		JOIN pg_catalog.pg_class c ON c.oid = p.polrelid, s\n"
    "	       WHERE c.relnamespace = s.oid\n"
    "	UNION SELECT a.grantee FROM s, d, pg_catalog.aclexplode(d.datacl) a\n"
    "	       WHERE a.grantee <> d.datdba OR d.datdba = s.nspowner\n"
    "	UNION SELECT oid FROM grp\n"
    "	UNION SELECT oid FROM usr),\n"
    "who AS (\n"
    "	SELECT r.oid, r.rolname, r.rolcanlogin, r.rolinherit, r.rolcreaterole,\n"
    "	       CASE WHEN r.oid = s.nspowner THEN 'owner'\n"
    "		    WHEN r.oid IN (SELECT oid FROM grp) THEN 'group'\n"
    "		    WHEN r.oid IN (SELECT oid FROM usr) THEN 'user'\n"
    "		    ELSE 'grantee' END AS kind\n"
    "	  FROM pg_catalog.pg_roles r, s\n"
    "	 WHERE r.oid IN (SELECT oid FROM named))\n"
    "SELECT w.rolname AS role, w.kind, w.rolcanlogin AS login, w.rolinherit AS inherit,\n"
    "       w.rolcreaterole AS createrole,\n"
    "       CASE WHEN w.kind <> 'owner' THEN\n"
    "	(SELECT pg_catalog.array_agg(g.rolname ORDER BY g.rolname)\n"
    "	   FROM pg_catalog.pg_auth_members m JOIN who g ON g.oid = m.roleid\n"
    "	  WHERE m.member = w.oid) END AS member_of,\n"
    "       (SELECT x.setconfig FROM pg_catalog.pg_db_role_setting x\n"
    "	 WHERE x.setrole = w.oid AND x.setdatabase = 0) AS settings,\n"
    "       (SELECT x.setconfig FROM pg_catalog.pg_db_role_setting x, d\n"
    "	 WHERE x.setrole = w.oid AND x.setdatabase = d.oid) AS database_settings,\n"
    "       (SELECT pg_catalog.array_agg(DISTINCT a.privilege_type)\n"
    "	  FROM s, d, pg_catalog.aclexplode(d.datacl) a\n"
    "	 WHERE a.grantee = w.oid\n"
    "	   AND (a.grantee <> d.datdba OR d.datdba = s.nspowner)) AS database_privileges,\n"
    "       CASE w.kind WHEN 'owner' THEN 1 WHEN 'group' THEN 2 WHEN 'grantee' THEN 3\n"
    "		   ELSE 4 END AS o\n"
    "  FROM who w\n"
    "UNION ALL\n"
    "SELECT 'public', 'public', NULL, NULL, NULL, NULL, NULL,\n"
    "       (SELECT x.setconfig FROM pg_catalog.pg_db_role_setting x\n"
    "	 WHERE x.setrole = 0 AND x.setdatabase = d.oid),\n"
    "       CASE WHEN d.datacl IS NOT NULL THEN\n"
    "	(SELECT coalesce(pg_catalog.array_agg(DISTINCT a.privilege_type), '{}')\n"
    "	   FROM pg_catalog.aclexplode(d.datacl) a WHERE a.grantee = 0) END,\n"
    "       5\n"
    "  FROM d) x\n"
    " ORDER BY o, role\n"
    ") TO STDOUT (FORMAT csv, HEADER true)";

/* The count of every table, as one statement the server writes with its
 * own quoting of the names. */
static const char counts_sql[] =
    "SELECT pg_catalog.string_agg(pg_catalog.format(\n"
    "		'SELECT %L::text, pg_catalog.count(*) FROM sgz.%I', c.relname, c.relname),\n"
    "	' UNION ALL ' ORDER BY c.relname)\n"
    "  FROM pg_catalog.pg_class c\n"
    " WHERE c.relnamespace = 'sgz'::pg_catalog.regnamespace AND c.relkind IN ('r', 'p')";

/* The roles of a backup, read back: on sgz's connection to check them,
 * and in psql's transaction to make them. */
static const char role_table_sql[] =
    "CREATE TEMP TABLE sgz_backup_role (\n"
    "	role text NOT NULL,\n"
    "	kind text NOT NULL CHECK (kind IN ('owner', 'group', 'grantee', 'user', 'public')),\n"
    "	login boolean,\n"
    "	inherit boolean,\n"
    "	createrole boolean,\n"
    "	member_of text[],\n"
    "	settings text[],\n"
    "	database_settings text[],\n"
    "	database_privileges text[]\n"
    ") ON COMMIT DROP";
static const char role_copy_sql[] =
    "COPY pg_temp.sgz_backup_role FROM STDIN (FORMAT csv, HEADER true)";

/* What the restore must know before it starts. A user of sgz in the backup
 * whose name is taken in this cluster by a role sgz did not create is not
 * taken over (0010: sgz manages only the roles it created). */
static const char restore_check_sql[] =
    "SELECT r.rolsuper, session_user,\n"
    "       (SELECT b.role FROM pg_temp.sgz_backup_role b WHERE b.kind = 'owner' LIMIT 1),\n"
    "       (SELECT pg_catalog.count(*) FROM pg_temp.sgz_backup_role b WHERE b.kind = 'owner'),\n"
    "       (SELECT pg_catalog.count(*) FROM pg_temp.sgz_backup_role b WHERE b.kind = 'public'),\n"
    "       pg_catalog.to_regnamespace('sgz') IS NOT NULL,\n"
    "       (SELECT pg_catalog.string_agg(b.role, ', ' ORDER BY b.role)\n"
    "          FROM pg_temp.sgz_backup_role b\n"
    "          JOIN pg_catalog.pg_roles x ON x.rolname = b.role\n"
    "         WHERE 'sgz_users' = ANY (b.member_of)\n"
    "           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m\n"
    "                             JOIN pg_catalog.pg_roles u ON u.oid = m.roleid\n"
    "                                                       AND u.rolname = 'sgz_users'\n"
    "                            WHERE m.member = x.oid)),\n"
    "       pg_catalog.current_database(),\n"
    "       (SELECT pg_catalog.string_agg(b.role, ', ' ORDER BY b.role)\n"
    "          FROM pg_temp.sgz_backup_role b\n"
    "         WHERE b.kind <> 'public'\n"
    "           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x\n"
    "                            WHERE x.rolname = b.role))\n"
    "  FROM pg_catalog.pg_roles r\n"
    " WHERE r.rolname = session_user";

/* The start of psql's input: settings, the transaction, the roles as
 * data, then the rows of the manifest (see restore_prelude()). */
static const char prelude_sql[] = "SET client_encoding = 'UTF8';\n"
				  "SET client_min_messages = warning;\n"
				  "SET statement_timeout = 0;\n"
				  "SET lock_timeout = 0;\n"
				  "SET idle_in_transaction_session_timeout = 0;\n"
				  "BEGIN;\n";
static const char rows_table_sql[] =
    "CREATE TEMP TABLE sgz_backup_rows (name text PRIMARY KEY, n bigint NOT NULL)\n"
    "	ON COMMIT DROP;\n"
    "COPY pg_temp.sgz_backup_rows FROM STDIN (FORMAT csv);\n";

/* Makes the roles of the backup: every missing one first (never a
 * superuser; CREATEROLE only for the owner), then memberships, settings
 * and the privileges on this database. A user of sgz gets its backup's
 * kind and settings and no other kind. The checks of restore_check_sql are
 * repeated: this is the transaction that counts. */
static const char roles_do_sql[] =
    "DO $sgz$\n"
    "DECLARE\n"
    "	r record;\n"
    "	g text;\n"
    "	s text;\n"
    "	db text := pg_catalog.current_database();\n"
    "BEGIN\n"
    "	IF (SELECT pg_catalog.count(*) FROM pg_temp.sgz_backup_role WHERE kind = 'owner') <> 1\n"
    "	   OR (SELECT pg_catalog.count(*) FROM pg_temp.sgz_backup_role\n"
    "		WHERE kind = 'public') <> 1 THEN\n"
    "		RAISE EXCEPTION 'roles.csv of the backup is damaged: no owner or no public row';\n"
    "	END IF;\n"
    "	SELECT b.role INTO g FROM pg_temp.sgz_backup_role b\n"
    "	  JOIN pg_catalog.pg_roles x ON x.rolname = b.role\n"
    "	 WHERE 'sgz_users' = ANY (b.member_of)\n"
    "	   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m\n"
    "			     JOIN pg_catalog.pg_roles u ON u.oid = m.roleid\n"
    "						       AND u.rolname = 'sgz_users'\n"
    "			    WHERE m.member = x.oid)\n"
    "	 ORDER BY 1 LIMIT 1;\n"
    "	IF FOUND THEN\n"
    "		RAISE EXCEPTION 'role % exists in this cluster and was not created by sgz', g\n"
    "			USING HINT = 'drop or rename it, or GRANT sgz_users TO it '\n"
    "				     'to hand it to sgz';\n"
    "	END IF;\n"
    "	IF EXISTS (SELECT 1 FROM pg_temp.sgz_backup_role b,\n"
    "			pg_catalog.unnest(b.database_privileges) p\n"
    "		    WHERE p NOT IN ('CONNECT', 'CREATE', 'TEMPORARY')) THEN\n"
    "		RAISE EXCEPTION 'roles.csv of the backup is damaged: an unknown privilege';\n"
    "	END IF;\n"
    "\n"
    "	FOR r IN SELECT * FROM pg_temp.sgz_backup_role WHERE kind <> 'public' ORDER BY role\n"
    "	LOOP\n"
    "		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname = r.role) THEN\n"
    "			EXECUTE pg_catalog.format('CREATE ROLE %I %s %s %s', r.role,\n"
    "				CASE WHEN r.login THEN 'LOGIN' ELSE 'NOLOGIN' END,\n"
    "				CASE WHEN r.inherit THEN 'INHERIT' ELSE 'NOINHERIT' END,\n"
    "				CASE WHEN r.createrole AND r.kind = 'owner' THEN 'CREATEROLE'\n"
    "				     ELSE 'NOCREATEROLE' END);\n"
    "		END IF;\n"
    "	END LOOP;\n"
    "	FOR r IN SELECT * FROM pg_temp.sgz_backup_role WHERE kind <> 'public' ORDER BY role\n"
    "	LOOP\n"
    "		FOREACH g IN ARRAY coalesce(r.member_of, '{}') LOOP\n"
    "			IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m\n"
    "					JOIN pg_catalog.pg_roles a ON a.oid = m.roleid\n"
    "								     AND a.rolname = g\n"
    "					JOIN pg_catalog.pg_roles b ON b.oid = m.member\n"
    "								     AND b.rolname = r.role) THEN\n"
    "				EXECUTE pg_catalog.format('GRANT %I TO %I', g, r.role);\n"
    "			END IF;\n"
    "		END LOOP;\n"
    "		IF r.kind = 'user' THEN\n"
    "			FOR g IN SELECT a.rolname FROM pg_catalog.pg_auth_members m\n"
    "				   JOIN pg_catalog.pg_roles a ON a.oid = m.roleid\n"
    "				   JOIN pg_catalog.pg_roles b ON b.oid = m.member\n"
    "				  WHERE b.rolname = r.role\n"
    "				    AND a.rolname IN ('sgz_admin', 'sgz_region', 'sgz_county',\n"
    "						      'sgz_station', 'sgz_evaluator')\n"
    "				    AND a.rolname <> ALL (coalesce(r.member_of, '{}'))\n"
    "			LOOP\n"
    "				EXECUTE pg_catalog.format('REVOKE %I FROM %I', g, r.role);\n"
    "			END LOOP;\n"
    "			EXECUTE pg_catalog.format('ALTER ROLE %I RESET ALL', r.role);\n"
    "			EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I RESET ALL',\n"
    "						  r.role, db);\n"
    "		END IF;\n"
    "		FOREACH s IN ARRAY coalesce(r.settings, '{}') LOOP\n"
    "			EXECUTE pg_catalog.format('ALTER ROLE %I SET %I = %L', r.role,\n"
    "				pg_catalog.split_part(s, '=', 1),\n"
    "				pg_catalog.substr(s, pg_catalog.strpos(s, '=') + 1));\n"
    "		END LOOP;\n"
    "		FOREACH s IN ARRAY coalesce(r.database_settings, '{}') LOOP\n"
    "			EXECUTE pg_catalog.format('ALTER ROLE %I IN DATABASE %I SET %I = %L',\n"
    "				r.role, db, pg_catalog.split_part(s, '=', 1),\n"
    "				pg_catalog.substr(s, pg_catalog.strpos(s, '=') + 1));\n"
    "		END LOOP;\n"
    "		FOREACH s IN ARRAY coalesce(r.database_privileges, '{}') LOOP\n"
    "			EXECUTE pg_catalog.format('GRANT %s ON DATABASE %I TO %I',\n"
    "						  s, db, r.role);\n"
    "		END LOOP;\n"
    "	END LOOP;\n"
    "	FOR r IN SELECT * FROM pg_temp.sgz_backup_role WHERE kind = 'public' LOOP\n"
    "		IF r.database_privileges IS NOT NULL THEN\n"
    "			EXECUTE pg_catalog.format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db);\n"
    "			FOREACH s IN ARRAY r.database_privileges LOOP\n"
    "				EXECUTE pg_catalog.format('GRANT %s ON DATABASE %I TO PUBLIC',\n"
    "							  s, db);\n"
    "			END LOOP;\n"
    "		END IF;\n"
    "		FOREACH s IN ARRAY coalesce(r.database_settings, '{}') LOOP\n"
    "			EXECUTE pg_catalog.format('ALTER DATABASE %I SET %I = %L', db,\n"
    "				pg_catalog.split_part(s, '=', 1),\n"
    "				pg_catalog.substr(s, pg_catalog.strpos(s, '=') + 1));\n"
    "		END LOOP;\n"
    "	END LOOP;\n"
    "END\n"
    "$sgz$;\n";

static const char drop_schema_sql[] = "DROP SCHEMA IF EXISTS sgz CASCADE;\n";

/* After pg_restore's script: every table of the manifest holds its rows
 * (the owner reads them through the policies, as pg_dump did), 0010's
 * rule on the schema public, and only then COMMIT. */
static const char postlude_sql[] =
    "SET row_security = on;\n"
    "DO $sgz$\n"
    "DECLARE\n"
    "	r record;\n"
    "	n bigint;\n"
    "BEGIN\n"
    "	FOR r IN SELECT * FROM pg_temp.sgz_backup_rows ORDER BY name LOOP\n"
    "		IF pg_catalog.to_regclass(pg_catalog.format('sgz.%I', r.name)) IS NULL THEN\n"
    "			RAISE EXCEPTION 'table sgz.% of the backup was not restored', r.name;\n"
    "		END IF;\n"
    "		EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM sgz.%I', r.name)\n"
    "			INTO n;\n"
    "		IF n <> r.n THEN\n"
    "			RAISE EXCEPTION 'sgz.%: % rows restored, the backup holds %',\n"
    "				r.name, n, r.n;\n"
    "		END IF;\n"
    "	END LOOP;\n"
    "	IF pg_catalog.to_regnamespace('public') IS NOT NULL\n"
    "	   AND pg_catalog.has_schema_privilege('public', 'public', 'CREATE') THEN\n"
    "		REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n"
    "	END IF;\n"
    "END\n"
    "$sgz$;\n"
    "COMMIT;\n";

/* ---- the manifest ---- */

struct table_rows {
	char *name;
	long long n;
};

struct manifest {
	struct table_rows *rows;
	size_t nrows;
};

static void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->nrows; i++)
		free(m->rows[i].name);
	free(m->rows);
	m->rows = NULL;
	m->nrows = 0;
}

void backup_summary_free(struct backup_summary *s)
{
	if (!s)
		return;
	free(s->created);
	free(s->database);
	free(s->owner);
	free(s->schema);
	memset(s, 0, sizeof(*s));
}

/* A table name the restore may name in its checks: what sgz's migrations
 * create. Others are dumped and restored all the same, uncounted. */
static int plain_name(const char *s)
{
	if (!s[0] || strlen(s) > 63 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* A manifest value on one line: control characters become '?'. */
static void add_value(struct strbuf *sb, const char *key, const char *v)
{
	sb_adds(sb, key);
	sb_addc(sb, ' ');
	for (; v && *v; v++)
		sb_addc(sb, (unsigned char)*v < 0x20 || *v == 0x7f ? '?' : *v);
	sb_addc(sb, '\n');
}

static void count_rows(const struct manifest *m, struct backup_summary *sum)
{
	sum->tables = (long)m->nrows;
	sum->rows = 0;
	sum->audit = 0;
	for (size_t i = 0; i < m->nrows; i++) {
		sum->rows += m->rows[i].n;
		if (strcmp(m->rows[i].name, "audit") == 0)
			sum->audit = m->rows[i].n;
	}
}

/* Reads the manifest text into sum and m. 0, or -1 with err set. */
static int manifest_parse(const char *text, struct backup_summary *sum, struct manifest *m,
			  struct sgz_err *err)
{
	char *copy = xstrdup(text), *save = NULL;
	int rc = -1, line = 0;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(l, ' ');

		line++;
		if (!v) {
			if (line == 1)
				sgz_err_set(err, SGZ_EUSAGE, _("not an sgz backup (no manifest)"));
			else
				sgz_err_set(err, SGZ_EDATA, _("%s:%d: no value"), M_MANIFEST, line);
			goto out;
		}
		*v++ = '\0';
		if (line == 1) {
			char *end;
			long f = strcmp(l, "sgz-backup") == 0 ? strtol(v, &end, 10) : 0;
			if (f < 1 || *end) {
				sgz_err_set(err, SGZ_EUSAGE, _("not an sgz backup (no manifest)"));
				goto out;
			}
			if (f > FORMAT_VERSION) {
				sgz_err_set(
				    err, SGZ_EUSAGE,
				    _("the backup is of format %ld, made by a newer sgz: this "
				    "one reads format %d"),
				    f, FORMAT_VERSION);
				goto out;
			}
			continue;
		}
		if (strcmp(l, "created") == 0) {
			free(sum->created);
			sum->created = xstrdup(v);
		} else if (strcmp(l, "database") == 0) {
			free(sum->database);
			sum->database = xstrdup(v);
		} else if (strcmp(l, "owner") == 0) {
			free(sum->owner);
			sum->owner = xstrdup(v);
		} else if (strcmp(l, "schema") == 0) {
			free(sum->schema);
			sum->schema = xstrdup(v);
		} else if (strcmp(l, "users") == 0) {
			sum->users = strtol(v, NULL, 10);
		} else if (strcmp(l, "rows") == 0) {
			char *n = strchr(v, ' '), *end;
			long long count = -1;

			if (n) {
				*n++ = '\0';
				errno = 0;
				count = *n >= '0' && *n <= '9' ? strtoll(n, &end, 10) : -1;
				if (errno || *end)
					count = -1;
			}
			if (count < 0 || !plain_name(v)) {
				sgz_err_set(err, SGZ_EDATA, _("%s:%d: not \"rows TABLE N\""), M_MANIFEST,
					    line);
				goto out;
			}
			m->rows = xreallocarray(m->rows, m->nrows + 1, sizeof(*m->rows));
			m->rows[m->nrows].name = xstrdup(v);
			m->rows[m->nrows++].n = count;
		}
		/* other keys: informative, or of a later sgz */
	}
	if (line == 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("not an sgz backup (no manifest)"));
		goto out;
	}
	count_rows(m, sum);
	rc = 0;
out:
	free(copy);
	return rc;
}

/* psql ends the data of a COPY at a line "\." whatever the CSV quoting: a
 * roles file holding one (a value with a line break) would let the rest of
 * it run as psql commands. Neither written nor read. */
static int copy_data_safe(const char *text)
{
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);

		if (len && l[len - 1] == '\r')
			len--;
		if (len == 2 && l[0] == '\\' && l[1] == '.')
			return 0;
		if (!nl)
			break;
		l = nl + 1;
	}
	return 1;
}

/* ---- files ---- */

static char *make_tmpdir(struct sgz_err *err)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/sgz-backup.XXXXXX", base && base[0] == '/' ? base : "/tmp");

	if (!mkdtemp(dir)) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot create a temporary directory in %s: %s"),
			    base && base[0] == '/' ? base : "/tmp", strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

static void remove_tmpdir(char *dir)
{
	static const char *const names[] = {M_MANIFEST, M_ROLES, M_DUMP};

	if (!dir)
		return;
	for (size_t i = 0; i < SGZ_ARRAY_LEN(names); i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		unlink(p);
		free(p);
	}
	if (rmdir(dir) < 0)
		log_msg(LOG_WARNING, "cannot remove %s: %s", dir, strerror(errno));
	free(dir);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* ---- the tools ---- */

static int executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The tool of the server's major version, else of the newest later one
 * (a later pg_dump dumps an earlier server; an earlier one refuses), from
 * Debian's /usr/lib/postgresql/N/bin; else the first in PATH. Caller
 * frees; NULL with err set. */
static char *find_tool(int major, const char *tool, struct sgz_err *err)
{
	char *path = xasprintf("/usr/lib/postgresql/%d/bin/%s", major, tool);
	long best = -1;

	if (executable(path))
		return path;
	free(path);
	path = NULL;
	DIR *top = opendir("/usr/lib/postgresql");
	struct dirent *de;
	while (top && (de = readdir(top)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (end == de->d_name || *end || v < major || v <= best)
			continue;
		char *p = xasprintf("/usr/lib/postgresql/%s/bin/%s", de->d_name, tool);
		if (executable(p)) {
			free(path);
			path = p;
			best = v;
		} else {
			free(p);
		}
	}
	if (top)
		closedir(top);
	if (path)
		return path;

	const char *env = getenv("PATH");
	char *dirs = xstrdup(env ? env : "/usr/bin:/bin"), *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if (d[0] != '/')
			continue;
		char *p = xasprintf("%s/%s", d, tool);
		if (executable(p)) {
			path = p;
			break;
		}
		free(p);
	}
	free(dirs);
	if (!path)
		sgz_err_set(err, SGZ_EUSAGE,
			    _("%s of PostgreSQL %d is not installed: apt-get install "
			    "postgresql-client-%d"),
			    tool, major, major);
	return path;
}

/* The environment of a tool: ours without PG*, then the parameters of
 * sgz's own connection as libpq's variables, so that the tool reaches the
 * same database as the same role. NULL-terminated; caller frees with
 * free_env(). */
static char **tool_env(PGconn *conn, const char *appname)
{
	PQconninfoOption *opts = PQconninfo(conn);
	size_t n = 0, k = 0;

	for (char **e = environ; e && *e; e++)
		n++;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		n++;
	char **env = xcalloc(n + 2, sizeof(*env));
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, "PG", 2) != 0)
			env[k++] = xstrdup(*e);
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		/* the service is resolved already; the name is ours */
		if (!o->envvar || !o->val || !o->val[0] || strcmp(o->keyword, "service") == 0 ||
		    strcmp(o->keyword, "application_name") == 0)
			continue;
		env[k++] = xasprintf("%s=%s", o->envvar, o->val);
	}
	env[k++] = xasprintf("PGAPPNAME=%s", appname);
	env[k] = NULL;
	PQconninfoFree(opts);
	return env;
}

static void free_env(char **env)
{
	for (char **e = env; e && *e; e++)
		free(*e);
	free(env);
}

/* Starts argv[0] with standard input from in_fd and standard output to
 * out_fd (-1: /dev/null); standard error is ours, so that the tool's own
 * messages reach the administrator. Nothing else of ours is inherited.
 * The pid, or -1 with err set. */
static pid_t spawn(const char *const argv[], char *const env[], int in_fd, int out_fd,
		   struct sgz_err *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	struct strbuf cmd = {0};
	pid_t pid = -1;
	int rc;

	for (size_t i = 0; argv[i]; i++)
		sb_addf(&cmd, "%s%s", i ? " " : "", argv[i]);
	log_msg(LOG_INFO, "running %s", sb_str(&cmd));
	sb_free(&cmd);

	posix_spawn_file_actions_init(&fa);
	if (in_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	/* A restore ignores SIGPIPE while it feeds psql; the tools do not. */
	posix_spawnattr_init(&attr);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	fflush(NULL);
	/* posix_spawn() takes char *const[] for history's sake; it writes nothing. */
	rc = posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot run %s: %s"), argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

/* Waits for pid: its exit status, 128 + the signal that ended it, or -1. */
static int wait_for(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

/* ---- the archive ---- */

static int put_member(FILE *out, const char *name, uint64_t size, time_t mtime)
{
	unsigned char block[TAR_BLOCK];

	if (tar_header_make(block, name, size, (int64_t)mtime) < 0)
		return -1;
	return fwrite(block, 1, TAR_BLOCK, out) == TAR_BLOCK ? 0 : -1;
}

static int put_padding(FILE *out, uint64_t size)
{
	static const unsigned char zeros[TAR_BLOCK];
	size_t pad = tar_padding(size);

	return fwrite(zeros, 1, pad, out) == pad ? 0 : -1;
}

static int put_text(FILE *out, const char *name, const struct strbuf *sb, time_t mtime)
{
	if (put_member(out, name, sb->len, mtime) < 0 ||
	    (sb->len && fwrite(sb->buf, 1, sb->len, out) != sb->len))
		return -1;
	return put_padding(out, sb->len);
}

static int put_file(FILE *out, const char *name, const char *path, time_t mtime,
		    struct sgz_err *err)
{
	char buf[65536];
	struct stat st;
	uint64_t left;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot read %s: %s"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	left = (uint64_t)st.st_size;
	if (put_member(out, name, left, mtime) < 0)
		goto write_error;
	while (left) {
		ssize_t r = read(fd, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			sgz_err_set(err, SGZ_EUSAGE, _("cannot read %s: %s"), path,
				    r < 0 ? strerror(errno) : "it shrank");
			close(fd);
			return -1;
		}
		if (fwrite(buf, 1, (size_t)r, out) != (size_t)r)
			goto write_error;
		left -= (uint64_t)r;
	}
	close(fd);
	if (put_padding(out, (uint64_t)st.st_size) < 0)
		goto write_error;
	return 0;
write_error:
	sgz_err_set(err, SGZ_EUSAGE, _("cannot write the backup: %s"), strerror(errno));
	close(fd);
	return -1;
}

static int read_exact(FILE *in, void *buf, size_t len)
{
	return fread(buf, 1, len, in) == len ? 0 : -1;
}

/* Reads the archive: the manifest and the roles into memory, the dump into
 * dir. Exactly the three members, the manifest first. 0, or -1 with err
 * set (status 2). */
static int read_archive(FILE *in, const char *what, const char *dir, struct strbuf *manifest,
			struct strbuf *roles, struct sgz_err *err)
{
	unsigned char block[TAR_BLOCK];
	char name[TAR_NAME_MAX];
	uint64_t size;
	int seen = 0; /* bits: 1 manifest, 2 roles, 4 dump */
	char buf[65536];

	for (;;) {
		struct sgz_err terr;
		int r;

		sgz_err_clear(&terr);
		if (read_exact(in, block, TAR_BLOCK) < 0)
			goto truncated;
		r = tar_header_parse(block, name, &size, &terr);
		if (r < 0) {
			char *t = msg_tr(terr.msg);
			sgz_err_set(err, SGZ_EUSAGE, _("%s is not an sgz backup: %s"), what, t);
			free(t);
			return -1;
		}
		if (r == 0)
			break;
		int bit = strcmp(name, M_MANIFEST) == 0 ? 1
			  : strcmp(name, M_ROLES) == 0	? 2
			  : strcmp(name, M_DUMP) == 0	? 4
							: 0;
		if (!seen && bit != 1) {
			sgz_err_set(err, SGZ_EUSAGE,
				    _("%s is not an sgz backup: it starts with %s, not %s"),
				    what, name, M_MANIFEST);
			return -1;
		}
		if (!bit || (seen & bit)) {
			sgz_err_set(err, SGZ_EUSAGE,
				    bit ? _("%s is not an sgz backup: a second member %s")
					: _("%s is not an sgz backup: an unknown member %s"),
				    what, name);
			return -1;
		}
		seen |= bit;
		if (bit != 4) {
			struct strbuf *sb = bit == 1 ? manifest : roles;
			if (size > SMALL_MEMBER) {
				sgz_err_set(err, SGZ_EUSAGE,
					    _("%s: %s is too large (%llu bytes)"), what, name,
					    (unsigned long long)size);
				return -1;
			}
			sb_reset(sb);
			for (uint64_t left = size; left;) {
				size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
				if (read_exact(in, buf, n) < 0)
					goto truncated;
				if (memchr(buf, '\0', n)) {
					sgz_err_set(err, SGZ_EUSAGE,
						    _("%s is not an sgz backup: %s is not text"), what,
						    name);
					return -1;
				}
				sb_addn(sb, buf, n);
				left -= n;
			}
		} else {
			char *path = xasprintf("%s/%s", dir, M_DUMP);
			int fd =
			    open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (fd < 0) {
				sgz_err_set(err, SGZ_EUSAGE, _("cannot create %s: %s"), path,
					    strerror(errno));
				free(path);
				return -1;
			}
			for (uint64_t left = size; left;) {
				size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
				if (read_exact(in, buf, n) < 0) {
					close(fd);
					free(path);
					goto truncated;
				}
				if (write_all(fd, buf, n) < 0) {
					sgz_err_set(err, SGZ_EUSAGE, _("cannot write %s: %s"), path,
						    strerror(errno));
					close(fd);
					free(path);
					return -1;
				}
				left -= n;
			}
			if (close(fd) < 0) {
				sgz_err_set(err, SGZ_EUSAGE, _("cannot write %s: %s"), path,
					    strerror(errno));
				free(path);
				return -1;
			}
			free(path);
		}
		size_t pad = tar_padding(size);
		if (pad && read_exact(in, buf, pad) < 0)
			goto truncated;
	}
	if (seen != 7) {
		sgz_err_set(err, SGZ_EDATA, _("%s is incomplete: it has no %s"), what,
			    !(seen & 2) ? M_ROLES : M_DUMP);
		return -1;
	}
	return 0;
truncated:
	if (ferror(in))
		sgz_err_set(err, SGZ_EUSAGE, _("cannot read %s: %s"), what, strerror(errno));
	else if (!seen)
		sgz_err_set(err, SGZ_EUSAGE, _("%s is not an sgz backup: it is too short"), what);
	else
		sgz_err_set(err, SGZ_EDATA, _("%s is truncated: it ends inside %s"), what, name);
	return -1;
}

/* COPY ... TO STDOUT into sb. 0, or -1 with err set. */
static int copy_out(struct db *db, const char *sql, struct strbuf *sb, struct sgz_err *err)
{
	PGconn *conn = db_pgconn(db);
	PGresult *res = db_pq_exec(db, sql);
	char *buf;
	int len, rc = 0;

	if (!res || PQresultStatus(res) != PGRES_COPY_OUT) {
		db_result_error(res, err);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	while ((len = PQgetCopyData(conn, &buf, 0)) > 0) {
		sb_addn(sb, buf, (size_t)len);
		PQfreemem(buf);
	}
	while ((res = PQgetResult(conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0) {
			db_result_error(res, err);
			rc = -1;
		}
		PQclear(res);
	}
	if (len == -2 && rc == 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s", PQerrorMessage(conn));
		rc = -1;
	}
	return rc;
}

/* ---- backup ---- */

/* Runs pg_dump into dir/database.dump in the snapshot. 0, or -1. */
static int run_pg_dump(struct db *db, const char *dir, const char *snapshot, struct sgz_err *err)
{
	char *tool = find_tool(PQserverVersion(db_pgconn(db)) / 10000, "pg_dump", err);
	if (!tool)
		return -1;
	char *snap = xasprintf("--snapshot=%s", snapshot);
	char *file = xasprintf("--file=%s/%s", dir, M_DUMP);
	const char *argv[] = {tool,
			      "--format=custom",
			      "--schema=sgz",
			      "--enable-row-security",
			      "--no-password",
			      snap,
			      file,
			      NULL};
	char **env = tool_env(db_pgconn(db), "sgz backup");
	int rc = -1;

	pid_t pid = spawn(argv, env, -1, -1, err);
	if (pid > 0) {
		int st = wait_for(pid);
		if (st == 0)
			rc = 0;
		else
			sgz_err_set(err, SGZ_EUSAGE,
				    _("%s failed (exit status %d); nothing was written"), tool, st);
	}
	free_env(env);
	free(file);
	free(snap);
	free(tool);
	return rc;
}

/* Takes the manifest, the roles and the dump, in one snapshot. */
static int take(struct db *db, const char *dir, struct strbuf *manifest, struct strbuf *roles,
		struct backup_summary *sum, struct sgz_err *err)
{
	PGresult *res = NULL, *counts = NULL;
	struct manifest m = {0};
	int rc = -1;

	if (db_exec(db, begin_sql, 0, NULL, err) < 0)
		return -1;
	if (db_exec(db, no_timeouts_sql, 0, NULL, err) < 0)
		goto out;
	if (!(res = db_query(db, snapshot_sql, 0, NULL, err)))
		goto out;
	sum->created = xstrdup(PQgetvalue(res, 0, 1));
	sum->database = xstrdup(PQgetvalue(res, 0, 2));
	sum->owner = xstrdup(PQgetvalue(res, 0, 3));
	sum->schema = xstrdup(PQgetvalue(res, 0, 4));
	sum->users = atol(PQgetvalue(res, 0, 6));
	sb_adds(manifest, "sgz-backup 1\n");
	add_value(manifest, "created", sum->created);
	add_value(manifest, "database", sum->database);
	add_value(manifest, "owner", sum->owner);
	add_value(manifest, "schema", sum->schema);
	add_value(manifest, "server", PQgetvalue(res, 0, 5));
	add_value(manifest, "sgz", PACKAGE_VERSION);
	sb_addf(manifest, "users %ld\n", sum->users);

	if (copy_out(db, roles_sql, roles, err) < 0)
		goto out;
	if (!copy_data_safe(sb_str(roles))) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("a role name or setting holds a line \"\\.\", which a restore cannot "
			    "read back: change it first"));
		goto out;
	}

	PGresult *q = db_query(db, counts_sql, 0, NULL, err);
	if (!q)
		goto out;
	if (PQgetisnull(q, 0, 0)) {
		PQclear(q);
		sgz_err_set(err, SGZ_EUSAGE, _("the schema sgz holds no tables: nothing to back up"));
		goto out;
	}
	counts = db_query(db, PQgetvalue(q, 0, 0), 0, NULL, err);
	PQclear(q);
	if (!counts)
		goto out;
	for (int i = 0; i < PQntuples(counts); i++) {
		const char *t = PQgetvalue(counts, i, 0);
		if (!plain_name(t))
			continue;
		sb_addf(manifest, "rows %s %s\n", t, PQgetvalue(counts, i, 1));
		m.rows = xreallocarray(m.rows, m.nrows + 1, sizeof(*m.rows));
		m.rows[m.nrows].name = xstrdup(t);
		m.rows[m.nrows++].n = atoll(PQgetvalue(counts, i, 1));
	}
	count_rows(&m, sum);

	if (run_pg_dump(db, dir, PQgetvalue(res, 0, 0), err) < 0)
		goto out;
	rc = db_commit(db, err);
out:
	if (rc < 0)
		db_rollback(db);
	manifest_free(&m);
	PQclear(counts);
	PQclear(res);
	return rc;
}

/* Writes the archive to out. 0, or -1 with err set. */
static int write_archive(FILE *out, const char *dir, const struct strbuf *manifest,
			 const struct strbuf *roles, struct sgz_err *err)
{
	static const unsigned char zeros[2 * TAR_BLOCK];
	time_t now = time(NULL);
	char *dump = xasprintf("%s/%s", dir, M_DUMP);
	int rc = -1;

	if (put_text(out, M_MANIFEST, manifest, now) < 0 ||
	    put_text(out, M_ROLES, roles, now) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot write the backup: %s"), strerror(errno));
		goto out;
	}
	if (put_file(out, M_DUMP, dump, now, err) < 0)
		goto out;
	if (fwrite(zeros, 1, sizeof(zeros), out) != sizeof(zeros) || fflush(out) != 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot write the backup: %s"), strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(dump);
	return rc;
}

int backup_take(struct db *db, const char *path, struct backup_summary *sum, struct sgz_err *err)
{
	struct strbuf manifest = {0}, roles = {0};
	PGresult *res = NULL;
	char *dir = NULL, *tmp = NULL;
	FILE *out = NULL;
	int to_stdout = strcmp(path, "-") == 0, rc = -1;

	memset(sum, 0, sizeof(*sum));
	if (to_stdout && isatty(STDOUT_FILENO)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("a backup is not for a terminal: give a file, or redirect standard "
			    "output"));
		return -1;
	}
	if (!(res = db_query(db, who_sql, 0, NULL, err)))
		return -1;
	if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 3), "t") != 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("database %s holds no schema sgz: nothing to back up"),
			    PQntuples(res) == 1 ? PQgetvalue(res, 0, 4) : "?");
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0 && strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("permission denied: only the owner of the schema sgz (%s) or a "
			    "superuser takes a backup, not %s"),
			    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 5));
		goto out;
	}
	if (!(dir = make_tmpdir(err)))
		goto out;
	if (take(db, dir, &manifest, &roles, sum, err) < 0)
		goto out;

	if (to_stdout) {
		if (write_archive(stdout, dir, &manifest, &roles, err) < 0)
			goto out;
	} else {
		tmp = xasprintf("%s.XXXXXX", path);
		int fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0 || !(out = fdopen(fd, "wb"))) {
			sgz_err_set(err, SGZ_EUSAGE, _("cannot create a file beside %s: %s"), path,
				    strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			tmp = NULL;
			goto out;
		}
		if (write_archive(out, dir, &manifest, &roles, err) < 0)
			goto out;
		int bad = fsync(fileno(out)) < 0;
		if (fclose(out) != 0)
			bad = 1;
		out = NULL;
		if (bad) {
			sgz_err_set(err, SGZ_EUSAGE, _("cannot write %s: %s"), path, strerror(errno));
			goto out;
		}
		if (rename(tmp, path) < 0) {
			sgz_err_set(err, SGZ_EUSAGE, _("cannot write %s: %s"), path, strerror(errno));
			goto out;
		}
		free(tmp);
		tmp = NULL;
	}
	rc = 0;
out:
	if (out)
		fclose(out);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	remove_tmpdir(dir);
	sb_free(&manifest);
	sb_free(&roles);
	PQclear(res);
	return rc;
}

/* ---- restore ---- */

/* What the database says of the backup's roles and the target. */
struct target {
	int superuser;
	char *user;
	char *owner;
	int has_schema;
	char *taken;   /* users of the backup whose names are others' here */
	char *missing; /* roles the restore creates */
	char *database;
};

static void target_free(struct target *t)
{
	free(t->user);
	free(t->owner);
	free(t->taken);
	free(t->missing);
	free(t->database);
}

static char *value_or_null(const PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) ? NULL : xstrdup(PQgetvalue(res, 0, col));
}

/* Loads roles.csv into a temporary table of sgz's connection, which also
 * checks its shape, and asks about the target. Changes nothing. */
static int check_target(struct db *db, const struct strbuf *roles, struct target *t,
			struct sgz_err *err)
{
	PGresult *res = NULL;
	int rc = -1;

	if (db_begin(db, err) < 0)
		return -1;
	if (db_exec(db, role_table_sql, 0, NULL, err) < 0 ||
	    db_copy_begin(db, role_copy_sql, err) < 0)
		goto out;
	if (db_copy_put(db, roles->buf ? roles->buf : "", roles->len, err) < 0) {
		db_copy_end(db, "sgz restore: cannot send the roles", err);
		goto out;
	}
	if (db_copy_end(db, NULL, err) < 0) {
		char *msg = msg_tr(err->msg);
		sgz_err_set(err, SGZ_EDATA, _("%s of the backup is damaged: %s"), M_ROLES, msg);
		free(msg);
		goto out;
	}
	if (!(res = db_query(db, restore_check_sql, 0, NULL, err)))
		goto out;
	if (PQntuples(res) != 1) {
		sgz_err_set(err, SGZ_EUSAGE, _("the session's role is not in pg_roles"));
		goto out;
	}
	if (strcmp(PQgetvalue(res, 0, 3), "1") != 0 || strcmp(PQgetvalue(res, 0, 4), "1") != 0) {
		sgz_err_set(err, SGZ_EDATA,
			    _("%s of the backup is damaged: it names no owner of the schema"),
			    M_ROLES);
		goto out;
	}
	t->superuser = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	t->user = xstrdup(PQgetvalue(res, 0, 1));
	t->owner = value_or_null(res, 2);
	t->has_schema = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
	t->taken = value_or_null(res, 6);
	t->database = xstrdup(PQgetvalue(res, 0, 7));
	t->missing = value_or_null(res, 8);
	rc = 0;
out:
	PQclear(res);
	db_rollback(db);
	return rc;
}

/* psql's input before pg_restore's script. Caller frees. */
static char *restore_prelude(const struct strbuf *roles, const struct manifest *m, int force)
{
	struct strbuf sb = {0};

	sb_adds(&sb, prelude_sql);
	sb_addf(&sb, "%s;\n%s;\n", role_table_sql, role_copy_sql);
	sb_addn(&sb, roles->buf ? roles->buf : "", roles->len);
	if (roles->len && roles->buf[roles->len - 1] != '\n')
		sb_addc(&sb, '\n');
	sb_adds(&sb, "\\.\n");
	sb_adds(&sb, rows_table_sql);
	for (size_t i = 0; i < m->nrows; i++)
		sb_addf(&sb, "%s,%lld\n", m->rows[i].name, m->rows[i].n);
	sb_adds(&sb, "\\.\n");
	sb_adds(&sb, roles_do_sql);
	if (force)
		sb_adds(&sb, drop_schema_sql);
	return sb_detach(&sb);
}

/* pg_restore's script, between the prelude and the postlude, into psql.
 * The postlude (and its COMMIT) is written only if pg_restore ended well:
 * psql reaching the end of its input inside the transaction rolls it
 * back. Returns psql's exit status, or -1 with err set if pg_restore or
 * the plumbing failed. */
static int run_restore(struct db *db, const char *dir, const char *prelude, struct sgz_err *err)
{
	int major = PQserverVersion(db_pgconn(db)) / 10000;
	char *pg_restore = NULL, *psql = NULL, *archive = NULL, **env = NULL;
	int from[2] = {-1, -1}, to[2] = {-1, -1};
	pid_t rpid = -1, ppid = -1;
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	int rc = -1, psql_st = -1, piped = 0;

	if (!(pg_restore = find_tool(major, "pg_restore", err)) ||
	    !(psql = find_tool(major, "psql", err)))
		goto out;
	archive = xasprintf("%s/%s", dir, M_DUMP);
	env = tool_env(db_pgconn(db), "sgz restore");
	if (pipe2(from, O_CLOEXEC) < 0 || pipe2(to, O_CLOEXEC) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot make a pipe: %s"), strerror(errno));
		goto out;
	}
	/* psql gone early must not kill sgz: the write says EPIPE instead */
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	piped = 1;

	const char *psql_argv[] = {
	    psql,	"--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1",
	    "--file=-", NULL};
	const char *restore_argv[] = {pg_restore, "--file=-", archive, NULL};
	if ((ppid = spawn(psql_argv, env, to[0], -1, err)) < 0)
		goto out;
	close(to[0]);
	to[0] = -1;
	if ((rpid = spawn(restore_argv, env, -1, from[1], err)) < 0)
		goto out;
	close(from[1]);
	from[1] = -1;

	int broken = write_all(to[1], prelude, strlen(prelude)) < 0;
	char buf[65536];
	while (!broken) {
		ssize_t r = read(from[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		broken = write_all(to[1], buf, (size_t)r) < 0;
	}
	close(from[0]);
	from[0] = -1;
	if (broken)
		kill(rpid, SIGTERM);
	int restore_st = wait_for(rpid);
	rpid = -1;
	if (!broken && restore_st == 0)
		broken = write_all(to[1], postlude_sql, strlen(postlude_sql)) < 0;
	close(to[1]);
	to[1] = -1;
	psql_st = wait_for(ppid);
	ppid = -1;
	if (restore_st != 0 && !broken) {
		sgz_err_set(err, SGZ_EDATA,
			    _("%s failed (exit status %d) reading the backup's dump: nothing was "
			    "restored"),
			    pg_restore, restore_st);
		goto out;
	}
	rc = psql_st;
out:
	for (int i = 0; i < 2; i++) {
		if (from[i] >= 0)
			close(from[i]);
		if (to[i] >= 0)
			close(to[i]);
	}
	if (rpid > 0) {
		kill(rpid, SIGTERM);
		wait_for(rpid);
	}
	if (ppid > 0) {
		kill(ppid, SIGTERM);
		wait_for(ppid);
	}
	if (piped)
		sigaction(SIGPIPE, &old, NULL);
	free_env(env);
	free(archive);
	free(psql);
	free(pg_restore);
	return rc;
}

int backup_restore(struct db *db, const char *path, int force, struct backup_summary *sum,
		   struct sgz_err *err)
{
	struct strbuf manifest = {0}, roles = {0};
	struct manifest m = {0};
	struct target t = {0};
	int from_stdin = strcmp(path, "-") == 0, rc = -1;
	char *dir = NULL, *prelude = NULL;
	FILE *in = NULL;

	memset(sum, 0, sizeof(*sum));
	if (from_stdin) {
		if (isatty(STDIN_FILENO)) {
			sgz_err_set(err, SGZ_EUSAGE,
				    _("give the backup file, or redirect standard input from it"));
			return -1;
		}
		in = stdin;
	} else if (!(in = fopen(path, "rb"))) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot open %s: %s"), path, strerror(errno));
		return -1;
	}
	if (!(dir = make_tmpdir(err)))
		goto out;
	if (read_archive(in, from_stdin ? "standard input" : path, dir, &manifest, &roles, err) < 0)
		goto out;
	if (manifest_parse(sb_str(&manifest), sum, &m, err) < 0)
		goto out;
	if (!copy_data_safe(sb_str(&roles))) {
		sgz_err_set(err, SGZ_EDATA, _("%s of the backup is damaged: a line \"\\.\""), M_ROLES);
		goto out;
	}
	if (check_target(db, &roles, &t, err) < 0)
		goto out;
	if (!t.superuser && (!t.owner || strcmp(t.user, t.owner) != 0)) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("permission denied: restore as the owner of the backup's schema sgz "
			    "(%s) or as a superuser, not as %s"),
			    t.owner ? t.owner : "?", t.user);
		goto out;
	}
	if (t.has_schema && !force) {
		sgz_err_set(err, SGZ_EDATA,
			    _("database %s already holds the schema sgz, which the restore would "
			    "replace with all its data and audit trail: nothing was restored. "
			    "Restore into an empty database (createdb -O %s NAME), or give "
			    "--force to replace it"),
			    t.database, t.owner ? t.owner : "OWNER");
		goto out;
	}
	if (t.taken) {
		sgz_err_set(err, SGZ_EDATA,
			    _("the backup's users %s have namesakes in this cluster that sgz did "
			    "not create: nothing was restored. Drop or rename those roles, or "
			    "GRANT sgz_users TO them to hand them to sgz"),
			    t.taken);
		goto out;
	}
	if (t.missing)
		log_msg(LOG_INFO, "restore creates the roles %s", t.missing);
	prelude = restore_prelude(&roles, &m, force);
	int st = run_restore(db, dir, prelude, err);
	if (st < 0)
		goto out;
	if (st != 0) {
		sgz_err_set(err, SGZ_EDATA,
			    _("the restore failed (psql's message is above) and was rolled back: "
			    "database %s and the roles are as they were"),
			    t.database);
		goto out;
	}
	rc = 0;
out:
	if (in && in != stdin)
		fclose(in);
	free(prelude);
	target_free(&t);
	manifest_free(&m);
	remove_tmpdir(dir);
	sb_free(&manifest);
	sb_free(&roles);
	return rc;
}
