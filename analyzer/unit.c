/*
 * unit.c: what "tlsdiag enable" needs to know of a systemd unit, as pure
 * functions of text: its name, the programs it runs (to refuse setuid or
 * capability binaries, where the loader ignores LD_PRELOAD), and the
 * drop-in it gets.
 */
#include "unit.h"

#include <stdio.h>
#include <string.h>

int
unit_name(const char *arg, char *out, size_t cap)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:-_.\\@";
	const char *dot = strrchr(arg, '.');
	size_t n = strlen(arg);
	int len;

	if (n == 0 || arg[0] == '.' || strspn(arg, ok) != n)
		return -1;
	if (dot != NULL && strcmp(dot, ".service") != 0)
		return -1;
	len = snprintf(out, cap, "%s%s", arg, dot == NULL ? ".service" : "");
	if (len < 0 || (size_t)len >= cap || len >= UNIT_NAME_MAX)
		return -1;
	if (strcmp(out, ".service") == 0)
		return -1;
	return 0;
}

int
unit_template(const char *name, char *out, size_t cap)
{
	const char *at = strchr(name, '@');
	const char *dot = strrchr(name, '.');
	int len;

	if (at == NULL || dot == NULL || dot < at || dot == at + 1)
		return -1;
	len = snprintf(out, cap, "%.*s%s", (int)(at - name + 1), name, dot);
	return len < 0 || (size_t)len >= cap ? -1 : 0;
}

/* Whether the key of line[0..n) is one of the Exec*= that run programs. */
static const char *
exec_value(const char *line, size_t n)
{
	static const char *const keys[] = { "ExecStart", "ExecStartPre",
		"ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost",
		"ExecCondition" };
	const char *eq = memchr(line, '=', n);
	size_t i, k;

	if (eq == NULL)
		return NULL;
	k = (size_t)(eq - line);
	while (k > 0 && (line[k - 1] == ' ' || line[k - 1] == '\t'))
		k--;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strlen(keys[i]) == k && memcmp(line, keys[i], k) == 0)
			return eq + 1;
	return NULL;
}

/*
 * The program of one Exec*= value v (up to end) into out[0..cap): after
 * the prefixes, quoted or up to a blank.  Returns its length (0: none).
 */
static size_t
exec_program(const char *v, const char *end, char *out, size_t cap)
{
	char quote = 0;
	size_t o = 0;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (v < end && strchr("@-:+!", *v) != NULL)
		v++;
	if (v < end && (*v == '"' || *v == '\''))
		quote = *v++;
	while (v < end && o + 1 < cap) {
		if (quote ? *v == quote : (*v == ' ' || *v == '\t'))
			break;
		out[o++] = *v++;
	}
	out[o] = '\0';
	if (strpbrk(out, "%$\\") != NULL) {
		out[0] = '\0';
		return 0; /* needs the unit's specifiers: cannot tell */
	}
	return o;
}

int
unit_exec_scan(const char *text, int (*fn)(const char *path, void *arg),
    void *arg)
{
	const char *p = text, *nl, *v, *end;
	char prog[4096];
	int in_service = 0, count = 0, cont = 0;

	for (; *p != '\0'; p = *nl == '\0' ? nl : nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		end = nl;
		if (end > p && end[-1] == '\r')
			end--;
		if (cont) {
			cont = end > p && end[-1] == '\\';
			continue;
		}
		cont = end > p && end[-1] == '\\';
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			in_service = (size_t)(end - p) >= 9 &&
			    memcmp(p, "[Service]", 9) == 0;
			continue;
		}
		if (!in_service)
			continue;
		v = exec_value(p, (size_t)(end - p));
		if (v == NULL)
			continue;
		if (exec_program(v, cont ? end - 1 : end, prog, sizeof(prog)) ==
		    0) {
			const char *q = v;

			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q == end)
				continue; /* "ExecStart=": a reset */
		}
		count++;
		if (fn(prog, arg) < 0)
			return -1;
	}
	return count;
}

/* Append s with each '%' doubled; -1 if it holds a newline or '"'. */
static int
put_escaped(char *out, size_t cap, size_t *o, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r' || *s == '"' || *s == '\\')
			return -1;
		if (*o + 3 >= cap)
			return -1;
		if (*s == '%')
			out[(*o)++] = '%';
		out[(*o)++] = *s;
	}
	out[*o] = '\0';
	return 0;
}

static int
put(char *out, size_t cap, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + n >= cap)
		return -1;
	memcpy(out + *o, s, n + 1);
	*o += n;
	return 0;
}

int
unit_dropin(char *out, size_t cap, const char *shim, const char *log)
{
	const char *slash = strrchr(log, '/');
	char dir[4096];
	size_t o = 0;

	if (put(out, cap, &o,
		"# Written by \"tlsdiag enable\"; \"tlsdiag disable\" removes "
		"it.\n[Service]\nEnvironment=\"LD_PRELOAD=") < 0 ||
	    put_escaped(out, cap, &o, shim) < 0 ||
	    put(out, cap, &o, "\"\nEnvironment=\"TLSDIAG_LOG=") < 0 ||
	    put_escaped(out, cap, &o, log) < 0 || put(out, cap, &o, "\"\n") < 0)
		return -1;
	if (log[0] == '/' && slash != NULL && slash != log &&
	    (size_t)(slash - log) < sizeof(dir)) {
		memcpy(dir, log, (size_t)(slash - log));
		dir[slash - log] = '\0';
		if (strchr(dir, '%') == NULL &&
		    (put(out, cap, &o, "ReadWritePaths=-") < 0 ||
			put_escaped(out, cap, &o, dir) < 0 ||
			put(out, cap, &o, "\n") < 0))
			return -1;
	}
	return (int)o;
}
