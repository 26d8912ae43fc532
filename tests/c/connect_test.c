/* Connection test through the C ABI, written as a libvirt program would be: opens with an
 * auth callback, reads host facts, converts VMX files, provokes errors and checks libvirt's
 * error API. Run under valgrind by tools/test.sh against an ESX-mode simulator.
 * Usage: connect_test URI   (URI without a user: the callback is asked) */
#include "check.h"
#include <stddef.h>

static int errors_seen;
static void count_errors(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
    errors_seen++;
}

/* An auth callback whose resultlen does not match its string: libvirt reads the NUL-terminated
 * string whatever resultlen says (more than the string, 0, or fewer bytes). */
static int skew;
static int answer_skewed(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    int rc = answer_root(cred, ncred, cbdata);
    for (unsigned int i = 0; i < ncred; i++)
        cred[i].resultlen = skew == 0 ? cred[i].resultlen + 1000 : skew == 1 ? 0 : 1;
    return rc;
}

static void check_skewed_resultlen(const char *uri)
{
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_skewed, NULL };
    for (skew = 0; skew < 3; skew++) {
        virConnectPtr c = virConnectOpenAuth(uri, &auth, 0);
        CHECK(c != NULL, "resultlen skew %d", skew);
        if (c)
            virConnectClose(c);
    }
}

