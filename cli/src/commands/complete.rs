//! `complete`: virsh's completion helper, which the bash completion script calls with the
//! words typed so far: command names, a command's options not yet given, or domain names.

use super::TABLE;
use crate::Outcome;
use crate::grammar::{Args, Cmd, Kind, Opt};
use crate::session::Session;

/// The candidates for the last of `words`.
fn candidates(s: &mut Session, words: &[&str]) -> Vec<String> {
    let prefix = words.last().copied().unwrap_or_default();
    let Some((name, given)) = words.split_first().filter(|(_, rest)| !rest.is_empty()) else {
        return TABLE
            .iter()
            .map(|c| c.name)
            .filter(|n| n.starts_with(prefix) && *n != "complete")
            .map(str::to_string)
            .collect();
    };
    let Some(cmd) = TABLE.iter().find(|c| c.name == *name) else {
        return Vec::new();
    };
    let given = &given[..given.len() - 1];
    let named = |o: &Opt| given.iter().any(|w| w.strip_prefix("--") == Some(o.name));
    // Data words already typed fill the positional options in order.
    let data_words = given.iter().filter(|w| !w.starts_with("--")).count();
    let positional: Vec<&Opt> = cmd
        .opts
        .iter()
        .filter(|o| o.positional && o.kind != Kind::Bool && !named(o))
        .collect();
    let filled = |o: &Opt| {
        positional
            .iter()
            .position(|p| p.name == o.name)
            .is_some_and(|i| i < data_words)
    };
    if prefix.is_empty() || prefix.starts_with('-') {
        return cmd
            .opts
            .iter()
            .filter(|o| !named(o) && !filled(o))
            .map(|o| format!("--{}", o.name))
            .filter(|o| o.starts_with(prefix))
            .collect();
    }
    match positional.get(data_words) {
        Some(o) if o.name == "domain" => domain_names(s, prefix),
        _ => Vec::new(),
    }
}

/// The names of the domains starting with `prefix` (none when there is no connection).
fn domain_names(s: &mut Session, prefix: &str) -> Vec<String> {
    let Ok(conn) = s.conn() else {
        return Vec::new();
    };
    let mut names: Vec<String> = conn
        .domains(esx_driver::abi::flags::ListDomainsFlags::empty())
        .map(|ds| ds.iter().map(|d| d.cached().name).collect())
        .unwrap_or_default();
    names.retain(|n| n.starts_with(prefix));
    names.sort();
    names
}

pub const COMPLETE: Cmd = Cmd {
    name: "complete",
    group: "virsh",
    summary: "the completions of a partial command line",
    description: "Prints what may come next on the command line given (the words after --), one per line; the bash completion script calls it.",
    opts: &[Opt::argv("string", "the words typed so far")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        for c in candidates(s, &a.all("string")) {
            println!("{c}");
        }
        Ok(())
    },
};

/// The candidates the table gives, without a connection (for the tests).
#[cfg(test)]
mod tests {
    use super::candidates;
    use crate::session::Session;

    fn complete(words: &[&str]) -> Vec<String> {
        candidates(&mut Session::new(None, false, true), words)
    }

    #[test]
    fn commands_options_and_what_was_given() {
        assert_eq!(complete(&["hel"]), ["help"]);
        assert!(complete(&["dom"]).contains(&"dominfo".to_string()));
        assert_eq!(complete(&["dominfo", ""]), ["--domain"]);
        assert_eq!(complete(&["dominfo", "x", ""]), Vec::<String>::new());
        assert_eq!(complete(&["list", "--a"]), ["--all", "--autostart"]);
        assert_eq!(complete(&["list", "--all", "--a"]), ["--autostart"]);
        assert_eq!(
            complete(&["snapshot-list", "x", "--t"]),
            ["--tree", "--topological"]
        );
        assert_eq!(complete(&["nosuch", ""]), Vec::<String>::new());
    }
}
