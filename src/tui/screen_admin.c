/* screen_admin.c - main menu item 6, administration (系统管理): a submenu of
 * four screens over the model's admin.h.
 *
 *   1 Users        the users of sgz; a adds one through a small form, Enter
 *                  changes one's kind or scope, d removes one (asked first)
 *   2 Settings     the settings of rules.md; Enter edits a value on the
 *                  bottom line, saved in one statement
 *   3 Audit trail  newest first, page by page by key, `/` filter; Enter
 *                  shows one entry's old and new values
 *   4 Database     the migration status, the database's size, row counts
 *
 * Who may do what is the database's decision (row-level security, the
 * grants, sgz.require_admin()): a refusal says who may, in plain words, the
 * database's own (naming its tables) kept for the log. Every screen is
 * drawn whole into stdscr and curses sends the difference; the lists are
 * the listview widget, so a one-row move costs two short runs. */
#include "config.h"

#include "sgz/screens.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/admin.h"
#include "sgz/browse.h"
#include "sgz/form.h"
#include "sgz/i18n.h"
#include "sgz/lineedit.h"
#include "sgz/listview.h"
#include "sgz/log.h"
#include "sgz/picker.h"
#include "sgz/width.h"


static bool is_enter(bool fn, wint_t wc)
{
	return (fn && wc == KEY_ENTER) || (!fn && (wc == L'\r' || wc == L'\n'));
}

static bool is_esc(bool fn, wint_t wc)
{
	return (fn && wc == KEY_F(10)) || (!fn && wc == UI_KEY_ESC);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- the model's and the database's reasons, translated ---- */

/* The English reasons this screen may be given (admin.c, division.c,
 * 0004_access.sql, PostgreSQL's refusals of privilege), as the formats
 * that printed them: the interface shows them in its language, arguments
 * and all. Anything else goes to form_tr_message(), which knows the rest
 * of the model (dict.c's reasons for numbers among them). */
/* clang-format off */
static const char *const reasons[] = {
	/* division.c: a scope that is no division code */
	N_("division code is empty"),
	N_("division code may hold only the digits 0-9: \"%.*s\""),
	N_("division code must have 2, 4, 6, 9 or 12 digits: \"%.*s\" has %zu"),
	N_("division code %s: the province digits are 00"),
	N_("division code %s: the %s digits are zero but the %s digits are not"),
	/* admin.c */
	N_("'%s' is not a role name sgz gives: a login name of lower-case letters, digits, _ . -, starting with a letter or _, at most 63 characters"),
	N_("'%s' is not one of admin region county station evaluator"),
	/* 0004_access.sql: sgz.user_add(), sgz.user_remove() */
	N_("scope %s is not in the division list Hint: give the code of a division of the list (sgz import divisions)"),
	N_("role name %s is reserved"),
	N_("role %s is a superuser, holds CREATEROLE, BYPASSRLS or REPLICATION, or owns the database schema: sgz does not manage it"),
	N_("role %s is not a user of sgz: not dropped"),
	N_("you cannot remove yourself"),
	N_("permission denied: only an administrator manages the users of sgz"),
	/* PostgreSQL: privileges */
	N_("permission denied for table %s"),
	N_("permission denied for function %s"),
	N_("permission denied for schema %s"),
};
/* clang-format on */

/* division.c's names of a code's segments, which its reasons name. */
static const char *const segments[] = {
    N_("province"), N_("prefecture"), N_("county"), N_("township"), N_("village"),
};

#define MAX_CAPS 6

struct cap {
	const char *at;
	size_t len;
};

/* Does m read as format f printed it? %s and %.*s match any text, %d and
 * %zu digits; caps receive the arguments, *n their count. Shortest first,
 * backtracking. */
static bool match(const char *f, const char *m, struct cap *caps, size_t *n)
{
	while (*f && (*f != '%' || f[1] == '%')) {
		if (*f == '%')
			f++; /* "%%" is a '%' */
		if (*f++ != *m++)
			return false;
	}
	if (!*f)
		return !*m;
	const char *p = f + 1;
	while (*p && !strchr("sduc", *p))
		p++;
	if (!*p || *n == MAX_CAPS)
		return false;
	bool digits = *p != 's';
	size_t rest = strlen(m);
	f = p + 1;
	for (size_t take = digits ? 1 : 0; take <= rest; take++) {
		if (digits && !isdigit((unsigned char)m[take - 1]))
			break;
		if (((unsigned char)m[take] & 0xC0) == 0x80)
			continue; /* never inside a character */
		size_t k = *n + 1;
		caps[*n] = (struct cap){m, take};
		if (match(f, m + take, caps, &k)) {
			*n = k;
			return true;
		}
	}
	return false;
}

static void add_cap(struct strbuf *sb, const struct cap *c)
{
	for (size_t i = 0; i < SGZ_ARRAY_LEN(segments); i++) {
		if (strlen(segments[i]) == c->len && strncmp(segments[i], c->at, c->len) == 0) {
			sb_adds(sb, _(segments[i]));
			return;
		}
	}
	sb_addn(sb, c->at, c->len);
}

/* msg in the interface's language. Returns a new string. Caller frees. */
static char *tr_reason(const char *msg)
{
	for (size_t k = 0; k < SGZ_ARRAY_LEN(reasons); k++) {
		struct cap caps[MAX_CAPS];
		struct strbuf sb = {0};
		size_t n = 0;
		int next = 0;

		if (!match(reasons[k], msg, caps, &n))
			continue;
		for (const char *t = _(reasons[k]); *t;) {
			if (*t != '%') {
				sb_addc(&sb, *t++);
				continue;
			}
			if (t[1] == '%') {
				sb_addc(&sb, '%');
				t += 2;
				continue;
			}
			const char *p = t + 1;
			int pos = 0;
			if (*p >= '1' && *p <= '9' && p[1] == '$') {
				pos = *p - '0';
				p += 2;
			}
			while (*p && !strchr("sduc", *p))
				p++;
			t = *p ? p + 1 : p;
			int i = pos ? pos - 1 : next++;
			if (i >= 0 && (size_t)i < n)
				add_cap(&sb, &caps[i]);
		}
		return sb_detach(&sb);
	}
	return form_tr_message(msg);
}

/* Says err on the message line in the interface's language (a cancelled
 * query as "Cancelled.", a lost connection with the drafts kept). */
static void say_err(struct ui *ui, const struct sgz_err *err)
{
	struct sgz_err t = *err;
	char *why = tr_reason(err->msg);

	snprintf(t.msg, sizeof(t.msg), "%s", why);
	free(why);
	ui_say_error(ui, &t);
}

/* A refusal of privilege: who may do it, in plain words; the database's
 * own (naming its tables) go to the log only. */
static char *denied_text(enum admin_list what, const char *msg)
{
	char *s = NULL;

	log_msg(LOG_INFO, "admin refused: %s", msg ? msg : "");
	switch (what) {
	case ADMIN_LIST_USERS:
		s = xstrdup(_("Only an administrator of sgz (kind admin) sees and changes the "
			      "users."));
		break;
	case ADMIN_LIST_SETTINGS:
		s = xstrdup(_("Only an administrator of sgz (kind admin) changes the settings."));
		break;
	case ADMIN_LIST_AUDIT:
		s = xstrdup(_("Only administrators and region and county officers read the "
			      "audit trail."));
		break;
	}
	return s;
}

/* ---- text in columns ---- */

/* Breaks UTF-8 s into lines of at most width columns (width_wrap(): Latin
 * text at its spaces), at its own line breaks too. Returns the lines (*n
 * of them, at least one). Caller frees with strv_free(). */
static char **wrap(const char *s, int width, size_t *n)
{
	const char *p = s ? s : "";
	char **lines = NULL;

	*n = 0;
	if (width < 2)
		width = 2;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p), wn, k;
		char *para = xstrndup(p, len);
		wchar_t *w = width_from_utf8(para, &wn);
		size_t count = width_wrap(w, wn, width, NULL, NULL, 0);
		size_t *starts = xcalloc(count + 1, sizeof(*starts));
		size_t *lens = xcalloc(count + 1, sizeof(*lens));

		width_wrap(w, wn, width, starts, lens, count);
		lines = xreallocarray(lines, *n + (count ? count : 1), sizeof(*lines));
		for (k = 0; k < count; k++)
			lines[(*n)++] = width_to_utf8(w + starts[k], lens[k]);
		if (count == 0)
			lines[(*n)++] = xstrdup(""); /* an empty line stays a line */
		free(starts);
		free(lens);
		free(w);
		free(para);
		if (!nl)
			break;
		p = nl + 1;
	}
	return lines;
}

