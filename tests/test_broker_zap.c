/*  test_broker_zap — runs the self-test of broker/broker_zap.c (ZAP requests
    and metadata as pure functions), which the broker's black-box tests
    reach only through real handshakes. */
#include "broker_zap.h"

int
main (void)
{
    return broker_zap_test (1) ? 1 : 0;
}
