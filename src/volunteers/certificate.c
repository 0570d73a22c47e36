/* certificate.c - what a volunteer's service certificate says, read as its
 * user may read it: the volunteer from sgz.volunteer_v (the ID number
 * masked), the hours by year from sgz.hours_year_total_v, the services from
 * sgz.hours_v, all in the user's scope and in one snapshot; and the issue
 * filed in the audit trail (sgz.audit_event()). The drawing is
 * certificate_pdf.c's, in a program of its own (sgz-certificate-pdf) that
 * certificate_pdf_write() runs. */
#include "config.h"

#include "sgz/certificate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sgz/db.h"
#include "sgz/validate.h"

/* The station's name is the township's (sgz.station.name, else the
 * division's); the issuer is the station under its county's name. */
static const char volunteer_sql[] =
    "SELECT v.name, v.id_number, v.registered_on::text, v.station,\n"
    "       coalesce(nullif(s.name, ''), d.name, v.station),\n"
    "       coalesce(c.name, ''), current_date::text\n"
    "  FROM sgz.volunteer_v v\n"
    "  LEFT JOIN sgz.station s ON s.township = v.station\n"
    "  LEFT JOIN sgz.division d ON d.code = v.station\n"
    "  LEFT JOIN sgz.division c ON c.code = sgz.division_parent(v.station)\n"
    " WHERE v.pid = $1";

static const char years_sql[] = "SELECT t.year, sum(t.tenths)::bigint, sum(t.records)::bigint\n"
				"  FROM sgz.hours_year_total_v t\n"
				" WHERE t.volunteer_pid = $1\n"
				" GROUP BY t.year\n"
				"HAVING sum(t.records) > 0\n"
				" ORDER BY t.year";

/* The star thresholds in tenths, as the stars report reads them. */
static const char stars_sql[] =
    "SELECT ceil(10 * max(value) FILTER (WHERE key = 'star1_hours'))::bigint,\n"
    "       ceil(10 * max(value) FILTER (WHERE key = 'star2_hours'))::bigint,\n"
    "       ceil(10 * max(value) FILTER (WHERE key = 'star3_hours'))::bigint,\n"
    "       ceil(10 * max(value) FILTER (WHERE key = 'star4_hours'))::bigint,\n"
    "       ceil(10 * max(value) FILTER (WHERE key = 'star5_hours'))::bigint\n"
    "  FROM sgz.setting";

/* The latest services first (the list keeps the latest when a page cannot
 * hold them all); $2 the year, NULL for every year. */
static const char services_sql[] =
    "SELECT h.service_date::text, coalesce(h.activity, h.note, ''), (h.hours * 10)::bigint\n"
    "  FROM sgz.hours_v h\n"
    " WHERE h.volunteer_pid = $1\n"
    "   AND ($2::int IS NULL OR (h.service_date >= make_date($2::int, 1, 1)\n"
    "                            AND h.service_date < make_date($2::int + 1, 1, 1)))\n"
    " ORDER BY h.service_date DESC, h.activity DESC NULLS LAST\n"
    " LIMIT $3";

static const char lookup_sql[] =
    "SELECT l.pid FROM sgz.person_lookup('volunteers', ARRAY[$1::text]) l";

static const char audit_sql[] =
    "SELECT sgz.audit_event('export', 'sgz.volunteer',\n"
    "       jsonb_build_object('entity', 'volunteers', 'key', $1::text, 'pid', $2::bigint,\n"
    "                          'certificate', coalesce($3::text, 'all'),\n"
    "                          'hours', $4::numeric, 'records', $5::bigint,\n"
    "                          'file', $6::text),\n"
    "       $7::text)";

static void copy_date(char dst[11], const char *src)
{
	snprintf(dst, 11, "%s", src);
}

static const char *issuer_suffix(const char *name)
{
	static const char *const done[] = {"社会工作服务站", "社工站"};

	for (size_t i = 0; i < SGZ_ARRAY_LEN(done); i++) {
		size_t n = strlen(name), m = strlen(done[i]);
		if (n >= m && strcmp(name + n - m, done[i]) == 0)
			return "";
	}
	return "社会工作服务站";
}

