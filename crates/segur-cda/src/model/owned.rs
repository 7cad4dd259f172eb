//! `into_owned` for every model type, through one private conversion trait.

use std::borrow::Cow;

/// Turns a value borrowing from the input into one that owns its strings.
pub(crate) trait IntoStatic {
    /// The same type with every lifetime `'static`.
    type Static;
    /// Converts, copying borrowed strings.
    fn into_static(self) -> Self::Static;
}

impl IntoStatic for Cow<'_, str> {
    type Static = Cow<'static, str>;
    fn into_static(self) -> Cow<'static, str> {
        Cow::Owned(self.into_owned())
    }
}

impl IntoStatic for bool {
    type Static = Self;
    fn into_static(self) -> Self {
        self
    }
}

impl<T: IntoStatic> IntoStatic for Option<T> {
    type Static = Option<T::Static>;
    fn into_static(self) -> Self::Static {
        self.map(IntoStatic::into_static)
    }
}

impl<T: IntoStatic> IntoStatic for Vec<T> {
    type Static = Vec<T::Static>;
    fn into_static(self) -> Self::Static {
        self.into_iter().map(IntoStatic::into_static).collect()
    }
}

impl<T: IntoStatic> IntoStatic for Box<T> {
    type Static = Box<T::Static>;
    fn into_static(self) -> Self::Static {
        Box::new((*self).into_static())
    }
}

/// Implements `into_owned` (public) and [`IntoStatic`] for a model struct, field by field.
macro_rules! owned_struct {
    ($name:ident { $($field:ident),* $(,)? }) => {
        impl $name<'_> {
            /// Copies every borrowed string so that the value no longer borrows from the input.
            #[must_use]
            pub fn into_owned(self) -> $name<'static> {
                $name { $($field: $crate::model::owned::IntoStatic::into_static(self.$field)),* }
            }
        }
        impl $crate::model::owned::IntoStatic for $name<'_> {
            type Static = $name<'static>;
            fn into_static(self) -> $name<'static> {
                self.into_owned()
            }
        }
    };
}
pub(crate) use owned_struct;
