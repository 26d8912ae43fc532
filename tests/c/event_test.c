/* libvirt's default event loop through the C ABI: a handle on a pipe, a timer that removes
 * itself from its own callback, free callbacks run once each; a lifecycle event of a domain
 * suspended through the library, delivered by that loop; then an application's loop
 * registered with virEventRegisterImpl receives the registrations. Run under valgrind.
 * Usage: event_test URI */
#include "check.h"
#include <time.h>
#include <unistd.h>

struct counts {
    int handle, timer, freed;
    int last_watch, last_fd, last_events;
};

static void on_handle(int watch, int fd, int events, void *opaque)
{
    struct counts *c = opaque;
    char b;
    if (read(fd, &b, 1) != 1)
        c->handle = -100;
    c->handle++;
    c->last_watch = watch;
    c->last_fd = fd;
    c->last_events = events;
}

static void on_timer(int timer, void *opaque)
{
    struct counts *c = opaque;
    c->timer++;
    virEventRemoveTimeout(timer); /* removal inside its own callback */
}

struct lifecycle {
    int calls, event, detail;
    char name[64];
};

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
    struct lifecycle *l = opaque;
    (void)conn;
    l->calls++;
    l->event = event;
    l->detail = detail;
    snprintf(l->name, sizeof l->name, "%s", virDomainGetName(dom));
    return 0;
}

static int reboots;
static char added[64];
static void on_reboot(virConnectPtr conn, virDomainPtr dom, void *opaque)
{
    (void)conn;
    (void)dom;
    (void)opaque;
    reboots++;
}

static void on_device_added(virConnectPtr conn, virDomainPtr dom, const char *alias, void *opaque)
{
    (void)conn;
    (void)dom;
    (void)opaque;
    snprintf(added, sizeof added, "%s", alias);
}

static int net_events[4], pool_events;
static void on_network(virConnectPtr conn, virNetworkPtr net, int event, int detail, void *opaque)
{
    (void)conn;
    (void)detail;
    (void)opaque;
    if (event >= 0 && event < 4 && strcmp(virNetworkGetName(net), "vSwitchC") == 0)
        net_events[event]++;
}

static void on_pool(virConnectPtr conn, virStoragePoolPtr pool, int event, int detail, void *opaque)
{
    (void)conn;
    (void)pool;
    (void)event;
    (void)detail;
    (void)opaque;
    pool_events++;
}

static void tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

static void on_close(virConnectPtr conn, int reason, void *opaque)
{
    (void)conn;
    (void)reason;
    (void)opaque;
}

static int lifecycle_freed;
static void free_lifecycle(void *opaque)
{
    (void)opaque;
    lifecycle_freed++;
}

static void on_free(void *opaque)
{
    ((struct counts *)opaque)->freed++;
}

/* A free callback that calls back into its connection, as an application tidying up may. */
static virConnectPtr reentrant_conn;
static int reentrant_uris;
static void free_reentrant(void *opaque)
{
    (void)opaque;
    char *uri = virConnectGetURI(reentrant_conn);
    if (uri && strncmp(uri, "esx://", 6) == 0)
        reentrant_uris++;
    free(uri);
}

/* A stand-in for an application's loop: it records, and calls back when told. */
static virEventHandleCallback app_cb;
static void *app_opaque;
static virFreeCallback app_ff;
static int app_removed;

static int app_add_handle(int fd, int event, virEventHandleCallback cb, void *opaque, virFreeCallback ff)
{
    (void)fd;
    (void)event;
    app_cb = cb;
    app_opaque = opaque;
    app_ff = ff;
    return 42;
}
static void app_update_handle(int watch, int event) { (void)watch; (void)event; }
static int app_remove_handle(int watch)
{
    app_removed = watch;
    if (app_ff)
        app_ff(app_opaque);
    return 0;
}
static int app_add_timeout(int t, virEventTimeoutCallback cb, void *opaque, virFreeCallback ff)
{
    (void)t; (void)cb; (void)opaque; (void)ff;
    return -1;
}
static void app_update_timeout(int timer, int t) { (void)timer; (void)t; }
static int app_remove_timeout(int timer) { (void)timer; return -1; }

