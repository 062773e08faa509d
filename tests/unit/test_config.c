/* test_config.c: TLSDIAG_* parsing and log path templates. */
#include <criterion/criterion.h>
#include <string.h>

#include "config.h"

static const char *const *env_table;

static const char *
get(const char *name)
{
	const char *const *p;

	for (p = env_table; p[0] != NULL; p += 2)
		if (strcmp(p[0], name) == 0)
			return p[1];
	return NULL;
}

static int
load(struct config *c, const char *const *table, int secure, char *err)
{
	env_table = table;
	config_defaults(c);
	return config_load(c, get, secure, err, 128);
}

Test(config, defaults)
{
	static const char *const e[] = { NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, e, 0, err), 0);
	cr_expect(c.enabled);
	cr_expect(!c.debug);
	cr_expect_str_eq(c.log, CONFIG_DEFAULT_LOG);
	cr_expect_eq(c.pyver, PYVER(3, 13, 0));
	cr_expect_str_eq(c.python, "3.13");
	cr_expect_eq(c.python_source, CONFIG_PY_DEFAULT);
	cr_expect_eq(c.depth, CONFIG_DEFAULT_DEPTH);
	cr_expect_eq(c.rate, CONFIG_DEFAULT_RATE);
	cr_expect(!c.clean_close);
	cr_expect(!c.repeat_frames);
}

Test(config, all_set)
{
	static const char *const e[] = { "TLSDIAG_LOG", "/var/log/t-%p.jsonl",
		"TLSDIAG_DEBUG", "1", "TLSDIAG_PYTHON", "3.11",
		"TLSDIAG_BACKTRACE", "0", "TLSDIAG_RATE", "5",
		"TLSDIAG_CLEAN_CLOSE", "yes", "TLSDIAG_DISABLE", "0",
		"TLSDIAG_BACKTRACE_REPEAT", "1", NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, e, 0, err), 0);
	cr_expect(c.repeat_frames);
	cr_expect_str_eq(c.log, "/var/log/t-%p.jsonl");
	cr_expect(c.debug);
	cr_expect_eq(c.pyver, PYVER(3, 11, 5));
	cr_expect_str_eq(c.python, "3.11");
	cr_expect_eq(c.python_source, CONFIG_PY_ENV);
	cr_expect_eq(c.depth, 0);
	cr_expect_eq(c.rate, 5);
	cr_expect(c.clean_close);
	cr_expect(c.enabled);
}

Test(config, bad_values_keep_defaults)
{
	static const char *const e[] = { "TLSDIAG_PYTHON", "2.7",
		"TLSDIAG_BACKTRACE", "-1", "TLSDIAG_RATE", "lots",
		"TLSDIAG_DEBUG", "maybe", NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, e, 0, err), -1);
	/* the first bad one in parsing order is named */
	cr_expect_str_eq(err, "ignoring TLSDIAG_DEBUG='maybe'");
	cr_expect_eq(c.pyver, PYVER(3, 13, 0));
	cr_expect_eq(c.python_source, CONFIG_PY_DEFAULT);
	cr_expect_eq(c.depth, CONFIG_DEFAULT_DEPTH);
	cr_expect_eq(c.rate, CONFIG_DEFAULT_RATE);
	cr_expect(!c.debug);
}

Test(config, depth_bounded)
{
	static const char *const e[] = { "TLSDIAG_BACKTRACE", "65", NULL };
	static const char *const ok[] = { "TLSDIAG_BACKTRACE", "64", NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, e, 0, err), -1);
	cr_expect_eq(c.depth, CONFIG_DEFAULT_DEPTH);
	cr_expect_eq(load(&c, ok, 0, err), 0);
	cr_expect_eq(c.depth, 64);
}

Test(config, secure_execution_ignores_environment)
{
	static const char *const e[] = { "TLSDIAG_LOG", "/etc/passwd",
		"TLSDIAG_DEBUG", "1", "TLSDIAG_DISABLE", "1", NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, e, 1, err), 0);
	cr_expect_str_eq(c.log, CONFIG_DEFAULT_LOG);
	cr_expect(!c.debug);
	cr_expect(c.enabled);
}

