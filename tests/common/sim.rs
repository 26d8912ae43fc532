//! govmomi's vSphere simulator (ESX or vCenter mode) on a free loopback port, started through
//! tools/vcsim's launcher and stopped (by PID) when the handle drops; shared by every test crate.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;

pub struct Sim {
    child: Child,
    /// `https://127.0.0.1:PORT/sdk`
    pub url: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
    pub ca: Option<PathBuf>,
    args: Vec<String>,
    _dir: tempdir::Dir,
}

mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The project's top folder (the package's own, or the one above a workspace member's).
fn root() -> &'static Path {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .find(|d| d.join("tools/vcsim/build.sh").exists())
        .unwrap_or(here)
}

fn launcher() -> PathBuf {
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let ok = Command::new(root().join("tools/vcsim/build.sh"))
            .status()
            .expect("run tools/vcsim/build.sh")
            .success();
        assert!(
            ok,
            "building the simulator launcher failed (run `make deps`)"
        );
    });
    root().join("target/vcsim-launcher")
}

impl Sim {
    pub fn esx() -> Sim {
        Sim::start(&["-mode", "esx"])
    }

    pub fn vpx() -> Sim {
        Sim::start(&["-mode", "vpx"])
    }

    pub fn start(args: &[&str]) -> Sim {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "libvirt-esx-sim-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new(launcher())
            .args(args)
            .arg("-cert-dir")
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("SIM_STDERR").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("start the simulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("URL="))
            .unwrap_or_else(|| panic!("simulator said {line:?}"))
            .to_string();
        let ca = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("CA="))
            .filter(|c| *c != "-")
            .map(PathBuf::from);
        let addr = url
            .split("://")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap()
            .to_string();
        Sim {
            child,
            url,
            addr,
            ca,
            args: args.iter().map(|a| a.to_string()).collect(),
            _dir: tempdir::Dir(dir),
        }
    }

    /// Stops the simulator and starts it again on the same address, as a server restarts:
    /// its sessions, collectors and tasks are gone and its inventory is the model's again.
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let addr = self.addr.clone();
        args.extend(["-listen", &addr]);
        *self = Sim::start(&args);
    }

    /// A URI of `scheme` for this simulator with the given path and query.
    pub fn uri(&self, scheme: &str, path_and_query: &str) -> String {
        format!("{scheme}://{}{path_and_query}", self.addr)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