static int load_volunteer(struct db *db, const char *pid, struct certificate *c,
			  struct sgz_err *err)
{
	const char *params[1] = {pid};
	PGresult *res = db_query(db, volunteer_sql, 1, params, err);

	if (!res)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		/* (msg_tr()) a volunteer by pid (#12) that the user's scope
		 * does not hold, or nobody holds */
		sgz_err_set(err, SGZ_EUSAGE, "no volunteer #%lld in your scope", c->pid);
		return -1;
	}
	c->name = xstrdup(PQgetvalue(res, 0, 0));
	c->id_number = xstrdup(PQgetvalue(res, 0, 1));
	copy_date(c->registered_on, PQgetvalue(res, 0, 2));
	c->station = xstrdup(PQgetvalue(res, 0, 3));
	c->station_name = xstrdup(PQgetvalue(res, 0, 4));
	/* the station's name is usually the issuer's already
	 * (东丽区张贵庄街道社会工作服务站) */
	const char *county = PQgetvalue(res, 0, 5);
	c->issuer =
	    xasprintf("%s%s%s", strncmp(c->station_name, county, strlen(county)) ? county : "",
		      c->station_name, issuer_suffix(c->station_name));
	copy_date(c->issued_on, PQgetvalue(res, 0, 6));
	PQclear(res);
	return 0;
}

static int load_years(struct db *db, const char *pid, struct certificate *c, struct sgz_err *err)
{
	const char *params[1] = {pid};
	PGresult *res = db_query(db, years_sql, 1, params, err);

	if (!res)
		return -1;
	c->nyears = (size_t)PQntuples(res);
	c->years = xcalloc(c->nyears ? c->nyears : 1, sizeof(*c->years));
	for (size_t i = 0; i < c->nyears; i++) {
		struct certificate_year *y = &c->years[i];
		y->year = atoi(PQgetvalue(res, (int)i, 0));
		y->tenths = strtoll(PQgetvalue(res, (int)i, 1), NULL, 10);
		y->records = strtol(PQgetvalue(res, (int)i, 2), NULL, 10);
		c->total_tenths += y->tenths;
		c->total_records += y->records;
		if (c->year == 0 || c->year == y->year) {
			c->listed_tenths += y->tenths;
			c->listed_records += y->records;
		}
	}
	PQclear(res);
	return 0;
}

static int load_star(struct db *db, struct certificate *c, struct sgz_err *err)
{
	PGresult *res = db_query(db, stars_sql, 0, NULL, err);

	if (!res)
		return -1;
	c->star = 0;
	c->next_star_tenths = 0;
	for (int i = 0; i < 5 && PQntuples(res) == 1; i++) {
		if (PQgetisnull(res, 0, i))
			break;
		long long need = strtoll(PQgetvalue(res, 0, i), NULL, 10);
		if (c->total_tenths < need) {
			c->next_star_tenths = need - c->total_tenths;
			break;
		}
		c->star = i + 1;
	}
	PQclear(res);
	return 0;
}

static int load_services(struct db *db, const char *pid, struct certificate *c, struct sgz_err *err)
{
	char year[16], limit[16];
	const char *params[3] = {pid, NULL, limit};

	if (c->year) {
		snprintf(year, sizeof(year), "%d", c->year);
		params[1] = year;
	}
	snprintf(limit, sizeof(limit), "%d", CERTIFICATE_SERVICES_MAX);
	PGresult *res = db_query(db, services_sql, 3, params, err);
	if (!res)
		return -1;
	size_t n = (size_t)PQntuples(res);
	c->services = xcalloc(n ? n : 1, sizeof(*c->services));
	c->nservices = n;
	/* oldest first */
	for (size_t i = 0; i < n; i++) {
		struct certificate_service *s = &c->services[n - 1 - i];
		copy_date(s->date, PQgetvalue(res, (int)i, 0));
		s->title = xstrdup(PQgetvalue(res, (int)i, 1));
		s->tenths = strtoll(PQgetvalue(res, (int)i, 2), NULL, 10);
	}
	PQclear(res);
	return 0;
}

