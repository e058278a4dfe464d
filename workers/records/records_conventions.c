/*  records_conventions — the conventions whose meetings and delegations the
    records worker accepts.

    The built-in ones come from schemas/conventions.tsv (pl_convention.h);
    the secretariat adds others with convention.declared, which the store
    keeps.  Every event that names a convention (meeting.scheduled,
    delegation.declared) is refused when it is neither, with a reason that
    lists the known codes and says how to add one; so are the records
    queries that filter by one (meeting.list, delegation.list), which
    would otherwise answer a mistyped code with an empty list. */
#include "records_handlers.h"
#include "pl_convention.h"

#include <stdio.h>
#include <string.h>

//  The known conventions, by code: the built-in ones merged with those
//  declared, as an array of convention records (caller owns).  NULL on a
//  storage failure.
static json_t *
s_known (records_store_t *store)
{
    json_t *declared = records_store_convention_list (store);
    json_t *items = json_array ();
    if (!declared || !items) {
        json_decref (declared);
        json_decref (items);
        return NULL;
    }
    const json_t *rows = json_object_get (declared, "items");
    size_t next = 0;
    const pl_convention_t *known;
    for (size_t i = 0; (known = pl_convention_at (i)); i++) {
        const json_t *row;
        while ((row = json_array_get (rows, next))
        &&     strcmp (records_field (row, "code"), known->code) < 0) {
            json_array_append (items, (json_t *) row);
            next++;
        }
        //  A built-in code declared before it was built in: the built-in wins
        if (row && strcmp (records_field (row, "code"), known->code) == 0)
            next++;
        json_array_append_new (items, json_pack ("{s:s, s:s, s:s}", "code", known->code,
                                                 "name", known->name, "source", "built-in"));
    }
    for (const json_t *row; (row = json_array_get (rows, next)); next++)
        json_array_append (items, (json_t *) row);
    json_decref (declared);
    return items;
}

records_outcome_t
records_convention_known (records_store_t *store, const char *code, const char *subject,
                          char *reason, size_t reason_size)
{
    if (pl_convention_find (code))
        return RECORDS_APPLIED;
    char name [260];
    int found = records_store_convention_get (store, code, name, sizeof name);
    if (found)
        return found < 0 ? RECORDS_FAILED : RECORDS_APPLIED;
    json_t *items = s_known (store);
    if (!items)
        return RECORDS_FAILED;
    char codes [PL_REASON_MAX] = "";
    size_t used = 0, index;
    json_t *item;
    json_array_foreach (items, index, item)
        if (used < sizeof codes)
            used += (size_t) snprintf (codes + used, sizeof codes - used, "%s%s",
                                       index ? ", " : "", records_field (item, "code"));
    json_decref (items);
    return records_reject (reason, reason_size,
                           "%s: convention %s is not known (known: %s); add it with "
                           "plenary convention add --code %s --name NAME",
                           subject, code, codes, code);
}

records_outcome_t
records_convention_declared (void *store, const pl_delivery_t *event,
                             char *reason, size_t reason_size)
{
    const char *code = records_field (event->payload, "code");
    const pl_convention_t *built_in = pl_convention_find (code);
    if (built_in)
        return records_reject (reason, reason_size,
                               "convention %s (%s) is built in; it needs no declaration",
                               code, built_in->name);
    return records_store_convention_put (store, event->seq, event->payload)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

json_t *
records_convention_list (void *store, const json_t *args, const char *role,
                         int *status, char *err, size_t errsize)
{
    (void) args;
    json_t *items = s_known (store);
    if (!items) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing conventions");
        return NULL;
    }
    return json_pack ("{s:o}", "items", items);
}
