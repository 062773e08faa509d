/*
 * unit.h: the pure parts of "tlsdiag enable/disable": unit names, the
 * programs a systemd unit runs, and the drop-in that preloads the shim.
 */
#ifndef TLSDIAG_UNIT_H
#define TLSDIAG_UNIT_H

#include <stddef.h>

/* Where the drop-in goes, under the root: UNIT_DROPIN_DIR/NAME.d/ */
#define UNIT_DROPIN_DIR "/etc/systemd/system"
#define UNIT_DROPIN_NAME "tlsdiag.conf"
/* The default TLSDIAG_LOG of enabled units, and its directory. */
#define UNIT_DEFAULT_LOG "/var/log/tlsdiag/%u-%p.jsonl"
#define UNIT_NAME_MAX 256

/*
 * Normalize the unit name arg into out[0..cap): "nginx" becomes
 * "nginx.service".  Only the characters systemd allows in unit names
 * (ASCII letters, digits, ":-_.\@"), no leading '.', at most 255 bytes,
 * and only .service units (they have ExecStart=).  Returns 0, or -1.
 */
int unit_name(const char *arg, char *out, size_t cap);

/*
 * The template a unit instance is made from ("a@b.service" gives
 * "a@.service") into out[0..cap).  Returns 0, or -1 if name is not an
 * instance.
 */
int unit_template(const char *name, char *out, size_t cap);

/*
 * Call fn(path, arg) for the program of every Exec*= line (ExecStart,
 * ExecStartPre, ExecStartPost, ExecReload, ExecStop, ExecStopPost,
 * ExecCondition) in the [Service] section of the unit file text, after
 * systemd's "@-:+!" prefixes, unquoted.  A program that cannot be named
 * without expanding the unit's specifiers ('%', '$') is passed as "".
 * Returns the number of programs; -1 at once if fn returns -1.
 */
int unit_exec_scan(const char *text, int (*fn)(const char *path, void *arg),
    void *arg);

/*
 * The drop-in text for shim and log (each '%' doubled, so systemd passes
 * them on as they are) into out[0..cap).  A log that is a file template
 * also gets "ReadWritePaths=-DIR" for its directory, so it stays writable
 * under ProtectSystem=.  Returns the length, or -1 if it does not fit or
 * a value holds a newline or a '"'.
 */
int unit_dropin(char *out, size_t cap, const char *shim, const char *log);

#endif
