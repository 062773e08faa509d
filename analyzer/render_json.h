/* render_json.h: the versioned, self-describing JSON report. */
#ifndef TLSDIAG_RENDER_JSON_H
#define TLSDIAG_RENDER_JSON_H

#include <stdio.h>

#include "view.h"

/* Version of the JSON report layout ("version" member). */
#define RENDER_JSON_VERSION 1

/*
 * Print the report as one JSON document:
 * {"format":"tlsdiag-report","version":1,...}.  Strings are made valid
 * UTF-8.  Returns 0, or -1 if memory ran out.
 */
int render_json(const struct view *v, FILE *out);

#endif
