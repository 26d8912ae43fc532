//! The one error type of the library: libvirt's error number, error domain and detail text.
//! The C boundary turns it into a `virError` with libvirt's message template applied.

use std::fmt;

/// libvirt's `virErrorNumber` values that this library raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Code {
    InternalError = 1,
    NoMemory = 2,
    NoSupport = 3,
    NoConnect = 5,
    InvalidConn = 6,
    InvalidDomain = 7,
    InvalidArg = 8,
    OperationFailed = 9,
    HttpError = 12,
    NoName = 21,
    XmlError = 27,
    DomExist = 28,
    OperationDenied = 29,
    ReadFailed = 31,
    ConfSyntax = 33,
    WriteFailed = 34,
    SystemError = 38,
    NoDomain = 42,
    NoNetwork = 43,
    AuthFailed = 45,
    NoStoragePool = 49,
    NoStorageVol = 50,
    OperationInvalid = 55,
    NoInterface = 57,
    ConfigUnsupported = 67,
    OperationTimeout = 68,
    NoDomainSnapshot = 72,
    ArgumentUnsupported = 74,
    OperationAborted = 78,
    AuthCancelled = 79,
    OperationUnsupported = 84,
}

/// libvirt's `virErrorDomain` values that this library reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Domain {
    None = 0,
    Xml = 5,
    Conf = 9,
    Domain = 20,
    Esx = 28,
    Vmware = 39,
    Capabilities = 44,
    Uri = 45,
    Auth = 46,
}

#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    pub code: Code,
    pub domain: Domain,
    /// The detail that libvirt's per-code template is applied to.
    pub detail: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(code: Code, domain: Domain, detail: impl Into<String>) -> Self {
        Error {
            code,
            domain,
            detail: detail.into(),
        }
    }

    /// An error of the ESX driver (`VIR_FROM_ESX`), the most common origin.
    pub fn esx(code: Code, detail: impl Into<String>) -> Self {
        Self::new(code, Domain::Esx, detail)
    }

    pub fn internal(detail: impl Into<String>) -> Self {
        Self::esx(Code::InternalError, detail)
    }

    pub fn invalid_arg(detail: impl Into<String>) -> Self {
        Self::esx(Code::InvalidArg, detail)
    }

    /// libvirt's template for this code (`str1` of a `virError`), `%s` standing for the detail.
    pub fn template(&self) -> &'static str {
        use Code::*;
        match self.code {
            InternalError => "internal error: %s",
            NoMemory => "out of memory: %s",
            NoSupport => "this function is not supported by the connection driver: %s",
            NoConnect => "no connection driver available for %s",
            InvalidConn => "invalid connection pointer in %s",
            InvalidDomain => "invalid domain pointer in %s",
            InvalidArg => "invalid argument: %s",
            OperationFailed => "operation failed: %s",
            HttpError => "got unknown HTTP error code %s",
            NoName => "missing name information in %s",
            XmlError => "XML error: %s",
            DomExist => "operation failed: %s",
            OperationDenied => "operation forbidden: %s",
            ReadFailed => "Failed to read file: %s",
            ConfSyntax => "configuration file syntax error: %s",
            WriteFailed => "Failed to write file: %s",
            SystemError => "%s",
            NoDomain => "Domain not found: %s",
            NoNetwork => "Network not found: %s",
            AuthFailed => "authentication failed: %s",
            NoStoragePool => "Storage pool not found: %s",
            NoStorageVol => "Storage volume not found: %s",
            OperationInvalid => "Requested operation is not valid: %s",
            NoInterface => "Interface not found: %s",
            ConfigUnsupported => "unsupported configuration: %s",
            OperationTimeout => "Timed out during operation: %s",
            NoDomainSnapshot => "Domain snapshot not found: %s",
            ArgumentUnsupported => "argument unsupported: %s",
            OperationAborted => "operation aborted: %s",
            AuthCancelled => "authentication cancelled: %s",
            OperationUnsupported => "Operation not supported: %s",
        }
    }

    /// The full message as libvirt prints it: the template applied to the detail.
    pub fn message(&self) -> String {
        self.template().replacen("%s", &self.detail, 1)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Error({:?}/{:?}: {})",
            self.code,
            self.domain,
            self.message()
        )
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_applies_template() {
        let e = Error::invalid_arg("no_verify must be 0 or 1");
        assert_eq!(e.message(), "invalid argument: no_verify must be 0 or 1");
        assert_eq!(e.code as i32, 8);
        assert_eq!(e.domain as i32, 28);
    }
}
