/* Non-blocking streams on libvirt's default event loop, as an event-driven disk tool uses them:
 * an upload fed from a WRITABLE callback and a download drained from a READABLE one, each
 * answering -2 when it would wait (how often depends on the machine's speed, so it is not
 * counted); the callback's registration rules and its free callback.
 * Run under valgrind by tools/test.sh. Usage: stream_events_test URI */
#include "check.h"

#define SIZE (512 * 1024 + 4099)
#define CHUNK 65536

struct transfer {
    unsigned char *data;
    size_t at;
    int done, calls, failed;
};

static int freed;

static void free_transfer(void *opaque)
{
    (void)opaque;
    freed++;
}

static void on_writable(virStreamPtr st, int events, void *opaque)
{
    struct transfer *t = opaque;
    t->calls++;
    if (!(events & VIR_STREAM_EVENT_WRITABLE))
        return;
    while (t->at < SIZE) {
        size_t n = SIZE - t->at < CHUNK ? SIZE - t->at : CHUNK;
        int sent = virStreamSend(st, (const char *)t->data + t->at, n);
        if (sent == -2)
            return; /* the pipe is full: the loop calls again once it drains */
        if (sent < 0) {
            t->failed = 1;
            break;
        }
        t->at += (size_t)sent;
    }
    virStreamEventRemoveCallback(st);
    t->done = 1;
}

static void on_readable(virStreamPtr st, int events, void *opaque)
{
    struct transfer *t = opaque;
    t->calls++;
    if (!(events & VIR_STREAM_EVENT_READABLE))
        return;
    for (;;) {
        size_t room = SIZE + 1 - t->at;
        int got = virStreamRecv(st, (char *)t->data + t->at, room < CHUNK ? room : CHUNK);
        if (got == -2)
            return; /* nothing yet: the loop calls again once data arrives */
        if (got <= 0) {
            t->failed = got < 0;
            break;
        }
        t->at += (size_t)got;
    }
    virStreamEventRemoveCallback(st);
    t->done = 1;
}

static int no_source(virStreamPtr st, char *buf, size_t nbytes, void *opaque)
{
    (void)st, (void)buf, (void)nbytes, (void)opaque;
    return 0;
}

static int no_sink(virStreamPtr st, const char *buf, size_t nbytes, void *opaque)
{
    (void)st, (void)buf, (void)opaque;
    return (int)nbytes;
}

static void tick(int timer, void *opaque)
{
    (void)opaque;
    virEventRemoveTimeout(timer);
}

/* One more iteration of the loop, which sweeps removed timers (and frees their data) before
 * it waits: a timer due at once keeps it from waiting for nothing. */
static void sweep(void)
{
    virEventAddTimeout(0, tick, NULL, NULL);
    virEventRunDefaultImpl();
}

/* Runs the loop until the transfer is done (or a generous number of iterations passed). */
static void run(struct transfer *t)
{
    for (int i = 0; !t->done && i < 200000; i++) {
        virEventRunDefaultImpl();
    }
}

int main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    CHECK(virEventRegisterDefaultImpl() == 0, "default event loop");
    virConnectPtr conn = open_test(argc, argv, "stream_events_test");
    if (!conn)
        return finish("C stream events test");
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, "LocalDS_0");
    virStorageVolPtr vol = pool ? virStorageVolCreateXML(
        pool, "<volume><name>c-events/data.iso</name><capacity>0</capacity></volume>", 0) : NULL;
    CHECK(vol != NULL, "create image volume");
    unsigned char *data = malloc(SIZE), *back = calloc(1, SIZE + 1);
    if (!vol || !data || !back)
        return finish("C stream events test");
    for (size_t i = 0; i < SIZE; i++)
        data[i] = (unsigned char)(i * 7 + i / 1021);

    virStreamPtr up = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    CHECK(up != NULL, "non-blocking stream");
    CHECK(virStreamEventUpdateCallback(up, VIR_STREAM_EVENT_WRITABLE) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR,
          "update with no callback");
    CHECK(virStreamEventRemoveCallback(up) == -1, "remove with no callback");
    struct transfer out = { data, 0, 0, 0, 0 };
    CHECK(virStreamEventAddCallback(up, VIR_STREAM_EVENT_WRITABLE, on_writable, &out, free_transfer) == 0,
          "add callback before binding");
    CHECK(virStreamEventAddCallback(up, VIR_STREAM_EVENT_WRITABLE, on_writable, &out, NULL) == -1 &&
              virGetLastErrorCode() == VIR_ERR_INTERNAL_ERROR,
          "a second callback");
    CHECK(virStorageVolUpload(vol, up, 0, SIZE, 0) == 0, "bind upload");
    CHECK(virStreamSendAll(up, no_source, NULL) == -1 &&
              virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID,
          "no data source on a non-blocking stream");
    run(&out);
    CHECK(out.done && !out.failed && out.at == SIZE, "upload driven by the loop (%zu bytes, %d calls)",
          out.at, out.calls);
    CHECK(virStreamFinish(up) == 0, "finish upload");
    virStreamFree(up);
    sweep();
    CHECK(freed == 1, "free callback ran once (%d)", freed);

    virStreamPtr down = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    struct transfer in = { back, 0, 0, 0, 0 };
    CHECK(down && virStorageVolDownload(vol, down, 0, 0, 0) == 0, "bind download");
    CHECK(virStreamRecvAll(down, no_sink, NULL) == -1 &&
              virGetLastErrorCode() == VIR_ERR_OPERATION_INVALID,
          "no data sink on a non-blocking stream");
    CHECK(virStreamEventAddCallback(down, VIR_STREAM_EVENT_WRITABLE, on_readable, &in, free_transfer) == 0,
          "add callback for the wrong event");
    CHECK(virStreamEventUpdateCallback(down, VIR_STREAM_EVENT_READABLE) == 0, "update to readable");
    run(&in);
    CHECK(in.done && !in.failed && in.at == SIZE, "download driven by the loop (%zu bytes)", in.at);
    CHECK(memcmp(data, back, SIZE) == 0, "the bytes came back");
    CHECK(virStreamFinish(down) == 0, "finish download");
    virStreamFree(down);
    sweep();
    CHECK(freed == 2, "second free callback (%d)", freed);

    virStreamPtr idle = virStreamNew(conn, VIR_STREAM_NONBLOCK);
    char byte;
    CHECK(idle && virStreamRecv(idle, &byte, 1) == -1, "an unbound stream has nothing to read");
    virStreamFree(idle);
    CHECK(virStreamNew(conn, 2) == NULL && virGetLastErrorCode() == VIR_ERR_INVALID_ARG,
          "unknown stream flag");

    CHECK(virStorageVolDelete(vol, 0) == 0, "delete image");
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    free(data);
    free(back);
    virConnectClose(conn);
    return finish("C stream events test");
}
