#!/usr/bin/env python3
"""Print each CVE 5 record's affected[] entries compactly, next to its KEV entry.

Standard library only. A reading aid for deriving appliance_expected.json by
hand: it prints the raw JSON values (no interpretation, no comparison), one
line per version entry, for the CNA container and every ADP container.

Usage:
  python3 cve5_dump.py [CVE-ID ...]
  python3 cve5_dump.py --dir DIR --kev KEV.json [CVE-ID ...]
"""

import argparse
import json
import os

DEFAULT_DIR = "/work/shared/testdata/cve5/vulnrichment-kev"
DEFAULT_KEV = "/work/shared/testdata/kev/known_exploited_vulnerabilities.json"


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def dump(path, kev):
    with open(path) as f:
        rec = json.load(f)
    cid = rec["cveMetadata"]["cveId"]
    k = kev.get(cid)
    print("=" * 100)
    print("%s  assigner=%s  dataVersion=%s" % (cid, rec["cveMetadata"].get("assignerShortName"),
                                               rec.get("dataVersion")))
    if k:
        print("  KEV: vendorProject=%r product=%r dateAdded=%s dueDate=%s ransomware=%s"
              % (k["vendorProject"], k["product"], k["dateAdded"], k["dueDate"],
                 k["knownRansomwareCampaignUse"]))
        print("       name=%r" % k["vulnerabilityName"])
    else:
        print("  KEV: (not in the catalog snapshot)")
    containers = [("cna", rec["containers"]["cna"])]
    for i, adp in enumerate(rec["containers"].get("adp") or []):
        containers.append(("adp[%d]:%s" % (i, (adp.get("providerMetadata") or {}).get("shortName")), adp))
    for cname, c in containers:
        for ai, a in enumerate(c.get("affected") or []):
            print("  %s.affected[%d] vendor=%r product=%r defaultStatus=%s%s%s"
                  % (cname, ai, a.get("vendor"), a.get("product"), a.get("defaultStatus"),
                     (" cpes=" + (compact(a["cpes"]) if len(a["cpes"]) <= 3 else compact(a["cpes"][:2])[:-1] + ",...(%d)]" % len(a["cpes"]))) if a.get("cpes") else "",
                     (" platforms=" + compact(a["platforms"])) if a.get("platforms") else ""))
            vs = a.get("versions") or []
            if len(vs) > 12:
                shown = vs[:4]
                print("      (%d version entries; first 4 and last 2 shown; statuses %s)"
                      % (len(vs), sorted({v.get("status") for v in vs})))
                for v in shown:
                    print("      " + compact(v))
                print("      ...")
                for v in vs[-2:]:
                    print("      " + compact(v))
            else:
                for v in vs:
                    print("      " + compact(v))
        if c.get("cpeApplicability"):
            print("  %s.cpeApplicability %s" % (cname, compact(c["cpeApplicability"])[:400]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=DEFAULT_DIR)
    ap.add_argument("--kev", default=DEFAULT_KEV)
    ap.add_argument("ids", nargs="*")
    args = ap.parse_args()
    with open(args.kev) as f:
        kev = {v["cveID"]: v for v in json.load(f)["vulnerabilities"]}
    names = sorted(n for n in os.listdir(args.dir) if n.endswith(".json"))
    if args.ids:
        names = [n for n in names if n[:-5] in args.ids]
    for n in names:
        dump(os.path.join(args.dir, n), kev)


if __name__ == "__main__":
    main()
