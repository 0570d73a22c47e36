/* message.c - the model's messages in the reader's language.
 *
 * The layers below the interface and the command line say what went wrong
 * in English, with its arguments (a code, a date, a number) printed into
 * the sentence; the database's own rules do the same (RAISE EXCEPTION).
 * msg_tr() finds the sentence's format among those it knows, takes the
 * arguments back out, and prints them into the catalogue's translation,
 * the codes of choices as their labels: one place for the interface and
 * the command line alike. */

#include "config.h"

#include "sgz/message.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sgz/dict.h"
#include "sgz/i18n.h"
#include "sgz/util.h"

/* ---- the model's messages in the interface's language ---- */

/* What the model says in English: the parse messages of dict.c and the
 * validators, the dictionary's checks over a row, the database's own
 * rules, the database layer's. The catalogue translates each, arguments
 * and all; a message not listed here stays English (tests/unit/
 * test_message.c finds every format of the lower layers and of the
 * migrations here, and its translation in the catalogue). */
/* clang-format off */
static const char *const model_msgs[] = {
	/* validate.c: ID numbers */
	N_("empty: a resident ID number has 18 characters"),
	N_("a spreadsheet shortened the number to %.*s: format the column as text and enter the number again"),
	N_("only digits 0-9 and a final X of 18 characters are allowed: %s"),
	N_("wrong length: 18 characters (or 15 digits for an old number) needed, got %zu"),
	N_("impossible birth date: %.8s (before %d)"),
	N_("impossible birth date: %.8s"),
	N_("birth date in the future: %.8s"),
	N_("bad check character: expected %c, got %c"),
	N_("born before 1900 (%04d): check the number"),
	/* validate.c: credit codes */
	N_("empty: a unified social credit code has 18 characters"),
	N_("the letter %c is never used: %s (did you mean %c?)"),
	N_("only digits 0-9 and the letters A-Z without I, O, S, V, Z are allowed: %s"),
	N_("wrong length: 18 characters needed, got %zu"),
	N_("not a unified social credit code"),
	/* validate.c: what a character is */
	N_("a blank at position %zu"),
	N_("byte 0x%02X at position %zu"),
	N_("\"%.*s\" at position %zu"),
	/* validate.c: phones */
	N_("%s: give a mobile (11 digits from 13 to 19, such as 13812345678) or a landline with its area code (0891-6321234)"),
	N_("not a phone number (%s): give a mobile (11 digits from 13 to 19, such as 13812345678) or a landline with its area code (0891-6321234)"),
	N_("empty"),
	N_("only +86 is accepted as a country code"),
	N_("too many digits"),
	N_("a hyphen must stand between digits"),
	N_("no digits"),
	N_("after +86 only a mobile of 11 digits is accepted"),
	N_("a landline needs its area code"),
	N_("not a phone number"),
	N_("one hyphen only, after the area code (no extension)"),
	N_("a mobile number has 11 digits, got %zu"),
	N_("a mobile number starts with 13 to 19, not %.2s"),
	N_("area code %.*s: it is 010, 02x, or 0 and 3 more digits (0891)"),
	N_("a landline number has 7 or 8 digits after the area code %.*s, got %zu"),
	/* validate.c: hours */
	N_("empty: give the hours as a number such as 2 or 2.5"),
	N_("use a decimal point, not a comma: %.*s.%.*s"),
	N_("not a number: give the hours such as 2 or 2.5"),
	N_("at most one decimal: %.*s"),
	N_("must be more than 0"),
	N_("must be at most 24 (one day)"),
	/* date.c */
	N_("not a date (expected YYYY-MM-DD)"),
	N_("year out of range (%d to %d): %d"),
	N_("no such month: %04d-%02d"),
	N_("no such day: %04d-%02d-%02d"),
	/* dict.c */
	N_("control character (byte 0x%02x) not allowed in this field"),
	N_("too long: %zu characters, at most %d"),
	N_("out of range: must be between %s and %s"),
	N_("not a whole number (digits only, no separators)"),
	N_("not a number (digits with an optional decimal point)"),
	N_("must be a whole number"),
	N_("at most %d decimals"),
	N_("at most %d decimal"),
	N_("amounts are in yuan, not 万元: write %.2f for %s"),
	N_("amounts are in yuan, not 万元 (write e.g. 250000)"),
	N_("write the amount without separators (e.g. 250000.00)"),
	N_("not yes or no (also 是/否, y/n, 1/0, true/false)"),
	N_("'%s' is not one of: %s"),
	N_("a value is required"),
	N_("bad format"),
	/* entities.c: division levels */
	N_("%s is a %s code; a station belongs to a township or street (9 significant digits)"),
	N_("%s is a %s code; a recipient lives in a village (12 digits) or, where villages are not registered, a township"),
	N_("%s is a %s code; the purchaser is a civil-affairs office: province to township"),
	N_("%s is a %s code, not a village (12 digits)"),
	N_("%s is a %s code; stations are townships (9 significant digits)"),
	N_("province"),
	N_("prefecture"),
	N_("county"),
	N_("township"),
	N_("village"),
	N_("unknown"),
	/* entities.c: formats */
	N_("not an urban-rural class code (111, 112, 121, 122, 123, 210 or 220)"),
	N_("not a case number (township-year-sequence, e.g. 120110001-2024-0007); leave it empty to have one assigned"),
	N_("not a case number (township-year-sequence, e.g. 120110001-2024-0007)"),
	/* record.c: references */
	N_("%s does not exist: import the case first"),
	N_("%s does not exist: import the contract first"),
	N_("%s does not exist: import the organization first"),
	N_("%s does not exist: import the station first"),
	N_("%s does not exist: import the village into divisions first"),
	N_("%s does not exist: import the villages into divisions first"),
	N_("%s does not exist: not in the division list"),
	/* entities.c: the checks over a row */
	N_("parent division %s does not exist: add it first, earlier in the file"),
	N_("%s professional staff are more than the %s full-time staff"),
	N_("a planned station needs a batch year"),
	N_("a station with status %s needs the date it was established (挂牌日期)"),
	N_("village %s is not in the township of station %s"),
	N_("village %s is already served by the point %s"),
	N_("a point with status %s needs the date it was established"),
	N_("left on %s, before being hired on %s"),
	N_("a qualification (%s) needs the date it was obtained"),
	N_("a date obtained is given but the qualification is none"),
	N_("resident social worker aged %s at hire: over 45 (000 §3(4))"),
	N_("education below college: the rule is college or above, \"in principle\" (000 §3(4))"),
	N_("volunteer %s is not registered: import the volunteer first"),
	N_("%s is in the future"),
	N_("%s is before the volunteer registered (%s)"),
	N_("no activity '%s' at station %s on %s: add the activity first, or leave it empty"),
	N_("hours of %s on %s add up to %s, more than 24"),
	N_("recorded %s working days after the service (due within %s)"),
	/* grid.c: someone else's save since the grid opened */
	N_("deleted by someone else since the grid opened"),
	N_("changed by someone else since the grid opened: %s h now"),
	N_("%s h stored by someone else since the grid opened"),
	N_("hours stored by someone else since the grid opened"),
	N_("recipient %s is not registered: import the recipient first"),
	N_("worker %s is not an active staff member of station %s on %s"),
	N_("closing a case needs the date it was closed (结案日期)"),
	N_("closing a case needs a reason (结案原因)"),
	N_("a closing date is given but the status is %s"),
	N_("closed on %s, before it was opened on %s"),
	N_("worker %s is not a staff member"),
	N_("visit on %s is before the case was opened (%s)"),
	N_("next due %s is not after the visit (%s)"),
	N_("ends on %s, before it starts on %s"),
	N_("%s qualified required is more than the %s staff required"),
	N_("station %s is not within the purchaser %s"),
	N_("organization %s may not be eligible: %s"),
	N_("not registered with civil affairs"),
	N_("registration level unknown"),
	N_("social work not in its scope"),
	N_("not tax-qualified"),
	N_("violation record"),
	N_("%s yuan is above the open tender threshold (%s): procurement is usually open_tender"),
	/* 0003_entities.sql: the database's own rules */
	N_("left_behind_child (农村留守儿童) needs an age under 16, not %s"),
	N_("child categories need an age under 18, not %s"),
	N_("elderly categories need an age of 60 or over, not %s"),
	N_("village %s is not in the division list"),
	N_("station %s does not exist"),
	N_("case %s does not exist"),
	N_("visit on %s is before case %s was opened (%s)"),
	N_("visit on %s is in the future"),
	N_("a visit of case %s is of its station %s, not %s"),
	N_("hours of %s on %s: the date is in the future"),
	N_("hours of %s on %s: before the volunteer registered (%s)"),
	N_("division %s is outside your scope (%s)"), /* before the next */
	N_("%s %s is outside your scope (%s)"),
	N_("role %s has no scope in this database"),
	/* 0010_integrity.sql */
	N_("hours of %s on %s add up to more than 24"),
	N_("case number %s is not of the township of station %s"),
	N_("staff member %s is the worker of open case %s: give the case another worker first"),
	N_("volunteer %s has service hours recorded before %s"),
	N_("station %s is still named by a contract"),
	N_("role %s exists and was not created by sgz: sgz does not manage it"),
	/* entities_programmes.c, entities.c, 0025_programmes.sql: programmes.md */
	N_("indicator %s: its parent %s is not a first-level indicator"),
	N_("indicator set %s: the first-level weights add up to %s, not 100"),
	N_("indicator set %s: the indicators under %s add up to %s, not its weight %s"),
	N_("%s does not exist: import its indicators first"),
	N_("%s does not exist: import the programme first"),
	N_("contract %s is year %s of the cycle: the cycle cannot be shorter"),
	N_("indicator set %s is still named by programme %s"),
	N_("indicator set %s is used by programme %s of %s: outside your scope"),
	N_("indicator set %s has scored evaluations (%s): its indicators are fixed; make a new set"),
	N_("year %s is past the %s-year cycle of programme %s"),
	N_("year %s is past the 3-year cycle of a contract without a programme"),
	N_("year %s was graded fail (contract %s, %s evaluation of %s, score %s): procure anew"),
	N_("payments of contract %s add up to %s, %s more than its amount %s"),
	N_("an evaluation is of a contract year or of a station: give one of them"),
	N_("score %s differs from the sum of its indicator scores, %s"),
	N_("contract %s is year %s of the same cycle: a year graded fail ends its cycle"),
	N_("contract %s has a performance payment: its year cannot be graded %s"),
	N_("no %s evaluation of %s on %s: import the evaluation first"),
	N_("the evaluation of %s has no indicator set: give its programme one"),
	N_("indicator %s is not in the set %s of the evaluation"),
	N_("indicator %s has indicators under it: score those"),
	N_("score %s of indicator %s is above its weight %s"),
	/* 0037: the evaluation sheet saved over a newer one */
	N_("the evaluation sheet of %s on %s was saved by %s at %s since it was opened: nothing was saved"),
	N_("the evaluation sheet of %s on %s changed since it was opened: nothing was saved"),
	N_("the evaluation sheet is saved with what it was read as"),
	N_("a performance payment needs a year graded good or better: contract %s is graded %s"),
	N_("parent %s is not an indicator of the set %s"),
	N_("year %s (contract %s) has no deciding evaluation yet"),
	N_("%s yuan a station is below the programme's budget of %s a station"),
	N_("%s staff required: per station, not in total?"),
	N_("%s qualified staff required: per station, not in total?"),
	N_("final payment on %s comes before the deciding evaluation of contract %s"),
	N_("performance payment on %s comes before the deciding evaluation of contract %s"),
	N_("%s is a %s code; a submission is a county's (6 significant digits)"),
	N_("not a month (YYYY-MM, e.g. 2024-03)"),
	/* 0032_submit.sql */
	N_("%s is no county: give the county with --scope"),
	N_("the progress report of %s is not due yet: it is due on %s"),
	/* 0033_evaluation_sheet.sql */
	N_("the indicators and their scores differ in number"),
	/* db.c, browse.c */
	N_("the database connection was lost (%.800s); it has been restored, but the last action was not saved"),
	N_("the database connection was lost and has been restored; the last action was not saved"),
	N_("cannot connect to the database: %.*s"),
	N_("the query was cancelled"),
	N_("%s: cannot write: %s"),
	N_("%s: write failed: %s"),
	/* conf.c: the configuration files */
	N_("%s: cannot read: %s"),
	N_("%s:1: syntax error: the file begins with a byte order mark (BOM); save it as UTF-8 without BOM"),
	N_("%s:%d: syntax error (expected [section], key = value or a # comment)"),
	N_("%s:%d: line too long (at most %d bytes)"),
	N_("%s: cannot parse"),
	N_("%s: cannot parse: %.*s"),
	N_("%s (skipped: sgz is locked)"),
	/* conf.c: a key's refusal, after "FILE:LINE: " and the key */
	N_("%s:%d: %s: unknown section"),
	N_("%s:%d: %s: key before any [section]"),
	N_("%s:%d: %s: unknown key"),
	N_("%s:%d: %s: only the system file may set this (sgz.ini(5))"),
	N_("%s:%d: %s: \"%s\": cannot expand ~: no home directory"),
	N_("%s:%d: %s: \"%s\" is not an absolute path (write /... or ~/...)"),
	N_("%s:%d: %s: \"%s\": cannot expand %%u: no login name for uid %ld"),
	N_("%s:%d: %s: \"%s\": %%%.1s is not known (%%u is the login name, %%%% a %%)"),
	N_("%s:%d: %s: \"%s\" is not one of %s"),
	N_("%s:%d: %s: \"%s\" is not a plain integer (a number of %s, such as %s)"),
	N_("%s:%d: %s: %s is out of range (%ld..%ld %s)"),
	/* division.c */
	N_("division code %s: the %s digits are zero but the %s digits are not"),
	N_("division code is empty"),
	N_("division code may hold only the digits 0-9: \"%.*s\""),
	N_("division code must have 2, 4, 6, 9 or 12 digits: \"%.*s\" has %zu"),
	N_("division code %s: the province digits are 00"),
	/* log.c */
	N_("%s: cannot open the log file: %s"),
	/* tar.c: backups */
	N_("not a tar header (bad checksum)"),
	N_("not a ustar archive"),
	N_("a tar member without a name"),
	N_("tar member %s is not a regular file (type %c)"),
	N_("tar member %s has no valid size"),
	/* validate.c: phones, composed */
	N_("%s: give %s"),
	N_("not a phone number (%s): give %s"),
	/* xlsx.c: workbooks */
	N_("%s: cannot add a sheet"),
	N_("%s: %zu columns are more than a sheet holds"),
	N_("%s: cannot start a workbook"),
	N_("%s: the workbook is finished"),
	N_("%s: row %ld: %s"),
	N_("%s: the workbook is not finished"),
	/* async.c */
	N_("poll: %s"),
	/* db.c: the trace */
	N_("%s: cannot open the trace: %s"),
	N_("%s: the trace must be a regular file of your own that only you may read and write (mode 0600)"),
	N_("COPY chunk too large"),
	/* migrate.c */
	N_("the database schema has migration %04d (%s), which this sgz does not know (it knows up to %04d): the database is newer than this program; upgrade sgz"),
	N_("migration %s leaves functions that take the caller's search_path (pin it with SET search_path = pg_catalog, pg_temp, or write an SQL body as BEGIN ATOMIC): %.700s"),
	N_("migration %s failed: %.900s"),
	/* admin.c */
	N_("'%s' is not a role name sgz gives: a login name of lower-case letters, digits, _ . -, starting with a letter or _, at most 63 characters"),
	N_("'%s' is not one of %s"),
	N_("bad list key"),
	/* browse.c */
	N_("%s: too many key fields"),
	N_("export: too many audit parameters"),
	N_("write failed: %s"),
	N_("%s: not a reference the dictionary knows"),
	/* entities.c: a division level, composed */
	N_("%s is a %s code; %s"),
	/* export.c */
	N_("export failed: %s"),
	/* import.c */
	N_("the database refused some rows"),
	N_("%s: the file is empty: a header line is needed"),
	N_("bad header"),
	N_("unknown column for %s (its columns: %s)"),
	N_("the column appears twice in the header"),
	N_("required column missing from the header"),
	N_("the row has %zu fields, the header %d"),
	N_("%ld rows rejected, nothing imported"),
	/* record.c */
	N_("no such field"),
	/* report.c */
	N_("report %s: the database returns other columns than this sgz expects (is the schema from another version?)"),
	N_("report %s: no context row"),
	N_("your role has no scope in this database; an administrator gives one with sgz user add"),
	/* divtree.c */
	N_("scope %s is not a division code prefix"),
	N_("division %s is not a 12-digit division code"),
	/* grid.c */
	N_("volunteer %s is not registered"),
	/* certificate.c, certificate_pdf.c */
	N_("no volunteer #%lld in your scope"),
	N_("no volunteer %s in your scope"),
	N_("'%s' names no volunteer: give the ID number in full or #PID (the volunteer's pid, as lists show it)"),
	N_("no font with Chinese characters: install the Debian package fonts-noto-cjk"),
	N_("the PDF could not be written: %s"),
	N_("not a certificate of this sgz: line %zu"),
	N_("%d characters of the certificate are in no font installed (they would print as boxes): install the Debian package fonts-noto-cjk"),
	/* the migrations' other rules and refusals */
	N_("activities cannot be truncated while service hours name them"),
	N_("activity %s at station %s on %s still has service hours recorded"),
	N_("audit events are export or open, not %s"),
	N_("ID number %s and pid %s are not one person"),
	N_("insert or update on table \"%s\" violates foreign key constraint \"%s\""),
	N_("kind %s is not one of admin, region, county, station, evaluator"),
	N_("no activity %s at station %s on %s"),
	N_("not a table of people: %s"),
	N_("only an administrator may see a full ID number"),
	N_("permission denied: only an administrator manages the users of sgz"),
	N_("permission denied: only a county user or an administrator submits the monthly progress report"),
	N_("role %s is a superuser, holds CREATEROLE, BYPASSRLS or REPLICATION, or owns the database schema: sgz does not manage it"),
	N_("role %s is not a user of sgz: not dropped"),
	N_("role name \"%s\" is not a login name: lower-case letters, digits, _ . -, starting with a letter or _, at most 63 characters"),
	N_("role name %s is reserved"),
	N_("scope %s is not in the division list"),
	N_("staff member %s is not in the staff list"),
	N_("staff member %s is outside scope %s"),
	N_("setting %s: %s must be more than %s (%s)"),
	N_("the audit trail is append-only: %s is refused"),
	N_("you cannot remove yourself"),
	/* 0022_rollup.sql */
	N_("only the owner of the schema or a superuser may publish this database to a roll-up"),
	N_("only the owner of the schema or a superuser may make this database a roll-up"),
	N_("province %s is not the first two digits of a province's division code"),
	N_("this database is a roll-up: it subscribes to provinces and publishes nothing"),
	N_("this database is already province %s"),
	N_("this database holds records outside province %s"),
	N_("a roll-up starts empty: this database holds stations of its own"),
	N_("this database is a roll-up of provincial databases and is read only: make the change in the province's database"),
	/* 0038_partitions.sql */
	N_("only the owner of the schema or a superuser may add partitions"),
	N_("%s is not partitioned by year"),
	N_("year %s is out of range"),
	N_("%s cannot be partitioned by year: %s"),
	/* 0043_day_total_partitions.sql */
	N_("no partitions are made for %s"),
	/* entities_community.c, 0023_sanshe.sql: 三社联动 and the work around cases */
	N_("%s is a %s code, not a village or community (12 digits)"),
	N_("a registered organisation needs its unified social credit code, starting with 5 (registered with civil affairs)"),
	N_("a filed organisation needs the date it was filed (备案日期)"),
	N_("attendee %s is not an active staff member of station %s on %s"),
	N_("attendee %s is not a staff member active on %s"),
	N_("no attendees: name at least one staff member"),
	N_("case %s is of station %s, not %s"),
	N_("staff member %s made the outreach visit of %s at %s: change that record first"),
	N_("staff member %s attended the supervision of %s at station %s: change that record first"),
	N_("staff member %s attended the training %s of %s: change that record first"),
	/* PostgreSQL's own messages sgz users meet */
	N_("permission denied for table %s"),
	N_("permission denied for view %s"),
	N_("permission denied for schema %s"),
	N_("permission denied for function %s"),
	N_("new row violates row-level security policy for table \"%s\""),
	N_("duplicate key value violates unique constraint \"%s\""),
	N_("null value in column \"%s\" of relation \"%s\" violates not-null constraint"),
	N_("canceling statement due to statement timeout"),
	N_("canceling statement due to lock timeout"),
	N_("canceling statement due to user request"),
	N_("could not serialize access due to concurrent update"),
	N_("deadlock detected"),
	N_("update or delete on table \"%s\" violates foreign key constraint \"%s\" on table \"%s\""),
	/* last: the general forms of what is said above in particular */
	N_("%s %s still has service hours recorded"),
	/* the parts of what db.c composes, and of "FILE: reason" */
	N_("%s (%s)"),
	N_("%s Hint: %s"),
	N_("%s: %s: %s"),
	N_("%s: %s"),
};
/* clang-format on */

