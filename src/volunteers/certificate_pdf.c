/* certificate_pdf.c - the service certificate as a one-page A4 PDF in
 * Chinese: cairo's PDF surface, the text laid out by pango with the fonts
 * fontconfig finds (Noto Serif CJK SC of Debian's fonts-noto-cjk first),
 * which cairo embeds as subsets. Laid out for printing and stamping: the
 * statement, the volunteer's particulars, the hours by year, the services,
 * and at the foot the issuing station and the date with room for the
 * seal. No database here: certificate.c reads what it says; only
 * sgz-certificate-pdf (pdf_main.c) links this file. */
#include "config.h"

#include "sgz/certificate.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

/* A4 in points, and the margins. */
#define PAGE_W	      595.276
#define PAGE_H	      841.890
#define MARGIN_X      62.0
#define MARGIN_TOP    64.0
#define MARGIN_BOTTOM 46.0
#define TEXT_W	      (PAGE_W - 2 * MARGIN_X)

/* The families asked for, in order: fontconfig takes the first it has.
 * fonts-noto-cjk (setup.sh, debian/control) brings Noto Serif CJK. One
 * family in two weights: each face embedded costs some 160 kB (cairo keeps
 * a CID font's subroutines whole), so the page uses no more. */
#define SERIF "Noto Serif CJK SC, Noto Sans CJK SC, WenQuanYi Zen Hei, serif"

/* Table rows: particulars and years, services (smaller, two columns when
 * one does not hold them). */
#define ROW_H	      20.0
#define SERVICE_ROW_H 15.5
/* The foot: the issuer and the date, room for the seal. */
#define FOOT_H 100.0
/* Years listed one a column; older ones share the first. */
#define YEARS_MAX 7

struct pdf {
	cairo_t *cr;
	PangoFontMap *fm;
	PangoContext *pc; /* 72 dpi: a point of a font size is a point of the page */
	int unknown;	  /* glyphs no font had */
};

enum align { LEFT, CENTER, RIGHT };

/* A layout of text in font (a pango description string) width wide
 * (0: unbounded). Caller unrefs. */
static PangoLayout *layout(struct pdf *p, const char *font, const char *text, double width,
			   enum align align)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(font);

	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0)
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(l, align == CENTER  ? PANGO_ALIGN_CENTER
				      : align == RIGHT ? PANGO_ALIGN_RIGHT
						       : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text, -1);
	p->unknown += pango_layout_get_unknown_glyphs_count(l);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Shows l with its top left at x, y; returns its height. Frees l. */
static double show(struct pdf *p, PangoLayout *l, double x, double y)
{
	double h = layout_height(l);

	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	return h;
}

/* One line of text in a cell of a table, centred on the row, cut with an
 * ellipsis when it is wider than the cell. */
static void cell(struct pdf *p, const char *font, const char *text, double x, double y, double w,
		 double h, enum align align)
{
	PangoLayout *l = layout(p, font, text, w - 8, align);

	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_single_paragraph_mode(l, TRUE);
	show(p, l, x + 4, y + (h - layout_height(l)) / 2);
}

static void hline(struct pdf *p, double x0, double x1, double y, double width)
{
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, x0, y);
	cairo_line_to(p->cr, x1, y);
	cairo_stroke(p->cr);
}

static void vline(struct pdf *p, double x, double y0, double y1)
{
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, x, y0);
	cairo_line_to(p->cr, x, y1);
	cairo_stroke(p->cr);
}

/* A table's grid: rows of height h from y, columns at the x edges given
 * (n + 1 of them); the outer lines heavier. */
static void grid(struct pdf *p, const double *xs, size_t nx, double y, size_t rows, double h)
{
	for (size_t r = 0; r <= rows; r++)
		hline(p, xs[0], xs[nx - 1], y + (double)r * h, r == 0 || r == rows ? 1.0 : 0.5);
	for (size_t i = 0; i < nx; i++)
		vline(p, xs[i], y, y + (double)rows * h);
}

static void hours_text(char *buf, size_t size, long long tenths)
{
	snprintf(buf, size, "%lld.%lld", tenths / 10, tenths % 10);
}

