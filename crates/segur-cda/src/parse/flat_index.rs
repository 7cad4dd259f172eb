//! The flat parse's builder: the reader's items recorded into the flat index (see
//! [`crate::flat`]).

use std::borrow::Cow;
use std::collections::HashMap;

use super::cda::SectionPart;
use super::reader::{Item, Reader, Start, xsi_type_parts};
use crate::error::{Limit, ParseError, ParseErrorKind};
use crate::flat::{
    Attr, HAS_TEXT, HL7, Index, KNOWN_NS, MIXED, NO_NS, Node, NsName, Run, Slot, TEXT_OWNED,
    TEXT_RAW, VALUE_OWNED, XSI, XSI_TYPE,
};

type Res<T> = Result<T, Box<ParseError>>;

// The casts below are lossless: the caller refuses sources of 4 GiB or more, so every offset,
// length and count of elements or attributes fits in 32 bits, and the tokenizer refuses names
// longer than 16 bits hold. (Checked conversions cost 1.5 % of the flat parse.)

/// The offset of `part` in `src`.
#[inline]
fn offset(src: &str, part: &str) -> u32 {
    (part.as_ptr() as usize - src.as_ptr() as usize) as u32
}

#[inline]
fn len32(s: &str) -> u32 {
    s.len() as u32
}

/// The length of a name.
#[inline]
fn name_len(name: &str) -> u16 {
    name.len() as u16
}

struct Builder<'a> {
    src: &'a str,
    index: Index,
    /// The text of each open element that has some, while it is read in several pieces.
    open_text: Vec<(usize, String)>,
    /// The text of the last run, while it is read in several pieces (split by comments or
    /// CDATA sections); stored when a child or the end of its element ends it.
    open_run: Option<String>,
    /// The last two namespace names looked up and their indexes, the last first: most
    /// elements share their parent's, and most prefixed attributes (`xsi:type`) the previous
    /// one's.
    recent_ns: [(&'a str, u8); 2],
    /// The index of each namespace declaration looked up so far, by the offset of its name in
    /// the source: each declaration's name is compared with the known ones once, however
    /// often the document switches between prefixes (comparing names of a megabyte at every
    /// element made the parse quadratic).
    by_place: HashMap<u32, u8>,
}

/// Reads the `ClinicalDocument` element `root` (its start tag just read) into an index: into
/// the buffers of `spare` when given (emptied, their capacity kept for the next document),
/// else into new ones, trimmed to their size at the end.
pub(super) fn build<'a>(
    r: &mut Reader<'a>,
    root: Start<'a>,
    wrapper: Option<Start<'a>>,
    spare: Option<Index>,
) -> Res<Index> {
    let src = r.source();
    let reused = spare.is_some();
    let mut index = spare.unwrap_or_default();
    index.clear();
    // about one element per 64 bytes and one attribute per 32, or fewer, in real documents:
    // growing from these costs few copies; the excess is given back at the end (kept when the
    // buffers are reused)
    index.nodes.reserve(src.len() / 64);
    index.slots.reserve(src.len() / 64);
    index.attrs.reserve(src.len() / 32);
    index
        .namespaces
        .extend((0..KNOWN_NS.len()).map(|k| NsName::Known(u8::try_from(k).unwrap_or(0))));
    let mut b = Builder {
        src,
        index,
        open_text: Vec::new(),
        open_run: None,
        recent_ns: [(crate::model::HL7_NS, HL7); 2],
        by_place: HashMap::new(),
    };
    if let Some(w) = wrapper {
        let ns = match w.ns {
            None => NO_NS,
            Some(uri) => b.namespace(r, uri, w.offset)?,
        };
        b.index.wrapper = Some((offset(src, w.local), len32(w.local), ns));
    }
    let mut stack: Vec<usize> = Vec::with_capacity(32);
    stack.push(b.open(r, root, Slot::None)?);
    while let Some(&top) = stack.last() {
        match r.next_item_without_layout()? {
            Item::Child(s) => {
                b.end_run();
                let parent = b.index.nodes[top];
                if parent.flags & HAS_TEXT != 0 && b.index.nodes.len() == top + 1 {
                    // text, then a first child: the content is mixed
                    b.first_run(top);
                }
                let parent_slot = b.index.slots[top];
                let slot = if s.is_hl7() {
                    Slot::of(parent_slot, top == 0, s.local)
                } else {
                    Slot::None
                };
                let at = b.open(r, s, slot)?;
                if slot == Slot::InSection(SectionPart::Text) {
                    // a narrative block: kept as written
                    let raw = r.skip_raw()?;
                    let end = b.end();
                    let n = &mut b.index.nodes[at];
                    n.text = offset(src, raw);
                    n.text_len = len32(raw);
                    n.flags |= TEXT_RAW | HAS_TEXT;
                    n.end = end;
                    continue;
                }
                stack.push(at);
            }
            Item::Text(t) => {
                let text = r.text_content(t)?;
                if b.index.nodes.len() > top + 1 {
                    // text after a child: the content is mixed
                    b.later_run(top, &text);
                }
                b.add_text(top, text);
            }
            Item::End(_) => {
                stack.pop();
                b.close(top);
            }
        }
    }
    if !reused {
        b.index.nodes.shrink_to_fit();
        b.index.slots.shrink_to_fit();
        b.index.attrs.shrink_to_fit();
    }
    Ok(b.index)
}

