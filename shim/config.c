/*
 * config.c: parse the TLSDIAG_* environment variables.  Pure functions of
 * their inputs, so tests can feed any environment.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

const char *const config_pysource_names[3] = { "default", "env", "detected" };

/* One decimal component of at most 3 digits; -1 if none. */
static int
pyver_part(const char **s)
{
	int v = 0, n = 0;

	while (**s >= '0' && **s <= '9' && n < 3) {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	if (n == 0 || (**s >= '0' && **s <= '9'))
		return -1;
	return v;
}

unsigned
config_parse_pyver(const char *s, const char **end)
{
	int major, minor = -1, micro = -1;

	major = pyver_part(&s);
	if (major != 3)
		return 0;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9') {
		s++;
		minor = pyver_part(&s);
		if (minor < 0 || minor > 255)
			return 0;
	}
	if (minor >= 0 && *s == '.' && s[1] >= '0' && s[1] <= '9') {
		s++;
		micro = pyver_part(&s);
		if (micro < 0 || micro > 255)
			return 0;
	}
	if (end != NULL)
		*end = s;
	if (minor < 0)
		return PYVER_DEFAULT;
	if (micro < 0)
		micro = minor == 11 ? 5 : 0;
	return PYVER(major, minor, micro);
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->enabled = 1;
	snprintf(c->log, sizeof(c->log), "%s", CONFIG_DEFAULT_LOG);
	c->pyver = PYVER_DEFAULT;
	snprintf(c->python, sizeof(c->python), "3.13");
	c->python_source = CONFIG_PY_DEFAULT;
	c->depth = CONFIG_DEFAULT_DEPTH;
	c->rate = CONFIG_DEFAULT_RATE;
}

/* Parse a decimal in [0, max]; -1 if s is not one. */
static long
parse_num(const char *s, long max)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > max)
		return -1;
	return v;
}

static int
parse_bool(const char *s)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "yes") == 0 ||
	    strcmp(s, "true") == 0 || strcmp(s, "on") == 0)
		return 1;
	if (strcmp(s, "0") == 0 || strcmp(s, "no") == 0 ||
	    strcmp(s, "false") == 0 || strcmp(s, "off") == 0 || *s == '\0')
		return 0;
	return -1;
}

static int
bad(char *err, size_t errlen, const char *name, const char *val)
{
	if (err != NULL && errlen > 0 && err[0] == '\0')
		snprintf(err, errlen, "ignoring %s='%.64s'", name, val);
	return -1;
}

const char *
config_syslog_socket(const char *log)
{
	size_t n = sizeof(CONFIG_SYSLOG_PREFIX) - 1;

	if (strncmp(log, CONFIG_SYSLOG_PREFIX, n) != 0)
		return NULL;
	return log[n] == '\0' ? CONFIG_SYSLOG_DEFAULT : log + n;
}

/*
 * Why the syslog socket path s (after "syslog:") cannot be used, or NULL.
 * No % sequences: the path is used as it is, never expanded.
 */
static const char *
syslog_problem(const char *s)
{
	if (*s == '\0')
		return NULL;
	if (*s != '/')
		return CONFIG_WHY_RELATIVE;
	if (strlen(s) >= CONFIG_SYSLOG_PATH_MAX)
		return CONFIG_WHY_SOCKET;
	if (strchr(s, '%') != NULL)
		return CONFIG_WHY_PERCENT;
	return NULL;
}

/* Why the template v cannot be used as TLSDIAG_LOG, or NULL if it can. */
static const char *
log_problem(const char *v, size_t cap)
{
	const char *p;

	if (config_syslog_socket(v) != NULL)
		return syslog_problem(v + sizeof(CONFIG_SYSLOG_PREFIX) - 1);
	if (*v != '/')
		return CONFIG_WHY_RELATIVE;
	if (strlen(v) >= cap)
		return CONFIG_WHY_LONG;
	for (p = v; *p != '\0'; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p != 'p' && *p != 'h' && *p != 'u' && *p != '%')
			return CONFIG_WHY_PERCENT;
	}
	return NULL;
}