/* Draws s wrapped into at most max lines from row y. Returns the lines. */
static int put_wrapped(int y, int x, int width, int max, const char *s, attr_t attr)
{
	size_t n;
	char **lines = wrap(s, width, &n);
	int k;

	for (k = 0; k < max && (size_t)k < n; k++)
		ui_put(y + k, x, width, lines[k], attr, false);
	strv_free(lines, n);
	return k;
}

/* As put_wrapped(), the last line on row bottom. */
static void put_wrapped_up(int bottom, int x, int width, int max, const char *s, attr_t attr)
{
	size_t n;
	char **lines = wrap(s, width, &n);
	int shown = (size_t)max < n ? max : (int)n;

	for (int k = 0; k < shown; k++)
		ui_put(bottom - shown + 1 + k, x, width, lines[k], attr, true);
	strv_free(lines, n);
}

/* ---- labels ---- */

static const char *kind_label(const struct ui *ui, const char *code)
{
	for (const struct dict_choice *c = admin_kinds; c->code; c++)
		if (strcmp(c->code, code) == 0)
			return ui_zh(ui) ? c->label_zh : c->code;
	return code;
}

static const char *action_label(const char *action)
{
	static const char *const actions[] = {
	    N_("insert"), N_("update"), N_("delete"), N_("truncate"), N_("export"), N_("open"),
	};

	for (size_t i = 0; i < SGZ_ARRAY_LEN(actions); i++)
		if (strcmp(actions[i], action) == 0)
			return _(actions[i]);
	return action;
}

/* What a table of the trail is called: its entity's label. */
static const char *table_label(const struct ui *ui, const char *table)
{
	size_t n;
	const struct dict_entity *const *all = dict_entities(&n);

	for (size_t i = 0; i < n; i++)
		if (strncmp(all[i]->table, "sgz.", 4) == 0 && strcmp(all[i]->table + 4, table) == 0)
			return ui_entity_label(ui, all[i]);
	if (strcmp(table, "setting") == 0)
		return _("Settings");
	if (strcmp(table, "user_scope") == 0)
		return _("Users");
	return table;
}

/* ---- a list of rows held in memory (an entry's fields) ---- */

struct mem_rows {
	char **cells; /* ncols per row */
	size_t ncols, nrows;
};

static int mem_add(const struct mem_rows *m, size_t from, size_t to, struct listview_page *page)
{
	char key[24];

	for (size_t r = from; r < to && r < m->nrows; r++) {
		snprintf(key, sizeof(key), "%zu", r);
		listview_page_add(page, key, (const char *const *)(m->cells + r * m->ncols));
	}
	return 0;
}

static int mem_first(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err)
{
	(void)filter;
	(void)err;
	return mem_add(ctx, 0, n, page);
}

static int mem_after(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err)
{
	size_t k = strtoul(key, NULL, 10) + 1;

	(void)filter;
	(void)err;
	return mem_add(ctx, k, k + n, page);
}

static int mem_before(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err)
{
	size_t k = strtoul(key, NULL, 10);

	(void)filter;
	(void)err;
	return mem_add(ctx, k > n ? k - n : 0, k, page);
}

static int mem_last(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err)
{
	const struct mem_rows *m = ctx;

	(void)filter;
	(void)err;
	return mem_add(m, m->nrows > n ? m->nrows - n : 0, m->nrows, page);
}

/* ---- keys ---- */

/* clang-format off */
static const struct ui_keyinfo menu_keys[] = {
	{ "1-4", "1-4", M_OPEN, M_DO_OPEN_N },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN },
	{ "Up/Down, k/j", NULL, M_NONE, M_DO_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo users_keys[] = {
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "Left/Right", NULL, M_NONE, M_DO_COLUMNS },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "a, Insert", "a", M_ADD, M_DO_ADD },
	{ "d, Delete", "d", M_DELETE, M_DO_DELETE },
	{ "/", "/", M_FILTER, M_DO_FILTER },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

/* settings and the trail: no adding or removing */
static const struct ui_keyinfo rows_keys[] = {
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "Left/Right", NULL, M_NONE, M_DO_COLUMNS },
	{ "Enter", "Enter", M_OPEN, M_DO_OPEN_RECORD },
	{ "/", "/", M_FILTER, M_DO_FILTER },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo filter_keys[] = {
	{ "Enter", "Enter", M_APPLY, M_DO_FILTER },
	{ "Esc", "Esc", M_CLEAR, M_DO_FILTER },
};

static const struct ui_keyinfo edit_keys[] = {
	{ "Enter", "Enter", M_SAVE, M_DO_SAVE },
	{ "Esc", "Esc", M_CANCEL, M_DO_BACK },
};

