//! virsh-esx against Debian's virsh (libvirt-clients 9.0, libvirt's own ESX driver), command by
//! command on the simulator: read-only commands on one simulator, state changes on two of the
//! same kind (one per tool), outputs and exit statuses compared byte for byte.

#[path = "../../tests/common/sim.rs"]
#[allow(dead_code)]
mod sim;

use sim::Sim;
use std::path::PathBuf;
use std::process::Command;

/// One run's standard output, standard error and exit status.
#[derive(Debug, PartialEq)]
struct Run {
    out: String,
    err: String,
    status: i32,
}

/// An auth.conf answering the simulator's login, and libvirt's own log kept off stderr.
struct Env {
    auth: PathBuf,
}

impl Env {
    fn new() -> Env {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let auth =
            std::env::temp_dir().join(format!("virsh-esx-auth-{}-{n}.conf", std::process::id()));
        std::fs::write(
            &auth,
            "[credentials-sim]\nusername=root\npassword=pw\n[auth-esx-127.0.0.1]\ncredentials=sim\n[auth-vpx-127.0.0.1]\ncredentials=sim\n",
        )
        .unwrap();
        Env { auth }
    }

    /// Runs `cmd` with virsh-esx and checks it printed exactly `out`, nothing on stderr, and
    /// succeeded.
    fn says(&self, uri: &str, cmd: &str, out: &str) {
        let r = self.run(OURS, uri, &words(cmd));
        assert_eq!(
            (r.out.as_str(), r.err.as_str(), r.status),
            (out, "", 0),
            "{cmd}"
        );
    }

    fn run(&self, program: &str, uri: &str, args: &[&str]) -> Run {
        let mut all = vec!["-c", uri];
        all.extend(args);
        self.run_with(program, &all, &[])
    }

    /// A run with exactly these arguments and these extra environment variables.
    fn run_with(&self, program: &str, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let out = Command::new(program)
            .args(args)
            .env("LIBVIRT_AUTH_FILE", &self.auth)
            .env("LIBVIRT_LOG_OUTPUTS", "1:file:/dev/null")
            .env_remove("LIBVIRT_DEFAULT_URI")
            .env_remove("VIRSH_DEFAULT_CONNECT_URI")
            .envs(vars.iter().copied())
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e} (Debian's libvirt-clients: make deps)"));
        Run {
            out: String::from_utf8_lossy(&out.stdout).into_owned(),
            err: String::from_utf8_lossy(&out.stderr).into_owned(),
            status: out.status.code().unwrap_or(-1),
        }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.auth);
    }
}

const OURS: &str = env!("CARGO_BIN_EXE_virsh-esx");
const VIRSH: &str = "virsh";

fn uri(sim: &Sim) -> String {
    format!("esx://{}/?no_verify=1", sim.addr)
}

