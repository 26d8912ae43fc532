//! The VNC remote display ⇄ `RemoteDisplay.vnc.*` and the SVGA adapter ⇄ `svga.vramSize`,
//! the only graphics and video devices VMware's VMX format describes.

use crate::error::Result;
use crate::vmx::file::{VmxFile, VmxWriter};
use crate::vmx::vmx_unsupported;
use crate::xml::domain::{Graphics, Video};

/// VMware's default video memory, bytes.
const DEFAULT_VRAM_BYTES: i64 = 4 * 1024 * 1024;

pub(crate) fn parse_vnc(vmx: &VmxFile) -> Result<Option<Graphics>> {
    if !vmx.boolean("RemoteDisplay.vnc.enabled", false)? {
        return Ok(None);
    }
    let port = vmx.long("RemoteDisplay.vnc.port", -1, true)?;
    let text = |name: &str| vmx.get(name).map(str::to_string);
    // without a port VMware picks one that cannot be read back
    let autoport = port < 0;
    Ok(Some(Graphics {
        graphics_type: "vnc".to_string(),
        port: if autoport {
            0
        } else {
            i32::try_from(port).unwrap_or(i32::MAX)
        },
        autoport,
        listen: text("RemoteDisplay.vnc.ip"),
        keymap: text("RemoteDisplay.vnc.keymap"),
        passwd: text("RemoteDisplay.vnc.password"),
    }))
}

pub(crate) fn format_vnc(graphics: &Graphics, w: &mut VmxWriter) -> Result<()> {
    if graphics.graphics_type != "vnc" {
        return Err(vmx_unsupported(format!(
            "Unsupported graphics type '{}'",
            graphics.graphics_type
        )));
    }
    w.set("RemoteDisplay.vnc.enabled", "true");
    if !graphics.autoport {
        w.set("RemoteDisplay.vnc.port", graphics.port);
    }
    for (name, value) in [
        ("RemoteDisplay.vnc.ip", &graphics.listen),
        ("RemoteDisplay.vnc.keymap", &graphics.keymap),
        ("RemoteDisplay.vnc.password", &graphics.passwd),
    ] {
        if let Some(value) = value {
            w.set(name, value);
        }
    }
    Ok(())
}

pub(crate) fn parse_svga(vmx: &VmxFile) -> Result<Video> {
    let bytes = vmx.long("svga.vramSize", DEFAULT_VRAM_BYTES, true)?.max(0);
    Ok(Video {
        model: "vmvga".to_string(),
        vram: u32::try_from((bytes as u64).div_ceil(1024)).unwrap_or(u32::MAX),
        heads: 0,
        primary: false,
    })
}

pub(crate) fn format_svga(video: &Video, w: &mut VmxWriter) -> Result<()> {
    if video.model != "vmvga" {
        return Err(vmx_unsupported(format!(
            "Unsupported video device type '{}'",
            video.model
        )));
    }
    if video.heads > 1 {
        return Err(vmx_unsupported("Multi-head video devices are unsupported"));
    }
    // Windows guests want a multiple of 64 KiB
    let vram_kib = u64::from(video.vram).div_ceil(64) * 64;
    w.set("svga.vramSize", vram_kib * 1024);
    Ok(())
}
