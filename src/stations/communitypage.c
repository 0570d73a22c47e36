/* communitypage.c - a community's page (stations.h; issue 14): a village
 * or residents' committee (a 12-digit division code whose last three
 * digits are not 000) opens as its division's form with the pane of its
 * community organisations, and one line on top: urban or rural, its
 * active organisations (registered, filed) against the target of its
 * kind, met or not. The figures are the community report's own row of
 * that community (report_run() with the community as the scope: the
 * plan's target or the settings', as the report takes it), read where
 * reports run, again whenever the panes are. */
#include "config.h"

#include "sgz/stations.h"

#include <stdlib.h>
#include <string.h>

#include "sgz/dict.h"
#include "sgz/division.h"
#include "sgz/i18n.h"
#include "sgz/record.h"
#include "sgz/report.h"

struct community_head {
	char *line;
	bool met;
};

void *community_head_read(struct ui *ui, const struct record *r)
{
	const struct dict_entity *e = dict_find("divisions");
	const struct dict_field *f = e ? dict_field_by_header(e, "code") : NULL;
	const char *code = f ? record_value(r, (size_t)dict_field_index(e, f)) : NULL;
	const struct report_def *def = report_find("community");
	struct report_params p = {0};
	struct report_result *res = NULL;
	struct community_head *h;
	struct sgz_err err;

	if (!code || !def || division_level(code) != DIV_VILLAGE)
		return NULL;
	p.scope = code;
	sgz_err_clear(&err);
	h = xcalloc(1, sizeof(*h));
	if (ui_report_run(ui, def, &p, &res, &err) < 0) {
		h->line = xstrdup(_("The community's figures could not be read."));
		ui_say_error(ui, &err);
		return h;
	}
	if (report_result_rows(res) == 1) {
		const char *kind = report_result_cell(res, 0, "urban_rural");
		const char *met = report_result_cell(res, 0, "target_met");
		const char *target = report_result_cell(res, 0, "orgs_target");
		struct strbuf l = {0};
		h->met = met && strcmp(met, "yes") == 0;
		/* TRANSLATORS: a community's page: urban or rural, then its
		 * active organisations against its target, registered and
		 * filed, met or not (the community report's row). */
		sb_addf(&l, _("%s: active organisations %s/%s (registered %s, filed %s), %s"),
			kind && strcmp(kind, "urban") == 0 ? _("Urban community")
							   : _("Rural community"),
			report_result_cell(res, 0, "orgs_active"), target && *target ? target : "-",
			report_result_cell(res, 0, "orgs_registered"),
			report_result_cell(res, 0, "orgs_filed"), h->met ? _("met") : _("not met"));
		h->line = sb_detach(&l);
	}
	report_result_free(res);
	if (!h->line) {
		free(h);
		return NULL;
	}
	return h;
}

int community_head_lines(void *state)
{
	return state ? 1 : 0;
}

void community_head_draw(void *state, struct ui *ui, int y, int x, int width)
{
	struct community_head *h = state;

	(void)ui;
	ui_put(y, x, width, h->line, h->met ? A_NORMAL : A_BOLD, true);
}

void community_head_free(void *state)
{
	struct community_head *h = state;

	if (!h)
		return;
	free(h->line);
	free(h);
}