static const struct ui_keyinfo entry_keys[] = {
	{ "Up/Down, PgUp/PgDn, Home/End", NULL, M_NONE, M_DO_LIST_MOVE },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo page_keys[] = {
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK },
	{ "F1, ?", "?", M_HELP, M_DO_HELP },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

static const struct ui_keyinfo form_keys[] = {
	{ "Tab, Enter, Down", NULL, M_NONE, M_DO_NEXT_FIELD },
	{ "Shift-Tab, Up", NULL, M_NONE, M_DO_PREV_FIELD },
	{ "F2, Ctrl-W", "F2", M_SAVE, M_DO_SAVE },
	{ "F5, Ctrl-P", "F5", M_PICK, M_DO_PICK },
	{ "Ctrl-K", NULL, M_NONE, M_DO_CLEAR_FIELD },
	{ "Left/Right, Home/End", NULL, M_NONE, M_DO_EDIT },
	{ "F1", "F1", M_HELP, M_DO_HELP },
	{ "Esc, F10", "Esc", M_BACK, M_DO_BACK_ASK },
	{ "Ctrl-L", NULL, M_NONE, M_DO_REDRAW },
};

/* clang-format on */

/* ---- the lists: users, settings, the audit trail ---- */

enum list_mode {
	MODE_BROWSE,
	MODE_FILTER, /* typing the filter on the bottom line */
	MODE_EDIT,   /* settings: typing a value */
};

struct alist {
	struct ui *ui;
	enum admin_list which;
	struct listview *lv;
	struct lineedit *input; /* the filter, or the value being edited */
	enum list_mode mode;
	struct admin_err fail; /* why the last fetch failed */
	char *refusal;	       /* the database refused the list: why, in place of the rows */
	bool reload;	       /* something changed: fetch again when drawn */
	int height, width;     /* of the rows */
	/* settings: the one being edited, as read when the edit began */
	char *edit_key;
	struct admin_setting edit;
	char *edit_error; /* why the value typed was refused */
	/* users: the one the remove dialog asks about */
	char *doomed;
};

static const char *list_title(enum admin_list which)
{
	switch (which) {
	case ADMIN_LIST_USERS:
		return _("Users");
	case ADMIN_LIST_SETTINGS:
		return _("Settings");
	case ADMIN_LIST_AUDIT:
		return _("Audit trail");
	}
	return "";
}

/* The values of the list's label column whose labels, in the interface's
 * language, hold the filter: matched by the database as well. NULL or
 * NULL-terminated; Caller frees with strv_free(v, n). */
static char **also_matching(const struct alist *l, const char *filter, size_t *n)
{
	char **v = NULL;

	*n = 0;
	if (!filter || !*filter)
		return NULL;
#define ALSO(s)                                                                                    \
	do {                                                                                       \
		v = xreallocarray(v, *n + 2, sizeof(*v));                                          \
		v[(*n)++] = xstrdup(s);                                                            \
		v[*n] = NULL;                                                                      \
	} while (0)
	switch (l->which) {
	case ADMIN_LIST_USERS:
		for (const struct dict_choice *c = admin_kinds; c->code; c++)
			if (strstr(c->label_zh, filter))
				ALSO(c->code);
		break;
	case ADMIN_LIST_SETTINGS: {
		size_t nr;
		const struct admin_setting_rule *r = admin_setting_rules(&nr);
		for (size_t i = 0; i < nr; i++)
			if (strstr(r[i].label_zh, filter))
				ALSO(r[i].key);
		break;
	}
	case ADMIN_LIST_AUDIT: {
		size_t ne;
		const struct dict_entity *const *all = dict_entities(&ne);
		for (size_t i = 0; i < ne; i++)
			if (strcasestr(ui_entity_label(l->ui, all[i]), filter) &&
			    strncmp(all[i]->table, "sgz.", 4) == 0)
				ALSO(all[i]->table + 4);
		if (strcasestr(_("Settings"), filter))
			ALSO("setting");
		if (strcasestr(_("Users"), filter))
			ALSO("user_scope");
		break;
	}
	}
#undef ALSO
	return v;
}

struct fetch_ctx {
	struct alist *l;
	struct listview_page *page;
};

/* One row of the model as the list shows it: kinds, actions and tables in
 * the interface's language. */
static int add_row(void *arg, const char *key, const char *const *cells)
{
	struct fetch_ctx *fc = arg;
	const struct ui *ui = fc->l->ui;
	const char *shown[ADMIN_AUDIT_NCOLS];
	char *owned = NULL;
	int rc;

	switch (fc->l->which) {
	case ADMIN_LIST_USERS:
		shown[0] = cells[ADMIN_USER_COL_ROLE];
		shown[1] = kind_label(ui, cells[ADMIN_USER_COL_KIND]);
		shown[2] = cells[ADMIN_USER_COL_SCOPE];
		shown[3] = cells[ADMIN_USER_COL_NAME];
		if (strcmp(cells[ADMIN_USER_COL_MISSING], "t") == 0) {
			owned =
			    xasprintf("%s  %s", cells[ADMIN_USER_COL_NAME], _("(no such role)"));
			shown[3] = owned;
		} else if (*cells[ADMIN_USER_COL_STAFF]) {
			/* the staff member the login is (sgz user add --staff), masked */
			owned = xasprintf("%s  %s", cells[ADMIN_USER_COL_NAME],
					  cells[ADMIN_USER_COL_STAFF]);
			shown[3] = owned;
		}
		break;
	case ADMIN_LIST_SETTINGS: {
		const struct admin_setting_rule *r = admin_setting_rule(key);
		shown[0] = cells[ADMIN_SETTING_COL_KEY];
		shown[1] = cells[ADMIN_SETTING_COL_VALUE];
		shown[2] = ui_zh(ui) && r ? r->label_zh : cells[ADMIN_SETTING_COL_DESCRIPTION];
		break;
	}
	case ADMIN_LIST_AUDIT:
		shown[0] = cells[ADMIN_AUDIT_COL_AT];
		shown[1] = cells[ADMIN_AUDIT_COL_WHO];
		shown[2] = table_label(ui, cells[ADMIN_AUDIT_COL_TABLE]);
		shown[3] = action_label(cells[ADMIN_AUDIT_COL_ACTION]);
		shown[4] = cells[ADMIN_AUDIT_COL_KEY];
		break;
	}
	rc = listview_page_add(fc->page, key, shown);
	free(owned);
	return rc;
}

static int src_fetch(struct alist *l, enum admin_fetch how, const char *filter, const char *key,
		     size_t n, struct listview_page *page, struct sgz_err *err)
{
	struct fetch_ctx fc = {l, page};
	size_t nalso;
	char **also = also_matching(l, filter, &nalso);
	int rc;

	admin_err_init(&l->fail);
	rc = admin_list_fetch(ui_db(l->ui), l->which, how, filter, (const char *const *)also, key,
			      n, add_row, &fc, &l->fail);
	strv_free(also, nalso);
	if (rc < 0)
		*err = l->fail.err;
	return rc;
}

static int src_first(void *ctx, const char *filter, size_t n, struct listview_page *page,
		     struct sgz_err *err)
{
	return src_fetch(ctx, ADMIN_FIRST, filter, NULL, n, page, err);
}

static int src_after(void *ctx, const char *filter, const char *key, size_t n,
		     struct listview_page *page, struct sgz_err *err)
{
	return src_fetch(ctx, ADMIN_AFTER, filter, key, n, page, err);
}

static int src_before(void *ctx, const char *filter, const char *key, size_t n,
		      struct listview_page *page, struct sgz_err *err)
{
	return src_fetch(ctx, ADMIN_BEFORE, filter, key, n, page, err);
}

static int src_last(void *ctx, const char *filter, size_t n, struct listview_page *page,
		    struct sgz_err *err)
{
	return src_fetch(ctx, ADMIN_LAST, filter, NULL, n, page, err);
}

/* The last fetch failed: a refusal of privilege takes the rows' place,
 * anything else is said on the message line. */
static void alist_failed(struct alist *l)
{
	if (l->fail.denied) {
		free(l->refusal);
		l->refusal = denied_text(l->which, l->fail.err.msg);
		return;
	}
	say_err(l->ui, &l->fail.err);
}

static void alist_reload(struct alist *l)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (listview_reload(l->lv, &err) < 0) {
		alist_failed(l);
		return;
	}
	free(l->refusal);
	l->refusal = NULL;
}

static int alist_rows(const struct alist *l, int height)
{
	/* the heading, the column titles, the bottom line; settings keep two
	 * more, for the value being typed and a refusal of two lines */
	int rows = height - (l->which == ADMIN_LIST_SETTINGS ? 5 : 3);

	return rows > 1 ? rows : 1;
}

static struct alist *alist_new(struct ui *ui, enum admin_list which)
{
	struct alist *l = xcalloc(1, sizeof(*l));
	struct listview_source src = {src_first, src_after, src_before, src_last, l};
	struct listview_column cols[ADMIN_AUDIT_NCOLS];
	size_t n = 0;

	l->ui = ui;
	l->which = which;
	switch (which) {
	case ADMIN_LIST_USERS: {
		const struct dict_field *f = admin_user_entity.fields;
		cols[n++] = (struct listview_column){ui_field_label(ui, &f[0]), 20, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){ui_field_label(ui, &f[1]), 10, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){ui_field_label(ui, &f[2]), 12, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){_("Division"), 40, LISTVIEW_LEFT};
		break;
	}
	case ADMIN_LIST_SETTINGS:
		cols[n++] = (struct listview_column){_("Setting"), 28, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){_("Value"), 9, LISTVIEW_RIGHT};
		cols[n++] = (struct listview_column){_("Description"), 70, LISTVIEW_LEFT};
		break;
	case ADMIN_LIST_AUDIT:
		cols[n++] = (struct listview_column){_("When"), 16, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){_("Who"), 12, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){_("Table"), 14, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){_("Action"), 8, LISTVIEW_LEFT};
		cols[n++] = (struct listview_column){_("Key"), 60, LISTVIEW_LEFT};
		break;
	}
	l->height = alist_rows(l, LINES - 2);
	l->width = COLS;
	l->lv = listview_new(&src, cols, n, l->height, l->width);
	/* the bar over the first column only: a move rewrites two short runs */
	listview_set_highlight(l->lv, LISTVIEW_HIGHLIGHT_FIRST);
	l->input = lineedit_new(COLS - 20, 200);
	alist_reload(l);
	return l;
}

