/* demo.c - the built-in demo: a private PostgreSQL cluster of the system's
 * PostgreSQL, in the user's state directory, reachable only through a Unix
 * socket inside the cluster directory (listen_addresses = '').
 *
 * Layout (STATE is sgz_state_dir()):
 *   STATE/demo            the cluster (PGDATA, socket directory, server.log)
 *   STATE/demo.log        what initdb and pg_ctl printed
 *   STATE/demo.lock       flock()ed while a demo is being prepared or stopped
 *
 * As root the server runs as the postgres system user, never as root. That
 * user must reach the cluster directory; /root is 0700 on Debian, so when it
 * cannot (tested by a child that drops to postgres and calls access()), the
 * cluster lives in /var/lib/sgz/demo-HASH and STATE/demo is a symbolic link
 * to it. HASH (16 hex digits of FNV-1a over the state directory's real
 * path) gives every state directory a cluster of its own: two people
 * working as root with their own XDG_STATE_HOME never share one, nor stop
 * or reset each other's, and nothing they set becomes part of a path but
 * as hex digits. An earlier sgz put every such cluster in
 * /var/lib/sgz/demo; a link to it is still followed, but --reset leaves
 * that shared cluster to whoever else uses it and builds one of its own.
 *
 * The server trusts every local connection: safe because the socket sits in
 * the cluster directory, 0700 and owned by the server's user. The superuser
 * role is the invoking login name, so the audit trail names the real user.
 * The tools run through fork/exec (no shell) with the PG* environment
 * removed: the demo talks to its own cluster, never to $PGHOST. */
#include "config.h"

#include "sgz/demo.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sgz/db.h"
#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/message.h"
#include "sgz/migrate.h"
#include "sgz/transfer.h"

#define SERVER_USER   "postgres"	  /* who runs the server when we are root */
#define ROOT_CLUSTERS "/var/lib/sgz"	  /* root's clusters when STATE is out of reach */
#define OLD_CLUSTER   "/var/lib/sgz/demo" /* an earlier sgz's one for every state directory */
#define DEMO_PORT     "5432"		  /* only names the socket file: nothing listens on TCP */
#define CLUSTER_MARK  "sgz-demo-cluster"  /* initdb and our settings completed */
#define LOADED_MARK   "sgz-demo-loaded"	  /* the demo data set was loaded */
#define STATE_MARK    "sgz-demo-state"	  /* whose: the state directory, for administrators */
#define DEMO_DB	      "sgz"
#define START_TIMEOUT "60" /* seconds pg_ctl waits for the server */

/* pg_ctl status exit codes. */
enum { PGCTL_RUNNING = 0, PGCTL_STOPPED = 3, PGCTL_NO_DIR = 4 };

struct demo {
	const struct demo_opts *opts;
	char *state; /* sgz_state_dir() */
	char *home;  /* STATE/demo: the cluster or a link to it */
	char *dir;   /* the cluster directory itself */
	int linked;  /* home is (to be) a symbolic link to dir */
	char *log;   /* STATE/demo.log */
	int log_fd;
	int lock_fd;
	char *initdb, *pg_ctl;
	char *role; /* the bootstrap superuser: the invoking login name */
	/* The server's system user when we are root; else server_uid == -1. */
	uid_t server_uid;
	gid_t server_gid;
	char *server_name;
};

static void demo_init(struct demo *d, const struct demo_opts *opts)
{
	memset(d, 0, sizeof(*d));
	d->opts = opts;
	d->log_fd = -1;
	d->lock_fd = -1;
	d->server_uid = (uid_t)-1;
	d->server_gid = (gid_t)-1;
}

static void demo_release(struct demo *d)
{
	if (d->lock_fd >= 0)
		close(d->lock_fd); /* releases the flock */
	if (d->log_fd >= 0)
		close(d->log_fd);
	free(d->state);
	free(d->home);
	free(d->dir);
	free(d->log);
	free(d->initdb);
	free(d->pg_ctl);
	free(d->role);
	free(d->server_name);
	demo_init(d, d->opts);
}

static int as_root(const struct demo *d)
{
	return d->server_uid != (uid_t)-1;
}

