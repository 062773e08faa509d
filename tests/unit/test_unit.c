/* test_unit.c: unit names, Exec*= programs and the drop-in (enable). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../analyzer/unit.h"

Test(unit, names)
{
	static const struct {
		const char *in, *want; /* want NULL: refused */
	} c[] = {
		{ "nginx", "nginx.service" },
		{ "nginx.service", "nginx.service" },
		{ "getty@tty1", "getty@tty1.service" },
		{ "a\\x2db.service", "a\\x2db.service" },
		{ "nginx.socket", NULL },
		{ "../etc/passwd", NULL },
		{ "a/b", NULL },
		{ ".service", NULL },
		{ ".hidden", NULL },
		{ "", NULL },
		{ "sp ace", NULL },
	};
	char out[UNIT_NAME_MAX];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int rc = unit_name(c[i].in, out, sizeof(out));

		if (c[i].want == NULL) {
			cr_expect_eq(rc, -1, "'%s' accepted", c[i].in);
			continue;
		}
		cr_expect_eq(rc, 0, "'%s' refused", c[i].in);
		cr_expect_str_eq(out, c[i].want);
	}
	cr_expect_eq(unit_template("getty@tty1.service", out, sizeof(out)), 0);
	cr_expect_str_eq(out, "getty@.service");
	cr_expect_eq(unit_template("nginx.service", out, sizeof(out)), -1);
	cr_expect_eq(unit_template("getty@.service", out, sizeof(out)), -1);
}

struct seen {
	char progs[8][64];
	int n;
};

static int
collect(const char *path, void *arg)
{
	struct seen *s = arg;

	if (s->n < 8)
		snprintf(s->progs[s->n++], 64, "%s", path);
	return 0;
}

Test(unit, exec_scan)
{
	static const char text[] =
	    "[Unit]\n"
	    "ExecStart=/not/in/service\n"
	    "[Service]\n"
	    "# ExecStart=/commented\n"
	    "ExecStartPre=-/usr/bin/true\n"
	    "ExecStart = @+/usr/sbin/nginx -g 'daemon off;'\n"
	    "ExecStart=\n"
	    "ExecStart=\"/opt/my app/bin\" --flag \\\n"
	    "ExecStart=/continuation/line\n"
	    "ExecReload=nginx -s reload\r\n"
	    "ExecStop=%h/bin/stop\n"
	    "Environment=ExecStart=/no\n"
	    "[Install]\n"
	    "ExecStart=/not/either\n";
	struct seen s = { .n = 0 };

	cr_expect_eq(unit_exec_scan(text, collect, &s), 5);
	cr_assert_eq(s.n, 5);
	cr_expect_str_eq(s.progs[0], "/usr/bin/true");
	cr_expect_str_eq(s.progs[1], "/usr/sbin/nginx");
	cr_expect_str_eq(s.progs[2], "/opt/my app/bin");
	cr_expect_str_eq(s.progs[3], "nginx");
	cr_expect_str_eq(s.progs[4], "", "specifiers: cannot tell");
}

Test(unit, dropin)
{
	char out[2048];
	int n;

	n = unit_dropin(out, sizeof(out), "/usr/lib/x/tlsdiag/libtlsdiag.so",
	    "/var/log/tlsdiag/%u-%p.jsonl");
	cr_assert_gt(n, 0);
	cr_expect_str_eq(out,
	    "# Written by \"tlsdiag enable\"; \"tlsdiag disable\" removes it.\n"
	    "[Service]\n"
	    "Environment=\"LD_PRELOAD=/usr/lib/x/tlsdiag/libtlsdiag.so\"\n"
	    "Environment=\"TLSDIAG_LOG=/var/log/tlsdiag/%%u-%%p.jsonl\"\n"
	    "ReadWritePaths=-/var/log/tlsdiag\n");
	cr_expect_eq((size_t)n, strlen(out));
	n = unit_dropin(out, sizeof(out), "/l.so", "syslog:");
	cr_assert_gt(n, 0);
	cr_expect_null(strstr(out, "ReadWritePaths"));
	cr_expect_eq(unit_dropin(out, sizeof(out), "/l.so", "/a\"b"), -1);
	cr_expect_eq(unit_dropin(out, sizeof(out), "/l\n.so", "/a"), -1);
	cr_expect_eq(unit_dropin(out, 40, "/l.so", "/a/b"), -1);
}
