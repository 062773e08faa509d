/*
 * view.c: helpers shared by the text, JSON and CSV renderers and the run
 * summary, and the sentences they say about coverage, composed once here.
 */
#include "view.h"

#include <stdio.h>
#include <string.h>

#include "termsafe.h"

size_t
view_limit(const struct view *v, size_t n)
{
	if (v->top != 0 && v->top < n)
		return v->top;
	return n;
}

double
view_share(const struct view *v, uint64_t count)
{
	if (v->agg->failures == 0)
		return 0.0;
	return 100.0 * (double)count / (double)v->agg->failures;
}

void
view_frame(const struct view *v, const struct agg_frame *f,
    struct sym_result *out)
{
	if (v->sym == NULL || f->module == NULL || f->offset == RECORD_NONE ||
	    f->offset <= 0) {
		memset(out, 0, sizeof(*out));
		out->status = SYM_NO_MODULE;
		return;
	}
	symbolize(v->sym, f->module, f->build_id, (uint64_t)f->offset, out);
}

void
view_note_describe(int kind, const char *program, const char *detail,
    uint64_t count, char *buf, size_t bufsz)
{
	char more[48] = "";
	int n;

	if (count > 1)
		snprintf(more, sizeof(more), " (%llu processes)",
		    (unsigned long long)count);
	switch (kind) {
	case AGG_NOTE_STATIC:
		n = snprintf(buf, bufsz,
		    "%s carries its own OpenSSL "
		    "(statically linked): nothing could be hooked",
		    program);
		break;
	case AGG_NOTE_STATIC_TOO:
		n = snprintf(buf, bufsz,
		    "%s carries its own OpenSSL "
		    "(statically linked) besides libssl: calls to its own "
		    "copy could not be hooked",
		    program);
		break;
	case AGG_NOTE_OTHER_TLS:
		n = snprintf(buf, bufsz,
		    "%s uses %s, which tlsdiag does not "
		    "cover",
		    program, detail);
		break;
	case AGG_NOTE_ALSO_TLS:
		n = snprintf(buf, bufsz,
		    "%s also loaded %s, which tlsdiag "
		    "does not cover",
		    program, detail);
		break;
	case AGG_NOTE_PRIVATE:
		n = snprintf(buf, bufsz,
		    "%s loaded %s privately but no TLS "
		    "call reached tlsdiag",
		    program, detail);
		break;
	case AGG_NOTE_NO_CALL:
		n = snprintf(buf, bufsz, "%s links %s but made no TLS call",
		    program, detail);
		break;
	case AGG_NOTE_INTERNAL:
		n = snprintf(buf, bufsz,
		    "%s called OpenSSL only from inside "
		    "libssl (dlsym pointers or BIO_f_ssl): its own failures "
		    "may be unseen",
		    program);
		break;
	default:
		n = snprintf(buf, bufsz, "%s: %s", program, detail);
		break;
	}
	if (n >= 0 && (size_t)n < bufsz)
		snprintf(buf + n, bufsz - (size_t)n, "%s", more);
}

const char *
view_suppressed(uint64_t n, char *buf, size_t bufsz)
{
	if (n == 0)
		snprintf(buf, bufsz, "%s", "");
	else
		snprintf(buf, bufsz, ", %llu more suppressed by the rate limit",
		    (unsigned long long)n);
	return buf;
}

const char *
view_group_line(const struct agg_group *g, char *buf, size_t bufsz)
{
	char b[5][128];
	int sni = strcmp(g->sni, "-") != 0, addr = strcmp(g->addr, "-") != 0;

	termsafe_escape(g->type, 60, b[0], sizeof(b[0]));
	termsafe_escape(g->reason, 80, b[1], sizeof(b[1]));
	termsafe_escape(sni ? g->sni : g->addr, 60, b[2], sizeof(b[2]));
	termsafe_escape(g->addr, 60, b[4], sizeof(b[4]));
	termsafe_escape(g->program, 40, b[3], sizeof(b[3]));
	snprintf(buf, bufsz, "%s: %s  peer %s%s%s%s  program %s", b[0], b[1],
	    b[2], sni && addr ? " (" : "", sni && addr ? b[4] : "",
	    sni && addr ? ")" : "", b[3]);
	return buf;
}
