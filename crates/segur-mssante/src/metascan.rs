//! A minimal scan of a `METADATA.XML` that `segur-xds` refuses: just what links the
//! DocumentEntries to their files (id, mimeType, `URI`, `size`, `hash`, title), so the lenient
//! reader can still recover the documents of sloppy archives. Namespace prefixes are ignored,
//! DTDs are refused, entities other than the predefined and character references are not
//! expanded.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use crate::error::{Error, ErrorKind, Result};

/// The linking facts of one DocumentEntry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryLink {
    /// `ExtrinsicObject/@id`.
    pub id: String,
    /// `@mimeType`.
    pub mime_type: String,
    /// `URI` slot.
    pub uri: Option<String>,
    /// `size` slot.
    pub size: Option<u64>,
    /// `hash` slot, lower-case hex.
    pub hash: Option<String>,
    /// `Name/LocalizedString/@value`.
    pub title: Option<String>,
}

const MAX_ENTRIES: usize = 10_000;

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

fn bad(message: impl Into<String>, position: u64) -> Error {
    Error::new(ErrorKind::InvalidMetadata, message).at(format!("METADATA.XML byte {position}"))
}

/// Scans the ExtrinsicObjects of a metadata document.
pub(crate) fn scan(xml: &[u8]) -> Result<Vec<EntryLink>> {
    let mut reader = Reader::from_reader(xml);
    let mut links: Vec<EntryLink> = Vec::new();
    let mut in_entry = false;
    let mut entry_depth = 0usize;
    let mut depth = 0usize;
    let mut slot: Option<String> = None;
    let mut in_value = false;
    let mut in_name = false;
    let mut text = String::new();
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| bad(format!("not well-formed XML: {e}"), position))?;
        match event {
            Event::DocType(_) => return Err(bad("DTDs are not accepted", position)),
            Event::Start(e) => {
                depth += 1;
                let local = e.local_name();
                let name = local.as_ref();
                if !in_entry && name.starts_with("ExtrinsicObject") {
                    if links.len() >= MAX_ENTRIES {
                        return Err(bad("too many ExtrinsicObjects", position));
                    }
                    in_entry = true;
                    entry_depth = depth;
                    let mut link = EntryLink::default();
                    for a in e.attributes().flatten() {
                        let v = a
                            .normalized_value(XmlVersion::Implicit1_0)
                            .unwrap_or_default()
                            .into_owned();
                        match a.key.local_name().as_ref() {
                            "id" => link.id = v,
                            "mimeType" => link.mime_type = v,
                            _ => {}
                        }
                    }
                    links.push(link);
                } else if in_entry && name == "Slot" {
                    slot = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "name")
                        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
                        .map(std::borrow::Cow::into_owned);
                } else if in_entry && slot.is_some() && name == "Value" {
                    in_value = true;
                    text.clear();
                } else if in_entry && depth == entry_depth + 1 && name == "Name" {
                    in_name = true;
                }
            }
            Event::Empty(e) => {
                if in_name
                    && e.local_name().as_ref() == "LocalizedString"
                    && let (Some(link), Some(v)) = (
                        links.last_mut(),
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == "value")
                            .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok()),
                    )
                {
                    link.title = Some(v.into_owned());
                }
            }
            Event::Text(t) if in_value => text.push_str(&t.xml10_content()),
            Event::CData(t) if in_value => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_value => {
                let name = r.xml10_content();
                let c = predefined(&name)
                    .ok_or_else(|| bad(format!("unknown entity &{name};"), position))?;
                text.push(c);
            }
            Event::End(e) => {
                let local = e.local_name();
                let name = local.as_ref();
                if in_value && name == "Value" {
                    in_value = false;
                    if let (Some(link), Some(slot)) = (links.last_mut(), slot.as_deref()) {
                        let v = text.trim().to_owned();
                        match slot {
                            "URI"
                                // multi-part URI (ITI-32 allows "1|part" splits) is rare: keep
                                // the first value
                                if link.uri.is_none() => {
                                    link.uri = Some(v);
                                }
                            "size" => link.size = v.parse().ok(),
                            "hash" => link.hash = Some(v.to_ascii_lowercase()),
                            _ => {}
                        }
                    }
                } else if name == "Slot" {
                    slot = None;
                } else if in_name && name == "Name" {
                    in_name = false;
                }
                if in_entry && depth == entry_depth {
                    in_entry = false;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_prefixed_and_unprefixed_metadata() {
        let xml = br#"<lcm:SubmitObjectsRequest xmlns:lcm="l" xmlns:r="r"><r:RegistryObjectList>
            <r:ExtrinsicObject id="D1" mimeType="text/xml"><r:Slot name="URI"><r:ValueList><r:Value>DOC&amp;1.XML</r:Value></r:ValueList></r:Slot>
            <r:Slot name="size"><r:ValueList><r:Value> 42 </r:Value></r:ValueList></r:Slot>
            <r:Slot name="hash"><r:ValueList><r:Value>ABCDEF</r:Value></r:ValueList></r:Slot>
            <r:Name><r:LocalizedString value="Titre"/></r:Name></r:ExtrinsicObject>
            <ExtrinsicObjectType id="D2" mimeType="text/plain"/></r:RegistryObjectList></lcm:SubmitObjectsRequest>"#;
        let links = scan(xml).unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].id, "D1");
        assert_eq!(links[0].uri.as_deref(), Some("DOC&1.XML"));
        assert_eq!(links[0].size, Some(42));
        assert_eq!(links[0].hash.as_deref(), Some("abcdef"));
        assert_eq!(links[0].title.as_deref(), Some("Titre"));
    }

    #[test]
    fn refuses_dtds_and_unknown_entities() {
        assert!(scan(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>").is_err());
        assert!(
            scan(
                b"<ExtrinsicObject><Slot name=\"URI\"><Value>&a;</Value></Slot></ExtrinsicObject>"
            )
            .is_err()
        );
        assert!(scan(b"<a><b></a>").is_err());
    }
}
