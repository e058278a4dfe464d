/*  test_lib — runs the self-tests of lib/ in-process, one table row each.

    Each class's _test function is also its usage example; this program runs
    them all, prints one line per test and exits nonzero when any fails.
        test_lib            run all, verbose
        test_lib codec      run the tests whose name contains "codec" */
#include "pl_backup.h"
#include "pl_canon.h"
#include "pl_codec.h"
#include "pl_facet.h"
#include "pl_histogram.h"
#include "pl_ical.h"
#include "pl_keys.h"
#include "pl_seal.h"
#include "pl_mailkey.h"
#include "pl_convention.h"
#include "pl_proto.h"
#include "pl_rules.h"
#include "pl_schema.h"
#include "pl_settings.h"
#include "pl_stmts.h"
#include "pl_store.h"
#include "pl_symbol.h"
#include "pl_txn.h"
#include "pl_zone.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*run) (int verbose);
} s_test_t;

static const s_test_t s_tests [] = {
    { "pl_schema", pl_schema_test },
    { "pl_codec",  pl_codec_test },
    { "pl_canon",  pl_canon_test },
    { "pl_proto",  pl_proto_test },
    { "pl_store",  pl_store_test },
    { "pl_txn",    pl_txn_test },
    { "pl_stmts",  pl_stmts_test },
    { "pl_rules",  pl_rules_test },
    { "pl_facet",  pl_facet_test },
    { "pl_keys",   pl_keys_test },
    { "pl_seal",   pl_seal_test },
    { "pl_convention", pl_convention_test },
    { "pl_zone",   pl_zone_test },
    { "pl_symbol", pl_symbol_test },
    { "pl_ical",   pl_ical_test },
    { "pl_settings", pl_settings_test },
    { "pl_mailkey", pl_mailkey_test },
    { "pl_backup", pl_backup_test },
    { "pl_histogram", pl_histogram_test },
};

int
main (int argc, char *argv [])
{
    const char *filter = argc > 1? argv [1]: NULL;
    int failed = 0, ran = 0;
    for (size_t index = 0; index < sizeof s_tests / sizeof s_tests [0]; index++) {
        if (filter && !strstr (s_tests [index].name, filter))
            continue;
        int rc = s_tests [index].run (1);
        printf ("%-12s %s\n", s_tests [index].name, rc == 0? "PASS": "FAIL");
        failed += rc != 0;
        ran++;
    }
    printf ("%d of %d self-tests passed\n", ran - failed, ran);
    return failed || ran == 0? 1: 0;
}
