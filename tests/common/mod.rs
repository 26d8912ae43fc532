//! Test harness: starts govmomi's vSphere simulator (ESX or vCenter mode) on a free loopback
//! port through tools/vcsim's launcher, and stops it (by PID) when the handle drops.
#![allow(dead_code)]

pub mod injector;

pub mod live;

mod sim;
pub use sim::Sim;

use std::sync::Arc;

use virt_esx::abi::virConnectCredentialType as Cred;
use virt_esx::driver::connection::auth::{Authenticator, CredRequest};
use virt_esx::driver::domain::{Domain, Vm};
use virt_esx::driver::network::{Network, NetworkFacts};
use virt_esx::driver::storage::{Pool, PoolFacts, Volume, VolumeFacts};
use virt_esx::{Code, Error, Result};

/// A host managed by a vCenter: the ESX simulator on 127.0.0.2 reports the vCenter simulator
/// (127.0.0.1, same port, as libvirt assumes) as its manager; the vCenter knows it by IP.
pub fn managed_pair() -> (Sim, Sim) {
    let vc = Sim::start(&["-mode", "vpx", "-host-ip", "127.0.0.2"]);
    let port = vc.addr.rsplit(':').next().unwrap().to_string();
    let esx = Sim::start(&[
        "-mode",
        "esx",
        "-listen",
        &format!("127.0.0.2:{port}"),
        "-managed-by",
        "127.0.0.1",
    ]);
    (vc, esx)
}

/// A C auth callback for benches: "root" for every credential (the simulator takes any).
///
/// # Safety
/// Called by the library with `n` credentials at `cred`.
pub unsafe extern "C" fn answer_root(
    cred: *mut virt_esx::ffi::types::virConnectCredential,
    n: u32,
    _: *mut std::ffi::c_void,
) -> i32 {
    for i in 0..n as usize {
        // SAFETY: the library passes n credentials; it frees the malloc'd answers.
        unsafe {
            let c = &mut *cred.add(i);
            c.result = libc::strdup(c"root".as_ptr());
            c.resultlen = 4;
        }
    }
    0
}

/// `uri` opened through the C API as a C program opens it, every credential answered by
/// `answer_root`; the connection (to close with virConnectClose), or null when it failed.
pub fn open_c_as_root(uri: &str) -> virt_esx::ffi::types::virConnectPtr {
    let uri = std::ffi::CString::new(uri).unwrap();
    let mut types = [
        Cred::VIR_CRED_AUTHNAME as i32,
        Cred::VIR_CRED_PASSPHRASE as i32,
    ];
    let mut auth = virt_esx::ffi::types::virConnectAuth {
        credtype: types.as_mut_ptr(),
        ncredtype: types.len() as u32,
        cb: Some(answer_root),
        cbdata: std::ptr::null_mut(),
    };
    // SAFETY: a valid URI, and auth alive for the call, which keeps neither.
    unsafe { virt_esx::ffi::connection::virConnectOpenAuth(uri.as_ptr(), &mut auth, 0) }
}

/// A connection as root to `scheme://sim/path` (path with its leading `/`), TLS unchecked.
pub fn open(sim: &Sim, scheme: &str, path: &str) -> Arc<virt_esx::driver::Connection> {
    let uri = sim.uri(scheme, &format!("{path}?no_verify=1"));
    virt_esx::driver::Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false)
        .unwrap_or_else(|e| panic!("{uri}: {e}"))
}

/// The pool object for a pool's facts read through `conn` (the handle C's lookups make).
pub fn pool_of(conn: &Arc<virt_esx::driver::Connection>, pool: &PoolFacts) -> Pool {
    Pool::new(conn.clone(), pool.clone())
}

/// The volume object for a volume's facts (of `pool`) read through `conn`.
pub fn vol_of(
    conn: &Arc<virt_esx::driver::Connection>,
    pool: &PoolFacts,
    vol: &VolumeFacts,
) -> Volume {
    Volume::new(conn.clone(), pool.clone(), vol.clone())
}

/// The facts of each volume.
pub fn into_facts(vols: Vec<Volume>) -> Vec<VolumeFacts> {
    vols.into_iter().map(Volume::into_facts).collect()
}

/// The network object for a network's facts read through `conn`.
pub fn net_of(conn: &Arc<virt_esx::driver::Connection>, net: &NetworkFacts) -> Network {
    Network::new(conn.clone(), net.clone())
}

/// The domain object for a VM read through `conn` (the handle a lookup gives C callers).
pub fn dom(conn: &Arc<virt_esx::driver::Connection>, vm: &Vm) -> Domain {
    Domain::new(conn.clone(), vm.clone(), None)
}

/// As `open`, read-only (`VIR_CONNECT_RO`).
pub fn open_read_only(sim: &Sim, scheme: &str, path: &str) -> Arc<virt_esx::driver::Connection> {
    let uri = sim.uri(scheme, &format!("{path}?no_verify=1"));
    virt_esx::driver::Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), true)
        .unwrap_or_else(|e| panic!("{uri}: {e}"))
}

/// Answers the username and password questions from fixed values, recording what it was asked.
pub struct Creds {
    pub user: Option<&'static str>,
    pub password: &'static str,
    pub asked: std::sync::Mutex<Vec<(i32, String, String)>>,
}

impl Creds {
    pub fn new(user: Option<&'static str>, password: &'static str) -> Creds {
        Creds {
            user,
            password,
            asked: Default::default(),
        }
    }
}

impl Authenticator for Creds {
    fn kinds(&self) -> Vec<Cred> {
        vec![
            Cred::VIR_CRED_AUTHNAME,
            Cred::VIR_CRED_NOECHOPROMPT,
            Cred::VIR_CRED_PASSPHRASE,
        ]
    }
    fn ask(&self, requests: &mut [CredRequest]) -> Result<()> {
        for r in requests {
            self.asked
                .lock()
                .unwrap()
                .push((r.kind as i32, r.prompt.clone(), r.challenge.clone()));
            let answer = if r.kind == Cred::VIR_CRED_AUTHNAME {
                self.user
            } else {
                Some(self.password)
            };
            match answer {
                Some(a) => r.answer = Some(a.to_string().into()),
                None => return Err(Error::esx(Code::AuthFailed, "no answer")),
            }
        }
        Ok(())
    }
}

/// A domain the simulator can define: a SCSI disk on `ds`, a NIC on VM Network, VNC.
pub fn domain_xml(name: &str, ds: &str, mem_kib: u64) -> String {
    format!(
        "<domain type='vmware'>
  <name>{name}</name>
  <uuid>1b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a71</uuid>
  <memory unit='KiB'>{mem_kib}</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='[{ds}] {name}/{name}.vmdk'/>
      <target dev='sda' bus='scsi'/>
    </disk>
    <interface type='bridge'>
      <mac address='00:50:56:01:02:03'/>
      <source bridge='VM Network'/>
      <model type='vmxnet3'/>
    </interface>
    <graphics type='vnc' port='5901' passwd='s3cret'/>
  </devices>
</domain>"
    )
}

/// A number field of this process's `/proc/self/status` (`VmHWM:`, `VmRSS:`, `Threads:`).
pub fn proc_status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Peak resident set of this process so far, in KiB (`VmHWM`).
pub fn peak_rss_kib() -> u64 {
    proc_status("VmHWM:")
}

/// This process's user and system CPU time so far.
pub fn cpu_time() -> std::time::Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let secs = |t: libc::timeval| {
        std::time::Duration::from_secs(t.tv_sec as u64)
            + std::time::Duration::from_micros(t.tv_usec as u64)
    };
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