SGZ_PRINTF(2, 3) static void progress(const struct demo *d, const char *fmt, ...)
{
	va_list ap;

	if (d->opts->quiet)
		return;
	fputs("sgz demo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A line in the tools' log, so its readers see which command said what. */
SGZ_PRINTF(2, 3) static void log_line(const struct demo *d, const char *fmt, ...)
{
	struct strbuf sb = {0};
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (d->log_fd < 0)
		return;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	sb_addf(&sb, "--- %s ", stamp);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	sb_addc(&sb, '\n');
	if (write(d->log_fd, sb.buf, sb.len) < 0) {
		/* the log is a courtesy; the command's own status decides */
	}
	sb_free(&sb);
}

/* 44699 -> "44,699". */
static const char *thousands(long n, char *buf, size_t size)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%ld", n);
	size_t o = 0;

	for (int i = 0; i < len && o + 2 < size; i++) {
		if (i > 0 && digits[i - 1] != '-' && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* The demo must not follow pg_virtualenv's or anyone's PGHOST, PGPORT,
 * PGOPTIONS, PGSERVICE...: neither the tools we run nor our own libpq. */
static void clear_pg_environment(void)
{
	for (;;) {
		char *name = NULL;

		for (char **e = environ; e && *e; e++) {
			if (strncmp(*e, "PG", 2) == 0 && strchr(*e, '=')) {
				name = xstrndup(*e, (size_t)(strchr(*e, '=') - *e));
				break;
			}
		}
		if (!name)
			return;
		unsetenv(name);
		free(name);
	}
}

static int drop_to_server_user(const struct demo *d)
{
	if (initgroups(d->server_name, d->server_gid) < 0 || setgid(d->server_gid) < 0 ||
	    setuid(d->server_uid) < 0)
		return -1;
	if (getuid() != d->server_uid || geteuid() != d->server_uid)
		return -1;
	return 0;
}

/* Waits for pid; returns its exit status, 128 + signal, or -1. */
static int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Can the server's user reach (search) path? Asked of a child that becomes
 * that user, so group memberships and ACLs count as they will for the server.
 * The answer comes through a pipe, not the exit status, which a tool such as
 * valgrind may replace. */
static int server_user_can_reach(const struct demo *d, const char *path)
{
	char answer = 'n';
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return 0;
	pid = fork();
	if (pid == 0) {
		answer = drop_to_server_user(d) == 0 && access(path, X_OK) == 0 ? 'y' : 'n';
		_exit(write(fds[1], &answer, 1) == 1 ? 0 : 1);
	}
	close(fds[1]);
	if (pid > 0) {
		while (read(fds[0], &answer, 1) < 0 && errno == EINTR)
			;
		wait_child(pid);
	}
	close(fds[0]);
	return pid > 0 && answer == 'y';
}

/* Runs argv (argv[0] an absolute path) as the server's user, standard input
 * from /dev/null, output to the tools' log. Returns its exit status (127:
 * could not be run), or -1 with err set when it could not be started. */
static int run_tool(const struct demo *d, const char *const argv[], struct sgz_err *err)
{
	struct strbuf cmd = {0};
	pid_t pid;

	for (size_t i = 0; argv[i]; i++)
		sb_addf(&cmd, "%s%s", i ? " " : "", argv[i]);
	log_line(d, "%s", sb_str(&cmd));
	sb_free(&cmd);

	pid = fork();
	if (pid < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot start %s: %s"), argv[0], strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, STDIN_FILENO) < 0)
			_exit(127);
		if (d->log_fd >= 0) {
			if (dup2(d->log_fd, STDOUT_FILENO) < 0 ||
			    dup2(d->log_fd, STDERR_FILENO) < 0)
				_exit(127);
		} else {
			int out = open("/dev/null", O_WRONLY);
			if (out < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
				_exit(127);
		}
		/* Nothing of ours (the lock, libpq, the log) may outlive us in the
		 * postmaster that pg_ctl leaves running. */
		close_range(3, ~0U, 0);
		if (as_root(d) && drop_to_server_user(d) < 0) {
			dprintf(STDERR_FILENO, "sgz demo: cannot become user %s: %s\n",
				d->server_name, strerror(errno));
			_exit(127);
		}
		/* The server's user may not be able to read our working directory. */
		if (chdir("/") < 0)
			_exit(127);
		/* execv() takes char *const[] for history's sake; it writes nothing. */
		execv(argv[0], (char *const *)argv);
		dprintf(STDERR_FILENO, "sgz demo: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int rc = wait_child(pid);
	if (rc < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("waiting for %s: %s"), argv[0], strerror(errno));
		return -1;
	}
	log_line(d, "exit status %d", rc);
	return rc;
}

static int is_executable(const char *dir, const char *prog)
{
	char *path = xasprintf("%s/%s", dir, prog);
	int ok = access(path, X_OK) == 0;

	free(path);
	return ok;
}

/* opts->pg_bindir, else the newest /usr/lib/postgresql/N/bin with both tools. */
static int find_binaries(struct demo *d, struct sgz_err *err)
{
	const char *bindir = d->opts->pg_bindir;
	char *found = NULL;
	long best = -1;

	if (bindir && bindir[0]) {
		/* The tools run in / (see run_tool()): the path must not be relative. */
		if (bindir[0] != '/' || !is_executable(bindir, "initdb") ||
		    !is_executable(bindir, "pg_ctl")) {
			sgz_err_set(
			    err, SGZ_EUSAGE,
			    _("[demo] pg_bindir %s is not an absolute directory holding initdb "
			    "and pg_ctl: fix it, or leave it empty and install the Debian "
			    "package postgresql"),
			    bindir);
			return -1;
		}
		found = xstrdup(bindir);
	} else {
		DIR *top = opendir("/usr/lib/postgresql");
		struct dirent *de;

		while (top && (de = readdir(top)) != NULL) {
			char *end;
			long v = strtol(de->d_name, &end, 10);

			if (end == de->d_name || *end != '\0' || v <= best)
				continue;
			char *bin = xasprintf("/usr/lib/postgresql/%s/bin", de->d_name);
			if (is_executable(bin, "initdb") && is_executable(bin, "pg_ctl")) {
				free(found);
				found = bin;
				best = v;
			} else {
				free(bin);
			}
		}
		if (top)
			closedir(top);
		if (!found) {
			sgz_err_set(
			    err, SGZ_EUSAGE,
			    _("the PostgreSQL server is not installed (no initdb and pg_ctl in "
			    "/usr/lib/postgresql/N/bin): install the Debian package postgresql "
			    "(apt-get install postgresql), or set [demo] pg_bindir"));
			return -1;
		}
	}
	d->initdb = xasprintf("%s/initdb", found);
	d->pg_ctl = xasprintf("%s/pg_ctl", found);
	free(found);
	return 0;
}

/* The login name of the effective user (the bootstrap superuser's name). */
static int find_users(struct demo *d, struct sgz_err *err)
{
	struct passwd *pw = getpwuid(geteuid());

	if (!pw || !pw->pw_name || !pw->pw_name[0]) {
		sgz_err_set(err, SGZ_EUSAGE, _("user id %ld has no login name in the passwd database"),
			    (long)geteuid());
		return -1;
	}
	d->role = xstrdup(pw->pw_name);
	if (geteuid() != 0)
		return 0;
	pw = getpwnam(SERVER_USER);
	if (!pw) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("as root the demo server runs as the system user %s, which does not exist: "
			      "install the Debian package postgresql"),
			    SERVER_USER);
		return -1;
	}
	d->server_uid = pw->pw_uid;
	d->server_gid = pw->pw_gid;
	d->server_name = xstrdup(pw->pw_name);
	return 0;
}

/* The nearest existing ancestor of path (path itself if it exists) into buf
 * (on the stack: a forked child leaves it behind). 0, or -1 if too long. */
static int existing_ancestor(const char *path, char *buf, size_t size)
{
	struct stat st;

	if (snprintf(buf, size, "%s", path) >= (int)size)
		return -1;
	while (stat(buf, &st) < 0) {
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf) {
			strcpy(buf, "/");
			break;
		}
		*slash = '\0';
	}
	return 0;
}

/* The cluster of state directory state as root, when the server's user
 * cannot reach state: ROOT_CLUSTERS/demo-HASH (see the top). Caller frees. */
static char *root_cluster(const char *state)
{
	char real[PATH_MAX];
	const char *s = realpath(state, real) ? real : state;
	uint64_t h = 14695981039346656037ULL; /* FNV-1a, 64 bits */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return xasprintf("%s/demo-%016llx", ROOT_CLUSTERS, (unsigned long long)h);
}

/* Fills state, home, log and chooses dir (see the comment at the top). Does
 * not create anything. */
static int resolve_paths(struct demo *d, struct sgz_err *err)
{
	struct stat st;

	free(d->state);
	free(d->home);
	free(d->log);
	free(d->dir);
	d->dir = NULL;
	d->linked = 0;
	d->state = sgz_state_dir();
	if (d->state[0] != '/') {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("the state directory %s is not an absolute path: set HOME or "
			    "XDG_STATE_HOME to an absolute path"),
			    d->state);
		return -1;
	}
	d->home = xasprintf("%s/demo", d->state);
	d->log = xasprintf("%s/demo.log", d->state);

	int found = lstat(d->home, &st) == 0;
	int missing = !found && errno == ENOENT;

	if (found && S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(d->home, target, sizeof(target) - 1);

		if (n <= 0 || target[0] != '/') {
			sgz_err_set(err, SGZ_EUSAGE,
				    _("%s is a symbolic link sgz did not make: remove it, or run "
				    "'sgz demo --reset'"),
				    d->home);
			return -1;
		}
		target[n] = '\0';
		d->dir = xstrdup(target);
		d->linked = 1;
	} else if (missing && as_root(d)) {
		char reach[PATH_MAX];

		if (existing_ancestor(d->state, reach, sizeof(reach)) == 0 &&
		    server_user_can_reach(d, reach)) {
			d->dir = xstrdup(d->home);
		} else {
			d->dir = root_cluster(d->state);
			d->linked = 1;
		}
	} else {
		d->dir = xstrdup(d->home);
	}

	/* The socket path must fit sockaddr_un, and the directory must be a
	 * plain item of unix_socket_directories (a comma would split it). */
	size_t max =
	    sizeof(((struct sockaddr_un *)0)->sun_path) - 1 - strlen("/.s.PGSQL." DEMO_PORT);
	if (strlen(d->dir) > max) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("the demo directory %s is too long for a Unix socket (at most %zu "
			    "bytes): set XDG_STATE_HOME to a shorter directory"),
			    d->dir, max);
		return -1;
	}
	for (const char *s = d->dir; *s; s++) {
		if (*s == ',' || *s == '"' || (unsigned char)*s < 0x20) {
			sgz_err_set(err, SGZ_EUSAGE,
				    _("the demo directory %s holds a comma, a double quote or a "
				    "control character, which PostgreSQL cannot take as a socket "
				    "directory: set XDG_STATE_HOME to another directory"),
				    d->dir);
			return -1;
		}
	}
	return 0;
}

