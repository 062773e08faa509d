/* render_html.h: the report as one self-contained HTML page. */
#ifndef TLSDIAG_RENDER_HTML_H
#define TLSDIAG_RENDER_HTML_H

#include <stdio.h>

#include "view.h"

/*
 * Write s as HTML text or attribute value: first made visible as
 * termsafe_escape() does (controls, bidi, bytes that are not UTF-8; cut
 * to maxlen bytes, 0: no limit), then & < > " ' as character references.
 * NULL is written as "-".
 */
void render_html_text(FILE *out, const char *s, size_t maxlen);

/*
 * Print the report as one HTML page: no script, no external resource (a
 * Content-Security-Policy says so too), an inline SVG timeline of the
 * failures by type (from v->tl when set), the top groups, --group-by and
 * --baseline tables, certificates with their expiry, call sites and
 * coverage notes, laid out to fit a phone.  Every record value is
 * escaped.  Returns 0, or -1 if memory ran out.
 */
int render_html(const struct view *v, FILE *out);

#endif
