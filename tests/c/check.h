/* Shared by the C tests: a CHECK that counts failures and shows libvirt's last error, and an
 * auth callback answering "root"/"secret" that counts the questions in cbdata (int[2] or NULL). */
#ifndef LIBVIRT_ESX_TEST_CHECK_H
#define LIBVIRT_ESX_TEST_CHECK_H

#define _POSIX_C_SOURCE 200809L
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
#define CHECK(cond, ...)                                             \
    do {                                                             \
        if (!(cond)) {                                               \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);     \
            fprintf(stderr, __VA_ARGS__);                            \
            fprintf(stderr, " [%s]\n", virGetLastErrorMessage());    \
            failures++;                                              \
        }                                                            \
    } while (0)

static int answer_root(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    int *asked = cbdata;
    for (unsigned int i = 0; i < ncred; i++) {
        const char *answer;
        if (cred[i].type == VIR_CRED_AUTHNAME) {
            answer = "root";
        } else if (cred[i].type == VIR_CRED_PASSPHRASE || cred[i].type == VIR_CRED_NOECHOPROMPT) {
            answer = "secret";
        } else {
            return -1;
        }
        if (asked)
            asked[cred[i].type == VIR_CRED_AUTHNAME ? 0 : 1]++;
        cred[i].result = strdup(answer);
        cred[i].resultlen = strlen(answer);
    }
    return 0;
}

static int finish(const char *what)
{
    if (failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", what, failures);
        return 1;
    }
    printf("%s: all checks passed\n", what);
    return 0;
}

/* An error handler that prints nothing: the tests look at the errors themselves. */
static inline void quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err;
}

/* The connection to argv[1] as root; NULL, with a failure counted, when there is none. */
static inline virConnectPtr open_test(int argc, char **argv, const char *name)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s URI\n", name);
        exit(2);
    }
    static int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE };
    static virConnectAuth auth = { credtypes, 2, answer_root, NULL };
    virConnectPtr conn = virConnectOpenAuth(argv[1], &auth, 0);
    CHECK(conn != NULL, "open %s", argv[1]);
    return conn;
}

#endif