/* Creates the state directory, opens the tools' log and takes the lock. */
static int open_state(struct demo *d, struct sgz_err *err)
{
	char *lock = NULL;
	int rc = -1;

	if (sgz_mkdirs(d->state, 0700) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot create %s: %s"), d->state, strerror(errno));
		goto out;
	}
	d->log_fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
	if (d->log_fd < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot open %s: %s"), d->log, strerror(errno));
		goto out;
	}
	lock = xasprintf("%s/demo.lock", d->state);
	d->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (d->lock_fd < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot open %s: %s"), lock, strerror(errno));
		goto out;
	}
	if (flock(d->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			sgz_err_set(err, SGZ_EUSAGE, _("cannot lock %s: %s"), lock, strerror(errno));
			goto out;
		}
		progress(d, _("waiting for another 'sgz demo' to finish (%s)"), lock);
		while (flock(d->lock_fd, LOCK_EX) < 0) {
			if (errno != EINTR) {
				sgz_err_set(err, SGZ_EUSAGE, _("cannot lock %s: %s"), lock,
					    strerror(errno));
				goto out;
			}
		}
	}
	rc = 0;
out:
	free(lock);
	return rc;
}

static int file_exists(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	int rc = stat(path, &st) == 0;

	free(path);
	return rc;
}

