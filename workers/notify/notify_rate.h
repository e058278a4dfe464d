/*  notify_rate — the sender's rate limit per relay: a bucket that holds
    one second's messages (--rate N), refilled as time passes, so that the
    relay never gets more than N messages in a second after a quiet one,
    nor more than N a second on average.

        notify_rate_t rate;
        notify_rate_init (&rate, 10, now_ms);
        int64_t wait = notify_rate_wait_ms (&rate, now_ms);
        if (wait == 0) { ...hand one message over...; notify_rate_take (&rate); }

    The time is the caller's (pl_time_ms), so that the self-test runs the
    bucket on a clock of its own. */
#ifndef NOTIFY_RATE_H_INCLUDED
#define NOTIFY_RATE_H_INCLUDED

#include <stdint.h>

typedef struct {
    int rate;                   //  messages per second at most, >= 1
    double tokens;              //  messages that may go now
    int64_t refilled_ms;        //  when tokens were last refilled
} notify_rate_t;

//  A bucket of RATE messages a second at NOW_MS, holding one message.
void notify_rate_init (notify_rate_t *self, int rate, int64_t now_ms);

//  Refill to NOW_MS; 0 when a message may go now, else the ms until one may.
int64_t notify_rate_wait_ms (notify_rate_t *self, int64_t now_ms);

//  A message went: one token less (after notify_rate_wait_ms said 0).
void notify_rate_take (notify_rate_t *self);

//  Self-test on a clock of its own.  0 when it passes.
int notify_rate_test (int verbose);

#endif