Test(config, disable)
{
	static const char *const e[] = { "TLSDIAG_DISABLE", "1", NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, e, 0, err), 0);
	cr_expect(!c.enabled);
}

Test(config, expand)
{
	char out[64];

	cr_expect_eq(config_expand("/tmp/t-%p-%h-%u-%%.log", 42, "web7", 1000,
			 out, sizeof(out)),
	    0);
	cr_expect_str_eq(out, "/tmp/t-42-web7-1000-%.log");
	cr_expect_eq(config_expand("plain", 1, "h", 0, out, sizeof(out)), 0);
	cr_expect_str_eq(out, "plain");
	cr_expect_eq(config_expand("/x/%q", 1, "h", 0, out, sizeof(out)), -1);
	cr_expect_eq(config_expand("/x/%", 1, "h", 0, out, sizeof(out)), -1);
	cr_expect_eq(config_expand("/x/%p", 123456, "h", 0, out, 8), -1);
	cr_expect_eq(config_expand("/x/%p", 12, "h", 0, out, 6), 0);
	cr_expect_str_eq(out, "/x/12");
	cr_expect_eq(config_expand("/x/%p", 123, "h", 0, out, 6), -1);
}

/* TLSDIAG_PYTHON and Py_GetVersion() strings (config_parse_pyver). */
Test(config, python_versions)
{
	const char *end;
	struct {
		const char *env;
		unsigned want;
	} ok[] = {
		{ "3.13", PYVER(3, 13, 0) },
		{ "3", PYVER(3, 13, 0) },
		{ "3.12", PYVER(3, 12, 0) },
		{ "3.11", PYVER(3, 11, 5) },
		{ "3.10", PYVER(3, 10, 0) },
		{ "3.11.2", PYVER(3, 11, 2) },
		{ "3.12.9", PYVER(3, 12, 9) },
		{ "3.14.0", PYVER(3, 14, 0) },
	};
	static const char *const bad[] = {
		"2.7",
		"3.",
		"3.11.",
		"4.0",
		"3.1111",
		"3.11.7x",
		"x3.11",
		"3.11.7.1",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		const char *e[] = { "TLSDIAG_PYTHON", ok[i].env, NULL };
		struct config c;
		char err[128];

		cr_expect_eq(load(&c, e, 0, err), 0, "%s", ok[i].env);
		cr_expect_eq(c.pyver, ok[i].want, "%s", ok[i].env);
		cr_expect_str_eq(c.python, ok[i].env);
		cr_expect_eq(c.python_source, CONFIG_PY_ENV);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *e[] = { "TLSDIAG_PYTHON", bad[i], NULL };
		struct config c;
		char err[128];

		cr_expect_eq(load(&c, e, 0, err), -1, "%s", bad[i]);
		cr_expect_eq(c.pyver, PYVER_DEFAULT, "%s", bad[i]);
		cr_expect_eq(c.python_source, CONFIG_PY_DEFAULT);
	}
	/* what Py_GetVersion() returns: the version is the head */
	cr_expect_eq(config_parse_pyver("3.11.7 (main, May  9 2026, 07:35:25) "
					"[GCC 12.2.0]",
			 &end),
	    PYVER(3, 11, 7));
	cr_expect_eq(*end, ' ');
	cr_expect_eq(config_parse_pyver("3.13.0rc1+ (heads/3.13:x)", &end),
	    PYVER(3, 13, 0));
	cr_expect_eq(config_parse_pyver("PyPy", &end), 0);
}

/* A host name is anyone's to set: its expansion names one file. */
Test(config, expand_host_is_one_component)
{
	static const struct {
		const char *host, *want;
	} cases[] = {
		{ "../../x", "/var/log/t/_._.._x.jsonl" },
		{ "/etc/cron.d/x", "/var/log/t/_etc_cron.d_x.jsonl" },
		{ ".hidden", "/var/log/t/_hidden.jsonl" },
		{ "..", "/var/log/t/_..jsonl" },
		{ "web.7", "/var/log/t/web.7.jsonl" },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(config_expand("/var/log/t/%h.jsonl", 1,
				 cases[i].host, 0, out, sizeof(out)),
		    0, "%s", cases[i].host);
		cr_expect_str_eq(out, cases[i].want, "host '%s'",
		    cases[i].host);
	}
	/* too small for the host name: refused, not cut */
	cr_expect_eq(config_expand("/t/%h", 1, "longhostname", 0, out, 10), -1);
}

