/*
 * main.c: the tlsdiag command line.  It only dispatches subcommands and
 * turns options into calls into the modules; it is the one place that
 * prints errors and exits.
 */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certtime.h"
#include "filter.h"
#include "report.h"
#include "run.h"
#include "termsafe.h"

#define TLSDIAG_VERSION "0.1.0"

/* Exit statuses; doc/tlsdiag-report.1 (EXIT STATUS) documents them. */
enum exit_status {
	EXIT_OK = 0,		/* report printed; --fail-if not exceeded */
	EXIT_THRESHOLD = 1,	/* more failures matched than --fail-if N */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_INPUT = 3,		/* an input could not be opened or read */
	EXIT_SOFTWARE = 4	/* out of memory or output write error */
};

static const char report_synopsis[] =
    "usage: tlsdiag report [--since TIME] [--until TIME] [--type TYPE]\n"
    "           [--host HOST] [--pid PID] [--exe PATH] [--peer ADDR]\n"
    "           [--sni NAME] [--where FIELD=VALUE] [--format FORMAT]\n"
    "           [--top N] [--fail-if N] [--now TIME] [--no-progress]\n"
    "           [--no-symbolize] [FILE | -] ...\n";

static const char report_options[] =
    "\n"
    "Summarize tlsdiag logs (JSON Lines; plain or gzip'd; - is stdin).\n"
    "\n"
    "  --since TIME        only records at or after TIME\n"
    "  --until TIME        only records before TIME\n"
    "                      TIME is RFC 3339 or relative: -15m, -2h, -3d\n"
    "  --type TYPE         error.type (CertificateError is an alias of\n"
    "                      SSLCertVerificationError)\n"
    "  --host HOST         host.hostname\n"
    "  --pid PID           process.pid\n"
    "  --exe PATH          process.executable, its base name, or process.name\n"
    "  --peer ADDR         peer IP, IP:PORT or server name\n"
    "  --sni NAME          tls.client.server_name\n"
    "  --where FIELD=VALUE any field by dotted path\n"
    "  --format FORMAT     text (default), json, csv or ndjson\n"
    "  --top N             rows per table (default 10, 0 = all)\n"
    "  --fail-if N         exit 1 if more than N failures match\n"
    "  --now TIME          reference time for relative times\n"
    "  --no-progress       never show the progress indicator\n"
    "  --no-symbolize      do not look up call sites with libdw\n"
    "  -h, --help          show this help\n"
    "\n"
    "Repeating an option of one kind matches any of its values; different\n"
    "options and every --where must all match.\n";

static const char main_usage[] =
    "usage: tlsdiag report [OPTIONS] [FILE | -] ...\n"
    "       tlsdiag run [-q] [-o FILE] [--] COMMAND [ARG ...]\n"
    "       tlsdiag --help | --version\n";

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

static void
report_usage(FILE *fp, int status)
{
	fputs(report_synopsis, fp);
	if (status == EXIT_OK)
		fputs(report_options, fp);
	exit(status);
}

static long long
parse_count(const char *opt, const char *s)
{
	char sb[SAFE_LEN];
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0 || v >= LLONG_MAX)
		errx(EXIT_USAGE, "invalid %s '%s': expected a number", opt,
		    safe(s, sb));
	return v;
}

enum {
	OPT_SINCE = 256, OPT_UNTIL, OPT_TYPE, OPT_HOST, OPT_PID, OPT_EXE,
	OPT_PEER, OPT_SNI, OPT_WHERE, OPT_FORMAT, OPT_TOP, OPT_FAIL_IF,
	OPT_NOW, OPT_NO_PROGRESS, OPT_NO_SYMBOLIZE
};

static const struct option report_longopts[] = {
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "exe", required_argument, NULL, OPT_EXE },
	{ "peer", required_argument, NULL, OPT_PEER },
	{ "sni", required_argument, NULL, OPT_SNI },
	{ "where", required_argument, NULL, OPT_WHERE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "fail-if", required_argument, NULL, OPT_FAIL_IF },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "no-symbolize", no_argument, NULL, OPT_NO_SYMBOLIZE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
add_filter(struct report_opts *o, enum filter_field f, const char *v)
{
	char msg[256];
	char sb[SAFE_LEN];

	if (filter_add(&o->filter, f, v, msg, sizeof(msg)) == -1)
		errx(EXIT_USAGE, "%s", safe(msg, sb));
}

