/* A disk's size and I/O controls through the C ABI: virDomainBlockResize, Get/SetBlockIoTune
 * and Get/SetBlkioParameters with libvirt's "how many?" call, each read back by a second
 * connection; the refusals' codes. Run under valgrind by tools/test.sh.
 * Usage: disk_control_test URI */
#include "check.h"

static unsigned long long capacity(virDomainPtr dom)
{
    virDomainBlockInfo info;
    return virDomainGetBlockInfo(dom, "sda", &info, 0) == 0 ? info.capacity : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: disk_control_test URI\n");
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    virConnectPtr other = virConnectOpenAuth(argv[1], &auth, 0);
    CHECK(conn && other, "open");
    if (!conn || !other)
        return finish("C disk control test");
    virDomainPtr dom = virDomainLookupByName(conn, "ha-host_VM1");
    virDomainPtr seen = virDomainLookupByName(other, "ha-host_VM1");
    CHECK(dom && seen, "lookup");
    if (!dom || !seen)
        return finish("C disk control test");

    unsigned long long size = capacity(dom);
    CHECK(size > 0, "capacity");
    CHECK(virDomainBlockResize(dom, "sda", size / 1024 + 1024, 0) == 0, "grow by 1 MiB (KiB)");
    CHECK(capacity(seen) == size + 1024 * 1024, "grown as the server says");
    CHECK(virDomainBlockResize(dom, "sda", size + 2 * 1024 * 1024, VIR_DOMAIN_BLOCK_RESIZE_BYTES) == 0,
          "grow (bytes)");
    CHECK(virDomainBlockResize(dom, "sda", size, VIR_DOMAIN_BLOCK_RESIZE_BYTES) == -1 &&
              virGetLastErrorCode() == VIR_ERR_OPERATION_UNSUPPORTED,
          "no shrinking");
    CHECK(virDomainBlockResize(dom, "sda", 0, VIR_DOMAIN_BLOCK_RESIZE_CAPACITY) == -1 &&
              virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
          "CAPACITY refused");
    CHECK(virDomainBlockResize(dom, NULL, 1, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "NULL disk");
    CHECK(capacity(seen) == size + 2 * 1024 * 1024, "the server keeps the larger size");

    virTypedParameterPtr set = NULL;
    int nset = 0, maxset = 0;
    CHECK(virTypedParamsAddULLong(&set, &nset, &maxset, VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC, 750) == 0,
          "add");
    CHECK(virDomainSetBlockIoTune(dom, "sda", set, nset, VIR_DOMAIN_AFFECT_LIVE) == 0, "set IOPS");
    virTypedParamsFree(set, nset);
    int n = 0;
    CHECK(virDomainGetBlockIoTune(seen, "sda", NULL, &n, 0) == 0 && n == 1, "how many");
    virTypedParameter got[4];
    unsigned long long limit = 0;
    CHECK(virDomainGetBlockIoTune(seen, "sda", got, &n, 0) == 0 &&
              virTypedParamsGetULLong(got, n, VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC, &limit) == 1 &&
              limit == 750,
          "limit read back (%llu)", limit);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddULLong(&set, &nset, &maxset, VIR_DOMAIN_BLOCK_IOTUNE_READ_BYTES_SEC, 1);
    CHECK(virDomainSetBlockIoTune(dom, "sda", set, nset, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
          "only total IOPS");
    virTypedParamsFree(set, nset);

    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_DOMAIN_BLKIO_WEIGHT, 800);
    CHECK(virDomainSetBlkioParameters(dom, set, nset, 0) == 0, "set weight");
    virTypedParamsFree(set, nset);
    n = 0;
    CHECK(virDomainGetBlkioParameters(seen, NULL, &n, 0) == 0 && n == 2, "how many blkio");
    unsigned int weight = 0;
    const char *each = NULL;
    CHECK(virDomainGetBlkioParameters(seen, got, &n, 0) == 0 &&
              virTypedParamsGetUInt(got, n, VIR_DOMAIN_BLKIO_WEIGHT, &weight) == 1 && weight == 800 &&
              virTypedParamsGetString(got, n, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, &each) == 1 &&
              strcmp(each, "sda,800") == 0,
          "weight read back (%u, %s)", weight, each ? each : "");
    virTypedParamsClear(got, n);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddString(&set, &nset, &maxset, VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, "sda,0");
    CHECK(virDomainSetBlkioParameters(dom, set, nset, 0) == 0, "reset one disk");
    virTypedParamsFree(set, nset);
    set = NULL;
    nset = maxset = 0;
    virTypedParamsAddUInt(&set, &nset, &maxset, VIR_DOMAIN_BLKIO_WEIGHT, 5000);
    CHECK(virDomainSetBlkioParameters(dom, set, nset, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "weight out of range");
    virTypedParamsFree(set, nset);

    virDomainFree(seen);
    virDomainFree(dom);
    virConnectClose(other);
    virConnectClose(conn);
    return finish("C disk control test");
}
