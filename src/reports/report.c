/* placeholder */
#include "config.h"
typedef int sgz_placeholder_report;
