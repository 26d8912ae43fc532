//! Getting a username and password as libvirt does: the URI, then auth.conf (service `esx`),
//! then the caller's callback with libvirt's prompts; passwords stay in zeroizing secrets.

use super::authconf::AuthConf;
use crate::abi::virConnectCredentialType as Cred;
use crate::error::{Code, Domain, Error, Result};
use secrecy::SecretString;

/// The credential types the ESX driver asks for.
const CRED_AUTHNAME: Cred = Cred::VIR_CRED_AUTHNAME;
const CRED_PASSPHRASE: Cred = Cred::VIR_CRED_PASSPHRASE;
const CRED_NOECHOPROMPT: Cred = Cred::VIR_CRED_NOECHOPROMPT;

/// One question to the caller, as `virConnectCredential` carries it.
pub struct CredRequest {
    /// What is asked for: `VIR_CRED_AUTHNAME`, `VIR_CRED_PASSPHRASE` or `VIR_CRED_NOECHOPROMPT`.
    pub kind: Cred,
    /// The text to show the user, libvirt's wording.
    pub prompt: String,
    /// The server's host name the credential is for.
    pub challenge: String,
    /// The answer used when the caller gives none (the default user name); none for passwords.
    pub default: Option<String>,
    /// The caller's answer, filled by `Authenticator::ask`.
    pub answer: Option<SecretString>,
}

/// The caller's side of authentication (a C `virConnectAuth`, or a Rust closure).
pub trait Authenticator: Send + Sync {
    /// The credential types the caller declared it can answer, in its order.
    fn kinds(&self) -> Vec<Cred>;
    /// Fills `answer` of each request; an error when the caller refused.
    fn ask(&self, requests: &mut [CredRequest]) -> Result<()>;
}

/// Where credentials come from for one endpoint.
pub(crate) struct CredentialSource<'a> {
    pub(crate) authconf: Option<&'a AuthConf>,
    pub(crate) auth: Option<&'a dyn Authenticator>,
}

impl CredentialSource<'_> {
    /// The URI's user, else auth.conf's, else the callback's answer (with a default).
    /// Refuses a credential with a control character (a NUL would cut it, and XML cannot carry
    /// the others); the value itself is never quoted.
    pub(crate) fn refuse_control(what: &str, value: &str) -> Result<()> {
        if value.chars().any(char::is_control) {
            return Err(auth_error(
                Code::AuthFailed,
                &format!("the {what} contains a control character, which cannot be sent"),
            ));
        }
        Ok(())
    }

    pub(crate) fn username(
        &self,
        from_uri: Option<&str>,
        host: &str,
        default: &str,
    ) -> Result<String> {
        if let Some(u) = from_uri {
            return Ok(u.to_string());
        }
        if let Some(u) = self
            .authconf
            .and_then(|c| c.lookup("esx", host, "username"))
        {
            return Ok(u.to_string());
        }
        let auth = self.require_auth()?;
        if !auth.kinds().contains(&CRED_AUTHNAME) {
            return Err(auth_error(
                Code::AuthFailed,
                "Missing VIR_CRED_AUTHNAME credential type",
            ));
        }
        let mut req = [CredRequest {
            kind: CRED_AUTHNAME,
            prompt: format!("Enter username for {host} [{default}]"),
            challenge: host.to_string(),
            default: Some(default.to_string()),
            answer: None,
        }];
        auth.ask(&mut req)
            .map_err(|_| auth_error(Code::AuthFailed, "Username request failed"))?;
        use secrecy::ExposeSecret;
        Ok(match req[0].answer.take() {
            Some(a) if !a.expose_secret().is_empty() => a.expose_secret().to_string(),
            _ => default.to_string(),
        })
    }

    /// auth.conf's password for this host, else the callback's answer.
    pub(crate) fn password(&self, user: &str, host: &str) -> Result<SecretString> {
        if let Some(p) = self
            .authconf
            .and_then(|c| c.lookup("esx", host, "password"))
        {
            return Ok(SecretString::from(p.to_string()));
        }
        let auth = self.require_auth()?;
        // The first password type in the caller's list, as libvirt picks it.
        let kind = auth
            .kinds()
            .into_iter()
            .find(|k| [CRED_PASSPHRASE, CRED_NOECHOPROMPT].contains(k))
            .ok_or_else(|| {
                auth_error(
                    Code::OperationUnsupported,
                    "no suitable callback authentication callback was found",
                )
            })?;
        let mut req = [CredRequest {
            kind,
            prompt: format!("Enter {user}'s password for {host}"),
            challenge: host.to_string(),
            default: None,
            answer: None,
        }];
        auth.ask(&mut req)
            .map_err(|_| auth_error(Code::AuthFailed, "Password request failed"))?;
        req[0]
            .answer
            .take()
            .ok_or_else(|| auth_error(Code::AuthFailed, "Password request failed"))
    }

    fn require_auth(&self) -> Result<&dyn Authenticator> {
        self.auth.ok_or_else(|| {
            Error::new(
                Code::InvalidArg,
                Domain::Esx,
                "Missing authentication credentials: give an auth callback \
                 (virConnectOpenAuth) or an auth.conf entry for service 'esx'",
            )
        })
    }
}