/* 2021-08-01 as 2021年8月1日. */
static void date_zh(char *buf, size_t size, const char *iso)
{
	int y, m, d;

	if (sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3)
		snprintf(buf, size, "%d年%d月%d日", y, m, d);
	else
		snprintf(buf, size, "%s", iso);
}

static const char *star_name(int star)
{
	static const char *const names[] = {"未达星级", "一星", "二星", "三星", "四星", "五星"};

	return names[star >= 0 && star <= 5 ? star : 0];
}

/* ★★☆☆☆ 二星 */
static void star_text(char *buf, size_t size, int star)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < 5 && n + 4 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s", i < star ? "★" : "☆");
	snprintf(buf + n, size - n, " %s", star_name(star));
}

static double section_title(struct pdf *p, const char *text, double y)
{
	return show(p, layout(p, SERIF " Bold 12", text, 0, LEFT), MARGIN_X, y) + 5;
}

static void shade(struct pdf *p, double x, double y, double w, double h)
{
	cairo_set_source_rgb(p->cr, 0.93, 0.93, 0.93);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

/* The statement: who, since when, where, how much. */
static double statement(struct pdf *p, const struct certificate *c, double y)
{
	char reg[32], today[32], total[32], year_part[160] = "";
	PangoLayout *l;

	date_zh(reg, sizeof(reg), c->registered_on);
	date_zh(today, sizeof(today), c->issued_on);
	hours_text(total, sizeof(total), c->total_tenths);
	if (c->year) {
		char yh[32];
		hours_text(yh, sizeof(yh), c->listed_tenths);
		snprintf(year_part, sizeof(year_part),
			 "其中%d年度参加志愿服务%ld次,服务时长%s小时。", c->year, c->listed_records,
			 yh);
	}
	char star[32];
	if (c->star)
		snprintf(star, sizeof(star), "星级为%s", star_name(c->star));
	else
		snprintf(star, sizeof(star), "尚未达到星级");
	char *text = xasprintf("兹证明%s(公民身份号码%s)于%s在%s注册为志愿者。截至%s,"
			       "据志愿服务记录,其累计参加志愿服务%ld次,服务时长%s小时,"
			       "%s。%s",
			       c->name, c->id_number, reg, c->issuer, today, c->total_records,
			       total, star, year_part);
	l = layout(p, SERIF " 14", text, TEXT_W, LEFT);
	free(text);
	pango_layout_set_justify(l, TRUE);
	pango_layout_set_indent(l, 28 * PANGO_SCALE);
	pango_layout_set_spacing(l, 8 * PANGO_SCALE);
	return show(p, l, MARGIN_X, y);
}

/* 一、基本信息: label and value twice a row; the station across the row. */
static double particulars(struct pdf *p, const struct certificate *c, double y)
{
	const double xs[] = {MARGIN_X, MARGIN_X + 84, MARGIN_X + TEXT_W / 2,
			     MARGIN_X + TEXT_W / 2 + 84, MARGIN_X + TEXT_W};
	char reg[32], total[48], count[32], stars[64];
	const char *bold = SERIF " Bold 10.5", *plain = SERIF " 10.5";
	double y0 = y;

	y += section_title(p, "一、基本信息", y);
	date_zh(reg, sizeof(reg), c->registered_on);
	hours_text(total, sizeof(total), c->total_tenths);
	strcat(total, " 小时");
	snprintf(count, sizeof(count), "%ld 次", c->total_records);
	star_text(stars, sizeof(stars), c->star);
	const char *cells[3][4] = {
	    {"姓名", c->name, "公民身份号码", c->id_number},
	    {"注册日期", reg, "星级", stars},
	    {"累计服务时长", total, "累计服务次数", count},
	};
	for (int r = 0; r < 4; r++)
		for (int k = 0; k < (r == 3 ? 1 : 4); k += 2)
			shade(p, xs[k], y + r * ROW_H, xs[k + 1] - xs[k], ROW_H);
	for (int r = 0; r <= 4; r++)
		hline(p, xs[0], xs[4], y + r * ROW_H, r == 0 || r == 4 ? 1.0 : 0.5);
	for (int i = 0; i < 5; i++)
		vline(p, xs[i], y, y + (i == 2 || i == 3 ? 3 : 4) * ROW_H);
	for (int r = 0; r < 3; r++)
		for (int k = 0; k < 4; k++)
			cell(p, k % 2 ? plain : bold, cells[r][k], xs[k], y + r * ROW_H,
			     xs[k + 1] - xs[k], ROW_H, k % 2 ? LEFT : CENTER);
	cell(p, bold, "所属站点", xs[0], y + 3 * ROW_H, xs[1] - xs[0], ROW_H, CENTER);
	cell(p, plain, c->station_name, xs[1], y + 3 * ROW_H, xs[4] - xs[1], ROW_H, LEFT);
	return y + 4 * ROW_H - y0;
}

/* 二、年度服务时长: a column a year (the oldest together when there are
 * many) and the total; rows of the count and the hours. */
static double years(struct pdf *p, const struct certificate *c, double y)
{
	const char *bold = SERIF " Bold 10.5", *plain = SERIF " 10.5";
	double y0 = y;
	size_t first = c->nyears > YEARS_MAX ? c->nyears - YEARS_MAX + 1 : 0;
	size_t cols = c->nyears - first + (first ? 1 : 0) + 1; /* and 合计 */
	double label_w = 96, w = (TEXT_W - label_w) / (double)cols;
	char a[48], b[32], h[32];

	y += section_title(p, "二、年度服务时长", y);
	shade(p, MARGIN_X, y, TEXT_W, ROW_H);
	shade(p, MARGIN_X, y, label_w, 3 * ROW_H);
	for (int r = 0; r <= 3; r++)
		hline(p, MARGIN_X, MARGIN_X + TEXT_W, y + r * ROW_H, r == 0 || r == 3 ? 1.0 : 0.5);
	vline(p, MARGIN_X, y, y + 3 * ROW_H);
	for (size_t i = 0; i <= cols; i++)
		vline(p, MARGIN_X + label_w + (double)i * w, y, y + 3 * ROW_H);
	cell(p, bold, "年度", MARGIN_X, y, label_w, ROW_H, CENTER);
	cell(p, bold, "服务次数", MARGIN_X, y + ROW_H, label_w, ROW_H, CENTER);
	cell(p, bold, "服务时长(小时)", MARGIN_X, y + 2 * ROW_H, label_w, ROW_H, CENTER);
	for (size_t k = 0; k < cols; k++) {
		double x = MARGIN_X + label_w + (double)k * w;
		const char *f = k + 1 == cols ? bold : plain;
		if (k + 1 == cols) {
			snprintf(a, sizeof(a), "合计");
			snprintf(b, sizeof(b), "%ld", c->total_records);
			hours_text(h, sizeof(h), c->total_tenths);
		} else if (first && k == 0) {
			long long t = 0;
			long n = 0;
			for (size_t i = 0; i < first; i++) {
				t += c->years[i].tenths;
				n += c->years[i].records;
			}
			snprintf(a, sizeof(a), "%d–%d", c->years[0].year, c->years[first - 1].year);
			snprintf(b, sizeof(b), "%ld", n);
			hours_text(h, sizeof(h), t);
		} else {
			const struct certificate_year *yr = &c->years[first + k - (first ? 1 : 0)];
			snprintf(a, sizeof(a), "%d年", yr->year);
			snprintf(b, sizeof(b), "%ld", yr->records);
			hours_text(h, sizeof(h), yr->tenths);
		}
		cell(p, bold, a, x, y, w, ROW_H, CENTER);
		cell(p, f, b, x, y + ROW_H, w, ROW_H, CENTER);
		cell(p, f, h, x, y + 2 * ROW_H, w, ROW_H, CENTER);
	}
	return y + 3 * ROW_H - y0;
}

/* One column of services from x, w wide: the heading and rows [from, to). */
static void service_column(struct pdf *p, const struct certificate *c, size_t from, size_t to,
			   double x, double w, double y)
{
	const double xs[] = {x, x + 0.30 * w, x + 0.84 * w, x + w};
	const char *bold = SERIF " Bold 9.5", *plain = SERIF " 9.5";
	size_t rows = to - from;
	char h[32];

	shade(p, x, y, w, SERVICE_ROW_H);
	grid(p, xs, SGZ_ARRAY_LEN(xs), y, rows + 1, SERVICE_ROW_H);
	cell(p, bold, "日期", xs[0], y, xs[1] - xs[0], SERVICE_ROW_H, CENTER);
	cell(p, bold, "服务内容", xs[1], y, xs[2] - xs[1], SERVICE_ROW_H, CENTER);
	cell(p, bold, "时长", xs[2], y, xs[3] - xs[2], SERVICE_ROW_H, CENTER);
	y += SERVICE_ROW_H;
	for (size_t i = from; i < to; i++, y += SERVICE_ROW_H) {
		const struct certificate_service *s = &c->services[i];
		hours_text(h, sizeof(h), s->tenths);
		cell(p, plain, s->date, xs[0], y, xs[1] - xs[0], SERVICE_ROW_H, CENTER);
		cell(p, plain, s->title[0] ? s->title : "志愿服务", xs[1], y, xs[2] - xs[1],
		     SERVICE_ROW_H, LEFT);
		cell(p, plain, h, xs[2], y, xs[3] - xs[2], SERVICE_ROW_H, CENTER);
	}
}

/* 三、服务记录: as many of the latest services as the room down to bottom
 * holds, in one column or two, and a line for those left out. */
static double services(struct pdf *p, const struct certificate *c, double y, double bottom)
{
	char title[64], h[32];
	double y0 = y;

	if (c->year)
		snprintf(title, sizeof(title), "三、服务记录(%d年度)", c->year);
	else
		snprintf(title, sizeof(title), "三、服务记录");
	y += section_title(p, title, y);
	if (c->nservices == 0) {
		y += show(p, layout(p, SERIF " 10.5", "无服务记录。", TEXT_W, LEFT), MARGIN_X, y);
		return y - y0;
	}
	/* rows under the heading, and room for the line on those left out */
	double room = bottom - y - 18;
	size_t per_col = room >= 3 * SERVICE_ROW_H ? (size_t)(room / SERVICE_ROW_H) - 1 : 2;
	size_t shown = c->nservices;
	if (shown > 2 * per_col)
		shown = 2 * per_col;
	size_t skip = c->nservices - shown; /* the oldest of those read go */
	if (shown <= per_col) {
		service_column(p, c, skip, c->nservices, MARGIN_X, TEXT_W, y);
		y += (double)(shown + 1) * SERVICE_ROW_H;
	} else {
		size_t left = (shown + 1) / 2;
		double w = (TEXT_W - 10) / 2;
		service_column(p, c, skip, skip + left, MARGIN_X, w, y);
		service_column(p, c, skip + left, c->nservices, MARGIN_X + w + 10, w, y);
		y += (double)(left + 1) * SERVICE_ROW_H;
	}
	long long shown_tenths = 0;
	for (size_t i = skip; i < c->nservices; i++)
		shown_tenths += c->services[i].tenths;
	long rest = c->listed_records - (long)shown;
	if (rest > 0) {
		hours_text(h, sizeof(h), c->listed_tenths - shown_tenths);
		char *t = xasprintf("以上为最近%zu次服务;此前另有%ld次服务,计%s小时,已计入合计。",
				    shown, rest, h);
		y += 3 + show(p, layout(p, SERIF " 9", t, TEXT_W, LEFT), MARGIN_X, y + 3);
		free(t);
	}
	return y - y0;
}

/* 特此证明 under the services; at the foot, on the right, the issuer and
 * the date, with room above and around them for the seal; a note on what
 * the numbers are. */
static void foot(struct pdf *p, const struct certificate *c, double y)
{
	char today[32];
	double top = PAGE_H - MARGIN_BOTTOM - FOOT_H;

	date_zh(today, sizeof(today), c->issued_on);
	PangoLayout *l = layout(p, SERIF " 14", "特此证明。", TEXT_W, LEFT);
	pango_layout_set_indent(l, 28 * PANGO_SCALE);
	show(p, l, MARGIN_X, y);
	char *who = xasprintf("出具单位(盖章):%s", c->issuer);
	char *when = xasprintf("出具日期:%s", today);
	show(p, layout(p, SERIF " 14", who, TEXT_W, RIGHT), MARGIN_X, top + 30);
	show(p, layout(p, SERIF " 14", when, TEXT_W, RIGHT), MARGIN_X, top + 56);
	free(who);
	free(when);
	hline(p, MARGIN_X, MARGIN_X + TEXT_W, PAGE_H - MARGIN_BOTTOM - 16, 0.5);
	cairo_set_source_rgb(p->cr, 0.35, 0.35, 0.35);
	show(p,
	     layout(p, SERIF " 7.5",
		    "本证明依据《志愿服务条例》和《志愿服务记录与证明出具办法》出具,"
		    "服务时长以志愿服务记录为准;公民身份号码已作遮蔽处理。",
		    TEXT_W, CENTER),
	     MARGIN_X, PAGE_H - MARGIN_BOTTOM - 12);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

int certificate_pdf_draw(const struct certificate *c, FILE *out, struct sgz_err *err)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	struct pdf p = {.cr = NULL};
	char *title = xasprintf("志愿服务证明 %s", c->name);
	int rc = -1;

	cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, c->issuer);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, PACKAGE_STRING);
	free(title);
	p.cr = cairo_create(s);
	/* a font map of its own, freed with the page: nothing kept for later */
	p.fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	p.pc = pango_font_map_create_context(p.fm);
	pango_cairo_update_context(p.cr, p.pc);
	pango_cairo_context_set_resolution(p.pc, 72);
	cairo_set_source_rgb(p.cr, 0, 0, 0);

	/* the title first: without a font that has Chinese characters there
	 * is no certificate */
	PangoLayout *l = layout(&p, SERIF " Bold 26", "志愿服务证明", TEXT_W, CENTER);
	if (p.unknown) {
		g_object_unref(l);
		/* (msg_tr()) the certificate is in Chinese and no font
		 * fontconfig knows has Chinese characters */
		sgz_err_set(err, SGZ_EUSAGE,
			    "no font with Chinese characters: install the Debian package "
			    "fonts-noto-cjk");
		goto out;
	}
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(12 * PANGO_SCALE));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	double y = MARGIN_TOP;
	y += show(&p, l, MARGIN_X + 6, y) + 6;
	hline(&p, MARGIN_X + TEXT_W / 2 - 80, MARGIN_X + TEXT_W / 2 + 80, y, 1.2);
	hline(&p, MARGIN_X + TEXT_W / 2 - 80, MARGIN_X + TEXT_W / 2 + 80, y + 3, 0.5);
	y += 18;
	y += statement(&p, c, y) + 14;
	y += particulars(&p, c, y) + 14;
	y += years(&p, c, y) + 14;
	y += services(&p, c, y, PAGE_H - MARGIN_BOTTOM - FOOT_H - 24) + 8;
	foot(&p, c, y);
	cairo_show_page(p.cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_status(p.cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		/* (msg_tr()) cairo's own message follows */
		sgz_err_set(err, SGZ_EUSAGE, "the PDF could not be written: %s",
			    cairo_status_to_string(st));
		goto out;
	}
	if (p.unknown) {
		/* (msg_tr()) characters (a rare one of a name) that the
		 * fonts installed lack would print as empty boxes */
		sgz_err_set(err, SGZ_EUSAGE,
			    "%d characters of the certificate are in no font installed (they "
			    "would print as boxes): install the Debian package fonts-noto-cjk",
			    p.unknown);
		goto out;
	}
	rc = 0;
out:
	g_object_unref(p.pc);
	g_object_unref(p.fm);
	cairo_destroy(p.cr);
	cairo_surface_destroy(s);
	return rc;
}
