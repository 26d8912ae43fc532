/* End-to-end domain life cycle through the C ABI, as a libvirt program does it: list, define,
 * start, suspend, resume, dumpxml, destroy, undefine; domain statistics; Set* calls refusing a
 * typed parameter given twice; every handle freed. Run under valgrind
 * by tools/test.sh. Usage: domain_test URI */
#include "check.h"

static const char *XML =
    "<domain type='vmware'>\n"
    "  <name>c-test-vm</name>\n"
    "  <memory unit='KiB'>262144</memory>\n"
    "  <vcpu>2</vcpu>\n"
    "  <os><type arch='x86_64'>hvm</type></os>\n"
    "  <devices>\n"
    "    <disk type='file' device='disk'>\n"
    "      <source file='[LocalDS_0] c-test-vm/c-test-vm.vmdk'/>\n"
    "      <target dev='sda' bus='scsi'/>\n"
    "    </disk>\n"
    "    <interface type='bridge'>\n"
    "      <mac address='00:50:56:11:22:33'/>\n"
    "      <source bridge='VM Network'/>\n"
    "      <model type='e1000'/>\n"
    "    </interface>\n"
    "  </devices>\n"
    "</domain>\n";

static int state_of(virDomainPtr dom)
{
    int state = -1, reason = -1;
    if (virDomainGetState(dom, &state, &reason, 0) < 0)
        return -1;
    return state;
}

