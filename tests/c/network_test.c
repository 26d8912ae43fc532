/* Networks and interfaces through the C ABI: the host's vSwitches and NICs listed, looked up
 * by name, UUID and MAC, described; a vSwitch defined, its port groups updated, undefined;
 * the refusals' error codes; every handle freed. Run under valgrind by tools/test.sh.
 * Usage: network_test URI */
#include "check.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: network_test URI\n");
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    CHECK(conn != NULL, "open");
    if (!conn)
        return finish("C network test");

    virNetworkPtr *nets = NULL;
    int n = virConnectListAllNetworks(conn, &nets, VIR_CONNECT_LIST_NETWORKS_ACTIVE);
    CHECK(n == 1 && nets && nets[1] == NULL, "one vSwitch (%d)", n);
    if (n > 0) {
        char uuid[VIR_UUID_STRING_BUFLEN];
        CHECK(virNetworkGetUUIDString(nets[0], uuid) == 0, "uuid");
        virNetworkPtr same = virNetworkLookupByUUIDString(conn, uuid);
        CHECK(same && strcmp(virNetworkGetName(same), "vSwitch0") == 0, "lookup by UUID");
        char *xml = same ? virNetworkGetXMLDesc(same, 0) : NULL;
        CHECK(xml && strstr(xml, "<interface dev='vmnic0'/>"), "network xml");
        free(xml);
        CHECK(same && virNetworkGetBridgeName(same) == NULL && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
              "no bridge device");
        CHECK(same && virNetworkCreate(same) == -1 && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
              "a vSwitch is always active");
        int autostart = 0;
        CHECK(same && virNetworkGetAutostart(same, &autostart) == 0 && autostart == 1, "autostart");
        virNetworkFree(same);
        for (int i = 0; i < n; i++)
            virNetworkFree(nets[i]);
    }
    free(nets);
    CHECK(virNetworkLookupByName(conn, "nope") == NULL && virGetLastErrorCode() == VIR_ERR_NO_NETWORK,
          "unknown network");
    char *names[4] = { 0 };
    CHECK(virConnectListNetworks(conn, names, 4) == 1 && strcmp(names[0], "vSwitch0") == 0, "names");
    free(names[0]);

    virInterfacePtr *ifaces = NULL;
    n = virConnectListAllInterfaces(conn, &ifaces, 0);
    CHECK(n == 4, "four NICs (%d)", n);
    for (int i = 0; i < n; i++) {
        const char *mac = virInterfaceGetMACString(ifaces[i]);
        virInterfacePtr by_mac = virInterfaceLookupByMACString(conn, mac);
        CHECK(by_mac && strcmp(virInterfaceGetName(by_mac), virInterfaceGetName(ifaces[i])) == 0,
              "lookup by MAC");
        char *xml = by_mac ? virInterfaceGetXMLDesc(by_mac, 0) : NULL;
        CHECK(xml && strstr(xml, "<start mode='onboot'/>"), "interface xml");
        free(xml);
        virInterfaceFree(by_mac);
        virInterfaceFree(ifaces[i]);
    }
    free(ifaces);
    virInterfacePtr nic = virInterfaceLookupByName(conn, "vmnic0");
    CHECK(nic && virInterfaceIsActive(nic) == 1, "vmnic0 by name");
    CHECK(nic && virInterfaceDestroy(nic, 0) == -1 && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
          "a NIC is hardware");
    virInterfaceFree(nic);
    CHECK(virInterfaceLookupByName(conn, "vmnic9") == NULL && virGetLastErrorCode() == VIR_ERR_NO_INTERFACE,
          "unknown NIC");
    virNetworkPtr made = virNetworkDefineXML(conn,
        "<network><name>vSwitchC</name><forward mode='bridge' dev='vmnic2'/>"
        "<portgroup name='cPg'><vlan><tag id='42'/></vlan></portgroup></network>");
    CHECK(made != NULL, "define");
    if (made) {
        virNetworkPtr seen = virNetworkLookupByName(conn, "vSwitchC");
        char *xml = seen ? virNetworkGetXMLDesc(seen, 0) : NULL;
        CHECK(xml && strstr(xml, "<tag id='42'/>") && strstr(xml, "dev='vmnic2'"), "defined xml");
        free(xml);
        virNetworkFree(seen);
        CHECK(virNetworkUpdate(made, VIR_NETWORK_UPDATE_COMMAND_MODIFY,
                               VIR_NETWORK_SECTION_PORTGROUP, -1,
                               "<portgroup name='cPg'><vlan><tag id='7'/></vlan></portgroup>",
                               VIR_NETWORK_UPDATE_AFFECT_CURRENT) == 0, "update");
        xml = virNetworkGetXMLDesc(made, 0);
        CHECK(xml && strstr(xml, "<tag id='7'/>"), "updated xml");
        free(xml);
        CHECK(virNetworkUpdate(made, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, VIR_NETWORK_SECTION_DNS_HOST,
                               -1, "<host/>", 0) == -1 && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
              "other sections");
        CHECK(virNetworkUpdate(made, 99, VIR_NETWORK_SECTION_PORTGROUP, -1, "<portgroup name='x'/>",
                               0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "unknown command");
        CHECK(virNetworkUpdate(made, VIR_NETWORK_UPDATE_COMMAND_ADD_LAST,
                               VIR_NETWORK_SECTION_PORTGROUP, -1, NULL, 0) == -1
              && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "NULL xml");
        CHECK(virNetworkUndefine(made) == 0, "undefine");
        CHECK(virNetworkLookupByName(conn, "vSwitchC") == NULL && virGetLastErrorCode() == VIR_ERR_NO_NETWORK,
              "undefined");
        virNetworkFree(made);
    }
    CHECK(virNetworkDefineXMLFlags(conn, "<network><name>y</name><ip/></network>", 0) == NULL
          && virGetLastErrorCode() == VIR_ERR_CONFIG_UNSUPPORTED, "what a vSwitch cannot hold");
    CHECK(virNetworkDefineXMLFlags(conn, "<network><name>y</name></network>", 4) == NULL
          && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "unknown flag");
    CHECK(virNetworkGetName(NULL) == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_NETWORK, "NULL network");
    virConnectClose(conn);

    /* A vCenter datacenter scope: its distributed switch, read-only. */
    if (argc > 2) {
        char uri[256];
        snprintf(uri, sizeof uri, "vpx://%s/DC0?no_verify=1", argv[2]);
        virConnectPtr vc = virConnectOpenAuth(uri, &auth, 0);
        CHECK(vc != NULL, "open vpx");
        virNetworkPtr dvs = vc ? virNetworkLookupByName(vc, "DVS0") : NULL;
        char *xml = dvs ? virNetworkGetXMLDesc(dvs, 0) : NULL;
        CHECK(xml && strstr(xml, "<forward mode='bridge'/>") && strstr(xml, "'DC0_DVPG0'"),
              "distributed switch xml");
        free(xml);
        CHECK(dvs && virNetworkUndefine(dvs) == -1 && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
              "a distributed switch is read-only");
        virNetworkFree(dvs);
        if (vc)
            virConnectClose(vc);
    }
    return finish("C network test");
}
