/*
 * cmd_report.c: the "tlsdiag report" command line.  The options are the
 * table below; getopt_long(3)'s table and the help text are made from it.
 * report_cli_parse() turns argv into report options and returns errors;
 * cmd_report() is the layer that prints them and picks the exit status.
 */
#include "cmd_report.h"

#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certtime.h"
#include "exitcode.h"
#include "filter.h"
#include "follow.h"
#include "groupby.h"
#include "termsafe.h"

static const char report_synopsis[] =
    "usage: tlsdiag report [--since TIME] [--until TIME] [--type TYPE]\n"
    "           [--host HOST] [--pid PID] [--exe PATH] [--peer ADDR]\n"
    "           [--sni NAME] [--where FIELD=VALUE] [--format FORMAT]\n"
    "           [--top N] [--fail-if N] [--now TIME] [--no-progress]\n"
    "           [--no-symbolize] [--jobs N] [--group-by FIELDS]\n"
    "           [--baseline FILE] [--baseline-until TIME] [--follow]\n"
    "           [FILE | DIR | -] ...\n";

static const char report_intro[] =
    "\n"
    "Summarize tlsdiag logs (JSON Lines; plain or gzip'd; - is stdin).\n"
    "\n";

static const char report_outro[] =
    "\n"
    "Repeating an option of one kind matches any of its values; different\n"
    "options and every --where must all match.\n";

/* Room for an escaped argument or message quoted on standard error. */
#define SAFE_LEN 1024

/*
 * s escaped for standard error (termsafe_escape: no control, bidi or
 * invalid byte raw), cut to fit buf of SAFE_LEN bytes; returns buf.
 */
static const char *
safe(const char *s, char *buf)
{
	termsafe_escape(s, SAFE_LEN - 4, buf, SAFE_LEN);
	return buf;
}

struct report_option;

/* Take arg for option opt.  Returns 0, or -1 with a message in err. */
typedef int report_option_fn(struct report_cli *c,
    const struct report_option *opt, const char *arg, char *err, size_t errsz);

struct report_option {
	const char *name; /* long name, without "--" */
	int flag;	  /* short flag, or 0 */
	const char *arg;  /* the argument's name; NULL: takes none */
	const char *help; /* "\n" continues on the next line */
	report_option_fn *handler;
	int key; /* enum filter_field or enum report_setting */
};

/* What opt_set() sets, by the option's key. */
enum report_setting {
	SET_SINCE,
	SET_UNTIL,
	SET_NO_PROGRESS,
	SET_NO_SYMBOLIZE,
	SET_FOLLOW,
	SET_BASELINE_UNTIL,
	SET_HELP
};

/* A count for --top and --fail-if: 0 or more. */
static int
parse_count(const char *opt, const char *s, long long *v, char *err,
    size_t errsz)
{
	char sb[SAFE_LEN];
	char *end;

	*v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || *v < 0 || *v >= LLONG_MAX) {
		snprintf(err, errsz, "invalid --%s '%s': expected a number",
		    opt, safe(s, sb));
		return -1;
	}
	return 0;
}

/* The options that only note their argument or their presence. */
static int
opt_set(struct report_cli *c, const struct report_option *opt, const char *arg,
    char *err, size_t errsz)
{
	(void)err;
	(void)errsz;
	switch (opt->key) {
	case SET_SINCE:
		c->since = arg;
		break;
	case SET_UNTIL:
		c->until = arg;
		break;
	case SET_NO_PROGRESS:
		c->no_progress = 1;
		break;
	case SET_NO_SYMBOLIZE:
		c->o.symbolize = 0;
		break;
	case SET_FOLLOW:
		c->follow = 1;
		break;
	case SET_BASELINE_UNTIL:
		c->baseline_until = arg;
		break;
	default:
		c->help = 1;
		break;
	}
	return 0;
}

static int
opt_filter(struct report_cli *c, const struct report_option *opt,
    const char *arg, char *err, size_t errsz)
{
	char msg[256];
	char sb[SAFE_LEN];

	if (filter_add(&c->o.filter, (enum filter_field)opt->key, arg, msg,
		sizeof(msg)) == 0)
		return 0;
	snprintf(err, errsz, "%s", safe(msg, sb));
	return -1;
}

static int
opt_format(struct report_cli *c, const struct report_option *opt,
    const char *arg, char *err, size_t errsz)
{
	char sb[SAFE_LEN];

	(void)opt;
	if (report_parse_format(arg, &c->o.format) == 0)
		return 0;
	snprintf(err, errsz,
	    "invalid --format '%s': expected text, json, "
	    "csv, ndjson or html",
	    safe(arg, sb));
	return -1;
}

