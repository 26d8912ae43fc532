/* What VMware Tools report through the C ABI: virDomainGetGuestInfo's typed parameters and
 * virDomainGetFSInfo's structs (freed with virTypedParamsFree and virDomainFSInfoFree), the
 * refusals' codes, NULL arguments. The simulator runs the launcher's stand-in Tools (-tools).
 * Run under valgrind by tools/test.sh. Usage: guest_test URI */
#include "check.h"

#include <time.h>

static void pause_briefly(void)
{
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: guest_test URI\n");
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    CHECK(conn != NULL, "open");
    if (!conn)
        return finish("C guest test");
    virDomainPtr dom = virDomainLookupByName(conn, "ha-host_VM1");
    CHECK(dom != NULL, "lookup");
    if (!dom) {
        virConnectClose(conn);
        return finish("C guest test");
    }
    if (virDomainIsActive(dom) != 1)
        CHECK(virDomainCreate(dom) == 0, "start");

    /* Tools report a moment after the guest starts: until then, an unresponsive agent. */
    virTypedParameterPtr params = NULL;
    int nparams = 0, rc = -1;
    for (int i = 0; i < 200 && rc < 0; i++) {
        rc = virDomainGetGuestInfo(dom, 0, &params, &nparams, 0);
        if (rc < 0) {
            CHECK(virGetLastErrorCode() == VIR_ERR_AGENT_UNRESPONSIVE, "waiting for Tools");
            pause_briefly();
        }
    }
    CHECK(rc == 0 && nparams > 0, "guest info");
    const char *s = NULL;
    unsigned int count = 0;
    CHECK(virTypedParamsGetString(params, nparams, "os.id", &s) == 1 && strcmp(s, "debian") == 0,
          "os.id");
    CHECK(virTypedParamsGetString(params, nparams, "hostname", &s) == 1 &&
              strcmp(s, "ha-host-vm1") == 0,
          "hostname");
    CHECK(virTypedParamsGetUInt(params, nparams, "fs.count", &count) == 1 && count >= 1, "fs.count");
    CHECK(virTypedParamsGetString(params, nparams, "fs.0.mountpoint", &s) == 1 && strcmp(s, "/") == 0,
          "root file system");
    CHECK(virTypedParamsGetUInt(params, nparams, "if.count", &count) == 1 && count >= 1, "if.count");
    virTypedParamsFree(params, nparams);

    params = NULL;
    nparams = 0;
    CHECK(virDomainGetGuestInfo(dom, VIR_DOMAIN_GUEST_INFO_HOSTNAME, &params, &nparams, 0) == 0 &&
              nparams == 1 && strcmp(params[0].field, "hostname") == 0,
          "one group");
    virTypedParamsFree(params, nparams);
    params = NULL;
    CHECK(virDomainGetGuestInfo(dom, VIR_DOMAIN_GUEST_INFO_USERS, &params, &nparams, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED && params == NULL,
          "users are not reported");
    CHECK(virDomainGetGuestInfo(dom, 1u << 20, &params, &nparams, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unknown group");
    CHECK(virDomainGetGuestInfo(dom, 0, NULL, &nparams, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "NULL params");

    virDomainFSInfoPtr *info = NULL;
    int n = virDomainGetFSInfo(dom, &info, 0);
    CHECK(n >= 1 && info != NULL, "fs info (%d)", n);
    for (int i = 0; i < n; i++) {
        CHECK(info[i]->mountpoint && info[i]->fstype && strcmp(info[i]->fstype, "ext4") == 0,
              "file system %d", i);
        CHECK(info[i]->ndevAlias == 1 && strncmp(info[i]->devAlias[0], "sd", 2) == 0, "disk of %d", i);
        virDomainFSInfoFree(info[i]);
    }
    free(info);
    virDomainFSInfoFree(NULL);
    CHECK(virDomainGetFSInfo(dom, NULL, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "NULL info");
    CHECK(virDomainGetFSInfo(NULL, &info, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_DOMAIN,
          "NULL domain");
    CHECK(virDomainGetGuestVcpus(dom, &params, (unsigned int *)&nparams, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
          "guest vCPUs are not reported");

    virDomainFree(dom);
    virConnectClose(conn);
    return finish("C guest test");
}