/* Writes a marker file into the cluster directory, owned like the cluster. */
static int write_mark(const struct demo *d, const char *name, const char *text, struct sgz_err *err)
{
	char *path = xasprintf("%s/%s", d->dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0600);
	int rc = -1;

	if (fd < 0)
		goto fail;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fsync(fd) < 0)
		goto fail;
	if (as_root(d) && fchown(fd, d->server_uid, d->server_gid) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	sgz_err_set(err, SGZ_EUSAGE, _("cannot write %s: %s"), path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level == 0)
		return 0; /* the caller decides about the top */
	return remove(path) < 0 ? -1 : 0;
}

/* Removes everything inside dir (dir itself stays). 0 or -1 (errno set). */
static int empty_dir(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates the cluster directory (and the link to it) for the server's user. */
static int make_cluster_dir(struct demo *d, struct sgz_err *err)
{
	struct stat st;

	if (d->linked) {
		char *parent = xstrdup(d->dir);
		*strrchr(parent, '/') = '\0';
		if (parent[0] && stat(parent, &st) < 0) {
			/* Ours (/var/lib/sgz): searchable by the server's user,
			 * whatever the umask. */
			if (sgz_mkdirs(parent, 0755) < 0 || chmod(parent, 0755) < 0) {
				sgz_err_set(err, SGZ_EUSAGE, _("cannot create %s: %s"), parent,
					    strerror(errno));
				free(parent);
				return -1;
			}
		}
		free(parent);
	}
	if (mkdir(d->dir, 0700) < 0 && errno != EEXIST) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot create %s: %s"), d->dir, strerror(errno));
		return -1;
	}
	if (stat(d->dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sgz_err_set(err, SGZ_EUSAGE, _("%s is not a directory: remove it and try again"),
			    d->dir);
		return -1;
	}
	if ((as_root(d) && chown(d->dir, d->server_uid, d->server_gid) < 0) ||
	    chmod(d->dir, 0700) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot give %s to user %s: %s"), d->dir,
			    as_root(d) ? d->server_name : d->role, strerror(errno));
		return -1;
	}
	if (d->linked && lstat(d->home, &st) < 0) {
		if (symlink(d->dir, d->home) < 0) {
			sgz_err_set(err, SGZ_EUSAGE, _("cannot link %s to %s: %s"), d->home, d->dir,
				    strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* A single-quoted postgresql.conf string. */
static void conf_quote(struct strbuf *sb, const char *s)
{
	sb_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			sb_addc(sb, *s);
		sb_addc(sb, *s);
	}
	sb_addc(sb, '\'');
}

static int append_settings(const struct demo *d, struct sgz_err *err)
{
	char *path = xasprintf("%s/postgresql.conf", d->dir);
	struct strbuf sb = {0};
	int fd, rc = -1;

	sb_adds(&sb, "\n# Written by 'sgz demo': a private server on a Unix socket only.\n"
		     "listen_addresses = ''\n"
		     "port = " DEMO_PORT "\n"
		     "unix_socket_directories = ");
	conf_quote(&sb, d->dir);
	sb_adds(&sb, "\n"
		     "unix_socket_permissions = 0700\n"
		     "max_connections = 20\n"
		     "shared_buffers = 32MB\n"
		     "work_mem = 8MB\n"
		     "maintenance_work_mem = 64MB\n"
		     "max_wal_size = 256MB\n"
		     "min_wal_size = 32MB\n"
		     "max_worker_processes = 4\n"
		     "max_parallel_workers = 2\n"
		     "autovacuum_max_workers = 2\n"
		     "log_min_messages = warning\n");
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || write(fd, sb.buf, sb.len) != (ssize_t)sb.len || fsync(fd) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot write %s: %s"), path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	sb_free(&sb);
	free(path);
	return rc;
}

static int create_cluster(struct demo *d, struct sgz_err *err)
{
	char *user = xasprintf("--username=%s", d->role);
	const char *const argv[] = {d->initdb,
				    "-D",
				    d->dir,
				    user,
				    "--auth-local=trust",
				    "--auth-host=reject",
				    "--encoding=UTF8",
				    "--locale=C.UTF-8",
				    NULL};
	int rc = -1, st;

	progress(d, _("creating a PostgreSQL cluster in %s"), d->dir);
	/* Leftovers of an interrupted initdb would make it refuse the directory. */
	if (empty_dir(d->dir) < 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot empty %s: %s"), d->dir, strerror(errno));
		goto out;
	}
	st = run_tool(d, argv, err);
	if (st < 0)
		goto out;
	if (st != 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("initdb failed (exit status %d); see %s"), st, d->log);
		goto out;
	}
	free(user);
	user = xasprintf("%s\n", d->state);
	if (append_settings(d, err) < 0 || write_mark(d, STATE_MARK, user, err) < 0 ||
	    write_mark(d, CLUSTER_MARK, "initdb done\n", err) < 0)
		goto out;
	rc = 0;
out:
	free(user);
	return rc;
}

/* 1 running, 0 not running, -1 error. */
static int server_running(const struct demo *d, struct sgz_err *err)
{
	const char *const argv[] = {d->pg_ctl, "status", "-D", d->dir, NULL};
	int st = run_tool(d, argv, err);

	if (st < 0)
		return -1;
	if (st == PGCTL_RUNNING)
		return 1;
	if (st == PGCTL_STOPPED || st == PGCTL_NO_DIR)
		return 0;
	sgz_err_set(err, SGZ_EUSAGE, _("pg_ctl status failed (exit status %d); see %s"), st, d->log);
	return -1;
}

static int start_server(const struct demo *d, struct sgz_err *err)
{
	char *server_log = xasprintf("%s/server.log", d->dir);
	const char *const argv[] = {d->pg_ctl,	"start", "-D", d->dir,	      "-l",
				    server_log, "-w",	 "-t", START_TIMEOUT, NULL};
	int st, rc = -1;

	progress(d, _("starting the PostgreSQL server"));
	st = run_tool(d, argv, err);
	if (st < 0)
		goto out;
	if (st != 0) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("the demo PostgreSQL server did not start (pg_ctl exit status %d); "
			    "see %s and %s"),
			    st, server_log, d->log);
		goto out;
	}
	rc = 0;
out:
	free(server_log);
	return rc;
}

