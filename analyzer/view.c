/* view.c: helpers shared by the text, JSON and CSV renderers. */
#include "view.h"

#include <string.h>

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
