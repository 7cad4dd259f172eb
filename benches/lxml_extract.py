#!/usr/bin/env python3
"""lxml + XPath competitor of benches/cda_parse.rs (run by benches/compare.sh).

Usage: lxml_extract.py SETS_DIR  -> one line per set: `<set>\tlxml_xpath_extract\t<MB/s>`
(best of several rounds of parse + extraction of the `segur cda inspect` fields, files read
into memory beforehand).
"""
import os
import re
import sys
import time

from lxml import etree

NS = {"h": "urn:hl7-org:v3"}
WS = re.compile(r"[ \t\r\n]+")
PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)

X_TEMPLATES = etree.XPath("h:templateId", namespaces=NS)
X_ID = etree.XPath("h:id", namespaces=NS)
X_CODE = etree.XPath("h:code/@code", namespaces=NS)
X_CODE_SYSTEM = etree.XPath("h:code/@codeSystem", namespaces=NS)
X_TITLE = etree.XPath("h:title", namespaces=NS)
X_TIME = etree.XPath("h:effectiveTime/@value", namespaces=NS)
X_CONF = etree.XPath("h:confidentialityCode/@code", namespaces=NS)
X_LANG = etree.XPath("h:languageCode/@code", namespaces=NS)
X_SET = etree.XPath("h:setId", namespaces=NS)
X_VERSION = etree.XPath("h:versionNumber/@value", namespaces=NS)
X_PATIENTS = etree.XPath("h:recordTarget/h:patientRole/h:id", namespaces=NS)
X_AUTHORS = etree.XPath("h:author/h:assignedAuthor/h:id", namespaces=NS)
X_CUSTODIAN = etree.XPath(
    "h:custodian/h:assignedCustodian/h:representedCustodianOrganization/h:id", namespaces=NS
)
X_N1 = etree.XPath("h:component/h:nonXMLBody", namespaces=NS)
X_MEDIA = etree.XPath("h:component/h:nonXMLBody/h:text/@mediaType", namespaces=NS)
X_SECTIONS = etree.XPath("h:component/h:structuredBody/h:component/h:section", namespaces=NS)
X_SECTION_CODE = etree.XPath("h:code/@code", namespaces=NS)
X_CD = etree.XPath("//h:ClinicalDocument", namespaces=NS)


def ii(e):
    root = e.get("root") or ""
    ext = e.get("extension")
    return root if ext is None else root + "^" + ext


def first(values):
    return str(values[0]) if values else None


def extract(data):
    root = etree.fromstring(data, PARSER)
    cd = root if root.tag == "{urn:hl7-org:v3}ClinicalDocument" else X_CD(root)[0]
    ids, sets, titles, cust = X_ID(cd), X_SET(cd), X_TITLE(cd), X_CUSTODIAN(cd)
    return (
        [t.get("root") for t in X_TEMPLATES(cd)],
        ii(ids[0]) if ids else None,
        first(X_CODE(cd)),
        first(X_CODE_SYSTEM(cd)),
        WS.sub(" ", titles[0].xpath("string()")).strip(" ") if titles else None,
        first(X_TIME(cd)),
        first(X_CONF(cd)),
        first(X_LANG(cd)),
        ii(sets[0]) if sets else None,
        first(X_VERSION(cd)),
        [ii(e) for e in X_PATIENTS(cd)],
        [ii(e) for e in X_AUTHORS(cd)],
        ii(cust[0]) if cust else None,
        "N1" if X_N1(cd) else "N3",
        first(X_MEDIA(cd)),
        [first(X_SECTION_CODE(s)) for s in X_SECTIONS(cd)],
    )


def main():
    base = sys.argv[1]
    for name in ("real", "real-nob64", "sb-10mb", "n1-pdf5mb"):
        d = os.path.join(base, name)
        docs = [open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))]
        total = sum(len(x) for x in docs)
        best = float("inf")
        rounds, start = 0, time.perf_counter()
        while rounds < 3 or (time.perf_counter() - start < 3 and rounds < 50):
            t = time.perf_counter()
            for doc in docs:
                extract(doc)
            best = min(best, time.perf_counter() - t)
            rounds += 1
        print(f"{name}\tlxml_xpath_extract\t{total / best / 1e6:.1f}", flush=True)


if __name__ == "__main__":
    main()
