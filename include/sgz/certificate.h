/* certificate.h - a volunteer's service certificate (志愿服务证明,
 * spec/work.md): what it says, read as its user may read it (the masking
 * views, the user's scope), and the one-page A4 PDF in Chinese that shows
 * it (pango and cairo, an embedded CJK font). Every certificate issued is
 * filed in the audit trail. */
#ifndef SGZ_CERTIFICATE_H
#define SGZ_CERTIFICATE_H

#include <stdbool.h>
#include <stdio.h>

#include "sgz/util.h"

struct db;

/* The hours of one year, in tenths of an hour. */
struct certificate_year {
	int year;
	long long tenths;
	long records;
};

/* One hours record: the service on a day. */
struct certificate_service {
	char date[11]; /* YYYY-MM-DD */
	char *title;   /* the activity's title, else the record's note, else "" */
	long long tenths;
};

struct certificate {
	long long pid;
	char *name;
	char *id_number; /* masked, as sgz.volunteer_v shows it to everyone */
	char registered_on[11];
	char *station;			/* the station's 12-digit code */
	char *station_name;		/* the township's name (张贵庄街道) */
	char *issuer;			/* 东丽区张贵庄街道社会工作服务站 */
	int year;			/* the year of the services listed; 0 = every year */
	struct certificate_year *years; /* every year with hours, oldest first */
	size_t nyears;
	long long total_tenths; /* every year's */
	long total_records;
	int star;		    /* 0 (none) to 5, from total_tenths and the settings */
	long long next_star_tenths; /* hours the next level needs; 0 at 5 stars */
	/* The services of year (or of every year), the latest
	 * CERTIFICATE_SERVICES_MAX of them, oldest first; listed_records and
	 * listed_tenths are what year (or every year) holds in all. */
	struct certificate_service *services;
	size_t nservices;
	long listed_records;
	long long listed_tenths;
	char issued_on[11]; /* today, YYYY-MM-DD */
};

/* The most services a certificate lists: more than a page holds. */
#define CERTIFICATE_SERVICES_MAX 60

/* Reads the certificate of the volunteer pid for year (0: every year) as
 * the session's user may read it: the masking views in the user's scope,
 * in one snapshot. A volunteer outside the scope reads as none: -1 with
 * err (status SGZ_EUSAGE) saying so. 0 with *out (certificate_free()),
 * or -1 with err set. */
int certificate_load(struct db *db, long long pid, int year, struct certificate **out,
		     struct sgz_err *err);
void certificate_free(struct certificate *c);

/* Finds the pid of the volunteer that arg names: "#PID" or a full ID
 * number (looked up in the user's scope through sgz.person_lookup(),
 * which reveals nothing). 0 with *pid; -1 with err set (SGZ_EUSAGE) for
 * neither form or nobody in the scope. */
int certificate_find(struct db *db, const char *arg, long long *pid, struct sgz_err *err);

/* Files the issue of c in the audit trail (an export event of the
 * volunteer table, under the volunteer's station): call when the PDF is
 * written and before it is given its name. 0 or -1 with err set. */
int certificate_audit(struct db *db, const struct certificate *c, const char *file,
		      struct sgz_err *err);

/* The program that draws certificates (sgz-certificate-pdf), an absolute
 * path: set once by main() before any certificate is written. */
void certificate_set_drawer(const char *path);

/* Writes c as a one-page A4 PDF into out: the drawing runs in the program
 * of certificate_set_drawer(), which alone loads pango, cairo and the
 * fonts (sgz stays small for the sessions that make no certificate, and
 * gives back the fonts' memory when one is made). 0, or -1 with err set:
 * the program's own refusal (no font with Chinese characters, naming the
 * package to install), or why it could not run. */
int certificate_pdf_write(const struct certificate *c, FILE *out, struct sgz_err *err);

/* Draws c as a one-page A4 PDF into out (certificate_pdf.c, linked only
 * into sgz-certificate-pdf): Chinese text in an embedded CJK font (Noto
 * Serif CJK SC of fonts-noto-cjk). 0, or -1 with err set: no font with
 * Chinese characters (naming the package to install), cairo's failure, a
 * write that failed. */
int certificate_pdf_draw(const struct certificate *c, FILE *out, struct sgz_err *err);

/* c as the lines sgz hands to sgz-certificate-pdf (certificate_text.c).
 * 0 or -1 (a write failed). */
int certificate_write_text(const struct certificate *c, FILE *out);
/* Reads what certificate_write_text() wrote. 0 with *out
 * (certificate_free()), or -1 with err set. */
int certificate_read_text(FILE *in, struct certificate **out, struct sgz_err *err);

/* Whether path ends in ".pdf" (any case). */
bool certificate_pdf_path(const char *path);

#endif