int certificate_load(struct db *db, long long pid, int year, struct certificate **out,
		     struct sgz_err *err)
{
	struct certificate *c = xcalloc(1, sizeof(*c));
	char pidbuf[24];
	int rc = -1;

	*out = NULL;
	c->pid = pid;
	c->year = year;
	snprintf(pidbuf, sizeof(pidbuf), "%lld", pid);
	/* one snapshot: the totals and the list agree */
	if (db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, err) < 0)
		goto out;
	if (load_volunteer(db, pidbuf, c, err) < 0 || load_years(db, pidbuf, c, err) < 0 ||
	    load_star(db, c, err) < 0 || load_services(db, pidbuf, c, err) < 0) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db, err) < 0)
		goto out;
	*out = c;
	c = NULL;
	rc = 0;
out:
	certificate_free(c);
	return rc;
}

int certificate_find(struct db *db, const char *arg, long long *pid, struct sgz_err *err)
{
	char id[IDNUM_LEN + 1];
	char *end;

	if (arg[0] == '#') {
		errno = 0;
		long long v = strtoll(arg + 1, &end, 10);
		if (arg[1] >= '0' && arg[1] <= '9' && *end == '\0' && errno == 0 && v > 0) {
			*pid = v;
			return 0;
		}
	} else if (idnum_normalize(arg, id, NULL, NULL) == 0) {
		const char *params[1] = {id};
		PGresult *res = db_query(db, lookup_sql, 1, params, err);
		if (!res)
			return -1;
		if (PQntuples(res) == 1) {
			*pid = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
			PQclear(res);
			return 0;
		}
		PQclear(res);
		char masked[IDNUM_LEN + 1];
		idnum_mask(id, masked);
		/* (msg_tr()) a volunteer by ID number (masked) that the
		 * user's scope does not hold */
		sgz_err_set(err, SGZ_EUSAGE, "no volunteer %s in your scope", masked);
		return -1;
	}
	/* (msg_tr()) what names a volunteer on the command line */
	sgz_err_set(err, SGZ_EUSAGE,
		    "'%s' names no volunteer: give the ID number in full or #PID (the "
		    "volunteer's pid, as lists show it)",
		    arg);
	return -1;
}

int certificate_audit(struct db *db, const struct certificate *c, const char *file,
		      struct sgz_err *err)
{
	char pid[24], year[16], hours[32], records[24];
	const char *params[7] = {c->id_number, pid, NULL, hours, records, file, c->station};

	snprintf(pid, sizeof(pid), "%lld", c->pid);
	if (c->year) {
		snprintf(year, sizeof(year), "%d", c->year);
		params[2] = year;
	}
	snprintf(hours, sizeof(hours), "%lld.%lld", c->total_tenths / 10, c->total_tenths % 10);
	snprintf(records, sizeof(records), "%ld", c->listed_records);
	return db_exec(db, audit_sql, 7, params, err);
}

bool certificate_pdf_path(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && strcasecmp(path + n - 4, ".pdf") == 0;
}

/* ---- the drawing, in sgz-certificate-pdf ---- */

extern char **environ;

static const char *drawer;

void certificate_set_drawer(const char *path)
{
	drawer = path;
}

/* What the drawer said on standard error, at most this much. */
#define DRAWER_ERR_MAX 2048

/* The last line of text that is not empty, trimmed, in place. */
static const char *last_line(char *text)
{
	char *end = text + strlen(text);

	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	char *nl = strrchr(text, '\n');
	return nl ? nl + 1 : text;
}

/* Feeds in[0, len) to fd_in, copies fd_out into out and fd_err into msg,
 * until the drawer closes both. 0, or an errno value (out's write). */
