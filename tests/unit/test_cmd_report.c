/*
 * test_cmd_report.c: the report command line, parsed from its table.
 * getopt_long may reorder argv's pointers, never the strings: the casts
 * from const are safe.
 */
#include <criterion/criterion.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../analyzer/cmd_report.h"
#include "../../analyzer/report.h"
#include "../../analyzer/groupby.h"

#define NARGS(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

Test(cmd_report, options_reach_their_fields)
{
	const char *argv[] = { "report", "--format", "json", "--top", "3",
		"--fail-if", "7", "--no-progress", "--no-symbolize", "--now",
		"2026-11-27T06:00:00Z", "--since", "-1h", "--type",
		"SSLEOFError", "a.log", "-", NULL };
	struct report_cli c;
	char err[1200];

	cr_assert_eq(report_cli_parse(NARGS(argv), (char **)argv, &c, err,
			 sizeof(err)),
	    REPORT_CLI_OK, "%s", err);
	cr_expect_eq(c.o.format, REPORT_JSON);
	cr_expect_eq(c.o.top, 3);
	cr_expect_eq(c.fail_if, 7);
	cr_expect_eq(c.no_progress, 1);
	cr_expect_eq(c.o.symbolize, 0);
	cr_expect_eq(c.help, 0);
	cr_expect_str_eq(c.since, "-1h");
	cr_expect_null(c.until);
	cr_expect_eq(c.nfiles, 2);
	cr_expect_str_eq(c.files[0], "a.log");
	cr_expect_str_eq(c.files[1], "-");
	report_opts_free(&c.o);
}

Test(cmd_report, defaults)
{
	const char *argv[] = { "report", NULL };
	struct report_cli c;
	char err[1200];

	cr_assert_eq(report_cli_parse(NARGS(argv), (char **)argv, &c, err,
			 sizeof(err)),
	    REPORT_CLI_OK);
	cr_expect_eq(c.o.format, REPORT_TEXT);
	cr_expect_eq(c.o.top, 10);
	cr_expect_eq(c.fail_if, -1);
	cr_expect_eq(c.o.symbolize, 1);
	cr_expect_eq(c.nfiles, 0);
	report_opts_free(&c.o);
}

/* Help stops parsing: what follows is not looked at. */
Test(cmd_report, help_stops)
{
	const char *argv[] = { "report", "-h", "--top", "x", NULL };
	const char *argv2[] = { "report", "--help", NULL };
	struct report_cli c;
	char err[1200];

	cr_assert_eq(report_cli_parse(NARGS(argv), (char **)argv, &c, err,
			 sizeof(err)),
	    REPORT_CLI_OK);
	cr_expect_eq(c.help, 1);
	report_opts_free(&c.o);
	cr_assert_eq(report_cli_parse(NARGS(argv2), (char **)argv2, &c, err,
			 sizeof(err)),
	    REPORT_CLI_OK);
	cr_expect_eq(c.help, 1);
	report_opts_free(&c.o);
}

static void
expect_error(int status, const char *want, const char **argv, int argc)
{
	struct report_cli c;
	char err[1200];
	int rc;

	rc = report_cli_parse(argc, (char **)argv, &c, err, sizeof(err));
	cr_expect_eq(rc, status, "%s: %d", argv[1], rc);
	if (rc != REPORT_CLI_OK)
		cr_expect_str_eq(err, want);
	report_opts_free(&c.o);
}

Test(cmd_report, errors_say_which_option)
{
	const char *a1[] = { "report", "--top", "x", NULL };
	const char *a2[] = { "report", "--fail-if", "-1", NULL };
	const char *a3[] = { "report", "--format", "yaml", NULL };
	const char *a4[] = { "report", "--bogus", NULL };
	const char *a5[] = { "report", "--top", NULL };
	const char *a6[] = { "report", "-x", NULL };
	const char *a7[] = { "report", "--since", "bad", NULL };
	const char *a8[] = { "report", "--format", "\033[2J", NULL };

	expect_error(REPORT_CLI_BAD_VALUE,
	    "invalid --top 'x': expected a number", a1, NARGS(a1));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "invalid --fail-if '-1': expected a number", a2, NARGS(a2));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "invalid --format 'yaml': "
	    "expected text, json, csv, ndjson or html",
	    a3, NARGS(a3));
	expect_error(REPORT_CLI_BAD_OPTION, "unrecognized option '--bogus'", a4,
	    NARGS(a4));
	expect_error(REPORT_CLI_BAD_OPTION,
	    "option '--top' requires an argument", a5, NARGS(a5));
	expect_error(REPORT_CLI_BAD_OPTION, "unrecognized option '-x'", a6,
	    NARGS(a6));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "--since: invalid time 'bad': "
	    "expected RFC 3339 or -N[smhdw]",
	    a7, NARGS(a7));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "invalid --format '\\x1B[2J': "
	    "expected text, json, csv, ndjson or html",
	    a8, NARGS(a8));
}