static void alist_free(void *v)
{
	struct alist *l = v;

	if (!l)
		return;
	listview_free(l->lv);
	lineedit_free(l->input);
	free(l->refusal);
	free(l->edit_key);
	free(l->edit_error);
	free(l->doomed);
	free(l);
}

static const char *alist_title(void *v)
{
	return list_title(((struct alist *)v)->which);
}

static const struct ui_keyinfo *alist_keys(void *v, size_t *n)
{
	struct alist *l = v;

	if (l->which == ADMIN_LIST_USERS) {
		*n = SGZ_ARRAY_LEN(users_keys);
		return users_keys;
	}
	*n = SGZ_ARRAY_LEN(rows_keys);
	return rows_keys;
}

static const struct ui_keyinfo *alist_status_keys(void *v, size_t *n)
{
	struct alist *l = v;

	switch (l->mode) {
	case MODE_BROWSE:
		break;
	case MODE_FILTER:
		*n = SGZ_ARRAY_LEN(filter_keys);
		return filter_keys;
	case MODE_EDIT:
		*n = SGZ_ARRAY_LEN(edit_keys);
		return edit_keys;
	}
	return alist_keys(v, n);
}

/* The bottom line's text field after its prompt. */
static void draw_input(struct alist *l, int y, const char *prompt)
{
	int x = 1 + ui_put(y, 1, COLS - 12, prompt, A_BOLD, false);
	int w = COLS - x - 2;

	if (lineedit_width(l->input) != w)
		lineedit_set_width(l->input, w);
	lineedit_draw(stdscr, y, x, l->input, A_NORMAL, L'_', true);
	ui_cursor(l->ui, y, x + lineedit_cursor_col(l->input));
}

static void alist_draw(void *v, int top, int height)
{
	struct alist *l = v;
	struct sgz_err err;
	int rows = alist_rows(l, height), x;

	sgz_err_clear(&err);
	if (rows != l->height || COLS != l->width) {
		l->height = rows;
		l->width = COLS;
		if (listview_resize(l->lv, rows, COLS, &err) < 0)
			alist_failed(l);
	}
	if (l->reload) {
		l->reload = false;
		alist_reload(l);
	}
	x = 1 + ui_put(top, 1, COLS - 2, list_title(l->which), A_BOLD, false);
	if (*listview_filter(l->lv) && l->mode != MODE_FILTER) {
		char *s = xasprintf(_("filter: %s"), listview_filter(l->lv));
		ui_put(top, x + 2, COLS - x - 3, s, A_NORMAL, false);
		free(s);
	}
	/* werase() emptied the window: every row goes into it again, and
	 * curses sends the terminal only what differs */
	listview_invalidate(l->lv);
	listview_draw(stdscr, top + 1, 0, l->lv, A_BOLD, ui_selected_attr(l->ui));
	if (l->refusal)
		put_wrapped(top + 2, 1, COLS - 2, rows, l->refusal, A_NORMAL);
	else if (!listview_selected_key(l->lv))
		ui_put(top + 2, 1, COLS - 2, ui_tr(l->ui, M_NO_ROWS), A_NORMAL, false);
	switch (l->mode) {
	case MODE_BROWSE:
		break;
	case MODE_FILTER:
		draw_input(l, top + height - 1, ui_tr(l->ui, M_FILTER_PROMPT));
		break;
	case MODE_EDIT: {
		const struct admin_setting_rule *r = admin_setting_rule(l->edit_key);
		char *prompt = r ? xasprintf(_("%s (default %s): "), l->edit_key, r->def)
				 : xasprintf(_("%s: "), l->edit_key);
		draw_input(l, top + height - 3, prompt);
		free(prompt);
		if (l->edit_error)
			put_wrapped(top + height - 2, 1, COLS - 2, 2, l->edit_error, A_NORMAL);
		break;
	}
	}
}

static void apply_filter(struct alist *l, const char *filter)
{
	struct sgz_err err;

	sgz_err_clear(&err);
	if (listview_set_filter(l->lv, filter, &err) < 0)
		alist_failed(l);
	else {
		free(l->refusal);
		l->refusal = NULL;
	}
}

static void filter_key(struct alist *l, bool fn, wint_t wc)
{
	if (is_enter(fn, wc)) {
		char *text = lineedit_get_utf8(l->input);
		l->mode = MODE_BROWSE;
		apply_filter(l, text);
		free(text);
	} else if (is_esc(fn, wc)) {
		/* Esc clears the filter (spec/keys.md) */
		l->mode = MODE_BROWSE;
		if (*listview_filter(l->lv))
			apply_filter(l, NULL);
	} else {
		lineedit_key(l->input, fn, wc);
	}
}

/* ---- settings: a value edited on the bottom line ---- */

static void start_edit(struct alist *l, const char *key)
{
	struct admin_err e;

	admin_err_init(&e);
	/* read afresh: the value and row_version the save must find */
	switch (admin_setting_get(ui_db(l->ui), key, &l->edit, &e)) {
	case 1:
		free(l->edit_key);
		l->edit_key = xstrdup(key);
		free(l->edit_error);
		l->edit_error = NULL;
		lineedit_set_utf8(l->input, l->edit.value);
		l->mode = MODE_EDIT;
		break;
	case 0:
		ui_say(l->ui, ui_tr(l->ui, M_GONE));
		l->reload = true;
		break;
	default:
		say_err(l->ui, &e.err);
		break;
	}
}

static void save_edit(struct alist *l)
{
	char *text = lineedit_get_utf8(l->input);
	struct strbuf v = {0};
	struct admin_err e;
	char *msg;

	admin_err_init(&e);
	switch (admin_setting_save(ui_db(l->ui), l->edit_key, text, l->edit.row_version, &e)) {
	case 1:
		admin_setting_check(l->edit_key, text, &v, &e.err);
		/* TRANSLATORS: a setting saved: its key and its new value. */
		msg = xasprintf(_("Saved: %s = %s"), l->edit_key, sb_str(&v));
		ui_say(l->ui, msg);
		free(msg);
		l->mode = MODE_BROWSE;
		l->reload = true;
		break;
	case 0:
		msg = xasprintf(_("Someone else changed %s meanwhile; nothing was saved."),
				l->edit_key);
		ui_say(l->ui, msg);
		free(msg);
		l->mode = MODE_BROWSE;
		l->reload = true;
		break;
	default:
		/* the typing stays, with the reason under it */
		free(l->edit_error);
		l->edit_error = NULL;
		if (e.denied)
			l->edit_error = denied_text(ADMIN_LIST_SETTINGS, e.err.msg);
		else if (e.err.status == SGZ_EDATA && !e.err.conn_lost)
			l->edit_error = tr_reason(e.err.msg);
		else
			say_err(l->ui, &e.err);
		break;
	}
	sb_free(&v);
	free(text);
}

static void edit_key(struct alist *l, bool fn, wint_t wc)
{
	if (is_esc(fn, wc)) {
		l->mode = MODE_BROWSE;
	} else if (is_enter(fn, wc)) {
		save_edit(l);
	} else if (lineedit_key(l->input, fn, wc) == LINEEDIT_KEY_DONE) {
		free(l->edit_error);
		l->edit_error = NULL;
	}
}

/* ---- users: remove, and the form that adds or changes one ---- */

