//! Networking and Interface commands over vSwitches and the host's physical NICs: listings,
//! facts and XML, with virsh's lookups (a network by UUID or name) and its errors.

use super::with_newline;
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, table};
use esx_driver::driver::interface::InterfaceFacts;
use esx_driver::driver::network::{Network, NetworkFacts};
use esx_driver::xml::ids::Uuid;

/// The network `key` names: by UUID when it is one, else by name (`by_name`); virsh's lines
/// when neither finds it.
fn network_named(s: &mut Session, key: &str, by_name: bool) -> Result<NetworkFacts, Failure> {
    let conn = s.conn()?;
    super::first_found(
        format!("failed to get network '{key}'"),
        &[
            &|| Uuid::parse(key).map(|u| conn.network_by_uuid(&u)),
            &|| by_name.then(|| conn.network_by_name(key)),
        ],
    )
}

const NETWORK: Opt = Opt::data("network", "the network: its name or UUID");

pub const NET_LIST: Cmd = Cmd {
    name: "net-list",
    group: "network",
    summary: "the networks (virtual switches)",
    description: "Lists the vSwitches as networks, as a table, names or UUIDs.",
    opts: &[
        Opt::flag("inactive", "inactive networks"),
        Opt::flag("all", "active and inactive networks"),
        Opt::flag("persistent", "persistent networks"),
        Opt::flag("transient", "transient networks"),
        Opt::flag("autostart", "networks started with the host"),
        Opt::flag("no-autostart", "networks not started with the host"),
        Opt::flag("uuid", "UUIDs only"),
        Opt::flag("name", "names only"),
        Opt::flag("table", "the table (the default)"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let modes = ["table", "name", "uuid"]
            .iter()
            .filter(|m| a.flag(m))
            .count();
        if modes > 1 {
            return Err(Failure::lines(vec![
                "Only one argument from --table, --name and --uuid may be specified.".into(),
            ]));
        }
        // vSwitches are always active, persistent and started with the host.
        let shown = (!a.flag("inactive") || a.flag("all"))
            && !a.flag("transient")
            && !a.flag("no-autostart");
        let mut nets = match shown {
            true => s
                .conn()?
                .networks()
                .map_err(|e| Failure::call("Failed to list networks", e))?,
            false => Vec::new(),
        };
        nets.sort_by_key(|n| n.name.to_ascii_lowercase());
        if a.flag("name") || a.flag("uuid") {
            for n in &nets {
                match a.flag("uuid") {
                    true => println!("{}", n.uuid),
                    false => println!("{}", n.name),
                }
            }
            return Ok(());
        }
        let rows: Vec<Vec<String>> = nets
            .iter()
            .map(|n| vec![n.name.clone(), "active".into(), "yes".into(), "yes".into()])
            .collect();
        let header = ["Name", "State", "Autostart", "Persistent"];
        print!("{}", table::render(&header, &rows, s.quiet));
        Ok(())
    },
};

pub const NET_INFO: Cmd = Cmd {
    name: "net-info",
    group: "network",
    summary: "facts about a network",
    description: "Shows the network's name, UUID, state, persistence and autostart.",
    opts: &[NETWORK],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let n = network_named(s, a.required("network"), true)?;
        println!("{:<15} {}", "Name:", n.name);
        println!("{:<15} {}", "UUID:", n.uuid);
        println!("{:<15} yes", "Active:");
        println!("{:<15} yes", "Persistent:");
        println!("{:<15} yes", "Autostart:");
        Ok(())
    },
};