fn auth_error(code: Code, detail: &str) -> Error {
    Error::new(code, Domain::Auth, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::sync::Mutex;

    struct Scripted {
        kinds: Vec<Cred>,
        answers: Mutex<Vec<Option<&'static str>>>,
        seen: Mutex<Vec<(i32, String, String)>>,
    }

    impl Authenticator for Scripted {
        fn kinds(&self) -> Vec<Cred> {
            self.kinds.clone()
        }
        fn ask(&self, requests: &mut [CredRequest]) -> Result<()> {
            for r in requests {
                self.seen.lock().unwrap().push((
                    r.kind as i32,
                    r.prompt.clone(),
                    r.challenge.clone(),
                ));
                match self.answers.lock().unwrap().remove(0) {
                    Some(a) => r.answer = Some(SecretString::from(a.to_string())),
                    None => return Err(Error::internal("refused")),
                }
            }
            Ok(())
        }
    }

    fn scripted(kinds: &[Cred], answers: &[Option<&'static str>]) -> Scripted {
        Scripted {
            kinds: kinds.to_vec(),
            answers: Mutex::new(answers.to_vec()),
            seen: Mutex::new(Vec::new()),
        }
    }

    #[test]
    fn uri_user_wins_and_callback_gets_libvirt_prompts() {
        let a = scripted(
            &[CRED_AUTHNAME, CRED_NOECHOPROMPT],
            &[Some("bob"), Some("pw")],
        );
        let src = CredentialSource {
            authconf: None,
            auth: Some(&a),
        };
        assert_eq!(src.username(Some("alice"), "h", "root").unwrap(), "alice");
        assert_eq!(src.username(None, "esx1", "root").unwrap(), "bob");
        let pw = src.password("bob", "esx1").unwrap();
        assert_eq!(pw.expose_secret(), "pw");
        let seen = a.seen.lock().unwrap();
        assert_eq!(
            seen[0],
            (2, "Enter username for esx1 [root]".into(), "esx1".into())
        );
        assert_eq!(
            seen[1],
            (7, "Enter bob's password for esx1".into(), "esx1".into())
        );
    }

    #[test]
    fn empty_username_answer_takes_the_default() {
        let a = scripted(&[CRED_AUTHNAME], &[Some("")]);
        let src = CredentialSource {
            authconf: None,
            auth: Some(&a),
        };
        assert_eq!(src.username(None, "h", "root").unwrap(), "root");
    }

    #[test]
    fn missing_types_and_refusals_give_libvirt_errors() {
        let none = scripted(&[], &[]);
        let src = CredentialSource {
            authconf: None,
            auth: Some(&none),
        };
        let e = src.username(None, "h", "root").unwrap_err();
        assert_eq!((e.code, e.domain), (Code::AuthFailed, Domain::Auth));
        let e = src.password("u", "h").unwrap_err();
        assert_eq!(e.code, Code::OperationUnsupported);

        let refuse = scripted(&[CRED_PASSPHRASE], &[None]);
        let src = CredentialSource {
            authconf: None,
            auth: Some(&refuse),
        };
        assert_eq!(src.password("u", "h").unwrap_err().code, Code::AuthFailed);

        let src = CredentialSource {
            authconf: None,
            auth: None,
        };
        assert_eq!(src.password("u", "h").unwrap_err().code, Code::InvalidArg);
    }
}
