"""Debian's python3-libvirt, unmodified, on the drop-in (run with LD_LIBRARY_PATH=build/dropin):
opens the simulator with an auth callback, lists domains with their info, suspends and resumes
one, and receives its lifecycle events through libvirt's default event loop; an unsupported call,
and the QEMU and LXC modules' calls (through the drop-in's libvirt-qemu.so.0 and libvirt-lxc.so.0),
raise libvirtError with VIR_ERR_NO_SUPPORT. Usage: python3 python_libvirt.py HOST:PORT"""
import sys
import time

import libvirt
import libvirt_lxc
import libvirt_qemu

OURS = 11003000  # the libvirt version libvirt_esx implements; Debian's own libvirt0 says 9000000


def main():
    assert libvirt.getVersion() == OURS, f"not the drop-in: libvirt {libvirt.getVersion()}"
    libvirt.virEventRegisterDefaultImpl()

    def ask(creds, _):
        for c in creds:
            c[4] = "root" if c[0] == libvirt.VIR_CRED_AUTHNAME else "secret"
        return 0

    auth = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], ask, None]
    conn = libvirt.openAuth(f"esx://{sys.argv[1]}/?no_verify=1", auth, 0)
    doms = conn.listAllDomains()
    assert doms, "no domains"
    for d in doms:
        print(d.name(), d.info())
    seen = []
    cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                     lambda c, d, event, detail, o: seen.append((d.name(), event)), None)
    dom = conn.lookupByName("ha-host_VM0")
    if not dom.isActive():
        dom.create()
    time.sleep(0.5)  # the watcher's first read
    dom.suspend()
    assert dom.info()[0] == libvirt.VIR_DOMAIN_PAUSED
    dom.resume()
    deadline = time.time() + 20
    want = {("ha-host_VM0", libvirt.VIR_DOMAIN_EVENT_SUSPENDED),
            ("ha-host_VM0", libvirt.VIR_DOMAIN_EVENT_RESUMED)}
    while not want <= set(seen) and time.time() < deadline:
        libvirt.virEventRunDefaultImpl()
    assert want <= set(seen), f"events seen: {seen}"
    conn.domainEventDeregisterAny(cb)
    try:
        conn.secretLookupByUUIDString("3b8fbd44-95f9-4c84-9f5e-38c7bcdbc17d")
        raise AssertionError("a secret was found")
    except libvirt.libvirtError as e:
        assert e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT, e
    for call in (lambda: libvirt_qemu.qemuMonitorCommand(dom, "info status", 0),
                 lambda: libvirt_qemu.qemuAgentCommand(dom, "{}", 5, 0),
                 lambda: libvirt_lxc.lxcOpenNamespace(dom, 0)):
        try:
            call()
            raise AssertionError("a QEMU or LXC call succeeded")
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT, e
            assert "VMware" in str(e), e
    conn.close()
    print(f"python3-libvirt on the drop-in: {len(doms)} domains, events {sorted(set(seen))}")


main()
