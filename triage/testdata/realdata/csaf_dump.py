#!/usr/bin/env python3
"""Print a CSAF 2.0 document's product tree and product status compactly.

Standard library only; a reading aid for deriving csaf_expected.json by hand.
For each leaf of product_tree.branches it prints the branch path
(category:name / category:name / ...), the product_id and any
product_identification_helper; then full_product_names and relationships; then,
per vulnerability, every product_status list with the product IDs in it.
No interpretation and no version comparison.

Usage: python3 csaf_dump.py FILE.json [FILE.json ...]
"""

import json
import sys


def leaves(branches, path):
    for b in branches or []:
        p = path + ["%s:%s" % (b.get("category"), b.get("name"))]
        if "product" in b:
            yield p, b["product"]
        yield from leaves(b.get("branches"), p)


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def dump(path):
    with open(path) as f:
        doc = json.load(f)
    d = doc.get("document", {})
    print("=" * 100)
    print("%s  category=%s  id=%s  title=%r" % (path, d.get("category"),
                                               d.get("tracking", {}).get("id"), d.get("title")))
    pt = doc.get("product_tree") or {}
    for p, prod in leaves(pt.get("branches"), []):
        helper = prod.get("product_identification_helper")
        print("  %s\n      -> %s %r%s" % (" / ".join(p), prod.get("product_id"), prod.get("name"),
                                          (" helper=" + compact(helper)) if helper else ""))
    for fp in pt.get("full_product_names") or []:
        print("  full_product_name %s %r %s" % (fp.get("product_id"), fp.get("name"),
                                                compact(fp.get("product_identification_helper") or {})))
    for r in pt.get("relationships") or []:
        print("  relationship %s: %s %s %s" % (r.get("full_product_name", {}).get("product_id"),
                                               r.get("product_reference"), r.get("category"),
                                               r.get("relates_to_product_reference")))
    for i, v in enumerate(doc.get("vulnerabilities") or []):
        print("  vulnerabilities[%d] cve=%s ids=%s" % (i, v.get("cve"), compact(v.get("ids") or [])))
        for k, ids in (v.get("product_status") or {}).items():
            print("      %s: %s" % (k, ", ".join(ids)))
        for fl in v.get("flags") or []:
            print("      flag %s: %s" % (fl.get("label"), ", ".join(fl.get("product_ids") or [])))
        for th in v.get("threats") or []:
            if th.get("category") == "impact":
                print("      threat impact %r: %s" % (th.get("details", "")[:80], ", ".join(th.get("product_ids") or [])))


if __name__ == "__main__":
    for a in sys.argv[1:]:
        dump(a)
