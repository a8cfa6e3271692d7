#!/usr/bin/env python3
"""Independent oracle: Flux 0.26.3 SPDX SBOM x Go vulnerability database (OSV).

Standard library only. Written without looking at sigwatch's Go matcher.

For every distinct (module path, version) in the SBOM, list every OSV record
with an affected[] entry whose package.ecosystem is "Go", whose package.name
equals the module path, and whose SEMVER ranges (or versions[] list) include
the version. Withdrawn records are reported separately.

Version comparison is SemVer 2.0.0 precedence (section 11), implemented here:
  * MAJOR.MINOR.PATCH compared numerically;
  * a version with a pre-release has lower precedence than the same version
    without one;
  * pre-release identifiers compared left to right: numeric identifiers
    numerically, alphanumeric ones in ASCII order, numeric < alphanumeric,
    and a shorter list < a longer one when all preceding identifiers are equal;
  * build metadata ("+incompatible") is ignored.

Range evaluation is done twice, by two different methods, and the script
asserts that both agree:
  A. the OSV specification's event walk (sort events, then
     introduced -> vulnerable, fixed -> not, last_affected -> not after);
  B. explicit intervals: pair each introduced with the next closing event
     above it, giving [introduced, fixed) or [introduced, last_affected].

Usage:
  python3 flux_osv.py [--sbom PATH] [--osv DIR_OR_ZIP] [--out PATH]
Defaults point at /work/shared/testdata and write flux_osv_expected.json next
to this script.
"""

import argparse
import json
import os
import re
import sys
import urllib.parse
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SBOM = "/work/shared/testdata/sbom/spdx/flux_0.26.3_sbom.spdx.json"
DEFAULT_OSV = "/work/shared/testdata/osv/go"
DEFAULT_OUT = os.path.join(HERE, "flux_osv_expected.json")

# ---------------------------------------------------------------------------
# SemVer 2.0.0

SEMVER_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


class BadVersion(ValueError):
    pass


def parse_semver(s):
    """Return (major, minor, patch, prerelease-tuple) or raise BadVersion."""
    m = SEMVER_RE.match(s)
    if not m:
        raise BadVersion(s)
    pre = ()
    if m.group(4) is not None:
        pre = tuple(m.group(4).split("."))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), pre)


def _cmp(a, b):
    return (a > b) - (a < b)


def _cmp_ident(x, y):
    xn, yn = x.isdigit(), y.isdigit()
    if xn and yn:
        return _cmp(int(x), int(y))
    if xn:
        return -1  # numeric identifiers have lower precedence
    if yn:
        return 1
    return _cmp(x, y)  # ASCII order


def semver_cmp(a, b):
    """Compare two version strings by SemVer 2.0.0 precedence."""
    pa, pb = parse_semver(a), parse_semver(b)
    c = _cmp(pa[:3], pb[:3])
    if c:
        return c
    xa, xb = pa[3], pb[3]
    if not xa and not xb:
        return 0
    if not xa:
        return 1  # release > pre-release
    if not xb:
        return -1
    for x, y in zip(xa, xb):
        c = _cmp_ident(x, y)
        if c:
            return c
    return _cmp(len(xa), len(xb))


# Published test vector from semver.org section 11 (the precedence example),
# plus the build-metadata rule; checked every run so the comparator cannot
# silently break.
SEMVER_SELF_TEST = [
    "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
    "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
    "2.0.0", "2.1.0", "2.1.1",
]


def self_test():
    v = SEMVER_SELF_TEST
    for i in range(len(v)):
        for j in range(len(v)):
            want = _cmp(i, j)
            got = semver_cmp(v[i], v[j])
            assert got == want, (v[i], v[j], got, want)
    assert semver_cmp("51.1.0+incompatible", "51.1.0") == 0
    assert semver_cmp("0.0.0-20211215153901-e495a2d5b3d3", "0.0.0") < 0
    assert semver_cmp("0.0.0-20211215153901-e495a2d5b3d3",
                      "0.0.0-20220314234659-1baeb1ce4c0b") < 0
    assert semver_cmp("1.19.0-0", "1.19.0") < 0
    assert semver_cmp("1.19.0-0", "1.18.99") > 0


# ---------------------------------------------------------------------------
# OSV range evaluation

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


def _event(e):
    ks = [k for k in EVENT_KINDS if k in e]
    if len(ks) != 1:
        raise ValueError("event with %d kinds: %r" % (len(ks), e))
    return ks[0], e[ks[0]]


def _sort_key_cmp(a, b):
    # "0" (introduced) sorts before every version.
    (ka, va), (kb, vb) = a, b
    if va == "0" and vb == "0":
        return 0
    if va == "0":
        return -1
    if vb == "0":
        return 1
    return semver_cmp(va, vb)


