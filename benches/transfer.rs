//! Upload and download of a 1 GiB volume through our C API (virStorageVolUpload/Download and
//! virStreamSend/Recv, 256 KiB pieces) against curl moving the same bytes between the same file
//! and the same `/folder` URL in the same run, on the simulator over plain HTTP: both read the
//! upload from a file and write the download to one (in memory, /dev/shm, as the datastore).
//! Prints the throughput ratios and the peak RSS growth of this process.
//! `cargo bench --bench transfer` (TRANSFER_MIB=1024 by default).

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Sim, peak_rss_kib};
use std::process::Command;
use std::time::Instant;
use virt_esx::ffi::connection::virConnectClose;
use virt_esx::ffi::storage::pool::{virStoragePoolFree, virStoragePoolLookupByName};
use virt_esx::ffi::storage::transfer::{
    virStorageVolDownload, virStorageVolUpload, virStreamFinish, virStreamFree, virStreamNew,
    virStreamRecv, virStreamSend,
};
use virt_esx::ffi::storage::volumes::{
    virStorageVolCreateXML, virStorageVolDelete, virStorageVolFree,
};

const PIECE: usize = 256 << 10;

fn main() {
    let mib: usize = std::env::var("TRANSFER_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let size = mib << 20;
    // The datastore (the simulator's temporary directory) and curl's source file in memory:
    // a disk's write-back would decide the numbers otherwise.
    if std::path::Path::new("/dev/shm").is_dir() {
        // SAFETY: set before any thread of this process exists.
        unsafe { std::env::set_var("TMPDIR", "/dev/shm") };
    }
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let url = format!(
        "http://{}/folder/bench/curl.img?dcPath=ha-datacenter&dsName=LocalDS_0",
        sim.addr
    );
    let piece: Vec<u8> = (0..PIECE).map(|i| (i * 7) as u8).collect();
    let source = std::env::temp_dir().join(format!("libvirt-esx-bench-{}.img", std::process::id()));
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&source).unwrap();
        for _ in 0..size / PIECE {
            f.write_all(&piece).unwrap();
        }
    }
    // SAFETY: valid arguments; every handle is freed below.
    unsafe {
        let c = common::open_c_as_root(&sim.uri("esx", "/?transport=http"));
        assert!(!c.is_null(), "open");
        let pool = virStoragePoolLookupByName(c, c"LocalDS_0".as_ptr());
        let vol = virStorageVolCreateXML(
            pool,
            c"<volume><name>bench/ours.img</name><capacity>0</capacity></volume>".as_ptr(),
            0,
        );
        assert!(!vol.is_null(), "create");
        let rss_before = peak_rss_kib();
        let target = source.with_extension("down");
        let ours_upload = || {
            use std::io::Read;
            let t = Instant::now();
            let mut file = std::fs::File::open(&source).unwrap();
            let mut buf = vec![0u8; PIECE];
            let st = virStreamNew(c, 0);
            assert_eq!(virStorageVolUpload(vol, st, 0, size as u64, 0), 0);
            for _ in 0..size / PIECE {
                file.read_exact(&mut buf).unwrap();
                assert_eq!(virStreamSend(st, buf.as_ptr().cast(), PIECE), PIECE as i32);
            }
            assert_eq!(virStreamFinish(st), 0);
            virStreamFree(st);
            t.elapsed()
        };
        let ours_download = || {
            use std::io::Write;
            let t = Instant::now();
            let mut file = std::fs::File::create(&target).unwrap();
            let st = virStreamNew(c, 0);
            assert_eq!(virStorageVolDownload(vol, st, 0, 0, 0), 0);
            let mut buf = vec![0u8; PIECE];
            let mut got = 0usize;
            loop {
                let n = virStreamRecv(st, buf.as_mut_ptr().cast(), PIECE);
                assert!(n >= 0);
                if n == 0 {
                    break;
                }
                file.write_all(&buf[..n as usize]).unwrap();
                got += n as usize;
            }
            assert_eq!(virStreamFinish(st), 0);
            virStreamFree(st);
            assert_eq!(got, size);
            t.elapsed()
        };
        let curl = |args: &[&str]| {
            let t = Instant::now();
            let ok = Command::new("curl").args(args).status().unwrap().success();
            assert!(ok, "curl {args:?}");
            t.elapsed()
        };
        let src = source.to_str().unwrap();
        let dst = target.to_str().unwrap();
        // Alternating, three rounds; the medians count (the simulator writes to a real disk).
        let (mut up, mut down, mut curl_up, mut curl_down) = (vec![], vec![], vec![], vec![]);
        for _ in 0..3 {
            up.push(ours_upload());
            curl_up.push(curl(&["-sf", "-T", src, &url]));
            curl_down.push(curl(&["-sf", "-o", dst, &url]));
            down.push(ours_download());
        }
        let growth_mib = (peak_rss_kib().saturating_sub(rss_before)) as f64 / 1024.0;
        let median = |mut v: Vec<std::time::Duration>| {
            v.sort();
            v[v.len() / 2]
        };
        let (ours_up, ours_down) = (median(up), median(down));
        let (curl_up, curl_down) = (median(curl_up), median(curl_down));

        virStorageVolDelete(vol, 0);
        virStorageVolFree(vol);
        virStoragePoolFree(pool);
        virConnectClose(c);
        let _ = std::fs::remove_file(&source);
        let _ = std::fs::remove_file(&target);
        let rate = |d: std::time::Duration| mib as f64 / d.as_secs_f64();
        println!(
            "{mib} MiB: upload ours {:.0} MiB/s, curl {:.0} MiB/s ({:.0}% of curl, goal >= 80%); \
             download ours {:.0} MiB/s, curl {:.0} MiB/s ({:.0}%); peak RSS growth {growth_mib:.1} MiB \
             (goal <= 16)",
            rate(ours_up),
            rate(curl_up),
            100.0 * curl_up.as_secs_f64() / ours_up.as_secs_f64(),
            rate(ours_down),
            rate(curl_down),
            100.0 * curl_down.as_secs_f64() / ours_down.as_secs_f64(),
        );
    }
}
