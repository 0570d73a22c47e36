/* i18n.h - the interface's language: gettext with English msgids and the
 * zh_CN catalogue (po/zh_CN.po). */
#ifndef SGZ_I18N_H
#define SGZ_I18N_H

#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

enum i18n_lang { I18N_EN, I18N_ZH };

/* Chooses the language: "zh_CN" or "en", or "auto"/NULL/"" for Chinese when
 * LC_ALL, LC_MESSAGES or LANG names a zh locale (installed or not), else
 * English; and binds the catalogue from $SGZ_LOCALEDIR (the build tree, for
 * the tests) or localedir. Works without the zh_CN locale installed. */
enum i18n_lang i18n_init(const char *lang, const char *localedir);
/* The language i18n_init() chose (English before it is called). */
enum i18n_lang i18n_lang(void);

#endif