def affected_walk(v, events):
    """Method A: the OSV spec's walk over events sorted by version."""
    import functools
    evs = sorted((_event(e) for e in events),
                 key=functools.cmp_to_key(_sort_key_cmp))
    limits = [val for k, val in evs if k == "limit"]
    if limits and not any(semver_cmp(v, l) < 0 for l in limits):
        return False
    vulnerable = False
    for k, val in evs:
        if k == "introduced":
            if val == "0" or semver_cmp(v, val) >= 0:
                vulnerable = True
        elif k == "fixed":
            if semver_cmp(v, val) >= 0:
                vulnerable = False
        elif k == "last_affected":
            if semver_cmp(v, val) > 0:
                vulnerable = False
    return vulnerable


def affected_intervals(v, events):
    """Method B: build explicit intervals, then test membership.

    Returns (bool, interval-description-or-None)."""
    intro = [val for k, val in (_event(e) for e in events) if k == "introduced"]
    closes = [(k, val) for k, val in (_event(e) for e in events)
              if k in ("fixed", "last_affected")]

    def ge(a, b):  # a >= b with "0" as minus infinity
        return b == "0" or semver_cmp(a, b) >= 0

    for lo in intro:
        # nearest closing event strictly above lo (for last_affected: >= lo)
        best = None
        for k, hi in closes:
            if lo != "0":
                c = semver_cmp(hi, lo)
                if c < 0 or (c == 0 and k == "fixed"):
                    continue
            if best is None or semver_cmp(hi, best[1]) < 0:
                best = (k, hi)
        if not ge(v, lo):
            continue
        if best is None:
            return True, "[%s, +inf)" % lo
        k, hi = best
        if k == "fixed" and semver_cmp(v, hi) < 0:
            return True, "[%s, %s)" % (lo, hi)
        if k == "last_affected" and semver_cmp(v, hi) <= 0:
            return True, "[%s, %s]" % (lo, hi)
    return False, None


def match_record(rec, module, version):
    """Return list of (affected-index, range-index or 'versions', interval)."""
    why = []
    for ai, aff in enumerate(rec.get("affected") or []):
        pkg = aff.get("package") or {}
        if pkg.get("ecosystem") != "Go" or pkg.get("name") != module:
            continue
        for ri, rg in enumerate(aff.get("ranges") or []):
            if rg.get("type") not in ("SEMVER", "ECOSYSTEM"):
                raise ValueError("%s: range type %s" % (rec["id"], rg.get("type")))
            a = affected_walk(version, rg["events"])
            b, interval = affected_intervals(version, rg["events"])
            if a != b:
                raise AssertionError("methods disagree: %s %s@%s range %d"
                                     % (rec["id"], module, version, ri))
            if a:
                why.append((ai, ri, interval))
        for listed in aff.get("versions") or []:
            if semver_cmp(listed, version) == 0:
                why.append((ai, "versions", listed))
    return why


# ---------------------------------------------------------------------------
# Inputs


def load_osv(path):
    recs = []
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.endswith(".json"):
                with open(os.path.join(path, name), "rb") as f:
                    recs.append((name, json.load(f)))
    else:
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                if name.endswith(".json"):
                    recs.append((name, json.loads(z.read(name))))
    return recs


