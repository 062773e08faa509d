/* filter.h: which records a report looks at (--since, --type, --where...). */
#ifndef TLSDIAG_FILTER_H
#define TLSDIAG_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "logrecord.h"

enum filter_field {
	FILTER_TYPE,  /* error.type; CertificateError is an alias */
	FILTER_HOST,  /* host.hostname */
	FILTER_PID,   /* process.pid */
	FILTER_EXE,   /* process.executable, or its name */
	FILTER_PEER,  /* peer ip, ip:port, or SNI */
	FILTER_SNI,   /* tls.client.server_name, case-insensitive */
	FILTER_WHERE, /* FIELD=VALUE on a dotted path */
	FILTER_NFIELDS
};

struct filter_term {
	enum filter_field field;
	char *path; /* FILTER_WHERE: the dotted path */
	char *value;
	int64_t num; /* FILTER_PID */
};

/*
 * Terms of the same field are alternatives (OR); different fields and
 * every --where term must all hold (AND).
 */
struct filter {
	struct filter_term *terms;
	size_t nterms;
	int has_since;
	int has_until;
	int64_t since; /* microseconds, inclusive */
	int64_t until; /* microseconds, exclusive */
};

/* Initialize an empty filter that matches everything. */
void filter_init(struct filter *f);

/* Free the terms. */
void filter_free(struct filter *f);

/*
 * Add a term.  Returns 0, or -1 with a message in err if value is invalid
 * for field (a PID that is not a number, a --where without '=') or memory
 * ran out.
 */
int filter_add(struct filter *f, enum filter_field field, const char *value,
    char *err, size_t errsz);

/*
 * Parse a time: RFC 3339, or relative to now (microseconds): "-15m",
 * "-2h", "-3d", "-1w", "-30s" (the sign may be omitted).  Stores
 * microseconds in *out.  Returns 0 or -1.
 */
int filter_parse_time(const char *spec, int64_t now, int64_t *out);

/* Set --since (until == 0) or --until.  Returns 0 or -1 with err set. */
int filter_set_time(struct filter *f, int until, const char *spec, int64_t now,
    char *err, size_t errsz);

/* Does r pass every condition?  Returns 1 or 0. */
int filter_match(const struct filter *f, const struct record *r);

#endif