#define MAX_ARGS 8

struct capture {
	const char *at;
	size_t len;
};

/* Parses the conversion after a '%' at f: returns its length and sets
 * *conv (0 for "%%"), *pos (the n of "n$", 0 for none). */
static size_t parse_conv(const char *f, char *conv, int *pos)
{
	const char *p = f;

	*pos = 0;
	*conv = 0;
	if (*p == '%')
		return 1;
	if (*p >= '1' && *p <= '9' && p[1] == '$') {
		*pos = *p - '0';
		p += 2;
	}
	while (*p && strchr("-+ #0", *p))
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p == '*')
			p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	while (*p && strchr("hlzjtL", *p))
		p++;
	*conv = *p ? *p : 's';
	return (size_t)(p - f) + (*p ? 1 : 0);
}

/* Could s[0..n) be what conversion conv printed? */
static bool fits(char conv, const char *s, size_t n)
{
	size_t i = 0;

	switch (conv) {
	case 's':
		return true;
	case 'c':
		return n > 0 && n <= 4 && ((unsigned char)s[0] < 0x80 ? n == 1 : true);
	case 'd':
	case 'i':
	case 'u':
		if (n && s[0] == '-')
			i++;
		if (i == n)
			return false;
		for (; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				return false;
		return true;
	case 'x':
	case 'X':
		for (; i < n; i++)
			if (!strchr("0123456789abcdefABCDEF", s[i]))
				return false;
		return n > 0;
	case 'f':
		for (; i < n; i++)
			if (!strchr("-0123456789.", s[i]))
				return false;
		return n > 0;
	default:
		return n > 0;
	}
}

/* Does msg read as format f printed it? caps receives the arguments, as
 * text; *ncaps their count. Shortest arguments first, backtracking. */
static bool match(const char *f, const char *m, struct capture *caps, size_t *ncaps)
{
	while (*f && *f != '%') {
		if (*f++ != *m++)
			return false;
	}
	if (!*f)
		return !*m;
	char conv;
	int pos;
	size_t len = parse_conv(f + 1, &conv, &pos);
	f += 1 + len;
	if (!conv)
		return *m == '%' && match(f, m + 1, caps, ncaps);
	if (*ncaps == MAX_ARGS)
		return false;
	size_t rest = strlen(m);
	for (size_t take = 0; take <= rest; take++) {
		if ((m[take] & 0xC0) == 0x80)
			continue; /* never inside a character */
		if (!fits(conv, m, take))
			continue;
		size_t n = *ncaps + 1;
		caps[*ncaps] = (struct capture){m, take};
		if (match(f, m + take, caps, &n)) {
			*ncaps = n;
			return true;
		}
	}
	return false;
}

static char *translate(const char *msg, int depth);

/* The Chinese label of a choice code the dictionary's lists agree on
 * ("operating": 运营中), or NULL: a status named in a message. */
static const char *choice_zh(const char *code)
{
	size_t ne;
	const struct dict_entity *const *all = dict_entities(&ne);
	const char *found = NULL;

	for (size_t a = 0; a < ne; a++) {
		for (size_t i = 0; i < all[a]->nfields; i++) {
			const struct dict_choice *c = all[a]->fields[i].choices;
			for (; c && c->code; c++) {
				if (strcmp(c->code, code) != 0 || !c->label_zh)
					continue;
				if (found && strcmp(found, c->label_zh) != 0)
					return NULL; /* "office": 办公用房 or 来访接待 */
				found = c->label_zh;
			}
		}
	}
	return found;
}

/* Whether a field of the dictionary has the choice code with the Chinese
 * label zh (of zn bytes). */
static bool choice_known(const char *code, const char *zh, size_t zn)
{
	size_t ne;
	const struct dict_entity *const *all = dict_entities(&ne);

	for (size_t a = 0; a < ne; a++)
		for (size_t i = 0; i < all[a]->nfields; i++)
			for (const struct dict_choice *c = all[a]->fields[i].choices; c && c->code;
			     c++)
				if (c->label_zh && strcmp(c->code, code) == 0 &&
				    strlen(c->label_zh) == zn && memcmp(c->label_zh, zh, zn) == 0)
					return true;
	return false;
}

/* The choices a parse refusal lists ("individual (个案), group (小组)",
 * dict.c) as a Chinese reader types them: "个案、小组". False when arg is
 * not such a list. */
static bool add_choice_labels(struct strbuf *sb, const char *arg)
{
	struct strbuf out = {0};
	const char *p = arg;

	for (;;) {
		const char *open = strstr(p, " (");
		const char *close = open ? strchr(open, ')') : NULL;
		char *code = open ? xstrndup(p, (size_t)(open - p)) : NULL;
		bool ok = close && !strpbrk(code, " (),") &&
			  choice_known(code, open + 2, (size_t)(close - open - 2));
		free(code);
		if (!ok) {
			sb_free(&out);
			return false;
		}
		if (p != arg)
			sb_adds(&out, "、");
		sb_addn(&out, open + 2, (size_t)(close - open - 2));
		if (!close[1])
			break;
		if (strncmp(close + 1, ", ", 2) != 0) {
			sb_free(&out);
			return false;
		}
		p = close + 3;
	}
	sb_adds(sb, sb_str(&out));
	sb_free(&out);
	return true;
}

/* An argument in the interface's language: a message itself (a phone
 * check's reason), a list of them joined by "; ", a choice code, or the
 * list of a field's choices. */
static void add_arg(struct strbuf *sb, const struct capture *c, int depth)
{
	char *arg = xstrndup(c->at, c->len);
	const char *p = arg;

	if (i18n_lang() == I18N_ZH && add_choice_labels(sb, arg)) {
		free(arg);
		return;
	}
	for (;;) {
		const char *sep = depth < 1 ? strstr(p, "; ") : NULL;
		char *piece = xstrndup(p, sep ? (size_t)(sep - p) : strlen(p));
		char *t = depth < 1 ? translate(piece, depth + 1) : xstrdup(piece);
		const char *zh = i18n_lang() == I18N_ZH ? choice_zh(t) : NULL;
		sb_adds(sb, zh ? zh : t);
		free(t);
		free(piece);
		if (!sep)
			break;
		sb_adds(sb, _("; "));
		p = sep + 2;
	}
	free(arg);
}

static char *translate(const char *msg, int depth)
{
	struct capture caps[MAX_ARGS];

	for (size_t k = 0; k < SGZ_ARRAY_LEN(model_msgs); k++) {
		size_t n = 0;
		const char *t;

		if (!match(model_msgs[k], msg, caps, &n))
			continue;
		t = _(model_msgs[k]);
		if (t == model_msgs[k])
			break; /* not in the catalogue (or English): as the model said it */
		struct strbuf sb = {0};
		int next = 0;
		while (*t) {
			char conv;
			int pos;
			if (*t != '%') {
				sb_addc(&sb, *t++);
				continue;
			}
			t += 1 + parse_conv(t + 1, &conv, &pos);
			if (!conv) {
				sb_addc(&sb, '%');
				continue;
			}
			int i = pos ? pos - 1 : next++;
			if (i >= 0 && (size_t)i < n)
				add_arg(&sb, &caps[i], depth);
		}
		return sb_detach(&sb);
	}
	return xstrdup(msg);
}

const char *const *msg_formats(size_t *n)
{
	*n = SGZ_ARRAY_LEN(model_msgs);
	return model_msgs;
}

char *msg_tr(const char *msg)
{
	return translate(msg ? msg : "", 0);
}

