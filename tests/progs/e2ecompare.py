#!/usr/bin/env python3
"""e2ecompare: compare the shim's JSON Lines log with what Python raised.

Subcommands (all print to stdout; exit 0 = match, 1 = mismatch, 2 = usage):

  get LOG INDEX PATH
      Print field PATH (dotted; "log.level" and "@timestamp" are literal
      top-level keys) of record INDEX (0-based, negative from the end) of a
      JSON Lines file.  Strings raw, null as "null", others as JSON.
      Exit 1 if the record or field does not exist.

  count LOG [ACTION]
      Number of records whose event.action is ACTION (default tls_failure);
      0 if LOG does not exist.

  project LOG FIELD...
      One line per tls_failure record: FIELD=value for each FIELD, for
      'diff -u' against a checked-in expectation.

  compare --truth FILE --log LOG --model 3.11|3.13 [--role client|server]
          [--expect SPEC]... [--diff NAME[:ARG]]...
      FILE holds one JSON line per Python process or connection (the output
      of pyclient.py or tlsserver.py --report).  Each line yields the
      expected records, in order: one per exception swallowed by
      suppress_ragged_eofs, then one for the exception raised, if it came
      from an OpenSSL call.  They are compared field by field with the
      tls_failure records of LOG, in order.
      --expect pins what Python itself did (one SPEC per truth line, in
      order): "none", "raise:TYPE[:VERIFY_CODE]" or "swallow:TYPE".
      --diff names an expected difference between the Python that produced
      the truth and the shim's model: DIFFS change an expected record, ADDS
      add one where Python raised nothing.  Each named difference must
      apply at least once.
"""

import json
import os
import re
import sys

SUFFIX = re.compile(r" \(_ssl\.c:[0-9]+\)$")
TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$")

# Python stage -> (OpenSSL calls CPython makes there, tlsdiag.phase).
# Stages not listed (connect, wrap, accept) fail before any OpenSSL call,
# so the shim has nothing to record.
STAGES = {
    "handshake": (("SSL_do_handshake",), "handshake"),
    "recv": (("SSL_read_ex",), "data"),
    "send": (("SSL_write_ex",), "data"),
    "shutdown": (("SSL_shutdown",), "shutdown"),
}


# The truth fields a mismatch report shows.
SHOWN = ("stage", "type", "errno", "str", "library", "reason", "verify_code",
         "verify_message")


class Usage(Exception):
    pass


# ---------------------------------------------------------------------------
# Named differences: (description, applies(expected) -> bool, apply(expected,
# arg) -> None).  Each turns what the truth's Python raised into what the
# shim's model must record.

def _is_syscall_eof(x):
    # SSLEOFError without library: the SSL_ERROR_SYSCALL + empty queue path
    # (3.10-3.12 pass ret=0 for read/write, so errno was ignored).
    return (x["type"] == "SSLEOFError" and x.get("library") is None
            and x["stage"] in ("recv", "send"))


def _to_oserror(x, arg):
    if arg is None:
        raise Usage("gh-115627 needs the errno: gh-115627:ERRNO")
    n = int(arg)
    x["type"] = type(OSError(n, os.strerror(n))).__name__
    x["errno"] = n
    x["str"] = "[Errno %d] %s" % (n, os.strerror(n))
    for a in ("library", "reason", "verify_code", "verify_message"):
        x.pop(a, None)


def _is_old_unexpected_eof(x):
    return (x["type"] == "SSLError"
            and x.get("reason") == "UNEXPECTED_EOF_WHILE_READING")


def _to_eof(x, arg):
    x["type"] = "SSLEOFError"
    x["errno"] = 8
    x["str"] = x["str"].replace("unexpected eof while reading",
                                "EOF occurred in violation of protocol")


def _is_clean_eof(t):
    # A truth line where Python saw no error at all (recv() returned b'').
    return t.get("outcome") == "ok" and not t.get("swallowed")


