/* xlsx.c - Excel workbooks through libxlsxwriter, a row at a time.
 *
 * constant_memory mode writes each row to a temporary file as soon as the
 * next one starts, so nothing but the current row and one width per column
 * is held. A column's cells share one format, which is also the column's
 * own, so that a cell typed later in Excel or WPS keeps the column's type
 * (an ID number typed into a text column stays text). The workbook is
 * written to a temporary file and put in place only when complete.
 */
#include "config.h"

#include "sgz/xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Excel's limit of characters in a sheet name. */
#define SHEET_NAME_MAX 31
/* Column widths, in Excel's units (about one Latin digit). */
#define WIDTH_MIN 6
#define WIDTH_MAX 60

enum dest {
	DEST_RENAME, /* a temporary file beside the path, renamed onto it */
	DEST_STDOUT, /* a temporary file, copied to standard output */
	DEST_COPY,   /* a temporary file, copied into the pipe or device */
};

struct xlsx_writer {
	lxw_workbook *wb;
	lxw_worksheet **sheets;
	size_t nsheets;
	lxw_format *head;
	lxw_format **fmt; /* per column; NULL = General */
	struct xlsx_column *cols;
	size_t ncols;
	int *width; /* the widest cell of each column, in display columns */
	char *sheet;
	char *title; /* NULL: none */
	char *path;
	char *tmp;
	enum dest dest;
	long sheet_rows; /* rows per sheet, the header included */
	long row;	 /* the next row of the current sheet */
	long rows;	 /* data rows written */
	int finished;
	int committed;
};

/* Numbers are read and written with a '.' whatever LC_NUMERIC says:
 * strtod() and libxlsxwriter's printf of doubles follow the locale. */
static locale_t c_locale(void)
{
	static locale_t loc;

	if (!loc)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

/* The columns text takes in a spreadsheet: Chinese (any character of three
 * or four UTF-8 bytes) two, the rest one; the longest line of several. */
static int text_width(const char *s)
{
	int w = 0, line = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			line = 0;
			continue;
		}
		if (*p < 0x80 || *p >= 0xC0)
			line += *p >= 0xE0 ? 2 : 1;
		if (line > w)
			w = line;
	}
	return w;
}

static void set_err(struct sgz_err *err, const char *path, const char *what, lxw_error e)
{
	sgz_err_set(err, SGZ_EUSAGE, "%s: %s: %s", path, what, lxw_strerror(e));
}

/* The sheet name Excel accepts: none of []:*?/\, at most max characters. */
static char *sheet_name(const char *base, long n)
{
	char suffix[32] = "";
	struct strbuf sb = { 0 };
	int chars = 0, max;

	if (n > 1)
		snprintf(suffix, sizeof(suffix), " (%ld)", n);
	max = SHEET_NAME_MAX - (int)strlen(suffix);
	for (const char *p = base && *base ? base : "Sheet"; *p && chars < max; chars++) {
		size_t len = 1;
		while ((p[len] & 0xC0) == 0x80)
			len++;
		if (len == 1 && strchr("[]:*?/\\'", *p))
			sb_addc(&sb, '_');
		else
			sb_addn(&sb, p, len);
		p += len;
	}
	sb_adds(&sb, suffix);
	return sb_detach(&sb);
}

static int add_sheet(struct xlsx_writer *w, struct sgz_err *err)
{
	char *name = sheet_name(w->sheet, (long)w->nsheets + 1);
	lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
	lxw_error e = LXW_NO_ERROR;

	free(name);
	if (!ws) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot add a sheet", w->path);
		return -1;
	}
	w->sheets = xreallocarray(w->sheets, w->nsheets + 1, sizeof(*w->sheets));
	w->sheets[w->nsheets++] = ws;
	for (size_t c = 0; c < w->ncols && !e; c++)
		e = worksheet_write_string(ws, 0, (lxw_col_t)c, w->cols[c].title, w->head);
	if (e) {
		set_err(err, w->path, "header", e);
		return -1;
	}
	worksheet_freeze_panes(ws, 1, 0);
	/* printed: landscape, one page wide, the header on every page */
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	if (w->title) {
		/* Excel's header codes start with &; the header holds 255 */
		struct strbuf h = { 0 };
		sb_adds(&h, "&C");
		for (const char *p = w->title; *p && (h.len < 200 || (*p & 0xC0) == 0x80); p++) {
			if (*p == '&')
				sb_addc(&h, '&');
			sb_addc(&h, *p);
		}
		worksheet_set_header(ws, sb_str(&h));
		sb_free(&h);
	}
	w->row = 1;
	return 0;
}

