/*  test_gateway — the gateway's self-tests in process: gw_target, the
    decoding and checking of request targets and their mapping onto
    queries. */
#include "gw_target.h"

#include <stdio.h>

int
main (void)
{
    int failed = gw_target_test (1) != 0;
    printf ("%s\n", failed ? "gateway self-tests FAILED" : "gateway self-tests passed");
    return failed;
}
