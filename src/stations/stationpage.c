/* stationpage.c - the station page (stations.h; spec/work.md, Work
 * screens 3): a station's form and its panes (the generic form,
 * panes.h) with two lines on top, the year's KPIs against the targets
 * (the settings') and the staffing against the contract that binds the
 * station today, with the social workers past their qualification
 * deadline. The figures are the desk's for that station
 * (desk_station_load(): one query for both), read where reports run (a
 * hot standby, the primary when it is lost), again whenever the panes
 * are. Each staff member's deadline is the staff pane's column
 * (the dictionary's derived qualify_by). */
#include "config.h"

#include "sgz/stations.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/deskdata.h"
#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/record.h"

struct station_head {
	struct desk d;
	bool ok;
	char *error; /* the read failed: said in the lines' place */
};

void *station_head_read(struct ui *ui, const struct record *r)
{
	const struct dict_entity *e = dict_find("stations");
	const struct dict_field *f = e ? dict_field_by_header(e, "township") : NULL;
	const char *code = f ? record_value(r, (size_t)dict_field_index(e, f)) : NULL;
	struct station_head *h;
	struct sgz_err err;
	struct db *db;
	int rc;

	if (!code || !*code)
		return NULL;
	h = xcalloc(1, sizeof(*h));
	sgz_err_clear(&err);
	db = ui_report_db(ui);
	rc = desk_station_load(db, code, &h->d, &err);
	if (rc < 0 && ui_report_db_failed(ui, db, &err)) {
		sgz_err_clear(&err);
		rc = desk_station_load(ui_report_db(ui), code, &h->d, &err);
	}
	if (rc < 0) {
		h->error = xstrdup(_("The station's figures could not be read."));
		ui_say_error(ui, &err);
	} else if (h->d.nst == 1) {
		h->ok = true;
	}
	return h;
}

int station_head_lines(void *state)
{
	struct station_head *h = state;

	return h->ok ? 2 : h->error ? 1 : 0;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

void station_head_draw(void *state, struct ui *ui, int y, int x, int width)
{
	struct station_head *h = state;
	struct strbuf l = {0};

	(void)ui;
	if (!h->ok) {
		ui_put(y, x, width, h->error ? h->error : "", A_NORMAL, true);
		return;
	}
	const struct desk *d = &h->d;
	const struct desk_station *s = &d->st[0];
	bool met = strcmp(s->meets, "yes") == 0;
	/* TRANSLATORS: the station page: the year, met or not met, then each
	 * of the year's figures against its target (rules.md, KPIs). */
	sb_addf(&l, _("KPIs %.4s: %s, served %s/%s, individual %s%%/%s%%, large events %s/%s, "
		      "small %s/%s, trainings %s/%s"),
		d->today ? d->today : "", met ? _("met") : _("not met"), s->served,
		or_dash(d->t_served), or_dash(s->individual_pct), or_dash(d->t_individual), s->large,
		or_dash(d->t_large), s->small, or_dash(d->t_small), s->trainings,
		or_dash(d->t_trainings));
	ui_put(y, x, width, sb_str(&l), met ? A_NORMAL : A_BOLD, true);
	sb_reset(&l);
	bool compliant = !*s->compliant || strcmp(s->compliant, "yes") == 0;
	if (*s->compliant)
		/* TRANSLATORS: the station page: staffing against the contract. */
		sb_addf(&l, _("Staffing: %s, staff %s/%s, qualified %s/%s"),
			compliant ? _("compliant") : _("not compliant"), s->staff,
			or_dash(s->req_staff), s->qualified, or_dash(s->req_qualified));
	else
		sb_addf(&l, _("Staffing: no contract binds it, staff %s, qualified %s"), s->staff,
			s->qualified);
	if (s->dl_passed > 0)
		sb_addf(&l, _(", past the deadline %ld"), s->dl_passed);
	if (s->dl_soon > 0)
		/* TRANSLATORS: after the staffing: unqualified staff whose
		 * 2-year deadline falls within 90 days. */
		sb_addf(&l, _(", deadline within 90 days %ld"), s->dl_soon);
	ui_put(y + 1, x, width, sb_str(&l), compliant && s->dl_passed == 0 ? A_NORMAL : A_BOLD,
	       true);
	sb_free(&l);
}

void station_head_free(void *state)
{
	struct station_head *h = state;

	if (!h)
		return;
	desk_free(&h->d);
	free(h->error);
	free(h);
}
