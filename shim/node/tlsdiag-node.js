// tlsdiag-node.js: node checks the host name in JavaScript and reads its
// sockets itself, so a wrong host, a reset or an EOF fails no OpenSSL call
// and the entry hooks see nothing.  This preload ("tlsdiag run" puts it in
// NODE_OPTIONS as --require=PATH) hands node's verdict on such a socket to
// libtlsdiag.so through Node-API (shim/node_napi.c), which classifies it
// as CPython would and writes the record.
//
// It does nothing unless libtlsdiag.so is already loaded in this process
// (/proc/self/maps names it): process.dlopen with RTLD_NOLOAD never loads
// it.  It never throws, adds
// no listener and no event-loop reference, and changes no behaviour: one
// wrapper around the streams' destroy() looks at the error a TLS socket
// is destroyed with, then calls the original with the same arguments.
"use strict";
(function tlsdiagNode() {
	try {
		// glibc <dlfcn.h>; os.constants.dlopen lacks RTLD_NOLOAD
		const RTLD_LAZY = 1;
		const RTLD_NOLOAD = 4;
		// Only a library this process has mapped: node's
		// process.dlopen crashes when dlopen fails without a message,
		// as RTLD_NOLOAD does for a library that is not loaded.
		const maps = require("fs").readFileSync("/proc/self/maps",
		    "latin1");
		const re = /^[^\n/]*(\/[^\n]*\/libtlsdiag[^\n/]*\.so)$/gm;
		const seen = new Set();
		let shim = null;
		let m;

		while (shim === null && (m = re.exec(maps)) !== null) {
			if (seen.has(m[1]))
				continue;
			seen.add(m[1]);
			const mod = {exports: {}};

			try {
				process.dlopen(mod, m[1], RTLD_LAZY | RTLD_NOLOAD);
			} catch (e) {
				continue;
			}
			if (typeof mod.exports.verdict === "function")
				shim = mod.exports;
		}
		if (shim === null)
			return;

		// kind of end sock came to, with err; null when not ours
		const kindOf = (sock, err) => {
			if (err == null) {
				// 'end' came (the peer closed the TCP
				// connection) after the handshake
				const rs = sock._readableState;
				return rs && rs.ended && sock._secureEstablished ?
				    "eof" : null;
			}
			if (err.code === "ERR_TLS_CERT_ALTNAME_INVALID")
				return "host";
			if (err.code !== "ECONNRESET")
				return null;
			if (err.syscall === "read")
				return "reset";
			// _tls_wrap.js onConnectEnd: 'end' before the handshake
			if (err.syscall === undefined && !sock._secureEstablished &&
			    /^Client network socket disconnected before secure TLS connection was established/.test(err.message))
				return "eof";
			return null;
		};
		const look = (sock, err) => {
			// a TLSSocket whose SSL is still there
			const h = sock.ssl;

			if (h == null || h !== sock._handle || sock.destroyed ||
			    typeof h.getFinished !== "function")
				return;
			const kind = kindOf(sock, err);

			if (kind === null)
				return;
			shim.verdict(kind, err == null ? "end" : String(err.code),
			    kind === "host" ? String(err.host) : "", h);
		};
		const Duplex = require("stream").Duplex;
		const destroy = Duplex.prototype.destroy;

		if (typeof destroy !== "function")
			return;
		Duplex.prototype.destroy = function destroy_(err, cb) {
			if (this.encrypted === true) {
				try {
					look(this, err);
				} catch (e) {
					// never the program's concern
				}
			}
			return Reflect.apply(destroy, this, arguments);
		};
		Object.defineProperty(Duplex.prototype.destroy, "name",
		    {value: "destroy"});
	} catch (e) {
		// never the program's concern
	}
})();