static void on_remove_answer(struct ui *ui, void *ctx, wint_t answer)
{
	struct alist *l = ctx;
	struct admin_err e;
	char *msg = NULL;

	if (answer != 'y' || !l->doomed)
		goto out;
	admin_err_init(&e);
	switch (admin_user_remove(ui_db(ui), l->doomed, &e)) {
	case 1:
		msg = xasprintf(_("Removed the user %s."), l->doomed);
		l->reload = true;
		break;
	case 0:
		msg = xasprintf(_("There is no user %s."), l->doomed);
		l->reload = true;
		break;
	default:
		if (e.denied)
			msg = denied_text(ADMIN_LIST_USERS, e.err.msg);
		else
			say_err(ui, &e.err);
		break;
	}
	if (msg)
		ui_say(ui, msg);
	free(msg);
out:
	free(l->doomed);
	l->doomed = NULL;
}

static void ask_remove(struct alist *l)
{
	static const struct ui_choice choices[] = {{'y', "y", M_DELETE}, {'n', "n", M_CANCEL}};
	const char *key = listview_selected_key(l->lv);
	char *body;

	if (!key)
		return;
	free(l->doomed);
	l->doomed = xstrdup(key);
	body = xasprintf(_("Remove the user %s?\nTheir login role is dropped too: they can no "
			   "longer open sgz."),
			 key);
	ui_ask(l->ui, ui_tr(l->ui, M_DELETE), body, choices, SGZ_ARRAY_LEN(choices),
	       on_remove_answer, l);
	free(body);
}

struct user_form {
	struct ui *ui;
	struct alist *origin; /* the users list below on the stack */
	struct dict_field fields[ADMIN_USER_NFIELDS];
	struct dict_entity entity;
	struct form *form;
	bool change; /* of an existing user: the role is fixed */
	char *title;
	char *refusal; /* the database's last refusal that names no field */
	struct strbuf hint;
	struct picker pk;
};

static void open_picker(struct user_form *uf)
{
	size_t i = form_current(uf->form);
	char *text;

	if (i == ADMIN_USER_ROLE || form_readonly(uf->form, i)) {
		ui_say(uf->ui, ui_tr(uf->ui, M_NO_PICK));
		return;
	}
	text = form_text(uf->form, i);
	picker_open(&uf->pk, i, &uf->fields[i], text);
	free(text);
}

static void uf_move(struct user_form *uf, enum form_move m);

static void picker_key_form(struct user_form *uf, bool fn, wint_t wc)
{
	struct picker *pk = &uf->pk;
	char *text;

	if (picker_key(pk, fn, wc) != PICKER_PICKED)
		return;
	text = picker_text(pk, "", ui_zh(uf->ui));
	if (!text)
		return;
	form_set_text(uf->form, pk->field, text);
	free(text);
	picker_close(pk);
	uf_move(uf, FORM_NEXT);
}

/* Checks field i as `sgz user add` does (admin_user_check()); a kind may be
 * typed as the start of one code or label. Passed: the field shows the
 * value as stored (a kind by its label in Chinese). Refused: the field is
 * marked with the reason. 0 or -1. */
static int check_field(struct user_form *uf, size_t i)
{
	const struct dict_field *df = &uf->fields[i];
	char *text = form_text(uf->form, i), *shown;
	struct strbuf out = {0};
	struct sgz_err err;
	size_t c;
	int rc;

	if (form_readonly(uf->form, i)) {
		free(text);
		return 0;
	}
	sgz_err_clear(&err);
	rc = admin_user_check((enum admin_user_field)i, text, &out, &err);
	if (rc < 0 && i == ADMIN_USER_KIND && *text && form_choice_matches(df, text, &c, 1) == 1)
		rc = admin_user_check(ADMIN_USER_KIND, admin_kinds[c].code, &out, &err);
	if (rc < 0) {
		char *why = tr_reason(err.msg);
		form_set_error(uf->form, i, why);
		free(why);
	} else {
		shown = form_value_text(df, sb_str(&out), ui_zh(uf->ui));
		if (strcmp(shown, text) != 0)
			form_set_text(uf->form, i, shown);
		free(shown);
		form_set_error(uf->form, i, NULL);
	}
	sb_free(&out);
	free(text);
	return rc;
}

/* Moves on: always (spec/work.md, moving never traps), the field left
 * checked and its refusal kept as its mark, holding the save. */
static void uf_move(struct user_form *uf, enum form_move m)
{
	struct sgz_err err;
	size_t i = form_current(uf->form);
	char *why = NULL;

	if (check_field(uf, i) < 0 && form_error(uf->form, i))
		why = xstrdup(form_error(uf->form, i));
	sgz_err_clear(&err);
	form_move(uf->form, m, &err);
	if (why) {
		struct strbuf sb = {0};
		form_set_error(uf->form, i, why);
		/* TRANSLATORS: a field's label and why its value was refused. */
		sb_addf(&sb, _("%s: %s"), form_label(uf->form, i), why);
		ui_say(uf->ui, sb_str(&sb));
		sb_free(&sb);
		free(why);
	}
}

/* The canonical value of field i (it passed check_field()). Caller frees. */
static char *field_value(struct user_form *uf, size_t i)
{
	char *text = form_text(uf->form, i);
	struct strbuf out = {0};
	struct sgz_err err;

	sgz_err_clear(&err);
	admin_user_check((enum admin_user_field)i, text, &out, &err);
	free(text);
	return sb_detach(&out);
}

static void uf_save(struct user_form *uf)
{
	struct ui *ui = uf->ui;
	struct admin_user_added added;
	struct admin_err e;
	char *v[ADMIN_USER_NFIELDS], *msg;

	for (size_t i = 0; i < ADMIN_USER_NFIELDS; i++) {
		if (check_field(uf, i) < 0) {
			form_focus(uf->form, i);
			return;
		}
	}
	for (size_t i = 0; i < ADMIN_USER_NFIELDS; i++)
		v[i] = field_value(uf, i);
	admin_err_init(&e);
	free(uf->refusal);
	uf->refusal = NULL;
	if (admin_user_add(ui_db(ui), v[0], v[1], v[2], &added, &e) == 0) {
		msg = xasprintf(added.created ? _("Created the user %s: %s, scope %s %s")
					      : _("Changed the user %s: %s, scope %s %s"),
				v[0], kind_label(ui, v[1]), added.scope, added.scope_name);
		uf->origin->reload = true;
		ui_pop(ui); /* frees uf */
		ui_say(ui, msg);
		free(msg);
	} else if (e.field >= 0 && !form_readonly(uf->form, (size_t)e.field)) {
		/* the field refused keeps its text; the others theirs */
		char *why = tr_reason(e.err.msg);
		form_focus(uf->form, (size_t)e.field);
		form_set_error(uf->form, (size_t)e.field, why);
		free(why);
	} else if (e.denied) {
		uf->refusal = denied_text(ADMIN_LIST_USERS, e.err.msg);
	} else if ((e.field >= 0 || e.err.status == SGZ_EDATA) && !e.err.conn_lost) {
		uf->refusal = tr_reason(e.err.msg);
	} else {
		say_err(ui, &e.err);
	}
	for (size_t i = 0; i < ADMIN_USER_NFIELDS; i++)
		free(v[i]);
}