static int
opt_top(struct report_cli *c, const struct report_option *opt, const char *arg,
    char *err, size_t errsz)
{
	long long v;

	if (parse_count(opt->name, arg, &v, err, errsz) == -1)
		return -1;
	c->o.top = (size_t)v;
	return 0;
}

static int
opt_jobs(struct report_cli *c, const struct report_option *opt, const char *arg,
    char *err, size_t errsz)
{
	char sb[SAFE_LEN];
	long long v;

	if (parse_count(opt->name, arg, &v, err, errsz) == -1)
		return -1;
	if (v < 1 || v > REPORT_MAX_JOBS) {
		snprintf(err, errsz,
		    "invalid --jobs '%s': expected 1 to %d threads",
		    safe(arg, sb), REPORT_MAX_JOBS);
		return -1;
	}
	c->o.jobs = (unsigned)v;
	return 0;
}

static int
opt_fail_if(struct report_cli *c, const struct report_option *opt,
    const char *arg, char *err, size_t errsz)
{
	return parse_count(opt->name, arg, &c->fail_if, err, errsz);
}

static int
opt_now(struct report_cli *c, const struct report_option *opt, const char *arg,
    char *err, size_t errsz)
{
	char sb[SAFE_LEN];

	(void)opt;
	if (certtime_parse_rfc3339(arg, &c->o.now) == 0)
		return 0;
	snprintf(err, errsz, "invalid --now '%s': expected RFC 3339",
	    safe(arg, sb));
	return -1;
}

static int
opt_group_by(struct report_cli *c, const struct report_option *opt,
    const char *arg, char *err, size_t errsz)
{
	char msg[128];
	char sb[SAFE_LEN];

	(void)opt;
	if (groupby_parse(&c->o.groupby, arg, msg, sizeof(msg)) == 0)
		return 0;
	snprintf(err, errsz, "invalid --group-by '%s': %s", safe(arg, sb), msg);
	return -1;
}