/// What the library shows beyond libvirt's ESX driver: the CPU time it reads from the host's
/// counters (libvirt's driver reports none, so virsh leaves the line out), and the VM's
/// hardware version and guest OS in the domain XML's vmware namespace.
fn beyond_libvirt(mut r: Run) -> Run {
    r.out = r
        .out
        .lines()
        .filter(|l| {
            !l.starts_with("CPU time:")
                && !l.trim_start().starts_with("<vmware:virtualhw>")
                && !l.trim_start().starts_with("<vmware:guestos>")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    r
}

#[test]
fn read_only_commands_print_what_virsh_prints() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let cmds = [
        "list",
        "list --all",
        "list --inactive",
        "list --name",
        "list --uuid",
        "list --name --uuid --all",
        "list --title",
        "list --all --state-running",
        "list --all --state-shutoff",
        "-q list",
        "dominfo ha-host_VM0",
        "dominfo 9",
        "dominfo b03b24de-847f-5b0d-85f4-221b300038a8",
        "-q dominfo --domain=ha-host_VM1",
        "domstate ha-host_VM0",
        "domstate --reason ha-host_VM0",
        "domid ha-host_VM0",
        "domuuid ha-host_VM0",
        "domname 9",
        "hostname",
        "uri",
        "nodeinfo",
        "capabilities",
        "freecell",
        "dumpxml ha-host_VM0",
        "dumpxml --inactive --security-info 12",
        "hostname; uri; domstate ha-host_VM1",
        "domblklist ha-host_VM0",
        "domblklist --details --inactive ha-host_VM0",
        "-q domblklist ha-host_VM1",
        "domiflist ha-host_VM0",
        "domiflist ha-host_VM1 --inactive",
        "schedinfo ha-host_VM0",
        "schedinfo ha-host_VM0 --set bogus=1",
        "schedinfo ha-host_VM0 --set shares",
        "schedinfo ha-host_VM0 --set shares=x",
        "schedinfo ha-host_VM0 --set shares=1 --set shares=2",
        "schedinfo ha-host_VM0 --weight 5",
        "schedinfo ha-host_VM0 --current --live",
        "complete -- list --a",
        "iface-name 00:0c:29:81:d8:a0",
        "iface-name 00:00:00:00:00:00",
        "iface-dumpxml 00:0c:29:81:d8:a0",
        "domif-getlink ha-host_VM0 00:0c:29:38:61:38",
        "domif-getlink ha-host_VM0 00:0c:29:38:61:39",
        "domif-getlink ha-host_VM0 nope",
        "domhostname ha-host_VM0",
        "vncdisplay ha-host_VM0",
        "pwd",
        "echo a b <x>; echo --xml <x>; echo --shell a 'b c'",
        "cd /tmp",
        "quit",
        "exit; hostname",
        "net-autostart vSwitch0",
        "pool-autostart LocalDS_0",
        "complete -- snapshot-list x --t",
        "complete -- dominfo ha-host_VM",
        "complete -- domstate x --",
        "pool-list",
        "pool-list --all --details",
        "pool-list --name",
        "pool-list --uuid --name",
        "pool-list --inactive",
        "pool-list --type bogus",
        "pool-list --all --inactive",
        "pool-list --details --name",
        "-q pool-list",
        "pool-info LocalDS_0",
        "pool-info LocalDS_0 --bytes",
        "pool-info nope",
        "pool-dumpxml LocalDS_0",
        "pool-uuid LocalDS_0",
        "pool-name LocalDS_0",
        "vol-path --pool LocalDS_0 ha-host_VM0/disk1.vmdk",
        "vol-key --pool LocalDS_0 ha-host_VM0/disk1.vmdk",
        "vol-pool --uuid '[LocalDS_0] ha-host_VM0/disk1.vmdk'; vol-name '[LocalDS_0] ha-host_VM0/disk1.vmdk'",
        "vol-path --pool nope x",
        "net-list",
        "net-list --all",
        "net-list --name",
        "net-list --uuid",
        "net-list --inactive",
        "net-list --name --uuid",
        "net-info vSwitch0",
        "net-dumpxml vSwitch0",
        "net-uuid vSwitch0",
        "net-info nope",
        // virsh's errors: lookups, grammar, and a read-only connection.
        "dominfo nope",
        "domname ha-host_VM0",
        "dominfo",
        "dominfo a b",
        "domstate --bogus x",
        "domstate --reason=1 ha-host_VM0",
        "dominfo ha-host_VM0 --domain ha-host_VM0",
        "dominfo --domain",
        "nosuchcmd",
        "list --all extra",
        "-r destroy ha-host_VM1",
        "dominfo nope; hostname",
        "hostname; dominfo nope",
    ];
    compare(&env, &u, &u, &cmds, exactly);
}

/// The same on a vCenter (a host's scope), where VMs sit on distributed switches.
#[test]
fn read_only_commands_on_a_vcenter_print_what_virsh_prints() {
    let sim = Sim::vpx();
    let env = Env::new();
    let u = format!("vpx://{}/DC0/DC0_C0/DC0_C0_H0?no_verify=1", sim.addr);
    let vm = env.run(VIRSH, &u, &["list", "--all", "--name"]).out;
    let vm = vm.lines().next().unwrap();
    let cmds = [
        "list --all".to_string(),
        format!("dominfo {vm}"),
        format!("domstate --reason {vm}"),
        format!("domblklist --details {vm}"),
        format!("domiflist {vm}"),
        format!("schedinfo {vm}"),
        format!("snapshot-list {vm}"),
        "nodeinfo".into(),
        "hostname".into(),
        "uri".into(),
        "capabilities".into(),
        "freecell".into(),
        "pool-list --all --details".into(),
        "dominfo nope".into(),
    ];
    compare(&env, &u, &u, &cmds, exactly);
}

#[test]
fn state_changes_print_what_virsh_prints() {
    let (a, b) = (Sim::esx(), Sim::esx());
    let env = Env::new();
    // The definition both tools define again after undefining it: virsh's dump of the VM.
    let xml = std::env::temp_dir().join(format!("virsh-esx-def-{}.xml", std::process::id()));
    std::fs::write(
        &xml,
        env.run(VIRSH, &uri(&a), &["dumpxml", "ha-host_VM1"]).out,
    )
    .unwrap();
    let define = format!("define {}", xml.display());
    let net = std::env::temp_dir().join(format!("virsh-esx-net-{}.xml", std::process::id()));
    std::fs::write(
        &net,
        "<network><name>vSwitchT</name><forward mode='bridge'><interface dev='vmnic1'/>\
         </forward><portgroup name='pgT0'/></network>\n",
    )
    .unwrap();
    let net_define = format!("net-define {}", net.display());
    let cmds = [
        "destroy ha-host_VM1",
        "list --all",
        "dominfo ha-host_VM1",
        "domstate --reason ha-host_VM1",
        "domid ha-host_VM1",
        "start ha-host_VM1",
        "start ha-host_VM1",
        "suspend ha-host_VM1",
        "list",
        "resume ha-host_VM1",
        "shutdown ha-host_VM1",
        "list --all --name",
        "-q start ha-host_VM1",
        "list",
        "start nope",
        "undefine ha-host_VM1",
        "destroy ha-host_VM1",
        "undefine ha-host_VM1",
        "list --all",
        &define,
        "list --all",
        "define /nonexistent.xml",
        "schedinfo ha-host_VM1 --set shares=2000",
        "schedinfo ha-host_VM1 --set limit=500 --set reservation=10",
        "schedinfo ha-host_VM1 --set reservation=-5",
        "schedinfo ha-host_VM1",
        "autostart ha-host_VM1",
        "dominfo ha-host_VM1",
        "autostart --disable ha-host_VM1",
        "setvcpus ha-host_VM1 2",
        "setvcpus ha-host_VM1 x",
        "dominfo ha-host_VM1",
        "domxml-to-native vmware-vmx /nonexistent",
        "vol-create-as LocalDS_0 u/u.vmdk 1M --format vmdk",
        "vol-create-as LocalDS_0 u/c.vmdk 1M --format vmdk --backing-vol u/u.vmdk \
         --backing-vol-format vmdk --print-xml",
        "vol-path --pool LocalDS_0 u/u.vmdk",
        "vol-delete --pool LocalDS_0 u/u.vmdk",
        "pool-refresh LocalDS_0",
        &net_define,
        "net-list --all",
        "net-update vSwitchT add bogus <x/>",
        "net-update vSwitchT bogus portgroup <x/>",
        "net-update vSwitchT delete portgroup /nonexistent",
        "net-undefine vSwitchT",
        "net-list --all",
    ];
    compare(&env, &uri(&a), &uri(&b), &cmds, exactly);
    let _ = std::fs::remove_file(&xml);
    let _ = std::fs::remove_file(&net);
    // The servers' own view, read by libvirt's driver: both ended the same.
    for cmd in ["list --all", "dominfo ha-host_VM1"] {
        let args = words(cmd);
        assert_eq!(
            env.run(VIRSH, &uri(&b), &args),
            env.run(VIRSH, &uri(&a), &args),
            "{cmd}"
        );
    }
}

/// Runs each command with Debian's virsh on `theirs` and with virsh-esx on `ours` (one
/// simulator, or two of the same kind in the same state) and compares what they print, both
/// passed through `same` (what may differ without being wrong, such as `without_times`).
fn compare<C: AsRef<str>>(env: &Env, theirs: &str, ours: &str, cmds: &[C], same: fn(Run) -> Run) {
    for cmd in cmds {
        let args = words(cmd.as_ref());
        let t = env.run(VIRSH, theirs, &args);
        let o = beyond_libvirt(env.run(OURS, ours, &args));
        assert_eq!(same(o), same(t), "virsh-esx {}", cmd.as_ref());
    }
}

/// `compare`'s `same` when nothing may differ.
fn exactly(r: Run) -> Run {
    r
}

/// The run with the times the two simulators took their snapshots at (a second apart, perhaps)
/// blanked: `YYYY-MM-DD hh:mm:ss` in tables, `<creationTime>` in XML, and the name of a
/// snapshot created without one (the time in seconds).
fn without_times(mut r: Run) -> Run {
    let shape = |w: &[u8]| {
        w.iter().zip(b"dddd-dd-dd dd:dd:dd").all(|(c, s)| {
            if *s == b'd' {
                c.is_ascii_digit()
            } else {
                c == s
            }
        })
    };
    let mut out = String::new();
    let mut rest = r.out.as_str();
    while !rest.is_empty() {
        if rest.len() >= 19 && shape(&rest.as_bytes()[..19]) {
            out.push_str("<time>");
            rest = &rest[19..];
        } else if let Some(after) = rest.strip_prefix("<creationTime>") {
            out.push_str("<creationTime>");
            rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
        } else if let Some(after) = rest.strip_prefix("Domain snapshot ") {
            // A snapshot created without a name is named after the second it was taken.
            out.push_str("Domain snapshot ");
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 10 {
                out.push_str("<time>");
            }
            rest = &after[if digits == 10 { 10 } else { 0 }..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    r.out = out;
    r
}

/// The lines of a run's standard output.
fn lines(r: &Run) -> Vec<&str> {
    r.out.lines().filter(|l| !l.is_empty()).collect()
}

#[test]
fn snapshot_commands_print_what_virsh_prints() {
    let (a, b) = (Sim::esx(), Sim::esx());
    let env = Env::new();
    compare(
        &env,
        &uri(&a),
        &uri(&b),
        &[
            "snapshot-list ha-host_VM1",
            "snapshot-current ha-host_VM1",
            "snapshot-current ha-host_VM1 --name",
            "snapshot-create-as ha-host_VM1 s1 --description=first-one",
            "snapshot-create-as ha-host_VM1 b",
            "snapshot-create-as --domain ha-host_VM1 --name A",
            "snapshot-revert ha-host_VM1 s1",
            "snapshot-create-as ha-host_VM1 c2",
            "snapshot-list ha-host_VM1",
            "snapshot-list ha-host_VM1 --name",
            "snapshot-list ha-host_VM1 --tree",
            "snapshot-list ha-host_VM1 --parent",
            "snapshot-list ha-host_VM1 --roots",
            "snapshot-list ha-host_VM1 --leaves",
            "snapshot-list ha-host_VM1 --from s1",
            "snapshot-list ha-host_VM1 --from s1 --tree",
            "snapshot-list ha-host_VM1 --from s1 --descendants",
            "snapshot-list ha-host_VM1 --current --parent",
            "snapshot-list ha-host_VM1 --active --internal",
            "snapshot-list ha-host_VM1 --metadata",
            "snapshot-list ha-host_VM1 --no-metadata --name",
            "-q snapshot-list ha-host_VM1",
            "snapshot-info ha-host_VM1 s1",
            "snapshot-info ha-host_VM1 --current",
            "snapshot-current ha-host_VM1",
            "snapshot-current ha-host_VM1 --name",
            "snapshot-parent ha-host_VM1 b",
            "snapshot-parent ha-host_VM1 s1",
            "snapshot-parent ha-host_VM1 --current",
            "snapshot-dumpxml ha-host_VM1 s1",
            "snapshot-revert ha-host_VM1 s1 --force",
            "snapshot-delete ha-host_VM1 b",
            "snapshot-list ha-host_VM1 --tree",
            "snapshot-create-as ha-host_VM1 --print-xml x --memspec file=/a,snapshot=external \
             --diskspec vda,snapshot=external,driver=qcow2,file=/b --diskspec sdb",
            "snapshot-create-as ha-host_VM1 --disk-only x",
            "snapshot-create-as ha-host_VM1 --halt h",
            "dominfo ha-host_VM1",
            "snapshot-delete ha-host_VM1 s1 --children",
            "-q snapshot-create-as ha-host_VM1 q",
            "snapshot-delete --current ha-host_VM1",
            "snapshot-list ha-host_VM1",
            "snapshot-create ha-host_VM1",
            "undefine ha-host_VM1 --snapshots-metadata",
            "list --all --name",
            // virsh's errors.
            "snapshot-list ha-host_VM1 --tree --name",
            "snapshot-list ha-host_VM1 --parent --roots",
            "snapshot-list ha-host_VM1 --descendants",
            "snapshot-list ha-host_VM1 --from s1 --current",
            "snapshot-list ha-host_VM0 --from nope",
            "snapshot-info ha-host_VM0",
            "snapshot-info ha-host_VM0 s1 --current",
            "snapshot-current ha-host_VM0 --name s1",
            "snapshot-dumpxml ha-host_VM0 nope",
            "snapshot-dumpxml ha-host_VM0",
            "snapshot-revert ha-host_VM0 nope",
            "snapshot-delete ha-host_VM0",
            "snapshot-create-as ha-host_VM0 --print-xml x --memspec a,b",
            "snapshot-create-as ha-host_VM0 --print-xml --diskspec d,bogus",
            "snapshot-create ha-host_VM0 /nonexistent",
            "undefine ha-host_VM0 --nvram --keep-nvram",
        ],
        without_times,
    );
}

/// Where libvirt's ESX driver refuses a snapshot call (flags it does not know) or answers
/// wrongly, virsh-esx's answer, checked with libvirt's driver reading the server.
#[test]
fn snapshot_commands_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let run = |program: &str, cmd: &str| env.run(program, &u, &words(cmd));
    for cmd in ["destroy ha-host_VM1", "snapshot-create-as ha-host_VM1 off"] {
        assert_eq!(run(OURS, cmd).status, 0, "{cmd}");
    }
    for cmd in ["start ha-host_VM1", "snapshot-create-as ha-host_VM1 on"] {
        assert_eq!(run(OURS, cmd).status, 0, "{cmd}");
    }
    // libvirt's driver ignores the state filters (it lists "on" as taken of a stopped domain)
    // and refuses --no-leaves and --topological.
    assert_eq!(
        lines(&run(VIRSH, "snapshot-list ha-host_VM1 --inactive")).len(),
        4
    );
    assert_eq!(
        run(VIRSH, "snapshot-list ha-host_VM1 --no-leaves").status,
        1
    );
    let inactive = run(OURS, "snapshot-list ha-host_VM1 --inactive --name");
    assert_eq!(lines(&inactive), ["off"]);
    let inner = run(OURS, "snapshot-list ha-host_VM1 --no-leaves --name");
    assert_eq!(lines(&inner), ["off"]);
    let ordered = run(OURS, "snapshot-list ha-host_VM1 --topological --name");
    assert_eq!(lines(&ordered), ["off", "on"]);
    // Revert to the stopped snapshot and run it (libvirt's driver refuses --running).
    assert_eq!(
        run(VIRSH, "snapshot-revert ha-host_VM1 off --running").status,
        1
    );
    let r = run(OURS, "snapshot-revert ha-host_VM1 off --running");
    assert_eq!(r.out, "Domain snapshot off reverted\n\n", "{r:?}");
    assert_eq!(run(VIRSH, "domstate ha-host_VM1").out, "running\n\n");
    // Delete the children only (libvirt's driver refuses --children-only).
    let r = run(OURS, "snapshot-delete ha-host_VM1 off --children-only");
    assert_eq!(r.out, "Domain snapshot off children deleted\n\n", "{r:?}");
    assert_eq!(
        lines(&run(VIRSH, "snapshot-list ha-host_VM1 --name")),
        ["off"]
    );
}

/// What libvirt's ESX driver cannot answer (it lacks the call, crashes, or lists nothing), in
/// virsh's format, with the values checked against what libvirt's driver reads elsewhere.
#[test]
fn monitoring_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let ours = |cmd: &str| {
        let r = env.run(OURS, &u, &words(cmd));
        assert_eq!((r.status, r.err.as_str()), (0, ""), "{cmd}: {r:?}");
        r.out
    };
    let field = |out: &str, label: &str| -> String {
        let line = out.lines().find(|l| l.starts_with(label));
        let line = line.unwrap_or_else(|| panic!("{label} in {out}"));
        line[label.len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string()
    };
    let info = env.run(VIRSH, &u, &["dominfo", "ha-host_VM0"]).out;
    let node = env.run(VIRSH, &u, &["nodeinfo"]).out;
    // Memory: the configured size is dominfo's maximum; the host's total is nodeinfo's.
    let mem = ours("dommemstat ha-host_VM0");
    assert_eq!(field(&mem, "available "), field(&info, "Max memory:"));
    let host = ours("nodememstats");
    assert_eq!(field(&host, "total  :"), field(&node, "Memory size:"));
    // vCPUs: the count dominfo gives, four rows while running.
    let cpus = field(&info, "CPU(s):");
    let count = ours("vcpucount ha-host_VM0");
    assert_eq!(
        count.lines().filter(|l| !l.is_empty()).count(),
        4,
        "{count}"
    );
    assert_eq!(field(&count, "maximum      config"), cpus);
    let vcpus = ours("vcpuinfo ha-host_VM0");
    assert_eq!(vcpus.matches("VCPU:").count().to_string(), cpus);
    // Counters and sizes, in virsh's layouts.
    for (cmd, first) in [
        ("domblkstat ha-host_VM0 sda", "sda rd_req "),
        ("domblkstat ha-host_VM0 sda --human", "Device: sda"),
        ("domblkinfo ha-host_VM0 sda", "Capacity:       "),
        ("domblkinfo ha-host_VM0 --all", " Target   Capacity"),
        ("domcontrol ha-host_VM0", "ok"),
        ("domjobinfo ha-host_VM0", "Job type:         None"),
        ("cpu-stats ha-host_VM0 --total", "Total:"),
        ("memtune ha-host_VM0", "hard_limit     : "),
        (
            "domstats --state ha-host_VM1",
            "Domain: 'ha-host_VM1'\n  state.state=1",
        ),
        ("nodecpustats", "user:           "),
        ("iface-list", " Name     State    MAC Address"),
        ("pool-list --type dir", " Name        State    Autostart"),
    ] {
        let out = ours(cmd);
        assert!(out.starts_with(first), "{cmd}: {out}");
    }
    // Volumes: libvirt's driver cannot list them ("AnyType is missing 'type' property") and
    // crashes on vol-info; its vol-path finds the same file.
    assert_eq!(env.run(VIRSH, &u, &["vol-list", "LocalDS_0"]).status, 1);
    let vols = ours("vol-list LocalDS_0");
    let path = env.run(
        VIRSH,
        &u,
        &["vol-path", "--pool", "LocalDS_0", "ha-host_VM0/disk1.vmdk"],
    );
    assert!(vols.contains(path.out.trim()), "{vols}");
    let vol = ours("vol-info --pool LocalDS_0 ha-host_VM0/disk1.vmdk");
    assert!(vol.starts_with("Name:           ha-host_VM0/disk1.vmdk\nType:           file\n"));
}

/// libvirt's client configuration in a place of the test's own: the system file for root
/// (what libvirt reads then; the original comes back when the test ends), else
/// `$XDG_CONFIG_HOME/libvirt/libvirt.conf` under a fresh directory.
struct ClientConf {
    path: PathBuf,
    saved: Option<Vec<u8>>,
    xdg: PathBuf,
}

impl ClientConf {
    fn write(text: &str) -> ClientConf {
        use std::os::unix::fs::MetadataExt;
        let xdg = std::env::temp_dir().join(format!("virsh-esx-xdg-{}", std::process::id()));
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        let path = match root {
            true => PathBuf::from("/etc/libvirt/libvirt.conf"),
            false => xdg.join("libvirt/libvirt.conf"),
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::create_dir_all(&xdg).unwrap();
        let saved = std::fs::read(&path).ok();
        std::fs::write(&path, text).unwrap();
        ClientConf { path, saved, xdg }
    }
}

impl Drop for ClientConf {
    fn drop(&mut self) {
        match &self.saved {
            Some(original) => drop(std::fs::write(&self.path, original)),
            None => drop(std::fs::remove_file(&self.path)),
        }
        let _ = std::fs::remove_dir_all(&self.xdg);
    }
}

/// A reader that has gone (`virsh-esx list | head -1`) ends the run as virsh's SIGPIPE does
/// in a shell's eyes (status 141), without a word on stderr; std's println! would panic.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let help_into_closed_pipe = |program: &str| {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Command::new(program)
            .arg("help")
            .stdout(writer)
            .output()
            .unwrap()
    };
    let ours = help_into_closed_pipe(OURS);
    assert_eq!(String::from_utf8_lossy(&ours.stderr), "");
    assert_eq!(ours.status.code(), Some(141));
    let theirs = help_into_closed_pipe(VIRSH);
    assert_eq!(theirs.status.signal(), Some(13), "virsh dies of SIGPIPE");
}

/// The URI from libvirt.conf: `uri_default` without `-c`, an alias of `uri_aliases` with `-c`
/// or `VIRSH_DEFAULT_CONNECT_URI`, as virsh (libvirt) resolves them.
#[test]
fn uri_default_and_aliases_come_from_libvirt_conf() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let conf = ClientConf::write(&format!(
        "# written by virsh-esx's tests\nuri_default = \"{u}\"\nuri_aliases = [\n  \"sim={u}\",\n  'other=esx://nowhere/',\n]\n"
    ));
    let xdg = conf.xdg.to_str().unwrap();
    for (args, vars) in [
        (vec!["uri"], vec![]),
        (vec!["list", "--all"], vec![]),
        (vec!["-c", "sim", "uri"], vec![]),
        (vec!["-c", "sim", "domstate", "ha-host_VM0"], vec![]),
        (vec!["uri"], vec![("VIRSH_DEFAULT_CONNECT_URI", "sim")]),
        (vec!["uri"], vec![("LIBVIRT_DEFAULT_URI", "sim")]),
    ] {
        let mut vars = vars;
        vars.push(("XDG_CONFIG_HOME", xdg));
        let theirs = env.run_with(VIRSH, &args, &vars);
        let ours = env.run_with(OURS, &args, &vars);
        assert_eq!(ours, theirs, "{args:?} {vars:?}");
        assert_eq!(ours.status, 0, "{ours:?}");
    }
}

/// Runs `program` with `args` on a terminal (`script` gives it one), typing each answer after
/// a prompt's `: ` as OpenNebula's driver did, with no auth.conf to be found; the terminal's
/// whole output.
fn on_a_terminal(program: &str, args: &str, answers: &[&str]) -> String {
    on_a_terminal_after(program, args, answers, b": ", &[])
}

/// As `on_a_terminal`, typing after each output that ends with `prompt`, with `vars` set.
fn on_a_terminal_after(
    program: &str,
    args: &str,
    answers: &[&str],
    prompt: &[u8],
    vars: &[(&str, &str)],
) -> String {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let xdg = std::env::temp_dir().join(format!("virsh-esx-tty-{}", std::process::id()));
    std::fs::create_dir_all(&xdg).unwrap();
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &format!("{program} {args}"), "/dev/null"])
        .env_remove("LIBVIRT_AUTH_FILE")
        .env_remove("LIBVIRT_DEFAULT_URI")
        .env("XDG_CONFIG_HOME", &xdg)
        .env("LIBVIRT_LOG_OUTPUTS", "1:file:/dev/null")
        .envs(vars.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script (util-linux) gives the command a terminal");
    // With nothing to type, the input ends at once (script runs until it does).
    let (mut out, mut typed) = (
        child.stdout.take().unwrap(),
        child.stdin.take().filter(|_| !answers.is_empty()),
    );
    // A prompt that never comes fails the test instead of hanging it.
    let pid = child.id().to_string();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        let _ = Command::new("pkill").args(["-P", &pid]).status();
    });
    let (mut seen, mut buf, mut answers) = (Vec::new(), [0u8; 512], answers.iter());
    // Where the output since the last answer starts: a prompt is looked for there (a line
    // editor follows it with its own escape sequences).
    let mut mark = 0;
    loop {
        let n = out.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        if seen[mark..].windows(prompt.len()).any(|w| w == prompt)
            && let (Some(a), Some(t)) = (answers.next(), typed.as_mut())
        {
            // Typed as a person (or OpenNebula's expect) would, after the prompt settles:
            // virsh turns echo off after printing the prompt and drops what came before.
            std::thread::sleep(std::time::Duration::from_millis(300));
            t.write_all(format!("{a}\n").as_bytes()).unwrap();
            mark = seen.len();
            // script runs until its input ends: end it once the last answer is typed.
            if answers.len() == 0 {
                typed = None;
            }
        }
    }
    let _ = child.wait();
    drop(watchdog);
    let _ = std::fs::remove_dir_all(&xdg);
    String::from_utf8_lossy(&seen).into_owned()
}