/* A TLSDIAG_LOG that is not used keeps the default and says why. */
Test(config, log_not_used)
{
	static char longv[CONFIG_PATH_MAX + 8];
	static const char *const rel[] = { "TLSDIAG_LOG", "logs/t.jsonl",
		NULL };
	static const char *const pct[] = { "TLSDIAG_LOG", "/t/%q.jsonl", NULL };
	static const char *const ok[] = { "TLSDIAG_LOG", "/t/%h-%%.jsonl",
		NULL };
	const char *lng[] = { "TLSDIAG_LOG", longv, NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, rel, 0, err), -1);
	cr_expect_str_eq(c.log, CONFIG_DEFAULT_LOG);
	cr_expect_str_eq(c.log_why, CONFIG_WHY_RELATIVE);
	cr_expect_str_eq(c.log_given, "logs/t.jsonl");
	cr_expect_str_eq(err, "ignoring TLSDIAG_LOG='logs/t.jsonl'");

	cr_expect_eq(load(&c, pct, 0, err), -1);
	cr_expect_str_eq(c.log, CONFIG_DEFAULT_LOG);
	cr_expect_str_eq(c.log_why, CONFIG_WHY_PERCENT);

	memset(longv, 'a', sizeof(longv) - 1);
	longv[0] = '/';
	cr_expect_eq(load(&c, (const char *const *)lng, 0, err), -1);
	cr_expect_str_eq(c.log, CONFIG_DEFAULT_LOG);
	cr_expect_str_eq(c.log_why, CONFIG_WHY_LONG);
	cr_expect_eq(strlen(c.log_given), CONFIG_GIVEN_MAX - 1);

	cr_expect_eq(load(&c, ok, 0, err), 0);
	cr_expect_str_eq(c.log, "/t/%h-%%.jsonl");
	cr_expect_null(c.log_why);
	cr_expect_str_eq(c.log_given, "");
}

/* TLSDIAG_LOG=syslog: and syslog:/path name a socket, used as it is. */
Test(config, syslog)
{
	static const char *const def[] = { "TLSDIAG_LOG", "syslog:", NULL };
	static const char *const path[] = { "TLSDIAG_LOG", "syslog:/run/s",
		NULL };
	static const char *const rel[] = { "TLSDIAG_LOG", "syslog:run/s",
		NULL };
	static const char *const pct[] = { "TLSDIAG_LOG", "syslog:/r/%p",
		NULL };
	static char longv[140] = "syslog:/";
	const char *lng[] = { "TLSDIAG_LOG", longv, NULL };
	struct config c;
	char err[128];

	cr_expect_eq(load(&c, def, 0, err), 0);
	cr_expect_str_eq(config_syslog_socket(c.log), "/dev/log");
	cr_expect_eq(load(&c, path, 0, err), 0);
	cr_expect_str_eq(config_syslog_socket(c.log), "/run/s");
	cr_expect_null(config_syslog_socket("/tmp/syslog:x"));
	cr_expect_eq(load(&c, rel, 0, err), -1);
	cr_expect_str_eq(c.log_why, CONFIG_WHY_RELATIVE);
	cr_expect_str_eq(c.log, CONFIG_DEFAULT_LOG);
	cr_expect_eq(load(&c, pct, 0, err), -1);
	cr_expect_str_eq(c.log_why, CONFIG_WHY_PERCENT);
	memset(longv + 8, 'a', 108);
	cr_expect_eq(load(&c, (const char *const *)lng, 0, err), -1);
	cr_expect_str_eq(c.log_why, CONFIG_WHY_SOCKET);
}