int main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    struct counts c = {0};
    int fds[2];
    CHECK(virInitialize() == 0, "virInitialize");
    CHECK(virEventAddHandle(0, VIR_EVENT_HANDLE_READABLE, on_handle, &c, NULL) == -1,
          "no loop registered yet");
    CHECK(virEventRegisterDefaultImpl() == 0, "register the default loop");
    CHECK(pipe(fds) == 0, "pipe");
    int watch = virEventAddHandle(fds[0], VIR_EVENT_HANDLE_READABLE, on_handle, &c, on_free);
    CHECK(watch > 0, "add handle (%d)", watch);
    int timer = virEventAddTimeout(0, on_timer, &c, on_free);
    CHECK(timer > 0 && timer != watch, "add timeout (%d)", timer);
    CHECK(write(fds[1], "x", 1) == 1, "write");
    CHECK(virEventRunDefaultImpl() == 0, "run once");
    CHECK(c.handle == 1 && c.last_watch == watch && c.last_fd == fds[0] &&
              c.last_events == VIR_EVENT_HANDLE_READABLE,
          "handle called once (%d, events %d)", c.handle, c.last_events);
    CHECK(c.timer == 1, "timer fired once (%d)", c.timer);
    CHECK(virEventRemoveHandle(watch) == 0 && virEventRemoveHandle(watch) == -1, "remove handle");
    virEventAddTimeout(0, on_timer, &c, on_free);
    CHECK(virEventRunDefaultImpl() == 0, "run again");
    CHECK(c.freed == 2, "both freed after removal (%d)", c.freed);
    close(fds[0]);
    close(fds[1]);

    virConnectPtr conn = open_test(argc, argv, "event_test");
    if (conn) {
        struct lifecycle l = {0};
        int ticker = virEventAddTimeout(100, tick, NULL, NULL); /* bounds each iteration */
        int id = virConnectDomainEventRegisterAny(conn, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                  VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), &l,
                                                  free_lifecycle);
        CHECK(id > 0, "register lifecycle events (%d)", id);
        CHECK(virConnectDomainEventRegisterAny(conn, NULL, 99, VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
                                               NULL, NULL) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "unknown event ID");
        virDomainPtr dom = virDomainLookupByName(conn, "ha-host_VM1");
        nanosleep(&(struct timespec){0, 500000000}, NULL); /* the watcher's first read */
        if (dom && virDomainIsActive(dom) == 0)
            virDomainCreate(dom);
        for (int i = 0; i < 5; i++)
            virEventRunDefaultImpl();
        l.calls = 0;
        CHECK(dom && virDomainSuspend(dom) == 0, "suspend");
        for (int i = 0; i < 100 && l.calls == 0; i++)
            virEventRunDefaultImpl();
        CHECK(l.calls == 1 && l.event == VIR_DOMAIN_EVENT_SUSPENDED &&
                  l.detail == VIR_DOMAIN_EVENT_SUSPENDED_PAUSED && strcmp(l.name, "ha-host_VM1") == 0,
              "suspended event (%d calls, %d/%d, %s)", l.calls, l.event, l.detail, l.name);
        if (dom)
            virDomainResume(dom);

        /* A reset is a REBOOT event; a NIC plugged in, DEVICE_ADDED with its label. */
        int rb = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_REBOOT,
                                                  VIR_DOMAIN_EVENT_CALLBACK(on_reboot), NULL, NULL);
        int da = virConnectDomainEventRegisterAny(conn, dom, VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                                  VIR_DOMAIN_EVENT_CALLBACK(on_device_added), NULL, NULL);
        CHECK(rb > 0 && da > 0, "reboot and device registrations (%d, %d)", rb, da);
        nanosleep(&(struct timespec){0, 500000000}, NULL); /* the new watcher's first read */
        virEventRunDefaultImpl();
        CHECK(dom && virDomainReset(dom, 0) == 0, "reset");
        for (int i = 0; i < 100 && reboots == 0; i++)
            virEventRunDefaultImpl();
        CHECK(reboots == 1, "one reboot event (%d)", reboots);
        const char *nic = "<interface type='bridge'><mac address='00:50:56:00:77:03'/>"
                          "<source bridge='VM Network'/></interface>";
        CHECK(dom && virDomainAttachDeviceFlags(dom, nic, VIR_DOMAIN_AFFECT_LIVE) == 0, "attach a NIC");
        for (int i = 0; i < 100 && added[0] == 0; i++)
            virEventRunDefaultImpl();
        CHECK(added[0] != 0, "device added event");
        if (dom) {
            virDomainDetachDeviceFlags(dom, nic, VIR_DOMAIN_AFFECT_LIVE);
            virDomainFree(dom);
        }
        /* A vSwitch defined and undefined: DEFINED + STARTED, STOPPED + UNDEFINED. */
        int ne = virConnectNetworkEventRegisterAny(conn, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                   VIR_NETWORK_EVENT_CALLBACK(on_network), &c, on_free);
        int pe = virConnectStoragePoolEventRegisterAny(conn, NULL, VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                                                       VIR_STORAGE_POOL_EVENT_CALLBACK(on_pool), NULL, NULL);
        CHECK(ne > 0 && pe > 0, "network and pool registrations (%d, %d)", ne, pe);
        CHECK(virConnectStoragePoolEventRegisterAny(conn, NULL, 2, VIR_STORAGE_POOL_EVENT_CALLBACK(on_pool),
                                                    NULL, NULL) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "unknown pool event ID");
        nanosleep(&(struct timespec){0, 700000000}, NULL); /* the new watcher's first read */
        virEventRunDefaultImpl();
        virNetworkPtr net = virNetworkDefineXML(conn, "<network><name>vSwitchC</name><portgroup name='pgC'/></network>");
        CHECK(net != NULL, "define a vSwitch");
        for (int i = 0; i < 100 && net_events[VIR_NETWORK_EVENT_STARTED] == 0; i++)
            virEventRunDefaultImpl();
        if (net) {
            CHECK(virNetworkUndefine(net) == 0, "undefine the vSwitch");
            virNetworkFree(net);
        }
        for (int i = 0; i < 100 && net_events[VIR_NETWORK_EVENT_UNDEFINED] == 0; i++)
            virEventRunDefaultImpl();
        CHECK(net_events[0] == 1 && net_events[1] == 1 && net_events[2] == 1 && net_events[3] == 1,
              "network lifecycle (%d %d %d %d)", net_events[0], net_events[1], net_events[2], net_events[3]);
        int nfreed = c.freed;
        CHECK(virConnectStoragePoolEventDeregisterAny(conn, ne) == -1, "a network id is not a pool's");
        CHECK(virConnectNetworkEventDeregisterAny(conn, ne) == 0 && c.freed == nfreed + 1 &&
                  virConnectStoragePoolEventDeregisterAny(conn, pe) == 0 && pool_events == 0,
              "network and pool registrations removed");
        CHECK(virConnectDomainEventDeregisterAny(conn, rb) == 0 &&
                  virConnectDomainEventDeregisterAny(conn, da) == 0,
              "reboot and device registrations removed");
        CHECK(virConnectDomainEventDeregisterAny(conn, id) == 0 && lifecycle_freed == 1,
              "deregistered and freed (%d)", lifecycle_freed);
        virEventRemoveTimeout(ticker);

        CHECK(virConnectSetKeepAlive(conn, 5, 3) == 0 && virConnectSetKeepAlive(conn, 0, 0) == 0,
              "keepalive on and off");
        CHECK(virConnectRegisterCloseCallback(conn, on_close, &c, on_free) == 0, "close callback");
        CHECK(virConnectRegisterCloseCallback(conn, on_close, &c, NULL) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID,
              "only one close callback");
        int freed = c.freed;
        CHECK(virConnectUnregisterCloseCallback(conn, on_close) == 0 && c.freed == freed + 1,
              "unregistered and freed");
        CHECK(virConnectIsAlive(conn) == 1, "alive");

        /* Node device and secret events register and never fire; freed on deregistration. */
        freed = c.freed;
        int nd = virConnectNodeDeviceEventRegisterAny(conn, NULL, 0, (virConnectNodeDeviceEventGenericCallback)(void (*)(void))on_close, &c, on_free);
        int sec = virConnectSecretEventRegisterAny(conn, NULL, 1, (virConnectSecretEventGenericCallback)(void (*)(void))on_close, &c, on_free);
        CHECK(nd > 0 && sec > 0, "node device and secret registrations (%d, %d)", nd, sec);
        CHECK(virConnectSecretEventRegisterAny(conn, NULL, 2, (virConnectSecretEventGenericCallback)(void (*)(void))on_close, NULL, NULL) == -1 &&
                  virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
              "unknown secret event ID");
        CHECK(virConnectNodeDeviceEventDeregisterAny(conn, nd) == 0 &&
                  virConnectSecretEventDeregisterAny(conn, sec) == 0 && c.freed == freed + 2,
              "deregistered and freed");
        virConnectClose(conn);

        /* Each registration holds a reference on its connection, as in libvirt: the last Close
         * leaves the connection to them, and their free callbacks run with it alive (one calling
         * back into it used to run inside the connection's teardown). */
        long long live = virEsxGetLiveHandles();
        reentrant_conn = open_test(argc, argv, "event_test");
        virConnectPtr rc = reentrant_conn;
        int rd = virConnectDomainEventRegisterAny(rc, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                  VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle), NULL, free_reentrant);
        int rn = virConnectNetworkEventRegisterAny(rc, NULL, VIR_NETWORK_EVENT_ID_LIFECYCLE,
                                                   VIR_NETWORK_EVENT_CALLBACK(on_network), NULL, free_reentrant);
        int rnd = virConnectNodeDeviceEventRegisterAny(rc, NULL, 0, (virConnectNodeDeviceEventGenericCallback)(void (*)(void))on_close, NULL, free_reentrant);
        CHECK(rd > 0 && rn > 0 && rnd > 0 &&
                  virConnectRegisterCloseCallback(rc, on_close, NULL, free_reentrant) == 0,
              "four registrations");
        CHECK(virConnectClose(rc) == 4 && virConnectIsAlive(rc) == 1,
              "the last Close leaves the connection to its four registrations");
        CHECK(virConnectDomainEventDeregisterAny(rc, rd) == 0 &&
                  virConnectNetworkEventDeregisterAny(rc, rn) == 0 &&
                  virConnectNodeDeviceEventDeregisterAny(rc, rnd) == 0 && reentrant_uris == 3 &&
                  virConnectIsAlive(rc) == 1,
              "free callbacks ran with the connection alive (%d)", reentrant_uris);
        CHECK(virConnectUnregisterCloseCallback(rc, on_close) == 0 && reentrant_uris == 4,
              "the close callback's free ran with it alive too (%d)", reentrant_uris);
        CHECK(virEsxGetLiveHandles() == live, "the last registration closed it (%lld live, was %lld)",
              virEsxGetLiveHandles(), live);
    }

    virEventRegisterImpl(app_add_handle, app_update_handle, app_remove_handle, app_add_timeout,
                         app_update_timeout, app_remove_timeout);
    struct counts d = {0};
    CHECK(virEventAddHandle(5, VIR_EVENT_HANDLE_READABLE, on_handle, &d, on_free) == 42,
          "the application's loop answers");
    CHECK(virEventAddTimeout(10, on_timer, &d, on_free) == -1, "its refusal is ours");
    CHECK(d.freed == 0, "a refused registration is not freed by the loop (%d)", d.freed);
    CHECK(virEventRemoveHandle(42) == 0 && app_removed == 42 && d.freed == 1,
          "removed through it, freed once (%d)", d.freed);
    return finish("C event test");
}
