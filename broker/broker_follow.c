/*  broker_follow — followers: one truth for every fact.

    A group that keeps a view of facts another group decides (the calendar
    keeps sessions, which records decides) *follows* that group, its
    *leader*, for some topics.  It says so in READY: "leader:pattern" entries
    (docs/protocol.md, "Authorities and followers").  The broker then gives
    the follower an event of such a topic only after every leader that takes
    the topic has given its verdict, in log order:

      - every such leader applied it: the event goes to the follower;
      - one did not (rejected, parked, or itself skipped it): the follower
        never sees it, and the broker gives the follower's verdict itself,
        "skipped", with the reason "records rejected it: ...";
      - one has no verdict yet, or is unknown to the broker (never joined):
        the follower waits, and so does everything after it in its stream.
        A leader that is down holds its followers back rather than letting
        them guess.

    A leader's verdict is durable before the broker hears it (the leader's
    worker commits the event and its cursor, then answers), and a leader
    answers a redelivered event with its first verdict, so a broker restart
    that forgets recent verdicts learns the same ones again.  A follower
    rebuilt from seq 0 is offered the same events as the one that lived
    through them.

    Leaders' verdicts other than "applied" are rare, kept in the store's
    verdict table and the engine's queue of unsaved verdicts; "applied" is
    implied by a leader's acked_through.  So that delivery costs no store
    read per event, each follow entry remembers the first verdict other than
    "applied" at or after the seq it last looked from, valid up to the
    leader's acked_through of that moment (verdicts at or below acked_through
    never change). */
#include "broker_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  True when PATTERN is one topic pattern: "*", a topic, or a prefix ending
//  in ".*"; topics are [a-z0-9._-].
static int
s_pattern_valid (const char *pattern)
{
    size_t length = strlen (pattern);
    if (length == 0 || length > PL_TOPIC_MAX)
        return 0;
    if (strcmp (pattern, "*") == 0)
        return 1;
    for (size_t i = 0; i < length; i++) {
        char c = pattern [i];
        if (c == '*') {
            if (i != length - 1 || i == 0 || pattern [i - 1] != '.')
                return 0;
        }
        else
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
           || c == '-'))
            return 0;
    }
    return 1;
}

int
broker_follows_parse (const char *spec, broker_follow_t **leaders_p, size_t *count_p,
                      const char *group, char *err, size_t err_size)
{
    *leaders_p = NULL;
    *count_p = 0;
    if (!spec || !*spec)
        return 0;
    broker_follow_t *leaders = calloc (BROKER_FOLLOWS_MAX, sizeof *leaders);
    if (!leaders) {
        snprintf (err, err_size, "broker out of memory");
        return -1;
    }
    size_t count = 0;
    const char *at = spec;
    while (at) {
        const char *comma = strchr (at, ',');
        size_t length = comma ? (size_t) (comma - at) : strlen (at);
        char entry [PL_GROUP_MAX + PL_TOPIC_MAX + 2];
        const char *colon = memchr (at, ':', length);
        if (count == BROKER_FOLLOWS_MAX) {
            snprintf (err, err_size, "follows: more than %d entries", BROKER_FOLLOWS_MAX);
            goto err;
        }
        if (!colon || length >= sizeof entry) {
            snprintf (err, err_size, "follows: '%.*s' is not leader:pattern",
                      (int) (length > 64 ? 64 : length), at);
            goto err;
        }
        memcpy (entry, at, length);
        entry [length] = 0;
        entry [colon - at] = 0;
        broker_follow_t *leader = &leaders [count];
        const char *pattern = entry + (colon - at) + 1;
        if (!pl_group_valid (entry)) {
            snprintf (err, err_size, "follows: leader '%s' must be 1 to %d bytes of [a-z0-9-]",
                      entry, PL_GROUP_MAX);
            goto err;
        }
        if (group && strcmp (entry, group) == 0) {
            snprintf (err, err_size, "follows: group %s cannot follow itself", group);
            goto err;
        }
        if (!s_pattern_valid (pattern)) {
            snprintf (err, err_size, "follows: '%s' is not a topic pattern "
                      "(a topic, a prefix ending in .*, or *)", pattern);
            goto err;
        }
        memcpy (leader->leader, entry, strlen (entry) + 1);        //  checked above
        memcpy (leader->pattern, pattern, strlen (pattern) + 1);
        count++;
        at = comma ? comma + 1 : NULL;
    }
    *leaders_p = leaders;
    *count_p = count;
    return 0;
err:
    free (leaders);
    return -1;
}

//  True when following the leaders of GROUP (and theirs) reaches TARGET.
//  DEPTH bounds the walk: a chain longer than the number of groups loops.
static int
s_reaches (broker_t *self, broker_group_t *group, const char *target, size_t depth,
           char *path, size_t path_size)
{
    if (!group || depth > zhashx_size (self->groups))
        return 0;
    for (size_t i = 0; i < group->leader_count; i++) {
        const char *name = group->leaders [i].leader;
        if (strcmp (name, target) == 0
        ||  s_reaches (self, broker_group_lookup (self, name), target, depth + 1,
                       path, path_size)) {
            size_t used = strlen (path);
            snprintf (path + used, path_size - used, ", which follows %s", name);
            return 1;
        }
    }
    return 0;
}

const char *
broker_follows_cycle (broker_t *self, const char *group, const char *spec,
                      char *err, size_t err_size)
{
    broker_follow_t *leaders = NULL;
    size_t count = 0;
    if (broker_follows_parse (spec, &leaders, &count, group, err, err_size))
        return err;
    const char *result = NULL;
    for (size_t i = 0; i < count && !result; i++) {
        char path [512] = "";
        broker_group_t *leader = broker_group_lookup (self, leaders [i].leader);
        if (s_reaches (self, leader, group, 0, path, sizeof path)) {
            snprintf (err, err_size, "follows: %s follows %s%s: a cycle would hold both back "
                      "for ever", group, leaders [i].leader, path);
            result = err;
        }
    }
    free (leaders);
    return result;
}

