/*  cli_check — `plenary check`: every view of the facts against their
    authority (DESIGN.md, "One truth").

    What is compared, and which group holds it, is the facet table of
    lib/pl_facet.c.  The check runs in four steps:
      1. catch up: broker.status gives the log's last seq, and is asked
         again (every S_POLL_MS) until each group with a worker connected
         has acknowledged through it, all within --timeout.  A view behind
         the log is not wrong; one still behind is compared anyway, and the
         report says so;
      2. digests: each group's digest query (records.digest, ...) lists
         every facet and key it holds with a count and a digest.  When the
         log moved meanwhile, steps 1 and 2 run again (S_ATTEMPTS at most),
         so that a quiet system is compared at one point of the log;
      3. compare: per facet and key, each view's count and digest with the
         authority's; a key on one side only differs too;
      4. explain: for a key that differs, both sides' items (the digest
         query with facet and key), matched by id: missing from the view,
         in the view only, or which fields differ.
    Output: one line per difference, notes, a summary line; --json one
    document with every comparison and difference.  Exit 0 when every view
    agrees, 1 on a difference or a group that did not answer, 2 on a usage
    error. */
#include "cli_util.h"
#include "pl_facet.h"
#include "pl_proto.h"

#include <assert.h>
#include <czmq.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define S_ATTEMPTS      3           //  digests fetched while the log keeps moving
//  How often the catch-up asks the broker for its status again.
#define S_POLL_MS 50
#define S_GROUPS_MAX    8           //  groups named by the facet table
#define S_SHOWN_PER_KEY 20          //  difference lines printed per facet and key (--json: all)

