/* Migration through the C ABI on a vCenter: virDomainMigrate to a cluster, virDomainMigrate3
 * with typed parameters, virDomainMigrateToURI peer to peer (the library asks the same auth
 * callback), job info when idle and refusals; every handle freed. Run under valgrind by
 * tools/test.sh. Usage: migrate_test ESX_URI VCENTER_HOST:PORT */
#include "check.h"

static virConnectPtr open_vpx(const char *addr, const char *path, virConnectAuthPtr auth)
{
    char uri[512];
    snprintf(uri, sizeof uri, "vpx://%s%s?no_verify=1", addr, path);
    virConnectPtr c = virConnectOpenAuth(uri, auth, 0);
    CHECK(c != NULL, "open %s", uri);
    return c;
}

static int listed_in(virConnectPtr conn, const char *name)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);
    if (!dom)
        return 0;
    virDomainFree(dom);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        printf("migrate_test: no vCenter address given, skipped\n");
        return 0;
    }
    virSetErrorFunc(NULL, quiet);
    int asked[2] = { 0, 0 };
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, asked };
    const char *vc = argv[2];
    virConnectPtr src = open_vpx(vc, "/", &auth);
    virConnectPtr cluster = open_vpx(vc, "/DC0/DC0_C0", &auth);
    virConnectPtr host = open_vpx(vc, "/DC0/DC0_H0", &auth);
    if (!src || !cluster || !host)
        return finish("C migrate test");

    virDomainPtr dom = virDomainLookupByName(src, "DC0_H0_VM1");
    CHECK(dom != NULL, "lookup");
    if (dom) {
        virDomainJobInfo job;
        CHECK(virDomainGetJobInfo(dom, &job) == 0 && job.type == VIR_DOMAIN_JOB_NONE, "idle job");

        virDomainPtr moved = virDomainMigrate(dom, cluster, VIR_MIGRATE_LIVE, NULL, NULL, 0);
        CHECK(moved != NULL, "migrate to the cluster");
        if (moved) {
            CHECK(virDomainGetConnect(moved) == cluster, "the new handle is the destination's");
            CHECK(strcmp(virDomainGetName(moved), "DC0_H0_VM1") == 0, "name kept");
            virDomainFree(moved);
        }
        CHECK(listed_in(cluster, "DC0_H0_VM1") && !listed_in(host, "DC0_H0_VM1"), "now in the cluster");

        /* Back to the standalone host, peer to peer: the library opens the URI itself. */
        char uri[512];
        snprintf(uri, sizeof uri, "vpx://%s/DC0/DC0_H0?no_verify=1", vc);
        int before = asked[0] + asked[1];
        CHECK(virDomainMigrateToURI(dom, uri, VIR_MIGRATE_PEER2PEER, NULL, 0) == 0, "p2p back");
        CHECK(asked[0] + asked[1] > before, "the source's callback was asked again");
        CHECK(listed_in(host, "DC0_H0_VM1"), "back on the host");

        /* Typed parameters: the name may only be the domain's own. */
        virTypedParameter params[1];
        memset(params, 0, sizeof params);
        strcpy(params[0].field, VIR_MIGRATE_PARAM_DEST_NAME);
        params[0].type = VIR_TYPED_PARAM_STRING;
        params[0].value.s = (char *)"DC0_H0_VM1";
        moved = virDomainMigrate3(dom, cluster, params, 1, 0);
        CHECK(moved != NULL, "migrate3 with its own name");
        if (moved)
            virDomainFree(moved);
        params[0].value.s = (char *)"renamed";
        CHECK(virDomainMigrate3(dom, host, params, 1, 0) == NULL &&
                  virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
              "renaming refused");
        CHECK(virDomainMigrate(dom, host, VIR_MIGRATE_TUNNELLED, NULL, NULL, 0) == NULL &&
                  strstr(virGetLastErrorMessage(), "VIR_MIGRATE_TUNNELLED"),
              "tunnelled refused by name");
        CHECK(virDomainMigrateToURI(dom, uri, 0, NULL, 0) == -1, "ToURI without PEER2PEER");
        CHECK(virDomainMigrate(dom, NULL, 0, NULL, NULL, 0) == NULL &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_CONN,
              "NULL destination");
        CHECK(virDomainAbortJob(dom) == -1 && virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID,
              "no job to abort");
        CHECK(virDomainAbortJobFlags(dom, 0) == -1 && virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID,
              "no job to abort, with flags");
        CHECK(virDomainAbortJobFlags(dom, VIR_DOMAIN_ABORT_JOB_POSTCOPY) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
              "no post-copy phase");
        int type = -1, nparams = -1;
        virTypedParameterPtr stats = NULL;
        CHECK(virDomainGetJobStats(dom, &type, &stats, &nparams, 0) == 0 &&
                  type == VIR_DOMAIN_JOB_NONE && nparams == 0,
              "idle job stats");
        virTypedParamsFree(stats, nparams);
        virDomainFree(dom);
    }
    CHECK(virConnectClose(host) == 0 && virConnectClose(cluster) == 0 && virConnectClose(src) == 0,
          "close");
    return finish("C migrate test");
}
