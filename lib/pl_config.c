/*  pl_config — the documented defaults of every limit and interval.

    Each default carries its reason.  Daemons and the CLI start from these,
    then pl_settings applies the configuration file, PLENARY_* environment
    variables and their own flags. */
#include "pl_config.h"

#include <stdlib.h>
#include <string.h>

void
pl_config_defaults (pl_config_t *config)
{
    memset (config, 0, sizeof *config);
    strcpy (config->endpoint, "tcp://127.0.0.1:7100");
    strcpy (config->backend,  "tcp://127.0.0.1:7101");
    strcpy (config->pub,      "tcp://127.0.0.1:7102");
    strcpy (config->http,     "127.0.0.1:7180");
    strcpy (config->data,     "./var");

    config->max_frame = 16u << 20;          //  a 10 MB document text plus its metadata
    config->max_message = 17u << 20;        //  the largest frame plus the envelope frames
    config->hwm = 10000;                    //  bounded socket queues; ~10k messages in flight per peer

    strcpy (config->loopback_role, "secretariat");    //  loopback is the secretariat's own machine
    config->max_batch = 4096;               //  one group commit; bounds the ACK burst and memory
    config->heartbeat_ms = 1000;            //  Paranoid Pirate's interval
    config->liveness = 3;                   //  dead after 3 silent intervals (spec 6 says 3-5)
    config->ack_timeout_ms = 30000;         //  a worker busy for 30 s on one batch is stuck
    config->max_deliveries = 5;             //  a poison event is parked after 5 tries
    config->max_credit = 1000;              //  events in flight to one worker at most
    config->query_timeout_ms = 5000;        //  a query a person waits for
    config->max_pending = 10000;            //  queries plus receipts waiting in the broker
    config->max_receipt_wait_ms = 60000;    //  a client cannot park a receipt for longer

    config->publish_deadline_ms = 10000;    //  rides out a broker restart
    config->retry_initial_ms = 250;
    config->retry_max_ms = 2000;

    config->worker_credit = 256;            //  enough to batch commits, small enough to bound memory
    config->reconnect_initial_ms = 1000;    //  Paranoid Pirate back-off 1 s ...
    config->reconnect_max_ms = 32000;       //  ... doubling to 32 s
    config->progress_ms = 5000;             //  a replay of millions of events says how far it is
    config->query_threads = 2;              //  a short query passes a long one; two cores here
    config->query_queue = 1000;             //  a burst of feed polls waits; a flood is told 429
}

int
pl_config_set (char *field, const char *value)
{
    if (!value || strlen (value) >= PL_ENDPOINT_MAX)
        return -1;
    strcpy (field, value);
    return 0;
}