Test(cmd_report, issue19_options)
{
	const char *argv[] = { "report", "--group-by", "a.b,c", "--group-by",
		"d", "--baseline", "b1.log", "--baseline", "b2.log", "--format",
		"html", "x.log", NULL };
	const char *a2[] = { "report", "-f", "--now", "2026-11-27T06:00:00Z",
		"--baseline-until", "-1h", "dir", NULL };
	struct report_cli c;
	char err[1200];

	cr_assert_eq(report_cli_parse(NARGS(argv), (char **)argv, &c, err,
			 sizeof(err)),
	    REPORT_CLI_OK, "%s", err);
	cr_expect_eq(c.o.format, REPORT_HTML);
	cr_assert_not_null(c.o.groupby);
	cr_expect_eq(c.o.groupby->npaths, 3);
	cr_expect_str_eq(c.o.groupby->paths[2], "d");
	cr_assert_eq(c.o.nbaseline, 2);
	cr_expect_str_eq(c.o.baseline[1], "b2.log");
	cr_expect_eq(c.o.has_baseline_until, 0);
	cr_expect_eq(c.follow, 0);
	report_opts_free(&c.o);
	/* -f with a baseline: refused; the time itself parsed first */
	cr_expect_eq(report_cli_parse(NARGS(a2), (char **)a2, &c, err,
			 sizeof(err)),
	    REPORT_CLI_BAD_VALUE);
	cr_expect_str_eq(err, "--follow cannot compare with a baseline");
	report_opts_free(&c.o);
}

Test(cmd_report, issue19_errors)
{
	const char *a1[] = { "report", "--group-by", "a,,b", NULL };
	const char *a2[] = { "report", "--baseline", "b.log",
		"--baseline-until", "-1h", "x.log", NULL };
	const char *a3[] = { "report", "--baseline-until", "-1h", "-", NULL };
	const char *a4[] = { "report", "--follow", NULL };
	const char *a5[] = { "report", "--baseline-until", "soon", "x", NULL };

	expect_error(REPORT_CLI_BAD_VALUE,
	    "invalid --group-by 'a,,b': empty field name", a1, NARGS(a1));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "--baseline and --baseline-until cannot be combined", a2,
	    NARGS(a2));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "--baseline-until reads its inputs twice: standard input cannot "
	    "be one",
	    a3, NARGS(a3));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "--follow needs files or directories", a4, NARGS(a4));
	expect_error(REPORT_CLI_BAD_VALUE,
	    "invalid --baseline-until 'soon': expected RFC 3339 or -15m, "
	    "-2h, -3d",
	    a5, NARGS(a5));
}

/* The help is made from the table: every option is in it, aligned. */
Test(cmd_report, help_lists_every_option)
{
	static const char *const names[] = {
		"--since TIME ",
		"--until TIME ",
		"--type TYPE ",
		"--host HOST ",
		"--pid PID ",
		"--exe PATH ",
		"--peer ADDR ",
		"--sni NAME ",
		"--where FIELD=VALUE ",
		"--format FORMAT ",
		"--top N ",
		"--fail-if N ",
		"--now TIME ",
		"--no-progress ",
		"--no-symbolize ",
		"--group-by FIELDS ",
		"--baseline FILE ",
		"--baseline-until TIME\n",
		"-f, --follow ",
		"-h, --help ",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	const char *p;
	size_t i;

	cr_assert_not_null(fp);
	report_cli_usage(fp, 1);
	fclose(fp);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = strstr(buf, names[i]);
		cr_expect_not_null(p, "%s", names[i]);
		if (p != NULL)
			cr_expect_eq(strncmp(p - 3, "\n  ", 3), 0, "%s",
			    names[i]);
	}
	cr_expect_not_null(strstr(buf,
			       "\n                      TIME is "
			       "RFC 3339"),
	    "continuation lines are indented");
	cr_expect_not_null(strstr(buf,
			       "--baseline-until TIME\n                      "
			       "records before"),
	    "a long name has a line of its own");
	free(buf);
}

/*
 * --jobs defaults to the CPUs the report may run on, as nproc(1) counts
 * them: under "taskset -c 0" one thread, not one per online CPU.
 */
Test(cmd_report, default_jobs_follow_the_cpu_mask)
{
	cpu_set_t all, one;
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	cr_assert_eq(sched_getaffinity(0, sizeof(all), &all), 0);
	cr_expect_eq(report_default_jobs(),
	    (unsigned)(CPU_COUNT(&all) < 256 ? CPU_COUNT(&all) : 256));
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	cr_expect_eq(report_default_jobs(), 1, "one CPU allowed of %ld online",
	    online);
	cr_assert_eq(sched_setaffinity(0, sizeof(all), &all), 0);
}
