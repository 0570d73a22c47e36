/* i18n.c - choosing the language and binding the gettext catalogue. */
#include "config.h"

#include "sgz/i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static enum i18n_lang chosen = I18N_EN;

/* The language the environment asks for, as gettext would read it. */
static int env_wants_chinese(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && v[0])
			return strncmp(v, "zh", 2) == 0;
	}
	return 0;
}

enum i18n_lang i18n_init(const char *lang, const char *localedir)
{
	const char *dir = getenv("SGZ_LOCALEDIR");

	if (lang && strcmp(lang, "zh_CN") == 0)
		chosen = I18N_ZH;
	else if (lang && strcmp(lang, "en") == 0)
		chosen = I18N_EN;
	else
		chosen = env_wants_chinese() ? I18N_ZH : I18N_EN;

	/* LANGUAGE decides the catalogue; glibc ignores it under the C locale,
	 * so messages use C.UTF-8 where the asked-for locale is not installed
	 * (LANG=zh_CN.UTF-8 on a fresh server). */
	setenv("LANGUAGE", chosen == I18N_ZH ? "zh_CN" : "en", 1);
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
	bindtextdomain("sgz", dir && dir[0] ? dir : localedir);
	bind_textdomain_codeset("sgz", "UTF-8");
	textdomain("sgz");
	return chosen;
}

enum i18n_lang i18n_lang(void)
{
	return chosen;
}
