/* The demo: connect to an ESX host (or vCenter) with an auth callback and print its facts.
 * Build: cc hostinfo.c $(pkg-config --cflags --libs libvirt_esx)
 * Run:   ./hostinfo 'esx://root@HOST/?no_verify=1'   (password from $ESX_PASSWORD) */
#define _POSIX_C_SOURCE 200809L
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ask(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    (void)cbdata;
    for (unsigned int i = 0; i < ncred; i++) {
        const char *env = cred[i].type == VIR_CRED_AUTHNAME ? "ESX_USER" : "ESX_PASSWORD";
        const char *v = getenv(env);
        if (!v)
            v = cred[i].defresult ? cred[i].defresult : "";
        cred[i].result = strdup(v);
        cred[i].resultlen = strlen(v);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int types[] = { VIR_CRED_AUTHNAME, VIR_CRED_NOECHOPROMPT };
    virConnectAuth auth = { types, 2, ask, NULL };
    virConnectPtr conn = virConnectOpenAuth(argc > 1 ? argv[1] : NULL, &auth, 0);
    if (!conn) {
        fprintf(stderr, "cannot connect: %s\n", virGetLastErrorMessage());
        return 1;
    }
    virNodeInfo info;
    unsigned long version = 0;
    char *host = virConnectGetHostname(conn);
    if (virNodeGetInfo(conn, &info) < 0 || virConnectGetVersion(conn, &version) < 0 || !host) {
        fprintf(stderr, "error: %s\n", virGetLastErrorMessage());
        free(host);
        virConnectClose(conn);
        return 1;
    }
    printf("Host:      %s (%s %lu.%lu.%lu)\n", host, virConnectGetType(conn),
           version / 1000000, version / 1000 % 1000, version % 1000);
    printf("CPU model: %s, %u CPUs at %u MHz (%u sockets x %u cores x %u threads)\n",
           info.model, info.cpus, info.mhz, info.sockets, info.cores, info.threads);
    printf("Memory:    %lu KiB, %llu bytes free\n", info.memory, virNodeGetFreeMemory(conn));
    char *caps = virConnectGetCapabilities(conn);
    if (caps)
        printf("%s", caps);
    free(caps);
    free(host);
    virConnectClose(conn);
    return 0;
}
