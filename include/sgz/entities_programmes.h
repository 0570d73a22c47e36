/* entities_programmes.h - the dictionary's entries of spec/programmes.md
 * (programmes, indicator sets, indicator scores, payments, submissions),
 * listed by sgz_entities[] in entities.c, and the choice lists the two
 * files share. */
#ifndef SGZ_ENTITIES_PROGRAMMES_H
#define SGZ_ENTITIES_PROGRAMMES_H

#include "sgz/dict.h"

extern const struct dict_entity programmes, indicators, evaluation_scores, payments, submissions;

/* entities.c's: csv.md's funding sources, evaluation kinds, rules.md's grades */
extern const struct dict_choice funding_sources[], evaluation_kinds[], grades[];

/* The deciding evaluation of contract year c (an SQL expression of its
 * number): a row of (kind, evaluated_on, score, grade), 0025's
 * sgz.contract_deciding(). */
#define DECIDING_SQL(c) "sgz.contract_deciding(" c ")"

#endif