static lxw_format *column_format(lxw_workbook *wb, const struct xlsx_column *col)
{
	lxw_format *f;
	char num[24] = "0.";

	switch (col->type) {
	case XLSX_TEXT:
		f = workbook_add_format(wb);
		format_set_num_format(f, "@");
		return f;
	case XLSX_DATE:
		f = workbook_add_format(wb);
		format_set_num_format(f, "yyyy-mm-dd");
		return f;
	case XLSX_MONEY:
		f = workbook_add_format(wb);
		format_set_num_format(f, "#,##0.00");
		return f;
	case XLSX_NUMBER:
		if (col->decimals < 0)
			return NULL;
		f = workbook_add_format(wb);
		if (col->decimals == 0) {
			format_set_num_format(f, "0");
		} else {
			for (int i = 0; i < col->decimals && i < 15; i++)
				strcat(num, "0");
			format_set_num_format(f, num);
		}
		return f;
	}
	return NULL;
}

/* Makes the temporary file the workbook is written to: beside a regular
 * file (or a new one), else in $TMPDIR. */
static int make_tmp(struct xlsx_writer *w, struct sgz_err *err)
{
	struct stat st;
	const char *dir;
	int fd;

	if (strcmp(w->path, "-") == 0)
		w->dest = DEST_STDOUT;
	else if (stat(w->path, &st) == 0 && !S_ISREG(st.st_mode))
		w->dest = DEST_COPY;
	else
		w->dest = DEST_RENAME;
	if (w->dest == DEST_RENAME) {
		w->tmp = xasprintf("%s.XXXXXX", w->path);
	} else {
		dir = getenv("TMPDIR");
		w->tmp = xasprintf("%s/sgz-xlsx.XXXXXX", dir && *dir ? dir : "/tmp");
	}
	fd = mkstemp(w->tmp);
	if (fd < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot write: %s",
			    w->dest == DEST_RENAME ? w->path : w->tmp, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		return -1;
	}
	close(fd);
	return 0;
}

struct xlsx_writer *xlsx_open(const char *path, const struct xlsx_column *cols, size_t ncols,
			      const struct xlsx_opts *opts, struct sgz_err *err)
{
	lxw_workbook_options wo = { .constant_memory = LXW_TRUE };
	struct xlsx_writer *w = xcalloc(1, sizeof(*w));
	locale_t old = uselocale(c_locale());

	w->path = xstrdup(path);
	w->sheet = xstrdup(opts && opts->sheet ? opts->sheet : "Sheet");
	w->title = opts && opts->title ? xstrdup(opts->title) : NULL;
	w->sheet_rows = LXW_ROW_MAX;
	if (opts && opts->sheet_rows > 1 && opts->sheet_rows < LXW_ROW_MAX)
		w->sheet_rows = opts->sheet_rows;
	w->ncols = ncols;
	w->cols = xcalloc(ncols ? ncols : 1, sizeof(*w->cols));
	w->fmt = xcalloc(ncols ? ncols : 1, sizeof(*w->fmt));
	w->width = xcalloc(ncols ? ncols : 1, sizeof(*w->width));
	if (ncols > LXW_COL_MAX) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: %zu columns are more than a sheet holds", path,
			    ncols);
		goto fail;
	}
	if (make_tmp(w, err) < 0)
		goto fail;
	w->wb = workbook_new_opt(w->tmp, &wo);
	if (!w->wb) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: cannot start a workbook", path);
		goto fail;
	}
	if (opts && opts->title) {
		lxw_doc_properties props = { .title = (char *)opts->title };
		workbook_set_properties(w->wb, &props);
	}
	w->head = workbook_add_format(w->wb);
	format_set_bold(w->head);
	format_set_bottom(w->head, LXW_BORDER_THIN);
	format_set_num_format(w->head, "@");
	for (size_t c = 0; c < ncols; c++) {
		w->cols[c] = cols[c];
		w->cols[c].title = xstrdup(cols[c].title ? cols[c].title : "");
		w->fmt[c] = column_format(w->wb, &cols[c]);
		w->width[c] = text_width(w->cols[c].title);
	}
	if (add_sheet(w, err) < 0)
		goto fail;
	uselocale(old);
	return w;
