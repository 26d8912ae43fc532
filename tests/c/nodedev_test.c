/* Node devices through the C ABI: the host and its PCI functions listed (all, by capability,
 * by name), described, their parents and capabilities; a function's passthrough switched on
 * and back off; the refusals' error codes; every handle freed. Run under valgrind by
 * tools/test.sh. Usage: nodedev_test URI */
#include "check.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: nodedev_test URI\n");
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    CHECK(conn != NULL, "open");
    if (!conn)
        return finish("C node device test");

    virNodeDevicePtr *devs = NULL;
    int n = virConnectListAllNodeDevices(conn, &devs, VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV);
    CHECK(n == 43 && devs && devs[n] == NULL, "43 PCI functions (%d)", n);
    for (int i = 0; i < n; i++) {
        char *caps[2] = { 0 };
        CHECK(virNodeDeviceNumOfCaps(devs[i]) == 1 && virNodeDeviceListCaps(devs[i], caps, 2) == 1 &&
              strcmp(caps[0], "pci") == 0, "pci capability");
        free(caps[0]);
        CHECK(virNodeDeviceGetParent(devs[i]) != NULL, "a function has a parent");
        virNodeDeviceFree(devs[i]);
    }
    free(devs);
    CHECK(virNodeNumOfDevices(conn, NULL, 0) == 44 && virNodeNumOfDevices(conn, "system", 0) == 1,
          "counts");
    char *names[2] = { 0 };
    CHECK(virNodeListDevices(conn, "system", names, 2, 0) == 1 && strcmp(names[0], "computer") == 0,
          "the host by capability");
    free(names[0]);

    virNodeDevicePtr root = virNodeDeviceLookupByName(conn, "computer");
    CHECK(root && virNodeDeviceGetParent(root) == NULL && virGetLastErrorCode() == VIR_ERR_OK,
          "the root has no parent, and that is no error");
    char *xml = root ? virNodeDeviceGetXMLDesc(root, 0) : NULL;
    CHECK(xml && strstr(xml, "<capability type='system'>"), "host xml");
    free(xml);
    CHECK(root && virNodeDeviceDetachFlags(root, NULL, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "the host is not a PCI device");
    virNodeDeviceFree(root);

    virNodeDevicePtr nic = virNodeDeviceLookupByName(conn, "pci_0000_0b_00_0");
    CHECK(nic && strcmp(virNodeDeviceGetName(nic), "pci_0000_0b_00_0") == 0 &&
          strcmp(virNodeDeviceGetParent(nic), "pci_0000_00_16_0") == 0, "by name, with its bridge");
    xml = nic ? virNodeDeviceGetXMLDesc(nic, 0) : NULL;
    CHECK(xml && strstr(xml, "<class>0x020000</class>") && strstr(xml, "<bus>11</bus>"), "pci xml");
    free(xml);
    CHECK(nic && virNodeDeviceDetachFlags(nic, "vfio", 0) == 0, "detach");
    CHECK(nic && virNodeDeviceReAttach(nic) == 0, "re-attach");
    CHECK(nic && virNodeDeviceDetachFlags(nic, "kvm", 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "an unknown driver");
    CHECK(nic && virNodeDeviceGetXMLDesc(nic, 1) == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unknown flags");
    CHECK(nic && virNodeDeviceReset(nic) == -1 && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT, "no reset");
    virNodeDeviceFree(nic);
    CHECK(virNodeDeviceLookupByName(conn, "usb_1_1") == NULL && virGetLastErrorCode() == VIR_ERR_NO_NODE_DEVICE,
          "unknown device");
    CHECK(virNodeDeviceGetName(NULL) == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_NODE_DEVICE,
          "NULL handle");
    virConnectClose(conn);
    return finish("C node device test");
}
