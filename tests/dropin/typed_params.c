/* The typed-parameter helpers, as a transcript: built once against libvirt's header and run on
 * both Debian's libvirt0 and the drop-in, whose transcripts must be the same. Each line says a
 * call's result, the array's count and size, and the error code and message on failure. */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <string.h>

static virTypedParameterPtr p;
static int n, max;

static void quiet(void *d, virErrorPtr e) { (void)d; (void)e; }

static void said(const char *what, int r)
{
    if (r < 0)
        printf("%s = %d [%d: %s]\n", what, r, virGetLastErrorCode(), virGetLastErrorMessage());
    else
        printf("%s = %d (%d/%d)\n", what, r, n, max);
}

int main(void)
{
    virInitialize();
    virSetErrorFunc(NULL, quiet);
    for (int i = 0; i < 11; i++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", i);
        said("add int", virTypedParamsAddInt(&p, &n, &max, name, i * 3));
    }
    said("add int again", virTypedParamsAddInt(&p, &n, &max, "p1", 100));
    said("add uint", virTypedParamsAddUInt(&p, &n, &max, "u", 4000000000u));
    said("add llong", virTypedParamsAddLLong(&p, &n, &max, "l", -5000000000LL));
    said("add ullong", virTypedParamsAddULLong(&p, &n, &max, "ul", 18000000000000000000ULL));
    said("add double", virTypedParamsAddDouble(&p, &n, &max, "d", 2.5));
    said("add boolean 5", virTypedParamsAddBoolean(&p, &n, &max, "b", 5));
    said("add string", virTypedParamsAddString(&p, &n, &max, "s", "text"));
    said("add string NULL", virTypedParamsAddString(&p, &n, &max, "empty", NULL));
    const char *list[] = { "x", "y", NULL };
    said("add string list", virTypedParamsAddStringList(&p, &n, &max, "sl", list));
    char longname[100];
    memset(longname, 'n', 99);
    longname[99] = 0;
    said("add long name", virTypedParamsAddInt(&p, &n, &max, longname, 1));
    said("from string int ' 7'", virTypedParamsAddFromString(&p, &n, &max, "fi", VIR_TYPED_PARAM_INT, " 7"));
    said("from string int abc", virTypedParamsAddFromString(&p, &n, &max, "fx", VIR_TYPED_PARAM_INT, "abc"));
    said("from string uint -1", virTypedParamsAddFromString(&p, &n, &max, "fu", VIR_TYPED_PARAM_UINT, "-1"));
    said("from string llong big", virTypedParamsAddFromString(&p, &n, &max, "fl", VIR_TYPED_PARAM_LLONG, "9223372036854775808"));
    said("from string double", virTypedParamsAddFromString(&p, &n, &max, "fd", VIR_TYPED_PARAM_DOUBLE, "1.25"));
    said("from string boolean yes", virTypedParamsAddFromString(&p, &n, &max, "fb", VIR_TYPED_PARAM_BOOLEAN, "yes"));
    said("from string boolean 0", virTypedParamsAddFromString(&p, &n, &max, "fb", VIR_TYPED_PARAM_BOOLEAN, "0"));
    said("from string type 99", virTypedParamsAddFromString(&p, &n, &max, "f9", 99, "1"));

    int i = -1;
    unsigned int u = 0;
    long long l = 0;
    unsigned long long ul = 0;
    double d = 0;
    const char *s = NULL;
    int r = virTypedParamsGetInt(p, n, "p1", &i);
    said("get int p1 (first of two)", r);
    printf("  -> %d\n", i);
    said("get int of a uint", virTypedParamsGetInt(p, n, "u", &i));
    said("get int missing", virTypedParamsGetInt(p, n, "nope", &i));
    said("get int, value NULL", virTypedParamsGetInt(p, n, "p2", NULL));
    said("get int, params NULL", virTypedParamsGetInt(NULL, 0, "p2", &i));
    said("get int, name NULL", virTypedParamsGetInt(p, n, NULL, &i));
    r = virTypedParamsGetUInt(p, n, "u", &u);
    said("get uint", r);
    printf("  -> %u\n", u);
    r = virTypedParamsGetLLong(p, n, "l", &l);
    said("get llong", r);
    printf("  -> %lld\n", l);
    r = virTypedParamsGetULLong(p, n, "ul", &ul);
    said("get ullong", r);
    printf("  -> %llu\n", ul);
    r = virTypedParamsGetDouble(p, n, "d", &d);
    said("get double", r);
    printf("  -> %g\n", d);
    r = virTypedParamsGetBoolean(p, n, "b", &i);
    said("get boolean", r);
    printf("  -> %d\n", i);
    r = virTypedParamsGetString(p, n, "s", &s);
    said("get string", r);
    printf("  -> %s\n", s);
    r = virTypedParamsGetString(p, n, "empty", &s);
    said("get string set NULL", r);
    printf("  -> '%s'\n", s ? s : "(null)");
    r = virTypedParamsGetUInt(p, n, "fu", &u);
    said("get uint from '-1'", r);
    printf("  -> %u\n", u);
    r = virTypedParamsGetBoolean(p, n, "fb", &i);
    said("get boolean from '0'", r);
    printf("  -> %d\n", i);
    virTypedParameterPtr found = virTypedParamsGet(p, n, "sl");
    printf("get sl: %s type %d value %s\n", found ? found->field : "(none)", found ? found->type : 0,
           found ? found->value.s : "");
    printf("get missing: %s\n", virTypedParamsGet(p, n, "nope") ? "found" : "(none)");
    virTypedParamsFree(p, n);
    return 0;
}
