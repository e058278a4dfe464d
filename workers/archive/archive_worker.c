/*  archive_worker — the archive worker's rules and queries.

    s_events maps each topic it takes to the handler that applies it
    (archive_events.c); s_queries each query to the handler that answers
    it (archive_answers.c) and the least role that may ask.  A batch of events is one transaction; a
    redelivered event (seq <= cursor) gets the verdict it first got and
    changes nothing; a new event runs in a savepoint, and a rejection
    rolls back only that event.

    What the archive follows, and what it decides (docs/ARCHITECTURE.md,
    "Who decides what"):
    - Meetings and statements are records' facts.  The archive follows
      records' verdicts on meeting.* and statement.* (ARCHIVE_FOLLOWS): the
      broker gives it an event only after records applied it, so it
      repeats none of records' rules (an unknown meeting or delegation for
      a statement is records' verdict) and archives every statement records
      applied.  Its view of meetings thus holds exactly the meetings records
      accepted, in log order.
    - Documents (symbols, revisions, languages, distribution, declassi-
      fications, withdrawals) and outcomes are the archive's own, and the
      calendar follows it for document.*.

    The rules, and why:
    - Nothing refers to what does not exist: a release or an outcome that
      names a meeting the view of meetings does not hold is refused
      ("meeting ccm-msp99 does not exist"), and so is an outcome that cites
      a symbol never released ("... has not been released; release it
      first"), so that neither appears anywhere: not in search, not in
      document.show, not in the calendar.
    - An outcome may cite several documents and is found by each: a search
      by symbol matches any symbol it cites, and document.show lists the
      outcomes citing any document of the symbol's family (its base, with
      or without Rev./Corr./Add. suffixes).
    - A statement's document is a reference, perhaps to a document issued
      later: it is not required to exist.  One that is not a symbol (the CLI
      refuses it before publishing; another producer may not) is not
      linked, and the statement is archived all the same: records applied it.
    - A symbol is parsed (pl_symbol) and stored normalized, so that
      ccw/conf.vi/4 and CCW/CONF.VI/4 are one document; a malformed symbol
      is rejected with the parser's reason.
    - Nothing is overwritten.  The same symbol and language released again
      is a new revision when anything released differs (text, title,
      status, distribution, dates, file hash...: a SHA-256 over them, the
      release time aside); an identical release is applied and makes no
      revision, so re-running an import is harmless (but for its
      distribution, which counts as any release's: below).
    - Only the current revision of a language version is searchable (the
      newest that is not withdrawn); the history is shown by document.show.
    - Distribution decides who sees a document: restricted only the
      secretariat, limited also record-keepers and delegates, general
      everyone.  The distribution in force is the family's (the symbol
      without its Rev./Corr./Add. suffixes, and every symbol with them): a
      Corr. reveals its base, and its base what it corrects.  Every applied
      release more restrictive than the one in force raises it, identical
      or not; only document.declassified lowers it, and only lowers it.
      Every revision and language of every symbol of the family is seen at
      it, and so are a statement's and an outcome's documents.
    - A document a role may not see does not exist for it (404, as one
      never released), so its symbol is not revealed either: not in an
      outcome's or a statement's hit, not by a symbol filter, not in a
      total.  A withdrawn revision (document.withdrawn) is the
      secretariat's alone; below it the revisions that stand are numbered
      1, 2, ... as if it had never been, so nothing hints at it.
    - A revision withdrawn alone never takes a document's last revision
      that stands: the whole document is withdrawn by a withdrawal without
      language and revision, which is how the calendar (whose feeds show
      symbols, and which cannot count revisions without repeating the rule
      of what makes one) learns that a symbol is gone. */
#include "archive_worker.h"
#include "archive_handlers.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *
archive_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

int
archive_int (const json_t *args, const char *name, int fallback)
{
    const json_t *value = json_object_get (args, name);
    return json_is_integer (value) ? (int) json_integer_value (value) : fallback;
}

