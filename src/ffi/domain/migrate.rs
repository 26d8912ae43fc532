//! Migration through the C API: the three virDomainMigrate forms on a destination connection
//! and the three virDomainMigrateToURI forms, which open the destination themselves (peer to peer).

use crate::driver::Connection;
use crate::driver::domain::migrate::{MigrateOptions, migrate_flags};
use crate::error::{Code, Error, Result};
use crate::ffi::args::{in_opt_str, in_slice, in_str};
use crate::ffi::connection::auth::SavedAuth;
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, DomainHandle};
use crate::ffi::typed_params::{self, TypedValue};
use crate::ffi::types::{virConnectPtr, virDomainPtr, virTypedParameter, virTypedParameterPtr};
use std::ffi::{c_char, c_int, c_uint, c_ulong};
use std::ptr;

use crate::abi::{
    VIR_MIGRATE_PARAM_BANDWIDTH as PARAM_BANDWIDTH, VIR_MIGRATE_PARAM_DEST_NAME as PARAM_DEST_NAME,
    VIR_MIGRATE_PARAM_DEST_XML as PARAM_DEST_XML, VIR_MIGRATE_PARAM_URI as PARAM_URI,
};

/// What every migrate form says, once read from its arguments.
#[derive(Default)]
struct Request {
    flags: u64,
    dname: Option<String>,
    dxml: Option<String>,
    /// The hypervisor migration URI: vSphere needs none, so only the destination's own.
    uri: Option<String>,
    bandwidth: u64,
}

impl Request {
    /// The plain (non-typed-parameter) forms' arguments.
    fn args(
        flags: c_ulong,
        dname: Option<&str>,
        uri: Option<&str>,
        dxml: Option<&str>,
        bandwidth: c_ulong,
    ) -> Request {
        Request {
            flags: ulong(flags),
            dname: dname.map(str::to_string),
            uri: uri.map(str::to_string),
            dxml: dxml.map(str::to_string),
            bandwidth: ulong(bandwidth),
        }
    }

    fn from_params(params: &[virTypedParameter], flags: c_uint) -> Result<Request> {
        let mut r = Request {
            flags: u64::from(flags),
            ..Request::default()
        };
        for (field, value) in typed_params::read(params)? {
            match (field.as_str(), value) {
                (PARAM_URI, TypedValue::String(v)) => r.uri = Some(v),
                (PARAM_DEST_NAME, TypedValue::String(v)) => r.dname = Some(v),
                (PARAM_DEST_XML, TypedValue::String(v)) => r.dxml = Some(v),
                (PARAM_BANDWIDTH, TypedValue::ULLong(v)) => r.bandwidth = v,
                (f @ (PARAM_URI | PARAM_DEST_NAME | PARAM_DEST_XML), v) => {
                    return Err(typed_params::wrong_type(f, "string", &v));
                }
                (PARAM_BANDWIDTH, v) => {
                    return Err(typed_params::wrong_type(PARAM_BANDWIDTH, "ullong", &v));
                }
                (other, _) => {
                    return Err(Error::esx(
                        Code::ArgumentUnsupported,
                        format!(
                            "migration parameter '{other}' is not supported (known: \
                             {PARAM_URI}, {PARAM_DEST_NAME}, {PARAM_DEST_XML}, {PARAM_BANDWIDTH})"
                        ),
                    ));
                }
            }
        }
        Ok(r)
    }

    /// Runs the migration to `dest`; the VM as `dest` sees it.
    fn run(
        &self,
        d: &DomainHandle,
        dest: &Connection,
        api: &str,
    ) -> Result<crate::driver::domain::Vm> {
        let bits = u32::try_from(self.flags).map_err(|_| {
            Error::invalid_arg(format!("{api}: unsupported flags (0x{:x})", self.flags))
        })?;
        let flags = migrate_flags(bits, api)?;
        if self.bandwidth != 0 {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "vSphere migration has no bandwidth limit; pass 0",
            ));
        }
        if let Some(uri) = self.uri.as_deref().filter(|u| *u != dest.uri()) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                format!(
                    "migration URI '{uri}' is not supported: vSphere moves the VM itself; \
                     leave it out or give the destination's URI"
                ),
            ));
        }
        let opts = MigrateOptions {
            flags,
            dname: self.dname.as_deref(),
            dxml: self.dxml.as_deref(),
        };
        d.dom.migrate(dest, opts)
    }

    /// Migrates onto the caller's destination connection: a new handle there.
    fn onto(
        &self,
        d: &DomainHandle,
        dconn: virConnectPtr,
        api: &'static str,
    ) -> Result<virDomainPtr> {
        // SAFETY: the export documents `dconn` as NULL or a connection from this library.
        let dest = unsafe { ConnectHandle::borrow(dconn, api) }?;
        let vm = self.run(d, &dest.conn, api)?;
        Ok(DomainHandle::into_c(dest.domain(vm)))
    }

    /// Peer to peer: opens `duri` with the source's way of asking for credentials.
    fn to_uri(&self, d: &DomainHandle, duri: &str, api: &str) -> Result<c_int> {
        if self.flags & u64::from(crate::abi::virDomainMigrateFlags::VIR_MIGRATE_PEER2PEER as u32)
            == 0
        {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                format!(
                    "{api} needs VIR_MIGRATE_PEER2PEER: the library opens the destination \
                     URI itself (direct migration has no meaning for vSphere)"
                ),
            ));
        }
        let dest = SavedAuth::open(d.conn.auth.as_ref(), duri)?;
        self.run(d, &dest, api)?;
        dest.close()?;
        Ok(0)
    }
}

