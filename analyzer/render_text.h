/* render_text.h: the human-readable report. */
#ifndef TLSDIAG_RENDER_TEXT_H
#define TLSDIAG_RENDER_TEXT_H

#include <stdio.h>

#include "view.h"

/*
 * Print the full text report of v to out.  Every string that came from a
 * record is escaped and long ones are cut (see termsafe.h).  Returns 0,
 * or -1 if memory ran out while sorting.
 */
int render_text(const struct view *v, FILE *out);

#endif