/* Whether two reads of typed parameters agree, field by field, value by value. */
static int same_params(const virTypedParameter *a, int na, const virTypedParameter *b, int nb)
{
    if (na != nb)
        return 0;
    for (int i = 0; i < na; i++) {
        if (strcmp(a[i].field, b[i].field) != 0 || a[i].type != b[i].type)
            return 0;
        switch (a[i].type) {
        case VIR_TYPED_PARAM_INT:
            if (a[i].value.i != b[i].value.i)
                return 0;
            break;
        case VIR_TYPED_PARAM_LLONG:
            if (a[i].value.l != b[i].value.l)
                return 0;
            break;
        case VIR_TYPED_PARAM_ULLONG:
            if (a[i].value.ul != b[i].value.ul)
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

static int refused_as_duplicate(int rc, const char *field)
{
    char want[128];
    snprintf(want, sizeof(want), "parameter '%s' occurs multiple times", field);
    return rc == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG &&
           strstr(virGetLastErrorMessage(), want) != NULL;
}

/* A Set* call given one parameter twice is refused, as libvirt's virTypedParamsValidate
 * refuses it, and the domain's tunables are as they were on a second connection's read. */
static void duplicate_params_are_refused(virConnectPtr conn, const char *uri, virConnectAuthPtr auth)
{
    virDomainPtr dom = virDomainLookupByName(conn, "ha-host_VM0");
    virConnectPtr other = virConnectOpenAuth(uri, auth, 0);
    virDomainPtr seen = other ? virDomainLookupByName(other, "ha-host_VM0") : NULL;
    CHECK(dom && seen, "ha-host_VM0 on two connections");
    if (!dom || !seen)
        goto out;
    virTypedParameter sched[2][3], mem[2][2];
    int nsched[2] = {3, 3}, nmem[2] = {2, 2};
    memset(sched, 0, sizeof(sched));
    memset(mem, 0, sizeof(mem));
    CHECK(virDomainGetSchedulerParameters(seen, sched[0], &nsched[0]) == 0 &&
              virDomainGetMemoryParameters(seen, mem[0], &nmem[0], 0) == 0,
          "tunables before");

    virTypedParameter twice[2];
    memset(twice, 0, sizeof(twice));
    for (int i = 0; i < 2; i++) {
        strcpy(twice[i].field, "shares");
        twice[i].type = VIR_TYPED_PARAM_INT;
        twice[i].value.i = 1111 * (i + 1);
    }
    CHECK(refused_as_duplicate(virDomainSetSchedulerParameters(dom, twice, 2), "shares"),
          "scheduler shares twice");
    CHECK(refused_as_duplicate(virDomainSetSchedulerParametersFlags(dom, twice, 2, 0), "shares"),
          "scheduler shares twice (flags)");
    for (int i = 0; i < 2; i++) {
        strcpy(twice[i].field, VIR_DOMAIN_MEMORY_HARD_LIMIT);
        twice[i].type = VIR_TYPED_PARAM_ULLONG;
        twice[i].value.ul = 65536ULL * (i + 1);
    }
    CHECK(refused_as_duplicate(virDomainSetMemoryParameters(dom, twice, 2, 0), "hard_limit"),
          "memory hard_limit twice");
    char dname[2][8] = {"a", "b"};
    for (int i = 0; i < 2; i++) {
        strcpy(twice[i].field, VIR_MIGRATE_PARAM_DEST_NAME);
        twice[i].type = VIR_TYPED_PARAM_STRING;
        twice[i].value.s = dname[i];
    }
    virDomainPtr moved = virDomainMigrate3(dom, other, twice, 2, 0);
    CHECK(moved == NULL && refused_as_duplicate(-1, VIR_MIGRATE_PARAM_DEST_NAME),
          "migration dname twice");
    if (moved)
        virDomainFree(moved);

    CHECK(virDomainGetSchedulerParameters(seen, sched[1], &nsched[1]) == 0 &&
              same_params(sched[0], nsched[0], sched[1], nsched[1]),
          "scheduler parameters unchanged");
    CHECK(virDomainGetMemoryParameters(seen, mem[1], &nmem[1], 0) == 0 &&
              same_params(mem[0], nmem[0], mem[1], nmem[1]),
          "memory parameters unchanged");
    /* The simulator's VM has no VNC server (the Python and Rust tests give one a server). */
    CHECK(virDomainOpenGraphicsFD(dom, 0, VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "no graphics device");
    CHECK(virDomainOpenGraphics(dom, 0, -1, 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "negative fd");
    CHECK(virDomainOpenGraphicsFD(dom, 0, 8) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unknown flag");
    /* Nor a serial port; the stream stays unbound and is freed unused. */
    virStreamPtr st = virStreamNew(conn, 0);
    CHECK(st && virDomainOpenConsole(dom, NULL, st, VIR_DOMAIN_CONSOLE_SAFE) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR,
          "no serial port");
    CHECK(virDomainOpenConsole(dom, "serial0", NULL, 0) == -1, "NULL stream");
    if (st)
        virStreamFree(st);
out:
    if (seen)
        virDomainFree(seen);
    if (dom)
        virDomainFree(dom);
    if (other)
        virConnectClose(other);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s URI\n", argv[0]);
        return 2;
    }
    virSetErrorFunc(NULL, quiet);
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    if (!conn) {
        fprintf(stderr, "open failed: %s\n", virGetLastErrorMessage());
        return 1;
    }

    /* List every domain with its info. */
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    CHECK(n >= 1, "list all: %d", n);
    for (int i = 0; i < n; i++) {
        virDomainInfo info;
        char uuid[VIR_UUID_STRING_BUFLEN];
        CHECK(virDomainGetInfo(doms[i], &info) == 0, "info");
        CHECK(virDomainGetUUIDString(doms[i], uuid) == 0, "uuid");
        printf("%-20s id=%d state=%d mem=%lu vcpus=%u uuid=%s\n", virDomainGetName(doms[i]),
               (int)virDomainGetID(doms[i]), info.state, info.memory, info.nrVirtCpu, uuid);
        virDomainFree(doms[i]);
    }
    free(doms);
    CHECK(virConnectNumOfDomains(conn) >= 0, "num of domains");

    /* Define, then the whole life cycle. */
    virDomainPtr dom = virDomainDefineXML(conn, XML);
    CHECK(dom != NULL, "define");
    if (dom) {
        CHECK(strcmp(virDomainGetName(dom), "c-test-vm") == 0, "name");
        CHECK(state_of(dom) == VIR_DOMAIN_SHUTOFF, "defined domain is shut off");
        CHECK(virDomainIsPersistent(dom) == 1, "persistent");
        CHECK(virDomainCreate(dom) == 0, "start");
        CHECK(state_of(dom) == VIR_DOMAIN_RUNNING, "running");
        CHECK((int)virDomainGetID(dom) > 0, "id");
        CHECK(virDomainSuspend(dom) == 0, "suspend");
        CHECK(state_of(dom) == VIR_DOMAIN_PAUSED, "paused");
        CHECK(virDomainResume(dom) == 0, "resume");
        CHECK(state_of(dom) == VIR_DOMAIN_RUNNING, "running again");
        char *xml = virDomainGetXMLDesc(dom, 0);
        CHECK(xml && strstr(xml, "<name>c-test-vm</name>") && strstr(xml, "[LocalDS_0] c-test-vm/c-test-vm.vmdk"),
              "dumpxml: %s", xml ? xml : "(null)");
        free(xml);
        CHECK(virDomainUndefine(dom) == -1 && virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID,
              "undefine while running must fail");
        CHECK(virDomainDestroy(dom) == 0, "destroy");
        CHECK(state_of(dom) == VIR_DOMAIN_SHUTOFF, "shut off");
        CHECK(virDomainCreate(dom) == 0 && virDomainDestroy(dom) == 0, "second cycle");

        /* Names and metadata read back as set, or are refused. */
        CHECK(virDomainRename(dom, "cr\rname", 0) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "a name with a carriage return is refused");
        CHECK(virDomainRename(dom, "c%2ftest", 0) == 0 && strcmp(virDomainGetName(dom), "c%2ftest") == 0,
              "rename to c%%2ftest");
        virDomainPtr pct = virDomainLookupByName(conn, "c%2ftest");
        CHECK(pct != NULL && strcmp(virDomainGetName(pct), "c%2ftest") == 0, "c%%2ftest reads back");
        if (pct)
            virDomainFree(pct);
        CHECK(virDomainRename(dom, "c-test-vm", 0) == 0, "rename back");
        CHECK(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<a/>", "xmlns", "urn:k", 0) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "metadata key xmlns refused");
        CHECK(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, "a\r\nb", NULL, NULL, 0) == 0,
              "description with CRLF");
        char *note = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_DESCRIPTION, NULL, 0);
        CHECK(note && strcmp(note, "a\r\nb") == 0, "description reads back exactly");
        free(note);
        virDomainPtr again = virDomainLookupByName(conn, "c-test-vm");
        CHECK(again != NULL, "lookup by name");
        if (again)
            virDomainFree(again);
        CHECK(virDomainUndefine(dom) == 0, "undefine");
        CHECK(virDomainLookupByName(conn, "c-test-vm") == NULL && virGetLastErrorCode() == VIR_ERR_NO_DOMAIN,
              "gone after undefine");
        virDomainFree(dom);
    }

    /* Bad input is refused, not crashed on. */
    CHECK(virDomainDefineXML(conn, "<domain") == NULL, "bad XML");
    CHECK(virDomainDefineXML(conn, NULL) == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "NULL XML");
    CHECK(virDomainGetInfo(NULL, NULL) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_DOMAIN, "NULL domain");
    CHECK(virDomainLookupByUUIDString(conn, "not-a-uuid") == NULL, "bad uuid");

    /* Statistics of every domain, and of one, freed with their domains. */
    virDomainStatsRecordPtr *recs = NULL;
    int nrec = virConnectGetAllDomainStats(conn, 0, &recs, 0);
    CHECK(nrec > 0 && recs && recs[nrec] == NULL, "all domain stats (%d)", nrec);
    for (int i = 0; i < nrec; i++) {
        int found = 0;
        for (int j = 0; j < recs[i]->nparams; j++)
            found += strcmp(recs[i]->params[j].field, "state.state") == 0 ||
                     strcmp(recs[i]->params[j].field, "balloon.maximum") == 0;
        CHECK(found == 2 && virDomainGetName(recs[i]->dom) != NULL, "record %d", i);
    }
    if (nrec > 0) {
        virDomainPtr one[2] = {recs[0]->dom, NULL};
        virDomainStatsRecordPtr *mine = NULL;
        CHECK(virDomainListGetStats(one, VIR_DOMAIN_STATS_VCPU, &mine, 0) == 1 &&
                  mine[0]->nparams >= 2 && strcmp(mine[0]->params[0].field, "vcpu.current") == 0,
              "one domain's vCPU stats");
        virDomainStatsRecordListFree(mine);
        virTypedParameter cpu[3];
        CHECK(virDomainGetCPUStats(recs[0]->dom, NULL, 0, -1, 1, 0) == 3 &&
                  virDomainGetCPUStats(recs[0]->dom, cpu, 3, -1, 1, 0) == 3 &&
                  strcmp(cpu[0].field, "cpu_time") == 0 && cpu[0].type == VIR_TYPED_PARAM_ULLONG &&
                  strcmp(cpu[2].field, "system_time") == 0 &&
                  cpu[1].value.ul == (cpu[2].value.ul < cpu[0].value.ul ? cpu[0].value.ul - cpu[2].value.ul : 0),
              "total CPU time, user and system");
        CHECK(virDomainGetCPUStats(recs[0]->dom, cpu, 1, 0, 1, 0) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
              "no per-CPU time");
    }
    /* A running domain's disk, NIC and memory counters, by the names its record gives. */
    for (int i = 0; i < nrec; i++) {
        const char *disk = NULL, *nic = NULL;
        int running = 0;
        for (int j = 0; j < recs[i]->nparams; j++) {
            virTypedParameterPtr p = &recs[i]->params[j];
            if (strcmp(p->field, "state.state") == 0)
                running = p->value.i == VIR_DOMAIN_RUNNING;
            if (strcmp(p->field, "block.0.name") == 0 && p->type == VIR_TYPED_PARAM_STRING)
                disk = p->value.s;
            if (strcmp(p->field, "net.0.name") == 0 && p->type == VIR_TYPED_PARAM_STRING)
                nic = p->value.s;
        }
        if (!running || !disk || !nic)
            continue;
        virDomainPtr dom = recs[i]->dom;
        virDomainBlockStatsStruct bs;
        CHECK(virDomainBlockStats(dom, disk, &bs, sizeof(bs)) == 0 && bs.rd_bytes >= 0 &&
                  bs.wr_req >= 0 && bs.errs == -1,
              "block stats of %s", disk);
        CHECK(virDomainBlockStats(dom, disk, &bs, sizeof(bs) + 8) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "block stats: size too large");
        CHECK(virDomainBlockStats(dom, "sdz", &bs, sizeof(bs)) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "block stats: unknown disk");
        CHECK(virDomainBlockStats(dom, NULL, &bs, sizeof(bs)) == -1, "block stats: NULL disk");
        int np = 0;
        virTypedParameter bp[4];
        CHECK(virDomainBlockStatsFlags(dom, disk, NULL, &np, 0) == 0 && np == 4 &&
                  virDomainBlockStatsFlags(dom, disk, bp, &np, VIR_TYPED_PARAM_STRING_OKAY) == 0 &&
                  np == 4 && strcmp(bp[0].field, "rd_operations") == 0,
              "block stats as parameters");
        virDomainInterfaceStatsStruct is;
        CHECK(virDomainInterfaceStats(dom, nic, &is, sizeof(is)) == 0 && is.rx_bytes >= 0 &&
                  is.tx_drop >= 0,
              "interface stats of %s", nic);
        CHECK(virDomainInterfaceStats(dom, "vnet0", &is, sizeof(is)) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "interface stats: unknown NIC");
        virDomainMemoryStatStruct ms[VIR_DOMAIN_MEMORY_STAT_NR];
        int nms = virDomainMemoryStats(dom, ms, VIR_DOMAIN_MEMORY_STAT_NR, 0);
        CHECK(nms == 4 && ms[2].tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON &&
                  virDomainMemoryStats(dom, ms, 1, 0) == 1,
              "memory stats (%d)", nms);
        virDomainInfo info;
        CHECK(virDomainGetInfo(dom, &info) == 0 && info.cpuTime > 0, "cpuTime of a running domain");
        break;
    }
    virDomainStatsRecordListFree(recs);

    /* The host's CPU time and memory. */
    virNodeCPUStats cs[2];
    virNodeMemoryStats mems[2];
    int ncs = 0, nmem = 0;
    CHECK(virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, NULL, &ncs, 0) == 0 && ncs == 2 &&
              virNodeGetCPUStats(conn, VIR_NODE_CPU_STATS_ALL_CPUS, cs, &ncs, 0) == 0 &&
              strcmp(cs[0].field, VIR_NODE_CPU_STATS_USER) == 0 && cs[1].value > 0,
          "host CPU stats");
    CHECK(virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, NULL, &nmem, 0) == 0 &&
              virNodeGetMemoryStats(conn, VIR_NODE_MEMORY_STATS_ALL_CELLS, mems, &nmem, 0) == 0 &&
              nmem == 2 && strcmp(mems[1].field, "free") == 0 && mems[0].value >= mems[1].value,
          "host memory stats");
    CHECK(virNodeGetMemoryStats(conn, 0, mems, &nmem, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
          "no per-cell memory");
    CHECK(virNodeGetCPUStats(conn, -5, cs, &ncs, 0) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "bad cpuNum");
    CHECK(virConnectGetAllDomainStats(conn, VIR_DOMAIN_STATS_PERF, &recs,
                                      VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unserved group enforced");
    duplicate_params_are_refused(conn, argv[1], &auth);
    CHECK(virConnectClose(conn) == 0, "close");
    return finish("C domain test");
}
