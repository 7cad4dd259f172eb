#!/usr/bin/env python3
"""Regenerates ../../src/jdv.rs from the ANS SVS value-set files.

Usage (from crates/segur-xds): python3 tests/data/gen_jdv.py ../../../shared/corpus/cda/ans/jeuxDeValeurs
"""
import sys
import xml.etree.ElementTree as ET

base = sys.argv[1].rstrip('/') + '/'
sets = [('J02', 'JDV_J02_XdsHealthcareFacilityTypeCode_CISIS.xml', 'HEALTHCARE_FACILITY_TYPE', 'healthcareFacilityTypeCode'),
        ('J04', 'JDV_J04_XdsPracticeSettingCode_CISIS.xml', 'PRACTICE_SETTING', 'practiceSettingCode'),
        ('J07', 'JDV_J07_XdsTypeCode_CISIS.xml', 'TYPE_CODE', 'typeCode'),
        ('J08', 'JDV_J08_XdsConfidentialityCode_CISIS.xml', 'CONFIDENTIALITY', 'confidentialityCode')]
ns = {'s': 'urn:ihe:iti:svs:2008'}
out = ['//! CI-SIS value sets for the XDS coded attributes, generated from the ANS SVS files',
       '//! `JDV_J02`, `JDV_J04`, `JDV_J07`, `JDV_J08` (`../shared/corpus/cda/ans/jeuxDeValeurs/`,',
       '//! ansforge/TestContenuCDA-3-0 @ 7cd489b3). Regenerate with `tests/data/gen_jdv.py`.', '',
       'use crate::codes::ValueSet;', '']
for jid, f, name, attr in sets:
    vs = ET.parse(base + f).find('s:ValueSet', ns)
    rows = [(c.get('code'), c.get('codeSystem'), c.get('displayName'))
            for c in vs.iter('{urn:ihe:iti:svs:2008}Concept')]
    out.append(f'/// JDV_{jid} (`{vs.get("id")}`, {vs.get("description")}, updated {vs.get("dateMaj")[:8]}): the `{attr}` values.')
    out.append(f'pub const {name}: ValueSet = ValueSet {{')
    out.append(f'    name: "{vs.get("displayName").replace(".tabs", "")}",')
    out.append(f'    oid: "{vs.get("id")}",')
    out.append('    concepts: &[')
    for c, s, d in rows:
        d = d.replace('\\', '\\\\').replace('"', '\\"')
        out.append(f'        ("{c}", "{s}", "{d}"),')
    out.append('    ],')
    out.append('};')
    out.append('')
open('src/jdv.rs', 'w').write('\n'.join(out))
