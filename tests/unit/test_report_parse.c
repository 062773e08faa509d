/* test_report_parse.c: record_parse() statuses, fields and path lookup. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../analyzer/logrecord.h"

#define GOOD_HEAD                                                              \
	"{\"@timestamp\":\"2026-11-27T03:12:45.123456Z\","                     \
	"\"log.level\":\"error\",\"message\":\"m\","                           \
	"\"event\":{\"action\":\"tls_failure\"},"

struct status_case {
	const char *line;
	size_t len; /* 0: strlen */
	enum record_status want;
};

static const struct status_case status_cases[] = {
	{ GOOD_HEAD "\"tlsdiag\":{\"schema\":1}}", 0, RECORD_OK },
	{ GOOD_HEAD "\"tlsdiag\":{\"schema\":2}}", 0, RECORD_NEWER_SCHEMA },
	{ GOOD_HEAD "\"tlsdiag\":{\"schema\":0}}", 0, RECORD_BAD_FIELD },
	{ GOOD_HEAD "\"tlsdiag\":{\"schema\":\"1\"}}", 0, RECORD_NOT_TLSDIAG },
	{ GOOD_HEAD "\"tlsdiag\":{\"schema\":1.5}}", 0, RECORD_NOT_TLSDIAG },
	{ GOOD_HEAD "\"tlsdiag\":{}}", 0, RECORD_NOT_TLSDIAG },
	{ "{\"event\":{\"action\":\"x\"},\"tlsdiag\":{\"schema\":1}}", 0,
	    RECORD_BAD_FIELD },
	{ "{\"@timestamp\":\"yesterday\",\"event\":{\"action\":\"x\"},"
	  "\"tlsdiag\":{\"schema\":1}}",
	    0, RECORD_BAD_FIELD },
	{ "{\"@timestamp\":\"2026-11-27T03:12:45Z\",\"event\":{\"action\":7},"
	  "\"tlsdiag\":{\"schema\":1}}",
	    0, RECORD_BAD_FIELD },
	{ GOOD_HEAD "\"tlsdiag\":{\"schema\":1}", 0, RECORD_BAD_JSON },
	{ GOOD_HEAD "\"tlsdiag\":{\"schema\":1}} trailing", 0,
	    RECORD_BAD_JSON },
	{ "", 0, RECORD_BAD_JSON },
	{ "   ", 0, RECORD_BAD_JSON },
	{ "[1,2,3]", 0, RECORD_NOT_OBJECT },
	{ "\"a string\"", 0, RECORD_NOT_OBJECT },
	{ "42", 0, RECORD_NOT_OBJECT },
	{ "null", 0, RECORD_NOT_OBJECT },
	{ "{\"a\":1}\0{\"b\":2}", 15, RECORD_NUL },
	{ "\x7f"
	  "ELF\x02\x01\x01",
	    0, RECORD_BAD_JSON },
	{ "{\"tlsdiag\":\"x\"}", 0, RECORD_NOT_TLSDIAG },
};

Test(report_parse, statuses)
{
	struct record r;
	size_t i;

	for (i = 0; i < sizeof(status_cases) / sizeof(status_cases[0]); i++) {
		const struct status_case *c = &status_cases[i];
		size_t len = c->len ? c->len : strlen(c->line);
		enum record_status st = record_parse(c->line, len, &r);

		cr_expect_eq(st, c->want, "case %zu: got %s, want %s", i,
		    record_status_name(st), record_status_name(c->want));
		if (st == RECORD_OK)
			record_free(&r);
	}
}

Test(report_parse, deep_nesting_is_rejected_not_crashing)
{
	static char line[4096];
	struct record r;
	size_t i;

	for (i = 0; i < 2000; i++)
		line[i] = '[';
	cr_assert_eq(record_parse(line, 2000, &r), RECORD_BAD_JSON);
}

