/* Storage through the C ABI, as a disk tool uses it: list pools with their info, create an
 * image volume, upload into it with virStreamSendAll, download it with virStreamRecvAll and
 * with virStreamRecv at an offset, create and describe a thin disk, delete both; every handle
 * freed. Run under valgrind by tools/test.sh. Usage: storage_test URI */
#include "check.h"

#define SIZE (3 * 262120 + 17)

struct cursor {
    unsigned char *data;
    size_t len, at;
};

static int source(virStreamPtr st, char *buf, size_t nbytes, void *opaque)
{
    (void)st;
    struct cursor *c = opaque;
    size_t n = c->len - c->at < nbytes ? c->len - c->at : nbytes;
    memcpy(buf, c->data + c->at, n);
    c->at += n;
    return (int)n;
}

static int sink(virStreamPtr st, const char *buf, size_t nbytes, void *opaque)
{
    (void)st;
    struct cursor *c = opaque;
    if (c->at + nbytes > c->len)
        return -1;
    memcpy(c->data + c->at, buf, nbytes);
    c->at += nbytes;
    return (int)nbytes;
}

int main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    virConnectPtr conn = open_test(argc, argv, "storage_test");
    if (!conn)
        return finish("C storage test");

    virStoragePoolPtr *pools = NULL;
    int n = virConnectListAllStoragePools(conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE);
    CHECK(n >= 1 && pools && pools[n] == NULL, "list all pools (%d)", n);
    for (int i = 0; i < n; i++) {
        virStoragePoolInfo info;
        CHECK(virStoragePoolGetInfo(pools[i], &info) == 0 &&
                  info.state == VIR_STORAGE_POOL_RUNNING && info.capacity > 0,
              "pool info");
        virStoragePoolFree(pools[i]);
    }
    free(pools);
    CHECK(virConnectNumOfStoragePools(conn) == n, "count");
    CHECK(virConnectListAllStoragePools(conn, NULL, VIR_CONNECT_LIST_STORAGE_POOLS_NETFS) == 0,
          "no NFS pool");
    char *names[4] = { 0 };
    CHECK(virConnectListStoragePools(conn, names, 4) == n, "names");
    for (int i = 0; i < n && i < 4; i++)
        free(names[i]);
    CHECK(virStoragePoolLookupByName(conn, "nope") == NULL && virGetLastErrorCode() == VIR_ERR_NO_STORAGE_POOL,
          "unknown pool");

    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "LocalDS_0");
    CHECK(pool != NULL, "lookup LocalDS_0");
    if (!pool)
        return finish("C storage test");
    char uuid[VIR_UUID_STRING_BUFLEN];
    CHECK(virStoragePoolGetUUIDString(pool, uuid) == 0, "uuid");
    virStoragePoolPtr same = virStoragePoolLookupByUUIDString(conn, uuid);
    CHECK(same && strcmp(virStoragePoolGetName(same), "LocalDS_0") == 0, "lookup by UUID");
    virStoragePoolFree(same);
    char *xml = virStoragePoolGetXMLDesc(pool, 0);
    CHECK(xml && strstr(xml, "<pool type='dir'>") && strstr(xml, "<path>/vmfs/volumes/LocalDS_0</path>"),
          "pool xml");
    free(xml);
    same = virStoragePoolLookupByTargetPath(conn, "/vmfs/volumes/LocalDS_0/");
    CHECK(same && strcmp(virStoragePoolGetName(same), "LocalDS_0") == 0, "lookup by target path");
    virStoragePoolFree(same);
    CHECK(virStoragePoolLookupByTargetPath(conn, "/vmfs/volumes/nope") == NULL &&
              virGetLastErrorCode() == VIR_ERR_NO_STORAGE_POOL,
          "no pool at that target path");
    CHECK(virStoragePoolRefresh(pool, 0) == 0, "refresh");
    int autostart = 0;
    CHECK(virStoragePoolGetAutostart(pool, &autostart) == 0 && autostart == 1, "autostart");

    virStorageVolPtr iso = virStorageVolCreateXML(
        pool, "<volume><name>c-test/data.iso</name><capacity>0</capacity></volume>", 0);
    CHECK(iso != NULL, "create image volume");
    unsigned char *data = malloc(SIZE), *back = calloc(1, SIZE);
    for (size_t i = 0; i < SIZE; i++)
        data[i] = (unsigned char)(i * 13 + i / 509);
    if (iso && data && back) {
        virStreamPtr up = virStreamNew(conn, 0);
        struct cursor src = { data, SIZE, 0 };
        CHECK(up && virStorageVolUpload(iso, up, 0, SIZE, 0) == 0, "bind upload");
        CHECK(virStreamSendAll(up, source, &src) == 0, "send all");
        CHECK(virStreamFinish(up) == 0, "finish upload");
        virStreamFree(up);

        virStreamPtr down = virStreamNew(conn, 0);
        struct cursor dst = { back, SIZE, 0 };
        CHECK(down && virStorageVolDownload(iso, down, 0, 0, 0) == 0, "bind download");
        CHECK(virStreamRecvAll(down, sink, &dst) == 0 && dst.at == SIZE, "recv all (%zu)", dst.at);
        CHECK(virStreamFinish(down) == 0, "finish download");
        virStreamFree(down);
        CHECK(memcmp(data, back, SIZE) == 0, "the bytes came back");

        virStreamPtr part = virStreamNew(conn, 0);
        char buf[100];
        CHECK(virStorageVolDownload(iso, part, 1000, 100, 0) == 0, "bind ranged download");
        int got = 0, r;
        while ((r = virStreamRecv(part, buf + got, sizeof buf - got)) > 0)
            got += r;
        CHECK(got == 100 && memcmp(buf, data + 1000, 100) == 0, "range (%d)", got);
        CHECK(virStreamSend(part, buf, 1) == -1 && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "sending on a download");
        CHECK(virStreamFinish(part) == 0, "finish");
        virStreamFree(part);

        virStorageVolInfo vinfo;
        virStorageVolPtr again = virStorageVolLookupByPath(conn, "[LocalDS_0] c-test/data.iso");
        CHECK(again && virStorageVolGetInfo(again, &vinfo) == 0 && vinfo.capacity == SIZE,
              "image size");
        virStorageVolInfo physical;
        CHECK(again && virStorageVolGetInfoFlags(again, &physical, VIR_STORAGE_VOL_GET_PHYSICAL) == 0 &&
                  physical.capacity == vinfo.capacity && physical.allocation == vinfo.allocation,
              "physical size is the allocation");
        CHECK(again && virStorageVolGetInfoFlags(again, &physical, 2) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "unknown info flag");
        virStorageVolFree(again);
    }
    free(data);
    free(back);

    virStorageVolPtr disk = virStorageVolCreateXML(
        pool,
        "<volume><name>c-test/thin.vmdk</name><capacity unit='M'>8</capacity>"
        "<allocation>0</allocation><target><format type='vmdk'/></target></volume>",
        0);
    CHECK(disk != NULL, "create thin disk");
    if (disk) {
        const char *key = virStorageVolGetKey(disk);
        CHECK(key && strlen(key) == 36, "disk key %s", key ? key : "(null)");
        virStorageVolPtr by_key = key ? virStorageVolLookupByKey(conn, key) : NULL;
        CHECK(by_key && strcmp(virStorageVolGetName(by_key), "c-test/thin.vmdk") == 0,
              "lookup by key");
        virStorageVolFree(by_key);
        char *path = virStorageVolGetPath(disk);
        CHECK(path && strcmp(path, "[LocalDS_0] c-test/thin.vmdk") == 0, "path");
        free(path);
        char *vxml = virStorageVolGetXMLDesc(disk, 0);
        CHECK(vxml && strstr(vxml, "<capacity unit='bytes'>8388608</capacity>") &&
                  strstr(vxml, "<format type='vmdk'/>"),
              "volume xml");
        free(vxml);
        CHECK(virStorageVolResize(disk, 16 << 20, 0) == 0, "grow");
        CHECK(virStoragePoolNumOfVolumes(pool) >= 2, "volumes counted");
        CHECK(virStorageVolDelete(disk, 0) == 0, "delete disk");
        virStorageVolFree(disk);
    }
    if (iso) {
        CHECK(virStorageVolDelete(iso, 0) == 0, "delete image");
        virStorageVolFree(iso);
    }
    CHECK(virStorageVolLookupByPath(conn, "c-test/thin.vmdk") == NULL &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "bad path");
    CHECK(virStorageVolLookupByPath(conn, "[LocalDS_0] c-test/thin.vmdk") == NULL &&
              virGetLastErrorCode() == VIR_ERR_NO_STORAGE_VOL,
          "deleted");
    CHECK(virStorageVolLookupByPath(conn, "[LocalDS_0] ../../tmp/x.iso") == NULL &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG &&
              strstr(virGetLastErrorMessage(), "leaves its datastore") != NULL,
          "a path that leaves its datastore");
    CHECK(virStorageVolLookupByName(pool, "../x.iso") == NULL &&
              virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "a name that leaves its datastore");
    virStoragePoolFree(pool);
    virConnectClose(conn);
    return finish("C storage test");
}
