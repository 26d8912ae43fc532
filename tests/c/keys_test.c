/* virDomainSendKey through the C ABI: Ctrl+Alt+Delete in Linux keycodes and a key in every
 * other keycode set libvirt defines, then libvirt's argument checks (no keys, too many, an
 * unknown set, NULL keycodes) and a read-only connection. The keys the guest saw are checked
 * by tests/keys.rs. Run under valgrind by tools/test.sh. Usage: keys_test URI */
#include "check.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: keys_test URI\n");
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    virConnectPtr ro = virConnectOpenAuth(argv[1], &auth, VIR_CONNECT_RO);
    CHECK(conn && ro, "open");
    if (!conn || !ro)
        return finish("C keys test");
    virDomainPtr dom = virDomainLookupByName(conn, "ha-host_VM1");
    CHECK(dom != NULL, "lookup");
    if (!dom)
        return finish("C keys test");
    if (virDomainIsActive(dom) != 1)
        CHECK(virDomainCreate(dom) == 0, "start");

    unsigned int cad[] = { 29, 56, 111 };
    CHECK(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 10, cad, 3, 0) == 0, "Ctrl+Alt+Delete");
    /* The A key in each set (keymaps.csv). */
    unsigned int a[VIR_KEYCODE_SET_QNUM + 1] = { 30, 0x1e, 0x1e, 0x1c, 0x1c, 0x00, 0x1e, 0x04, 0x41, 0x1e };
    for (unsigned int set = 0; set <= VIR_KEYCODE_SET_QNUM; set++)
        CHECK(virDomainSendKey(dom, set, 0, &a[set], 1, 0) == 0, "A in set %u", set);
    CHECK(virDomainSendKey(dom, VIR_KEYCODE_SET_RFB, 0, &a[VIR_KEYCODE_SET_QNUM], 1, 0) == 0, "rfb");

    unsigned int many[VIR_DOMAIN_SEND_KEY_MAX_KEYS + 1] = { 0 };
    CHECK(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, many, 0, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "no keys");
    CHECK(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, many, VIR_DOMAIN_SEND_KEY_MAX_KEYS + 1, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "too many keys");
    CHECK(virDomainSendKey(dom, 99, 0, cad, 1, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unknown set");
    CHECK(virDomainSendKey(dom, VIR_KEYCODE_SET_LINUX, 0, NULL, 1, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "NULL keycodes");
    unsigned int none = 0x4000;
    CHECK(virDomainSendKey(dom, VIR_KEYCODE_SET_USB, 0, &none, 1, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR,
          "no such key");
    virDomainPtr ro_dom = virDomainLookupByName(ro, "ha-host_VM1");
    CHECK(ro_dom && virDomainSendKey(ro_dom, VIR_KEYCODE_SET_LINUX, 0, cad, 1, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_OPERATION_DENIED,
          "read-only");

    virDomainFree(ro_dom);
    virDomainFree(dom);
    virConnectClose(ro);
    virConnectClose(conn);
    return finish("C keys test");
}
