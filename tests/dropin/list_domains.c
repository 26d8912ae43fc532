/* A program written for libvirt: built against the system's <libvirt/libvirt.h>, linked against
 * libvirt.so.0, and run with LD_LIBRARY_PATH pointing at the drop-in. It checks that the
 * libvirt.so.0 it got is libvirt_esx's, then lists the simulator's domains with their info.
 * Usage: list_domains URI */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int answer(virConnectCredentialPtr cred, unsigned int n, void *data)
{
    (void)data;
    for (unsigned int i = 0; i < n; i++) {
        cred[i].result = strdup(cred[i].type == VIR_CRED_AUTHNAME ? "root" : "secret");
        cred[i].resultlen = strlen(cred[i].result);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s URI\n", argv[0]);
        return 2;
    }
    if (!dlsym(RTLD_DEFAULT, "virEsxGetLiveHandles")) {
        fprintf(stderr, "the libvirt.so.0 loaded is not libvirt_esx's drop-in\n");
        return 1;
    }
    int types[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    virConnectAuth auth = { types, 2, answer, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    if (!conn) {
        fprintf(stderr, "open: %s\n", virGetLastErrorMessage());
        return 1;
    }
    virDomainPtr *doms = NULL;
    int n = virConnectListAllDomains(conn, &doms, 0);
    for (int i = 0; i < n; i++) {
        virDomainInfo info;
        if (virDomainGetInfo(doms[i], &info) == 0)
            printf("%s state %d, %lu KiB, %u vCPUs\n", virDomainGetName(doms[i]), info.state,
                   info.maxMem, info.nrVirtCpu);
        virDomainFree(doms[i]);
    }
    free(doms);
    virConnectClose(conn);
    if (n <= 0) {
        fprintf(stderr, "no domains listed (%d): %s\n", n, virGetLastErrorMessage());
        return 1;
    }
    printf("drop-in listing: %d domains\n", n);
    return 0;
}
