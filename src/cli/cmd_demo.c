/* placeholder */
#include "config.h"
typedef int sgz_placeholder_cmd_demo;