static int
cmd_report(int argc, char **argv)
{
	struct report_opts o;
	struct report_result res;
	const char *since = NULL;
	const char *until = NULL;
	long long fail_if = -1;
	int no_progress = 0;
	char msg[256];
	char sb[SAFE_LEN];
	size_t i;
	int c;

	report_opts_init(&o);
	/* getopt's own messages would quote the argument raw. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", report_longopts, NULL)) !=
	    -1) {
		switch (c) {
		case OPT_SINCE:
			since = optarg;
			break;
		case OPT_UNTIL:
			until = optarg;
			break;
		case OPT_TYPE:
			add_filter(&o, FILTER_TYPE, optarg);
			break;
		case OPT_HOST:
			add_filter(&o, FILTER_HOST, optarg);
			break;
		case OPT_PID:
			add_filter(&o, FILTER_PID, optarg);
			break;
		case OPT_EXE:
			add_filter(&o, FILTER_EXE, optarg);
			break;
		case OPT_PEER:
			add_filter(&o, FILTER_PEER, optarg);
			break;
		case OPT_SNI:
			add_filter(&o, FILTER_SNI, optarg);
			break;
		case OPT_WHERE:
			add_filter(&o, FILTER_WHERE, optarg);
			break;
		case OPT_FORMAT:
			if (report_parse_format(optarg, &o.format) == -1)
				errx(EXIT_USAGE, "invalid --format '%s': "
				    "expected text, json, csv or ndjson",
				    safe(optarg, sb));
			break;
		case OPT_TOP:
			o.top = (size_t)parse_count("--top", optarg);
			break;
		case OPT_FAIL_IF:
			fail_if = parse_count("--fail-if", optarg);
			break;
		case OPT_NOW:
			if (certtime_parse_rfc3339(optarg, &o.now) == -1)
				errx(EXIT_USAGE, "invalid --now '%s': expected "
				    "RFC 3339", safe(optarg, sb));
			break;
		case OPT_NO_PROGRESS:
			no_progress = 1;
			break;
		case OPT_NO_SYMBOLIZE:
			o.symbolize = 0;
			break;
		case 'h':
			report_usage(stdout, EXIT_OK);
			break;
		case ':':
			warnx("option '%s' requires an argument",
			    safe(argv[optind - 1], sb));
			report_usage(stderr, EXIT_USAGE);
			break;
		default:
			/* optopt: a short option's letter, or for a long one
			 * given an argument it takes none, its value. */
			if (optopt > 0 && optopt < 256)
				snprintf(msg, sizeof(msg), "-%c", optopt);
			else
				snprintf(msg, sizeof(msg), "%s",
				    argv[optind - 1]);
			warnx("unrecognized option '%s'", safe(msg, sb));
			report_usage(stderr, EXIT_USAGE);
		}
	}
	if (since != NULL && filter_set_time(&o.filter, 0, since, o.now, msg,
	    sizeof(msg)) == -1)
		errx(EXIT_USAGE, "--since: %s", safe(msg, sb));
	if (until != NULL && filter_set_time(&o.filter, 1, until, o.now, msg,
	    sizeof(msg)) == -1)
		errx(EXIT_USAGE, "--until: %s", safe(msg, sb));
	if (!no_progress && isatty(STDERR_FILENO))
		o.progress = stderr;
	report_run(&o, argv + optind, (size_t)(argc - optind), stdout, &res);
	report_opts_free(&o);
	for (i = 0; i < res.nerrors; i++)
		warnx("%s", safe(res.errors[i], sb));
	if (fflush(stdout) == EOF || ferror(stdout))
		err(EXIT_SOFTWARE, "cannot write output");
	if (res.fatal)
		errx(EXIT_SOFTWARE, "out of memory: the report is incomplete");
	if (res.nerrors != 0)
		return EXIT_INPUT;
	if (fail_if >= 0 && res.failures > (unsigned long long)fail_if)
		return EXIT_THRESHOLD;
	return EXIT_OK;
}

/* Subcommands; "tlsdiag COMMAND --help" describes each. */
static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{ "report", cmd_report },
	{ "run", cmd_run },
};

int
main(int argc, char **argv)
{
	char sb[SAFE_LEN];
	size_t i;

	if (argc < 2) {
		fputs(main_usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(main_usage, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tlsdiag %s\n", TLSDIAG_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	warnx("unknown command '%s'", safe(argv[1], sb));
	fputs(main_usage, stderr);
	return EXIT_USAGE;
}
