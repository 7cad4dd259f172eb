//! The error every subcommand returns.

use std::error::Error;
use std::fmt;
use std::process::ExitCode;

/// What made a subcommand fail. `main` prints it (with its causes) on stderr and exits with
/// [`CliError::exit_code`].
///
/// Any library error converts into it with `?` (it deliberately does not implement
/// [`std::error::Error`] itself, which is what allows that blanket conversion). Library errors
/// of segur never contain a full INS or a patient name, so printing them is safe.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Reading or writing a file or a standard stream failed (exit code 1).
    Io {
        /// What was being read or written.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A library refused the input (exit code 1).
    Library(Box<dyn Error + Send + Sync + 'static>),
}

impl CliError {
    /// Builds an [`CliError::Io`] error; use as `.map_err(CliError::io("stdin"))`.
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| Self::Io { what, source }
    }

    /// The process exit code for this error.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Io { .. } | Self::Library(_) => ExitCode::FAILURE,
        }
    }
}

impl<E: Error + Send + Sync + 'static> From<E> for CliError {
    fn from(e: E) -> Self {
        Self::Library(Box::new(e))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut cause: Option<&(dyn Error + 'static)> = match self {
            Self::Io { what, source } => {
                write!(f, "{what}: {source}")?;
                source.source()
            }
            Self::Library(e) => {
                write!(f, "{e}")?;
                e.source()
            }
        };
        while let Some(e) = cause {
            write!(f, ": {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}