impl<'a> Builder<'a> {
    fn end(&self) -> u32 {
        self.index.nodes.len() as u32
    }

    /// Records the text element `at` holds so far as the run before its first child.
    fn first_run(&mut self, at: usize) {
        let n = self.index.nodes[at];
        let (text, text_len, owned) = match self.open_text.last() {
            Some((e, t)) if *e == at => {
                let t = t.clone();
                (self.own(t), 0, true)
            }
            _ => (n.text, n.text_len, false),
        };
        self.index.runs.push(Run {
            parent: u32::try_from(at).unwrap_or(u32::MAX),
            before: self.end(),
            text,
            text_len,
            owned,
        });
        self.index.nodes[at].flags |= MIXED;
    }

    /// Records `text`, read in element `at` after a child, as a run (or as the rest of the
    /// run it continues, after a comment or a CDATA section).
    fn later_run(&mut self, at: usize, text: &str) {
        let parent = u32::try_from(at).unwrap_or(u32::MAX);
        let before = self.end();
        if let Some(last) = self.index.runs.last().copied()
            && last.parent == parent
            && last.before == before
        {
            // gathered, and stored once the run ends (joining at every piece made documents
            // of many comments quadratic)
            let src = self.src;
            let index = &self.index;
            self.open_run
                .get_or_insert_with(|| {
                    index
                        .string(src, last.text, last.text_len, last.owned)
                        .to_owned()
                })
                .push_str(text);
            return;
        }
        let src = self.src.as_bytes().as_ptr_range();
        let (text, text_len, owned) = if src.contains(&text.as_ptr()) {
            // a span of the source
            (offset(self.src, text), len32(text), false)
        } else {
            (self.own(text.to_owned()), 0, true)
        };
        self.index.runs.push(Run {
            parent,
            before,
            text,
            text_len,
            owned,
        });
        self.index.nodes[at].flags |= MIXED;
    }

    /// Stores the text of the last run, if it was read in several pieces.
    #[inline(always)]
    fn end_run(&mut self) {
        if self.open_run.is_some() {
            self.store_run();
        }
    }

    #[cold]
    fn store_run(&mut self) {
        if let Some(text) = self.open_run.take() {
            let i = self.own(text);
            if let Some(last) = self.index.runs.last_mut() {
                last.text = i;
                last.owned = true;
            }
        }
    }

    /// Records the element whose start tag was just read, with its attributes and its slot.
    fn open(&mut self, r: &Reader<'a>, s: Start<'a>, slot: Slot) -> Res<usize> {
        let ns = match s.ns {
            None => NO_NS,
            Some(uri) => self.namespace(r, uri, s.offset)?,
        };
        let attrs = self.index.attrs.len() as u32;
        let mut flags = 0;
        r.for_each_attribute(s.offset, |ns, local, value| {
            let ns = match ns {
                None => NO_NS,
                Some(uri) => self.namespace(r, uri, s.offset)?,
            };
            if ns == XSI && local == "type" {
                // resolved here, in its scope (the reader has checked that it resolves)
                let (prefix, _) = xsi_type_parts(&value);
                let value_ns = match r.resolve(prefix, true).ok().flatten() {
                    None => NO_NS,
                    Some(uri) => self.namespace(r, uri, s.offset)?,
                };
                let at = u32::try_from(self.index.nodes.len()).unwrap_or(u32::MAX);
                self.index.xsi_types.push((at, value_ns));
                flags |= XSI_TYPE;
            }
            let (value, value_len, value_flags) = match value {
                Cow::Borrowed(v) => (offset(self.src, v), len32(v), 0),
                Cow::Owned(v) => (self.own(v), 0, VALUE_OWNED),
            };
            self.index.attrs.push(Attr {
                name: offset(self.src, local),
                value,
                value_len,
                name_len: name_len(local),
                ns,
                flags: value_flags,
            });
            Ok(())
        })?;
        let at = self.index.nodes.len();
        self.index.nodes.push(Node {
            name: offset(self.src, s.local),
            attrs,
            end: 0,
            text: 0,
            text_len: 0,
            name_len: name_len(s.local),
            ns,
            flags,
        });
        self.index.slots.push(slot);
        Ok(at)
    }