/// virsh's credential prompts on a terminal, the password unechoed, answered as OpenNebula's
/// VMware driver answered them: the same bytes from both tools.
#[test]
fn terminal_prompts_are_virshs() {
    let sim = Sim::esx();
    let args = format!("-c '{}' dominfo ha-host_VM0", uri(&sim));
    let theirs = on_a_terminal(VIRSH, &args, &["root", "pw"]);
    let ours = on_a_terminal(OURS, &args, &["root", "pw"]);
    assert!(
        theirs.contains(
            "Enter username for 127.0.0.1 [root]: root\r\nEnter root's password for 127.0.0.1: \r\n"
        ),
        "{theirs:?}"
    );
    // Debian's virsh also says, on a terminal, that it found no polkit agent; there is no
    // polkit in the library's world. Our CPU time is beyond libvirt's driver.
    let drop_lines = |s: &str, prefix: &str| -> String {
        s.split_inclusive('\n')
            .filter(|l| !l.starts_with(prefix))
            .collect()
    };
    assert_eq!(
        drop_lines(&ours, "CPU time:"),
        drop_lines(&theirs, "Authorization not available.")
    );
}

/// Domain changes libvirt's ESX driver does not make (memory, managed save, rename,
/// description, metadata, screenshot, create, edit), each checked with an independent read.
#[test]
fn domain_changes_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let dir = std::env::temp_dir().join(format!("virsh-esx-changes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ours = |cmd: &str, vars: &[(&str, &str)]| {
        let mut args = vec!["-c", u.as_str()];
        args.extend(words(cmd));
        env.run_with(OURS, &args, vars)
    };
    let theirs = |cmd: &str| env.run(VIRSH, &u, &words(cmd)).out;
    let says = |cmd: &str, out: &str| {
        let r = ours(cmd, &[]);
        assert_eq!(
            (r.out.as_str(), r.err.as_str(), r.status),
            (out, "", 0),
            "{cmd}"
        );
    };
    says("setmem ha-host_VM1 16M", "\n");
    assert!(theirs("dominfo ha-host_VM1").contains("Used memory:    16384 KiB"));
    says(
        "managedsave ha-host_VM1",
        "Domain 'ha-host_VM1' state saved by libvirt\n\n",
    );
    assert_eq!(theirs("domstate ha-host_VM1"), "paused\n\n");
    says(
        "managedsave-remove ha-host_VM1",
        "Removed managedsave image for domain 'ha-host_VM1'\n",
    );
    assert_eq!(theirs("domstate ha-host_VM1"), "shut off\n\n");
    says(
        "desc ha-host_VM1",
        "No description for domain: ha-host_VM1\n",
    );
    says(
        "desc ha-host_VM1 two words",
        "Domain description updated successfully\n",
    );
    assert!(theirs("dumpxml ha-host_VM1").contains("<description>two words</description>"));
    says("desc ha-host_VM1", "two words\n");
    says(
        "metadata ha-host_VM1 http://example.org/x --key x --set <tag/>",
        "Metadata modified\n\n",
    );
    says(
        "metadata ha-host_VM1 http://example.org/x",
        "<x:tag xmlns:x=\"http://example.org/x\"/>\n\n",
    );
    says(
        "metadata ha-host_VM1 http://example.org/x --remove",
        "Metadata removed\n\n",
    );
    let shot = dir.join("shot.png");
    says(
        &format!("screenshot ha-host_VM0 {}", shot.display()),
        &format!(
            "Screenshot saved to {}, with type of image/png\n\n",
            shot.display()
        ),
    );
    assert!(std::fs::read(&shot).unwrap().starts_with(b"\x89PNG"));
    says(
        "domrename ha-host_VM1 renamed",
        "Domain successfully renamed\n\n",
    );
    assert!(theirs("list --all --name").contains("renamed\n"));
    // edit: $EDITOR doubles the memory; libvirt's driver reads the new size.
    let editor = dir.join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i -e 's/>32768</>65536</g' \"$1\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let r = ours("edit renamed", &[("EDITOR", editor.to_str().unwrap())]);
    assert_eq!(
        r.out, "Domain 'renamed' XML configuration edited.\n\n",
        "{r:?}"
    );
    assert!(theirs("dominfo renamed").contains("Max memory:     65536 KiB"));
    let r = ours("edit renamed", &[("EDITOR", "true")]);
    assert_eq!(
        r.out, "Domain 'renamed' XML configuration not changed.\n\n",
        "{r:?}"
    );
    // create: the definition back, started at once.
    let xml = dir.join("dom.xml");
    std::fs::write(&xml, theirs("dumpxml renamed")).unwrap();
    says(
        "undefine renamed",
        "Domain 'renamed' has been undefined\n\n",
    );
    says(
        &format!("create {}", xml.display()),
        &format!("Domain 'renamed' created from {}\n\n", xml.display()),
    );
    assert_eq!(theirs("domstate renamed"), "running\n\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Device hot-plug, which libvirt's ESX driver lacks, checked through libvirt's driver's own
/// reads of the VM's devices.
#[test]
fn device_commands_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let run = |program: &str, cmd: &str| env.run(program, &u, &words(cmd));
    let ours = |cmd: &str, out: &str| {
        let r = run(OURS, cmd);
        assert_eq!((r.out.as_str(), r.err.as_str()), (out, ""), "{cmd}");
    };
    let theirs = |cmd: &str| run(VIRSH, cmd).out;
    assert!(
        run(VIRSH, "attach-interface ha-host_VM0 bridge x")
            .err
            .contains("not supported")
    );
    ours(
        "attach-interface ha-host_VM0 bridge VM\\ Network --model vmxnet3 --mac 00:50:56:00:00:42;",
        "Interface attached successfully\n\n",
    );
    assert!(theirs("domiflist ha-host_VM0").contains("vmxnet3   00:50:56:00:00:42"));
    let r = run(OURS, "detach-interface ha-host_VM0 bridge");
    assert_eq!(
        r.err,
        "error: Domain has 2 interfaces. Please specify which one to detach using --mac\n"
    );
    ours(
        "detach-interface ha-host_VM0 bridge --mac 00:50:56:00:00:42",
        "Interface detached successfully\n\n",
    );
    assert!(!theirs("domiflist ha-host_VM0").contains("00:50:56:00:00:42"));
    ours(
        "attach-disk ha-host_VM0 '[LocalDS_0] ha-host_VM1/disk1.vmdk' sdb;",
        "Disk attached successfully\n\n",
    );
    assert!(
        theirs("domblklist ha-host_VM0").contains(" sdb      [LocalDS_0] ha-host_VM1/disk1.vmdk")
    );
    ours(
        "detach-disk ha-host_VM0 sdb",
        "Disk detached successfully\n\n",
    );
    assert!(!theirs("domblklist ha-host_VM0").contains("sdb"));
    let r = run(OURS, "detach-disk ha-host_VM0 sdz");
    assert_eq!(
        r.err,
        "error: No disk found whose source path or target is sdz\n"
    );
    // A CD-ROM on the stopped VM: attached, its media changed, then ejected.
    ours("destroy ha-host_VM1", "Domain 'ha-host_VM1' destroyed\n\n");
    ours(
        "attach-disk ha-host_VM1 '[LocalDS_0] a.iso' hdc --type cdrom --targetbus ide --config;",
        "Disk attached successfully\n\n",
    );
    ours(
        "change-media ha-host_VM1 hdc '[LocalDS_0] b.iso' --update;",
        "Successfully updated media.\n\n",
    );
    assert!(theirs("domblklist ha-host_VM1").contains(" hdc      [LocalDS_0] b.iso"));
    ours(
        "change-media ha-host_VM1 hdc --eject",
        "Successfully ejected media.\n\n",
    );
}

/// Migration between two hosts of a vCenter (libvirt's ESX driver cannot: virsh's
/// virDomainMigrate3 is not supported there), with virsh's progress line, checked through
/// libvirt's driver at both ends.
#[test]
fn migrate_between_hosts_of_a_vcenter() {
    let sim = Sim::vpx();
    let env = Env::new();
    let host = |h: &str| format!("vpx://{}/DC0/DC0_C0/{h}?no_verify=1", sim.addr);
    let (h0, h1) = (host("DC0_C0_H0"), host("DC0_C0_H1"));
    let names = |u: &str| env.run(VIRSH, u, &["list", "--all", "--name"]).out;
    let vm = names(&h0).lines().next().unwrap().to_string();
    let theirs = env.run(VIRSH, &h0, &["migrate", &vm, &h1, "--live"]);
    assert!(theirs.err.contains("virDomainMigrate3"), "{theirs:?}");
    let r = env.run(OURS, &h0, &["migrate", &vm, &h1, "--live", "--verbose"]);
    assert_eq!((r.out.as_str(), r.status), ("\n", 0), "{r:?}");
    assert!(r.err.ends_with("Migration: [100 %]\n"), "{r:?}");
    assert!(names(&h1).lines().any(|n| n == vm), "{}", names(&h1));
    assert!(!names(&h0).lines().any(|n| n == vm));
    let r = env.run(OURS, &h1, &["migrate", &vm, &h0, "--tunnelled"]);
    assert_eq!(
        r.err,
        "error: argument unsupported: virDomainMigrate3: VIR_MIGRATE_TUNNELLED not supported \
         by VMware vSphere migration\n"
    );
    let r = env.run(OURS, &h1, &["migrate", &vm, &h0, "--p2p", "--persistent"]);
    assert_eq!(r.status, 0, "{r:?}");
    assert!(names(&h0).lines().any(|n| n == vm));
}

/// `event` (libvirt's ESX driver has no events): the changes Debian's virsh makes, printed as
/// virsh prints events, then the count.
#[test]
fn events_of_changes_made_by_another_client() {
    let sim = Sim::esx();
    let env = std::sync::Arc::new(Env::new());
    let u = uri(&sim);
    assert!(
        env.run(VIRSH, &u, &["event", "--all", "--timeout", "1"])
            .err
            .contains("virConnectDomainEventRegisterAny")
    );
    let (e, uu) = (env.clone(), u.clone());
    let waiter = std::thread::spawn(move || {
        e.run(
            OURS,
            &uu,
            &[
                "event",
                "--domain",
                "ha-host_VM1",
                "--event",
                "lifecycle",
                "--loop",
                "--timeout",
                "8",
            ],
        )
    });
    std::thread::sleep(std::time::Duration::from_secs(3));
    for cmd in [
        "destroy ha-host_VM1",
        "start ha-host_VM1",
        "destroy ha-host_VM0",
    ] {
        assert_eq!(env.run(VIRSH, &u, &words(cmd)).status, 0, "{cmd}");
    }
    let r = waiter.join().unwrap();
    assert_eq!(
        r.out,
        "event 'lifecycle' for domain 'ha-host_VM1': Stopped Destroyed\n\
         event 'lifecycle' for domain 'ha-host_VM1': Started Booted\n\
         event loop timed out\nevents received: 2\n\n",
        "{r:?}"
    );
    let r = env.run(OURS, &u, &["event", "--all", "--timeout", "1"]);
    assert_eq!(
        (r.out.as_str(), r.status),
        ("event loop timed out\nevents received: 0\n\n", 1)
    );
    let r = env.run(OURS, &u, &["event", "--list"]);
    assert_eq!(
        r.out,
        env.run(VIRSH, "test:///default", &["event", "--list"]).out
    );
}

/// Storage changes libvirt's ESX driver does not make: an NFS datastore mounted and removed,
/// a disk copied, grown, wiped, written and read back, each checked by an independent read.
#[test]
fn storage_changes_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let run = |program: &str, cmd: &str| env.run(program, &u, &words(cmd));
    let ours = |cmd: &str, out: &str| {
        let r = run(OURS, cmd);
        assert_eq!((r.out.as_str(), r.err.as_str()), (out, ""), "{cmd}");
    };
    let theirs = |cmd: &str| run(VIRSH, cmd).out;
    assert_eq!(
        run(
            VIRSH,
            "pool-define-as n netfs --source-host h --source-path /x"
        )
        .status,
        1
    );
    ours(
        "pool-define-as nfs1 netfs --source-host 10.0.0.5 --source-path /export/vms",
        "Pool nfs1 defined\n\n",
    );
    assert!(theirs("pool-list --all").contains(" nfs1 "));
    ours("pool-destroy nfs1", "Pool nfs1 destroyed\n\n");
    assert!(!theirs("pool-list --all").contains(" nfs1 "));
    ours(
        "vol-create-as LocalDS_0 t/t.vmdk 1M --format vmdk",
        "Vol t/t.vmdk created\n\n",
    );
    ours(
        "vol-clone --pool LocalDS_0 t/t.vmdk t/c.vmdk",
        "Vol t/c.vmdk cloned from t/t.vmdk\n\n",
    );
    assert_eq!(
        theirs("vol-path --pool LocalDS_0 t/c.vmdk"),
        "[LocalDS_0] t/c.vmdk\n\n"
    );
    ours(
        "vol-resize --pool LocalDS_0 t/c.vmdk 2M",
        "Size of volume 't/c.vmdk' successfully changed to 2M\n\n",
    );
    ours(
        "vol-wipe --pool LocalDS_0 t/c.vmdk",
        "Vol t/c.vmdk wiped\n\n",
    );
    let dir = std::env::temp_dir().join(format!("virsh-esx-vol-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (up, down) = (dir.join("up.bin"), dir.join("down.bin"));
    let data: Vec<u8> = (0..1u32 << 20).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&up, &data).unwrap();
    ours(
        &format!("vol-upload --pool LocalDS_0 t/t.vmdk {}", up.display()),
        "\n",
    );
    ours(
        &format!("vol-download --pool LocalDS_0 t/t.vmdk {}", down.display()),
        "\n",
    );
    assert!(
        std::fs::read(&down).unwrap() == data,
        "the bytes read back differ"
    );
    // On a terminal, the progress line.
    let auth = env.auth.to_str().unwrap().to_string();
    let shown = on_a_terminal_after(
        OURS,
        &format!(
            "-c '{u}' vol-upload --pool LocalDS_0 t/t.vmdk {}",
            up.display()
        ),
        &[],
        b": ",
        &[("LIBVIRT_AUTH_FILE", &auth)],
    );
    assert!(shown.contains("\rUpload: [ 50 %]"), "{shown:?}");
    assert!(shown.contains("\rUpload: [100 %]\r\n"), "{shown:?}");
    ours(
        "vol-delete --pool LocalDS_0 t/c.vmdk",
        "Vol t/c.vmdk deleted\n\n",
    );
    // A port group added to vSwitch0 (libvirt's driver has no virNetworkUpdate).
    assert_eq!(
        run(
            VIRSH,
            "net-update vSwitch0 add portgroup \"<portgroup name='pgX'/>\";"
        )
        .status,
        1
    );
    ours(
        "net-update vSwitch0 add portgroup \"<portgroup name='pgX'/>\";",
        "Updated network vSwitch0 live state\n\n",
    );
    assert!(theirs("net-dumpxml vSwitch0").contains("<portgroup name='pgX'>"));
    assert_eq!(run(VIRSH, "vol-path --pool LocalDS_0 t/c.vmdk").status, 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The man page is generated from the program's own help: every command is in it.
#[test]
fn man_page_has_every_command() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/gen_man.py");
    let out = Command::new("python3")
        .args([script, OURS])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let page = String::from_utf8(out.stdout).unwrap();
    let help = Command::new(OURS).arg("help").output().unwrap();
    let names: Vec<String> = String::from_utf8_lossy(&help.stdout)
        .lines()
        .filter(|l| l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(names.len() > 100, "{names:?}");
    for n in names {
        assert!(page.contains(&format!("\\fB{n}\\fR")), "{n} is missing");
    }
    assert!(page.starts_with(".TH VIRSH-ESX 1 "));
}

/// The interactive shell on a terminal: lines typed at virsh's prompt run, `connect` moves
/// the session, and what was typed is kept in the history file.
#[test]
fn interactive_shell_on_a_terminal() {
    let (a, b) = (Sim::esx(), Sim::esx());
    let env = Env::new();
    let cache = std::env::temp_dir().join(format!("virsh-esx-cache-{}", std::process::id()));
    let auth = env.auth.to_str().unwrap().to_string();
    let connect = format!("connect {}", uri(&b));
    let out = on_a_terminal_after(
        OURS,
        &format!("-c '{}'", uri(&a)),
        &["uri", &connect, "uri", "quit"],
        b"virsh # ",
        &[
            ("XDG_CACHE_HOME", cache.to_str().unwrap()),
            ("LIBVIRT_AUTH_FILE", &auth),
        ],
    );
    let shown: Vec<&str> = out.lines().filter(|l| l.starts_with("esx://")).collect();
    assert_eq!(shown, [uri(&a), uri(&b)], "{out:?}");
    let history = std::fs::read_to_string(cache.join("virsh-esx/history")).unwrap();
    assert!(
        history.contains("uri\n") && history.contains(&connect),
        "{history:?}"
    );
    let _ = std::fs::remove_dir_all(&cache);
}

/// The calls libvirt's ESX driver lacks, in virsh's format: the host's vCPU limit, its SMBIOS
/// facts, read back from the server by the library's own objects.
#[test]
fn beyond_libvirts_driver_host_commands_answer() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let max = env.run(OURS, &u, &["maxvcpus"]);
    assert_eq!(max.status, 0, "{max:?}");
    assert!(
        max.out.trim().parse::<u32>().is_ok_and(|n| n > 0),
        "{max:?}"
    );
    let sysinfo = env.run(OURS, &u, &["sysinfo"]);
    assert_eq!(sysinfo.status, 0, "{sysinfo:?}");
    assert!(
        sysinfo.out.starts_with("<sysinfo type='smbios'>"),
        "{sysinfo:?}"
    );
    assert!(sysinfo.out.ends_with("</sysinfo>\n\n"), "{sysinfo:?}");
}

/// A command line as the shell splits it; one with `;` is one argument, as a quoted string.
fn words(cmd: &str) -> Vec<&str> {
    match cmd.contains(';') {
        true => vec![cmd],
        false => cmd.split_whitespace().collect(),
    }
}

/// What VMware Tools report (guestinfo, domfsinfo) on a simulator running the launcher's
/// stand-in Tools, checked against what libvirt's driver reads of the same guest and VM.
#[test]
fn guest_commands_beyond_libvirts_driver() {
    let sim = Sim::start(&["-mode", "esx", "-tools"]);
    let env = Env::new();
    let u = uri(&sim);
    let ours = |cmd: &str| env.run(OURS, &u, &words(cmd));
    let theirs = |cmd: &str| env.run(VIRSH, &u, &words(cmd)).out;
    let start = std::time::Instant::now();
    while ours("guestinfo ha-host_VM0 --hostname").status != 0 {
        assert!(
            start.elapsed().as_secs() < 10,
            "VMware Tools never reported"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let host = theirs("domhostname ha-host_VM0");
    let r = ours("guestinfo ha-host_VM0 --hostname");
    assert_eq!(r.out, format!("hostname            : {host}"));
    let all = ours("guestinfo ha-host_VM0").out;
    for line in [
        "os.id               : debian\n",
        "fs.0.mountpoint     : /\n",
    ] {
        assert!(all.contains(line), "{all}");
    }
    // The file system's disk is the one libvirt's driver lists for the domain.
    let r = ours("domfsinfo ha-host_VM0");
    assert_eq!(
        r.out,
        " Mountpoint   Name   Type   Target\n\
         ------------------------------------\n \
         /                   ext4   sda\n\n"
    );
    assert!(theirs("domblklist ha-host_VM0").contains(" sda "));
    let r = ours("guestinfo ha-host_VM0 --user");
    assert_eq!(
        (r.err.as_str(), r.status),
        (
            "error: argument unsupported: VMware Tools do not report the guest's users\n",
            1
        )
    );
    // Stopped by libvirt's driver: the report is gone.
    theirs("destroy ha-host_VM0");
    let r = ours("domfsinfo ha-host_VM0");
    assert_eq!(
        r.err,
        "error: Unable to get filesystem information\n\
         error: Requested operation is not valid: domain is not running\n"
    );
}

/// A disk grown and its I/O controls set (blockresize, blkdeviotune, blkiotune), each read
/// back by a second process's connection; refusals in virsh's two lines.
#[test]
fn disk_commands_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let ours = |cmd: &str| env.run(OURS, &u, &words(cmd));
    let says = |cmd: &str, out: &str| env.says(&u, cmd, out);
    says(
        "blockresize ha-host_VM0 sda 3M",
        "Block device 'sda' is resized\n\n",
    );
    assert!(
        ours("domblkinfo ha-host_VM0 sda")
            .out
            .contains("Capacity:       3145728\n")
    );
    let r = ours("blockresize ha-host_VM0 sda 1M");
    assert_eq!(
        (r.err.as_str(), r.status),
        (
            "error: Failed to resize block device 'sda'\n\
             error: Operation not supported: vSphere cannot shrink a disk: sda has 3145728 \
             bytes, 1048576 asked\n",
            1
        )
    );
    says("blkdeviotune ha-host_VM0 sda --total-iops-sec 250", "\n");
    says("blkdeviotune ha-host_VM0 sda", "total_iops_sec : 250\n\n");
    let r = ours("blkdeviotune ha-host_VM0 sda --read-iops-sec 5");
    assert!(
        r.err
            .ends_with("'read_iops_sec' cannot be set (total_iops_sec can)\n"),
        "{}",
        r.err
    );
    says("blkiotune ha-host_VM0 --weight 650", "\n");
    says(
        "blkiotune ha-host_VM0",
        "weight         : 650\ndevice_weight  : sda,650\n\n",
    );
    says("blkiotune ha-host_VM0 --device-weights sda,0", "\n");
    says(
        "blkiotune ha-host_VM0",
        "weight         : 500\ndevice_weight  : sda,500\n\n",
    );
}

/// send-key: what reaches the guest (the launcher's `.keys` file, fetched over /folder by a
/// client of its own), and virsh's own refusals compared with Debian's virsh byte for byte.
#[test]
fn send_key_reaches_the_guest() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let r = env.run(
        OURS,
        &u,
        &words("send-key ha-host_VM0 KEY_LEFTCTRL KEY_LEFTALT KEY_DELETE"),
    );
    assert_eq!((r.out.as_str(), r.err.as_str(), r.status), ("\n", "", 0));
    let r = env.run(
        OURS,
        &u,
        &words("send-key ha-host_VM0 --codeset win32 --holdtime 20 VK_RETURN 0x41"),
    );
    assert_eq!(r.status, 0, "{}", r.err);
    let addr = u.split("//").nth(1).unwrap().split('/').next().unwrap();
    let url = format!(
        "https://{addr}/folder/ha-host_VM0/ha-host_VM0.keys?dcPath=ha-datacenter&dsName=LocalDS_0"
    );
    let fetch = "import ssl,sys,urllib.request as u; \
                 sys.stdout.write(u.urlopen(sys.argv[1], context=ssl._create_unverified_context()).read().decode())";
    let out = Command::new("python3")
        .args(["-c", fetch, &url])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "0x004c leftControl,leftAlt\n0x0028 \n0x0004 \n"
    );
    let refusals = [
        "send-key ha-host_VM0 --codeset qwerty 1",
        "send-key ha-host_VM0 KEY_NOPE",
        "send-key ha-host_VM0 --codeset usb KEY_A",
        "send-key ha-host_VM0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
    ];
    compare(&env, &u, &u, &refusals, exactly);
}

/// vcpupin and emulatorpin over the VM's one affinity set, read back by a second process;
/// virsh's own refusals compared with Debian's virsh byte for byte.
#[test]
fn pinning_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let says = |cmd: &str, out: &str| env.says(&u, cmd, out);
    says(
        "vcpupin ha-host_VM0",
        " VCPU   CPU Affinity\n----------------------\n 0      0-1\n\n",
    );
    says("emulatorpin ha-host_VM0 ^0,1", "\n");
    says(
        "emulatorpin ha-host_VM0",
        "emulator: CPU Affinity\n----------------------------------\n       *: 1\n\n",
    );
    says("vcpupin ha-host_VM0 0 r", "\n");
    says(
        "vcpupin ha-host_VM0 --vcpu 0",
        " VCPU   CPU Affinity\n----------------------\n 0      0-1\n\n",
    );
    let refusals = [
        "vcpupin ha-host_VM0 0 5",
        "vcpupin ha-host_VM0 --cpulist 1",
        "vcpupin ha-host_VM0 0 x",
        "vcpupin ha-host_VM0 0 ^0",
        "vcpupin ha-host_VM0 0 1-2000",
        "emulatorpin ha-host_VM0 0-9",
    ];
    compare(&env, &u, &u, &refusals, exactly);
}

