/* entities_community.h - the dictionary's entries of 三社联动 and the work
 * around cases (spec/programmes.md): community organisations, outreach
 * visits, supervisions, trainings and charitable resources; listed in
 * sgz_entities[] by entities.c. */
#ifndef SGZ_ENTITIES_COMMUNITY_H
#define SGZ_ENTITIES_COMMUNITY_H

#include "sgz/dict.h"

extern const struct dict_entity sgz_community_orgs;
extern const struct dict_entity sgz_outreach_visits;
extern const struct dict_entity sgz_supervisions;
extern const struct dict_entity sgz_trainings;
extern const struct dict_entity sgz_resources;

/* entities.c's choice lists these share: rules.md's recipient categories
 * (an outreach visit's needs), csv.md's registration levels (a training's) */
extern const struct dict_choice sgz_recipient_categories[];
extern const struct dict_choice sgz_registration_levels[];

#endif