static int
opt_baseline(struct report_cli *c, const struct report_option *opt,
    const char *arg, char *err, size_t errsz)
{
	const char **b;

	(void)opt;
	b = reallocarray(c->o.baseline, c->o.nbaseline + 1, sizeof(*b));
	if (b == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	b[c->o.nbaseline++] = arg;
	c->o.baseline = b;
	return 0;
}

/* The options, in the order --help lists them. */
static const struct report_option options[] = {
	{ "since", 0, "TIME", "only records at or after TIME", opt_set,
	    SET_SINCE },
	{ "until", 0, "TIME",
	    "only records before TIME\n"
	    "TIME is RFC 3339 or relative: -15m, -2h, -3d",
	    opt_set, SET_UNTIL },
	{ "type", 0, "TYPE",
	    "error.type (CertificateError is an alias of\n"
	    "SSLCertVerificationError)",
	    opt_filter, FILTER_TYPE },
	{ "host", 0, "HOST", "host.hostname", opt_filter, FILTER_HOST },
	{ "pid", 0, "PID", "process.pid", opt_filter, FILTER_PID },
	{ "exe", 0, "PATH",
	    "process.executable, its base name, or "
	    "process.name",
	    opt_filter, FILTER_EXE },
	{ "peer", 0, "ADDR", "peer IP, IP:PORT or server name", opt_filter,
	    FILTER_PEER },
	{ "sni", 0, "NAME", "tls.client.server_name", opt_filter, FILTER_SNI },
	{ "where", 0, "FIELD=VALUE", "any field by dotted path", opt_filter,
	    FILTER_WHERE },
	{ "format", 0, "FORMAT", "text (default), json, csv, ndjson or html",
	    opt_format, 0 },
	{ "group-by", 0, "FIELDS",
	    "count failures per value of these dotted\n"
	    "paths (comma-separated)",
	    opt_group_by, 0 },
	{ "baseline", 0, "FILE",
	    "a log of the normal period: report new\n"
	    "and grown groups against it",
	    opt_baseline, 0 },
	{ "baseline-until", 0, "TIME", "records before TIME are the baseline",
	    opt_set, SET_BASELINE_UNTIL },
	{ "follow", 'f', NULL,
	    "keep reading files and directories as they\n"
	    "grow; Ctrl-C prints the full report",
	    opt_set, SET_FOLLOW },
	{ "top", 0, "N", "rows per table (default 10, 0 = all)", opt_top, 0 },
	{ "fail-if", 0, "N", "exit 1 if more than N failures match",
	    opt_fail_if, 0 },
	{ "now", 0, "TIME", "reference time for relative times", opt_now, 0 },
	{ "no-progress", 0, NULL, "never show the progress indicator", opt_set,
	    SET_NO_PROGRESS },
	{ "no-symbolize", 0, NULL, "do not look up call sites with libdw",
	    opt_set, SET_NO_SYMBOLIZE },
	{ "jobs", 0, "N",
	    "threads reading (default: the CPUs it may use); a\n"
	    "plain file is split at lines, files spread; a\n"
	    "single .gz file, stdin and --format ndjson use one",
	    opt_jobs, 0 },
	{ "help", 'h', NULL, "show this help", opt_set, SET_HELP },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* getopt_long's value for options[i]: its short flag, else 256 + i. */
static int
option_val(size_t i)
{
	return options[i].flag != 0 ? options[i].flag : 256 + (int)i;
}

void
report_cli_usage(FILE *fp, int with_options)
{
	char left[64];
	const char *h;
	size_t i;

	fputs(report_synopsis, fp);
	if (!with_options)
		return;
	fputs(report_intro, fp);
	for (i = 0; i < NOPTIONS; i++) {
		if (options[i].flag != 0)
			snprintf(left, sizeof(left), "-%c, --%s",
			    options[i].flag, options[i].name);
		else
			snprintf(left, sizeof(left), "--%s%s%s",
			    options[i].name, options[i].arg != NULL ? " " : "",
			    options[i].arg != NULL ? options[i].arg : "");
		/* A name too long for the column gets a line of its own. */
		if (strlen(left) > 19)
			fprintf(fp, "  %s\n%22s", left, "");
		else
			fprintf(fp, "  %-19s ", left);
		for (h = options[i].help; *h != '\0'; h++) {
			fputc(*h, fp);
			if (*h == '\n')
				fprintf(fp, "%22s", "");
		}
		fputc('\n', fp);
	}
	fputs(report_outro, fp);
}

/* getopt_long's tables, made from options[]. */
static void
getopt_tables(struct option *longopts, char *shortopts)
{
	size_t i, n = 0;

	/* ':' first: a missing argument is told from an unknown option */
	shortopts[n++] = ':';
	for (i = 0; i < NOPTIONS; i++) {
		longopts[i].name = options[i].name;
		longopts[i].has_arg =
		    options[i].arg != NULL ? required_argument : no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = option_val(i);
		if (options[i].flag != 0) {
			shortopts[n++] = (char)options[i].flag;
			if (options[i].arg != NULL)
				shortopts[n++] = ':';
		}
	}
	memset(&longopts[NOPTIONS], 0, sizeof(longopts[0]));
	shortopts[n] = '\0';
}

/* The message for what getopt_long returned ch (':' or '?') for. */
static void
bad_option(int ch, char **argv, char *err, size_t errsz)
{
	char sb[SAFE_LEN];
	char msg[256];

	if (ch == ':') {
		snprintf(err, errsz, "option '%s' requires an argument",
		    safe(argv[optind - 1], sb));
		return;
	}
	/* optopt: a short option's letter, or for a long one given an
	 * argument it takes none, its value. */
	if (optopt > 0 && optopt < 256)
		snprintf(msg, sizeof(msg), "-%c", optopt);
	else
		snprintf(msg, sizeof(msg), "%s", argv[optind - 1]);
	snprintf(err, errsz, "unrecognized option '%s'", safe(msg, sb));
}

/*
 * --baseline-until once --now is known, and what goes with the baseline
 * options.  0, or -1 with err set.
 */
static int
set_baseline(struct report_cli *c, char *err, size_t errsz)
{
	char sb[SAFE_LEN];

	if (c->baseline_until != NULL) {
		if (filter_parse_time(c->baseline_until, c->o.now,
			&c->o.baseline_until) == -1) {
			snprintf(err, errsz,
			    "invalid --baseline-until '%s': expected RFC 3339 "
			    "or -15m, -2h, -3d",
			    safe(c->baseline_until, sb));
			return -1;
		}
		c->o.has_baseline_until = 1;
	}
	if (c->o.has_baseline_until && c->o.nbaseline != 0) {
		snprintf(err, errsz,
		    "--baseline and --baseline-until cannot be combined");
		return -1;
	}
	if (c->follow && (c->o.has_baseline_until || c->o.nbaseline != 0)) {
		snprintf(err, errsz, "--follow cannot compare with a baseline");
		return -1;
	}
	return 0;
}

/* --since and --until, once --now is known.  0, or -1 with err set. */
static int
set_times(struct report_cli *c, char *err, size_t errsz)
{
	char sb[SAFE_LEN];
	char msg[256];

	if (c->since != NULL &&
	    filter_set_time(&c->o.filter, 0, c->since, c->o.now, msg,
		sizeof(msg)) == -1) {
		snprintf(err, errsz, "--since: %s", safe(msg, sb));
		return -1;
	}
	if (c->until != NULL &&
	    filter_set_time(&c->o.filter, 1, c->until, c->o.now, msg,
		sizeof(msg)) == -1) {
		snprintf(err, errsz, "--until: %s", safe(msg, sb));
		return -1;
	}
	return set_baseline(c, err, errsz);
}

int
report_cli_parse(int argc, char **argv, struct report_cli *c, char *err,
    size_t errsz)
{
	struct option longopts[NOPTIONS + 1];
	char shortopts[2 * NOPTIONS + 2];
	size_t i;
	int ch;

	memset(c, 0, sizeof(*c));
	report_opts_init(&c->o);
	c->fail_if = -1;
	getopt_tables(longopts, shortopts);
	/* getopt's own messages would quote the argument raw. */
	opterr = 0;
	optind = 0;
	while (
	    (ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		for (i = 0; i < NOPTIONS && option_val(i) != ch; i++)
			continue;
		if (i == NOPTIONS) {
			bad_option(ch, argv, err, errsz);
			return REPORT_CLI_BAD_OPTION;
		}
		if (options[i].handler(c, &options[i], optarg, err, errsz) ==
		    -1)
			return REPORT_CLI_BAD_VALUE;
		if (c->help)
			return REPORT_CLI_OK;
	}
	if (set_times(c, err, errsz) == -1)
		return REPORT_CLI_BAD_VALUE;
	c->files = argv + optind;
	c->nfiles = (size_t)(argc - optind);
	for (i = 0; c->o.has_baseline_until && i < c->nfiles; i++) {
		if (strcmp(c->files[i], "-") == 0) {
			snprintf(err, errsz,
			    "--baseline-until reads its inputs twice: "
			    "standard input cannot be one");
			return REPORT_CLI_BAD_VALUE;
		}
	}
	if (c->follow && c->nfiles == 0) {
		snprintf(err, errsz, "--follow needs files or directories");
		return REPORT_CLI_BAD_VALUE;
	}
	return REPORT_CLI_OK;
}

/* --follow: run until a signal, then print errors; an exit status. */
static int
report_follow(struct report_cli *c)
{
	struct report_result res;
	enum follow_end end;
	char sb[SAFE_LEN];
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], "-") == 0)
			errx(TLSDIAG_EXIT_USAGE,
			    "--follow reads files and directories, "
			    "not standard input");
	end = follow_run(&c->o, c->files, c->nfiles, stdout, &res);
	report_opts_free(&c->o);
	for (i = 0; i < res.nerrors; i++)
		warnx("%s", safe(res.errors[i], sb));
	if (fflush(stdout) == EOF || ferror(stdout))
		err(TLSDIAG_EXIT_SOFTWARE, "cannot write output");
	if (end == FOLLOW_FAILED)
		errx(TLSDIAG_EXIT_SOFTWARE,
		    "out of memory: the report is incomplete");
	return TLSDIAG_EXIT_OK;
}