def _masked_eof(t, arg):
    return {
        "stage": "recv", "type": "SSLZeroReturnError", "errno": 6,
        "str": "TLS/SSL connection has been closed (EOF)",
        "library": None, "reason": None,
        "_level": "warning", "_extra": {"tlsdiag.eof_masked": True},
    }


# Transforming differences: (description, applies, apply) as above.
DIFFS = {
    "gh-115627": (
        "CPython 3.13 no longer passes ret to PySSL_SetError: a read/write "
        "SSL_ERROR_SYSCALL with an empty queue and errno != 0 is an OSError "
        "subclass (3.11: SSLEOFError, which suppress_ragged_eofs swallows)",
        _is_syscall_eof, _to_oserror),
    "gh-95495": (
        "Debian's 3.11.2 predates gh-95495: (SSL, UNEXPECTED_EOF_WHILE_"
        "READING) is SSLError(1, 'unexpected eof while reading') there; "
        "3.11.3+ and 3.13 raise SSLEOFError(8, 'EOF occurred in violation of "
        "protocol')",
        _is_old_unexpected_eof, _to_eof),
}

# Adding differences: (description, applies(truth), make(truth, arg) ->
# expected record).  A record the shim writes although Python raised
# nothing.
ADDS = {
    "masked-eof": (
        "OP_IGNORE_UNEXPECTED_EOF makes OpenSSL report the peer's FIN as a "
        "clean close (SSL_ERROR_ZERO_RETURN, no close_notify received), so "
        "Python returns b''; the shim still records the abrupt EOF, as a "
        "warning: SSLZeroReturnError with tlsdiag.eof_masked true",
        _is_clean_eof, _masked_eof),
}


# ---------------------------------------------------------------------------
def read_jsonl(path):
    """All JSON objects of a JSON Lines file ([] if it does not exist);
    a line that is not JSON is returned as {"_unparsable": line}."""
    recs = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                try:
                    recs.append(json.loads(line))
                except ValueError:
                    recs.append({"_unparsable": line})
    except FileNotFoundError:
        pass
    return recs


MISSING = object()


def field(rec, path):
    """Value at a dotted path; keys that contain dots are matched first."""
    cur = rec
    rest = path
    while rest:
        if not isinstance(cur, dict):
            return MISSING
        if rest in cur:
            return cur[rest]
        parts = rest.split(".")
        for i in range(len(parts) - 1, 0, -1):
            key = ".".join(parts[:i])
            if key in cur:
                cur = cur[key]
                rest = ".".join(parts[i:])
                break
        else:
            return MISSING
    return cur


def fmt(v):
    if v is MISSING:
        return "(absent)"
    return json.dumps(v)


def failures(log):
    return [r for r in read_jsonl(log)
            if field(r, "event.action") == "tls_failure"
            or "_unparsable" in r]


# ---------------------------------------------------------------------------
def expected_from_truth(truth):
    """Expected records (dicts in excjson format) for one truth line."""
    out = [dict(s) for s in truth.get("swallowed", [])]
    for s in out:
        s["_how"] = "swallowed in " + s["stage"]
    if truth.get("outcome") == "exception" and truth.get("stage") in STAGES:
        x = {k: v for k, v in truth.items() if k != "swallowed"}
        x["_how"] = "raised in " + x["stage"]
        out.append(x)
    for x in out:
        x["_pid"] = truth.get("pid")
        x["_python"] = {k: v for k, v in x.items() if k in SHOWN}
    return out


def check_expect(spec, truth):
    """Return a problem string if truth does not match spec, else None."""
    kind, _, rest = spec.partition(":")
    typ, _, vcode = rest.partition(":")
    sw = truth.get("swallowed", [])
    if kind == "none":
        if truth.get("outcome") == "ok" and not sw:
            return None
    elif kind == "raise":
        if (truth.get("outcome") == "exception" and truth["type"] == typ
                and (not vcode or str(truth.get("verify_code")) == vcode)):
            return None
    elif kind == "swallow":
        if (truth.get("outcome") == "ok" and len(sw) == 1
                and sw[0]["type"] == typ):
            return None
    else:
        raise Usage("bad --expect %r" % spec)
    return "Python did not do %r: %s" % (spec, json.dumps(truth))