static int exchange(const char *in, size_t len, int fd_in, int fd_out, int fd_err, FILE *out,
		    struct strbuf *msg)
{
	struct pollfd p[3] = {
	    {.fd = fd_out, .events = POLLIN},
	    {.fd = fd_err, .events = POLLIN},
	    {.fd = fd_in, .events = POLLOUT},
	};
	size_t off = 0;
	char buf[16384];
	int e = 0;

	if (len == 0) {
		close(fd_in);
		p[2].fd = -1;
	}
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (p[2].fd >= 0 && p[2].revents) {
			ssize_t n = write(fd_in, in + off, len - off);
			if (n > 0)
				off += (size_t)n;
			/* EPIPE: the drawer stopped reading; it says why */
			if ((n < 0 && errno != EINTR && errno != EAGAIN) || off == len) {
				close(fd_in);
				p[2].fd = -1;
			}
		}
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			ssize_t n = read(p[i].fd, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
			} else if (i == 0) {
				if (!e && fwrite(buf, 1, (size_t)n, out) != (size_t)n)
					e = errno ? errno : EIO;
			} else if (msg->len < DRAWER_ERR_MAX) {
				sb_addn(msg, buf, (size_t)n);
			}
		}
	}
	if (p[2].fd >= 0)
		close(p[2].fd);
	return e;
}

int certificate_pdf_write(const struct certificate *c, FILE *out, struct sgz_err *err)
{
	int in[2] = {-1, -1}, pdf[2] = {-1, -1}, msg[2] = {-1, -1};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	struct strbuf said = {0};
	sigset_t none, def;
	char *text = NULL;
	size_t len = 0;
	pid_t pid;
	int rc = -1, e, st;

	if (!drawer) {
		sgz_err_set(err, SGZ_EUSAGE, "the PDF could not be written: %s",
			    "sgz-certificate-pdf is not known to this program");
		return -1;
	}
	FILE *mem = open_memstream(&text, &len);
	if (!mem || certificate_write_text(c, mem) < 0 || fclose(mem) != 0) {
		sgz_err_set(err, SGZ_EUSAGE, "the PDF could not be written: %s", strerror(errno));
		free(text);
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(pdf, O_CLOEXEC) < 0 || pipe2(msg, O_CLOEXEC) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "the PDF could not be written: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pdf[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, msg[1], STDERR_FILENO);
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	/* the interface's signals are its own: the drawer starts plain */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	const char *argv[] = {drawer, NULL};
	/* posix_spawn() takes char *const[] for history's sake; it writes nothing */
	e = posix_spawn(&pid, drawer, &fa, &attr, (char *const *)argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(pdf[1]);
	close(msg[1]);
	in[0] = pdf[1] = msg[1] = -1;
	if (e != 0) {
		char *why = xasprintf("%s: %s", drawer, strerror(e));
		sgz_err_set(err, SGZ_EUSAGE, "the PDF could not be written: %s", why);
		free(why);
		goto out;
	}
	fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	/* a drawer that ends before it read everything must not end sgz */
	sigaction(SIGPIPE, &ign, &old);
	e = exchange(text, len, in[1], pdf[0], msg[0], out, &said);
	sigaction(SIGPIPE, &old, NULL);
	in[1] = pdf[0] = msg[0] = -1; /* exchange() closed them */
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	char *said_text = xstrdup(sb_str(&said));
	const char *why = last_line(said_text);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && e == 0) {
		rc = 0;
	} else if (e != 0) {
		sgz_err_set(err, SGZ_EUSAGE, "the PDF could not be written: %s", strerror(e));
	} else if (*why) {
		sgz_err_set(err, SGZ_EUSAGE, "%s", why);
	} else {
		char status[64];
		snprintf(status, sizeof(status), "%s ended with status %d", drawer,
			 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		sgz_err_set(err, SGZ_EUSAGE, "the PDF could not be written: %s", status);
	}
	free(said_text);
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (pdf[i] >= 0)
			close(pdf[i]);
		if (msg[i] >= 0)
			close(msg[i]);
	}
	sb_free(&said);
	free(text);
	return rc;
}
