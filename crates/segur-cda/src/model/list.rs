//! [`List`]: a list that holds its first item inline.

use std::fmt;
use std::ops::{Deref, DerefMut};

use super::owned::IntoStatic;

/// A list that holds its first item inline and moves to the heap at the second.
///
/// Most clinical statements have exactly one `id`, one `effectiveTime` and one `value`: with a
/// `Vec`, each of those would be an allocation of its own, and allocation was a fifth of the
/// parsing time. A `List` reads like a slice (it dereferences to `[T]`), and is built like a
/// `Vec` (`push`, `collect`, `From<Vec<T>>`).
///
/// ```
/// use segur_cda::List;
///
/// let mut l: List<u32> = List::new();
/// assert!(l.is_empty());
/// l.push(1);
/// l.push(2);
/// assert_eq!(&l[..], &[1, 2]);
/// assert_eq!(l, List::from(vec![1, 2]));
/// assert_eq!(l.into_iter().sum::<u32>(), 3);
/// ```
#[derive(Clone)]
pub struct List<T>(Repr<T>);

#[derive(Clone)]
enum Repr<T> {
    /// No item, or one.
    Inline(Option<T>),
    /// Two items or more.
    Heap(Vec<T>),
}

impl<T> List<T> {
    /// An empty list.
    pub const fn new() -> Self {
        Self(Repr::Inline(None))
    }

    /// Appends an item.
    pub fn push(&mut self, item: T) {
        match &mut self.0 {
            Repr::Inline(slot) => match slot.take() {
                None => *slot = Some(item),
                Some(first) => {
                    self.0 = Repr::Heap(vec![first, item]);
                }
            },
            Repr::Heap(v) => tight(v).push(item),
        }
    }

    /// Appends an item and returns it, to be filled in place.
    pub(crate) fn push_mut(&mut self, item: T) -> &mut T {
        self.push(item);
        let last = self.len() - 1;
        &mut self[last]
    }

    /// The items as a `Vec`.
    pub fn into_vec(self) -> Vec<T> {
        match self.0 {
            Repr::Inline(item) => item.into_iter().collect(),
            Repr::Heap(v) => v,
        }
    }
}

/// `v`, with room for one more element, growing by doubling from one: most repeated CDA
/// children occur once or twice, and the default growth (a first allocation of four elements)
/// would double or triple the model's memory.
#[inline]
pub(crate) fn tight<T>(v: &mut Vec<T>) -> &mut Vec<T> {
    if v.len() == v.capacity() {
        v.reserve_exact(v.capacity().max(1));
    }
    v
}

impl<T> Default for List<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Deref for List<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match &self.0 {
            Repr::Inline(None) => &[],
            Repr::Inline(Some(item)) => std::slice::from_ref(item),
            Repr::Heap(v) => v,
        }
    }
}

impl<T> DerefMut for List<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.0 {
            Repr::Inline(None) => &mut [],
            Repr::Inline(Some(item)) => std::slice::from_mut(item),
            Repr::Heap(v) => v,
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq> PartialEq for List<T> {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl<T: Eq> Eq for List<T> {}

impl<T> From<Vec<T>> for List<T> {
    fn from(mut v: Vec<T>) -> Self {
        match v.len() {
            0 => Self::new(),
            1 => Self(Repr::Inline(v.pop())),
            _ => Self(Repr::Heap(v)),
        }
    }
}

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut iter = iter.into_iter();
        let Some(first) = iter.next() else {
            return Self::new();
        };
        let Some(second) = iter.next() else {
            return Self(Repr::Inline(Some(first)));
        };
        let mut v = Vec::with_capacity(2 + iter.size_hint().0);
        v.push(first);
        v.push(second);
        v.extend(iter);
        Self(Repr::Heap(v))
    }
}

impl<T> Extend<T> for List<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for item in iter {
            self.push(item);
        }
    }
}

impl<T> IntoIterator for List<T> {
    type Item = T;
    /// The inline item, or the heap items: a list of one is not moved to the heap to be
    /// iterated.
    type IntoIter = std::iter::Chain<std::option::IntoIter<T>, std::vec::IntoIter<T>>;
    fn into_iter(self) -> Self::IntoIter {
        match self.0 {
            Repr::Inline(item) => item.into_iter().chain(Vec::new()),
            Repr::Heap(v) => None.into_iter().chain(v),
        }
    }
}

impl<'l, T> IntoIterator for &'l List<T> {
    type Item = &'l T;
    type IntoIter = std::slice::Iter<'l, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'l, T> IntoIterator for &'l mut List<T> {
    type Item = &'l mut T;
    type IntoIter = std::slice::IterMut<'l, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T: IntoStatic> IntoStatic for List<T> {
    type Static = List<T::Static>;
    fn into_static(self) -> Self::Static {
        match self.0 {
            Repr::Inline(item) => List(Repr::Inline(item.map(IntoStatic::into_static))),
            Repr::Heap(v) => List(Repr::Heap(v.into_static())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::List;
    use proptest::prelude::*;

    proptest! {
        /// A list behaves as the `Vec` of the same pushes, whichever way it is built.
        #[test]
        fn a_list_is_the_vec_of_its_pushes(items in proptest::collection::vec(any::<u16>(), 0..9)) {
            let mut pushed = List::new();
            for &i in &items {
                pushed.push(i);
            }
            prop_assert_eq!(&pushed[..], &items[..]);
            let collected: List<u16> = items.iter().copied().collect();
            prop_assert_eq!(&collected, &pushed);
            prop_assert_eq!(&List::from(items.clone()), &pushed);
            let mut extended = List::new();
            extended.extend(items.iter().copied());
            prop_assert_eq!(&extended, &pushed);
            prop_assert_eq!(format!("{pushed:?}"), format!("{items:?}"));
            prop_assert_eq!(pushed.into_vec(), items);
        }
    }

    #[test]
    fn items_are_changed_in_place() {
        let mut l = List::from(vec![String::from("a")]);
        l.push_mut(String::new()).push('b');
        for s in &mut l {
            s.push('!');
        }
        assert_eq!(l.into_iter().collect::<Vec<_>>(), ["a!", "b!"]);
    }
}
