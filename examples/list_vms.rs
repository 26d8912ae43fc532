//! Lists the VMs of a vSphere endpoint with their state, through the Rust API:
//! `cargo run --example list_vms -- 'esx://HOST/?no_verify=1'` (the user from the URI, else
//! `root`; the password from `ESX_PASSWORD`).

use esx_driver::abi::flags::ListDomainsFlags;
use esx_driver::abi::virConnectCredentialType as Cred;
use esx_driver::driver::Connection;
use esx_driver::driver::connection::auth::{Authenticator, CredRequest};
use esx_driver::{Error, Result};
use secrecy::SecretString;

/// Answers the username and password questions from the environment.
struct FromEnv;

impl Authenticator for FromEnv {
    fn kinds(&self) -> Vec<Cred> {
        vec![Cred::VIR_CRED_AUTHNAME, Cred::VIR_CRED_PASSPHRASE]
    }

    fn ask(&self, requests: &mut [CredRequest]) -> Result<()> {
        for r in requests {
            let answer = match r.kind == Cred::VIR_CRED_AUTHNAME {
                true => r.default.clone().unwrap_or_else(|| "root".into()),
                false => std::env::var("ESX_PASSWORD").unwrap_or_default(),
            };
            r.answer = Some(SecretString::from(answer));
        }
        Ok(())
    }
}

fn main() -> std::result::Result<(), Error> {
    let uri = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "esx://localhost/?no_verify=1".into());
    let conn = Connection::open(&uri, Some(&FromEnv), true)?;
    for dom in conn.domains(ListDomainsFlags::empty())? {
        let vm = dom.current_state()?;
        println!("{:<40} {}", vm.name, vm.state.libvirt_name());
    }
    Ok(())
}