def contract_problems(rec):
    """Fields every tls_failure record must have (log-format.md)."""
    p = []
    ts = field(rec, "@timestamp")
    if not (isinstance(ts, str) and TIMESTAMP.match(ts)):
        p.append("@timestamp: %s is not RFC 3339 with 6 digits and Z"
                 % fmt(ts))
    if field(rec, "log.level") not in ("error", "warning"):
        p.append("log.level: %s, want error or warning"
                 % fmt(field(rec, "log.level")))
    m = field(rec, "message")
    if not (isinstance(m, str) and m):
        p.append("message: %s, want a non-empty string" % fmt(m))
    if field(rec, "tlsdiag.schema") != 1:
        p.append("tlsdiag.schema: %s, want 1"
                 % fmt(field(rec, "tlsdiag.schema")))
    return p


def compare_one(rec, x, role):
    """Field-by-field problems of record rec against expected x."""
    calls, phase = STAGES[x["stage"]]
    want = [
        ("event.action", "tls_failure"),
        ("error.type", x["type"]),
        ("error.message", SUFFIX.sub("", x["str"])),
        ("tlsdiag.exc_errno", x.get("errno")),
        ("tlsdiag.library", x.get("library")),
        ("tlsdiag.reason", x.get("reason")),
        ("tlsdiag.verify_code", x.get("verify_code")),
        ("tlsdiag.verify_message", x.get("verify_message")),
        ("tlsdiag.role", role),
        ("tlsdiag.phase", phase),
    ]
    if x.get("_pid") is not None:
        want.append(("process.pid", x["_pid"]))
    if x.get("_level"):
        want.append(("log.level", x["_level"]))
    want.extend(sorted(x.get("_extra", {}).items()))
    p = []
    for path, v in want:
        got = field(rec, path)
        # An attribute Python does not have (or has as None) may be absent
        # from the record or null.
        if v is None and (got is MISSING or got is None):
            continue
        if got != v:
            p.append("%s: record %s, Python %s" % (path, fmt(got), fmt(v)))
    call = field(rec, "tlsdiag.call")
    if call not in calls:
        p.append("tlsdiag.call: record %s, Python's %s uses %s"
                 % (fmt(call), x["stage"], " or ".join(calls)))
    return p + contract_problems(rec)


