/*
 * node_napi.c: node checks the host name in JavaScript and reads its
 * sockets itself (libuv, memory BIOs), so a wrong host, a reset or an EOF
 * never fails an OpenSSL call: node's JavaScript makes the verdict.  Its
 * preload script (shim/node/tlsdiag-node.js) hands the verdict here
 * through Node-API, and failure_node() classifies it with the same code
 * as every other record.  The napi_* functions are node's own exports,
 * looked up at registration only: the shim links nothing of node's.
 */
#include "node_napi.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "entryhook.h"
#include "shim.h"

#define NAPI_OK 0
#define NAPI_AUTO_LENGTH ((size_t)-1)

typedef int napi_status; /* enum napi_status in js_native_api_types.h */
typedef napi_value (*napi_callback)(napi_env, napi_callback_info);

/* The few Node-API functions used: prototypes of js_native_api.h. */
static struct {
	napi_status (*create_function)(napi_env, const char *, size_t,
	    napi_callback, void *, napi_value *);
	napi_status (*set_named_property)(napi_env, napi_value, const char *,
	    napi_value);
	napi_status (*get_cb_info)(napi_env, napi_callback_info, size_t *,
	    napi_value *, napi_value *, void **);
	napi_status (*get_value_string_utf8)(napi_env, napi_value, char *,
	    size_t, size_t *);
	napi_status (*get_named_property)(napi_env, napi_value, const char *,
	    napi_value *);
	napi_status (*call_function)(napi_env, napi_value, napi_value, size_t,
	    const napi_value *, napi_value *);
	napi_status (*get_and_clear_last_exception)(napi_env, napi_value *);
	napi_status (*get_boolean)(napi_env, bool, napi_value *);
} napi;

/* Look the functions up in the process (node); 0, or -1 if one lacks. */
static int
napi_lookup(void)
{
	static const char *const names[] = {
		"napi_create_function",
		"napi_set_named_property",
		"napi_get_cb_info",
		"napi_get_value_string_utf8",
		"napi_get_named_property",
		"napi_call_function",
		"napi_get_and_clear_last_exception",
		"napi_get_boolean",
	};
	void **slot[] = {
		(void **)&napi.create_function,
		(void **)&napi.set_named_property,
		(void **)&napi.get_cb_info,
		(void **)&napi.get_value_string_utf8,
		(void **)&napi.get_named_property,
		(void **)&napi.call_function,
		(void **)&napi.get_and_clear_last_exception,
		(void **)&napi.get_boolean,
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		*slot[i] = dlsym(RTLD_DEFAULT, names[i]);
		if (*slot[i] == NULL)
			return -1;
	}
	return 0;
}

/* v as a string into buf (cut to cap); "" when it is not one. */
static void
js_string(napi_env env, napi_value v, char *buf, size_t cap)
{
	size_t n = 0;

	if (napi.get_value_string_utf8(env, v, buf, cap, &n) != NAPI_OK)
		n = 0;
	buf[n < cap ? n : cap - 1] = '\0';
}

/* Clear a pending JavaScript exception, so that none reaches the caller. */
static void
js_clear(napi_env env)
{
	napi_value e;

	napi.get_and_clear_last_exception(env, &e);
}

/*
 * The SSL under TLSWrap handle: what its getFinished() asks the
 * executable's SSL_get_finished about (the entry hook notes it).  NULL,
 * with *o untouched, when it asks nothing (the SSL is gone).
 */
static SSL *
handle_ssl(napi_env env, napi_value handle, struct ossl **o)
{
	napi_value fn, res;
	SSL *s;

	if (napi.get_named_property(env, handle, "getFinished", &fn) !=
	    NAPI_OK) {
		js_clear(env);
		return NULL;
	}
	entryhook_asked_clear();
	if (napi.call_function(env, handle, fn, 0, NULL, &res) != NAPI_OK)
		js_clear(env);
	s = entryhook_asked(o);
	entryhook_asked_clear();
	return s;
}

/* verdict(kind, code, host, handle): see node_napi.h. */
static napi_value
js_verdict(napi_env env, napi_callback_info info)
{
	napi_value argv[4], out = NULL;
	size_t argc = 4;
	char kind[8], code[64], host[256];
	struct ossl *o = NULL;
	enum node_verdict v;
	SSL *s;
	int saved = errno, rec = 0;

	if (!shim.ready ||
	    napi.get_cb_info(env, info, &argc, argv, NULL, NULL) != NAPI_OK ||
	    argc < 4)
		goto out;
	js_string(env, argv[0], kind, sizeof(kind));
	js_string(env, argv[1], code, sizeof(code));
	js_string(env, argv[2], host, sizeof(host));
	if (strcmp(kind, "host") == 0)
		v = NODE_HOST;
	else if (strcmp(kind, "reset") == 0)
		v = NODE_RESET;
	else if (strcmp(kind, "eof") == 0)
		v = NODE_EOF;
	else
		goto out;
	s = handle_ssl(env, argv[3], &o);
	if (s != NULL && o != NULL)
		rec = failure_node(o, s, v, code, host);
	else
		shim_debug("node's verdict '%s' (%s): no SSL to name, "
			   "nothing recorded",
		    kind, code);
out:
	if (napi.get_boolean(env, rec != 0, &out) != NAPI_OK)
		out = NULL;
	errno = saved;
	return out;
}

SHIM_EXPORT napi_value
napi_register_module_v1(napi_env env, napi_value exports)
{
	napi_value fn;
	int saved = errno;

	if (napi_lookup() == 0 &&
	    napi.create_function(env, "verdict", NAPI_AUTO_LENGTH, js_verdict,
		NULL, &fn) == NAPI_OK)
		napi.set_named_property(env, exports, "verdict", fn);
	errno = saved;
	return exports;
}
