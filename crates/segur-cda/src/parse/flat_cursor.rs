//! A [`Cursor`] over the flat index: the typed parser's functions read an element of a
//! [`flat::Document`] as they read the token stream, so that the typed model of any part of
//! the document is built by the same code, on demand.

use std::borrow::Cow;

use super::cursor::{Cursor, Res, text_by_items};
use super::reader::{Item, Start, TextItem, is_blank};
use crate::flat::{self, HAS_TEXT, MIXED, TEXT_RAW};
use crate::model::{Attribute, Element, Node, QName, XSI_NS};

/// An open element: what of its content has been read.
#[derive(Clone, Copy)]
struct Open {
    at: usize,
    /// Its next child (its `end` once all are read).
    next: usize,
    end: usize,
    /// Whether the text before `next` (all of it, without children) has been read.
    text_read: bool,
}

/// The open elements: the first [`INLINE`] in place (a cursor reading one value allocates
/// nothing), the deeper ones on the heap.
struct OpenStack {
    inline: [Open; INLINE],
    len: usize,
    deeper: Vec<Open>,
}

const INLINE: usize = 8;

impl OpenStack {
    fn push(&mut self, o: Open) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = o,
            None => self.deeper.push(o),
        }
        self.len += 1;
    }

    fn last_mut(&mut self) -> Option<&mut Open> {
        let top = self.len.checked_sub(1)?;
        match self.inline.get_mut(top) {
            Some(o) => Some(o),
            None => self.deeper.last_mut(),
        }
    }

    fn pop(&mut self) -> Option<Open> {
        let top = self.len.checked_sub(1)?;
        self.len = top;
        match self.inline.get(top) {
            Some(o) => Some(*o),
            None => self.deeper.pop(),
        }
    }

    fn len(&self) -> usize {
        self.len
    }
}

pub(crate) struct FlatCursor<'d> {
    doc: &'d flat::Document<'d>,
    open: OpenStack,
    /// The last element entered: the one whose start tag the cursor is on.
    last: usize,
}

impl<'d> FlatCursor<'d> {
    /// A cursor on the start tag of element `at`, and that start tag.
    pub(crate) fn enter(doc: &'d flat::Document<'d>, at: usize) -> (Self, Start<'d>) {
        let mut c = Self {
            doc,
            open: OpenStack {
                inline: [Open {
                    at: 0,
                    next: 0,
                    end: 0,
                    text_read: false,
                }; INLINE],
                len: 0,
                deeper: Vec::new(),
            },
            last: at,
        };
        let start = c.push(at);
        (c, start)
    }

    fn push(&mut self, at: usize) -> Start<'d> {
        let e = self.doc.element(at);
        self.open.push(Open {
            at,
            next: at + 1,
            end: e.end(),
            text_read: false,
        });
        self.last = at;
        Start {
            local: e.local_name(),
            ns: e.namespace(),
            offset: at,
        }
    }

    fn text_item(at: usize, text: &'d str) -> Item<'d> {
        Item::Text(TextItem::decoded(text, at))
    }
}