int
config_load(struct config *c, const char *(*get)(const char *name), int secure,
    char *err, size_t errlen)
{
	const char *v;
	long n;
	int b, rc = 0;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (secure)
		return 0;
	if ((v = get("TLSDIAG_DISABLE")) != NULL) {
		b = parse_bool(v);
		if (b < 0)
			rc = bad(err, errlen, "TLSDIAG_DISABLE", v);
		else
			c->enabled = !b;
	}
	if ((v = get("TLSDIAG_DEBUG")) != NULL) {
		b = parse_bool(v);
		if (b < 0)
			rc = bad(err, errlen, "TLSDIAG_DEBUG", v);
		else
			c->debug = b;
	}
	if ((v = get("TLSDIAG_LOG")) != NULL && *v != '\0') {
		c->log_why = log_problem(v, sizeof(c->log));
		if (c->log_why != NULL) {
			rc = bad(err, errlen, "TLSDIAG_LOG", v);
			str_cat(c->log_given, sizeof(c->log_given), v, STR_END);
		} else
			str_cat(c->log, sizeof(c->log), v, STR_END);
	}
	if ((v = get("TLSDIAG_PYTHON")) != NULL && *v != '\0') {
		const char *end = NULL;
		unsigned pv = config_parse_pyver(v, &end);

		if (pv == 0 || *end != '\0' || strlen(v) >= sizeof(c->python))
			rc = bad(err, errlen, "TLSDIAG_PYTHON", v);
		else {
			c->pyver = pv;
			str_cat(c->python, sizeof(c->python), v, STR_END);
			c->python_source = CONFIG_PY_ENV;
		}
	}
	if ((v = get("TLSDIAG_CLEAN_CLOSE")) != NULL) {
		b = parse_bool(v);
		if (b < 0)
			rc = bad(err, errlen, "TLSDIAG_CLEAN_CLOSE", v);
		else
			c->clean_close = b;
	}
	if ((v = get("TLSDIAG_BACKTRACE")) != NULL && *v != '\0') {
		n = parse_num(v, CONFIG_MAX_DEPTH);
		if (n < 0)
			rc = bad(err, errlen, "TLSDIAG_BACKTRACE", v);
		else
			c->depth = (int)n;
	}
	if ((v = get("TLSDIAG_BACKTRACE_REPEAT")) != NULL) {
		b = parse_bool(v);
		if (b < 0)
			rc = bad(err, errlen, "TLSDIAG_BACKTRACE_REPEAT", v);
		else
			c->repeat_frames = b;
	}
	if ((v = get("TLSDIAG_RATE")) != NULL && *v != '\0') {
		n = parse_num(v, 1000000);
		if (n < 0)
			rc = bad(err, errlen, "TLSDIAG_RATE", v);
		else
			c->rate = (unsigned)n;
	}
	return rc;
}

/*
 * Copy name into out[0..cap) as one file name component: '/' and a leading
 * '.' become '_'.  Returns what snprintf() would: the length it needs.
 */
static int
put_name(char *out, size_t cap, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < n && i + 1 < cap; i++)
		out[i] = name[i] == '/' || (i == 0 && name[i] == '.') ? '_' :
									name[i];
	if (cap > 0)
		out[i] = '\0';
	return n > INT_MAX ? -1 : (int)n;
}

int
config_expand(const char *tmpl, long pid, const char *host, unsigned long uid,
    char *out, size_t cap)
{
	size_t o = 0;
	int n;
	const char *p;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '%') {
			if (o + 1 >= cap)
				return -1;
			out[o++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'p':
			n = snprintf(out + o, cap - o, "%ld", pid);
			break;
		case 'u':
			n = snprintf(out + o, cap - o, "%lu", uid);
			break;
		case 'h':
			n = put_name(out + o, cap - o, host);
			break;
		case '%':
			n = snprintf(out + o, cap - o, "%%");
			break;
		default:
			return -1;
		}
		if (n < 0 || (size_t)n >= cap - o)
			return -1;
		o += (size_t)n;
	}
	if (o >= cap)
		return -1;
	out[o] = '\0';
	return 0;
}
