/* cmd_unit.h: "tlsdiag enable" and "tlsdiag disable" for systemd units. */
#ifndef TLSDIAG_CMD_UNIT_H
#define TLSDIAG_CMD_UNIT_H

/*
 * "tlsdiag enable [--root DIR] [--log TEMPLATE] UNIT" (argv[0] "enable"):
 * write DIR/etc/systemd/system/UNIT.d/tlsdiag.conf, which preloads the
 * shim into the unit's processes, and print the command that applies it.
 * Refuses (TLSDIAG_EXIT_REFUSED) a unit it cannot find, or one that runs a
 * setuid, setgid or file-capability program or one it cannot name.
 * Returns an enum tlsdiag_exit status.
 */
int cmd_enable(int argc, char **argv);

/*
 * "tlsdiag disable [--root DIR] UNIT": remove that drop-in (and its
 * directory if it is left empty) and print the command that applies it.
 * A unit without the drop-in is not an error.
 */
int cmd_disable(int argc, char **argv);

#endif
