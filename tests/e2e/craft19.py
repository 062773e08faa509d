"""craft19.py: write crafted failure records for the issue-19 report tests.

Usage: craft19.py < SPEC > LOG.  Each SPEC line is
TIME|TYPE|REASON|SNI|IP|ISSUER|SUBJECT ('-' leaves the member out).  Every
record is the certificate failure on line 2 of tests/e2e/data/report/web-7.log
(a record of the shim's format) with those members replaced.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "data", "report", "web-7.log")) as f:
    template = json.loads(f.readlines()[1])

for spec in sys.stdin:
    spec = spec.rstrip("\n")
    if not spec or spec.startswith("#"):
        continue
    ts, typ, reason, sni, ip, issuer, subject = spec.split("|")
    r = json.loads(json.dumps(template))
    r["@timestamp"] = ts
    r["error"]["type"] = typ
    r["tlsdiag"]["verify_message"] = reason
    r["tlsdiag"]["reason"] = reason
    r["tlsdiag"].pop("stack_id")
    r["tlsdiag"].pop("backtrace")
    if sni == "-":
        del r["tls"]["client"]
    else:
        r["tls"]["client"]["server_name"] = sni
    r["destination"]["ip"] = ip
    x509 = r["tls"]["server"]["x509"]
    if issuer == "-":
        del x509["issuer"]
    else:
        x509["issuer"]["distinguished_name"] = issuer
    if subject != "-":
        x509["subject"]["distinguished_name"] = subject
        del r["tls"]["server"]["hash"]
    sys.stdout.write(json.dumps(r, separators=(",", ":")) + "\n")