/// domcapabilities: the host's config option as libvirt's document, printed as virsh prints
/// capabilities (the document, its line, virsh's line), the same when its machine and arch are
/// named; virsh's two lines for a refusal.
#[test]
fn domcapabilities_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let r = env.run(OURS, &u, &words("domcapabilities"));
    assert_eq!(r.status, 0, "{}", r.err);
    assert!(
        r.out
            .starts_with("<domainCapabilities>\n  <domain>vmware</domain>\n")
    );
    assert!(r.out.ends_with("</domainCapabilities>\n\n\n"));
    let machine = r
        .out
        .split("<machine>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    let same = env.run(
        OURS,
        &u,
        &words(&format!(
            "domcapabilities --machine {machine} --arch x86_64"
        )),
    );
    assert_eq!(same.out, r.out);
    let r = env.run(
        OURS,
        &u,
        &words("domcapabilities --emulatorbin /usr/bin/kvm"),
    );
    assert_eq!(
        (r.err.as_str(), r.status),
        (
            "error: failed to get emulator capabilities\nerror: argument unsupported: VMware \
             has no emulator binary, so '/usr/bin/kvm' names none: leave it out\n",
            1
        )
    );
}

/// console on a terminal: the guest's serial port (a local listener standing in for the
/// host's telnet port) joined to the terminal until the port closes; without a terminal,
/// virsh's refusal.
#[test]
fn console_on_a_terminal() {
    use std::io::{Read, Write};
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let serial = format!(
        "<serial type='tcp'><source mode='bind' host='0.0.0.0' service='{}'/>\
         <protocol type='telnet'/><target port='0'/></serial>",
        port.local_addr().unwrap().port()
    );
    let xml = env.run(OURS, &u, &words("dumpxml ha-host_VM0")).out;
    let file = std::env::temp_dir().join(format!("virsh-esx-console-{}.xml", std::process::id()));
    std::fs::write(
        &file,
        xml.replace("</devices>", &format!("{serial}</devices>")),
    )
    .unwrap();
    for cmd in [
        "destroy ha-host_VM0".to_string(),
        format!("define {}", file.display()),
        "start ha-host_VM0".to_string(),
    ] {
        assert_eq!(env.run(OURS, &u, &words(&cmd)).status, 0, "{cmd}");
    }
    let _ = std::fs::remove_file(&file);
    let guest = std::thread::spawn(move || {
        let (mut s, _) = port.accept().unwrap();
        s.write_all(&[255, 251, 1]).unwrap();
        s.write_all(b"login: ").unwrap();
        let mut typed = Vec::new();
        let mut b = [0u8; 64];
        while !typed.ends_with(b"\n") {
            let n = s.read(&mut b).unwrap();
            assert!(n > 0);
            typed.extend_from_slice(&b[..n]);
        }
        s.write_all(b"\r\nWelcome\r\n").unwrap();
        typed
    });
    let seen = on_a_terminal_after(
        OURS,
        &format!("-c '{u}' console ha-host_VM0"),
        &["root"],
        b"login: ",
        &[("LIBVIRT_AUTH_FILE", env.auth.to_str().unwrap())],
    );
    let typed = guest.join().unwrap();
    assert!(typed.ends_with(b"root\n"), "{typed:?}");
    assert!(
        typed.starts_with(&[255, 254, 1]),
        "telnet's ECHO refused: {typed:?}"
    );
    assert!(seen.contains("Connected to domain 'ha-host_VM0'"), "{seen}");
    assert!(seen.contains("Escape character is ^] (Ctrl + ])"), "{seen}");
    assert!(
        seen.contains("login: ") && seen.contains("Welcome"),
        "{seen}"
    );
    let r = env.run(OURS, &u, &words("console ha-host_VM0"));
    assert_eq!(
        r.err,
        "error: Cannot run interactive console without a controlling TTY\n"
    );
}

