/* Error handlers that call back into the library, as libvirt programs' handlers do: they read
 * the last error, copy and save it, and make further calls (which reset it) while handling.
 * Run under valgrind by tools/test.sh. Usage: error_test URI */
#include "check.h"

static int depth, calls, saw_code, saw_name;

static void reenter(void *data, virErrorPtr err)
{
    virConnectPtr conn = data;
    calls++;
    if (depth++ > 0) { /* the nested failure below reports here too */
        depth--;
        return;
    }
    saw_code = err->code;
    saw_name = err->message && strstr(err->message, "virConnectGetType") != NULL;

    virErrorPtr last = virGetLastError();
    CHECK(last && last->code == err->code, "virGetLastError inside the handler");
    CHECK(strcmp(virGetLastErrorMessage(), err->message) == 0, "virGetLastErrorMessage");
    virError copy;
    memset(&copy, 0, sizeof copy);
    CHECK(virCopyLastError(&copy) == err->code && copy.message, "virCopyLastError");
    virResetError(&copy);
    virErrorPtr saved = virSaveLastError();
    CHECK(saved && saved->code == err->code, "virSaveLastError");
    virFreeError(saved);
    if (conn) {
        virErrorPtr on_conn = virConnGetLastError(conn);
        CHECK(on_conn && on_conn->code == err->code, "virConnGetLastError");
        /* A call that succeeds resets the thread's last error; `err` stays readable. */
        char *host = virConnectGetHostname(conn);
        CHECK(host != NULL, "virConnectGetHostname inside the handler");
        free(host);
        CHECK(virGetLastError() == NULL, "a successful call resets the last error");
    }
    /* A nested failure dispatches to this handler again (depth guards it). */
    CHECK(virConnectGetType(NULL) == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_CONN,
          "nested failure");
    CHECK(err->message && strlen(err->message) > 0, "the handler's error outlives nested calls");
    depth--;
}

/* The last error names `name` as a word of its own: "virDomainCreate" does not count when the
 * message says "virDomainCreateWithFlags". */
static int names_itself(const char *name)
{
    const char *msg = virGetLastErrorMessage();
    for (const char *at = strstr(msg, name); at; at = strstr(at + 1, name)) {
        char next = at[strlen(name)];
        if (!(next >= 'a' && next <= 'z') && !(next >= 'A' && next <= 'Z'))
            return 1;
    }
    return 0;
}

/* Every export reports its own name, the plain and Flags variants of one API alike: on a NULL
 * handle, and (for modifying calls) on a read-only connection. */
#define NAMED(call, name) \
    do { (void)(call); CHECK(names_itself(name), "%s not named", name); } while (0)