static int stop_server(const struct demo *d, struct sgz_err *err)
{
	const char *const argv[] = {d->pg_ctl, "stop", "-D", d->dir, "-m",
				    "fast",    "-w",   "-t", "60",   NULL};
	int st;

	progress(d, _("stopping the PostgreSQL server of %s"), d->dir);
	st = run_tool(d, argv, err);
	if (st < 0)
		return -1;
	if (st != 0) {
		sgz_err_set(err, SGZ_EUSAGE, _("pg_ctl stop failed (exit status %d); see %s"), st,
			    d->log);
		return -1;
	}
	return 0;
}

/* A conninfo value, quoted by libpq's rules. */
static void conninfo_add(struct strbuf *sb, const char *key, const char *value)
{
	sb_addf(sb, "%s%s='", sb->len ? " " : "", key);
	for (; *value; value++) {
		if (*value == '\'' || *value == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *value);
	}
	sb_addc(sb, '\'');
}

static char *demo_conninfo(const struct demo *d, const char *dbname)
{
	struct strbuf sb = {0};

	conninfo_add(&sb, "host", d->dir);
	conninfo_add(&sb, "port", DEMO_PORT);
	conninfo_add(&sb, "dbname", dbname);
	conninfo_add(&sb, "user", d->role);
	return sb_detach(&sb);
}