/// domiftune over the NIC's vSphere limit and reservation, read back by a second process;
/// virsh's own refusals compared with Debian's virsh byte for byte.
#[test]
fn domiftune_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let ours = |cmd: &str| env.run(OURS, &u, &words(cmd));
    let xml = ours("dumpxml ha-host_VM0").out;
    let mac = xml.split("<mac address='").nth(1).unwrap()[..17].to_string();
    let r = ours(&format!(
        "domiftune ha-host_VM0 {mac} --outbound 12800 --inbound 0,0,0,2560"
    ));
    assert_eq!((r.out.as_str(), r.err.as_str(), r.status), ("\n", "", 0));
    assert_eq!(
        ours(&format!("domiftune ha-host_VM0 {mac}")).out,
        "outbound.average: 12817\ninbound.floor  : 2563\n\n"
    );
    let r = ours(&format!("domiftune ha-host_VM0 {mac} --outbound 100,200"));
    assert_eq!(
        r.err,
        "error: Unable to set interface parameters\nerror: argument unsupported: vSphere's NIC \
         controls are a limit (outbound.average) and a reservation (inbound.floor): \
         'outbound.peak' can only be 0\n"
    );
    let refusals = [
        format!("domiftune ha-host_VM0 {mac} --inbound 0,5"),
        format!("domiftune ha-host_VM0 {mac} --outbound 0,5"),
        format!("domiftune ha-host_VM0 {mac} --outbound 1,2,3,4"),
        format!("domiftune ha-host_VM0 {mac} --inbound 1,2,3,4,5"),
        format!("domiftune ha-host_VM0 {mac} --inbound x"),
    ];
    compare(&env, &u, &u, &refusals, exactly);
}