int
cmd_report(int argc, char **argv)
{
	struct report_cli c;
	struct report_result res;
	char msg[SAFE_LEN + 128];
	char sb[SAFE_LEN];
	size_t i;

	switch (report_cli_parse(argc, argv, &c, msg, sizeof(msg))) {
	case REPORT_CLI_BAD_VALUE:
		errx(TLSDIAG_EXIT_USAGE, "%s", msg);
	case REPORT_CLI_BAD_OPTION:
		warnx("%s", msg);
		report_cli_usage(stderr, 0);
		exit(TLSDIAG_EXIT_USAGE);
	default:
		break;
	}
	if (c.help) {
		report_cli_usage(stdout, 1);
		exit(TLSDIAG_EXIT_OK);
	}
	if (c.follow)
		return report_follow(&c);
	if (!c.no_progress && isatty(STDERR_FILENO))
		c.o.progress = stderr;
	report_run(&c.o, c.files, c.nfiles, stdout, &res);
	report_opts_free(&c.o);
	for (i = 0; i < res.nerrors; i++)
		warnx("%s", safe(res.errors[i], sb));
	if (fflush(stdout) == EOF || ferror(stdout))
		err(TLSDIAG_EXIT_SOFTWARE, "cannot write output");
	if (res.fatal)
		errx(TLSDIAG_EXIT_SOFTWARE,
		    "out of memory: the report is "
		    "incomplete");
	if (res.nerrors != 0)
		return TLSDIAG_EXIT_INPUT;
	if (c.fail_if >= 0 && res.failures > (unsigned long long)c.fail_if)
		return TLSDIAG_EXIT_THRESHOLD;
	return TLSDIAG_EXIT_OK;
}
