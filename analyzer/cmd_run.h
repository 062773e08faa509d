/* cmd_run.h: the "tlsdiag run" command line (run.h has the helpers). */
#ifndef TLSDIAG_CMD_RUN_H
#define TLSDIAG_CMD_RUN_H

/*
 * The "run" subcommand (argv[0] is "run"): parse, start the command with
 * the shim, forward SIGINT, SIGTERM and SIGHUP to it, print the summary.
 * Returns the command's exit status (128 + N when killed by signal N), or
 * an enum tlsdiag_exit status: TLSDIAG_EXIT_RUN_NOEXEC or _RUN_NOTFOUND
 * when it could not be started, _RUN_SELF when tlsdiag run itself failed,
 * TLSDIAG_EXIT_USAGE for a usage error.
 */
int cmd_run(int argc, char **argv);

#endif
