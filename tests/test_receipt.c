/*  test_receipt — asks the broker for one group's verdict on one event.

    Black-box tests need another group's verdict than the one the CLI waits
    for: `plenary session add` waits for records', the test then asks what
    the calendar did with the same event (applied, or skipped because
    records rejected it):
        test-receipt SEQ GROUP [TIMEOUT_MS]
    prints one JSON object {"seq", "group", "verdict", "reason"} and exits 0,
    or prints the broker's error on stderr and exits 1 (2 on bad usage).
    And to publish an event no CLI command makes (with PLENARY_CERT's key,
    as the tests of keys' grants need):
        test-receipt --publish TOPIC FILE
    publishes FILE's JSON object as TOPIC and prints {"seq"} on its ACK.
    The broker is $PLENARY_ENDPOINT, as for the CLI. */
#include "pl_client.h"
#include "pl_config.h"
#include "pl_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  --publish TOPIC FILE
static int
s_publish (const char *topic, const char *file)
{
    json_error_t error;
    json_t *payload = json_load_file (file, 0, &error);
    if (!payload) {
        fprintf (stderr, "test-receipt: %s: %s\n", file, error.text);
        return 2;
    }
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    pl_client_t *client = pl_client_new (&config);
    pl_ack_t ack;
    int status = 0;
    char err [PL_ERR_MAX] = "cannot connect";
    int rc = client ? pl_client_publish (client, topic, NULL, payload, &ack, &status, err,
                                         sizeof err) : -1;
    pl_client_destroy (&client);
    json_decref (payload);
    if (rc) {
        fprintf (stderr, "test-receipt: %d %s\n", status, err);
        return 1;
    }
    printf ("{\"seq\":%llu}\n", (unsigned long long) ack.seq);
    return 0;
}

int
main (int argc, char *argv [])
{
    if (argc == 4 && strcmp (argv [1], "--publish") == 0)
        return s_publish (argv [2], argv [3]);
    if (argc < 3 || argc > 4) {
        fprintf (stderr, "usage: test-receipt SEQ GROUP [TIMEOUT_MS]\n");
        return 2;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long seq = strtoull (argv [1], &end, 10);
    long timeout_ms = argc == 4 ? strtol (argv [3], NULL, 10) : 10000;
    if (errno || !end || *end || seq == 0 || timeout_ms < 1) {
        fprintf (stderr, "test-receipt: SEQ must be a sequence number, TIMEOUT_MS positive\n");
        return 2;
    }
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    pl_client_t *client = pl_client_new (&config);
    if (!client) {
        fprintf (stderr, "test-receipt: cannot connect to %s\n", config.endpoint);
        return 1;
    }
    char verdict [32], reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status = 0;
    int rc = pl_client_receipt (client, (uint64_t) seq, argv [2], (int) timeout_ms,
                                verdict, sizeof verdict, reason, sizeof reason,
                                &status, err, sizeof err);
    pl_client_destroy (&client);
    if (rc) {
        fprintf (stderr, "test-receipt: %d %s\n", status, err);
        return 1;
    }
    json_t *out = json_pack ("{s:I, s:s, s:s, s:s}", "seq", (json_int_t) seq, "group", argv [2],
                             "verdict", verdict, "reason", reason);
    char *text = out ? json_dumps (out, JSON_COMPACT) : NULL;
    json_decref (out);
    if (!text)
        return 1;
    printf ("%s\n", text);
    free (text);
    return 0;
}