static struct db *demo_connect(const struct demo *d, const char *dbname, struct sgz_err *err)
{
	char *conninfo = demo_conninfo(d, dbname);
	struct db_opts o = {.conninfo = conninfo, .connect_timeout = 10};
	struct db *db = db_connect(&o, err);

	if (!db) {
		char *msg = msg_tr(err->msg);
		sgz_err_set(err, SGZ_EUSAGE,
			    _("cannot connect to the demo server: %s (see %s/server.log)"), msg,
			    d->dir);
		free(msg);
	}
	free(conninfo);
	return db;
}

static int create_database(const struct demo *d, struct sgz_err *err)
{
	static const char find_sql[] = "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1";
	static const char create_sql[] = "CREATE DATABASE " DEMO_DB;
	const char *params[] = {DEMO_DB};
	struct db *db = demo_connect(d, "postgres", err);
	PGresult *res = NULL;
	int rc = -1;

	if (!db)
		return -1;
	res = db_query(db, find_sql, 1, params, err);
	if (!res)
		goto out;
	if (PQntuples(res) == 0) {
		progress(d, _("creating the database %s"), DEMO_DB);
		if (db_exec(db, create_sql, 0, NULL, err) < 0)
			goto out;
	}
	rc = 0;
out:
	PQclear(res);
	db_close(db);
	return rc;
}

