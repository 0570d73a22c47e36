/* log.c - the log file. Messages never go to the terminal while the curses
 * screen is open; before and after it they may also go to stderr. */
#include "config.h"

#include "sgz/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static FILE *log_fp;
static enum log_level log_max = LOG_WARNING;
static int log_stderr;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

int log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(level_names); i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

int log_open(const char *path, enum log_level level, struct sgz_err *err)
{
	log_close();
	log_max = level;
	if (!path || !path[0])
		return 0;
	log_fp = fopen(path, "a");
	if (!log_fp) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot open the log file: %s", path,
			    strerror(errno));
		return -1;
	}
	setvbuf(log_fp, NULL, _IOLBF, 0);
	return 0;
}

void log_close(void)
{
	if (log_fp)
		fclose(log_fp);
	log_fp = NULL;
}

void log_set_stderr(int on)
{
	log_stderr = on;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_max && !(log_stderr && level <= LOG_WARNING))
		return;
	if (log_fp && level <= log_max) {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(log_fp, "%s [%ld] %s: ", stamp, (long)getpid(), level_names[level]);
		va_start(ap, fmt);
		vfprintf(log_fp, fmt, ap);
		va_end(ap);
		fputc('\n', log_fp);
	}
	if (log_stderr && level <= LOG_WARNING) {
		fputs("sgz: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
}
