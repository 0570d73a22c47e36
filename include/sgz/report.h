#ifndef SGZ_REPORT_H
#define SGZ_REPORT_H
#endif