static const cli_flag_t s_check_flags [] = {
    { "facet", NULL, 1, 0 },
    { "json",  NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_check_help =
    "usage: plenary check [--facet NAME] [--json]\n"
    "\n"
    "Compares what every worker group keeps of another group's facts with the\n"
    "authority's: the records decide meetings, sessions, participants and\n"
    "statements; the archive decides documents.  Each view is compared facet by\n"
    "facet (meetings, meeting-dates, sessions, participants, statements,\n"
    "documents; docs/events.md lists their fields) and meeting by meeting, by\n"
    "counts and SHA-256 digests; where they differ, item by item, one line each:\n"
    "\n"
    "  calendar: sessions of ccm-msp13: day1-pm differs in start, end: records\n"
    "      2025-09-15T15:00:00 2025-09-15T18:00:00, calendar 2025-09-15T10:00:00 ...\n"
    "  calendar: participants of ccm-msp13: p12 is missing from calendar\n"
    "  archive: statements of ccm-msp13: s40 is in archive but not in records\n"
    "\n"
    "and a summary: 'check: 3 views, 7 facets, all agree', or 'check: 2\n"
    "differences in calendar'.  First it waits (within --timeout) until every\n"
    "group has caught up with the log, since a view that is behind is late, not\n"
    "wrong; one that does not catch up is compared anyway and the report says\n"
    "how far behind it is, and when the log moved during the check (events in\n"
    "flight may then show as differences: check again when the log is quiet).\n"
    "A group with no worker connected, or that does not answer, is reported; one\n"
    "that no worker ever joined (plenary-notify where no relay is configured) is\n"
    "noted and not compared.  The views: the calendar, the archive and the notify\n"
    "worker (meetings, their dates, sessions and participants: whom it writes to).\n"
    "--facet compares that facet only; --json prints one document with every\n"
    "comparison and difference.  The secretariat only: the digests come from\n"
    "personal data.\n"
    "\n"
    "exit status: 0 every view agrees, 1 a difference or a group that did not\n"
    "answer, 2 usage error\n"
    "\n"
    "example:\n"
    "  plenary check\n"
    "  plenary check --facet participants --json | jq '.differences[]'\n";

typedef struct {
    const char *name;               //  from the facet table
    int connected;                  //  broker.status counts a worker of it
    int known;                      //  broker.status lists it: a worker of it joined once
    json_int_t acked_through;
    json_t *facets;                 //  its digest reply's facets; NULL when it did not answer
    json_t *index;                  //  "facet\nkey" -> entry of facets
    char error [PL_ERR_MAX + PL_ENDPOINT_MAX];  //  why it did not answer
    size_t differences;
} s_group_t;

typedef struct {
    cli_t *cli;
    pl_client_t *client;
    const pl_facet_t *only;         //  --facet
    s_group_t groups [S_GROUPS_MAX];
    size_t group_count;
    json_int_t last_seq;
    json_t *comparisons;            //  the --json document's parts
    json_t *differences;
    json_t *notes;
    size_t compared;                //  facets compared, view by view
    int json;
} s_check_t;

//  --------------------------------------------------------------------------
//  The groups and what they say

static s_group_t *
s_group (s_check_t *self, const char *name)
{
    for (size_t i = 0; i < self->group_count; i++)
        if (streq (self->groups [i].name, name))
            return &self->groups [i];
    return NULL;
}

//  Every group that holds a facet compared, authorities first as the table
//  names them.
static void
s_groups_init (s_check_t *self)
{
    for (size_t i = 0; pl_facet_at (i); i++) {
        const pl_facet_t *facet = pl_facet_at (i);
        if (self->only && facet != self->only)
            continue;
        const char *names [PL_FACET_VIEWS_MAX + 2] = { facet->authority };
        memcpy (names + 1, facet->views, sizeof facet->views);
        for (size_t n = 0; names [n]; n++)
            if (!s_group (self, names [n])) {
                assert (self->group_count < S_GROUPS_MAX);  //  our own table
                self->groups [self->group_count++] = (s_group_t) { .name = names [n] };
            }
    }
}

//  A note for the report: printed now, and kept for --json.
static void
s_note (s_check_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
s_note (s_check_t *self, const char *format, ...)
{
    char text [512];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    json_array_append_new (self->notes, json_string (text));
    if (!self->json)
        cli_print ("%s\n", text);
}

//  Ask broker.status: the log's last seq, and each group's worker count and
//  cursor.  0, or -1 after printing why.
static int
s_status (s_check_t *self)
{
    int status;
    char err [PL_ERR_MAX + PL_ENDPOINT_MAX];
    json_t *reply = pl_client_query (self->client, "broker.status", NULL, &status,
                                     err, sizeof err);
    if (!reply) {
        cli_error ("the broker did not answer: %s", err);
        return -1;
    }
    self->last_seq = json_integer_value (json_object_get (reply, "last_seq"));
    for (size_t i = 0; i < self->group_count; i++) {
        self->groups [i].connected = 0;
        self->groups [i].known = 0;
        self->groups [i].acked_through = 0;
    }
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (reply, "groups"), index, row) {
        s_group_t *group = s_group (self, json_string_value (json_object_get (row, "group")));
        if (group) {
            group->known = 1;
            group->connected = json_integer_value (json_object_get (row, "workers")) > 0;
            group->acked_through = json_integer_value (json_object_get (row, "acked_through"));
        }
    }
    json_decref (reply);
    return 0;
}

//  Wait until every connected group has acknowledged the log's last seq as
//  it was when we started, or DEADLINE (pl_mono_ms) passes: broker.status
//  again every S_POLL_MS.  (A RECEIPT cannot say this: for a group that does
//  not take the last event's topic it answers "not-applicable" at once.)
static void
s_catch_up (s_check_t *self, int64_t deadline)
{
    long long target = self->last_seq;
    while (pl_mono_ms () < deadline) {
        int behind = 0;
        for (size_t i = 0; i < self->group_count; i++)
            behind |= self->groups [i].connected && self->groups [i].acked_through < target;
        if (!behind)
            break;
        zclock_sleep (S_POLL_MS);
        if (s_status (self))
            break;
    }
}

//  The key of a digest's facet entry ("" when absent: a facet of the whole system).
static const char *
s_key_of (const json_t *entry)
{
    const char *key = json_string_value (json_object_get (entry, "key"));
    return key ? key : "";
}

static void
s_forget (s_group_t *group)
{
    json_decref (group->facets);
    json_decref (group->index);
    group->facets = group->index = NULL;
    group->error [0] = 0;
}

//  Each group's digests: every facet it holds (or --facet), by key.
static void
s_fetch (s_check_t *self)
{
    for (size_t i = 0; i < self->group_count; i++) {
        s_group_t *group = &self->groups [i];
        s_forget (group);
        if (!group->connected) {
            snprintf (group->error, sizeof group->error, "no %s worker is connected to the "
                      "broker", group->name);
            continue;
        }
        char name [PL_GROUP_MAX + 16];
        snprintf (name, sizeof name, "%s.digest", group->name);
        json_t *args = self->only ? json_pack ("{s:s}", "facet", self->only->name) : NULL;
        int status;
        json_t *reply = pl_client_query (self->client, name, args, &status, group->error,
                                         sizeof group->error);
        json_decref (args);
        if (!reply)
            continue;
        group->facets = json_incref (json_object_get (reply, "facets"));
        group->index = json_object ();
        size_t index;
        json_t *entry;
        json_array_foreach (group->facets, index, entry) {
            char key [128];
            snprintf (key, sizeof key, "%s\n%s",
                      json_string_value (json_object_get (entry, "facet")), s_key_of (entry));
            json_object_set (group->index, key, entry);
        }
        json_decref (reply);
    }
}

//  --------------------------------------------------------------------------
//  Differences

//  One item of a facet and key, as the digest query gave it.
typedef struct {
    const char *id;
    const char *text;
} s_item_t;

static int
s_by_id (const void *a, const void *b)
{
    const s_item_t *x = a, *y = b;
    int by_id = strcmp (x->id, y->id);
    return by_id ? by_id : strcmp (x->text, y->text);
}

//  The items of FACET and KEY held by GROUP, by id, into *ITEMS (caller
//  frees; borrowed from *REPLY_P, which the caller decrefs).  Returns the
//  count, or -1 with ERR.
static long
s_items (s_check_t *self, const s_group_t *group, const pl_facet_t *facet, const char *key,
         json_t **reply_p, s_item_t **items, char *err, size_t errsize)
{
    char name [PL_GROUP_MAX + 16];
    snprintf (name, sizeof name, "%s.digest", group->name);
    json_t *args = json_pack ("{s:s, s:s}", "facet", facet->name, "key", key);
    int status;
    *reply_p = pl_client_query (self->client, name, args, &status, err, errsize);
    json_decref (args);
    if (!*reply_p)
        return -1;
    json_t *list = json_object_get (*reply_p, "items");
    size_t count = json_array_size (list);
    *items = calloc (count + 1, sizeof **items);
    if (!*items) {
        snprintf (err, errsize, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        json_t *item = json_array_get (list, i);
        (*items) [i].id = json_string_value (json_object_get (item, "id"));
        (*items) [i].text = json_string_value (json_object_get (item, "text"));
    }
    qsort (*items, count, sizeof **items, s_by_id);
    return (long) count;
}

//  Where a difference is: "calendar: sessions of ccm-msp13" into BUF.
static void
s_where (const s_group_t *view, const pl_facet_t *facet, const char *key, char *buf, size_t size)
{
    if (facet->key)
        snprintf (buf, size, "%s: %s of %s", view->name, facet->name, key);
    else
        snprintf (buf, size, "%s: %s", view->name, facet->name);
}

//  The fields in which lines A and B differ, as "start, end", and each
//  side's values of them, into NAMES, A_VALUES and B_VALUES.
static void
s_fields (const pl_facet_t *facet, const char *a, const char *b, json_t *names,
          char *a_values, char *b_values, size_t size)
{
    const char *a_start [PL_FACET_FIELDS_MAX], *b_start [PL_FACET_FIELDS_MAX];
    size_t a_length [PL_FACET_FIELDS_MAX], b_length [PL_FACET_FIELDS_MAX];
    int a_count = pl_facet_split (a, a_start, a_length, PL_FACET_FIELDS_MAX);
    int b_count = pl_facet_split (b, b_start, b_length, PL_FACET_FIELDS_MAX);
    a_values [0] = b_values [0] = 0;
    if (a_count != (int) pl_facet_width (facet) || b_count != a_count) {
        //  Not lines of this facet: show them whole
        snprintf (a_values, size, "%s", a);
        snprintf (b_values, size, "%s", b);
        return;
    }
    size_t a_used = 0, b_used = 0;
    for (int i = 0; i < a_count; i++) {
        if (a_length [i] == b_length [i] && memcmp (a_start [i], b_start [i], a_length [i]) == 0)
            continue;
        json_array_append_new (names, json_string (facet->fields [i].name));
        int wrote = snprintf (a_values + a_used, size - a_used, "%s%.*s", a_used ? " " : "",
                              (int) a_length [i], a_start [i]);
        a_used = wrote > 0 && a_used + (size_t) wrote < size ? a_used + (size_t) wrote : a_used;
        wrote = snprintf (b_values + b_used, size - b_used, "%s%.*s", b_used ? " " : "",
                          (int) b_length [i], b_start [i]);
        b_used = wrote > 0 && b_used + (size_t) wrote < size ? b_used + (size_t) wrote : b_used;
    }
}

//  Record one difference of VIEW (against AUTHORITY) in FACET and KEY:
//  WHAT is "differs", "missing", "extra", "twice" (of item ID, with the
//  two lines as far as they exist; a line left over after its id's match
//  is there twice) or "unexplained" (REASON says why no item is named).
//  *SHOWN counts the lines printed for this key.
static void
s_difference (s_check_t *self, const pl_facet_t *facet, const char *key, s_group_t *authority,
              s_group_t *view, const char *what, const char *id, const char *a_text,
              const char *v_text, const char *reason, size_t *shown)
{
    view->differences++;
    json_t *fields = json_array ();
    char where [160], a_values [PL_FACET_LINE_MAX], v_values [PL_FACET_LINE_MAX];
    if (streq (what, "differs"))
        s_fields (facet, a_text, v_text, fields, a_values, v_values, sizeof a_values);
    json_array_append_new (self->differences, json_pack (
        "{s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:s?, s:s?, s:s?}",
        "view", view->name, "authority", authority->name, "facet", facet->name, "key", key,
        "what", what, "id", id, "fields", fields, "authority_text", a_text, "view_text", v_text,
        "reason", reason));
    if (self->json || (*shown)++ >= S_SHOWN_PER_KEY)
        return;
    s_where (view, facet, key, where, sizeof where);
    if (streq (what, "missing"))
        cli_print ("%s: %s is missing from %s\n", where, id, view->name);
    else
    if (streq (what, "twice"))
        cli_print ("%s: %s is in %s more than once\n", where, id,
                   a_text ? authority->name : view->name);
    else
    if (streq (what, "extra"))
        cli_print ("%s: %s is in %s but not in %s\n", where, id, view->name, authority->name);
    else
    if (streq (what, "differs")) {
        char names [256] = "";
        size_t index;
        json_t *name;
        json_array_foreach (fields, index, name)
            snprintf (names + strlen (names), sizeof names - strlen (names), "%s%s",
                      index ? ", " : "", json_string_value (name));
        cli_print ("%s: %s differs in %s: %s %s, %s %s\n", where, id, names,
                   authority->name, a_values, view->name, v_values);
    }
    else
        cli_print ("%s: %s\n", where, reason);
}

//  Say how FACET of KEY differs between AUTHORITY and VIEW, item by item.
static void
s_explain (s_check_t *self, const pl_facet_t *facet, const char *key,
           s_group_t *authority, s_group_t *view)
{
    json_t *a_reply = NULL, *v_reply = NULL;
    s_item_t *a = NULL, *v = NULL;
    char err [PL_ERR_MAX + PL_ENDPOINT_MAX], why [sizeof err + 64];
    size_t shown = 0, before = view->differences;
    long a_count = s_items (self, authority, facet, key, &a_reply, &a, err, sizeof err);
    long v_count = a_count < 0 ? -1 : s_items (self, view, facet, key, &v_reply, &v,
                                               err, sizeof err);
    if (v_count < 0) {
        snprintf (why, sizeof why, "the digests differ; the items could not be read: %s", err);
        s_difference (self, facet, key, authority, view, "unexplained", NULL, NULL, NULL,
                      why, &shown);
        goto done;
    }
    long i = 0, j = 0;
    while (i < a_count || j < v_count) {
        int order = i == a_count ? 1 : j == v_count ? -1 : strcmp (a [i].id, v [j].id);
        //  An id left over after its match is there twice on that side
        if (order < 0)
            s_difference (self, facet, key, authority, view,
                          i > 0 && streq (a [i - 1].id, a [i].id) ? "twice" : "missing",
                          a [i].id, a [i].text, NULL, NULL, &shown);
        else
        if (order > 0)
            s_difference (self, facet, key, authority, view,
                          j > 0 && streq (v [j - 1].id, v [j].id) ? "twice" : "extra",
                          v [j].id, NULL, v [j].text, NULL, &shown);
        else
        if (!streq (a [i].text, v [j].text))
            s_difference (self, facet, key, authority, view, "differs", a [i].id,
                          a [i].text, v [j].text, NULL, &shown);
        i += order <= 0;
        j += order >= 0;
    }
    if (view->differences == before)
        //  Never hidden: the data changed between the two queries, most likely
        s_difference (self, facet, key, authority, view, "unexplained", NULL, NULL, NULL,
                      "the digests differ, but the items read after agree", &shown);
    if (shown > S_SHOWN_PER_KEY && !self->json) {
        char where [160];
        s_where (view, facet, key, where, sizeof where);
        cli_print ("%s: and %zu more differences (--json lists them all)\n", where,
                   shown - S_SHOWN_PER_KEY);
    }
done:
    free (a);
    free (v);
    json_decref (a_reply);
    json_decref (v_reply);
}

//  --------------------------------------------------------------------------
//  Comparing

static int
s_by_key (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

//  The keys of FACET in the digests of A and B, sorted and once each, into
//  a new array.
static json_t *
s_keys (const pl_facet_t *facet, const s_group_t *a, const s_group_t *b)
{
    json_t *seen = json_object ();
    const s_group_t *sides [] = { a, b };
    for (size_t s = 0; s < 2; s++) {
        size_t index;
        json_t *entry;
        json_array_foreach (sides [s]->facets, index, entry)
            if (streq (json_string_value (json_object_get (entry, "facet")), facet->name))
                json_object_set_new (seen, s_key_of (entry), json_true ());
    }
    size_t count = json_object_size (seen), n = 0;
    const char **keys = calloc (count + 1, sizeof *keys);
    const char *key;
    json_t *value;
    json_object_foreach (seen, key, value)
        if (keys)
            keys [n++] = key;
    json_t *sorted = json_array ();
    if (keys) {
        qsort (keys, n, sizeof *keys, s_by_key);
        for (size_t i = 0; i < n; i++)
            json_array_append_new (sorted, json_string (keys [i]));
    }
    free (keys);
    json_decref (seen);
    return sorted;
}

//  The entry of FACET and KEY in GROUP's digests, or NULL.
static json_t *
s_entry (const s_group_t *group, const pl_facet_t *facet, const char *key)
{
    char name [128];
    snprintf (name, sizeof name, "%s\n%s", facet->name, key);
    return json_object_get (group->index, name);
}

//  Compare FACET as VIEW holds it with AUTHORITY's, key by key.
static void
s_compare (s_check_t *self, const pl_facet_t *facet, s_group_t *authority, s_group_t *view)
{
    self->compared++;
    json_t *keys = s_keys (facet, authority, view);
    size_t index;
    json_t *value;
    json_array_foreach (keys, index, value) {
        const char *key = json_string_value (value);
        json_t *a = s_entry (authority, facet, key), *v = s_entry (view, facet, key);
        const char *a_digest = json_string_value (json_object_get (a, "digest"));
        const char *v_digest = json_string_value (json_object_get (v, "digest"));
        json_int_t a_count = json_integer_value (json_object_get (a, "count"));
        json_int_t v_count = json_integer_value (json_object_get (v, "count"));
        int agree = a_digest && v_digest && streq (a_digest, v_digest) && a_count == v_count;
        json_array_append_new (self->comparisons, json_pack (
            "{s:s, s:s, s:s, s:s, s:I, s:I, s:s?, s:s?, s:b}",
            "facet", facet->name, "key", key, "authority", authority->name,
            "view", view->name, "authority_count", a_count, "view_count", v_count,
            "authority_digest", a_digest, "view_digest", v_digest, "agree", agree));
        if (!agree)
            s_explain (self, facet, key, authority, view);
    }
    json_decref (keys);
}

//  The summary line: "check: 3 views, 7 facets, all agree", or what
//  disagrees: "check: calendar did not answer; 2 differences in archive".
static void
s_summary (s_check_t *self, int *agree)
{
    char text [512] = "check: ";
    size_t used = strlen (text), silent = 0, differing = 0;
    size_t views = 0;
    for (size_t i = 0; i < self->group_count; i++)
        views += self->groups [i].known;
    for (size_t i = 0; i < self->group_count && used < sizeof text; i++)
        if (!self->groups [i].facets && self->groups [i].known)
            used += (size_t) snprintf (text + used, sizeof text - used, "%s%s did not answer",
                                       silent++ ? ", " : "", self->groups [i].name);
    for (size_t i = 0; i < self->group_count && used < sizeof text; i++) {
        const s_group_t *group = &self->groups [i];
        if (group->differences == 0)
            continue;
        if (differing++)
            used += (size_t) snprintf (text + used, sizeof text - used, ", %zu in %s",
                                       group->differences, group->name);
        else
            used += (size_t) snprintf (text + used, sizeof text - used, "%s%zu difference%s in %s",
                                       silent ? "; " : "", group->differences,
                                       group->differences == 1 ? "" : "s", group->name);
    }
    *agree = silent == 0 && differing == 0;
    if (used < sizeof text) {
        if (*agree)
            snprintf (text + used, sizeof text - used, "%zu views, %zu facets, all agree",
                      views, self->compared);
        else
        if (differing == 0)
            snprintf (text + used, sizeof text - used, "; %s", self->compared
                      ? "the views compared agree" : "nothing compared");
    }
    if (!self->json)
        cli_print ("%s\n", text);
}

//  Steps 1 and 2: wait for the groups to catch up and take their digests,
//  again while the log moves.  0, or -1 when the broker did not answer.
static int
s_gather (s_check_t *self)
{
    int64_t deadline = pl_mono_ms () + self->cli->timeout_ms;
    if (s_status (self))
        return -1;
    json_int_t before = self->last_seq;
    for (int attempt = 1; attempt <= S_ATTEMPTS; attempt++) {
        before = self->last_seq;
        s_catch_up (self, deadline);
        s_fetch (self);
        if (s_status (self))
            return -1;
        if (self->last_seq == before)
            break;
    }
    if (self->last_seq != before)
        s_note (self, "the log moved during the check (seq %lld to %lld): events in flight "
                "may show as differences", (long long) before, (long long) self->last_seq);
    for (size_t i = 0; i < self->group_count; i++) {
        const s_group_t *group = &self->groups [i];
        if (group->facets && group->acked_through < self->last_seq)
            s_note (self, "%s is behind the log by %lld events (acknowledged through seq %lld "
                    "of %lld); compared anyway", group->name,
                    (long long) (self->last_seq - group->acked_through),
                    (long long) group->acked_through, (long long) self->last_seq);
    }
    return 0;
}

//  The --json document.
static json_t *
s_document (s_check_t *self, int agree)
{
    json_t *views = json_array ();
    for (size_t i = 0; i < self->group_count; i++) {
        const s_group_t *group = &self->groups [i];
        json_int_t behind = self->last_seq - group->acked_through;
        json_array_append_new (views, json_pack (
            "{s:s, s:b, s:s?, s:b, s:b, s:I, s:I, s:I}", "group", group->name,
            "answered", group->facets != NULL, "error", group->facets ? NULL : group->error,
            "known", group->known,
            "connected", group->connected, "acked_through", group->acked_through,
            "behind", behind > 0 ? behind : 0, "differences", (json_int_t) group->differences));
    }
    return json_pack ("{s:b, s:I, s:o, s:O, s:O, s:O}", "agree", agree,
                      "last_seq", self->last_seq, "views", views,
                      "comparisons", self->comparisons, "differences", self->differences,
                      "notes", self->notes);
}

int
cli_check (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_check_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_check_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    s_check_t self = { .cli = cli, .json = cli_value (&args, "json") != NULL };
    const char *facet = cli_value (&args, "facet");
    if (facet && !(self.only = pl_facet_find (facet))) {
        char names [256] = "";
        for (size_t i = 0; pl_facet_at (i); i++)
            snprintf (names + strlen (names), sizeof names - strlen (names), "%s%s",
                      i ? ", " : "", pl_facet_at (i)->name);
        return cli_usage (cli, "--facet: '%s' is not a facet (%s)", facet, names);
    }
    s_groups_init (&self);
    self.comparisons = json_array ();
    self.differences = json_array ();
    self.notes = json_array ();
    self.client = cli_client (cli);
    rc = CLI_FAILED;
    if (!self.client || s_gather (&self))
        goto done;
    for (size_t i = 0; i < self.group_count; i++)
        if (!self.groups [i].known)
            s_note (&self, "%s: no worker of this group ever joined the broker; not compared",
                    self.groups [i].name);
        else
        if (!self.groups [i].facets && !self.json)
            cli_print ("%s did not answer: %s\n", self.groups [i].name, self.groups [i].error);
    //  Steps 3 and 4, facet by facet, view by view
    for (size_t i = 0; pl_facet_at (i); i++) {
        const pl_facet_t *facet_i = pl_facet_at (i);
        s_group_t *authority = s_group (&self, facet_i->authority);
        for (size_t v = 0; (!self.only || facet_i == self.only) && facet_i->views [v]; v++) {
            s_group_t *view = s_group (&self, facet_i->views [v]);
            if (authority->facets && view->facets)
                s_compare (&self, facet_i, authority, view);
        }
    }
    int agree;
    s_summary (&self, &agree);
    if (self.json) {
        json_t *document = s_document (&self, agree);
        cli_json (document);
        json_decref (document);
    }
    rc = agree ? CLI_OK : CLI_FAILED;
done:
    for (size_t i = 0; i < self.group_count; i++)
        s_forget (&self.groups [i]);
    json_decref (self.comparisons);
    json_decref (self.differences);
    json_decref (self.notes);
    pl_client_destroy (&self.client);
    return rc;
}
