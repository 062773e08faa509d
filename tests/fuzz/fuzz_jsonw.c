/*
 * fuzz_jsonw.c: libFuzzer harness for the shim's JSON encoder
 * (shim/jsonw.c) and the round trip to the analyzer's reader.
 *
 * The input bytes become the untrusted strings of a record (process
 * name, SNI, certificate subject, error message), written with
 * jsonw into a buffer whose size the first byte chooses.  Properties:
 *  - the encoder either reports overflow or produces one line of strict
 *    UTF-8 JSON with no control, bidi or line-separator character raw;
 *  - record_parse(), the analyzer's reader, accepts it and reads back
 *    each string equal to the input with every byte that does not begin
 *    a valid UTF-8 sequence replaced by U+FFFD (as far as the first NUL:
 *    the reader's strings are C strings);
 *  - jsonw_escape() agrees with the member writer and never writes past
 *    the capacity it is given;
 *  - termsafe_escape() makes every read-back string safe for a terminal.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../shim/jsonw.h"
#include "logrecord.h"
#include "termsafe.h"
#include "textcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
must(int ok, const char *what, const char *s, size_t n)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_jsonw: %s\n%.*s\n", what, (int)n, s);
	abort();
}

static void
same_string(const char *got, const char *want, const char *field)
{
	if (got == NULL || strcmp(got, want) != 0) {
		fprintf(stderr, "fuzz_jsonw: %s read back as '%s', want '%s'\n",
		    field, got != NULL ? got : "(absent)", want);
		abort();
	}
}

static void
terminal_safe(const char *s)
{
	char buf[4096];
	size_t n, at;

	n = termsafe_escape(s, 200, buf, sizeof(buf));
	must(n <= 203 && strlen(buf) == n, "termsafe_escape: bad length", buf,
	    strlen(buf));
	must(textcheck_safe(buf, n, 0, &at), "termsafe_escape: unsafe", buf, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[65536];
	char *in, *want, *esc;
	const char *s;
	size_t n, cap, at;
	struct jsonw w;
	struct record r;
	long len, e;

	if (size < 1)
		return 0;
	/* small capacities exercise the overflow path */
	cap = data[0] < 32 ? (size_t)data[0] * 16 : sizeof(buf);
	s = (const char *)data + 1;
	n = size - 1;

	jsonw_init(&w, buf, cap);
	jsonw_obj(&w, NULL);
	jsonw_str(&w, "@timestamp", "2026-11-27T03:00:00.000000Z");
	jsonw_obj(&w, "event");
	jsonw_str(&w, "action", "tls_failure");
	jsonw_end(&w);
	jsonw_obj(&w, "error");
	jsonw_strn(&w, "type", s, n);
	jsonw_strn(&w, "message", s, n);
	jsonw_end(&w);
	jsonw_obj(&w, "tlsdiag");
	jsonw_int(&w, "schema", 1);
	jsonw_int(&w, "ret", n > 0 ? -(long long)(unsigned char)s[0] : 0);
	jsonw_arr(&w, "truncated");
	jsonw_strn(&w, NULL, s, n);
	jsonw_null(&w, NULL);
	jsonw_bool(&w, NULL, 1);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_obj(&w, "tls");
	jsonw_obj(&w, "client");
	jsonw_strn(&w, "server_name", s, n);
	jsonw_end(&w);
	jsonw_obj(&w, "server");
	jsonw_obj(&w, "x509");
	jsonw_obj(&w, "subject");
	jsonw_strn(&w, "distinguished_name", s, n);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_end(&w);
	jsonw_obj(&w, "process");
	jsonw_strn(&w, "name", s, n);
	jsonw_int(&w, "pid", (long long)n - 1000);
	/*
	 * Keys are the shim's own literals and are written unescaped by
	 * contract (jsonw.h), so the input is never one.
	 */
	in = malloc(n + 1);
	if (in == NULL)
		return 0;
	memcpy(in, s, n);
	in[n] = '\0';
	len = jsonw_finish(&w); /* closes what is still open */
	if (len < 0) {		/* too big for cap: nothing to check */
		free(in);
		return 0;
	}
	must((size_t)len < cap && buf[len] == '\0', "bad length", buf,
	    (size_t)len);
	must(len > 0 && buf[len - 1] == '\n' &&
		memchr(buf, '\n', (size_t)len - 1) == NULL,
	    "not one line", buf, (size_t)len);
	must(textcheck_safe(buf, (size_t)len, 0, &at), "unsafe bytes in JSON",
	    buf + at, (size_t)len - at);

	buf[len - 1] = '\0'; /* as the reader hands lines over */
	must(record_parse(buf, (size_t)len - 1, &r) == RECORD_OK,
	    "the analyzer rejects the record", buf, (size_t)len);
	want = termsafe_utf8_dup(in); /* to the first NUL, bad bytes U+FFFD */
	if (want == NULL)
		abort();
	same_string(r.type, want, "error.type");
	same_string(r.errmsg, want, "error.message");
	same_string(r.sni, want, "tls.client.server_name");
	same_string(r.cert_subject, want, "x509 subject");
	same_string(r.name, want, "process.name");
	must(r.pid == (int64_t)n - 1000, "process.pid", buf, (size_t)len);
	must(r.ntruncated == 3 && r.truncated[1] == NULL &&
		r.truncated[2] == NULL,
	    "truncated", buf, (size_t)len);
	same_string(r.truncated[0], want, "truncated[0]");
	terminal_safe(r.name);
	terminal_safe(r.sni);
	record_free(&r);

	/* jsonw_escape alone: never past cap, and the same text as above */
	esc = malloc(n * 6 + 1);
	if (esc == NULL)
		abort();
	e = jsonw_escape(esc, n * 6 + 1, s, n);
	must(e >= 0, "jsonw_escape: 6 bytes per input byte not enough", s, n);
	must(strstr(buf, "\"name\":\"") != NULL &&
		strncmp(strstr(buf, "\"name\":\"") + 8, esc, (size_t)e) == 0,
	    "jsonw_escape differs from jsonw_strn", esc, (size_t)e);
	if (e > 0)
		must(jsonw_escape(esc, (size_t)e - 1, s, n) == -1,
		    "jsonw_escape: fits in less than it wrote", s, n);
	free(esc);
	free(want);
	free(in);
	return 0;
}
