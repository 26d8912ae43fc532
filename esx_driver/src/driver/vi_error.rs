//! vSphere errors as libvirt errors: each vi error kind and fault type mapped to libvirt's
//! nearest error number, the vi text kept as the detail (it names the fault type).

use crate::error::{Code, Error};
use crate::vi::{self, ErrorKind, Fault};

/// libvirt's error number for a vSphere fault type.
fn fault_code(fault: &Fault) -> Code {
    use Fault::*;
    match fault {
        InvalidLogin | NotAuthenticated => Code::AuthFailed,
        NoPermission => Code::OperationDenied,
        InvalidPowerState | InvalidState | TaskInProgress => Code::OperationInvalid,
        NotSupported | NotImplemented | MethodNotFound => Code::NoSupport,
        InvalidArgument | InvalidRequest | InvalidName => Code::InvalidArg,
        _ => Code::InternalError,
    }
}

/// libvirt's error number for a vi error.
pub(crate) fn code(e: &vi::Error) -> Code {
    match &e.kind {
        ErrorKind::Fault(f) => fault_code(f),
        ErrorKind::Http(_) => Code::HttpError,
        ErrorKind::FileNotFound => Code::ReadFailed,
        ErrorKind::Certificate => Code::AuthFailed,
        ErrorKind::Timeout => Code::OperationTimeout,
        ErrorKind::Config => Code::InvalidArg,
        ErrorKind::Protocol | ErrorKind::Transport | ErrorKind::Question => Code::InternalError,
    }
}

impl From<vi::Error> for Error {
    fn from(e: vi::Error) -> Error {
        Error::esx(code(&e), e.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_map_by_type_and_keep_their_text() {
        let e: Error = vi::Error::fault("Login", Fault::InvalidLogin, "bad password").into();
        assert_eq!(e.code, Code::AuthFailed);
        assert_eq!(e.detail, "Login failed: InvalidLogin - bad password");
        let e: Error = vi::Error::fault("X", Fault::from_type("Odd"), "").into();
        assert_eq!(
            (e.code, e.detail.as_str()),
            (Code::InternalError, "X failed: Odd")
        );
    }

    #[test]
    fn a_message_that_mentions_a_fault_is_not_that_fault() {
        let e = vi::Error::fault(
            "MakeDirectory",
            Fault::InvalidArgument,
            "NotAuthenticated: FileNotFound",
        );
        assert!(!e.is_fault(&Fault::NotAuthenticated));
        assert_eq!(Error::from(e).code, Code::InvalidArg);
    }

    #[test]
    fn other_kinds_keep_their_libvirt_numbers() {
        for (kind, code) in [
            (ErrorKind::Http(404), Code::HttpError),
            (ErrorKind::FileNotFound, Code::ReadFailed),
            (ErrorKind::Certificate, Code::AuthFailed),
            (ErrorKind::Timeout, Code::OperationTimeout),
            (ErrorKind::Config, Code::InvalidArg),
            (ErrorKind::Protocol, Code::InternalError),
        ] {
            assert_eq!(Error::from(vi::Error::new(kind, "x")).code, code);
        }
    }
}
