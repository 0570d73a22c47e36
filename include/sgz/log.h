/* log.h - the log file: everything that must never reach the curses screen. */
#ifndef SGZ_LOG_H
#define SGZ_LOG_H

#include "sgz/util.h"

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

/* Opens (appends to) path; NULL or "" logs nowhere. 0 or -1 with err set. */
int log_open(const char *path, enum log_level level, struct sgz_err *err);
void log_close(void);
/* Also copy messages to stderr (before and after the screen). */
void log_set_stderr(int on);
void log_msg(enum log_level level, const char *fmt, ...) SGZ_PRINTF(2, 3);
/* Parses error|warning|info|debug. 0 or -1. */
int log_level_parse(const char *s, enum log_level *out);

#endif
