/* CPU pinning through the C ABI over the VM's one affinity set: virDomainPinEmulator and
 * virDomainPinVcpu(Flags) read back by a second connection with virDomainGetEmulatorPinInfo,
 * virDomainGetVcpuPinInfo and virDomainGetVcpus' maps; the refusals' codes. Run under
 * valgrind by tools/test.sh. Usage: pinning_test URI */
#include "check.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pinning_test URI\n");
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    virConnectPtr other = virConnectOpenAuth(argv[1], &auth, 0);
    CHECK(conn && other, "open");
    if (!conn || !other)
        return finish("C pinning test");
    virDomainPtr dom = virDomainLookupByName(conn, "ha-host_VM1");
    virDomainPtr seen = virDomainLookupByName(other, "ha-host_VM1");
    CHECK(dom && seen, "lookup");
    if (!dom || !seen)
        return finish("C pinning test");
    if (virDomainIsActive(dom) != 1)
        CHECK(virDomainCreate(dom) == 0, "start");

    unsigned char map = 0;
    CHECK(virDomainGetEmulatorPinInfo(seen, &map, 1, 0) == 1 && map == 0x3, "every CPU (%#x)", map);
    unsigned char second = 0x2;
    CHECK(virDomainPinEmulator(dom, &second, 1, VIR_DOMAIN_AFFECT_LIVE) == 0, "pin the VM");
    CHECK(virDomainGetEmulatorPinInfo(seen, &map, 1, 0) == 1 && map == 0x2, "pinned (%#x)", map);
    unsigned char maps[4] = { 0 };
    CHECK(virDomainGetVcpuPinInfo(seen, 4, maps, 1, 0) == 1 && maps[0] == 0x2, "vCPU map");
    virVcpuInfo info[2];
    unsigned char vmaps[2] = { 0 };
    CHECK(virDomainGetVcpus(seen, info, 2, vmaps, 1) == 1 && vmaps[0] == 0x2, "GetVcpus map");
    unsigned char first = 0x1;
    CHECK(virDomainPinVcpu(dom, 0, &first, 1) == 0, "pin vCPU 0");
    CHECK(virDomainGetEmulatorPinInfo(seen, &map, 1, 0) == 1 && map == 0x1, "pinned (%#x)", map);
    unsigned char all = 0x3;
    CHECK(virDomainPinVcpuFlags(dom, 0, &all, 1, VIR_DOMAIN_AFFECT_CURRENT) == 0, "unpin");
    CHECK(virDomainGetEmulatorPinInfo(seen, &map, 1, 0) == 1 && map == 0x3, "unpinned (%#x)", map);

    unsigned char none = 0, beyond = 0x80;
    CHECK(virDomainPinEmulator(dom, &none, 1, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "empty map");
    CHECK(virDomainPinEmulator(dom, &beyond, 1, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "no such CPU");
    CHECK(virDomainPinVcpu(dom, 7, &first, 1) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "no such vCPU");
    CHECK(virDomainPinVcpu(dom, 0, NULL, 1) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "NULL map");
    CHECK(virDomainGetVcpuPinInfo(seen, 0, maps, 1, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "no maps");

    virDomainFree(seen);
    virDomainFree(dom);
    virConnectClose(other);
    virConnectClose(conn);
    return finish("C pinning test");
}
