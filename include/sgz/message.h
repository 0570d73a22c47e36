/* message.h - the model's and the database's messages in the reader's
 * language (message.c). */
#ifndef SGZ_MESSAGE_H
#define SGZ_MESSAGE_H

#include <stddef.h>

/* msg in the interface's language: a message sgz's lower layers or the
 * database's rules said in English, translated with its arguments by the
 * catalogue; a message it does not know comes back as it is. Never NULL
 * (msg may be); the caller frees. */
char *msg_tr(const char *msg);

/* The formats msg_tr() knows (for the tests: each has a translation). */
const char *const *msg_formats(size_t *n);

#endif
