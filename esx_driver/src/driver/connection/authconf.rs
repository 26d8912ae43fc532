//! libvirt's `auth.conf`: an INI (GKeyFile-style) file mapping services and hosts to
//! credentials, so that connections can log in without an interactive callback.

use crate::local_file::{AUTH_CONF_MAX, read_bounded};
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Code, Domain, Error, Result};

const SYSTEM_AUTH_FILE: &str = "/etc/libvirt/auth.conf";

/// A parsed auth.conf. Values live in zeroizing strings because they include passwords, which
/// should not outlive the lookup in freed heap memory.
pub(crate) struct AuthConf {
    groups: Vec<Group>,
}

struct Group {
    name: String,
    entries: Vec<(String, Zeroizing<String>)>,
}

impl Group {
    fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for AuthConf {
    // Hand-written so that passwords never reach logs through `{:?}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for group in &self.groups {
            let keys: Vec<&str> = group.entries.iter().map(|(k, _)| k.as_str()).collect();
            map.entry(&group.name, &keys);
        }
        map.finish()
    }
}

fn syntax_error(line: usize, detail: impl fmt::Display) -> Error {
    Error::new(
        Code::ConfSyntax,
        Domain::Conf,
        format!("line {line}: {detail}"),
    )
}

impl AuthConf {
    /// Parses the text of an auth.conf. Like GKeyFile, a group named twice is merged and a
    /// repeated key keeps its last value.
    pub(crate) fn parse(text: &str) -> Result<AuthConf> {
        let mut groups: Vec<Group> = Vec::new();
        let mut current: Option<usize> = None;
        for (index, raw) in text.split('\n').enumerate() {
            let number = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                let name = header
                    .strip_suffix(']')
                    .ok_or_else(|| syntax_error(number, "group header lacks its closing ']'"))?;
                if name.is_empty()
                    || name.contains(['[', ']'])
                    || name.chars().any(char::is_control)
                {
                    return Err(syntax_error(number, "invalid group name"));
                }
                current = Some(match groups.iter().position(|g| g.name == name) {
                    Some(existing) => existing,
                    None => {
                        groups.push(Group {
                            name: name.to_owned(),
                            entries: Vec::new(),
                        });
                        groups.len() - 1
                    }
                });
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(syntax_error(
                    number,
                    "expected '[group]', 'key = value' or a comment",
                ));
            };
            let key = key.trim();
            if key.is_empty() {
                return Err(syntax_error(number, "missing key name before '='"));
            }
            // The key is echoed in errors, the value never is: it may be a password.
            let Some(group) = current.and_then(|i| groups.get_mut(i)) else {
                return Err(syntax_error(
                    number,
                    format!("key '{key}' appears before any [group]"),
                ));
            };
            let value = Zeroizing::new(value.trim().to_owned());
            match group.entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => group.entries.push((key.to_owned(), value)),
            }
        }
        Ok(AuthConf { groups })
    }

    /// Finds the auth.conf to use: `$LIBVIRT_AUTH_FILE`, else `explicit` (the URI's
    /// `authfile=`), as libvirt orders them, else `$XDG_CONFIG_HOME/libvirt/auth.conf` (default
    /// `$HOME/.config`), else `/etc/libvirt/auth.conf`. The implicit locations are skipped when
    /// absent; a file named explicitly must exist.
    pub(crate) fn locate(explicit: Option<&Path>) -> Result<Option<PathBuf>> {
        locate_with(
            explicit,
            |name| std::env::var_os(name),
            Path::new(SYSTEM_AUTH_FILE),
        )
    }

    /// Locates and parses the auth.conf; `Ok(None)` when there is none.
    pub(crate) fn load(explicit: Option<&Path>) -> Result<Option<AuthConf>> {
        match Self::locate(explicit)? {
            Some(path) => read_file(&path).map(Some),
            None => Ok(None),
        }
    }

    /// The value of `key` for `service` on `hostname`: group `auth-SERVICE-HOSTNAME` (else
    /// `auth-SERVICE-default`) names a credentials set with its `credentials` key, and group
    /// `credentials-NAME` holds the keys.
    pub(crate) fn lookup(&self, service: &str, hostname: &str, key: &str) -> Option<&str> {
        let auth = self
            .group(&format!("auth-{service}-{hostname}"))
            .or_else(|| self.group(&format!("auth-{service}-default")))?;
        let credentials = auth.get("credentials")?;
        self.group(&format!("credentials-{credentials}"))?.get(key)
    }

    fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
}

