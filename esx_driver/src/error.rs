//! The one error type of the library: libvirt's error number, error domain and detail text.
//! The C boundary turns it into a `virError` with libvirt's message template applied.

use crate::abi::{virErrorDomain, virErrorNumber};
use std::fmt;

/// The `virErrorNumber` values that this library raises (numbers from `abi`): each variant is
/// the `VIR_ERR_*` its value names, documented by libvirt.
#[allow(missing_docs)] // a line per variant would only restate the libvirt name beside it
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Code {
    InternalError = virErrorNumber::VIR_ERR_INTERNAL_ERROR as i32,
    NoMemory = virErrorNumber::VIR_ERR_NO_MEMORY as i32,
    NoSupport = virErrorNumber::VIR_ERR_NO_SUPPORT as i32,
    NoConnect = virErrorNumber::VIR_ERR_NO_CONNECT as i32,
    InvalidConn = virErrorNumber::VIR_ERR_INVALID_CONN as i32,
    InvalidDomain = virErrorNumber::VIR_ERR_INVALID_DOMAIN as i32,
    InvalidStoragePool = virErrorNumber::VIR_ERR_INVALID_STORAGE_POOL as i32,
    InvalidStorageVol = virErrorNumber::VIR_ERR_INVALID_STORAGE_VOL as i32,
    InvalidStream = virErrorNumber::VIR_ERR_INVALID_STREAM as i32,
    InvalidNetwork = virErrorNumber::VIR_ERR_INVALID_NETWORK as i32,
    InvalidInterface = virErrorNumber::VIR_ERR_INVALID_INTERFACE as i32,
    InvalidArg = virErrorNumber::VIR_ERR_INVALID_ARG as i32,
    OperationFailed = virErrorNumber::VIR_ERR_OPERATION_FAILED as i32,
    HttpError = virErrorNumber::VIR_ERR_HTTP_ERROR as i32,
    NoName = virErrorNumber::VIR_ERR_NO_NAME as i32,
    XmlError = virErrorNumber::VIR_ERR_XML_ERROR as i32,
    DomExist = virErrorNumber::VIR_ERR_DOM_EXIST as i32,
    OperationDenied = virErrorNumber::VIR_ERR_OPERATION_DENIED as i32,
    ReadFailed = virErrorNumber::VIR_ERR_READ_FAILED as i32,
    ConfSyntax = virErrorNumber::VIR_ERR_CONF_SYNTAX as i32,
    WriteFailed = virErrorNumber::VIR_ERR_WRITE_FAILED as i32,
    SystemError = virErrorNumber::VIR_ERR_SYSTEM_ERROR as i32,
    NoDomain = virErrorNumber::VIR_ERR_NO_DOMAIN as i32,
    NoNetwork = virErrorNumber::VIR_ERR_NO_NETWORK as i32,
    NetworkExist = virErrorNumber::VIR_ERR_NETWORK_EXIST as i32,
    AuthFailed = virErrorNumber::VIR_ERR_AUTH_FAILED as i32,
    NoStoragePool = virErrorNumber::VIR_ERR_NO_STORAGE_POOL as i32,
    NoStorageVol = virErrorNumber::VIR_ERR_NO_STORAGE_VOL as i32,
    OperationInvalid = virErrorNumber::VIR_ERR_OPERATION_INVALID as i32,
    NoInterface = virErrorNumber::VIR_ERR_NO_INTERFACE as i32,
    ConfigUnsupported = virErrorNumber::VIR_ERR_CONFIG_UNSUPPORTED as i32,
    OperationTimeout = virErrorNumber::VIR_ERR_OPERATION_TIMEOUT as i32,
    InvalidDomainSnapshot = virErrorNumber::VIR_ERR_INVALID_DOMAIN_SNAPSHOT as i32,
    NoDomainSnapshot = virErrorNumber::VIR_ERR_NO_DOMAIN_SNAPSHOT as i32,
    ArgumentUnsupported = virErrorNumber::VIR_ERR_ARGUMENT_UNSUPPORTED as i32,
    OperationAborted = virErrorNumber::VIR_ERR_OPERATION_ABORTED as i32,
    AuthCancelled = virErrorNumber::VIR_ERR_AUTH_CANCELLED as i32,
    OperationUnsupported = virErrorNumber::VIR_ERR_OPERATION_UNSUPPORTED as i32,
    DeviceMissing = virErrorNumber::VIR_ERR_DEVICE_MISSING as i32,
    NoDomainMetadata = virErrorNumber::VIR_ERR_NO_DOMAIN_METADATA as i32,
    Overflow = virErrorNumber::VIR_ERR_OVERFLOW as i32,
    InvalidNodeDevice = virErrorNumber::VIR_ERR_INVALID_NODE_DEVICE as i32,
    NoNodeDevice = virErrorNumber::VIR_ERR_NO_NODE_DEVICE as i32,
    InvalidSecret = virErrorNumber::VIR_ERR_INVALID_SECRET as i32,
    InvalidNwfilter = virErrorNumber::VIR_ERR_INVALID_NWFILTER as i32,
    InvalidNwfilterBinding = virErrorNumber::VIR_ERR_INVALID_NWFILTER_BINDING as i32,
    InvalidNetworkPort = virErrorNumber::VIR_ERR_INVALID_NETWORK_PORT as i32,
    InvalidDomainCheckpoint = virErrorNumber::VIR_ERR_INVALID_DOMAIN_CHECKPOINT as i32,
    AgentUnresponsive = virErrorNumber::VIR_ERR_AGENT_UNRESPONSIVE as i32,
    CpuIncompatible = virErrorNumber::VIR_ERR_CPU_INCOMPATIBLE as i32,
}

