/*  records_delegations — delegations toward a convention and observer
    admission.

    States are named by their ISO 3166-1 alpha-2 code (Debian's iso-codes,
    loaded by the store); the secretariat declares each one's status toward
    a convention (state-party, signatory, not-party).  Organisations
    (organization: UN, ICRC, GICHD; civil-society: CMC, ICBL) have codes of
    their own and must be declared, with a name, before anyone registers for
    them.

    The category of a delegation at a meeting is its declared status toward
    the meeting's convention.  A State never declared is "undeclared": its
    registrations are accepted as registered (the secretariat registers
    States long before it has settled every status; the statistics show the
    undeclared ones apart and do not count them as States Parties).  States
    not party, organisations and civil society take part as observers only
    once the meeting admitted them (delegation.admitted): until then their
    registrations wait as pending.  A State declared State Party or
    signatory later (say it was not party, and has ratified since) needs no
    admission any more: the declaration moves its pending registrations to
    the convention's scheduled meetings to registered, with a history row
    ("declared") and the reason, as an admission does. */
#include "records_handlers.h"

#include <stdio.h>
#include <string.h>

//  Categories whose delegations are observers needing the meeting's admission.
static const char *s_observer_categories [] = {
    "not-party", "organization", "civil-society", NULL
};

//  Statuses that only a State can have.
static const char *s_state_statuses [] = {
    "state-party", "signatory", "not-party", NULL
};

//  Statuses with which a State takes part without admission.
static const char *s_party_statuses [] = { "state-party", "signatory", NULL };

//  How each category reads in a sentence.
static const struct {
    const char *category;
    const char *phrase;
} s_phrases [] = {
    { "state-party",   "a State Party" },
    { "signatory",     "a signatory" },
    { "not-party",     "a State not party" },
    { "organization",  "an international organisation" },
    { "civil-society", "a civil-society organisation" },
    { "undeclared",    "a State whose status is not declared" },
};

static int
s_in (const char **list, const char *value)
{
    for (size_t i = 0; list [i]; i++)
        if (strcmp (list [i], value) == 0)
            return 1;
    return 0;
}

static const char *
s_phrase (const char *category)
{
    for (size_t i = 0; i < sizeof s_phrases / sizeof s_phrases [0]; i++)
        if (strcmp (s_phrases [i].category, category) == 0)
            return s_phrases [i].phrase;
    return category;
}

int
records_category_needs_admission (const char *category)
{
    return s_in (s_observer_categories, category);
}

records_outcome_t
records_delegation_category (records_store_t *store, const char *convention,
                             const char *code, char *category, size_t category_size,
                             char *name, size_t name_size, char *reason, size_t reason_size)
{
    records_delegation_t declared;
    int found = records_store_delegation_get (store, convention, code, &declared);
    if (found < 0)
        return RECORDS_FAILED;
    int state = records_store_iso_name (store, code, name, name_size);
    if (state < 0)
        return RECORDS_FAILED;
    if (found) {
        snprintf (category, category_size, "%s", declared.status);
        if (!state)
            snprintf (name, name_size, "%s", declared.name);
        return RECORDS_APPLIED;
    }
    if (state) {
        snprintf (category, category_size, "undeclared");
        return RECORDS_APPLIED;
    }
    if (strlen (code) == 2)
        return records_reject (reason, reason_size,
                               "delegation %s: not an ISO 3166-1 alpha-2 code of a State", code);
    return records_reject (reason, reason_size,
                           "delegation %s is not declared for %s; declare the organisation "
                           "first (plenary delegation set --convention %s --code %s "
                           "--status organization --name NAME)",
                           code, convention, convention, code);
}