/// `locate` with the environment and the system path injected, so that tests need neither
/// mutate the process environment (unsafe in edition 2024) nor depend on the real files.
fn locate_with(
    explicit: Option<&Path>,
    env: impl Fn(&str) -> Option<OsString>,
    system: &Path,
) -> Result<Option<PathBuf>> {
    let non_empty = |name: &str| env(name).filter(|value| !value.is_empty());

    // libvirt lets the environment win over the URI's authfile=.
    let named = match non_empty("LIBVIRT_AUTH_FILE") {
        Some(path) => Some((
            PathBuf::from(path),
            "the environment variable LIBVIRT_AUTH_FILE",
        )),
        None => explicit.map(|path| (path.to_path_buf(), "the URI parameter authfile=")),
    };
    if let Some((path, source)) = named {
        // A typo in a path the user gave should not silently fall back to other credentials.
        if !path.exists() {
            return Err(Error::new(
                Code::ReadFailed,
                Domain::Auth,
                format!(
                    "{}: the authentication file named by {source} does not exist",
                    path.display()
                ),
            ));
        }
        return Ok(Some(path));
    }

    let config_home = non_empty("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| non_empty("HOME").map(|home| PathBuf::from(home).join(".config")));
    let candidates = config_home
        .map(|dir| dir.join("libvirt").join("auth.conf"))
        .into_iter()
        .chain(std::iter::once(system.to_path_buf()));
    for candidate in candidates {
        if candidate.exists() {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

fn read_file(path: &Path) -> Result<AuthConf> {
    let read_error = |e: std::io::Error| {
        Error::new(
            Code::ReadFailed,
            Domain::Auth,
            format!("{}: {e}", path.display()),
        )
    };
    let bytes = read_bounded(path, AUTH_CONF_MAX).map_err(read_error)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Error::new(
            Code::ReadFailed,
            Domain::Auth,
            format!("{}: not UTF-8 text", path.display()),
        )
    })?;
    AuthConf::parse(text).map_err(|e| {
        Error::new(
            e.code,
            e.domain,
            format!("{}: {}", path.display(), e.detail),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const SAMPLE: &str = "\
# libvirt auth.conf
; another comment style

[credentials-test]
username = fred
password=123456

[credentials-prod]
  username=  bar
password = pw with spaces inside  

[auth-esx-esx1.example.com]
credentials=test

[auth-esx-default]
credentials = prod

[auth-libvirt-default]
credentials=test
";

    fn parse(text: &str) -> AuthConf {
        match AuthConf::parse(text) {
            Ok(conf) => conf,
            Err(e) => panic!("{e}"),
        }
    }

    fn parse_err(text: &str) -> Error {
        match AuthConf::parse(text) {
            Ok(conf) => panic!("unexpectedly parsed: {conf:?}"),
            Err(e) => e,
        }
    }

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> TempDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!(
                "virt_esx-authconf-{}-{tag}-{n}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }

        fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.0.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("create parent");
            }
            std::fs::write(&path, text).expect("write file");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn env_of(vars: &[(&str, &Path)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn parses_groups_and_trims() {
        let conf = parse(SAMPLE);
        assert_eq!(
            conf.lookup("esx", "esx1.example.com", "username"),
            Some("fred")
        );
        assert_eq!(
            conf.lookup("esx", "esx1.example.com", "password"),
            Some("123456")
        );
        assert_eq!(conf.lookup("esx", "other", "username"), Some("bar"));
        assert_eq!(
            conf.lookup("esx", "other", "password"),
            Some("pw with spaces inside")
        );
    }

    #[test]
    fn lookup_prefers_host_group_over_default() {
        let conf = parse(SAMPLE);
        assert_eq!(
            conf.lookup("esx", "esx1.example.com", "username"),
            Some("fred")
        );
        assert_eq!(
            conf.lookup("esx", "esx2.example.com", "username"),
            Some("bar")
        );
        // Host names match exactly, like GKeyFile group names.
        assert_eq!(
            conf.lookup("esx", "ESX1.example.com", "username"),
            Some("bar")
        );
    }

    #[test]
    fn lookup_without_matching_groups() {
        let conf = parse(SAMPLE);
        assert_eq!(conf.lookup("qemu", "h", "username"), None);
        assert_eq!(conf.lookup("esx", "h", "realm"), None);
        let conf = parse("[auth-esx-h]\ncredentials=x\n[credentials-x]\nusername=u\n");
        assert_eq!(conf.lookup("esx", "other", "username"), None);
        assert_eq!(conf.lookup("esx", "h", "password"), None);
        assert_eq!(conf.lookup("esx", "h", "username"), Some("u"));
    }

    #[test]
    fn lookup_missing_credentials_group_or_key() {
        let conf = parse("[auth-esx-default]\ncredentials=nowhere\n");
        assert_eq!(conf.lookup("esx", "h", "username"), None);
        let conf = parse("[auth-esx-default]\nuser=x\n[credentials-x]\nusername=u\n");
        assert_eq!(conf.lookup("esx", "h", "username"), None);
        // The host group wins even if its credentials set is missing: no silent fallback to
        // the default set, which may belong to someone else.
        let conf = parse(
            "[auth-esx-h]\ncredentials=gone\n[auth-esx-default]\ncredentials=d\n\
             [credentials-d]\nusername=u\n",
        );
        assert_eq!(conf.lookup("esx", "h", "username"), None);
        assert_eq!(conf.lookup("esx", "other", "username"), Some("u"));
    }

    #[test]
    fn comments_blank_lines_and_crlf() {
        let text = "\r\n  # indented comment\r\n;semicolon\r\n\t\r\n[credentials-c]\r\n\
                    username=u\r\n  # password=not-this\r\npassword=p#not-a-comment\r\n\
                    [auth-esx-default]\r\ncredentials=c";
        let conf = parse(text);
        assert_eq!(conf.lookup("esx", "h", "username"), Some("u"));
        assert_eq!(conf.lookup("esx", "h", "password"), Some("p#not-a-comment"));
    }

    #[test]
    fn values_may_contain_equals_and_be_empty() {
        let conf = parse(
            "[credentials-c]\npassword = a=b=c\nusername=\n[auth-esx-default]\ncredentials=c\n",
        );
        assert_eq!(conf.lookup("esx", "h", "password"), Some("a=b=c"));
        assert_eq!(conf.lookup("esx", "h", "username"), Some(""));
    }

    #[test]
    fn repeated_groups_merge_and_keys_last_wins() {
        let conf = parse(
            "[credentials-c]\nusername=first\n[auth-esx-default]\ncredentials=c\n\
             [credentials-c]\nusername=second\npassword=p\n",
        );
        assert_eq!(conf.lookup("esx", "h", "username"), Some("second"));
        assert_eq!(conf.lookup("esx", "h", "password"), Some("p"));
    }

    #[test]
    fn empty_file() {
        let conf = parse("");
        assert_eq!(conf.lookup("esx", "h", "username"), None);
    }

    #[test]
    fn syntax_errors_carry_line_numbers() {
        let cases = [
            ("[credentials-c]\nusername=u\njust text\n", 3),
            ("key=value\n", 1),
            ("# c\n\n[unterminated\n", 3),
            ("[]\n", 1),
            ("[a]\n=value\n", 2),
            ("[a]\n[b]]\n", 2),
            ("[a]\r\nok=1\r\n\r\nnope\r\n", 4),
        ];
        for (text, line) in cases {
            let e = parse_err(text);
            assert_eq!(e.code, Code::ConfSyntax, "{text:?}");
            assert_eq!(e.domain, Domain::Conf, "{text:?}");
            assert!(
                e.detail.starts_with(&format!("line {line}: ")),
                "{text:?}: {e}"
            );
        }
        assert_eq!(
            parse_err("key=value\n").message(),
            "configuration file syntax error: line 1: key 'key' appears before any [group]"
        );
    }

    #[test]
    fn debug_output_hides_values() {
        let shown = format!("{:?}", parse(SAMPLE));
        assert!(shown.contains("credentials-test"));
        assert!(shown.contains("password"));
        assert!(!shown.contains("123456"));
    }

    #[test]
    fn locate_explicit_path() {
        let dir = TempDir::new("explicit");
        let file = dir.write("mine.conf", "");
        let system = dir.write("etc/auth.conf", "");
        let env = env_of(&[("HOME", &dir.0)]);
        assert_eq!(
            locate_with(Some(&file), &env, &system).expect("locate"),
            Some(file.clone())
        );

        let missing = dir.0.join("missing.conf");
        let e = locate_with(Some(&missing), &env, &system).expect_err("missing explicit");
        assert_eq!(e.code, Code::ReadFailed);
        assert_eq!(e.domain, Domain::Auth);
        assert!(e.detail.contains("missing.conf"), "{e}");
        assert!(e.detail.contains("authfile="), "{e}");
    }

    #[test]
    fn locate_search_order() {
        let dir = TempDir::new("order");
        let env_file = dir.0.join("env.conf");
        let xdg = dir.0.join("xdg");
        let home = dir.0.join("home");
        let system = dir.0.join("etc/libvirt/auth.conf");
        let env = env_of(&[
            ("LIBVIRT_AUTH_FILE", &env_file),
            ("XDG_CONFIG_HOME", &xdg),
            ("HOME", &home),
        ]);
        let no_env_file = env_of(&[("XDG_CONFIG_HOME", &xdg), ("HOME", &home)]);
        let home_only = env_of(&[("HOME", &home)]);
        let nothing = env_of(&[]);
        let locate = |env: &dyn Fn(&str) -> Option<OsString>| {
            locate_with(None, env, &system).expect("locate")
        };

        // Nothing exists: no file, and a named-but-missing LIBVIRT_AUTH_FILE is an error.
        assert_eq!(locate(&no_env_file), None);
        assert_eq!(locate(&nothing), None);
        let e = locate_with(None, &env, &system).expect_err("missing env file");
        assert!(e.detail.contains("LIBVIRT_AUTH_FILE"), "{e}");

        dir.write("etc/libvirt/auth.conf", "");
        assert_eq!(locate(&no_env_file), Some(system.clone()));
        assert_eq!(locate(&nothing), Some(system.clone()));

        let home_file = dir.write("home/.config/libvirt/auth.conf", "");
        assert_eq!(locate(&home_only), Some(home_file.clone()));
        // XDG_CONFIG_HOME replaces ~/.config rather than adding to it.
        assert_eq!(locate(&no_env_file), Some(system.clone()));

        let xdg_file = dir.write("xdg/libvirt/auth.conf", "");
        assert_eq!(locate(&no_env_file), Some(xdg_file.clone()));

        dir.write("env.conf", "");
        assert_eq!(locate(&env), Some(env_file.clone()));

        // LIBVIRT_AUTH_FILE beats the URI's authfile=, which beats the implicit places.
        let uri_file = dir.write("uri.conf", "");
        assert_eq!(
            locate_with(Some(&uri_file), &env, &system).expect("locate"),
            Some(env_file.clone())
        );
        assert_eq!(
            locate_with(Some(&uri_file), &no_env_file, &system).expect("locate"),
            Some(uri_file)
        );

        // Empty variables count as unset.
        let blank = env_of(&[
            ("LIBVIRT_AUTH_FILE", Path::new("")),
            ("XDG_CONFIG_HOME", Path::new("")),
            ("HOME", &home),
        ]);
        assert_eq!(locate(&blank), Some(home_file));
    }

    #[test]
    fn load_reads_and_parses() {
        let dir = TempDir::new("load");
        let file = dir.write(
            "auth.conf",
            "[credentials-c]\nusername=u\npassword=p\n[auth-esx-h]\ncredentials=c\n",
        );
        let conf = AuthConf::load(Some(&file)).expect("load").expect("some");
        assert_eq!(conf.lookup("esx", "h", "password"), Some("p"));

        let bad = dir.write("bad.conf", "[credentials-c]\noops\n");
        let e = AuthConf::load(Some(&bad)).expect_err("syntax error");
        assert_eq!(e.code, Code::ConfSyntax);
        assert!(e.detail.contains("bad.conf"), "{e}");
        assert!(e.detail.contains("line 2"), "{e}");

        let e = AuthConf::load(Some(&dir.0.join("absent.conf"))).expect_err("absent");
        assert_eq!(e.code, Code::ReadFailed);

        let e = AuthConf::load(Some(&dir.0)).expect_err("a directory");
        assert_eq!(e.code, Code::ReadFailed);
    }
}
