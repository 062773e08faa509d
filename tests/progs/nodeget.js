// nodeget.js: one https.get to 127.0.0.1:PORT checking the certificate
// against CAFILE for the name "localhost"; prints "status N BYTES", or
// "error CODE" (node's own error code, for the reader) and exits 4.
// usage: node nodeget.js PORT CAFILE
"use strict";
const fs = require("fs");
const https = require("https");

function fail(e) {
	console.log("error", e.code);
	process.exitCode = 4;
}
const req = https.get({host: "127.0.0.1", servername: "localhost",
    port: Number(process.argv[2]), ca: fs.readFileSync(process.argv[3]),
    path: "/", agent: false}, (res) => {
	let n = 0;
	res.on("data", (d) => { n += d.length; });
	res.on("end", () => { console.log("status", res.statusCode, n); });
	res.on("error", fail);
});
req.on("error", fail);