pub const NET_DUMPXML: Cmd = Cmd {
    name: "net-dumpxml",
    group: "network",
    summary: "a network's XML",
    description: "",
    opts: &[
        NETWORK,
        Opt::flag("inactive", "the definition rather than the running network"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let n = network_named(s, a.required("network"), true)?;
        print!("{}", with_newline(Network::new(s.conn()?, n).xml()?));
        Ok(())
    },
};

pub const NET_UUID: Cmd = Cmd {
    name: "net-uuid",
    group: "network",
    summary: "a network's UUID",
    description: "",
    opts: &[Opt::data("network", "the network's name")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        println!("{}", network_named(s, a.required("network"), true)?.uuid);
        Ok(())
    },
};

pub const NET_NAME: Cmd = Cmd {
    name: "net-name",
    group: "network",
    summary: "a network's name",
    description: "",
    opts: &[Opt::data("network", "the network's UUID")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        println!("{}", network_named(s, a.required("network"), false)?.name);
        Ok(())
    },
};

pub const IFACE_LIST: Cmd = Cmd {
    name: "iface-list",
    group: "interface",
    summary: "the host's physical network interfaces",
    description: "Lists the host's NICs with their state (link up) and MAC address.",
    opts: &[
        Opt::flag("inactive", "interfaces without a link"),
        Opt::flag("all", "every interface"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("all", "inactive")?;
        let keep = |i: &InterfaceFacts| match (a.flag("all"), a.flag("inactive")) {
            (true, _) => true,
            (false, true) => !i.link_up,
            (false, false) => i.link_up,
        };
        let mut ifaces: Vec<InterfaceFacts> = s
            .conn()?
            .interfaces("virConnectListAllInterfaces")
            .map_err(|e| Failure::call("Failed to list interfaces", e))?
            .into_iter()
            .filter(keep)
            .collect();
        ifaces.sort_by_key(|i| i.name.to_ascii_lowercase());
        let rows: Vec<Vec<String>> = ifaces
            .iter()
            .map(|i| {
                let state = if i.link_up { "active" } else { "inactive" };
                vec![i.name.clone(), state.into(), i.mac.clone()]
            })
            .collect();
        let header = ["Name", "State", "MAC Address"];
        print!("{}", table::render(&header, &rows, s.quiet));
        Ok(())
    },
};

pub const NET_DEFINE: Cmd = Cmd {
    name: "net-define",
    group: "network",
    summary: "define a network (a vSwitch) from an XML file",
    description: "Creates the vSwitch and its port groups the network XML describes.",
    opts: &[
        Opt::data("file", "the file holding the network XML"),
        Opt::flag("validate", "check the XML against the schema"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let file = a.required("file");
        let xml = super::read_file(file)?;
        let n = s
            .conn()?
            .define_network(&xml, "virNetworkDefineXML")
            .map_err(|e| Failure::call(format!("Failed to define network from {file}"), e))?;
        super::extra(s, &format!("Network {} defined from {file}", n.name));
        Ok(())
    },
};

pub const NET_UNDEFINE: Cmd = Cmd {
    name: "net-undefine",
    group: "network",
    summary: "remove a network (a vSwitch)",
    description: "Removes the vSwitch and its port groups (refused while a VM uses them).",
    opts: &[NETWORK],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let n = network_named(s, a.required("network"), true)?;
        let name = n.name.clone();
        Network::new(s.conn()?, n)
            .undefine("virNetworkUndefine")
            .map_err(|e| Failure::call(format!("Failed to undefine network {name}"), e))?;
        super::extra(s, &format!("Network {name} has been undefined"));
        Ok(())
    },
};

/// `autostart`'s words for a network or pool: (done, failed verb).
pub(super) fn autostart_words(on: bool) -> (&'static str, &'static str) {
    match on {
        true => ("marked as autostarted", "mark"),
        false => ("unmarked as autostarted", "unmark"),
    }
}

pub const NET_AUTOSTART: Cmd = Cmd {
    name: "net-autostart",
    group: "network",
    summary: "start a network with the host (always so for a vSwitch)",
    description: "A host always brings its vSwitches up: marking changes nothing, --disable is refused.",
    opts: &[
        NETWORK,
        Opt::flag("disable", "do not start it with the host"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let n = network_named(s, a.required("network"), true)?;
        let name = n.name.clone();
        let on = !a.flag("disable");
        let (done, verb) = autostart_words(on);
        Network::new(s.conn()?, n).set_autostart(on).map_err(|e| {
            Failure::call(format!("failed to {verb} network {name} as autostarted"), e)
        })?;
        super::extra(s, &format!("Network {name} {done}"));
        Ok(())
    },
};

/// The host NIC `key` names: by name, then by MAC address (as virsh looks one up).
fn interface(s: &mut Session, key: &str, by_name: bool) -> Result<InterfaceFacts, Failure> {
    let conn = s.conn()?;
    let api = "virInterfaceLookupByName";
    let found = match by_name {
        true => conn
            .interface_by_name(key, api)
            .or_else(|_| conn.interface_by_mac(key, "virInterfaceLookupByMACString")),
        false => conn.interface_by_mac(key, "virInterfaceLookupByMACString"),
    };
    found.map_err(|e| Failure::call(format!("failed to get interface '{key}'"), e))
}

pub const IFACE_NAME: Cmd = Cmd {
    name: "iface-name",
    group: "interface",
    summary: "the name of the host NIC with this MAC address",
    description: "",
    opts: &[Opt::data("interface", "the NIC's MAC address")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        println!("{}", interface(s, a.required("interface"), false)?.name);
        Ok(())
    },
};

pub const IFACE_MAC: Cmd = Cmd {
    name: "iface-mac",
    group: "interface",
    summary: "the MAC address of a host NIC",
    description: "",
    opts: &[Opt::data("interface", "the NIC's name")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        println!("{}", interface(s, a.required("interface"), true)?.mac);
        Ok(())
    },
};

pub const IFACE_DUMPXML: Cmd = Cmd {
    name: "iface-dumpxml",
    group: "interface",
    summary: "a host NIC's XML",
    description: "",
    opts: &[
        Opt::data("interface", "the NIC: its name or MAC address"),
        Opt::flag(
            "inactive",
            "the configuration, without the addresses a DHCP server gave",
        ),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let facts = interface(s, a.required("interface"), true)?;
        let xml = facts.xml(a.flag("inactive"))?;
        print!("{}", with_newline(xml));
        Ok(())
    },
};

/// libvirt's network sections, by number.
const SECTIONS: [&str; 13] = [
    "none",
    "bridge",
    "domain",
    "ip",
    "ip-dhcp-host",
    "ip-dhcp-range",
    "forward",
    "forward-interface",
    "forward-pf",
    "portgroup",
    "dns-host",
    "dns-txt",
    "dns-srv",
];

/// libvirt's network update commands, by number (`add` is `add-last`).
const COMMANDS: [&str; 5] = ["none", "modify", "delete", "add-last", "add-first"];

pub const NET_UPDATE: Cmd = Cmd {
    name: "net-update",
    group: "network",
    summary: "add, change or remove a section of a network (a vSwitch's port groups)",
    description: "Applies COMMAND (add, add-first, add-last, delete, modify) to SECTION with XML (an element, or a file holding one); a vSwitch has port groups only.",
    opts: &[
        NETWORK,
        Opt::data("command", "add-first, add-last (add), delete or modify"),
        Opt::data("section", "the section (portgroup)"),
        Opt::data("xml", "the element, or a file holding it"),
        Opt::string("parent-index", "which parent element to search"),
        Opt::flag("config", "the persistent definition"),
        Opt::flag("live", "the running network"),
        Opt::flag(
            "current",
            "the running network, or the definition of one not running",
        ),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("current", "live")?;
        a.exclusive("current", "config")?;
        let says = |t: String| Failure::lines(vec![t]);
        let word = a.required("command");
        let command = match word {
            "add" => 3,
            w => COMMANDS
                .iter()
                .position(|c| *c == w)
                .filter(|i| *i > 0)
                .ok_or_else(|| says(format!("unrecognized command name '{w}'")))?,
        };
        let word = a.required("section");
        let section = SECTIONS
            .iter()
            .position(|x| *x == word)
            .filter(|i| *i > 0)
            .ok_or_else(|| says(format!("unrecognized section name '{word}'")))?;
        let xml = match a.required("xml") {
            x if x.starts_with('<') => x.to_string(),
            file => super::read_file(file)?,
        };
        let n = network_named(s, a.required("network"), true)?;
        let name = n.name.clone();
        Network::new(s.conn()?, n)
            .update(command as u32, section as u32, &xml, "virNetworkUpdate")
            .map_err(|e| Failure::call(format!("Failed to update network {name}"), e))?;
        // A vSwitch is always running: without --config, the live state is what changed.
        let state = match (a.flag("config"), a.flag("live")) {
            (true, true) => "persistent config and live state",
            (true, false) => "persistent config",
            _ => "live state",
        };
        super::extra(s, &format!("Updated network {name} {state}"));
        Ok(())
    },
};

pub const NET_EDIT: Cmd = Cmd {
    name: "net-edit",
    group: "network",
    summary: "edit a network's XML and redefine it",
    description: "Opens the network's XML in $VISUAL or $EDITOR (else vi) and defines the network from what is saved.",
    opts: &[NETWORK],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let n = network_named(s, a.required("network"), true)?;
        let name = n.name.clone();
        let before = Network::new(s.conn()?, n).xml()?;
        let after = super::edit::edit_text(&before, "xml")?;
        if after == before {
            super::extra(s, &format!("Network {name} XML configuration not changed."));
            return Ok(());
        }
        let n = s.conn()?.define_network(&after, "virNetworkDefineXML")?;
        super::extra(s, &format!("Network {} XML configuration edited.", n.name));
        Ok(())
    },
};