/* VMX <-> domain XML with the simulator's datastore LocalDS_0. */
static void check_conversions(virConnectPtr conn)
{
    const char *vmx =
        "config.version = \"8\"\n"
        "virtualHW.version = \"13\"\n"
        "displayName = \"c-test\"\n"
        "memsize = \"64\"\n"
        "scsi0.present = \"TRUE\"\n"
        "scsi0.virtualDev = \"lsilogic\"\n"
        "scsi0:0.present = \"TRUE\"\n"
        "scsi0:0.fileName = \"/vmfs/volumes/LocalDS_0/c-test/disk.vmdk\"\n";
    char *xml = virConnectDomainXMLFromNative(conn, "vmware-vmx", vmx, 0);
    CHECK(xml && strstr(xml, "<source file='[LocalDS_0] c-test/disk.vmdk'/>"),
          "XMLFromNative: %s", xml ? xml : virGetLastErrorMessage());
    char *native = xml ? virConnectDomainXMLToNative(conn, "vmware-vmx", xml, 0) : NULL;
    CHECK(native && strstr(native, "scsi0:0.fileName = \"/vmfs/volumes/LocalDS_0/c-test/disk.vmdk\""),
          "XMLToNative: %s", native ? native : virGetLastErrorMessage());
    free(native);
    free(xml);

    CHECK(virConnectDomainXMLFromNative(conn, "xen-xm", vmx, 0) == NULL &&
          virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "format");
    printf("wrong format: %s\n", virGetLastErrorMessage());
    CHECK(virConnectDomainXMLToNative(conn, "vmware-vmx", "<domain/>", 1) == NULL &&
          virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "flags");
    CHECK(virConnectDomainXMLFromNative(conn, "vmware-vmx", NULL, 0) == NULL &&
          virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "NULL config");
    CHECK(virConnectDomainXMLToNative(conn, "vmware-vmx", "<domain", 0) == NULL, "bad XML");
    CHECK(virConnectDomainXMLFromNative(NULL, "vmware-vmx", vmx, 0) == NULL &&
          virGetLastErrorCode() == VIR_ERR_INVALID_CONN, "NULL conn");

    /* A file in its own charset, as C hands it over (libvirt's API promises no UTF-8). */
    const char *latin = ".encoding = \"windows-1252\"\nconfig.version = \"8\"\n"
                        "virtualHW.version = \"4\"\ndisplayName = \"Caf\xe9\"\n";
    xml = virConnectDomainXMLFromNative(conn, "vmware-vmx", latin, 0);
    CHECK(xml && strstr(xml, "<name>Caf\xc3\xa9</name>"), "windows-1252 file: %s",
          xml ? xml : virGetLastErrorMessage());
    free(xml);
    const char *gbk = ".encoding = \"GBK\"\nconfig.version = \"8\"\n"
                      "virtualHW.version = \"4\"\ndisplayName = \"\xc4\xe3\xba\xc3\"\n";
    xml = virConnectDomainXMLFromNative(conn, "vmware-vmx", gbk, 0);
    CHECK(xml && strstr(xml, "<name>\xe4\xbd\xa0\xe5\xa5\xbd</name>"), "GBK file: %s",
          xml ? xml : virGetLastErrorMessage());
    free(xml);
    CHECK(virConnectDomainXMLFromNative(conn, "vmware-vmx",
                                        ".encoding = \"windows-1252\"\ndisplayName = \"\x81\"\n",
                                        0) == NULL &&
              strstr(virGetLastErrorMessage(), "line 2, the value of 'displayName', byte 1 (0x81)"),
          "a byte windows-1252 has not");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s URI\n", argv[0]);
        return 2;
    }
    CHECK(sizeof(virNodeInfo) == 64, "sizeof(virNodeInfo) = %zu", sizeof(virNodeInfo));
    CHECK(sizeof(virError) == 80, "sizeof(virError) = %zu", sizeof(virError));
    CHECK(sizeof(virConnectCredential) == 48, "sizeof(virConnectCredential)");
    CHECK(sizeof(virConnectAuth) == 32, "sizeof(virConnectAuth)");
    CHECK(sizeof(virDomainInfo) == 40 && offsetof(virDomainInfo, cpuTime) == 32, "virDomainInfo layout");
    CHECK(sizeof(virTypedParameter) == 96 && offsetof(virTypedParameter, type) == 80 &&
          offsetof(virTypedParameter, value) == 88, "virTypedParameter layout");
    CHECK(sizeof(virVcpuInfo) == 24, "sizeof(virVcpuInfo)");
    CHECK(sizeof(virDomainInterface) == 32 && sizeof(virDomainIPAddress) == 24, "interface layouts");
    CHECK(offsetof(virError, str1) == 40 && offsetof(virError, net) == 72, "virError layout");
    CHECK(offsetof(virConnectCredential, resultlen) == 40, "virConnectCredential layout");
    virSetErrorFunc(NULL, count_errors);

    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    int asked[2] = { 0, 0 };
    virConnectAuth auth = { credtypes, 2, answer_root, asked };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    if (!conn) {
        fprintf(stderr, "open failed: %s\n", virGetLastErrorMessage());
        return 1;
    }
    CHECK(asked[0] == 1 && asked[1] == 1, "asked %d/%d", asked[0], asked[1]);
    check_skewed_resultlen(argv[1]);

    /* No URI: libvirt's LIBVIRT_DEFAULT_URI names it. */
    setenv("LIBVIRT_DEFAULT_URI", argv[1], 1);
    virConnectPtr dflt = virConnectOpenAuth(NULL, &auth, 0);
    CHECK(dflt != NULL, "open with LIBVIRT_DEFAULT_URI");
    if (dflt)
        virConnectClose(dflt);
    unsetenv("LIBVIRT_DEFAULT_URI");

    virNodeInfo info;
    CHECK(virNodeGetInfo(conn, &info) == 0, "virNodeGetInfo: %s", virGetLastErrorMessage());
    printf("model=%s memory=%lu cpus=%u mhz=%u\n", info.model, info.memory, info.cpus, info.mhz);
    CHECK(info.memory > 0 && info.cpus > 0, "node info empty");

    unsigned long ver = 0, libver = 0;
    CHECK(virConnectGetVersion(conn, &ver) == 0 && ver > 0, "version");
    CHECK(virConnectGetLibVersion(conn, &libver) == 0 && libver == 11003000, "libversion");
    CHECK(virGetVersion(&libver, "ESX", &ver) == 0, "virGetVersion");
    CHECK(strcmp(virConnectGetType(conn), "ESX") == 0, "type");
    CHECK(virConnectIsAlive(conn) == 1, "alive");
    CHECK(virConnectIsEncrypted(conn) == 1 && virConnectIsSecure(conn) == 1, "https");

    char *caps = virConnectGetCapabilities(conn);
    CHECK(caps && strstr(caps, "<domain type='vmware'/>"), "capabilities");
    free(caps);
    char *domcaps = virConnectGetDomainCapabilities(conn, NULL, "x86_64", NULL, "vmware",
                                                    VIR_CONNECT_GET_DOMAIN_CAPABILITIES_DISABLE_DEPRECATED_FEATURES);
    CHECK(domcaps && strstr(domcaps, "<domain>vmware</domain>") && strstr(domcaps, "<vcpu max='128'/>"),
          "domain capabilities");
    free(domcaps);
    CHECK(virConnectGetDomainCapabilities(conn, "/usr/bin/kvm", NULL, NULL, NULL, 0) == NULL &&
              virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
          "no emulator");
    char **models = NULL;
    int nmodels = virConnectGetCPUModelNames(conn, "x86_64", &models, 0);
    CHECK(nmodels > 0 && models && models[nmodels] == NULL, "EVC modes (%d)", nmodels);
    int ivy = 0;
    for (int i = 0; i < nmodels; i++) {
        ivy |= strcmp(models[i], "intel-ivybridge") == 0;
        free(models[i]);
    }
    free(models);
    CHECK(ivy, "the hosts' mode is listed");
    CHECK(virConnectGetCPUModelNames(conn, "x86_64", NULL, 0) == nmodels, "count only");
    CHECK(virConnectCompareHypervisorCPU(conn, NULL, NULL, NULL, NULL,
                                         "<cpu><model>intel-nehalem</model></cpu>", 0) ==
              VIR_CPU_COMPARE_SUPERSET,
          "an older mode runs");
    CHECK(virConnectCompareHypervisorCPU(conn, NULL, NULL, NULL, NULL,
                                         "<cpu><model>intel-icelake</model></cpu>",
                                         VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE) == VIR_CPU_COMPARE_ERROR &&
              virGetLastErrorCode() == VIR_ERR_CPU_INCOMPATIBLE,
          "a newer one does not");
    const char *cpus[] = { "<cpu><model>intel-haswell</model></cpu>", "<cpu><model>intel-penryn</model></cpu>" };
    char *base = virConnectBaselineHypervisorCPU(conn, NULL, "x86_64", NULL, NULL, cpus, 2,
                                                 VIR_CONNECT_BASELINE_CPU_MIGRATABLE);
    CHECK(base && strstr(base, ">intel-penryn</model>"), "baseline");
    free(base);
    CHECK(virConnectBaselineHypervisorCPU(conn, NULL, NULL, NULL, NULL, cpus, 2,
                                          VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES) == NULL &&
              virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
          "no feature lists");
    CHECK(virConnectGetDomainCapabilities(conn, NULL, NULL, "vmx-99", NULL, 0) == NULL &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unknown machine");
    char *host = virConnectGetHostname(conn);
    CHECK(host && strlen(host) > 0, "hostname");
    printf("hostname=%s\n", host ? host : "(null)");
    free(host);
    char *uri = virConnectGetURI(conn);
    CHECK(uri && strcmp(uri, argv[1]) == 0, "uri");
    free(uri);
    char *sysinfo = virConnectGetSysinfo(conn, 0);
    CHECK(sysinfo && strstr(sysinfo, "<sysinfo type='smbios'>"), "sysinfo");
    free(sysinfo);
    CHECK(virConnectGetMaxVcpus(conn, NULL) > 0, "max vcpus");
    CHECK(virNodeGetFreeMemory(conn) > 0, "free memory");
    CHECK(virEsxConnectGetRoundTrips(conn) > 0, "round trips");
    check_conversions(conn);

    /* Errors: bad flags, then the error API round trip. */
    CHECK(virConnectGetSysinfo(conn, 99) == NULL, "bad flags accepted");
    virErrorPtr err = virGetLastError();
    CHECK(err && err->code == VIR_ERR_INVALID_ARG && err->level == VIR_ERR_ERROR, "last error");
    printf("provoked error: %s\n", err ? err->message : "(none)");
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "code");
    virErrorPtr saved = virSaveLastError();
    CHECK(saved && saved->code == VIR_ERR_INVALID_ARG && strcmp(saved->message, err->message) == 0, "saved");
    virFreeError(saved);
    virError copy;
    memset(&copy, 0, sizeof(copy));
    CHECK(virCopyLastError(&copy) == VIR_ERR_INVALID_ARG, "copy");
    virResetError(&copy);
    CHECK(virConnGetLastError(conn) != NULL, "per-connection error");
    virConnResetLastError(conn);
    CHECK(virConnGetLastError(conn) == NULL, "per-connection reset");
    virResetLastError();
    CHECK(virGetLastError() == NULL && strcmp(virGetLastErrorMessage(), "no error") == 0, "reset");

    /* NULL and stray handles are refused, never a crash. */
    CHECK(virConnectGetType(NULL) == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_CONN, "NULL conn");
    CHECK(virNodeGetInfo(conn, NULL) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "NULL info");
    CHECK(virConnectOpen("qemu:///system") == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "bad scheme");
    CHECK(virConnectOpenAuth("esx://h/?no_verify=2", &auth, 0) == NULL, "bad param");
    printf("bad parameter: %s\n", virGetLastErrorMessage());
    CHECK(errors_seen >= 5, "error handler called %d times", errors_seen);

    CHECK(virConnectRef(conn) == 0, "ref");
    CHECK(virConnectClose(conn) == 1, "close with a reference left");
    CHECK(virConnectClose(conn) == 0, "last close");

    return finish("C connection test");
}