static const char full[] =
    "{\"@timestamp\":\"2026-11-27T03:12:45.123456Z\",\"log.level\":\"error\","
    "\"message\":\"m\",\"event\":{\"action\":\"tls_failure\"},"
    "\"error\":{\"type\":\"SSLCertVerificationError\",\"message\":\"x\"},"
    "\"tlsdiag\":{\"schema\":1,\"call\":\"SSL_connect\",\"reason\":"
    "\"CERTIFICATE_VERIFY_FAILED\",\"verify_code\":10,\"verify_message\":"
    "\"certificate has expired\",\"role\":\"server\",\"phase\":\"handshake\","
    "\"bytes\":{\"read\":12,\"written\":\"bad\"},\"age_s\":3,"
    "\"shutdown\":{\"sent\":true},\"stack_id\":\"abc\",\"backtrace\":[],"
    "\"future_field\":{\"x\":[1,2]}},"
    "\"tls\":{\"client\":{\"server_name\":\"localhost\",\"x509\":{"
    "\"subject\":{\"distinguished_name\":\"CN=client\"},"
    "\"not_after\":\"2025-01-01T00:00:00Z\"},\"hash\":{\"sha256\":\"AA\"}},"
    "\"server\":{\"x509\":{\"subject\":{\"distinguished_name\":\"CN=srv\"}}}},"
    "\"source\":{\"ip\":\"10.0.0.1\",\"port\":5555},"
    "\"destination\":{\"ip\":\"10.0.0.2\",\"port\":443},"
    "\"process\":{\"pid\":4242,\"thread\":{\"id\":4243},"
    "\"executable\":\"/usr/bin/curl\"},\"host\":{\"hostname\":\"web-7\"}}";

Test(report_parse, fields_server_role)
{
	struct record r;

	cr_assert_eq(record_parse(full, strlen(full), &r), RECORD_OK);
	cr_expect(r.is_failure);
	cr_expect_str_eq(r.type, "SSLCertVerificationError");
	cr_expect_str_eq(r.level, "error");
	cr_expect_eq(r.pid, 4242);
	cr_expect_eq(r.tid, 4243);
	cr_expect_str_eq(r.name, "curl", "name falls back to exe basename");
	cr_expect_str_eq(r.host, "web-7");
	cr_expect_eq(r.verify_code, 10);
	cr_expect_eq(r.bytes_read, 12);
	cr_expect_eq(r.bytes_written, RECORD_NONE, "mistyped reads as absent");
	cr_expect_eq(r.age_s, 3);
	cr_expect_eq(r.shutdown_sent, 1);
	cr_expect_eq(r.shutdown_received, -1);
	/* Server: the peer is the initiator, its cert is tls.client. */
	cr_expect_str_eq(r.peer_ip, "10.0.0.1");
	cr_expect_eq(r.peer_port, 5555);
	cr_expect_str_eq(r.cert_subject, "CN=client");
	cr_expect_str_eq(r.cert_sha256, "AA");
	cr_expect_str_eq(r.sni, "localhost");
	cr_expect_eq(r.ts, 1795749165123456LL);
	record_free(&r);
}

Test(report_parse, minimal_record_counts)
{
	static const char line[] =
	    "{\"@timestamp\":\"2026-11-27T03:12:45Z\","
	    "\"event\":{\"action\":\"tls_failure\"},\"tlsdiag\":{\"schema\":1}}";
	struct record r;

	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
	cr_expect(r.is_failure);
	cr_expect_null(r.type);
	cr_expect_null(r.host);
	cr_expect_eq(r.pid, RECORD_NONE);
	record_free(&r);
}

Test(report_parse, lookup_dotted_paths)
{
	static const struct {
		const char *path;
		const char *want; /* string value, or NULL: absent */
	} cases[] = {
		{ "log.level", "error" },
		{ "@timestamp", "2026-11-27T03:12:45.123456Z" },
		{ "tlsdiag.reason", "CERTIFICATE_VERIFY_FAILED" },
		{ "tls.client.x509.subject.distinguished_name", "CN=client" },
		{ "tls.client.server_name", "localhost" },
		{ "tlsdiag.nope", NULL },
		{ "log", NULL },
		{ "tlsdiag.reason.x", NULL },
	};
	const cJSON *v;
	cJSON *root = cJSON_Parse(full);
	size_t i;

	cr_assert_not_null(root);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = record_lookup(root, cases[i].path);
		if (cases[i].want == NULL) {
			cr_expect_null(v, "%s should be absent", cases[i].path);
			continue;
		}
		cr_assert(cJSON_IsString(v), "%s not found", cases[i].path);
		cr_expect_str_eq(v->valuestring, cases[i].want);
	}
	v = record_lookup(root, "process.pid");
	cr_expect(cJSON_IsNumber(v) && v->valuedouble == 4242);
	cJSON_Delete(root);
}

Test(report_parse, certificate_error_alias)
{
	cr_expect_str_eq(record_canonical_type("CertificateError"),
	    "SSLCertVerificationError");
	cr_expect_str_eq(record_canonical_type("SSLEOFError"), "SSLEOFError");
}