static int import_file(const struct demo *d, struct db *db, const char *entity, const char *path,
		       long *rows, struct sgz_err *err)
{
	const struct dict_entity *e = dict_find(entity);
	/* Messages go to the demo log: the demo's dates are fixed, so its hours
	 * are "late" by the 10-working-day rule, and saying so on every first
	 * start would only be noise. A refusal names the log. */
	FILE *log = fopen(d->log, "a");
	struct import_opts io = {
	    .path = path,
	    .encoding = CSV_ENC_UTF8,
	    .progress = !d->opts->quiet,
	    .errors = log ? log : stderr,
	};
	struct import_result res = {0};
	int rc = -1;

	if (!e) {
		sgz_err_set(err, SGZ_EUSAGE, _("no entity '%s' in the data dictionary"), entity);
		goto out;
	}
	if (access(path, R_OK) < 0) {
		sgz_err_set(err, SGZ_EUSAGE,
			    _("cannot read the demo data %s: %s (is SGZ_DATADIR right?)"), path,
			    strerror(errno));
		goto out;
	}
	progress(d, _("loading %s from %s"), entity, path);
	if (import_run(db, e, &io, &res, err) < 0) {
		char *msg = msg_tr(err->msg);
		sgz_err_set(err, SGZ_EUSAGE, _("loading the demo %s failed: %s (see %s)"), entity,
			    msg[0] ? msg : _("the rows were refused"), d->log);
		free(msg);
		goto out;
	}
	*rows = res.rows;
	rc = 0;
out:
	if (log)
		fclose(log);
	return rc;
}

static int migrate_and_load(const struct demo *d, struct sgz_err *err)
{
	const char *datadir = d->opts->datadir && d->opts->datadir[0] ? d->opts->datadir : ".";
	char *divisions = xasprintf("%s/divisions-2022.csv", datadir);
	struct db *db = demo_connect(d, DEMO_DB, err);
	long ndiv = 0, nsta = 0;
	int applied = 0, rc = -1;

	if (!db)
		goto out;
	if (migrate_apply(db, &applied, err) < 0) {
		char *msg = msg_tr(err->msg);
		sgz_err_set(err, SGZ_EUSAGE, _("migrating the demo database failed: %s"), msg);
		free(msg);
		goto out;
	}
	if (applied > 0)
		progress(d, ngettext("applied %d migration", "applied %d migrations",
					    (unsigned long)applied),
			 applied);
	if (file_exists(d->dir, LOADED_MARK)) {
		rc = 0;
		goto out;
	}
	/* Imports are upserts: after an interrupted load, loading again is safe.
	 * The national divisions first, then every entity that has a demo
	 * file, in the dictionary's order (what is referenced comes first). */
	if (import_file(d, db, "divisions", divisions, &ndiv, err) < 0)
		goto out;
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/demo/%s.csv", datadir, all[i]->name);
		long rows = 0;
		int r = access(path, R_OK) == 0 ? import_file(d, db, all[i]->name, path, &rows, err)
						  : 0;
		free(path);
		if (r < 0)
			goto out;
		if (strcmp(all[i]->name, "stations") == 0)
			nsta = rows;
	}
	if (write_mark(d, LOADED_MARK, "demo data loaded\n", err) < 0)
		goto out;
	char a[32], b[32];
	progress(d, _("loaded %s divisions and %s stations, with their staff, volunteers, cases and "
		    "contracts"),
		 thousands(ndiv, a, sizeof(a)), thousands(nsta, b, sizeof(b)));
	rc = 0;
out:
	db_close(db);
	free(divisions);
	return rc;
}

