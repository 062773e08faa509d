/* render_csv.h: the failure groups as CSV with a header row. */
#ifndef TLSDIAG_RENDER_CSV_H
#define TLSDIAG_RENDER_CSV_H

#include <stdio.h>

#include "view.h"

/*
 * Print one row per failure group (up to v->top) with the header
 * rank,count,share,type,reason,sni,address,program,first_seen,last_seen;
 * with --group-by (v->gb), its table instead: rank,count,share, one
 * column per field, first_seen,last_seen.  Fields are quoted as in RFC 4180 and escaped like text output, without
 * truncation.  Returns 0, or -1 if memory ran out.
 */
int render_csv(const struct view *v, FILE *out);

#endif
