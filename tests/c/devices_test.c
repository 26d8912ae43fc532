/* Device hot-plug and lifecycle extras through the C ABI: a NIC and a disk attached to a model
 * VM, seen in its XML, detached again; the VM renamed and back, managed-saved and resumed; the
 * refusals' error codes; element metadata set and removed; a screenshot read. Run under valgrind by tools/test.sh.
 * Usage: devices_test URI */
#include "check.h"

static const char *NIC = "<interface type='bridge'><mac address='00:50:56:00:66:01'/>"
                         "<source bridge='VM Network'/><model type='e1000e'/></interface>";

static int has_nic(virDomainPtr dom)
{
    char *xml = virDomainGetXMLDesc(dom, 0);
    int found = xml && strstr(xml, "00:50:56:00:66:01") != NULL;
    free(xml);
    return found;
}

int main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr conn = open_test(argc, argv, "devices_test");
    if (!conn)
        return finish("C devices test");
    virDomainPtr dom = virDomainLookupByName(conn, "ha-host_VM0");
    CHECK(dom != NULL, "lookup");
    if (dom) {
        int state = 0, reason = 0;
        if (virDomainGetState(dom, &state, &reason, 0) == 0 && state == VIR_DOMAIN_PAUSED)
            virDomainResume(dom);
        CHECK(virDomainAttachDeviceFlags(dom, NIC, VIR_DOMAIN_AFFECT_CURRENT) == 0, "attach");
        CHECK(has_nic(dom), "attached NIC in the XML");
        CHECK(virDomainAttachDeviceFlags(dom, "<interface type='bridge'><source bridge='nope'/>"
                                              "</interface>", VIR_DOMAIN_AFFECT_CURRENT) == -1
              && virGetLastErrorCode() == VIR_ERR_NO_NETWORK, "unknown port group");
        CHECK(virDomainAttachDeviceFlags(dom, NULL, 0) == -1
              && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "NULL xml");
        CHECK(virDomainAttachDeviceFlags(dom, NIC, 8) == -1
              && virGetLastErrorCode() == VIR_ERR_INVALID_ARG, "unknown flag");
        CHECK(virDomainDetachDeviceFlags(dom, NIC, VIR_DOMAIN_AFFECT_CURRENT) == 0, "detach");
        CHECK(!has_nic(dom), "detached NIC gone from the XML");
        CHECK(virDomainDetachDeviceFlags(dom, NIC, VIR_DOMAIN_AFFECT_CURRENT) == -1
              && virGetLastErrorCode() == VIR_ERR_DEVICE_MISSING, "detach twice");

        /* A disk made with the storage API, attached on SCSI unit 3, detached, deleted. */
        virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "LocalDS_0");
        virStorageVolPtr vol = pool ? virStorageVolCreateXML(pool,
            "<volume><name>c-hot/c.vmdk</name><capacity unit='M'>4</capacity>"
            "<target><format type='vmdk'/></target></volume>", 0) : NULL;
        CHECK(vol != NULL, "volume");
        char *path = vol ? virStorageVolGetPath(vol) : NULL;
        if (path) {
            char disk[512];
            snprintf(disk, sizeof disk, "<disk type='file' device='disk'><source file='%s'/>"
                     "<target dev='sdd' bus='scsi'/></disk>", path);
            CHECK(virDomainAttachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_CURRENT) == 0,
                  "attach disk");
            char *xml = virDomainGetXMLDesc(dom, 0);
            CHECK(xml && strstr(xml, "<target dev='sdd' bus='scsi'/>"), "disk in the XML");
            free(xml);
            CHECK(virDomainDetachDeviceFlags(dom, disk, VIR_DOMAIN_AFFECT_CURRENT) == 0,
                  "detach disk");
            free(path);
        }
        if (vol) {
            CHECK(virStorageVolDelete(vol, 0) == 0, "delete volume");
            virStorageVolFree(vol);
        }
        if (pool)
            virStoragePoolFree(pool);

        /* Renamed (the handle answers with the new name) and back. */
        CHECK(virDomainRename(dom, "c renamed", 0) == 0
              && strcmp(virDomainGetName(dom), "c renamed") == 0, "rename");
        virDomainPtr seen = virDomainLookupByName(conn, "c renamed");
        CHECK(seen != NULL, "lookup by the new name");
        virDomainFree(seen);
        CHECK(virDomainRename(dom, "ha-host_VM0", 0) == 0, "rename back");

        /* Managed save: suspended, listed by the filter, resumed by virDomainCreate. */
        if (virDomainGetState(dom, &state, &reason, 0) == 0 && state == VIR_DOMAIN_SHUTOFF)
            virDomainCreate(dom);
        CHECK(virDomainManagedSave(dom, 0) == 0 && virDomainHasManagedSaveImage(dom, 0) == 1,
              "managed save");
        virDomainPtr *saved = NULL;
        int n = virConnectListAllDomains(conn, &saved, VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE);
        CHECK(n == 1, "one managed-saved domain (%d)", n);
        for (int i = 0; i < n; i++)
            virDomainFree(saved[i]);
        free(saved);
        CHECK(virDomainCreate(dom) == 0 && virDomainHasManagedSaveImage(dom, 0) == 0, "resume");
        CHECK(virDomainSave(dom, "/tmp/x") == -1 && virGetLastErrorCode() == VIR_ERR_NO_SUPPORT,
              "no client-file save");

        /* Element metadata, seen in the XML; a screenshot read from its stream. */
        CHECK(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "<n>1</n>", "c", "urn:c", 0) == 0,
              "set element metadata");
        char *meta = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "urn:c", 0);
        CHECK(meta && strcmp(meta, "<c:n xmlns:c=\"urn:c\">1</c:n>") == 0, "element (%s)", meta);
        free(meta);
        CHECK(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL, "urn:c", 0) == 0 &&
                  virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, "urn:c", 0) == NULL &&
                  virGetLastErrorCode() == VIR_ERR_NO_DOMAIN_METADATA,
              "element metadata removed");
        virStreamPtr st = virStreamNew(conn, 0);
        char *mime = virDomainScreenshot(dom, st, 0, 0);
        CHECK(mime && strcmp(mime, "image/png") == 0, "screenshot MIME type (%s)", mime);
        free(mime);
        char png[8] = {0};
        CHECK(virStreamRecv(st, png, sizeof png) == 8 && memcmp(png, "\x89PNG", 4) == 0,
              "PNG signature");
        CHECK(virStreamFinish(st) == 0, "screenshot stream finished");
        virStreamFree(st);
        /* The NIC's bandwidth: its limit as outbound.average, its reservation as inbound.floor. */
        char *xml = virDomainGetXMLDesc(dom, 0);
        char mac[18] = { 0 };
        const char *at = xml ? strstr(xml, "<mac address='") : NULL;
        if (at)
            memcpy(mac, at + 14, 17);
        free(xml);
        virTypedParameterPtr bw = NULL;
        int nbw = 0, maxbw = 0;
        virTypedParamsAddUInt(&bw, &nbw, &maxbw, VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, 1250);
        virTypedParamsAddUInt(&bw, &nbw, &maxbw, VIR_DOMAIN_BANDWIDTH_IN_AVERAGE, 0);
        CHECK(virDomainSetInterfaceParameters(dom, mac, bw, nbw, VIR_DOMAIN_AFFECT_CURRENT) == 0,
              "NIC limit");
        virTypedParamsFree(bw, nbw);
        virTypedParameter got[2];
        int ngot = 0;
        unsigned int average = 0;
        CHECK(virDomainGetInterfaceParameters(dom, mac, NULL, &ngot, 0) == 0 && ngot == 2, "how many");
        CHECK(virDomainGetInterfaceParameters(dom, mac, got, &ngot, 0) == 0 &&
                  virTypedParamsGetUInt(got, ngot, VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, &average) == 1 &&
                  average == 1342,
              "limit read back (%u: 1250 KiB/s is 11 Mbit/s)", average);
        bw = NULL;
        nbw = maxbw = 0;
        virTypedParamsAddUInt(&bw, &nbw, &maxbw, VIR_DOMAIN_BANDWIDTH_OUT_BURST, 64);
        CHECK(virDomainSetInterfaceParameters(dom, mac, bw, nbw, 0) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_ARGUMENT_UNSUPPORTED,
              "no burst on vSphere");
        virTypedParamsFree(bw, nbw);
        CHECK(virDomainGetInterfaceParameters(dom, "00:00:00:00:00:01", got, &ngot, 0) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "no such NIC");
        virDomainFree(dom);
    }
    CHECK(virDomainAttachDevice(NULL, NIC) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_DOMAIN,
          "NULL domain");
    virConnectClose(conn);
    return finish("C devices test");
}
