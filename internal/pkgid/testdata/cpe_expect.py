#!/usr/bin/env python3
"""Independent expectations for TestRealCPEs.

Collects every CPE name (strings starting with "cpe:") from the shared test
data -- CVE 5 records, NVD API 2.0 responses, CSAF documents and SBOMs --
and writes, for each distinct name, the 11 attribute values in the stored
form pkgid.CPE documents (lower case; "*" ANY, "-" NA; backslash kept only
before a literal *, ? or \\; a lone literal hyphen as "\\-"), decoded here
with a separate implementation of the NISTIR 7695 unbinding rules.

Usage: python3 cpe_expect.py ../../../../shared/testdata > cpe-real.tsv
"""
import glob
import json
import os
import sys

ATTRS = 11


def store(chars):
    """chars: list of (char, quoted) -> stored-form string."""
    out = []
    for ch, quoted in chars:
        ch = ch.lower()
        if quoted and ch in "*?\\":
            out.append("\\" + ch)
        else:
            out.append(ch)
    s = "".join(out)
    if s == "-" and chars and chars[0][1]:
        return "\\-"
    return s


def unbind_fs_value(raw):
    if raw in ("", "*"):
        return "*"
    if raw == "-":
        return "-"
    chars, i = [], 0
    while i < len(raw):
        if raw[i] == "\\":
            chars.append((raw[i + 1], True))
            i += 2
        else:
            chars.append((raw[i], raw[i] not in "*?"))
            i += 1
    return store(chars)


def unbind_fs(s):
    body, parts, cur, i = s[8:], [], "", 0
    while i < len(body):
        if body[i] == "\\":
            cur += body[i:i + 2]
            i += 2
        elif body[i] == ":":
            parts.append(cur)
            cur = ""
            i += 1
        else:
            cur += body[i]
            i += 1
    parts.append(cur)
    vals = [unbind_fs_value(p) for p in parts]
    return vals + ["*"] * (ATTRS - len(vals))


def unbind_uri_value(raw):
    if raw == "":
        return "*"
    if raw == "-":
        return "-"
    chars, i = [], 0
    while i < len(raw):
        if raw[i] == "%":
            code = int(raw[i + 1:i + 3], 16)
            if code == 1:
                chars.append(("?", False))
            elif code == 2:
                chars.append(("*", False))
            else:
                chars.append((chr(code), True))
            i += 3
        else:
            chars.append((raw[i], raw[i] not in "*?"))
            i += 1
    return store(chars)


def unbind_uri(s):
    comps = s[5:].split(":")
    vals = ["*"] * ATTRS
    for i, c in enumerate(comps):
        if i == 5 and c.startswith("~"):
            ed, swe, tsw, thw, oth = c[1:].split("~")
            for idx, v in zip((5, 7, 8, 9, 10), (ed, swe, tsw, thw, oth)):
                vals[idx] = unbind_uri_value(v)
        else:
            vals[i] = unbind_uri_value(c)
    return vals


def walk(o, out):
    if isinstance(o, dict):
        for v in o.values():
            walk(v, out)
    elif isinstance(o, list):
        for v in o:
            walk(v, out)
    elif isinstance(o, str) and o.lower().startswith("cpe:"):
        out.add(o)


def main():
    root = sys.argv[1]
    names = set()
    for sub in ("cve5", "nvd-api-2.0", "csaf", "sbom"):
        for f in glob.glob(os.path.join(root, sub, "**", "*.json"), recursive=True):
            try:
                with open(f, encoding="utf-8") as fh:
                    walk(json.load(fh), names)
            except (ValueError, UnicodeDecodeError):
                continue
    print("# input\tpart\tvendor\tproduct\tversion\tupdate\tedition\tlanguage\tsw_edition\ttarget_sw\ttarget_hw\tother")
    for n in sorted(names):
        vals = unbind_fs(n) if n.lower().startswith("cpe:2.3:") else unbind_uri(n)
        print("\t".join([n] + vals))


main()