/// cpu-models: vSphere's EVC modes as the server lists them; for another architecture, virsh's
/// line and the library's refusal.
#[test]
fn cpu_models_are_evc_modes() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let r = env.run(OURS, &u, &words("cpu-models x86_64"));
    assert!(
        r.out.starts_with("intel-merom\nintel-penryn\n"),
        "{}",
        r.out
    );
    assert!(r.out.contains("\nintel-ivybridge\n") && r.out.contains("\namd-zen\n"));
    let r = env.run(OURS, &u, &words("cpu-models aarch64"));
    assert_eq!(
        r.err,
        "error: failed to get CPU model names\nerror: argument unsupported: vSphere's CPU \
         models (EVC modes) are x86's, not aarch64's\n"
    );
    // Compared and taken as a baseline from a domain's XML, as virsh finds its <cpu>.
    let dir = std::env::temp_dir().join(format!("virsh-esx-cpu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = |name: &str, model: &str| {
        let p = dir.join(name);
        std::fs::write(
            &p,
            format!("<domain><cpu><model>{model}</model></cpu></domain>"),
        )
        .unwrap();
        p.display().to_string()
    };
    let (old, new) = (
        file("old.xml", "intel-nehalem"),
        file("new.xml", "intel-skylake"),
    );
    let r = env.run(OURS, &u, &words(&format!("hypervisor-cpu-compare {old}")));
    assert_eq!(
        r.out,
        format!(
            "The CPU provided by hypervisor on the host is a superset of CPU described in \
             {old}\n\n"
        )
    );
    let r = env.run(OURS, &u, &words(&format!("hypervisor-cpu-compare {new}")));
    assert_eq!(r.status, 1);
    assert!(
        r.out
            .starts_with(&format!("CPU described in {new} is incompatible"))
    );
    let r = env.run(OURS, &u, &words(&format!("hypervisor-cpu-baseline {new}")));
    assert!(
        r.out
            .contains("<model fallback='forbid'>intel-ivybridge</model>"),
        "{}",
        r.out
    );
    let none = dir.join("none.xml");
    std::fs::write(&none, "<domain/>").unwrap();
    compare(
        &env,
        &u,
        &u,
        &[format!("hypervisor-cpu-compare {}", none.display())],
        exactly,
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// nodedev-*: the host and its PCI functions listed flat and as virsh's tree, described, a
/// function's passthrough switched on and off; virsh's own refusals byte for byte.
#[test]
fn node_devices_beyond_libvirts_driver() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    let ours = |cmd: &str| env.run(OURS, &u, &words(cmd));
    let list = ours("nodedev-list").out;
    assert!(list.starts_with("computer\npci_0000_00_00_0\n"), "{list}");
    assert_eq!(list.lines().filter(|l| !l.is_empty()).count(), 44);
    env.says(&u, "nodedev-list --cap system", "computer\n\n");
    let tree = ours("nodedev-list --tree").out;
    assert!(
        tree.starts_with("computer\n  |\n  +- pci_0000_00_00_0\n"),
        "{tree}"
    );
    assert!(
        tree.contains("  +- pci_0000_00_16_0\n  |   |\n  |   +- pci_0000_0b_00_0\n  |     \n"),
        "{tree}"
    );
    assert!(tree.ends_with("  +- pci_0000_00_18_7\n    \n\n"), "{tree}");
    let xml = ours("nodedev-dumpxml pci_0000_0b_00_0").out;
    assert!(xml.contains("<parent>pci_0000_00_16_0</parent>"), "{xml}");
    env.says(
        &u,
        "nodedev-detach pci_0000_0b_00_0 --driver vfio",
        "Device pci_0000_0b_00_0 detached\nThe host applies the change when it reboots \
         (vSphere reports a reboot is required)\n\n",
    );
    env.says(
        &u,
        "nodedev-reattach pci_0000_0b_00_0",
        "Device pci_0000_0b_00_0 re-attached\n\n",
    );
    let r = ours("nodedev-detach pci_0000_00_16_0");
    assert_eq!(
        r.err,
        "error: Failed to detach device pci_0000_00_16_0\nerror: Requested operation is not \
         valid: PCI device pci_0000_00_16_0 cannot be passed through: its host says it is not \
         capable\n"
    );
    let r = ours("nodedev-dumpxml nope");
    assert_eq!(
        r.err,
        "error: Could not find matching device 'nope'\nerror: Node device not found: no node \
         device with matching name 'nope'\n"
    );
    let refusals = [
        "nodedev-list --cap bogus",
        "nodedev-list --all --inactive",
        "nodedev-list --tree --cap pci",
    ];
    compare(&env, &u, &u, &refusals, exactly);
}

/// vol-create-as --backing-vol: a linked clone, its base shown by vol-dumpxml.
#[test]
fn linked_clones_from_the_command_line() {
    let sim = Sim::esx();
    let env = Env::new();
    let u = uri(&sim);
    env.says(
        &u,
        "vol-create-as LocalDS_0 img/base.vmdk 8M --format vmdk",
        "Vol img/base.vmdk created\n\n",
    );
    env.says(
        &u,
        "vol-create-as LocalDS_0 img/clone.vmdk 8M --format vmdk --backing-vol img/base.vmdk",
        "Vol img/clone.vmdk created\n\n",
    );
    let xml = env
        .run(
            OURS,
            &u,
            &words("vol-dumpxml --pool LocalDS_0 img/clone.vmdk"),
        )
        .out;
    assert!(
        xml.contains("<backingStore>\n    <path>[LocalDS_0] img/base.vmdk</path>"),
        "{xml}"
    );
}
