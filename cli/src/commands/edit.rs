//! Editing a document in the user's editor, as virsh does (`$VISUAL`, `$EDITOR`, else `vi`,
//! on a temporary file), and `edit`: the domain's XML edited and the domain redefined.

use super::{DOMAIN, domain, extra};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::abi::flags::DomainXmlFlags;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// A temporary file that goes away with the value.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn internal(text: String) -> Failure {
    Failure::lines(vec![format!("internal error: {text}")])
}

/// `text` as the user leaves it after editing it (`ext` names the file's kind).
pub fn edit_text(text: &str, ext: &str) -> Result<String, Failure> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.is_empty()))
        .unwrap_or_else(|| "vi".into());
    let (file, path) = (0..100)
        .find_map(|_| {
            let path = std::env::temp_dir().join(format!(
                "virsh{:06x}.{ext}",
                std::process::id()
                    ^ std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.subsec_nanos())
                        .unwrap_or_default()
            ));
            std::fs::File::create_new(&path).ok().map(|f| (f, path))
        })
        .ok_or_else(|| internal("cannot create a temporary file".into()))?;
    let temp = TempFile(path);
    let mut file = file;
    file.write_all(text.as_bytes())
        .map_err(|e| internal(format!("{}: write: {e}", temp.0.display())))?;
    drop(file);
    let name = temp.0.display().to_string();
    // As virsh: an editor of plain characters runs directly, anything else through the shell.
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
    let (mut cmd, shown) = match editor.chars().all(plain) {
        true => (Command::new(&editor), format!("{editor} {name}")),
        false => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(format!("{editor} {name}"));
            (c, format!("sh -c '{editor} {name}'"))
        }
    };
    if editor.chars().all(plain) {
        cmd.arg(&temp.0);
    }
    let status = cmd
        .status()
        .map_err(|e| internal(format!("Cannot run '{editor}': {e}")))?;
    if !status.success() {
        return Err(internal(format!(
            "Child process ({shown}) unexpected exit status {}",
            status.code().unwrap_or(-1)
        )));
    }
    std::fs::read_to_string(&temp.0)
        .map_err(|e| internal(format!("{}: read: {e}", temp.0.display())))
}

pub const EDIT: Cmd = Cmd {
    name: "edit",
    group: "domain",
    summary: "edit the domain's XML and redefine it",
    description: "Opens the domain's XML in $VISUAL or $EDITOR (else vi) and redefines the domain from what is saved.",
    opts: &[
        DOMAIN,
        Opt::flag("skip-validate", "do not check the XML against the schema"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let name = dom.cached().name;
        let flags = DomainXmlFlags::INACTIVE | DomainXmlFlags::SECURE;
        let before = dom.domain_xml(flags)?;
        let after = edit_text(&before, "xml")?;
        if after == before {
            extra(
                s,
                &format!("Domain '{name}' XML configuration not changed."),
            );
            return Ok(());
        }
        let vm = s.conn()?.define_xml(&after)?;
        extra(
            s,
            &format!("Domain '{}' XML configuration edited.", vm.name),
        );
        Ok(())
    },
};