records_outcome_t
records_delegation_declared (void *store, const pl_delivery_t *event,
                             char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *convention = records_field (payload, "convention");
    const char *code = records_field (payload, "code");
    const char *status = records_field (payload, "status");
    const char *name = records_field (payload, "name");
    char subject [40];
    snprintf (subject, sizeof subject, "delegation %s", code);
    records_outcome_t known = records_convention_known (store, convention, subject,
                                                        reason, reason_size);
    if (known != RECORDS_APPLIED)
        return known;
    char iso [260];
    int state = records_store_iso_name (store, code, iso, sizeof iso);
    if (state < 0)
        return RECORDS_FAILED;
    if (s_in (s_state_statuses, status)) {
        if (!state)
            return records_reject (reason, reason_size,
                                   "%s is not an ISO 3166-1 alpha-2 code of a State; only a "
                                   "State can be %s", code, s_phrase (status));
        if (name)
            return records_reject (reason, reason_size,
                                   "%s is a State (%s): its name comes from ISO 3166-1; "
                                   "give no name", code, iso);
    }
    else {
        if (state)
            return records_reject (reason, reason_size,
                                   "%s is the ISO 3166-1 code of %s; %s needs a code of its own",
                                   code, iso, s_phrase (status));
        records_delegation_t declared;
        int found = records_store_delegation_get (store, convention, code, &declared);
        if (found < 0)
            return RECORDS_FAILED;
        if (!name && !found)
            return records_reject (reason, reason_size,
                                   "organisation %s needs a name (--name)", code);
    }
    if (records_store_delegation_put (store, event->seq, payload))
        return RECORDS_FAILED;
    if (!s_in (s_party_statuses, status))
        return RECORDS_APPLIED;
    //  Registrations left waiting for admission need none now, as admission would
    char at [40], why [PL_REASON_MAX];
    records_timestamp (event->time_ms, at, sizeof at);
    snprintf (why, sizeof why, "%s declared %s to %s", code, s_phrase (status), convention);
    return records_store_release_pending (store, event->seq, at, convention, code, why)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_delegation_admitted (void *store, const pl_delivery_t *event,
                             char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting_id = records_field (payload, "meeting");
    const char *code = records_field (payload, "delegation");
    records_meeting_t meeting;
    int found = records_store_meeting_get (store, meeting_id, &meeting);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", meeting_id);
    if (strcmp (meeting.status, "scheduled") != 0)
        return records_reject (reason, reason_size, "meeting %s is %s; it admits no observers",
                               meeting_id, meeting.status);
    char category [24], name [260];
    records_outcome_t outcome = records_delegation_category (store, meeting.convention, code,
                                                             category, sizeof category,
                                                             name, sizeof name,
                                                             reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (strcmp (category, "undeclared") == 0)
        return records_reject (reason, reason_size,
                               "the status of %s toward %s is not declared; declare it "
                               "not-party before admitting it as observer",
                               code, meeting.convention);
    if (!records_category_needs_admission (category))
        return records_reject (reason, reason_size,
                               "%s is %s to %s; it takes part without admission",
                               code, s_phrase (category), meeting.convention);
    int admitted = records_store_admitted (store, meeting_id, code);
    if (admitted < 0)
        return RECORDS_FAILED;
    if (admitted)
        return records_reject (reason, reason_size, "%s is already admitted to %s as observer",
                               code, meeting_id);
    char at [40], why [PL_REASON_MAX];
    records_timestamp (event->time_ms, at, sizeof at);
    const char *given = records_field (payload, "reason");
    if (given)
        snprintf (why, sizeof why, "%s admitted as observer: %s", code, given);
    else
        snprintf (why, sizeof why, "%s admitted as observer by meeting %s", code, meeting_id);
    return records_store_admit (store, event->seq, at, meeting_id, code, why)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

json_t *
records_delegation_list (void *store, const json_t *args, const char *role,
                         int *status, char *err, size_t errsize)
{
    const char *convention = records_field (args, "convention");
    const char *meeting_id = records_field (args, "meeting");
    records_meeting_t meeting;
    if (!convention && !meeting_id) {
        *status = 400;
        snprintf (err, errsize, "delegation.list: give a convention or a meeting");
        return NULL;
    }
    if (meeting_id) {
        int found = records_store_meeting_get (store, meeting_id, &meeting);
        if (found <= 0) {
            *status = found ? 500 : 404;
            snprintf (err, errsize, found ? "records: storage failure reading meeting %s"
                                          : "meeting %s does not exist", meeting_id);
            return NULL;
        }
        if (convention && strcmp (convention, meeting.convention) != 0) {
            *status = 400;
            snprintf (err, errsize, "meeting %s is a meeting of %s, not %s", meeting_id,
                      meeting.convention, convention);
            return NULL;
        }
        convention = meeting.convention;
    }
    else {
        records_outcome_t known = records_convention_known (store, convention,
                                                            "delegation.list", err, errsize);
        if (known != RECORDS_APPLIED) {
            *status = known == RECORDS_REJECTED ? 404 : 500;
            if (known == RECORDS_FAILED)
                snprintf (err, errsize, "records: storage failure reading conventions");
            return NULL;
        }
    }
    json_t *reply = records_store_delegation_list (store, convention, meeting_id,
                                                   records_field (args, "status"));
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing delegations");
    }
    return reply;
}
