// nodeserve.js: an https server on 127.0.0.1 (ephemeral port, printed as
// "PORT n") answering GET /K with "rK\n", keep-alive, for nodeloop.js.
// usage: node nodeserve.js CERT KEY
"use strict";
const fs = require("fs");
const https = require("https");

const srv = https.createServer({cert: fs.readFileSync(process.argv[2]),
    key: fs.readFileSync(process.argv[3])}, (req, res) => {
	res.end("r" + req.url.slice(1) + "\n");
});
srv.keepAliveTimeout = 60000;
srv.listen(0, "127.0.0.1", () => {
	console.log("PORT " + srv.address().port);
});