fail:
	uselocale(old);
	xlsx_free(w);
	return NULL;
}

/* Whether s is a plain decimal: -?digits(.digits)?, with no more
 * significant digits than a double keeps (an 18-digit number is text). */
static int plain_decimal(const char *s)
{
	int digits = 0, point = 0;

	if (*s == '-')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s == '.' && !point && digits) {
			point = 1;
		} else if (*s >= '0' && *s <= '9') {
			digits++;
		} else {
			return 0;
		}
	}
	return s[-1] != '.' && digits <= 15;
}

/* YYYY-MM-DD within what Excel dates hold (1900 to 9999) into *dt. */
static int parse_date(const char *s, lxw_datetime *dt)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return -1;
	if (s[10])
		return -1;
	*dt = (lxw_datetime){ .year = atoi(s), .month = atoi(s + 5), .day = atoi(s + 8) };
	if (dt->year < 1900 || dt->month < 1 || dt->month > 12 || dt->day < 1 || dt->day > 31)
		return -1;
	return 0;
}

/* The width a cell shows at: numbers with their separators and decimals. */
static int cell_width(const struct xlsx_column *col, const char *s)
{
	int n = text_width(s);

	switch (col->type) {
	case XLSX_TEXT:
		return n;
	case XLSX_DATE:
		return 10;
	case XLSX_MONEY:
		return n + n / 3 + 3;
	case XLSX_NUMBER:
		return n + (col->decimals > 0 ? col->decimals + 1 : 0);
	}
	return n;
}

static lxw_error write_cell(struct xlsx_writer *w, lxw_worksheet *ws, size_t c, const char *s)
{
	const struct xlsx_column *col = &w->cols[c];
	lxw_row_t r = (lxw_row_t)w->row;
	lxw_col_t cc = (lxw_col_t)c;
	lxw_datetime dt;

	switch (col->type) {
	case XLSX_TEXT:
		break;
	case XLSX_DATE:
		if (parse_date(s, &dt) == 0)
			return worksheet_write_datetime(ws, r, cc, &dt, w->fmt[c]);
		break;
	case XLSX_NUMBER:
	case XLSX_MONEY:
		if (plain_decimal(s)) {
			double v = strtod(s, NULL);
			if (isfinite(v))
				return worksheet_write_number(ws, r, cc, v, w->fmt[c]);
		}
		break;
	}
	/* text, or a value that is not what its column says: as it is */
	return worksheet_write_string(ws, r, cc, s, col->type == XLSX_TEXT ? w->fmt[c] : NULL);
}

int xlsx_add_row(struct xlsx_writer *w, const char *const *cells, struct sgz_err *err)
{
	locale_t old;
	lxw_error e = LXW_NO_ERROR;
	int rc = 0;

	if (w->finished) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: the workbook is finished", w->path);
		return -1;
	}
	old = uselocale(c_locale());
	if (w->row >= w->sheet_rows && add_sheet(w, err) < 0) {
		rc = -1;
		goto out;
	}
	lxw_worksheet *ws = w->sheets[w->nsheets - 1];
	for (size_t c = 0; c < w->ncols && !e; c++) {
		const char *s = cells[c];
		if (!s || !*s)
			continue;
		e = write_cell(w, ws, c, s);
		int cw = cell_width(&w->cols[c], s);
		if (cw > w->width[c])
			w->width[c] = cw;
	}
	if (e) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: row %ld: %s", w->path, w->rows + 1,
			    lxw_strerror(e));
		rc = -1;
		goto out;
	}
	w->row++;
	w->rows++;
