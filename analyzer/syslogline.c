/*
 * syslogline.c: skip the syslog header in front of a record, so lines from
 * a collector's file (docs/log-format.md, "Syslog framing") parse like the
 * shim's own.  Recognizes headers only; anything else is left to the
 * record parser to judge.
 */
#include "syslogline.h"

#include <string.h>

/* A cursor over the line: p moves, end is fixed. */
struct cur {
	const char *p, *end;
};

static int
at(const struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static int
is_digit(const struct cur *c)
{
	return c->p < c->end && *c->p >= '0' && *c->p <= '9';
}

/* Skip one or more characters other than ' ', then one ' '. */
static int
token(struct cur *c)
{
	const char *s = c->p;

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	if (c->p == s || !at(c, ' '))
		return -1;
	c->p++;
	return 0;
}

/* "<PRI>": 1 to 3 digits in angle brackets. */
static int
pri(struct cur *c)
{
	int n = 0;

	if (!at(c, '<'))
		return -1;
	c->p++;
	while (is_digit(c) && n < 3) {
		c->p++;
		n++;
	}
	if (n == 0 || !at(c, '>'))
		return -1;
	c->p++;
	return 0;
}

/* RFC 5424 STRUCTURED-DATA: "-" or "[...]" elements, '\]' escaped. */
static int
sd(struct cur *c)
{
	if (at(c, '-')) {
		c->p++;
		return 0;
	}
	if (!at(c, '['))
		return -1;
	while (at(c, '[')) {
		while (c->p < c->end && *c->p != ']') {
			if (*c->p == '\\' && c->p + 1 < c->end)
				c->p++;
			c->p++;
		}
		if (!at(c, ']'))
			return -1;
		c->p++;
	}
	return 0;
}

/* RFC 3164 "Mmm dd hh:mm:ss " (day space-padded) or an RFC 3339 token. */
static int
stamp(struct cur *c)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	if (is_digit(c))
		return token(c);
	if (c->end - c->p < 16)
		return -1;
	for (i = 0; i < 12; i++)
		if (memcmp(c->p, months + 3 * i, 3) == 0)
			break;
	if (i == 12 || c->p[3] != ' ')
		return -1;
	c->p += 4;
	if (at(c, ' '))
		c->p++;
	return token(c) == 0 && token(c) == 0 ? 0 : -1;
}

/*
 * The TAG, one token: "curl[812]:" (RFC 3164), or "curl[812]" as rsyslog
 * writes a tag it made of an RFC 5424 APP-NAME and PROCID.
 */
static int
tag(struct cur *c)
{
	return token(c);
}

/* MSG: optional BOM, spaces, "@cee:", spaces; then it must be '{'. */
static size_t
msg(struct cur *c, const char *line)
{
	static const char bom[] = "\xef\xbb\xbf";

	if (c->end - c->p >= 3 && memcmp(c->p, bom, 3) == 0)
		c->p += 3;
	while (at(c, ' '))
		c->p++;
	if (c->end - c->p >= 5 && memcmp(c->p, "@cee:", 5) == 0)
		c->p += 5;
	while (at(c, ' '))
		c->p++;
	return at(c, '{') ? (size_t)(c->p - line) : 0;
}

/* After "<PRI>1 ": TIMESTAMP HOST APP PROCID MSGID SD MSG. */
static size_t
rfc5424_rest(struct cur *c, const char *line)
{
	int i;

	for (i = 0; i < 5; i++)
		if (token(c) < 0)
			return 0;
	if (sd(c) < 0 || !at(c, ' '))
		return 0;
	c->p++;
	return msg(c, line);
}

size_t
syslogline_json(const char *line, size_t len)
{
	struct cur c = { line, line + len };
	const char *t;
	size_t off;

	if (len == 0 || line[0] == '{')
		return 0;
	if (at(&c, '<')) {
		if (pri(&c) < 0)
			return 0;
		if (c.end - c.p >= 2 && c.p[0] == '1' && c.p[1] == ' ') {
			c.p += 2;
			return rfc5424_rest(&c, line);
		}
	}
	if (stamp(&c) < 0 || token(&c) < 0)
		return 0;
	t = c.p;
	if (tag(&c) < 0)
		return 0;
	off = msg(&c, line);
	/*
	 * A receiver that reads RFC 3164 only (rsyslog's imuxsock with its
	 * default parser, journald) takes the "1" of an RFC 5424 header for
	 * the tag and keeps the rest of the header in MSG.
	 */
	if (off == 0 && c.p - t == 2 && t[0] == '1') {
		c.p = t + 2;
		off = rfc5424_rest(&c, line);
	}
	return off;
}
