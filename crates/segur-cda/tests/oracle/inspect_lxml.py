#!/usr/bin/env python3
"""Independent extraction of the `segur cda inspect` fields with lxml + XPath.

Usage: inspect_lxml.py FILE...  -> one JSON object per file and line (same keys as the CLI).
Used by tests/differential_lxml.rs as the oracle for the Rust parser; it shares no code with it.
"""
import json
import re
import sys

try:
    from lxml import etree
except ImportError:  # the Rust test turns this into a loud failure
    sys.stderr.write("inspect_lxml.py needs lxml: python3 -m pip install lxml\n")
    sys.exit(3)

NS = {"h": "urn:hl7-org:v3"}
WS = re.compile(r"[ \t\r\n]+")


def one(node, path):
    found = node.xpath(path, namespaces=NS)
    return str(found[0]) if found else None


def ii(e):
    root = e.get("root") or ""
    ext = e.get("extension")
    return root if ext is None else root + "^" + ext


def template(e):
    root = e.get("root") or ""
    ext = e.get("extension")
    return root if ext is None else root + ":" + ext


def inspect(path):
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    tree = etree.parse(path, parser)
    root = tree.getroot()
    if root.tag == "{urn:hl7-org:v3}ClinicalDocument":
        cd = root
    else:
        cd = root.xpath("//h:ClinicalDocument", namespaces=NS)[0]
    ids = cd.xpath("h:id", namespaces=NS)
    set_ids = cd.xpath("h:setId", namespaces=NS)
    titles = cd.xpath("h:title", namespaces=NS)
    custodian = cd.xpath(
        "h:custodian/h:assignedCustodian/h:representedCustodianOrganization/h:id", namespaces=NS
    )
    if cd.xpath("h:component/h:nonXMLBody", namespaces=NS):
        body = "N1"
    elif cd.xpath("h:component/h:structuredBody", namespaces=NS):
        body = "N3"
    else:
        body = None
    sections = cd.xpath("h:component/h:structuredBody/h:component/h:section", namespaces=NS)
    return {
        "file": path,
        "template_ids": [template(e) for e in cd.xpath("h:templateId", namespaces=NS)],
        "id": ii(ids[0]) if ids else None,
        "code": one(cd, "h:code/@code"),
        "code_system": one(cd, "h:code/@codeSystem"),
        "title": WS.sub(" ", titles[0].xpath("string()")).strip(" ") if titles else None,
        "effective_time": one(cd, "h:effectiveTime/@value"),
        "confidentiality": one(cd, "h:confidentialityCode/@code"),
        "language": one(cd, "h:languageCode/@code"),
        "set_id": ii(set_ids[0]) if set_ids else None,
        "version": one(cd, "h:versionNumber/@value"),
        "patient_ids": [ii(e) for e in cd.xpath("h:recordTarget/h:patientRole/h:id", namespaces=NS)],
        "author_ids": [ii(e) for e in cd.xpath("h:author/h:assignedAuthor/h:id", namespaces=NS)],
        "custodian_id": ii(custodian[0]) if custodian else None,
        "body": body,
        "media_type": one(cd, "h:component/h:nonXMLBody/h:text/@mediaType"),
        "section_codes": [one(s, "h:code/@code") for s in sections],
    }


def main():
    for path in sys.argv[1:]:
        print(json.dumps(inspect(path), ensure_ascii=False))


if __name__ == "__main__":
    main()