out:
	uselocale(old);
	return rc;
}

long xlsx_rows(const struct xlsx_writer *w)
{
	return w->rows;
}

int xlsx_finish(struct xlsx_writer *w, struct sgz_err *err)
{
	locale_t old = uselocale(c_locale());
	lxw_error e = LXW_NO_ERROR;

	for (size_t s = 0; s < w->nsheets && !e; s++) {
		/* every sheet but the last is full */
		long last = s + 1 < w->nsheets ? w->sheet_rows - 1 : w->row - 1;
		for (size_t c = 0; c < w->ncols && !e; c++) {
			int width = w->width[c] + 2;
			width = width < WIDTH_MIN ? WIDTH_MIN : width > WIDTH_MAX ? WIDTH_MAX : width;
			e = worksheet_set_column(w->sheets[s], (lxw_col_t)c, (lxw_col_t)c, width,
						 w->fmt[c]);
		}
		if (!e && w->ncols)
			e = worksheet_autofilter(w->sheets[s], 0, 0, (lxw_row_t)last,
						 (lxw_col_t)(w->ncols - 1));
	}
	w->finished = 1;
	if (e) {
		set_err(err, w->path, "columns", e);
		uselocale(old);
		return -1;
	}
	e = workbook_close(w->wb);
	w->wb = NULL;
	uselocale(old);
	if (e) {
		set_err(err, w->path, "write failed", e);
		return -1;
	}
	return 0;
}

/* Copies the finished temporary file to out. 0 or -1 (errno set). */
static int copy_to(const char *tmp, FILE *out)
{
	char buf[65536];
	size_t n;
	FILE *in = fopen(tmp, "rb");
	int rc = 0;

	if (!in)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = -1;
			break;
		}
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fflush(out) != 0)
		rc = -1;
	return rc;
}

int xlsx_commit(struct xlsx_writer *w, struct sgz_err *err)
{
	FILE *out;
	int rc = 0;

	if (!w->finished || w->wb || w->committed) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: the workbook is not finished", w->path);
		return -1;
	}
	switch (w->dest) {
	case DEST_RENAME:
		rc = rename(w->tmp, w->path);
		break;
	case DEST_STDOUT:
		rc = copy_to(w->tmp, stdout);
		break;
	case DEST_COPY:
		if (!(out = fopen(w->path, "w"))) {
			rc = -1;
			break;
		}
		rc = copy_to(w->tmp, out);
		if (fclose(out) != 0)
			rc = -1;
		break;
	}
	if (rc < 0) {
		sgz_err_set(err, SGZ_EUSAGE, "%s: write failed: %s",
			    w->dest == DEST_STDOUT ? "<stdout>" : w->path, strerror(errno));
		return -1;
	}
	if (w->dest != DEST_RENAME)
		unlink(w->tmp);
	w->committed = 1;
	return 0;
}

void xlsx_free(struct xlsx_writer *w)
{
	if (!w)
		return;
	/* libxlsxwriter frees a workbook only by writing it: the unfinished
	 * file is removed below */
	if (w->wb) {
		locale_t old = uselocale(c_locale());
		workbook_close(w->wb);
		uselocale(old);
	}
	if (w->tmp && !w->committed)
		unlink(w->tmp);
	for (size_t c = 0; c < w->ncols; c++)
		free((char *)w->cols[c].title);
	free(w->cols);
	free(w->fmt);
	free(w->width);
	free(w->sheets);
	free(w->sheet);
	free(w->title);
	free(w->path);
	free(w->tmp);
	free(w);
}

int xlsx_path(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}