/// C's `unsigned long`, widened: it is 64 bits here but 32 on other targets.
#[allow(clippy::useless_conversion)]
fn ulong(v: c_ulong) -> u64 {
    u64::from(v)
}

/// Moves the VM to the destination connection's host, cluster or datacenter with RelocateVM_Task
/// through the vCenter both ends reach (live or cold): 6-7 round trips when the task ends at once;
/// flags vSphere cannot honour are refused by name.
///
/// # Safety
/// `domain` is NULL or a domain from this library, `dconn` NULL or a connection from it;
/// `dname` and `uri` NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainMigrate(
    domain: virDomainPtr,
    dconn: virConnectPtr,
    flags: c_ulong,
    dname: *const c_char,
    uri: *const c_char,
    bandwidth: c_ulong,
) -> virDomainPtr {
    export!(dom domain, ptr::null_mut(), |d| {
        let (dname, uri) = (in_opt_str!(dname)?, in_opt_str!(uri)?);
        Request::args(flags, dname, uri, None, bandwidth).onto(d, dconn, api_name!())
    })
}

/// As virDomainMigrate; the destination XML, when given, may only keep the VM's definition
/// (anything else is refused).
///
/// # Safety
/// As virDomainMigrate; `dxml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainMigrate2(
    domain: virDomainPtr,
    dconn: virConnectPtr,
    dxml: *const c_char,
    flags: c_ulong,
    dname: *const c_char,
    uri: *const c_char,
    bandwidth: c_ulong,
) -> virDomainPtr {
    export!(dom domain, ptr::null_mut(), |d| {
        let (dname, uri, dxml) = (in_opt_str!(dname)?, in_opt_str!(uri)?, in_opt_str!(dxml)?);
        Request::args(flags, dname, uri, dxml, bandwidth).onto(d, dconn, api_name!())
    })
}

/// As virDomainMigrate, with libvirt's typed migration parameters (destination name, bandwidth
/// accepted as in libvirt; the others refused by name).
///
/// # Safety
/// `domain` is NULL or a domain from this library, `dconn` NULL or a connection from it;
/// `params` holds `nparams` typed parameters.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainMigrate3(
    domain: virDomainPtr,
    dconn: virConnectPtr,
    params: virTypedParameterPtr,
    nparams: c_uint,
    flags: c_uint,
) -> virDomainPtr {
    export!(dom domain, ptr::null_mut(), |d| {
        Request::from_params(in_slice!(params, nparams as usize)?, flags)?
            .onto(d, dconn, api_name!())
    })
}

/// As virDomainMigrate to the connection the URI names (VIR_MIGRATE_PEER2PEER: the library opens it
/// with this connection's credentials callback).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `duri` a C string, `dname` NULL or one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainMigrateToURI(
    domain: virDomainPtr,
    duri: *const c_char,
    flags: c_ulong,
    dname: *const c_char,
    bandwidth: c_ulong,
) -> c_int {
    export!(dom domain, -1, |d| {
        let (duri, dname) = (in_str!(duri)?, in_opt_str!(dname)?);
        Request::args(flags, dname, None, None, bandwidth).to_uri(d, duri, api_name!())
    })
}

/// As virDomainMigrateToURI; the migration URI and destination XML as for virDomainMigrate2.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `dconnuri` a C string; `miguri`, `dxml`
/// and `dname` NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainMigrateToURI2(
    domain: virDomainPtr,
    dconnuri: *const c_char,
    miguri: *const c_char,
    dxml: *const c_char,
    flags: c_ulong,
    dname: *const c_char,
    bandwidth: c_ulong,
) -> c_int {
    export!(dom domain, -1, |d| {
        let duri = in_str!(dconnuri)?;
        let (dname, uri, dxml) = (in_opt_str!(dname)?, in_opt_str!(miguri)?, in_opt_str!(dxml)?);
        Request::args(flags, dname, uri, dxml, bandwidth).to_uri(d, duri, api_name!())
    })
}

/// As virDomainMigrateToURI, with libvirt's typed migration parameters.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `dconnuri` a C string; `params` holds
/// `nparams` typed parameters.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainMigrateToURI3(
    domain: virDomainPtr,
    dconnuri: *const c_char,
    params: virTypedParameterPtr,
    nparams: c_uint,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        Request::from_params(in_slice!(params, nparams as usize)?, flags)?
            .to_uri(d, in_str!(dconnuri)?, api_name!())
    })
}
