#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks the server's --log-level debug lines (issue 14) with the log grammar of
# docs/operations.md (parse_fields of tests/abuse/log_forging.py): per handshake a `tls` line,
# per request a `policy` line with its rule, rewrite, auth, and per name a `resolve` line.
#
# usage: debug_log.py LOG debug ECHO_PORT | debug_log.py LOG info
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "abuse"))
from abuse_common import Check  # noqa: E402
from log_forging import parse_fields  # noqa: E402


def lines_of(log, tag):
    out = []
    with open(log, "rb") as f:
        for raw in f:
            m = re.search(rb" debug: " + tag.encode() + rb" (.*)$", raw.rstrip(b"\n"))
            if m:
                out.append(dict((k, v.decode()) for k, v in parse_fields(m.group(1))))
    return out


def need(cond, what):
    if not cond:
        raise Check(what)


def check_debug(log, echo):
    tls = lines_of(log, "tls")
    need(len(tls) >= 3, "fewer than 3 tls lines: %r" % tls)
    for t in tls:
        need(t["version"] in ("TLSv1.2", "TLSv1.3"), "tls version: %r" % t)
        need(t["suite"].startswith("TLS_"), "tls suite: %r" % t)
        need(t["group"] != "", "tls group: %r" % t)
        need(t["resumed"] in ("yes", "no"), "tls resumed: %r" % t)
    print("ok: tls %s" % " ".join("%s=%s" % kv for kv in sorted(tls[0].items())))
    policy = lines_of(log, "policy")
    allowed = [p for p in policy if p["verdict"] == "allowed" and p["request"] == "localhost:%s" % echo]
    need(allowed, "no allowed policy line for localhost:%s: %r" % (echo, policy))
    a = allowed[0]
    need(a["rule"] == "expose same-address", "rule: %r" % a)
    need(a["rewrite"] == "localhost:%s -> the arrival address 127.0.0.1" % echo, "rewrite: %r" % a)
    need(a["targets"] == "127.0.0.1:%s" % echo, "targets: %r" % a)
    need(a["auth-required"] == "any" and a["auth"] == "anonymous", "auth: %r" % a)
    print("ok: policy %s" % " ".join("%s=%s" % kv for kv in sorted(a.items())))
    denied = [p for p in policy if p["verdict"] == "denied"]
    need(denied and denied[0]["rep"] == "0x02" and "not a local address" in denied[0]["reason"],
         "no denied policy line with its reason: %r" % policy)
    print("ok: policy %s" % " ".join("%s=%s" % kv for kv in sorted(denied[0].items())))
    svc = [p for p in policy if p.get("rule") == "service secret"]
    need(svc and svc[0]["auth-required"] == "password" and svc[0]["auth"] == "password",
         "no policy line for the password service: %r" % policy)
    print("ok: policy %s" % " ".join("%s=%s" % kv for kv in sorted(svc[0].items())))
    resolve = lines_of(log, "resolve")
    r = [x for x in resolve if x["name"] == "localhost"]
    need(r and "127.0.0.1" in r[0]["answer"].split(",") and float(r[0]["ms"]) >= 0,
         "no resolve line for localhost: %r" % resolve)
    print("ok: resolve %s" % " ".join("%s=%s" % kv for kv in sorted(r[0].items())))


def main():
    log, level = sys.argv[1], sys.argv[2]
    try:
        if level == "debug":
            check_debug(log, sys.argv[3])
        else:
            for tag in ("tls", "policy", "resolve"):
                need(not lines_of(log, tag), "%s debug lines at %s level" % (tag, level))
            with open(log, "rb") as f:
                need(b" debug: " not in f.read(), "a debug line at %s level" % level)
            print("ok: no debug line at %s level" % level)
    except Check as e:
        print("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