    /// Closes element `at`: its extent, and its text if it came in pieces.
    fn close(&mut self, at: usize) {
        self.end_run();
        let end = self.end();
        if self.open_text.last().is_some_and(|(e, _)| *e == at)
            && let Some((_, text)) = self.open_text.pop()
        {
            let i = self.own(text);
            let n = &mut self.index.nodes[at];
            n.text = i;
            n.flags |= TEXT_OWNED;
        }
        self.index.nodes[at].end = end;
    }

    /// Adds a piece of text to element `at`.
    fn add_text(&mut self, at: usize, text: Cow<'a, str>) {
        let src = self.src;
        let n = &mut self.index.nodes[at];
        if n.flags & HAS_TEXT == 0 {
            n.flags |= HAS_TEXT;
            match text {
                Cow::Borrowed(t) => {
                    n.text = offset(src, t);
                    n.text_len = len32(t);
                }
                Cow::Owned(t) => self.open_text.push((at, t)),
            }
            return;
        }
        // a second piece (after a comment, a CDATA section or a child element)
        if self.open_text.last().is_none_or(|(e, _)| *e != at) {
            let first = src
                .get(n.text as usize..(n.text + n.text_len) as usize)
                .unwrap_or("");
            self.open_text.push((at, first.to_owned()));
        }
        if let Some((_, s)) = self.open_text.last_mut() {
            s.push_str(&text);
        }
    }

    /// Stores a string that is not a span of the source; its index.
    fn own(&mut self, s: String) -> u32 {
        self.index.strings.push(s.into_boxed_str());
        u32::try_from(self.index.strings.len() - 1).unwrap_or(u32::MAX)
    }

    /// The index of namespace `uri` (a span of the source or a known name), added if new.
    #[inline]
    fn namespace(&mut self, r: &Reader<'a>, uri: &'a str, offset_: usize) -> Res<u8> {
        // the same declaration as the last lookup (most elements): the same span of the source
        let last = self.recent_ns[0];
        if std::ptr::eq(uri, last.0) {
            return Ok(last.1);
        }
        self.other_namespace(r, uri, offset_)
    }

    /// [`Self::namespace`] for a namespace other than the last one looked up.
    #[inline(never)]
    fn other_namespace(&mut self, r: &Reader<'a>, uri: &'a str, offset_: usize) -> Res<u8> {
        let [last, before] = self.recent_ns;
        if std::ptr::eq(uri, before.0) {
            self.recent_ns = [before, last];
            return Ok(before.1);
        }
        let i = self.find_namespace(r, uri, offset_)?;
        self.recent_ns = [(uri, i), last];
        Ok(i)
    }

    fn find_namespace(&mut self, r: &Reader<'a>, uri: &'a str, offset_: usize) -> Res<u8> {
        if uri == crate::model::HL7_NS {
            return Ok(HL7);
        }
        let src = self.src;
        let place = (uri.as_ptr() as usize)
            .checked_sub(src.as_ptr() as usize)
            .filter(|at| at + uri.len() <= src.len())
            .and_then(|at| u32::try_from(at).ok());
        if let Some(at) = place
            && let Some(&i) = self.by_place.get(&at)
        {
            return Ok(i);
        }
        let i = self.add_namespace(r, uri, offset_)?;
        if let Some(at) = place {
            self.by_place.insert(at, i);
        }
        Ok(i)
    }

    /// The index of namespace name `uri` in the index's table, compared by content; added if
    /// new.
    fn add_namespace(&mut self, r: &Reader<'a>, uri: &'a str, offset_: usize) -> Res<u8> {
        let src = self.src;
        let found = self.index.namespaces.iter().position(|n| match *n {
            NsName::Known(k) => KNOWN_NS[usize::from(k)] == uri,
            NsName::Span(at, len) => src.get(at as usize..(at + len) as usize) == Some(uri),
        });
        if let Some(i) = found {
            return Ok(u8::try_from(i).unwrap_or(u8::MAX));
        }
        let i = u8::try_from(self.index.namespaces.len()).map_err(|_| {
            r.error(
                ParseErrorKind::LimitExceeded {
                    limit: Limit::Namespaces,
                    max: usize::from(u8::MAX),
                },
                offset_,
            )
        })?;
        self.index
            .namespaces
            .push(NsName::Span(offset(src, uri), len32(uri)));
        Ok(i)
    }
}