/// The `virErrorDomain` values that this library reports (numbers from `abi`): each variant is
/// the `VIR_FROM_*` its value names.
#[allow(missing_docs)] // as for `Code`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i32)]
pub enum Domain {
    None = virErrorDomain::VIR_FROM_NONE as i32,
    Xml = virErrorDomain::VIR_FROM_XML as i32,
    Conf = virErrorDomain::VIR_FROM_CONF as i32,
    Domain = virErrorDomain::VIR_FROM_DOMAIN as i32,
    Esx = virErrorDomain::VIR_FROM_ESX as i32,
    Vmware = virErrorDomain::VIR_FROM_VMWARE as i32,
    Capabilities = virErrorDomain::VIR_FROM_CAPABILITIES as i32,
    Uri = virErrorDomain::VIR_FROM_URI as i32,
    Event = virErrorDomain::VIR_FROM_EVENT as i32,
    Auth = virErrorDomain::VIR_FROM_AUTH as i32,
    Storage = virErrorDomain::VIR_FROM_STORAGE as i32,
    Streams = virErrorDomain::VIR_FROM_STREAMS as i32,
    Network = virErrorDomain::VIR_FROM_NETWORK as i32,
    Nodedev = virErrorDomain::VIR_FROM_NODEDEV as i32,
    Secret = virErrorDomain::VIR_FROM_SECRET as i32,
    Nwfilter = virErrorDomain::VIR_FROM_NWFILTER as i32,
    DomainCheckpoint = virErrorDomain::VIR_FROM_DOMAIN_CHECKPOINT as i32,
}

#[derive(Clone, PartialEq, Eq)]
/// A libvirt error: what went wrong (`code`), where (`domain`), and the detail; `Display` gives
/// the message libvirt would print.
pub struct Error {
    /// libvirt's error number.
    pub code: Code,
    /// libvirt's error domain (the part of libvirt that raised it).
    pub domain: Domain,
    /// The detail that libvirt's per-code template is applied to.
    pub detail: String,
}

/// The library's result: a value, or libvirt's error.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with its code, domain and detail.
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

    /// `VIR_ERR_INTERNAL_ERROR` of the ESX driver.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::esx(Code::InternalError, detail)
    }

    /// `VIR_ERR_INVALID_ARG` of the ESX driver: a caller's argument is refused.
    pub fn invalid_arg(detail: impl Into<String>) -> Self {
        Self::esx(Code::InvalidArg, detail)
    }

    /// The same error, its detail led by what was being done ("Could not create volume: …"),
    /// as libvirt's ESX driver words a failed vSphere call.
    pub(crate) fn context(self, what: &str) -> Error {
        Error {
            detail: format!("{what}: {}", self.detail),
            ..self
        }
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
            InvalidStoragePool => "invalid storage pool pointer in %s",
            InvalidStorageVol => "invalid storage volume pointer in %s",
            InvalidStream => "invalid stream pointer in %s",
            InvalidNetwork => "invalid network pointer in %s",
            InvalidInterface => "invalid interface pointer in %s",
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
            NetworkExist => "network %s exists already",
            AuthFailed => "authentication failed: %s",
            NoStoragePool => "Storage pool not found: %s",
            NoStorageVol => "Storage volume not found: %s",
            OperationInvalid => "Requested operation is not valid: %s",
            NoInterface => "Interface not found: %s",
            ConfigUnsupported => "unsupported configuration: %s",
            OperationTimeout => "Timed out during operation: %s",
            InvalidDomainSnapshot => "Invalid snapshot: %s",
            NoDomainSnapshot => "Domain snapshot not found: %s",
            ArgumentUnsupported => "argument unsupported: %s",
            OperationAborted => "operation aborted: %s",
            AuthCancelled => "authentication cancelled: %s",
            OperationUnsupported => "Operation not supported: %s",
            DeviceMissing => "device not found: %s",
            NoDomainMetadata => "metadata not found: %s",
            Overflow => "numerical overflow: %s",
            InvalidNodeDevice => "invalid node device pointer in %s",
            NoNodeDevice => "Node device not found: %s",
            InvalidSecret => "Invalid secret: %s",
            InvalidNwfilter => "Invalid network filter: %s",
            InvalidNwfilterBinding => "Invalid network filter binding: %s",
            InvalidNetworkPort => "Invalid network port pointer: %s",
            InvalidDomainCheckpoint => "Invalid domain checkpoint: %s",
            AgentUnresponsive => "Guest agent is not responding: %s",
            CpuIncompatible => "the CPU is incompatible with host CPU: %s",
        }
    }

    /// The full message as libvirt prints it: the template applied to the detail.
    pub fn message(&self) -> String {
        self.template().replacen("%s", &self.detail, 1)
    }
}

/// `text` cut to at most `max` bytes (at a character boundary) for quoting in an error, marked
/// when cut: what a caller or a server hands us must not make an error arbitrarily large.
pub(crate) fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… (truncated, {} bytes in all)", &text[..end], text.len()).into()
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
