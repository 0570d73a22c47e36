/* i18n.h - the interface's language: gettext with English msgids and the
 * zh_CN catalogue (po/zh_CN.po). */
#ifndef SGZ_I18N_H
#define SGZ_I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

enum i18n_lang { I18N_EN, I18N_ZH };

/* The language to use, "zh_CN" or "en": chosen_lang when it is one (--lang,
 * the user's own file); else the language of the locale (the first set of
 * LC_ALL, LC_MESSAGES, LANG) when it names a UTF-8 locale other than C,
 * installed or not: zh_* Chinese, others English (an SSH client's own);
 * else fallback when it is one (the system file's); else ("auto") Chinese
 * for a zh_* locale of any character set, English otherwise. Borrowed. */
const char *i18n_pick(const char *chosen_lang, const char *fallback);
/* Chooses the language: "zh_CN" or "en", or "auto"/NULL/"" for
 * i18n_pick(NULL, NULL); and binds the catalogue from localedir. Works
 * without the zh_CN locale installed. */
enum i18n_lang i18n_init(const char *lang, const char *localedir);
/* The language i18n_init() chose (English before it is called). */
enum i18n_lang i18n_lang(void);

#endif