/* The one-walk member lookup must keep cJSON's first-duplicate-wins. */
Test(report_parse, duplicate_members_first_wins)
{
	static const char line[] =
	    "{\"@timestamp\":\"2026-11-27T03:12:45Z\","
	    "\"event\":{\"action\":\"tls_failure\"},\"tlsdiag\":{\"schema\":1,"
	    "\"role\":\"client\",\"role\":\"server\",\"call\":7,"
	    "\"call\":\"SSL_read\"},\"host\":{\"hostname\":\"a\"},"
	    "\"host\":{\"hostname\":\"b\"},\"tlsdiag\":{\"schema\":9}}";
	struct record r;

	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
	cr_expect_str_eq(r.role, "client");
	cr_expect_null(r.call, "the first 'call' is a number: absent");
	cr_expect_str_eq(r.host, "a");
	cr_expect_eq(r.schema, 1);
	record_free(&r);
}

/*
 * Parse trees come from an arena that is emptied when no record is alive:
 * two records held at once must not overwrite each other, and a tree
 * built by other cJSON users (with the system allocator) must survive
 * later parses.
 */
Test(report_parse, arena_lifetimes)
{
	static const char other[] =
	    "{\"@timestamp\":\"2026-11-28T00:00:00Z\","
	    "\"event\":{\"action\":\"tlsdiag_start\"},\"tlsdiag\":{\"schema\":1},"
	    "\"host\":{\"hostname\":\"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\"}}";
	struct record a;
	struct record b;
	cJSON *doc;
	const cJSON *v;
	int i;

	cr_assert_eq(record_parse(full, strlen(full), &a), RECORD_OK);
	cr_assert_eq(record_parse(other, strlen(other), &b), RECORD_OK);
	cr_expect_str_eq(a.host, "web-7");
	cr_expect_str_eq(a.type, "SSLCertVerificationError");
	cr_expect_str_eq(b.host, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
	record_free(&b);
	cr_assert_eq(record_parse(other, strlen(other), &b), RECORD_OK);
	cr_expect_str_eq(a.timestamp, "2026-11-27T03:12:45.123456Z",
	    "a live tree was reused");
	cr_expect_str_eq(a.action, "tls_failure", "a live tree was reused");
	cr_expect_str_eq(a.host, "web-7", "a live tree was reused");
	record_free(&b);
	record_free(&a);

	doc = cJSON_Parse("{\"k\":\"kept-by-the-caller\"}");
	cr_assert_not_null(doc);
	for (i = 0; i < 3; i++) {
		cr_assert_eq(record_parse(other, strlen(other), &b), RECORD_OK);
		record_free(&b);
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "k");
	cr_assert(cJSON_IsString(v));
	cr_expect_str_eq(v->valuestring, "kept-by-the-caller",
	    "cJSON's hooks were left pointing at the arena");
	cJSON_Delete(doc);
}

/*
 * Member names are found by a hash of their first eight bytes and their
 * length: names that share those (a prefix, a name one byte longer, one
 * written with escapes, one cut by an escaped NUL as cJSON's strcmp cuts
 * it) must still be told apart or matched exactly as cJSON would.
 */
Test(report_parse, member_names_match_exactly)
{
	static const char line[] =
	    "{\"@timest\\u0061mp\":\"2026-11-27T03:12:45Z\","
	    "\"event\":{\"actio\":\"no\",\"actionx\":\"no\","
	    "\"action\\u0000x\":\"tls_failure\",\"action\":\"late\"},"
	    "\"tlsdiag\":{\"schema\":1,\"verify_messag\":\"no\","
	    "\"verify_message_\":\"no\",\"verify_\\u006dessage\":\"yes\","
	    "\"stack_id\":\"s\",\"stack_i\":\"no\",\"s\":1,\"\":2,"
	    "\"verify_codx\":5,\"verify_code\":20},"
	    "\"process\":{\"pid\":7,\"pi\":8,\"pidd\":9,"
	    "\"n\\u0061me\":\"prog\"}}";
	struct record r;

	cr_assert_eq(record_parse(line, strlen(line), &r), RECORD_OK);
	cr_expect_str_eq(r.action, "tls_failure",
	    "\"action\\u0000x\" is \"action\" to cJSON, and first");
	cr_expect_str_eq(r.verify_message, "yes");
	cr_expect_str_eq(r.stack_id, "s");
	cr_expect_eq(r.verify_code, 20, "same length, same first 8 bytes");
	cr_expect_eq(r.pid, 7);
	cr_expect_str_eq(r.name, "prog");
	record_free(&r);
}