static void check_api_names(virDomainPtr ro_dom)
{
    int n = 0;
    NAMED(virDomainGetMaxVcpus(NULL), "virDomainGetMaxVcpus");
    NAMED(virDomainGetVcpusFlags(NULL, 0), "virDomainGetVcpusFlags");
    NAMED(virDomainGetSchedulerParameters(NULL, NULL, &n), "virDomainGetSchedulerParameters");
    NAMED(virDomainGetSchedulerParametersFlags(NULL, NULL, &n, 0),
          "virDomainGetSchedulerParametersFlags");
    NAMED(virDomainDefineXML(NULL, "<domain/>"), "virDomainDefineXML");
    NAMED(virDomainDefineXMLFlags(NULL, "<domain/>", 0), "virDomainDefineXMLFlags");
    NAMED(virDomainUndefine(NULL), "virDomainUndefine");
    NAMED(virDomainUndefineFlags(NULL, 0), "virDomainUndefineFlags");
    NAMED(virConnectGetSysinfo(NULL, 0), "virConnectGetSysinfo");

    NAMED(virDomainCreate(ro_dom), "virDomainCreate");
    NAMED(virDomainCreateWithFlags(ro_dom, 0), "virDomainCreateWithFlags");
    NAMED(virDomainDestroy(ro_dom), "virDomainDestroy");
    NAMED(virDomainDestroyFlags(ro_dom, 0), "virDomainDestroyFlags");
    NAMED(virDomainShutdown(ro_dom), "virDomainShutdown");
    NAMED(virDomainShutdownFlags(ro_dom, 0), "virDomainShutdownFlags");
    NAMED(virDomainSetMemory(ro_dom, 1024), "virDomainSetMemory");
    NAMED(virDomainSetMaxMemory(ro_dom, 1024), "virDomainSetMaxMemory");
    NAMED(virDomainSetMemoryFlags(ro_dom, 1024, 0), "virDomainSetMemoryFlags");
    NAMED(virDomainSetVcpus(ro_dom, 1), "virDomainSetVcpus");
    NAMED(virDomainSetVcpusFlags(ro_dom, 1, 0), "virDomainSetVcpusFlags");
    NAMED(virDomainSetSchedulerParameters(ro_dom, NULL, 0), "virDomainSetSchedulerParameters");
    NAMED(virDomainSetSchedulerParametersFlags(ro_dom, NULL, 0, 0),
          "virDomainSetSchedulerParametersFlags");
    NAMED(virDomainUndefine(ro_dom), "virDomainUndefine");
    NAMED(virDomainUndefineFlags(ro_dom, 0), "virDomainUndefineFlags");
    NAMED(virDomainShutdownFlags(ro_dom, 1), "virDomainShutdownFlags"); /* unknown flag */
    NAMED(virDomainGetVcpusFlags(ro_dom, 0x100), "virDomainGetVcpusFlags");
    /* Unknown bits are named before any other check looks at the known ones. */
    CHECK(virDomainGetVcpusFlags(ro_dom, VIR_DOMAIN_VCPU_GUEST | 0x100) == -1 &&
              strstr(virGetLastErrorMessage(), "unsupported flags (0x100)"),
          "unknown flags first");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s URI\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, reenter);
    CHECK(virConnectGetType(NULL) == NULL, "NULL connection");
    CHECK(calls == 2 && saw_code == VIR_ERR_INVALID_CONN && saw_name,
          "global handler: calls=%d code=%d name=%d", calls, saw_code, saw_name);
    CHECK(virGetLastErrorCode() == VIR_ERR_INVALID_CONN, "last error after the handler");

    virSetErrorFunc(NULL, quiet);
    virConnectAuth auth = { (int[]){ VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE }, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    if (!conn) {
        fprintf(stderr, "open failed: %s\n", virGetLastErrorMessage());
        return 1;
    }
    calls = 0;
    virConnSetErrorFunc(conn, conn, reenter);
    CHECK(virConnectGetSysinfo(conn, 0x40) == NULL, "bad flags fail");
    /* The nested virConnectGetType(NULL) has no connection: it goes to the global handler;
     * only the connection's failure reaches `reenter`. */
    CHECK(calls == 1 && saw_code == VIR_ERR_INVALID_ARG, "connection handler: calls=%d code=%d",
          calls, saw_code);
    virConnSetErrorFunc(conn, NULL, NULL);
    virConnectClose(conn);

    virConnectPtr ro = virConnectOpenAuth(argv[1], &auth, VIR_CONNECT_RO);
    virDomainPtr *doms = NULL;
    int listed = ro ? virConnectListAllDomains(ro, &doms, 0) : -1;
    CHECK(listed > 0, "read-only listing");
    CHECK(virEsxGetLiveHandles() == 1 + listed, "live handles: %lld", virEsxGetLiveHandles());
    if (doms) {
        check_api_names(doms[0]);
        for (virDomainPtr *d = doms; *d; d++)
            virDomainFree(*d);
        free(doms);
    }
    if (ro)
        CHECK(virConnectClose(ro) == 0, "the last reference closes");
    CHECK(virEsxGetLiveHandles() == 0, "handles left: %lld", virEsxGetLiveHandles());
    return finish("C error handler test");
}