def cmd_compare(args):
    opts = {"--truth": None, "--log": None, "--model": None,
            "--role": "client"}
    expects, diffs = [], []
    it = iter(args)
    for a in it:
        if a in opts:
            opts[a] = next(it, None)
        elif a == "--expect":
            expects.append(next(it, ""))
        elif a == "--diff":
            diffs.append(next(it, ""))
        else:
            raise Usage("compare: unknown argument %r" % a)
    if None in (opts["--truth"], opts["--log"], opts["--model"]):
        raise Usage("compare needs --truth, --log and --model")

    truths = read_jsonl(opts["--truth"])
    problems = []
    if not truths:
        problems.append("no truth in %s" % opts["--truth"])
    if expects and len(expects) != len(truths):
        problems.append("%d --expect for %d truth lines"
                        % (len(expects), len(truths)))
    for spec, t in zip(expects, truths):
        msg = check_expect(spec, t)
        if msg:
            problems.append(msg)

    notes = []
    expected = []
    for t in truths:
        expected.extend(expected_from_truth(t))
        for d in diffs:
            name, _, arg = d.partition(":")
            if name in ADDS and ADDS[name][1](t):
                x = ADDS[name][2](t, arg or None)
                x["_how"] = "not raised by Python (named difference %s)" \
                    % name
                x["_pid"] = t.get("pid")
                x["_python"] = "nothing raised"
                expected.append(x)
    for d in diffs:
        name, _, arg = d.partition(":")
        if name in ADDS:
            if not any(x["_how"].endswith(name + ")") for x in expected):
                problems.append("named difference %s does not apply to any "
                                "Python outcome here" % name)
            notes.append("%s: %s" % (name, ADDS[name][0]))
            continue
        if name not in DIFFS:
            raise Usage("unknown named difference %r (known: %s)"
                        % (name, ", ".join(sorted(list(DIFFS) + list(ADDS)))))
        desc, applies, apply = DIFFS[name]
        hit = [x for x in expected if applies(x)]
        if not hit:
            problems.append("named difference %s does not apply to any "
                            "Python outcome here" % name)
        for x in hit:
            apply(x, arg or None)
            x["_how"] += ", with named difference " + name
        notes.append("%s: %s" % (name, desc))

    recs = failures(opts["--log"])
    for i in range(max(len(recs), len(expected))):
        rec = recs[i] if i < len(recs) else None
        x = expected[i] if i < len(expected) else None
        if x is None:
            problems.append("record %d: unexpected, Python raised nothing "
                            "more:\n    %s" % (i + 1, json.dumps(rec)))
            continue
        what = "%s %s" % (x["type"], x["_how"])
        if rec is None:
            problems.append("record %d: missing; expected %s: %s"
                            % (i + 1, what, x["str"]))
            continue
        if "_unparsable" in rec:
            problems.append("record %d: not JSON: %s"
                            % (i + 1, rec["_unparsable"]))
            continue
        p = compare_one(rec, x, opts["--role"])
        if p:
            problems.append(
                "record %d vs Python %s:\n    %s\n  record:   %s\n"
                "  python:   %s\n  expected: %s"
                % (i + 1, what, "\n    ".join(p), json.dumps(rec),
                   json.dumps(x["_python"]),
                   json.dumps({k: v for k, v in x.items() if k in SHOWN})))
    label = "model %s, Python %s" % (opts["--model"],
                                     truths[0].get("python", "?")
                                     if truths else "?")
    for n in notes:
        print("  named difference %s" % n)
    if problems:
        print("MISMATCH (%s, log %s):" % (label, opts["--log"]))
        for p in problems:
            print("  " + p)
        return 1
    print("  match: %d record(s) (%s)" % (len(expected), label))
    return 0


def cmd_get(args):
    if len(args) != 3:
        raise Usage("get LOG INDEX PATH")
    recs = read_jsonl(args[0])
    try:
        rec = recs[int(args[1])]
    except (IndexError, ValueError):
        print("e2ecompare: %s: no record %s" % (args[0], args[1]),
              file=sys.stderr)
        return 1
    v = field(rec, args[2])
    if v is MISSING:
        print("e2ecompare: %s: record %s has no %s"
              % (args[0], args[1], args[2]), file=sys.stderr)
        return 1
    print(v if isinstance(v, str) else json.dumps(v))
    return 0


def cmd_count(args):
    if len(args) not in (1, 2):
        raise Usage("count LOG [ACTION]")
    action = args[1] if len(args) == 2 else "tls_failure"
    print(sum(1 for r in read_jsonl(args[0])
              if field(r, "event.action") == action))
    return 0


def cmd_project(args):
    if len(args) < 2:
        raise Usage("project LOG FIELD...")
    for rec in failures(args[0]):
        for f in args[1:]:
            v = field(rec, f)
            print("%s=%s" % (f, v if isinstance(v, str) else fmt(v)))
        print("--")
    return 0


def main(argv):
    cmds = {"get": cmd_get, "count": cmd_count, "project": cmd_project,
            "compare": cmd_compare}
    try:
        if not argv or argv[0] not in cmds:
            raise Usage("usage: e2ecompare.py get|count|project|compare ...")
        return cmds[argv[0]](argv[1:])
    except Usage as e:
        print("e2ecompare: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
