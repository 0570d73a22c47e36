/* i18n.c - choosing the language and binding the gettext catalogue. */
#include "config.h"

#include "sgz/i18n.h"

#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum i18n_lang chosen = I18N_EN;

/* The locale that decides messages, as gettext would read it, or NULL. */
static const char *env_messages_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && v[0])
			return v;
	}
	return NULL;
}

/* Does the locale name say UTF-8 and a language (not C or POSIX)? */
static bool names_utf8_language(const char *v)
{
	const char *dot = strchr(v, '.');

	if (!dot || strncmp(v, "C.", 2) == 0)
		return false;
	dot++;
	size_t n = strcspn(dot, "@");
	return (n == 5 && strncasecmp(dot, "UTF-8", 5) == 0) ||
	       (n == 4 && strncasecmp(dot, "utf8", 4) == 0);
}

const char *i18n_pick(const char *chosen_lang, const char *fallback)
{
	const char *env = env_messages_locale();

	if (chosen_lang && (strcmp(chosen_lang, "zh_CN") == 0 || strcmp(chosen_lang, "en") == 0))
		return chosen_lang;
	if (env && names_utf8_language(env))
		return strncmp(env, "zh", 2) == 0 ? "zh_CN" : "en";
	if (fallback && (strcmp(fallback, "zh_CN") == 0 || strcmp(fallback, "en") == 0))
		return fallback;
	return env && strncmp(env, "zh", 2) == 0 ? "zh_CN" : "en";
}

enum i18n_lang i18n_init(const char *lang, const char *localedir)
{
	if (lang && strcmp(lang, "zh_CN") == 0)
		chosen = I18N_ZH;
	else if (lang && strcmp(lang, "en") == 0)
		chosen = I18N_EN;
	else
		chosen = strcmp(i18n_pick(NULL, NULL), "zh_CN") == 0 ? I18N_ZH : I18N_EN;

	/* LANGUAGE decides the catalogue; glibc ignores it under the C locale,
	 * so messages use C.UTF-8 where the asked-for locale is not installed
	 * (LANG=zh_CN.UTF-8 on a fresh server). */
	setenv("LANGUAGE", chosen == I18N_ZH ? "zh_CN" : "en", 1);
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
	bindtextdomain("sgz", localedir);
	bind_textdomain_codeset("sgz", "UTF-8");
	textdomain("sgz");
	return chosen;
}

enum i18n_lang i18n_lang(void)
{
	return chosen;
}
