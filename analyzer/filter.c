/*
 * filter.c: record selection.  Each shortcut option maps to one field of
 * the record; --where reaches any field by dotted path and compares it by
 * type (string, number, true/false/null).
 */
#include "filter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "certtime.h"
#include "pathbase.h"

void
filter_init(struct filter *f)
{
	memset(f, 0, sizeof(*f));
}

void
filter_free(struct filter *f)
{
	size_t i;

	for (i = 0; i < f->nterms; i++) {
		free(f->terms[i].path);
		free(f->terms[i].value);
	}
	free(f->terms);
	filter_init(f);
}

static int
parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int
filter_add(struct filter *f, enum filter_field field, const char *value,
    char *err, size_t errsz)
{
	struct filter_term *nt;
	struct filter_term t;
	const char *eq;

	memset(&t, 0, sizeof(t));
	t.field = field;
	if (field == FILTER_PID && parse_int(value, &t.num) == -1) {
		snprintf(err, errsz, "invalid pid '%s'", value);
		return -1;
	}
	if (field == FILTER_WHERE) {
		eq = strchr(value, '=');
		if (eq == NULL || eq == value) {
			snprintf(err, errsz,
			    "invalid --where '%s': expected FIELD=VALUE",
			    value);
			return -1;
		}
		t.path = strndup(value, (size_t)(eq - value));
		t.value = strdup(eq + 1);
	} else if (field == FILTER_TYPE) {
		t.value = strdup(record_canonical_type(value));
	} else
		t.value = strdup(value);
	nt = realloc(f->terms, (f->nterms + 1) * sizeof(*nt));
	if (t.value == NULL || (field == FILTER_WHERE && t.path == NULL) ||
	    nt == NULL) {
		free(t.path);
		free(t.value);
		if (nt != NULL)
			f->terms = nt;
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	f->terms = nt;
	f->terms[f->nterms++] = t;
	return 0;
}

int
filter_parse_time(const char *spec, int64_t now, int64_t *out)
{
	const char *p = spec;
	char *end;
	long long n;
	int64_t unit;

	if (certtime_parse_rfc3339(spec, out) == 0)
		return 0;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	n = strtoll(p, &end, 10);
	if (errno != 0 || n > 1000000000LL)
		return -1;
	switch (*end) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	case 'w':
		unit = 7 * 86400;
		break;
	default:
		return -1;
	}
	if (end[1] != '\0')
		return -1;
	*out = now - (int64_t)n * unit * 1000000;
	return 0;
}

int
filter_set_time(struct filter *f, int until, const char *spec, int64_t now,
    char *err, size_t errsz)
{
	int64_t t;

	if (filter_parse_time(spec, now, &t) == -1) {
		snprintf(err, errsz,
		    "invalid time '%s': expected RFC 3339 "
		    "or -N[smhdw]",
		    spec);
		return -1;
	}
	if (until) {
		f->until = t;
		f->has_until = 1;
	} else {
		f->since = t;
		f->has_since = 1;
	}
	return 0;
}

/* Does the peer address or name match "ip", "ip:port" or a name? */
static int
match_peer(const struct record *r, const char *want)
{
	char buf[128];

	if (r->sni != NULL && strcasecmp(r->sni, want) == 0)
		return 1;
	if (r->peer_ip == NULL)
		return 0;
	if (strcmp(r->peer_ip, want) == 0)
		return 1;
	if (r->peer_port == RECORD_NONE)
		return 0;
	snprintf(buf, sizeof(buf),
	    strchr(r->peer_ip, ':') != NULL ? "[%s]:%lld" : "%s:%lld",
	    r->peer_ip, (long long)r->peer_port);
	return strcmp(buf, want) == 0;
}

static int
match_term(const struct filter_term *t, const struct record *r)
{
	switch (t->field) {
	case FILTER_TYPE:
		return r->type != NULL &&
		    strcmp(record_canonical_type(r->type), t->value) == 0;
	case FILTER_HOST:
		return r->host != NULL && strcmp(r->host, t->value) == 0;
	case FILTER_PID:
		return r->pid == t->num;
	case FILTER_EXE:
		if (r->exe != NULL &&
		    (strcmp(r->exe, t->value) == 0 ||
			strcmp(path_base(r->exe), t->value) == 0))
			return 1;
		return r->name != NULL && strcmp(r->name, t->value) == 0;
	case FILTER_PEER:
		return match_peer(r, t->value);
	case FILTER_SNI:
		return r->sni != NULL && strcasecmp(r->sni, t->value) == 0;
	case FILTER_WHERE:
		return record_where(r, t->path, t->value);
	case FILTER_NFIELDS:
		break;
	}
	return 0;
}

int
filter_match(const struct filter *f, const struct record *r)
{
	int seen[FILTER_NFIELDS] = { 0 };
	int ok[FILTER_NFIELDS] = { 0 };
	size_t i;
	int k;
	int m;

	if (f->has_since && r->ts < f->since)
		return 0;
	if (f->has_until && r->ts >= f->until)
		return 0;
	for (i = 0; i < f->nterms; i++) {
		k = f->terms[i].field;
		m = match_term(&f->terms[i], r);
		if (k == FILTER_WHERE && !m)
			return 0;
		seen[k] = 1;
		ok[k] |= m;
	}
	for (k = 0; k < FILTER_NFIELDS; k++)
		if (seen[k] && !ok[k])
			return 0;
	return 1;
}
