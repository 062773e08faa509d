/*
 * cmd_report.h: the "tlsdiag report" command line.  Its options are one
 * table (name, short flag, argument, help, handler); parsing them is pure
 * and returns errors, cmd_report() prints them and exits.
 */
#ifndef TLSDIAG_CMD_REPORT_H
#define TLSDIAG_CMD_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* What the report command line asks for. */
struct report_cli {
	struct report_opts o; /* initialized by report_cli_parse() */
	const char *since;    /* --since, --until as given, or NULL */
	const char *until;
	long long fail_if;	    /* --fail-if N, or -1 */
	int no_progress;	    /* --no-progress */
	int follow;		    /* --follow */
	const char *baseline_until; /* --baseline-until as given, or NULL */
	int help;		    /* -h, --help: nothing else was parsed */
	char **files;		    /* the operands */
	size_t nfiles;
};

/* How report_cli_parse() failed. */
enum report_cli_status {
	REPORT_CLI_OK = 0,
	REPORT_CLI_BAD_VALUE = -1, /* an option's value is invalid */
	REPORT_CLI_BAD_OPTION = -2 /* unknown option or missing value */
};

/*
 * Parse "report [OPTIONS] [FILE | -] ..." (argv[0] is "report") into *c.
 * Returns REPORT_CLI_OK, or a failure with a message in err, arguments in
 * it already escaped for a terminal (termsafe_escape).  On success (even
 * with c->help) the caller frees c->o with report_opts_free().  Uses
 * getopt_long(3), so it is not reentrant.
 */
int report_cli_parse(int argc, char **argv, struct report_cli *c, char *err,
    size_t errsz);

/* Write the synopsis, and with options the option list, to fp. */
void report_cli_usage(FILE *fp, int options);

/*
 * The "report" subcommand: parse, run the report to stdout, print errors
 * to stderr.  Returns or exits with an enum tlsdiag_exit status.
 */
int cmd_report(int argc, char **argv);

#endif
