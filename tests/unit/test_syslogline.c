/*
 * test_syslogline.c: the JSON offset in lines written by collectors.  The
 * prefixes are those rsyslog 8.2302 wrote in t810 (RSYSLOG_FileFormat,
 * RSYSLOG_TraditionalFileFormat, RSYSLOG_SyslogProtocol23Format) and the
 * syslog-ng 3.38 default file template ("${ISODATE} ${HOST} ${MSGHDR}${MSG}",
 * and $DATE for the legacy one), as their manuals give them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../analyzer/syslogline.h"

#define J "{\"@timestamp\":\"2026-11-29T23:56:12.992523Z\"}"

static const struct {
	const char *prefix; /* what comes before J */
	int found;	    /* 1: J found after prefix; 0: offset 0 */
} cases[] = {
	{ "", 1 },
	{ "2026-11-29T23:56:12.992523+00:00 vm failer[12629]: @cee:", 1 },
	{ "2026-11-29T23:56:12.992523+00:00 vm failer[12629]: ", 1 },
	{ "2026-11-29T23:56:12+00:00 vm failer[12629]: @cee: ", 1 },
	{ "Nov 29 23:56:12 vm failer[12629]: @cee:", 1 },
	{ "2026-11-30T00:05:50.576458+00:00 vm failer[16462] @cee:", 1 },
	{ "Nov  1 03:04:05 vm failer[1]: ", 1 },
	{ "Nov 1 03:04:05 vm curl: ", 1 },
	{ "<11>Nov 29 23:56:12 vm failer[12629]: @cee:", 1 },
	{ "<11>1 2026-11-29T23:56:12.992523Z vm failer 12629 tlsdiag - @cee:",
	    1 },
	{ "<11>1 2026-11-29T23:56:12.992523+00:00 vm failer 12629 tlsdiag - ",
	    1 },
	{ "<11>1 - - - - - - \xef\xbb\xbf", 1 },
	{ "<11>1 - h a 1 m [x@1 a=\"b\\]c\"][y@2] @cee:", 1 },
	/* rsyslog's imuxsock default parser: RFC 5424 header inside MSG */
	{ "2026-11-30T00:06:11.564577+00:00 vm 1 2026-11-30T00:06:11.564436Z "
	  "vm failer 17954 tlsdiag - @cee:",
	    1 },
	/* not a syslog prefix: left whole for the parser to judge */
	{ "garbage ", 0 },
	{ "Nov 29 23:56:12 vm failer[12629] text ", 0 },
	{ "Foo 29 23:56:12 vm failer[1]: ", 0 },
	{ "<11>1 2026-11-29T23:56:12Z vm failer 12629 ", 0 },
	{ "<11>1 - - - - - [unclosed ", 0 },
	{ "<1234>1 - - - - - - ", 0 },
	{ "2026-11-29T23:56:12+00:00 vm failer[1]: not json ", 0 },
	{ "<11", 0 },
};

Test(syslogline, table)
{
	char line[512];
	size_t i, want, got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "%s%s", cases[i].prefix, J);
		want = cases[i].found ? strlen(cases[i].prefix) : 0;
		got = syslogline_json(line, strlen(line));
		cr_expect_eq(got, want, "case %zu '%s': got %zu, want %zu", i,
		    cases[i].prefix, got, want);
	}
}

/* Bounded by len: a prefix cut anywhere never reads past it. */
Test(syslogline, cut_lines)
{
	static const char full[] =
	    "<11>1 2026-11-29T23:56:12Z vm failer 12629 tlsdiag - @cee:" J;
	size_t n;

	for (n = 0; n < sizeof(full) - 1; n++) {
		char *p = malloc(n + 1);

		memcpy(p, full, n);
		cr_expect_leq(syslogline_json(p, n), n);
		free(p);
	}
	cr_expect_eq(syslogline_json("", 0), 0);
}
