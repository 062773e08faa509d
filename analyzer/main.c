/*
 * main.c: the tlsdiag command line.  It only dispatches subcommands (one
 * file each: cmd_report.c, cmd_run.c, cmd_unit.c) and answers --help and
 * --version.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cmd_attach.h"
#include "cmd_report.h"
#include "cmd_run.h"
#include "cmd_unit.h"
#include "exitcode.h"
#include "termsafe.h"

#define TLSDIAG_VERSION "0.1.0"

static const char main_usage[] =
    "usage: tlsdiag report [OPTIONS] [FILE | -] ...\n"
    "       tlsdiag run [-q] [-o FILE] [--] COMMAND [ARG ...]\n"
    "       tlsdiag attach [-o LOG] [OPTIONS] PID ... | --all NAME\n"
    "       tlsdiag detach PID ... | --all NAME\n"
    "       tlsdiag status [PID ...]\n"
    "       tlsdiag enable [--root DIR] [--log TEMPLATE] UNIT\n"
    "       tlsdiag disable [--root DIR] UNIT\n"
    "       tlsdiag --help | --version\n";

/* Room for the command name quoted on standard error. */
#define SAFE_LEN 1024

/* Subcommands; "tlsdiag COMMAND --help" describes each. */
static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{ "report", cmd_report },
	{ "run", cmd_run },
	{ "attach", cmd_attach },
	{ "detach", cmd_detach },
	{ "status", cmd_status },
	{ "enable", cmd_enable },
	{ "disable", cmd_disable },
};

int
main(int argc, char **argv)
{
	char sb[SAFE_LEN];
	size_t i;

	if (argc < 2) {
		fputs(main_usage, stderr);
		return TLSDIAG_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(main_usage, stdout);
		return TLSDIAG_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tlsdiag %s\n", TLSDIAG_VERSION);
		return TLSDIAG_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	termsafe_escape(argv[1], SAFE_LEN - 4, sb, sizeof(sb));
	warnx("unknown command '%s'", sb);
	fputs(main_usage, stderr);
	return TLSDIAG_EXIT_USAGE;
}
