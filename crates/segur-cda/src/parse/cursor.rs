//! The cursor the typed parser reads through: over the token stream (the [`Reader`]) or over
//! a flat index (`FlatCursor`), so that one set of functions builds the typed model from both.

use std::borrow::Cow;

use super::reader::{Item, Reader, Start, TextItem};
use crate::error::ParseError;
use crate::model::{Element, QName};

/// Errors are boxed inside the parser: every `Result` on the hot path stays small.
pub(crate) type Res<T> = Result<T, Box<ParseError>>;

/// The operations the typed parser uses: moving through the current element's content and
/// reading the current start tag. A [`Start`]'s `offset` is the cursor's handle on that start
/// tag (a byte offset for the reader, an element index for a flat cursor).
pub(crate) trait Cursor<'a> {
    /// The next item inside the current element; layout (blanks before markup) is no item.
    fn next_item(&mut self) -> Res<Item<'a>>;
    /// The next child element of the current element, skipping text; `None` at its end.
    fn next_child(&mut self) -> Res<Option<Start<'a>>>;
    /// Skips the rest of the current element.
    fn skip(&mut self) -> Res<()>;
    /// Skips the rest of the current element, a narrative block, and returns it as written.
    fn skip_raw(&mut self) -> Res<&'a str>;
    /// The character data of the current element and its descendants, concatenated (the
    /// XPath `string()` of the element, layout left out); consumes the element.
    fn text(&mut self) -> Res<Cow<'a, str>> {
        text_by_items(self)
    }
    /// The content of a text item (see [`Reader::text_content`]).
    fn text_content(&self, t: TextItem<'a>) -> Res<Cow<'a, str>>;
    /// The value of the unprefixed attribute `name` of start tag `at`.
    fn attr(&self, name: &str, at: usize) -> Res<Option<Cow<'a, str>>>;
    /// Fills `target` from the unprefixed attributes of start tag `at` (see
    /// [`Reader::fill_attrs`]).
    fn fill_attrs<T>(
        &self,
        at: usize,
        target: &mut T,
        slot: for<'t> fn(&'t mut T, &str) -> Option<&'t mut Option<Cow<'a, str>>>,
    ) -> Res<()>;
    /// The resolved `xsi:type` of start tag `at`.
    fn xsi_type(&self, at: usize) -> Res<Option<QName<'a>>>;
    /// Whether the last start tag has no content (before anything else is read).
    fn at_empty_element(&self) -> bool;
    /// Whether every attribute of the last start tag is an `xsi:type` or an unprefixed name in
    /// `allowed` (see [`Reader::only_attributes`]).
    fn only_attributes(&self, allowed: &[&str]) -> bool;
    /// The element `start` (just read) as a generic [`Element`]; consumes it.
    fn capture(&mut self, start: Start<'a>) -> Res<Element<'a>>;
}

/// [`Cursor::text`] read item by item.
pub(crate) fn text_by_items<'a, C: Cursor<'a> + ?Sized>(c: &mut C) -> Res<Cow<'a, str>> {
    let mut out: Option<Cow<'a, str>> = None;
    // the elements open inside the current one
    let mut depth = 0_usize;
    loop {
        match c.next_item()? {
            Item::Child(_) => depth += 1,
            Item::End(_) if depth == 0 => return Ok(out.unwrap_or(Cow::Borrowed(""))),
            Item::End(_) => depth -= 1,
            Item::Text(t) => {
                out = Some(join(out, c.text_content(t)?));
            }
        }
    }
}

/// `text` after `before`: borrowed while it is one piece.
pub(crate) fn join<'a>(before: Option<Cow<'a, str>>, text: Cow<'a, str>) -> Cow<'a, str> {
    match before {
        None => text,
        Some(prev) => Cow::Owned(prev.into_owned() + &text),
    }
}

impl<'a> Cursor<'a> for Reader<'a> {
    #[inline(always)]
    fn next_item(&mut self) -> Res<Item<'a>> {
        Reader::next_content(self)
    }

    #[inline(always)]
    fn next_child(&mut self) -> Res<Option<Start<'a>>> {
        Reader::next_child(self)
    }

    #[inline(always)]
    fn skip(&mut self) -> Res<()> {
        Reader::skip(self).map(drop)
    }

    #[inline(always)]
    fn skip_raw(&mut self) -> Res<&'a str> {
        Reader::skip_raw(self)
    }

    #[inline(always)]
    fn text_content(&self, t: TextItem<'a>) -> Res<Cow<'a, str>> {
        Reader::text_content(self, t)
    }

    #[inline(always)]
    fn attr(&self, name: &str, at: usize) -> Res<Option<Cow<'a, str>>> {
        Reader::attr(self, name, at)
    }

    #[inline(always)]
    fn fill_attrs<T>(
        &self,
        at: usize,
        target: &mut T,
        slot: for<'t> fn(&'t mut T, &str) -> Option<&'t mut Option<Cow<'a, str>>>,
    ) -> Res<()> {
        Reader::fill_attrs(self, at, target, slot)
    }

    #[inline(always)]
    fn xsi_type(&self, at: usize) -> Res<Option<QName<'a>>> {
        Reader::xsi_type(self, at)
    }

    #[inline(always)]
    fn at_empty_element(&self) -> bool {
        Reader::at_empty_element(self)
    }

    #[inline(always)]
    fn only_attributes(&self, allowed: &[&str]) -> bool {
        Reader::only_attributes(self, allowed)
    }

    #[inline(always)]
    fn capture(&mut self, start: Start<'a>) -> Res<Element<'a>> {
        Reader::capture(self, start)
    }
}
