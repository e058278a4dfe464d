/*  notify_rate — the sender's rate limit (see the header). */
#include "notify_rate.h"

#include <assert.h>
#include <stdio.h>

void
notify_rate_init (notify_rate_t *self, int rate, int64_t now_ms)
{
    assert (rate >= 1);             //  notify_config_check refuses less
    *self = (notify_rate_t) { .rate = rate, .tokens = 1.0, .refilled_ms = now_ms };
}

int64_t
notify_rate_wait_ms (notify_rate_t *self, int64_t now_ms)
{
    if (now_ms > self->refilled_ms) {
        self->tokens += (double) (now_ms - self->refilled_ms) * self->rate / 1000.0;
        self->tokens = self->tokens < self->rate ? self->tokens : self->rate;
        self->refilled_ms = now_ms;
    }
    if (self->tokens >= 1.0)
        return 0;
    return (int64_t) ((1.0 - self->tokens) * 1000.0 / self->rate) + 1;
}

void
notify_rate_take (notify_rate_t *self)
{
    self->tokens -= 1.0;
}

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "notify_rate: FAIL %s\n", what); failed++; } } while (0)

//  Hand over as many messages as the bucket allows from FROM_MS to TO_MS,
//  asking every STEP_MS (or when it says to): how many went.
static int
s_drain (notify_rate_t *rate, int64_t from_ms, int64_t to_ms, int64_t step_ms)
{
    int sent = 0;
    for (int64_t now = from_ms; now < to_ms; ) {
        int64_t wait = notify_rate_wait_ms (rate, now);
        if (wait == 0) {
            notify_rate_take (rate);
            sent++;
            continue;
        }
        now += wait < step_ms ? wait : step_ms;
    }
    return sent;
}

int
notify_rate_test (int verbose)
{
    int failed = 0;
    notify_rate_t rate;
    //  Ten a second, always something to send: one at once, then ten a
    //  second, never more in any second
    notify_rate_init (&rate, 10, 0);
    S_CHECK (notify_rate_wait_ms (&rate, 0) == 0, "one message at once");
    int first = s_drain (&rate, 0, 1000, 1);
    S_CHECK (first >= 10 && first <= 11, "ten in the first second (and the one held)");
    int total = first;
    for (int64_t second = 1000; second < 10000; second += 1000) {
        int sent = s_drain (&rate, second, second + 1000, 1);
        S_CHECK (sent >= 9 && sent <= 11, "ten a second, steady");
        total += sent;
    }
    S_CHECK (total >= 99 && total <= 101, "a hundred in ten seconds");
    //  Empty, the wait says when the next may go: 100 ms at 10/s
    s_drain (&rate, 10000, 10001, 1);
    int64_t wait = notify_rate_wait_ms (&rate, 10000);
    S_CHECK (wait > 0 && wait <= 101, "the wait until the next token");
    //  After a quiet minute the bucket holds one second's worth, no more
    S_CHECK (s_drain (&rate, 70000, 70001, 1) == 10, "a quiet minute allows one second's burst");
    //  A clock that goes back adds nothing
    notify_rate_init (&rate, 5, 1000);
    notify_rate_take (&rate);
    S_CHECK (notify_rate_wait_ms (&rate, 500) > 0, "no token from a clock going back");
    if (verbose && !failed)
        printf ("notify_rate: ok\n");
    return failed;
}