static const char *uf_hint(struct user_form *uf)
{
	size_t i = form_current(uf->form);
	const char *err = form_error(uf->form, i);

	sb_reset(&uf->hint);
	if (err) {
		/* TRANSLATORS: a field's label and why its value was refused. */
		sb_addf(&uf->hint, _("%s: %s"), form_label(uf->form, i), err);
		return sb_str(&uf->hint);
	}
	if (uf->refusal)
		return uf->refusal;
	switch ((enum admin_user_field)i) {
	case ADMIN_USER_ROLE:
		return _("the login name on the server: lower-case letters, digits, _ . -");
	case ADMIN_USER_KIND: {
		struct strbuf list = {0};
		for (const struct dict_choice *c = admin_kinds; c->code; c++)
			sb_addf(&list, "%s%s", c == admin_kinds ? "" : " ",
				kind_label(uf->ui, c->code));
		/* TRANSLATORS: the hint under a choice field: its choices follow. */
		sb_addf(&uf->hint, _("F5 pick: %s"), sb_str(&list));
		sb_free(&list);
		return sb_str(&uf->hint);
	}
	case ADMIN_USER_SCOPE:
		return _("a division code of 2 to 12 digits (120110: 东丽区); F5 looks it up by "
			 "name");
	}
	return NULL;
}

static const char *uf_title(void *v)
{
	return ((struct user_form *)v)->title;
}

static void uf_draw(void *v, int top, int height)
{
	struct user_form *uf = v;
	int cy, cx;
	const char *hint;

	ui_put(top, 1, COLS - 2, uf->title, A_BOLD, false);
	form_draw(stdscr, top + 2, 1, ADMIN_USER_NFIELDS, COLS - 2, uf->form, L'_', true);
	getyx(stdscr, cy, cx);
	ui_cursor(uf->ui, cy, cx);
	put_wrapped(top + ADMIN_USER_NFIELDS + 3, 1, COLS - 2, 3,
		    _("sgz creates the login role if it is missing (no password: the server's "
		      "login name is the role) and gives it the kind and the scope. The database "
		      "decides who may."),
		    A_NORMAL);
	hint = uf_hint(uf);
	if (hint)
		put_wrapped_up(top + height - 1, 1, COLS - 2, 3, hint, A_NORMAL);
	if (uf->pk.open)
		picker_draw(&uf->pk, uf->ui, form_label(uf->form, uf->pk.field),
			    form_label_width(uf->form) + 1, cy, top + 1, height - 2);
}

static void on_discard_answer(struct ui *ui, void *ctx, wint_t answer)
{
	(void)ctx;
	if (answer == 'y')
		ui_pop(ui);
}

static bool uf_key(void *v, bool fn, wint_t wc)
{
	static const struct ui_choice discard[] = {
	    {'y', "y", M_DISCARD},
	    {'n', "n", M_KEEP_EDITING},
	};
	struct user_form *uf = v;
	struct ui *ui = uf->ui;

	/* a form has text fields: every key is the form's, ? included */
	if (uf->pk.open) {
		picker_key_form(uf, fn, wc);
	} else if (is_esc(fn, wc)) {
		if (form_dirty(uf->form))
			ui_ask(ui, ui_tr(ui, M_BACK), ui_tr(ui, M_DISCARD_ASK), discard,
			       SGZ_ARRAY_LEN(discard), on_discard_answer, uf);
		else
			ui_pop(ui);
	} else if (fn && wc == KEY_F(1)) {
		ui_help(ui);
	} else if ((fn && wc == KEY_F(2)) || (!fn && wc == UI_KEY_CTRL('W'))) {
		uf_save(uf);
	} else if ((fn && wc == KEY_F(5)) || (!fn && wc == UI_KEY_CTRL('P'))) {
		open_picker(uf);
	} else if ((fn && (wc == KEY_DOWN || wc == KEY_ENTER)) ||
		   (!fn && (wc == L'\t' || wc == L'\r' || wc == L'\n'))) {
		uf_move(uf, FORM_NEXT);
	} else if (fn && (wc == KEY_UP || wc == KEY_BTAB)) {
		uf_move(uf, FORM_PREV);
	} else if (form_key(uf->form, fn, wc) == LINEEDIT_KEY_DONE) {
		free(uf->refusal);
		uf->refusal = NULL;
	}
	return true;
}

static const struct ui_keyinfo *uf_keys(void *v, size_t *n)
{
	(void)v;
	*n = SGZ_ARRAY_LEN(form_keys);
	return form_keys;
}

static const struct ui_keyinfo *uf_status_keys(void *v, size_t *n)
{
	struct user_form *uf = v;

	if (uf->pk.open)
		return picker_keys(&uf->pk, n);
	return uf_keys(v, n);
}

/* The scope picker's look-up, once the keys typed ahead are handled. */
static void uf_idle(void *v)
{
	struct user_form *uf = v;
	if (picker_lookup(&uf->pk, uf->ui))
		ui_redraw(uf->ui);
}

static void uf_free(void *v)
{
	struct user_form *uf = v;

	if (!uf)
		return;
	picker_free(&uf->pk);
	form_free(uf->form);
	free(uf->title);
	free(uf->refusal);
	sb_free(&uf->hint);
	free(uf);
}

/* A paste goes into the field with the focus (or the scope picker's
 * filter), never across fields. */
static bool uf_paste(void *v, const wchar_t *s, size_t n)
{
	struct user_form *uf = v;
	size_t i = form_current(uf->form);

	if (uf->pk.open) {
		picker_paste(&uf->pk, uf->ui, s, n);
		return true;
	}
	if (form_readonly(uf->form, i))
		return false;
	if (ui_paste_text(uf->ui, form_lineedit(uf->form, i), s, n)) {
		form_set_error(uf->form, i, NULL);
		free(uf->refusal);
		uf->refusal = NULL;
	}
	return true;
}

static const struct ui_view_ops user_form_ops = {
    uf_title, uf_draw, uf_key, uf_keys, uf_status_keys, uf_idle, uf_free, uf_paste, NULL,
};

/* The form of a new user (role NULL) or of user role, over list l. */
static void user_form_open(struct alist *l, const char *role)
{
	struct user_form *uf;
	char kind[16], scope[12 + 1];
	struct admin_err e;

	if (role) {
		admin_err_init(&e);
		switch (admin_user_get(ui_db(l->ui), role, kind, scope, &e)) {
		case 1:
			break;
		case 0:
			ui_say(l->ui, ui_tr(l->ui, M_GONE));
			l->reload = true;
			return;
		default:
			if (e.denied) {
				char *why = denied_text(ADMIN_LIST_USERS, e.err.msg);
				ui_say(l->ui, why);
				free(why);
			} else {
				say_err(l->ui, &e.err);
			}
			return;
		}
	}
	uf = xcalloc(1, sizeof(*uf));
	uf->ui = l->ui;
	uf->origin = l;
	memcpy(uf->fields, admin_user_entity.fields, sizeof(uf->fields));
	uf->entity = admin_user_entity;
	uf->entity.fields = uf->fields;
	uf->change = role != NULL;
	if (uf->change)
		uf->fields[ADMIN_USER_ROLE].flags |= DF_NOEXPORT; /* shown, not typed */
	uf->form = form_new(&uf->entity, ui_zh(l->ui));
	form_layout(uf->form, COLS - 2);
	if (uf->change) {
		const char *values[ADMIN_USER_NFIELDS] = {role, kind, scope};
		form_load(uf->form, values);
		/* TRANSLATORS: the title of the form that changes a user. */
		uf->title = xasprintf(_("Users - change %s"), role);
	} else {
		uf->title = xstrdup(_("Users - new user"));
	}
	picker_init(&uf->pk);
	ui_push_view(l->ui, &user_form_ops, uf);
}

static void open_selected(struct alist *l);

