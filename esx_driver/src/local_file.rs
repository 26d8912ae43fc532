//! The local files the library reads (CA bundles, auth.conf): regular files only, opened without
//! blocking on a FIFO or device, and never read past a documented cap.

use std::fs::OpenOptions;
use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use zeroize::Zeroizing;

/// auth.conf is a few lines; 1 MiB is far more than any real one.
pub(crate) const AUTH_CONF_MAX: u64 = 1 << 20;
/// A CA bundle as large as a whole system trust store still fits in 16 MiB.
pub(crate) const CA_BUNDLE_MAX: u64 = 16 << 20;

/// The whole file at `path`, in a buffer that is wiped when dropped (auth.conf holds passwords).
pub(crate) fn read_bounded(path: &Path, cap: u64) -> io::Result<Zeroizing<Vec<u8>>> {
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file"));
    }
    if meta.len() > cap {
        return Err(io::Error::other(format!(
            "larger than the {cap} bytes allowed"
        )));
    }
    // Sized up front so that reading never reallocates (which would leave unwiped copies), and
    // bounded again while reading, for a file that grows meanwhile.
    let mut buf = Zeroizing::new(Vec::with_capacity(meta.len() as usize + 1));
    file.take(cap + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(io::Error::other(format!(
            "larger than the {cap} bytes allowed"
        )));
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_cap() {
        let e = read_bounded(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert!(read_bounded(Path::new("/"), 10).is_err());
        let dir = std::env::temp_dir().join(format!("lvesx-local-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("f");
        std::fs::write(&f, b"0123456789A").unwrap();
        assert!(
            read_bounded(&f, 10)
                .unwrap_err()
                .to_string()
                .contains("larger than the 10 bytes")
        );
        assert_eq!(&read_bounded(&f, 11).unwrap()[..], b"0123456789A");
        // A FIFO with no writer: refused at once instead of blocking.
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = read_bounded(&fifo, 10).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
