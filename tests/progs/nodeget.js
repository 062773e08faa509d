// nodeget.js: one https.get to 127.0.0.1:PORT checking the certificate
// against CAFILE for the name "localhost"; prints "status N BYTES", or
// "error CODE" (node's own error code, for the reader) and exits 4.
// CHECK replaces node's host name check (checkServerIdentity) by one
// that rejects every certificate: "own" with an error of its own
// (E_OWN_CHECK), "claim" with node's ERR_TLS_CERT_ALTNAME_INVALID for
// "localhost" whatever the certificate says.
// usage: node nodeget.js PORT CAFILE [CHECK]
"use strict";
const fs = require("fs");
const https = require("https");

function fail(e) {
	console.log("error", e.code);
	process.exitCode = 4;
}
function reject(code) {
	return () => Object.assign(new Error("rejected by the program"),
	    {code: code, host: "localhost"});
}
const checks = {own: reject("E_OWN_CHECK"),
    claim: reject("ERR_TLS_CERT_ALTNAME_INVALID")};
const opts = {host: "127.0.0.1", servername: "localhost",
    port: Number(process.argv[2]), ca: fs.readFileSync(process.argv[3]),
    path: "/", agent: false};
if (process.argv[4] !== undefined)
	opts.checkServerIdentity = checks[process.argv[4]];
const req = https.get(opts, (res) => {
	let n = 0;
	res.on("data", (d) => { n += d.length; });
	res.on("end", () => { console.log("status", res.statusCode, n); });
	res.on("error", fail);
});
req.on("error", fail);
