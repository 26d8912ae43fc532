/* Snapshots through the C ABI, as a libvirt program uses them: define and start a VM, create a
 * small tree, list all (and children), current, parent, lookup, XML, revert, delete, the
 * refusals' error codes, undefine with SNAPSHOTS_METADATA; every handle freed. Run under
 * valgrind by tools/test.sh. Usage: snapshot_test URI */
#include "check.h"

static const char *XML =
    "<domain type='vmware'>\n"
    "  <name>c-snap-vm</name>\n"
    "  <memory unit='KiB'>131072</memory>\n"
    "  <vcpu>1</vcpu>\n"
    "  <os><type arch='x86_64'>hvm</type></os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='[LocalDS_0] c-snap-vm/c-snap-vm.vmdk'/>\n"
    "      <target dev='sda' bus='scsi'/>\n"
    "    </disk>\n"
    "  </devices>\n"
    "</domain>\n";

static virDomainSnapshotPtr snap(virDomainPtr dom, const char *name, unsigned int flags)
{
    char xml[256];
    snprintf(xml, sizeof xml, "<domainsnapshot><name>%s</name></domainsnapshot>", name);
    virDomainSnapshotPtr s = virDomainSnapshotCreateXML(dom, xml, flags);
    CHECK(s != NULL, "create %s", name);
    return s;
}

static void free_all(virDomainSnapshotPtr *list, int n)
{
    for (int i = 0; i < n; i++)
        virDomainSnapshotFree(list[i]);
    free(list);
}