void
archive_event_time (int64_t time_ms, char *date, size_t date_size, char *stamp, size_t stamp_size)
{
    time_t seconds = (time_t) (time_ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    strftime (date, date_size, "%Y-%m-%d", &tm);
    strftime (stamp, stamp_size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
archive_date_of (const char *stamp, char *date)
{
    memcpy (date, stamp, 10);       //  validated RFC 3339: YYYY-MM-DD first
    date [10] = 0;
}

int
archive_symbol (const char *text, const char *field, pl_symbol_t *symbol, char *reason,
                size_t reason_size)
{
    char err [192];
    if (pl_symbol_parse (text, symbol, err, sizeof err) == 0)
        return 0;
    snprintf (reason, reason_size, "%s '%s' is not a document symbol: %s", field, text, err);
    return -1;
}


static const struct {
    const char *topic;
    archive_event_fn *apply;
} s_events [] = {
    { "meeting.scheduled",     archive_event_meeting_scheduled },
    { "document.released",     archive_event_document_released },
    { "statement.delivered",   archive_event_statement_delivered },
    { "outcome.adopted",       archive_event_outcome_adopted },
    { "document.declassified", archive_event_document_declassified },
    { "document.withdrawn",    archive_event_document_withdrawn },
};
#define S_EVENTS (sizeof s_events / sizeof s_events [0])

static archive_outcome_t
s_apply_one (archive_store_t *store, const pl_delivery_t *event, char *reason, size_t size)
{
    for (size_t i = 0; i < S_EVENTS; i++)
        if (strcmp (s_events [i].topic, event->topic) == 0)
            return s_events [i].apply (store, event, reason, size);
    snprintf (reason, size, "the archive worker does not handle %s", event->topic);
    return ARCHIVE_REJECTED;
}

//  pl_worker_handler_t.apply
static int
s_apply (void *store_, const pl_delivery_t *events, size_t count, pl_verdict_t *verdicts)
{
    archive_store_t *store = store_;
    uint64_t cursor;
    if (archive_store_begin (store))
        return -1;
    if (archive_store_cursor (store, &cursor))
        goto err;
    for (size_t i = 0; i < count; i++) {
        const pl_delivery_t *event = &events [i];
        pl_verdict_t *verdict = &verdicts [i];
        verdict->reason [0] = 0;
        if (event->seq <= cursor) {
            if (archive_store_first_verdict (store, event->seq, &verdict->applied,
                                             verdict->reason, sizeof verdict->reason))
                goto err;
            continue;
        }
        if (archive_store_savepoint (store))
            goto err;
        archive_outcome_t outcome = s_apply_one (store, event, verdict->reason,
                                           sizeof verdict->reason);
        if (outcome == ARCHIVE_FAILED)
            goto err;
        if (outcome == ARCHIVE_REJECTED ? archive_store_undo (store) : archive_store_release (store))
            goto err;
        verdict->applied = outcome == ARCHIVE_APPLIED;
        if (archive_store_advance (store, event->seq,
                                   verdict->applied ? NULL : verdict->reason))
            goto err;
        cursor = event->seq;
        if (!verdict->applied) {
            //  A reason may name a person: the log says which event, at
            //  debug level why (its receipt and plenary status say it too)
            pl_info ("archive: rejected seq=%llu topic=%s event_id=%s", (unsigned long long)
                     event->seq, event->topic, event->event_id);
            pl_debug ("archive: rejected seq=%llu reason=%s", (unsigned long long) event->seq,
                      verdict->reason);
        }
    }
    if (archive_store_commit (store))
        goto err;
    return 0;
err:
    archive_store_rollback (store);
    return -1;
}


static const struct {
    const char *name;
    int min_rank;               //  pl_role_rank the caller needs
    archive_answer_fn *answer;
} s_queries [] = {
    //  Everyone may search; the role decides the distribution levels seen
    { "archive.search", 0, archive_answer_search },
    { "document.show",  0, archive_answer_show },
    //  Digests come from every document, restricted ones too: the secretariat
    //  (rank 3) only
    { "archive.digest", 3, archive_answer_digest },
};

//  pl_worker_handler_t.query: the role decides the distribution levels seen,
//  and the secretariat alone sees withdrawn revisions.
static json_t *
s_query (void *store, const char *name, const json_t *args, const char *role,
         int *status, char *err, size_t errsize)
{
    int rank = pl_role_rank (role);
    archive_view_t view = {
        .level = pl_role_distribution (role),
        .withdrawn = rank >= pl_role_rank ("secretariat")
    };
    for (size_t i = 0; i < sizeof s_queries / sizeof s_queries [0]; i++)
        if (strcmp (s_queries [i].name, name) == 0) {
            //  an unknown role counts as the public, as for the levels
            if ((rank < 0 ? 0 : rank) < s_queries [i].min_rank) {
                *status = 403;
                snprintf (err, errsize, "%s: the role %s may not ask this", name, role);
                return NULL;
            }
            return s_queries [i].answer (store, args, &view, status, err, errsize);
        }
    *status = 404;
    snprintf (err, errsize, "the archive service has no query %s", name);
    return NULL;
}

static uint64_t
s_cursor (void *store)
{
    uint64_t seq = 0;
    if (archive_store_cursor (store, &seq))
        pl_warn ("archive: cannot read the cursor; asking for a replay from 0");
    return seq;
}

const pl_worker_handler_t *
archive_worker_handler (void)
{
    static const pl_worker_handler_t handler = {
        .apply = s_apply, .query = s_query, .cursor = s_cursor
    };
    return &handler;
}

int
archive_worker_topics (char *buf, size_t size)
{
    size_t used = 0;
    for (size_t i = 0; i < S_EVENTS; i++) {
        int written = snprintf (buf + used, size - used, "%s%s", i ? "," : "",
                                s_events [i].topic);
        if (written < 0 || (size_t) written >= size - used)
            return -1;
        used += (size_t) written;
    }
    return 0;
}

