/*
 * fuzz_jscan.c: libFuzzer harness holding the on-demand scanner
 * (analyzer/jscan.c) to cJSON.  The same bytes go to both, as logrecord.c
 * and report.c hand them over (a NUL-terminated buffer); they must accept
 * and reject the same inputs, and on an accepted input every path below
 * must give the same value through jscan_paths() as through cJSON and
 * record_lookup(), and record_parse() must read the same required fields
 * as cJSON's member lookup.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jscan.h"
#include "logrecord.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"",
	"a",
	"a.b",
	"@timestamp",
	"log.level",
	"log",
	"event.action",
	"tlsdiag.schema",
	"tlsdiag.reason",
	"tlsdiag.backtrace",
	"process.thread.id",
	"tls.server.x509.subject.distinguished_name",
	"x.",
	".x",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static void
fail(const char *what, const char *path)
{
	fprintf(stderr, "fuzz_jscan: %s differs (path '%s')\n", what, path);
	abort();
}

static enum jscan_type
cjson_type(const cJSON *c)
{
	if (c == NULL)
		return JSCAN_NONE;
	if (cJSON_IsNull(c))
		return JSCAN_NULL;
	if (cJSON_IsFalse(c))
		return JSCAN_FALSE;
	if (cJSON_IsTrue(c))
		return JSCAN_TRUE;
	if (cJSON_IsNumber(c))
		return JSCAN_NUMBER;
	if (cJSON_IsString(c))
		return JSCAN_STRING;
	if (cJSON_IsArray(c))
		return JSCAN_ARRAY;
	return JSCAN_OBJECT;
}

/* One extracted value against cJSON's. */
static void
compare(const struct jvalue *v, const cJSON *c, const char *path)
{
	char *s;

	if (v->type != cjson_type(c))
		fail("type", path);
	if (v->type == JSCAN_NUMBER &&
	    memcmp(&v->num, &c->valuedouble, sizeof(double)) != 0)
		fail("number", path);
	if (v->type == JSCAN_STRING) {
		s = malloc(v->rawlen + 1);
		if (s == NULL)
			return;
		jscan_string(v, s);
		if (strcmp(s, c->valuestring) != 0)
			fail("string", path);
		if (!jscan_string_eq(v, c->valuestring))
			fail("string_eq", path);
		free(s);
	}
}

/* The members record_parse() requires, as cJSON's member lookup reads them. */
static void
compare_record(const char *buf, size_t size, const cJSON *root)
{
	const cJSON *td = cJSON_GetObjectItemCaseSensitive(root, "tlsdiag");
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(root, "event");
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "@timestamp");
	const cJSON *act = cJSON_IsObject(ev) ?
	    cJSON_GetObjectItemCaseSensitive(ev, "action") :
	    NULL;
	const cJSON *sch = cJSON_IsObject(td) ?
	    cJSON_GetObjectItemCaseSensitive(td, "schema") :
	    NULL;
	struct record r;
	enum record_status st;

	st = record_parse(buf, size, &r);
	if (memchr(buf, '\0', size) != NULL) {
		if (st != RECORD_NUL)
			fail("NUL status", "");
		return;
	}
	if (!cJSON_IsObject(root)) {
		if (st != RECORD_NOT_OBJECT)
			fail("not-object status", "");
		return;
	}
	if (!cJSON_IsNumber(sch)) {
		if (st != RECORD_NOT_TLSDIAG)
			fail("schema status", "");
		return;
	}
	if (st != RECORD_OK)
		return;
	if (!cJSON_IsString(ts) || strcmp(ts->valuestring, r.timestamp) != 0)
		fail("record @timestamp", "");
	if (!cJSON_IsString(act) || strcmp(act->valuestring, r.action) != 0)
		fail("record event.action", "");
	if (sch->valuedouble != (double)r.schema)
		fail("record schema", "");
	record_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jvalue v[NPATHS];
	cJSON *root;
	char *buf;
	int ok;
	size_t i;

	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	root = cJSON_ParseWithLengthOpts(buf, size + 1, NULL, 1);
	ok = jscan_check(buf, size) == 0;
	if (ok != (root != NULL))
		fail(ok ? "accept (jscan yes, cJSON no)" :
			  "accept (jscan no, cJSON yes)",
		    "");
	if (jscan_paths(buf, size, paths, NPATHS, v) != (ok ? 0 : -1))
		fail("jscan_paths accept", "");
	if (root != NULL) {
		for (i = 0; i < NPATHS; i++)
			compare(&v[i], record_lookup(root, paths[i]), paths[i]);
		compare_record(buf, size, root);
	} else if (memchr(buf, '\0', size) == NULL) {
		struct record r;

		if (record_parse(buf, size, &r) != RECORD_BAD_JSON)
			fail("bad JSON status", "");
	}
	cJSON_Delete(root);
	free(buf);
	return 0;
}