int main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr conn = open_test(argc, argv, "snapshot_test");
    if (!conn)
        return finish("C snapshot test");
    virDomainPtr dom = virDomainDefineXML(conn, XML);
    CHECK(dom != NULL, "define");
    if (!dom) {
        virConnectClose(conn);
        return finish("C snapshot test");
    }
    CHECK(virDomainCreate(dom) == 0, "start");
    CHECK(virDomainHasCurrentSnapshot(dom, 0) == 0, "no current snapshot yet");
    CHECK(virDomainSnapshotCurrent(dom, 0) == NULL && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT,
          "current without snapshots");

    /* a ─ b, a ─ c (c taken after reverting to a) */
    virDomainSnapshotPtr a = snap(dom, "a", 0);
    virDomainSnapshotPtr b = snap(dom, "b", VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC);
    CHECK(a && virDomainRevertToSnapshot(a, 0) == 0, "revert to a");
    virDomainSnapshotPtr c = snap(dom, "c", VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY);
    if (!a || !b || !c)
        return finish("C snapshot test");
    CHECK(strcmp(virDomainSnapshotGetName(b), "b") == 0, "name");
    CHECK(virDomainSnapshotGetDomain(b) == dom, "domain");
    CHECK(virDomainSnapshotGetConnect(b) == conn, "connection");
    CHECK(virDomainSnapshotNum(dom, 0) == 3, "three snapshots");
    CHECK(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) == 1, "one root");
    CHECK(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES) == 2, "two leaves");
    CHECK(virDomainSnapshotNum(dom, VIR_DOMAIN_SNAPSHOT_LIST_METADATA) == 0, "no metadata");
    CHECK(virDomainSnapshotNum(dom, 1u << 20) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unknown flag");

    char *names[4] = { 0 };
    int n = virDomainSnapshotListNames(dom, names, 4, VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL);
    CHECK(n == 3 && strcmp(names[0], "a") == 0 && strcmp(names[1], "b") == 0 &&
              strcmp(names[2], "c") == 0,
          "names in order (%d)", n);
    for (int i = 0; i < n; i++)
        free(names[i]);
    CHECK(virDomainSnapshotListNames(dom, NULL, 1, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "NULL names");
    CHECK(virDomainSnapshotListNames(dom, names, -1, 0) == -1, "negative length");

    virDomainSnapshotPtr *list = NULL;
    n = virDomainListAllSnapshots(dom, &list, 0);
    CHECK(n == 3 && list && list[3] == NULL, "list all (%d)", n);
    if (n > 0)
        free_all(list, n);
    CHECK(virDomainListAllSnapshots(dom, NULL, VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE) == 1,
          "count only: c is disk-only, recorded powered off");
    CHECK(virDomainSnapshotNumChildren(a, 0) == 2, "a has two children");
    n = virDomainSnapshotListAllChildren(a, &list, VIR_DOMAIN_SNAPSHOT_LIST_LEAVES);
    CHECK(n == 2, "children of a (%d)", n);
    if (n > 0)
        free_all(list, n);
    n = virDomainSnapshotListChildrenNames(a, names, 1, 0);
    CHECK(n == 1 && strcmp(names[0], "b") == 0, "first child");
    if (n == 1)
        free(names[0]);

    virDomainSnapshotPtr cur = virDomainSnapshotCurrent(dom, 0);
    CHECK(cur && strcmp(virDomainSnapshotGetName(cur), "c") == 0, "c is current");
    CHECK(virDomainSnapshotIsCurrent(c, 0) == 1 && virDomainSnapshotIsCurrent(b, 0) == 0,
          "is current");
    CHECK(virDomainSnapshotHasMetadata(c, 0) == 0, "no libvirt metadata");
    virDomainSnapshotPtr parent = virDomainSnapshotGetParent(c, 0);
    CHECK(parent && strcmp(virDomainSnapshotGetName(parent), "a") == 0, "parent of c");
    CHECK(virDomainSnapshotGetParent(a, 0) == NULL && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT,
          "a root has no parent");
    virDomainSnapshotPtr found = virDomainSnapshotLookupByName(dom, "b", 0);
    CHECK(found != NULL, "lookup b");
    CHECK(virDomainSnapshotLookupByName(dom, "zz", 0) == NULL &&
              virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT,
          "lookup of a missing name");
    char *xml = virDomainSnapshotGetXMLDesc(b, 0);
    CHECK(xml && strstr(xml, "<name>b</name>") && strstr(xml, "<parent>\n    <name>a</name>") &&
              strstr(xml, "<state>running</state>"),
          "xml: %s", xml ? xml : "(null)");
    free(xml);

    CHECK(virDomainSnapshotCreateXML(dom, "<domainsnapshot><name>a</name></domainsnapshot>", 0) ==
                  NULL &&
              virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID,
          "duplicate name");
    CHECK(virDomainSnapshotCreateXML(dom, "<domainsnapshot/>", VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE) ==
                  NULL &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "redefine refused");
    CHECK(virDomainRevertToSnapshot(b, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING |
                                           VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) == -1,
          "running and paused");
    CHECK(virDomainRevertToSnapshot(c, VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) == 0, "revert paused");
    CHECK(virDomainIsActive(dom) == 1, "paused is active");
    int state = -1;
    CHECK(virDomainGetState(dom, &state, NULL, 0) == 0 && state == VIR_DOMAIN_PAUSED,
          "paused after revert (%d)", state);
    CHECK(virDomainSnapshotDelete(a, VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY) == -1 &&
              virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
          "metadata only refused");
    CHECK(virDomainSnapshotDelete(b, 0) == 0, "delete b");
    CHECK(virDomainSnapshotGetXMLDesc(b, 0) == NULL && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_SNAPSHOT,
          "b is gone");
    CHECK(virDomainSnapshotNum(dom, 0) == 2, "two left");
    CHECK(virDomainSnapshotGetName(NULL) == NULL &&
              virGetLastErrorCode() == VIR_ERR_INVALID_DOMAIN_SNAPSHOT,
          "NULL snapshot");
    CHECK(virDomainSnapshotRef(found) == 0 && virDomainSnapshotFree(found) == 0, "ref and free");

    virDomainSnapshotFree(found);
    virDomainSnapshotFree(parent);
    virDomainSnapshotFree(cur);
    virDomainSnapshotFree(a);
    virDomainSnapshotFree(b);
    virDomainSnapshotFree(c);
    CHECK(virDomainDestroy(dom) == 0, "destroy");
    CHECK(virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) == 0,
          "undefine with its snapshots' metadata");
    virDomainFree(dom);
    virConnectClose(conn);
    return finish("C snapshot test");
}
