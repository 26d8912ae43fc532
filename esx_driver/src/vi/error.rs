//! vi's own error: a kind the driver can match on (faults typed by their vSphere type name,
//! never guessed from message text) and a detail text that says what happened.

use std::fmt;

/// What a vSphere call can fail with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// A SOAP fault, or a task that ended in error.
    Fault(Fault),
    /// An HTTP status that is neither an answer nor a fault.
    Http(u16),
    /// A datastore file that is not there (404 on `/folder`).
    FileNotFound,
    /// A malformed or unexpected answer.
    Protocol,
    /// The server's TLS certificate was not accepted.
    Certificate,
    /// No answer in time, or a task that did not finish in time.
    Timeout,
    /// A transport setting that cannot be used (proxy URL, CA file).
    Config,
    /// The connection failed (DNS, TLS, dropped connection).
    Transport,
    /// A VM question blocks a task and the caller's policy did not answer it.
    Question,
}

/// Declares the fault types we tell apart; any other type is kept by name in `Other`.
macro_rules! faults {
    ($($name:ident),* $(,)?) => {
        /// A vSphere fault type (`MethodFault` subtypes), read from the fault's `xsi:type`.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Fault {
            $($name,)*
            Other(String),
        }

        impl Fault {
            /// The fault of a vSphere type name.
            pub fn from_type(name: &str) -> Fault {
                match name {
                    $(stringify!($name) => Fault::$name,)*
                    other => Fault::Other(other.to_string()),
                }
            }

            /// The vSphere type name, as the server sent it.
            pub fn name(&self) -> &str {
                match self {
                    $(Fault::$name => stringify!($name),)*
                    Fault::Other(name) => name,
                }
            }
        }
    };
}

faults!(
    NotAuthenticated,
    InvalidLogin,
    NoPermission,
    ManagedObjectNotFound,
    InvalidCollectorVersion,
    NotFound,
    InvalidState,
    InvalidPowerState,
    TaskInProgress,
    FileNotFound,
    FileAlreadyExists,
    AlreadyExists,
    DuplicateName,
    InvalidDatastore,
    InvalidArgument,
    InvalidRequest,
    InvalidName,
    NotSupported,
    NotImplemented,
    MethodNotFound,
    ToolsUnavailable,
    RequestCanceled,
);

#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub detail: String,
}

pub type Result<T> = std::result::Result<T, Error>;

/// How much text from a server an error quotes: enough for any real message, and a server cannot
/// make an error (and whatever logs it) arbitrarily large.
pub(crate) const MAX_SERVER_TEXT: usize = 4096;

impl Error {
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Error {
        Error {
            kind,
            detail: detail.into(),
        }
    }

    /// A fault raised by `method`; the text names the fault type and keeps the server's words
    /// (at most `MAX_SERVER_TEXT` of them).
    pub fn fault(method: &str, fault: Fault, text: &str) -> Error {
        let text = crate::error::shorten(text, MAX_SERVER_TEXT);
        let detail = if text.is_empty() {
            format!("{method} failed: {}", fault.name())
        } else {
            format!("{method} failed: {} - {text}", fault.name())
        };
        Error::new(ErrorKind::Fault(fault), detail)
    }

    pub fn protocol(detail: impl Into<String>) -> Error {
        Error::new(ErrorKind::Protocol, detail)
    }

    /// The fault type, when this is a fault.
    pub fn fault_kind(&self) -> Option<&Fault> {
        match &self.kind {
            ErrorKind::Fault(f) => Some(f),
            _ => None,
        }
    }

    pub fn is_fault(&self, fault: &Fault) -> bool {
        self.fault_kind() == Some(fault)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vi::Error({:?}: {})", self.kind, self.detail)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_types_round_trip_and_unknown_ones_keep_their_name() {
        assert_eq!(Fault::from_type("FileNotFound"), Fault::FileNotFound);
        assert_eq!(Fault::FileNotFound.name(), "FileNotFound");
        let odd = Fault::from_type("InsufficientResourcesFault");
        assert_eq!(odd, Fault::Other("InsufficientResourcesFault".into()));
        assert_eq!(odd.name(), "InsufficientResourcesFault");
    }

    #[test]
    fn the_kind_decides_not_the_message() {
        let e = Error::fault(
            "MakeDirectory",
            Fault::InvalidArgument,
            "NotFound: NotAuthenticated FileNotFound",
        );
        assert!(e.is_fault(&Fault::InvalidArgument));
        for f in [
            Fault::NotFound,
            Fault::FileNotFound,
            Fault::NotAuthenticated,
            Fault::ManagedObjectNotFound,
        ] {
            assert!(!e.is_fault(&f), "{f:?}");
        }
        assert_eq!(
            e.detail,
            "MakeDirectory failed: InvalidArgument - NotFound: NotAuthenticated FileNotFound"
        );
    }
}
