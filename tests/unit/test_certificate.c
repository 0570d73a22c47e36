/* test_certificate.c - a certificate as the lines sgz hands to
 * sgz-certificate-pdf (certificate_text.c): read back the same, names and
 * titles with tabs, line breaks and backslashes included; what is not such
 * a certificate refused with its line. */
#include "config.h"

#include "sgz/certificate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sgz/util.h"

static struct certificate *sample(void)
{
	struct certificate *c = xcalloc(1, sizeof(*c));

	c->pid = 42;
	c->name = xstrdup("阿依古丽·买买提\tx\\y\nz");
	c->id_number = xstrdup("6501**********0021");
	snprintf(c->registered_on, sizeof(c->registered_on), "2021-08-01");
	c->station = xstrdup("120110001000");
	c->station_name = xstrdup("东丽区张贵庄街道社会工作服务站");
	c->issuer = xstrdup("东丽区张贵庄街道社会工作服务站");
	snprintf(c->issued_on, sizeof(c->issued_on), "2026-12-07");
	c->year = 2025;
	c->nyears = 2;
	c->years = xcalloc(2, sizeof(*c->years));
	c->years[0] = (struct certificate_year){2024, 55, 2};
	c->years[1] = (struct certificate_year){2025, 1200, 60};
	c->total_tenths = 1255;
	c->total_records = 62;
	c->star = 1;
	c->next_star_tenths = 1745;
	c->listed_tenths = 1200;
	c->listed_records = 60;
	c->nservices = 2;
	c->services = xcalloc(2, sizeof(*c->services));
	snprintf(c->services[0].date, 11, "2025-01-06");
	c->services[0].title = xstrdup("学雷锋志愿服务日");
	c->services[0].tenths = 35;
	snprintf(c->services[1].date, 11, "2025-01-07");
	c->services[1].title = xstrdup("");
	c->services[1].tenths = 20;
	return c;
}

static void test_certificate_text_round_trip_keeps_every_field(void **state)
{
	struct certificate *c = sample(), *back = NULL;
	struct sgz_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	sgz_err_clear(&err);
	assert_int_equal(certificate_write_text(c, f), 0);
	fclose(f);
	f = fmemopen(buf, len, "r");
	assert_int_equal(certificate_read_text(f, &back, &err), 0);
	fclose(f);
	assert_int_equal(back->pid, 42);
	assert_string_equal(back->name, c->name);
	assert_string_equal(back->id_number, c->id_number);
	assert_string_equal(back->registered_on, "2021-08-01");
	assert_string_equal(back->station, "120110001000");
	assert_string_equal(back->station_name, c->station_name);
	assert_string_equal(back->issuer, c->issuer);
	assert_string_equal(back->issued_on, "2026-12-07");
	assert_int_equal(back->year, 2025);
	assert_int_equal(back->nyears, 2);
	assert_int_equal(back->years[1].year, 2025);
	assert_int_equal(back->years[1].tenths, 1200);
	assert_int_equal(back->years[1].records, 60);
	assert_int_equal(back->total_tenths, 1255);
	assert_int_equal(back->total_records, 62);
	assert_int_equal(back->star, 1);
	assert_int_equal(back->next_star_tenths, 1745);
	assert_int_equal(back->listed_tenths, 1200);
	assert_int_equal(back->listed_records, 60);
	assert_int_equal(back->nservices, 2);
	assert_string_equal(back->services[0].date, "2025-01-06");
	assert_string_equal(back->services[0].title, "学雷锋志愿服务日");
	assert_int_equal(back->services[0].tenths, 35);
	assert_string_equal(back->services[1].title, "");
	free(buf);
	certificate_free(c);
	certificate_free(back);
}

static void refused(const char *text, const char *why)
{
	struct certificate *c = NULL;
	struct sgz_err err;
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	sgz_err_clear(&err);
	assert_int_equal(certificate_read_text(f, &c, &err), -1);
	assert_null(c);
	assert_string_equal(err.msg, why);
	fclose(f);
}

static void test_certificate_text_refuses_what_is_not_one(void **state)
{
	(void)state;
	refused("", "not a certificate of this sgz: line 0");
	refused("sgz-certificate 2\nend\n", "not a certificate of this sgz: line 1");
	refused("sgz-certificate 1\nname\tx\nid_number\ty\nstation\ta\tb\nissuer\ti\n",
		"not a certificate of this sgz: line 5"); /* no end */
	refused("sgz-certificate 1\nname\tx\nyear\t20x5\nend\n",
		"not a certificate of this sgz: line 3");
	refused("sgz-certificate 1\nname\tx\tand more\nend\n",
		"not a certificate of this sgz: line 2");
	refused("sgz-certificate 1\nname\tx\nend\n", "not a certificate of this sgz: line 3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_certificate_text_round_trip_keeps_every_field),
	    cmocka_unit_test(test_certificate_text_refuses_what_is_not_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