//  The verdict of LEADER on SEQ, found in the engine's queue of unsaved
//  verdicts or in the store: 1 (VERDICT, REASON), 0 none, -1.
static int
s_verdict_of (broker_t *self, broker_group_t *leader, uint64_t seq,
              char *verdict, size_t verdict_size, char *reason, size_t reason_size)
{
    for (size_t i = 0; i < self->verdict_count; i++)
        if (self->verdicts [i].seq == seq && strcmp (self->verdicts [i].group, leader->name) == 0) {
            snprintf (verdict, verdict_size, "%s", self->verdicts [i].verdict);
            snprintf (reason, reason_size, "%s", self->verdicts [i].reason);
            return 1;
        }
    return self->ops->verdict_load (self->store, leader->name, seq, verdict, verdict_size,
                                    reason, reason_size);
}

//  Did LEADER apply SEQ (at or below its acked_through)?  0 applied, 1 not
//  (VERDICT, REASON filled), -1 storage failure.  ENTRY's memory first.
static int
s_not_applied (broker_t *self, broker_follow_t *entry, broker_group_t *leader, uint64_t seq,
               char *verdict, size_t verdict_size, char *reason, size_t reason_size)
{
    if (broker_group_parked (leader, seq)) {
        snprintf (verdict, verdict_size, "parked");
        if (self->ops->verdict_load (self->store, leader->name, seq, verdict, verdict_size,
                                     reason, reason_size) != 1)
            snprintf (reason, reason_size, "it is a dead letter");
        return 1;
    }
    if (!(entry->clean_through && entry->clean_from <= seq && seq <= entry->clean_through
       && seq <= entry->bad_seq)) {
        uint64_t bad = UINT64_MAX, stored = 0;
        char unused_verdict [16], unused_reason [PL_REASON_MAX + 1];
        int found = self->ops->verdict_next (self->store, leader->name, seq, &stored,
                                             unused_verdict, sizeof unused_verdict,
                                             unused_reason, sizeof unused_reason);
        if (found < 0)
            return -1;
        if (found)
            bad = stored;
        for (size_t i = 0; i < self->verdict_count; i++)
            if (self->verdicts [i].seq >= seq && self->verdicts [i].seq < bad
            &&  strcmp (self->verdicts [i].group, leader->name) == 0)
                bad = self->verdicts [i].seq;
        entry->clean_from = seq;
        entry->clean_through = leader->acked_through;
        entry->bad_seq = bad;
    }
    if (seq < entry->bad_seq)
        return 0;
    int found = s_verdict_of (self, leader, seq, verdict, verdict_size, reason, reason_size);
    if (found < 0)
        return -1;
    if (found == 0) {
        //  Gone since we looked (cannot happen: verdicts are never deleted);
        //  look again next time rather than guess
        entry->clean_through = 0;
        return -1;
    }
    return strcmp (verdict, "applied") != 0;
}

broker_lead_t
broker_follow_check (broker_t *self, broker_group_t *group, uint64_t seq, const char *topic,
                     char *reason, size_t reason_size)
{
    for (size_t i = 0; i < group->leader_count; i++) {
        broker_follow_t *entry = &group->leaders [i];
        if (!pl_topic_match (entry->pattern, topic))
            continue;
        broker_group_t *leader = broker_group_lookup (self, entry->leader);
        //  A leader the broker has never seen take topics: nobody can say
        //  whether it judges this one, so wait for it to join
        if (leader && *leader->topics && !pl_topic_match (leader->topics, topic))
            continue;               //  the leader does not take this topic
        if (!leader || !*leader->topics || leader->acked_through < seq) {
            if (strcmp (group->waiting_on, entry->leader) || group->waiting_seq != seq)
                pl_debug ("broker: follower waits group=%s leader=%s seq=%llu", group->name,
                          entry->leader, (unsigned long long) seq);
            snprintf (group->waiting_on, sizeof group->waiting_on, "%s", entry->leader);
            group->waiting_seq = seq;
            return BROKER_LEAD_WAIT;
        }
        char verdict [16], why [PL_REASON_MAX + 1];
        int bad = s_not_applied (self, entry, leader, seq, verdict, sizeof verdict,
                                 why, sizeof why);
        if (bad < 0)
            return BROKER_LEAD_FAILED;
        if (bad) {
            snprintf (reason, reason_size, "%s %s it%s%s", leader->name, verdict,
                      *why ? ": " : "", why);
            return BROKER_LEAD_SKIP;
        }
    }
    return BROKER_LEAD_GO;
}

int
broker_follow_waiting (broker_t *self, broker_group_t *group)
{
    if (!*group->waiting_on)
        return 0;
    broker_group_t *leader = broker_group_lookup (self, group->waiting_on);
    if (!leader || !*leader->topics || leader->acked_through < group->waiting_seq)
        return 1;
    group->waiting_on [0] = 0;
    return 0;
}

int
broker_group_follow (broker_group_t *group, const char *follows)
{
    broker_follow_t *leaders = NULL;
    size_t count = 0;
    char err [256];
    if (broker_follows_parse (follows, &leaders, &count, group->name, err, sizeof err)) {
        pl_error ("broker: group=%s cannot follow '%s': %s", group->name, follows, err);
        return -1;
    }
    free (group->leaders);
    group->leaders = leaders;
    group->leader_count = count;
    snprintf (group->follows, sizeof group->follows, "%s", follows ? follows : "");
    group->waiting_on [0] = 0;
    return 0;
}
