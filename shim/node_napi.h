/* node_napi.h: the Node-API module node's JavaScript reaches the shim by. */
#ifndef TLSDIAG_NODE_NAPI_H
#define TLSDIAG_NODE_NAPI_H

/*
 * The Node-API C ABI types this module uses, as node_api.h and
 * js_native_api.h define them (stable since N-API version 1): opaque
 * pointers, and napi_status, an enum whose napi_ok is 0.  Declared here
 * so that building the shim does not need nodejs's headers.
 */
typedef struct napi_env__ *napi_env;
typedef struct napi_value__ *napi_value;
typedef struct napi_callback_info__ *napi_callback_info;

/*
 * What node calls when its JavaScript runs process.dlopen() on
 * libtlsdiag.so (shim/node/tlsdiag-node.js does, with RTLD_NOLOAD, in a
 * node the library was preloaded into): adds one function to exports,
 * verdict(kind, code, host, handle), which hands node's verdict on a TLS
 * socket to failure_node() and returns whether a record was written:
 *   kind    "host" (node's host name check rejected the certificate),
 *           "reset" (reading the socket gave ECONNRESET) or "eof" (the
 *           peer closed the TCP connection)
 *   code    node's error code ("ERR_TLS_CERT_ALTNAME_INVALID", ...)
 *   host    the name node checked ("host" only; "" otherwise)
 *   handle  the socket's TLSWrap: its getFinished() is called to learn
 *           which SSL it is (entryhook_asked()); with no SSL to name,
 *           nothing is recorded.
 * In a process that is not node, or whose napi_* functions cannot all be
 * found, exports comes back unchanged.  Never throws into JavaScript:
 * an exception getFinished() raises is cleared.  Keeps errno.
 */
napi_value napi_register_module_v1(napi_env env, napi_value exports);

#endif
