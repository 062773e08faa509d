/* cmd_attach.h: "tlsdiag attach", "tlsdiag detach" and "tlsdiag status". */
#ifndef TLSDIAG_CMD_ATTACH_H
#define TLSDIAG_CMD_ATTACH_H

/* Each takes the command's own argv (argv[0] is its name); exit status. */
int cmd_attach(int argc, char **argv);
int cmd_detach(int argc, char **argv);
int cmd_status(int argc, char **argv);

#endif
