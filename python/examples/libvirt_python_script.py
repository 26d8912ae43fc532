"""A script as written for libvirt-python (list domains with their info and XML through openAuth
and a callback); only its import line differs. Usage: libvirt_python_script.py URI"""
import sys

import libvirt_esx as libvirt  # was: import libvirt


def request_credentials(credentials, user_data):
    for credential in credentials:
        if credential[0] == libvirt.VIR_CRED_AUTHNAME:
            credential[4] = user_data[0]
        elif credential[0] == libvirt.VIR_CRED_PASSPHRASE:
            credential[4] = user_data[1]
        else:
            return -1
    return 0


auth = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], request_credentials,
        ["root", "secret"]]
try:
    conn = libvirt.openAuth(sys.argv[1], auth, 0)
except libvirt.libvirtError as e:
    print("Failed to open connection: %s" % e, file=sys.stderr)
    sys.exit(1)

for dom in conn.listAllDomains(0):
    state, maxmem, mem, cpus, cput = dom.info()
    print("%s id=%d state=%d maxmem=%d mem=%d cpus=%d" % (dom.name(), dom.ID(), state, maxmem,
                                                          mem, cpus))
    print(dom.XMLDesc(0).splitlines()[0])
conn.close()
