/*  archive_worker — the archive worker's rules and queries.

    s_events maps each topic it takes to the handler that applies it
    (archive_events.c); s_queries each query to the handler that answers
    it (archive_answers.c) and the least role that may ask; lib/pl_rules
    runs them: a batch of events is one transaction, a redelivered event
    (seq <= cursor) gets the verdict it first got and changes nothing, a
    new event runs in a savepoint, and a rejection rolls back only that
    event.

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


archive_view_t
archive_view (const char *role)
{
    return (archive_view_t) {
        .level = pl_role_distribution (role),
        .withdrawn = pl_role_rank (role) >= pl_role_rank ("secretariat")
    };
}

static const pl_event_rule_t s_events [] = {
    { "meeting.scheduled",     archive_event_meeting_scheduled, 0 },
    { "document.released",     archive_event_document_released, 0 },
    { "statement.delivered",   archive_event_statement_delivered, 0 },
    { "outcome.adopted",       archive_event_outcome_adopted, 0 },
    { "document.declassified", archive_event_document_declassified, 0 },
    { "document.withdrawn",    archive_event_document_withdrawn, 0 },
};

//  The role decides the distribution levels seen (archive_view)
static const pl_query_rule_t s_queries [] = {
    //  Everyone may search
    { "archive.search", 0, archive_answer_search, NULL },
    { "document.show",  0, archive_answer_show, NULL },
    //  Digests come from every document, restricted ones too: the secretariat
    //  (rank 3) only
    { "archive.digest", 3, archive_answer_digest, NULL },
};

//  pl_rules_t.txn
static pl_txn_t *
s_txn (void *store)
{
    return archive_store_txn (store);
}

//  pl_rules_t.on_txn: the rank table follows the transaction
static void
s_on_txn (void *store, pl_txn_op_t op)
{
    archive_store_on_txn (store, op);
}

//  pl_rules_t.before_commit: the batch's items enter the index
static int
s_before_commit (void *store)
{
    return archive_store_index_flush (store);
}

static const pl_rules_t s_rules = {
    "archive", s_events, sizeof s_events / sizeof s_events [0],
    s_queries, sizeof s_queries / sizeof s_queries [0],
    .txn = s_txn, .on_txn = s_on_txn, .before_commit = s_before_commit
};

static int
s_apply (void *store, const pl_delivery_t *events, size_t count, pl_verdict_t *verdicts)
{
    return pl_rules_apply (&s_rules, store, events, count, verdicts);
}

static json_t *
s_query (void *store, const char *name, const json_t *args, const char *role,
         int *status, char *err, size_t errsize)
{
    return pl_rules_query (&s_rules, store, name, args, role, status, err, errsize);
}

static uint64_t
s_cursor (void *store)
{
    return pl_rules_cursor (&s_rules, store);
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
    return pl_rules_topics (&s_rules, buf, size);
}

