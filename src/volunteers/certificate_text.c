/* certificate_text.c - a certificate as lines of text, the way sgz hands
 * it to sgz-certificate-pdf (the program that draws it: pango, cairo and
 * the fonts load there, never in sgz). One field a line, its name, a tab,
 * its values separated by tabs; a tab, a line break or a backslash in a
 * value written \t, \n, \\. The first line names the format. */
#include "config.h"

#include "sgz/certificate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT "sgz-certificate 1"

void certificate_free(struct certificate *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->id_number);
	free(c->station);
	free(c->station_name);
	free(c->issuer);
	free(c->years);
	for (size_t i = 0; i < c->nservices; i++)
		free(c->services[i].title);
	free(c->services);
	free(c);
}

static void put(FILE *out, const char *s)
{
	fputc('\t', out);
	for (; s && *s; s++) {
		if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\\')
			fputs("\\\\", out);
		else
			fputc(*s, out);
	}
}

int certificate_write_text(const struct certificate *c, FILE *out)
{
	fprintf(out, "%s\n", FORMAT);
	fprintf(out, "pid\t%lld\n", c->pid);
	fputs("name", out);
	put(out, c->name);
	fputs("\nid_number", out);
	put(out, c->id_number);
	fputs("\nregistered_on", out);
	put(out, c->registered_on);
	fputs("\nstation", out);
	put(out, c->station);
	put(out, c->station_name);
	fputs("\nissuer", out);
	put(out, c->issuer);
	fputs("\nissued_on", out);
	put(out, c->issued_on);
	fprintf(out, "\nyear\t%d\n", c->year);
	fprintf(out, "total\t%lld\t%ld\n", c->total_tenths, c->total_records);
	fprintf(out, "star\t%d\t%lld\n", c->star, c->next_star_tenths);
	fprintf(out, "listed\t%lld\t%ld\n", c->listed_tenths, c->listed_records);
	for (size_t i = 0; i < c->nyears; i++)
		fprintf(out, "y\t%d\t%lld\t%ld\n", c->years[i].year, c->years[i].tenths,
			c->years[i].records);
	for (size_t i = 0; i < c->nservices; i++) {
		fprintf(out, "s\t%lld", c->services[i].tenths);
		put(out, c->services[i].date);
		put(out, c->services[i].title);
		fputc('\n', out);
	}
	fputs("end\n", out);
	return ferror(out) ? -1 : 0;
}

/* Splits line (its escapes undone in place) at its tabs into at most max
 * fields; returns how many. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *w = line;

	f[n++] = w;
	for (char *r = line; *r; r++) {
		if (*r == '\t') {
			*w++ = '\0';
			if (n == max)
				return n + 1; /* too many */
			f[n++] = w;
		} else if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return n;
}

static bool number(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s && !*end && errno == 0;
}

static void date_copy(char dst[11], const char *src)
{
	snprintf(dst, 11, "%s", src);
}

int certificate_read_text(FILE *in, struct certificate **out, struct sgz_err *err)
{
	struct certificate *c = xcalloc(1, sizeof(*c));
	size_t cap_years = 0, cap_services = 0, size = 0, lineno = 0;
	char *line = NULL, *f[5];
	bool end = false;
	ssize_t len;
	long long v[3];

	*out = NULL;
	while (!end && (len = getline(&line, &size, in)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(line, FORMAT) != 0)
				goto bad;
			continue;
		}
		size_t n = split(line, f, SGZ_ARRAY_LEN(f));
		const char *k = f[0];
		if (strcmp(k, "end") == 0 && n == 1) {
			end = true;
		} else if (strcmp(k, "pid") == 0 && n == 2 && number(f[1], &v[0])) {
			c->pid = v[0];
		} else if (strcmp(k, "name") == 0 && n == 2) {
			free(c->name);
			c->name = xstrdup(f[1]);
		} else if (strcmp(k, "id_number") == 0 && n == 2) {
			free(c->id_number);
			c->id_number = xstrdup(f[1]);
		} else if (strcmp(k, "registered_on") == 0 && n == 2) {
			date_copy(c->registered_on, f[1]);
		} else if (strcmp(k, "station") == 0 && n == 3) {
			free(c->station);
			free(c->station_name);
			c->station = xstrdup(f[1]);
			c->station_name = xstrdup(f[2]);
		} else if (strcmp(k, "issuer") == 0 && n == 2) {
			free(c->issuer);
			c->issuer = xstrdup(f[1]);
		} else if (strcmp(k, "issued_on") == 0 && n == 2) {
			date_copy(c->issued_on, f[1]);
		} else if (strcmp(k, "year") == 0 && n == 2 && number(f[1], &v[0])) {
			c->year = (int)v[0];
		} else if (strcmp(k, "total") == 0 && n == 3 && number(f[1], &v[0]) &&
			   number(f[2], &v[1])) {
			c->total_tenths = v[0];
			c->total_records = (long)v[1];
		} else if (strcmp(k, "star") == 0 && n == 3 && number(f[1], &v[0]) &&
			   number(f[2], &v[1])) {
			c->star = (int)v[0];
			c->next_star_tenths = v[1];
		} else if (strcmp(k, "listed") == 0 && n == 3 && number(f[1], &v[0]) &&
			   number(f[2], &v[1])) {
			c->listed_tenths = v[0];
			c->listed_records = (long)v[1];
		} else if (strcmp(k, "y") == 0 && n == 4 && number(f[1], &v[0]) &&
			   number(f[2], &v[1]) && number(f[3], &v[2])) {
			if (c->nyears == cap_years) {
				cap_years = cap_years ? 2 * cap_years : 8;
				c->years = xrealloc(c->years, cap_years * sizeof(*c->years));
			}
			c->years[c->nyears++] = (struct certificate_year){
			    .year = (int)v[0], .tenths = v[1], .records = (long)v[2]};
		} else if (strcmp(k, "s") == 0 && n == 4 && number(f[1], &v[0])) {
			if (c->nservices == cap_services) {
				cap_services = cap_services ? 2 * cap_services : 16;
				c->services =
				    xrealloc(c->services, cap_services * sizeof(*c->services));
			}
			struct certificate_service *s = &c->services[c->nservices++];
			s->tenths = v[0];
			date_copy(s->date, f[2]);
			s->title = xstrdup(f[3]);
		} else {
			goto bad;
		}
	}
	if (!end || !c->name || !c->id_number || !c->station || !c->issuer)
		goto bad;
	free(line);
	*out = c;
	return 0;
bad:
	sgz_err_set(err, SGZ_EUSAGE, "not a certificate of this sgz: line %zu", lineno);
	free(line);
	certificate_free(c);
	return -1;
}