static bool alist_key(void *v, bool fn, wint_t wc)
{
	struct alist *l = v;
	struct sgz_err err;

	switch (l->mode) {
	case MODE_BROWSE:
		break;
	case MODE_FILTER:
		filter_key(l, fn, wc);
		return true;
	case MODE_EDIT:
		edit_key(l, fn, wc);
		return true;
	}
	sgz_err_clear(&err);
	switch (listview_key(l->lv, fn, wc, &err)) {
	case LISTVIEW_KEY_DONE:
		return true;
	case LISTVIEW_KEY_FAILED:
		alist_failed(l);
		return true;
	case LISTVIEW_KEY_OTHER:
		break;
	}
	if (is_enter(fn, wc)) {
		open_selected(l);
	} else if (!fn && wc == L'/') {
		lineedit_set_utf8(l->input, listview_filter(l->lv));
		l->mode = MODE_FILTER;
	} else if (l->which == ADMIN_LIST_USERS && ((!fn && wc == L'a') || (fn && wc == KEY_IC))) {
		user_form_open(l, NULL);
	} else if (l->which == ADMIN_LIST_USERS && ((!fn && wc == L'd') || (fn && wc == KEY_DC))) {
		ask_remove(l);
	} else {
		return false; /* help and back are the shell's */
	}
	return true;
}

/* A paste goes into the filter or the setting's value being typed; the
 * rows' keys are commands. */
static bool alist_paste(void *view, const wchar_t *s, size_t n)
{
	struct alist *l = view;

	if (l->mode == MODE_BROWSE)
		return false;
	if (ui_paste_text(l->ui, l->input, s, n) && l->mode == MODE_EDIT) {
		free(l->edit_error);
		l->edit_error = NULL;
	}
	return true;
}

static const struct ui_view_ops list_ops = {
    alist_title,       alist_draw, alist_key,  alist_keys,
    alist_status_keys, NULL,	   alist_free, alist_paste, NULL,
};

/* ---- one entry of the trail ---- */

struct entry_view {
	struct ui *ui;
	struct admin_audit_entry *e;
	char *title;
	struct mem_rows rows; /* column, before, after: values wrapped */
	struct listview *lv;
	int height, width;
};

/* The entry's fields as rows of the list, each value wrapped in its
 * column; a changed field marked '*'. */
static void entry_rows(struct entry_view *ev, int wvalue)
{
	struct mem_rows *m = &ev->rows;

	strv_free(m->cells, m->nrows * m->ncols);
	m->cells = NULL;
	m->nrows = 0;
	m->ncols = 3;
	for (size_t i = 0; i < ev->e->nfields; i++) {
		const struct admin_audit_field *f = &ev->e->fields[i];
		size_t nold, nnew;
		char **old = wrap(f->old_value ? f->old_value : "", wvalue, &nold);
		char **new = wrap(f->new_value ? f->new_value : "", wvalue, &nnew);
		size_t lines = nold > nnew ? nold : nnew;
		m->cells = xreallocarray(m->cells, (m->nrows + lines) * 3, sizeof(*m->cells));
		for (size_t k = 0; k < lines; k++) {
			char **row = m->cells + (m->nrows + k) * 3;
			row[0] = k == 0 ? xasprintf("%s%s", f->changed ? "*" : " ", f->column)
					: xstrdup("");
			row[1] = xstrdup(k < nold ? old[k] : "");
			row[2] = xstrdup(k < nnew ? new[k] : "");
		}
		m->nrows += lines;
		strv_free(old, nold);
		strv_free(new, nnew);
	}
}

/* Rows of the list: below the title, two lines of the entry and the
 * column titles; above the bottom line. */
static int entry_height(int height)
{
	return height - 5 > 1 ? height - 5 : 1;
}

/* Lays the entry out for the terminal's width: rows and list anew. */
static void entry_layout(struct entry_view *ev, int height)
{
	struct listview_source src = {mem_first, mem_after, mem_before, mem_last, &ev->rows};
	int wname = 20, wvalue = (COLS - wname - 2) / 2;
	struct listview_column cols[3] = {
	    {_("Column"), wname, LISTVIEW_LEFT},
	    {_("Before"), wvalue, LISTVIEW_LEFT},
	    {_("After"), wvalue, LISTVIEW_LEFT},
	};
	struct sgz_err err;

	entry_rows(ev, wvalue);
	listview_free(ev->lv);
	ev->height = entry_height(height);
	ev->width = COLS;
	ev->lv = listview_new(&src, cols, 3, ev->height, ev->width);
	listview_set_highlight(ev->lv, LISTVIEW_HIGHLIGHT_FIRST);
	sgz_err_clear(&err);
	listview_reload(ev->lv, &err); /* rows in memory: cannot fail */
}

static const char *entry_title(void *v)
{
	return ((struct entry_view *)v)->title;
}

static void entry_draw(void *v, int top, int height)
{
	struct entry_view *ev = v;
	const struct admin_audit_entry *e = ev->e;
	char *line;

	if (COLS != ev->width || entry_height(height) != ev->height)
		entry_layout(ev, height);
	ui_put(top, 1, COLS - 2, ev->title, A_BOLD, false);
	/* TRANSLATORS: an entry of the trail: when, who, the action, the table. */
	line = xasprintf(_("%s by %s: %s, %s"), e->at, e->who, action_label(e->action),
			 table_label(ev->ui, e->table));
	ui_put(top + 1, 1, COLS - 2, line, A_NORMAL, false);
	free(line);
	/* TRANSLATORS: the key of the row an entry of the trail is about. */
	line = xasprintf(_("Key: %s"), e->key);
	ui_put(top + 2, 1, COLS - 2, line, A_NORMAL, false);
	free(line);
	listview_invalidate(ev->lv);
	listview_draw(stdscr, top + 3, 0, ev->lv, A_BOLD, ui_selected_attr(ev->ui));
	if (e->nfields == 0)
		ui_put(top + 4, 1, COLS - 2, ui_tr(ev->ui, M_NO_ROWS), A_NORMAL, false);
}

static bool entry_key(void *v, bool fn, wint_t wc)
{
	struct entry_view *ev = v;
	struct sgz_err err;

	sgz_err_clear(&err);
	return listview_key(ev->lv, fn, wc, &err) != LISTVIEW_KEY_OTHER;
}

static const struct ui_keyinfo *entry_keys_of(void *v, size_t *n)
{
	(void)v;
	*n = SGZ_ARRAY_LEN(entry_keys);
	return entry_keys;
}

static void entry_free(void *v)
{
	struct entry_view *ev = v;

	if (!ev)
		return;
	listview_free(ev->lv);
	strv_free(ev->rows.cells, ev->rows.nrows * ev->rows.ncols);
	admin_audit_entry_free(ev->e);
	free(ev->title);
	free(ev);
}

static const struct ui_view_ops entry_ops = {
    entry_title, entry_draw, entry_key, entry_keys_of, NULL, NULL, entry_free, NULL, NULL,
};

static void entry_open(struct alist *l, const char *id)
{
	struct admin_audit_entry *e = NULL;
	struct entry_view *ev;
	struct admin_err err;

	admin_err_init(&err);
	switch (admin_audit_entry_load(ui_db(l->ui), id, &e, &err)) {
	case 1:
		break;
	case 0:
		ui_say(l->ui, ui_tr(l->ui, M_GONE));
		return;
	default:
		say_err(l->ui, &err.err);
		return;
	}
	ev = xcalloc(1, sizeof(*ev));
	ev->ui = l->ui;
	ev->e = e;
	/* TRANSLATORS: the title of one entry of the trail: its number. */
	ev->title = xasprintf(_("Audit trail - entry %s"), e->id);
	entry_layout(ev, LINES - 2);
	ui_push_view(l->ui, &entry_ops, ev);
}

static void open_selected(struct alist *l)
{
	const char *key = listview_selected_key(l->lv);

	if (!key)
		return;
	switch (l->which) {
	case ADMIN_LIST_USERS:
		user_form_open(l, key);
		break;
	case ADMIN_LIST_SETTINGS:
		start_edit(l, key);
		break;
	case ADMIN_LIST_AUDIT:
		entry_open(l, key);
		break;
	}
}

/* ---- the database ---- */

