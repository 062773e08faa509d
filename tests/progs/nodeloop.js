// nodeloop.js: N https requests, one after another on one keep-alive
// connection, to the nodeserve.js server at 127.0.0.1:PORT; checks each
// body and prints "done N {status: count} SHA256-of-bodies" (identical
// bare and under the shim), "bad"/"error" lines for any other outcome.
// usage: node nodeloop.js PORT CAFILE N
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const https = require("https");

const port = Number(process.argv[2]);
const ca = fs.readFileSync(process.argv[3]);
const n = Number(process.argv[4]);
const agent = new https.Agent({keepAlive: true, maxSockets: 1});
const h = crypto.createHash("sha256");
const codes = {};
let i = 0;

function next() {
	if (i === n) {
		console.log("done", n, JSON.stringify(codes), h.digest("hex"));
		agent.destroy();
		return;
	}
	const k = i++;
	https.get({host: "127.0.0.1", port: port, ca: ca,
	    servername: "localhost", path: "/" + k, agent: agent}, (res) => {
		codes[res.statusCode] = (codes[res.statusCode] || 0) + 1;
		let b = "";
		res.setEncoding("utf8");
		res.on("data", (d) => { b += d; });
		res.on("end", () => {
			if (b !== "r" + k + "\n")
				console.log("bad", k, JSON.stringify(b));
			h.update(b);
			next();
		});
	}).on("error", (e) => {
		console.log("error", k, e.code);
		next();
	});
}
next();