/* The cluster exists and is complete. */
static int cluster_ready(const struct demo *d)
{
	return file_exists(d->dir, CLUSTER_MARK);
}

static int remove_cluster(struct demo *d, struct sgz_err *err)
{
	int running;

	if (d->linked && strcmp(d->dir, OLD_CLUSTER) == 0) {
		/* an earlier sgz's cluster, shared by every state directory whose
		 * link leads there: not ours alone to stop or remove */
		progress(d, _("leaving %s as it is (other state directories may use it; "
			    "to stop it: runuser -u %s -- %s stop -D %s)"),
			 d->dir, d->server_name ? d->server_name : SERVER_USER, d->pg_ctl, d->dir);
		if (unlink(d->home) < 0 && errno != ENOENT) {
			sgz_err_set(err, SGZ_EUSAGE, _("cannot remove %s: %s"), d->home,
				    strerror(errno));
			return -1;
		}
		return 0;
	}
	if (cluster_ready(d)) {
		running = server_running(d, err);
		if (running < 0 || (running && stop_server(d, err) < 0))
			return -1;
	}
	progress(d, _("removing the demo cluster %s"), d->dir);
	if (empty_dir(d->dir) < 0 || (rmdir(d->dir) < 0 && errno != ENOENT)) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot remove %s: %s"), d->dir, strerror(errno));
		return -1;
	}
	if (d->linked && unlink(d->home) < 0 && errno != ENOENT) {
		sgz_err_set(err, SGZ_EUSAGE, _("cannot remove %s: %s"), d->home, strerror(errno));
		return -1;
	}
	return 0;
}

/* Everything before touching the cluster: users, paths, log, lock, tools. */
static int demo_open(struct demo *d, struct sgz_err *err)
{
	clear_pg_environment();
	if (find_users(d, err) < 0 || resolve_paths(d, err) < 0 || open_state(d, err) < 0)
		return -1;
	/* The state directory may be new: choose again now that it exists. */
	if (resolve_paths(d, err) < 0 || find_binaries(d, err) < 0)
		return -1;
	return 0;
}

char *demo_dir(void)
{
	struct demo_opts opts = {0};
	struct demo d;
	struct sgz_err err;
	char *dir;

	demo_init(&d, &opts);
	sgz_err_clear(&err);
	if (find_users(&d, &err) == 0 && resolve_paths(&d, &err) == 0 && d.dir) {
		dir = xstrdup(d.dir);
	} else {
		char *state = sgz_state_dir();
		dir = xasprintf("%s/demo", state);
		free(state);
	}
	demo_release(&d);
	return dir;
}

int demo_prepare(const struct demo_opts *opts, char **conninfo, struct sgz_err *err)
{
	struct demo d;
	int running, rc = -1;

	demo_init(&d, opts);
	*conninfo = NULL;
	if (demo_open(&d, err) < 0)
		goto out;
	if (opts->reset) {
		if (remove_cluster(&d, err) < 0 || resolve_paths(&d, err) < 0)
			goto out;
	}
	if (make_cluster_dir(&d, err) < 0 || (!cluster_ready(&d) && create_cluster(&d, err) < 0))
		goto out;
	running = server_running(&d, err);
	if (running < 0 || (!running && start_server(&d, err) < 0))
		goto out;
	if (create_database(&d, err) < 0 || migrate_and_load(&d, err) < 0)
		goto out;
	*conninfo = demo_conninfo(&d, DEMO_DB);
	rc = 0;
out:
	if (rc < 0 && err->status == SGZ_OK)
		err->status = SGZ_EUSAGE;
	demo_release(&d);
	return rc;
}

int demo_stop(const struct demo_opts *opts, struct sgz_err *err)
{
	struct demo d;
	int running, rc = -1;

	demo_init(&d, opts);
	if (demo_open(&d, err) < 0)
		goto out;
	running = cluster_ready(&d) ? server_running(&d, err) : 0;
	if (running < 0)
		goto out;
	if (!running)
		progress(&d, "the demo server is not running");
	else if (stop_server(&d, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0 && err->status == SGZ_OK)
		err->status = SGZ_EUSAGE;
	demo_release(&d);
	return rc;
}