def sbom_components(path):
    """Yield dicts: spdxid, name, versionInfo, purl, module, version, problem."""
    with open(path) as f:
        doc = json.load(f)
    out = []
    for p in doc.get("packages") or []:
        purls = [r["referenceLocator"] for r in p.get("externalRefs") or []
                 if r.get("referenceType") == "purl"]
        name = p.get("name") or ""
        vinfo = p.get("versionInfo") or ""
        c = {"spdxid": p.get("SPDXID"), "name": name, "versionInfo": vinfo,
             "purl": purls[0] if purls else None, "module": None,
             "version": None, "problem": None, "purl_module": None}
        if len(purls) > 1:
            c["problem"] = "more than one purl"
        purl_mod = purl_ver = None
        if purls and purls[0].startswith("pkg:golang/"):
            rest = purls[0][len("pkg:golang/"):]
            rest = rest.split("#", 1)[0].split("?", 1)[0]
            if "@" in rest:
                path_part, ver = rest.rsplit("@", 1)
                purl_ver = urllib.parse.unquote(ver)
            else:
                path_part = rest
            purl_mod = "/".join(urllib.parse.unquote(s)
                                for s in path_part.split("/"))
        c["purl_module"] = purl_mod
        # Module path: the package name is what `go` wrote in go.mod; the purl
        # is syft's rendering of it. They agree for 242 of 244 packages; for
        # the two where they differ, the purl repeats the host as a namespace
        # (pkg:golang/go.opencensus.io/go.opencensus.io@...), a syft quirk for
        # single-element module paths. We use the name and record the purl's
        # path so the discrepancy is visible.
        c["module"] = name or purl_mod
        ver = vinfo if vinfo and vinfo != "NOASSERTION" else purl_ver
        if not c["module"]:
            c["problem"] = "no module path (no name, no golang purl)"
        elif not ver:
            c["problem"] = "no version"
        else:
            v = ver[1:] if ver.startswith("v") else ver
            try:
                parse_semver(v)
            except BadVersion:
                c["problem"] = "version %r is not SemVer" % ver
            else:
                c["version"] = v
        out.append(c)
    return out


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sbom", default=DEFAULT_SBOM)
    ap.add_argument("--osv", default=DEFAULT_OSV)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    self_test()
    comps = sbom_components(args.sbom)
    recs = load_osv(args.osv)

    # index: module name -> records mentioning it in a Go affected entry
    by_mod = {}
    for _, r in recs:
        for a in r.get("affected") or []:
            pkg = a.get("package") or {}
            if pkg.get("ecosystem") == "Go":
                by_mod.setdefault(pkg.get("name"), []).append(r)

    checkable = sorted({(c["module"], c["version"]) for c in comps
                        if c["version"] is not None})
    unchecked = [c for c in comps if c["version"] is None]
    purl_name_mismatch = sorted({(c["name"], c["purl_module"]) for c in comps
                                 if c["purl_module"] and c["purl_module"] != c["name"]})

    hits, withdrawn_hits, non_hits = [], [], []
    seen = set()
    for mod, ver in checkable:
        for r in by_mod.get(mod, []):
            key = (mod, ver, r["id"])
            if key in seen:
                continue  # the record names the module in two affected[] entries
            seen.add(key)
            why = match_record(r, mod, ver)  # looks at every affected[] entry
            if not why:
                non_hits.append({"module": mod, "version": ver, "advisory": r["id"],
                                 "withdrawn": bool(r.get("withdrawn"))})
                continue
            h = {"module": mod, "version": ver, "advisory": r["id"],
                 "aliases": sorted(a for a in r.get("aliases") or []
                                   if a.startswith("CVE-")),
                 "matched": ["affected[%d].%s %s" % (ai, ("ranges[%d]" % ri) if ri != "versions" else "versions", iv)
                             for ai, ri, iv in why]}
            if r.get("withdrawn"):
                h["withdrawn"] = r["withdrawn"]
                withdrawn_hits.append(h)
            else:
                hits.append(h)

    # what a matcher that also kept purl-derived paths would add
    purl_only = []
    for name, pmod in purl_name_mismatch:
        if pmod in by_mod:
            purl_only.append(pmod)

    hits.sort(key=lambda h: (h["module"], parse_semver(h["version"])[:3], h["version"], h["advisory"]))
    non_hits.sort(key=lambda h: (h["module"], h["version"], h["advisory"]))
    withdrawn_hits.sort(key=lambda h: (h["module"], h["version"], h["advisory"]))

    with_v = [c for c in comps if c["version"] is not None]
    summary = {
        "sbom_packages": len(comps),
        "sbom_packages_checkable": len(with_v),
        "distinct_module_versions": len(checkable),
        "distinct_modules": len({m for m, _ in checkable}),
        "duplicate_packages": len(with_v) - len(checkable),
        "osv_records": len(recs),
        "osv_records_withdrawn": sum(1 for _, r in recs if r.get("withdrawn")),
        "hits": len(hits),
        "distinct_advisories": len({h["advisory"] for h in hits}),
        "distinct_hit_modules": len({h["module"] for h in hits}),
        "distinct_hit_module_versions": len({(h["module"], h["version"]) for h in hits}),
        "distinct_cves": len({a for h in hits for a in h["aliases"]}),
        "hits_without_cve": sum(1 for h in hits if not h["aliases"]),
        "withdrawn_hits": len(withdrawn_hits),
        "hits_on_pseudo_versions": sum(1 for h in hits if re.search(r"-\d{14}-[0-9a-f]{12}$", h["version"])),
        "hits_on_incompatible_versions": sum(1 for h in hits if "+incompatible" in h["version"]),
        "unchecked_packages": len(unchecked),
        "non_hits": len(non_hits),
        # Reconciliation with formats.md's "45": hits per advisory-ID year.
        "hits_by_advisory_year": {y: sum(1 for h in hits if h["advisory"][3:7] == y)
                                  for y in sorted({h["advisory"][3:7] for h in hits})},
        "hits_with_advisory_id_before_GO_2026": sum(1 for h in hits if h["advisory"] < "GO-2026-"),
    }
    result = {
        "description": "Flux 0.26.3 SPDX SBOM x golang/vulndb OSV; computed by flux_osv.py "
                       "(independent Python SemVer 2.0 + OSV event walk). See README.md.",
        "inputs": {"sbom": os.path.relpath(args.sbom, "/work/shared/testdata") if args.sbom.startswith("/work/shared/testdata") else args.sbom,
                   "osv": os.path.relpath(args.osv, "/work/shared/testdata") if args.osv.startswith("/work/shared/testdata") else args.osv},
        "summary": summary,
        "hits": hits,
        "withdrawn_hits": withdrawn_hits,
        "non_hits": non_hits,
        "unchecked": [{"spdxid": c["spdxid"], "name": c["name"],
                       "versionInfo": c["versionInfo"], "purl": c["purl"],
                       "reason": c["problem"]} for c in unchecked],
        "purl_name_mismatches": [{"name": n, "purl_module": p} for n, p in purl_name_mismatch],
        "purl_only_modules_with_records": purl_only,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1, sort_keys=False)
        f.write("\n")
    json.dump(summary, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
