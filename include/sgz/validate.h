/* validate.h - identity numbers and codes of spec/rules.md: resident ID
 * numbers (GB 11643-1999), unified social credit codes (GB 32100-2015),
 * phone numbers, and service hours. Pure C, no I/O. */
#ifndef SGZ_VALIDATE_H
#define SGZ_VALIDATE_H

#include "sgz/date.h"
#include "sgz/util.h"

#define IDNUM_LEN 18
#define CREDIT_CODE_LEN 18

struct idnum_info {
	struct sgz_date birth;
	int male;	  /* sequence digit 17 odd */
	int upgraded;	  /* given as a 15-digit old number */
	int born_pre1900; /* a warning, not an error */
};

/* Normalises a resident ID number: 18 characters with the check character
 * upper-cased, or a 15-digit old number upgraded (insert 19, add the check
 * character). Surrounding blanks are ignored; address codes are not checked.
 * Errors (status 1, reason in err): wrong length, non-digit, impossible
 * birth date (also any year before 1800), birth date in the future (today
 * from date_today()), bad check character (saying which one is expected).
 * The messages never repeat the whole number. info may be NULL; out and
 * info are written only on success. Returns 0 or -1. */
int idnum_normalize(const char *in, char out[IDNUM_LEN + 1], struct idnum_info *info,
		    struct sgz_err *err);
/* The check character ('0'-'9' or 'X') of first17, which must start with
 * 17 digits. */
char idnum_check_char(const char *first17);
/* Age in whole years on date `on` of a person born on `birth`: one less
 * until the birthday is reached; a 29 February birthday is reached on
 * 1 March in common years. Negative when `on` precedes `birth`. */
int idnum_age_on(const struct sgz_date *birth, const struct sgz_date *on);
/* Masks the middle for display: 5401**********1231 (first 4, last 4).
 * Anything not 18 characters long (or NULL) is masked whole, up to 18
 * characters. out must hold IDNUM_LEN + 1 bytes. */
void idnum_mask(const char *id, char out[IDNUM_LEN + 1]);
/* Text with every resident ID number in it masked as idnum_mask() masks
 * one: a run of 17 digits and a digit or X (x) that is not part of a
 * longer run of letters and digits, such as a message that names a
 * volunteer. Returns a new string. Caller frees. */
char *idnum_mask_text(const char *text);

/* Checks a unified social credit code (upper-cases it, ignores surrounding
 * blanks): the 18 characters from 0-9 A-H J-N P-R T U W-Y and the check
 * character. 0 or -1 with the reason (naming the expected check character);
 * out is written only on success. */
int credit_code_normalize(const char *in, char out[CREDIT_CODE_LEN + 1], struct sgz_err *err);
/* 1 if the code says registered with civil affairs (first character 5). */
int credit_code_is_civil_affairs(const char *code);

/* Checks a phone number: a mobile 1[3-9] and 9 more digits, or a landline
 * with its area code (0891-6321234; area code 010, 02x or 0 and 3 more
 * digits, 7-8 digit number, no extension). Blanks and hyphens between
 * digits are allowed, and a +86 (or 86) prefix on mobiles. Replaces out's
 * content with the canonical form, 13812345678 or 0891-6321234; out is
 * untouched on error. 0 or -1 with the reason. */
int phone_normalize(const char *in, struct strbuf *out, struct sgz_err *err);

/* Checks service hours: a number with at most one significant decimal
 * (2.50 is 2.5), 0 < h <= 24. Replaces out's content with the canonical
 * text, no zero decimal and no leading zeros ("3" for 3.0, "0.5" for .5,
 * "2.5"); out is untouched on error. 0 or -1 with the reason. */
int hours_normalize(const char *in, struct strbuf *out, struct sgz_err *err);

#endif