impl<'d> Cursor<'d> for FlatCursor<'d> {
    fn next_item(&mut self) -> Res<Item<'d>> {
        let doc = self.doc;
        let Some(o) = self.open.last_mut() else {
            return Ok(Item::End(0));
        };
        if !o.text_read {
            o.text_read = true;
            let flags = doc.index.nodes[o.at].flags;
            if flags & MIXED != 0 {
                if let Some(text) = doc.run(o.at, o.next) {
                    return Ok(Self::text_item(o.at, text));
                }
            } else if flags & HAS_TEXT != 0 && flags & TEXT_RAW == 0 {
                let text = doc.element(o.at).text().unwrap_or("");
                return Ok(Self::text_item(o.at, text));
            }
        }
        if o.next < o.end {
            let child = o.next;
            o.next = doc.element(child).end().max(child + 1);
            o.text_read = false;
            return Ok(Item::Child(self.push(child)));
        }
        let at = o.at;
        self.open.pop();
        Ok(Item::End(at))
    }

    fn next_child(&mut self) -> Res<Option<Start<'d>>> {
        loop {
            match self.next_item()? {
                Item::Child(s) => return Ok(Some(s)),
                Item::End(_) => return Ok(None),
                Item::Text(_) => {}
            }
        }
    }

    fn skip(&mut self) -> Res<()> {
        self.open.pop();
        Ok(())
    }

    fn text(&mut self) -> Res<Cow<'d, str>> {
        let doc = self.doc;
        // an element without children (most values), nothing of it read: its text at once
        if let Some(o) = self.open.last_mut()
            && !o.text_read
            && o.end == o.at + 1
        {
            let text = doc.element(o.at).text().unwrap_or("");
            self.open.pop();
            return Ok(Cow::Borrowed(text));
        }
        text_by_items(self)
    }

    fn skip_raw(&mut self) -> Res<&'d str> {
        let at = self.open.pop().map_or(self.last, |o| o.at);
        Ok(self.doc.element(at).inner_xml().unwrap_or(""))
    }

    fn text_content(&self, t: TextItem<'d>) -> Res<Cow<'d, str>> {
        // decoded when the index was built
        Ok(Cow::Borrowed(t.raw))
    }

    fn attr(&self, name: &str, at: usize) -> Res<Option<Cow<'d, str>>> {
        Ok(self.doc.element(at).attribute(name).map(Cow::Borrowed))
    }

    fn fill_attrs<T>(
        &self,
        at: usize,
        target: &mut T,
        slot: for<'t> fn(&'t mut T, &str) -> Option<&'t mut Option<Cow<'d, str>>>,
    ) -> Res<()> {
        for a in self.doc.element(at).attributes() {
            if a.namespace().is_none()
                && let Some(field) = slot(target, a.local_name())
            {
                *field = Some(Cow::Borrowed(a.value()));
            }
        }
        Ok(())
    }

    fn xsi_type(&self, at: usize) -> Res<Option<QName<'d>>> {
        Ok(self.doc.element(at).xsi_type())
    }

    fn at_empty_element(&self) -> bool {
        let e = self.doc.element(self.last);
        e.end() == self.last + 1 && self.doc.index.nodes[self.last].flags & HAS_TEXT == 0
    }

    fn only_attributes(&self, allowed: &[&str]) -> bool {
        self.doc
            .element(self.last)
            .attributes()
            .all(|a| match a.namespace() {
                None => allowed.contains(&a.local_name()),
                Some(ns) => ns == XSI_NS && a.local_name() == "type",
            })
    }

    fn capture(&mut self, start: Start<'d>) -> Res<Element<'d>> {
        let depth = self.open.len();
        // the open elements, each with the index of its first child in `nodes`: each element's
        // children are moved out of `nodes` at its end, into a list of their exact size
        let mut stack = vec![(generic_start(self.doc, start), 0)];
        let mut nodes = Vec::new();
        loop {
            match self.next_item()? {
                Item::Child(s) => stack.push((generic_start(self.doc, s), nodes.len())),
                Item::Text(t) => {
                    if !stack.is_empty() && !is_blank(t.raw) {
                        nodes.push(Node::Text(Cow::Borrowed(t.raw)));
                    }
                }
                Item::End(_) => {
                    let (mut done, first) = stack.pop().unwrap_or_default();
                    done.children = nodes.drain(first.min(nodes.len())..).collect();
                    if self.open.len() < depth {
                        return Ok(done);
                    }
                    nodes.push(Node::Element(done));
                }
            }
        }
    }
}

/// The generic element for a start tag, without its children.
fn generic_start<'d>(doc: &'d flat::Document<'d>, s: Start<'d>) -> Element<'d> {
    let e = doc.element(s.offset);
    let xsi_type = e.xsi_type();
    // `xsi:type` is not repeated in the attributes
    let mut attributes = Vec::with_capacity(
        e.attributes()
            .len()
            .saturating_sub(usize::from(xsi_type.is_some())),
    );
    attributes.extend(
        e.attributes()
            .filter(|a| !(a.namespace() == Some(XSI_NS) && a.local_name() == "type"))
            .map(|a| Attribute {
                name: QName {
                    namespace: a.namespace().map(Cow::Borrowed),
                    local: Cow::Borrowed(a.local_name()),
                },
                value: Cow::Borrowed(a.value()),
            }),
    );
    Element {
        name: QName {
            namespace: s.ns.map(Cow::Borrowed),
            local: Cow::Borrowed(s.local),
        },
        xsi_type,
        attributes,
        children: Vec::new(),
    }
}