struct db_view {
	struct ui *ui;
	struct admin_dbinfo info;
};

static const char *db_title(void *v)
{
	(void)v;
	return _("Database");
}

/* "label  value" at row y, values from column vx. */
static void put_pair(int y, int vx, const char *label, const char *value)
{
	ui_put(y, 3, vx - 4, label, A_NORMAL, false);
	ui_put(y, vx, COLS - vx - 1, value, A_NORMAL, false);
}

static void db_draw(void *v, int top, int height)
{
	struct db_view *dv = v;
	const struct admin_dbinfo *in = &dv->info;
	const char *labels[] = {_("Database"), _("Signed in as"), _("Schema version"),
				_("This sgz knows"), _("Status")};
	int vx = 0, y = top + 2, col, row, per;
	char *s;

	ui_put(top, 1, COLS - 2, _("Database"), A_BOLD, false);
	for (size_t i = 0; i < SGZ_ARRAY_LEN(labels); i++)
		if (ui_width(labels[i]) > vx)
			vx = ui_width(labels[i]);
	vx += 5;
	s = xasprintf("%s (%s), PostgreSQL %s", in->database, in->size, in->server);
	put_pair(y++, vx, labels[0], s);
	free(s);
	s = *in->kind ? xasprintf("%s (%s)", in->user, kind_label(dv->ui, in->kind))
		      : xstrdup(in->user);
	put_pair(y++, vx, labels[1], s);
	free(s);
	put_pair(y++, vx, labels[2], *in->version_name ? in->version_name : "-");
	put_pair(y++, vx, labels[3], in->known_name);
	if (in->unknown > 0)
		s = xstrdup(_("the database is newer than this sgz: upgrade sgz"));
	else if (in->pending > 0)
		s = xasprintf(ngettext("%d migration pending: run sgz migrate",
				       "%d migrations pending: run sgz migrate", in->pending),
			      in->pending);
	else
		s = xstrdup(_("current"));
	put_pair(y++, vx, labels[4], s);
	free(s);
	y++;
	ui_put(y++, 1, COLS - 2, _("Rows, as your scope lets you see them"), A_BOLD, false);
	/* three columns of "table  rows" */
	per = (int)(in->ncounts + 2) / 3;
	for (size_t i = 0; i < in->ncounts && y < top + height; i++) {
		const struct dict_entity *e = NULL;
		size_t ne;
		const struct dict_entity *const *all = dict_entities(&ne);
		char num[32];
		for (size_t k = 0; k < ne && !e; k++)
			if (strcmp(all[k]->table, in->counts[i].table) == 0)
				e = all[k];
		col = (int)i / per;
		row = (int)i % per;
		if (y + row >= top + height)
			continue;
		if (in->counts[i].rows < 0)
			snprintf(num, sizeof(num), "%10s", "-"); /* may not read it */
		else if (!in->counted)
			snprintf(num, sizeof(num), "%10s", "?"); /* the count was cancelled */
		else
			snprintf(num, sizeof(num), "%10lld", in->counts[i].rows);
		ui_put(y + row, 3 + col * 26, 14, e ? ui_entity_label(dv->ui, e) : _("Audit trail"),
		       A_NORMAL, false);
		ui_put(y + row, 3 + col * 26 + 14, 10, num, A_NORMAL, false);
	}
}

static bool db_key(void *v, bool fn, wint_t wc)
{
	(void)v;
	(void)fn;
	(void)wc;
	return false; /* help and back are the shell's */
}

static const struct ui_keyinfo *db_keys(void *v, size_t *n)
{
	(void)v;
	*n = SGZ_ARRAY_LEN(page_keys);
	return page_keys;
}

static void db_free(void *v)
{
	struct db_view *dv = v;

	if (!dv)
		return;
	admin_dbinfo_free(&dv->info);
	free(dv);
}

static const struct ui_view_ops db_ops = {
    db_title, db_draw, db_key, db_keys, NULL, NULL, db_free, NULL, NULL,
};

static void db_open(struct ui *ui)
{
	struct db_view *dv = xcalloc(1, sizeof(*dv));
	struct admin_err e;

	dv->ui = ui;
	admin_err_init(&e);
	if (admin_dbinfo_load(ui_db(ui), &dv->info, &e) < 0) {
		say_err(ui, &e.err);
		free(dv);
		return;
	}
	/* counting a big trail takes a while: cancelled, the rest still shows */
	admin_err_init(&e);
	if (admin_dbinfo_count(ui_db(ui), &dv->info, &e) < 0)
		say_err(ui, &e.err);
	ui_push_view(ui, &db_ops, dv);
}

/* ---- the submenu ---- */

static const char *const menu_labels[] = {
    N_("Users"),
    N_("Settings"),
    N_("Audit trail"),
    N_("Database"),
};

struct menu_view {
	struct ui *ui;
	int selected;
};

static const char *menu_title(void *v)
{
	return ui_tr(((struct menu_view *)v)->ui, M_ADMIN);
}

/* As the shell draws its submenus: " N  Label", the selected one as a bar
 * of the same width, so a move rewrites two short runs. */
static void menu_draw(void *v, int top, int height)
{
	struct menu_view *m = v;
	int width = 0, n = (int)SGZ_ARRAY_LEN(menu_labels);

	(void)height;
	ui_put(top + 1, 2, COLS - 4, menu_title(m), A_BOLD, false);
	for (int i = 0; i < n; i++)
		if (ui_width(_(menu_labels[i])) > width)
			width = ui_width(_(menu_labels[i]));
	width += 6;
	for (int i = 0; i < n; i++) {
		char *line = xasprintf(" %d  %s", i + 1, _(menu_labels[i]));
		ui_put(top + 3 + i, 4, width, line, i == m->selected ? A_REVERSE : A_NORMAL,
		       i == m->selected);
		free(line);
	}
}

static void menu_open(struct menu_view *m, int i)
{
	m->selected = i;
	switch (i) {
	case 0:
		ui_push_view(m->ui, &list_ops, alist_new(m->ui, ADMIN_LIST_USERS));
		break;
	case 1:
		ui_push_view(m->ui, &list_ops, alist_new(m->ui, ADMIN_LIST_SETTINGS));
		break;
	case 2:
		ui_push_view(m->ui, &list_ops, alist_new(m->ui, ADMIN_LIST_AUDIT));
		break;
	default:
		db_open(m->ui);
		break;
	}
}

static bool menu_key(void *v, bool fn, wint_t wc)
{
	struct menu_view *m = v;
	int n = (int)SGZ_ARRAY_LEN(menu_labels);

	if ((fn && wc == KEY_UP) || (!fn && wc == L'k')) {
		if (m->selected > 0)
			m->selected--;
	} else if ((fn && wc == KEY_DOWN) || (!fn && wc == L'j')) {
		if (m->selected < n - 1)
			m->selected++;
	} else if (is_enter(fn, wc)) {
		menu_open(m, m->selected);
	} else if (!fn && wc >= L'1' && wc < (wint_t)(L'1' + n)) {
		/* the selection follows, so Esc comes back to the item opened */
		menu_open(m, (int)(wc - L'1'));
	} else {
		return false;
	}
	return true;
}

static const struct ui_keyinfo *menu_keys_of(void *v, size_t *n)
{
	(void)v;
	*n = SGZ_ARRAY_LEN(menu_keys);
	return menu_keys;
}

static void menu_free(void *v)
{
	free(v);
}

static const struct ui_view_ops menu_ops = {
    menu_title, menu_draw, menu_key, menu_keys_of, NULL, NULL, menu_free, NULL, NULL,
};

bool admin_screen_open(struct ui *ui)
{
	struct menu_view *m = xcalloc(1, sizeof(*m));

	m->ui = ui;
	ui_push_view(ui, &menu_ops, m);
	return true;
}
