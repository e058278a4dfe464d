/*  archive_worker — the archive worker's rules and queries.

    s_events maps each topic it takes to the handler that applies it;
    s_queries each query to the handler that answers it and the least
    role that may ask.  A batch of events is one transaction; a
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
#include "archive_store.h"
#include "pl_symbol.h"
#include "archive_tokenizer.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum {
    S_FAILED = -1,              //  the store failed; the batch is rolled back
    S_APPLIED = 0,
    S_REJECTED = 1              //  a business rule refused it; REASON says why
} s_outcome_t;

typedef s_outcome_t (s_event_fn) (archive_store_t *store, const pl_delivery_t *event,
                                  char *reason, size_t reason_size);
typedef json_t *(s_query_fn) (archive_store_t *store, const json_t *args,
                              const archive_view_t *view, int *status, char *err,
                              size_t errsize);

#define S_KEY_MAX     160       //  an item key: symbol:language, meeting/id
#define S_MATCH_MAX   4096      //  an FTS5 expression built from q (1 KB at most)
#define S_TERMS_MAX   32        //  words and phrases in one search
#define S_PAGE_SIZE   10        //  hits per page unless asked

static const char *
s_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

static int
s_int (const json_t *args, const char *name, int fallback)
{
    const json_t *value = json_object_get (args, name);
    return json_is_integer (value) ? (int) json_integer_value (value) : fallback;
}

//  The YYYY-MM-DD of TIME_MS, and its RFC 3339 form, into DATE / STAMP.
static void
s_event_time (int64_t time_ms, char *date, size_t date_size, char *stamp, size_t stamp_size)
{
    time_t seconds = (time_t) (time_ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    strftime (date, date_size, "%Y-%m-%d", &tm);
    strftime (stamp, stamp_size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

//  The date part of an RFC 3339 STAMP into DATE (11 bytes).
static void
s_date_of (const char *stamp, char *date)
{
    memcpy (date, stamp, 10);       //  validated RFC 3339: YYYY-MM-DD first
    date [10] = 0;
}

//  Parse SYMBOL of event field FIELD; a bad one fills REASON.  0 or -1.
static int
s_symbol (const char *text, const char *field, pl_symbol_t *symbol,
          char *reason, size_t reason_size)
{
    char err [192];
    if (pl_symbol_parse (text, symbol, err, sizeof err) == 0)
        return 0;
    snprintf (reason, reason_size, "%s '%s' is not a document symbol: %s", field, text, err);
    return -1;
}

//  --------------------------------------------------------------------------
//  Events

static s_outcome_t
s_meeting_scheduled (archive_store_t *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    return archive_store_meeting (store, s_field (event->payload, "id"),
                                  s_field (event->payload, "convention")) ? S_FAILED : S_APPLIED;
}

//  Add FIELD of PAYLOAD to the SHA-256 STATE, length first, so that no two
//  different releases hash alike.
static void
s_hash_field (crypto_hash_sha256_state *state, const json_t *payload, const char *field)
{
    const char *value = s_field (payload, field);
    unsigned char length [9] = { 0 };
    size_t size = value ? strlen (value) : 0;
    length [0] = value != NULL;
    for (int i = 0; i < 8; i++)
        length [1 + i] = (unsigned char) (size >> (8 * i));
    crypto_hash_sha256_update (state, length, sizeof length);
    if (value)
        crypto_hash_sha256_update (state, (const unsigned char *) value, size);
}

//  MEETING, named by an event, must be in the view of meetings: 1, 0
//  (REASON filled), -1.
static int
s_need_meeting (archive_store_t *store, const char *meeting, char *reason, size_t reason_size)
{
    int found = archive_store_meeting_exists (store, meeting);
    if (found == 0)
        snprintf (reason, reason_size, "meeting %s does not exist", meeting);
    return found;
}

static s_outcome_t
s_document_released (archive_store_t *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    //  Everything released but the release time makes a revision.
    static const char *content [] = {
        "title", "meeting", "agenda_item", "distribution", "status", "dated",
        "original_language", "job_number", "text", "sha256"
    };
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    if (s_symbol (s_field (payload, "symbol"), "symbol", &symbol, reason, reason_size))
        return S_REJECTED;
    const char *sha256 = s_field (payload, "sha256");
    if (sha256 && (strlen (sha256) != 64 || strspn (sha256, "0123456789abcdefABCDEF") != 64)) {
        snprintf (reason, reason_size, "%s: sha256 '%s' is not 64 hexadecimal digits",
                  symbol.symbol, sha256);
        return S_REJECTED;
    }
    const char *meeting = s_field (payload, "meeting");
    int found = meeting ? s_need_meeting (store, meeting, reason, reason_size) : 1;
    if (found <= 0)
        return found < 0 ? S_FAILED : S_REJECTED;
    const char *language = s_field (payload, "language");
    char key [S_KEY_MAX];
    snprintf (key, sizeof key, "%s:%s", symbol.symbol, language);

    //  The distribution in force of the family: this release raises it when
    //  more restrictive, identical or not (a declassification holds until
    //  a release more restrictive than it); every symbol of the family,
    //  every revision and language, is seen at it
    archive_distribution_t *seen = archive_store_distribution (store);
    const char *released_as = s_field (payload, "distribution");
    int level = pl_distribution_level (released_as), in_force = PL_GENERAL;
    found = archive_distribution_family (seen, symbol.base, &in_force);
    if (found < 0)
        return S_FAILED;
    if (!found || level > in_force) {
        in_force = level;
        if (archive_distribution_family_set (seen, symbol.base, in_force))
            return S_FAILED;
    }

    unsigned char hash [crypto_hash_sha256_BYTES], current_hash [crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init (&state);
    for (size_t i = 0; i < sizeof content / sizeof content [0]; i++)
        s_hash_field (&state, payload, content [i]);
    crypto_hash_sha256_final (&state, hash);
    int revision = 0, last = 0;
    found = archive_store_document_current (store, key, &revision, current_hash);
    if (found < 0 || archive_store_document_last (store, key, &last))
        return S_FAILED;
    if (found && memcmp (hash, current_hash, sizeof hash) == 0) {
        pl_debug ("archive: seq=%llu %s (%s) is identical to revision %d; unchanged",
                  (unsigned long long) event->seq, symbol.symbol, language, revision);
        return S_APPLIED;
    }
    char date [16], stamp [32];
    s_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    const char *released = s_field (payload, "released") ? s_field (payload, "released") : stamp;
    if (s_field (payload, "dated"))
        snprintf (date, sizeof date, "%s", s_field (payload, "dated"));
    else
        s_date_of (released, date);
    const char *text = s_field (payload, "text");
    //  a new revision follows the last, withdrawn or not
    archive_item_t item = {
        .seq = event->seq, .kind = "document", .key = key, .symbol = symbol.symbol,
        .language = language, .title = s_field (payload, "title"),
        .meeting = s_field (payload, "meeting"), .convention = symbol.convention,
        .agenda_item = s_field (payload, "agenda_item"), .date = date,
        .distribution = pl_distribution_name (in_force), .family = symbol.base,
        .revision = last + 1, .body = text
    };
    archive_document_t document = {
        .symbol = symbol.symbol, .base = symbol.base, .suffixes = symbol.suffixes,
        .language = language, .status = s_field (payload, "status"),
        .dated = s_field (payload, "dated"), .released = released,
        .original_language = s_field (payload, "original_language"),
        .job_number = s_field (payload, "job_number"), .sha256 = sha256, .hash = hash,
        .bytes = text ? (int64_t) strlen (text) : 0,
        .released_as = pl_distribution_name (level)
    };
    if (archive_store_item_add (store, &item, &document))
        return S_FAILED;
    pl_info ("archive: released %s (%s) revision %d seq=%llu", symbol.symbol, language,
             last + 1, (unsigned long long) event->seq);
    return S_APPLIED;
}

static s_outcome_t
s_statement_delivered (archive_store_t *store, const pl_delivery_t *event,
                       char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol = { .symbol = "" };
    const char *document = s_field (payload, "document");
    char why [PL_REASON_MAX];
    if (document && s_symbol (document, "document", &symbol, why, sizeof why)) {
        pl_warn ("archive: seq=%llu statement archived without its document: %s",
                 (unsigned long long) event->seq, why);
        document = NULL;
        symbol = (pl_symbol_t) { .symbol = "" };
    }
    const char *delegation = s_field (payload, "delegation");
    const char *behalf = s_field (payload, "on_behalf_of");
    const char *speaker = s_field (payload, "speaker");
    const char *item_no = s_field (payload, "agenda_item");
    char title [1024];
    snprintf (title, sizeof title, "Statement by %s%s%s%s%s%s%s%s", delegation,
              speaker ? " (" : "", speaker ? speaker : "", speaker ? ")" : "",
              behalf ? " on behalf of " : "", behalf ? behalf : "",
              item_no ? " under agenda item " : "", item_no ? item_no : "");
    char key [S_KEY_MAX], date [16], stamp [32];
    snprintf (key, sizeof key, "s%llu", (unsigned long long) event->seq);
    s_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    if (s_field (payload, "delivered_at"))
        s_date_of (s_field (payload, "delivered_at"), date);
    archive_item_t item = {
        .seq = event->seq, .kind = "statement", .key = key,
        .symbol = document ? symbol.symbol : NULL, .family = document ? symbol.base : NULL,
        .language = s_field (payload, "language"), .title = title,
        .meeting = s_field (payload, "meeting"), .convention = symbol.convention,
        .agenda_item = item_no, .date = date, .delegation = delegation,
        .body = s_field (payload, "text")
    };
    return archive_store_item_add (store, &item, NULL) ? S_FAILED : S_APPLIED;
}

static s_outcome_t
s_outcome_adopted (archive_store_t *store, const pl_delivery_t *event,
                   char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting = s_field (payload, "meeting");
    char key [S_KEY_MAX];
    snprintf (key, sizeof key, "%s/%s", meeting, s_field (payload, "id"));
    const json_t *documents = json_object_get (payload, "documents");
    size_t count = json_array_size (documents);
    pl_symbol_t *symbols = calloc (count + 1, sizeof *symbols);
    if (!symbols)
        return S_FAILED;
    s_outcome_t outcome = S_REJECTED;
    for (size_t i = 0; i < count; i++)
        if (s_symbol (json_string_value (json_array_get (documents, i)), "document",
                      &symbols [i], reason, reason_size))
            goto done;
    int found = s_need_meeting (store, meeting, reason, reason_size);
    if (found <= 0) {
        outcome = found < 0 ? S_FAILED : S_REJECTED;
        goto done;
    }
    int exists = archive_store_item_exists (store, key);
    if (exists) {
        if (exists > 0)
            snprintf (reason, reason_size, "outcome %s of meeting %s is already adopted",
                      s_field (payload, "id"), meeting);
        outcome = exists > 0 ? S_REJECTED : S_FAILED;
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        found = archive_store_document_exists (store, symbols [i].symbol);
        if (found <= 0) {
            if (found == 0)
                snprintf (reason, reason_size, "outcome %s cites %s, which has not been "
                          "released; release it first", s_field (payload, "id"),
                          symbols [i].symbol);
            outcome = found < 0 ? S_FAILED : S_REJECTED;
            goto done;
        }
    }
    archive_item_t item = {
        .seq = event->seq, .kind = "outcome", .key = key,
        .symbol = count ? symbols [0].symbol : NULL, .title = s_field (payload, "title"),
        .meeting = meeting, .convention = count ? symbols [0].convention : NULL,
        .agenda_item = s_field (payload, "agenda_item"), .date = s_field (payload, "adopted"),
        .outcome_kind = s_field (payload, "kind"), .body = s_field (payload, "text")
    };
    outcome = archive_store_item_add (store, &item, NULL) ? S_FAILED : S_APPLIED;
    for (size_t i = 0; outcome == S_APPLIED && i < count; i++)
        if (archive_store_outcome_link (store, symbols [i].symbol, symbols [i].base, (int) i))
            outcome = S_FAILED;
done:
    free (symbols);
    return outcome;
}

static s_outcome_t
s_document_declassified (archive_store_t *store, const pl_delivery_t *event,
                         char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    if (s_symbol (s_field (payload, "symbol"), "symbol", &symbol, reason, reason_size))
        return S_REJECTED;
    archive_distribution_t *seen = archive_store_distribution (store);
    int in_force = PL_GENERAL;
    int found = archive_distribution_family (seen, symbol.base, &in_force);
    if (found <= 0) {
        if (found == 0)
            snprintf (reason, reason_size, "no document of the family %s has been released",
                      symbol.base);
        return found < 0 ? S_FAILED : S_REJECTED;
    }
    const char *distribution = s_field (payload, "distribution");
    int level = pl_distribution_level (distribution);
    if (level >= in_force) {
        snprintf (reason, reason_size, "%s is %s already; a declassification only lowers the "
                  "distribution of a document (a more restrictive release raises it)",
                  symbol.base, pl_distribution_name (in_force));
        return S_REJECTED;
    }
    char date [16], stamp [32];
    s_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    if (archive_distribution_family_set (seen, symbol.base, level)
    ||  archive_distribution_declassified (seen, event->seq, symbol.base, distribution,
                                           stamp, s_field (payload, "by"),
                                           s_field (payload, "reason")))
        return S_FAILED;
    pl_info ("archive: declassified the family %s from %s to %s seq=%llu", symbol.base,
             pl_distribution_name (in_force), distribution, (unsigned long long) event->seq);
    return S_APPLIED;
}

//  Withdraw one revision of one language version (language and revision),
//  or every revision of the document that stands (neither).  A revision
//  withdrawn alone never makes the document disappear: the calendar, which
//  cannot count revisions (it would have to repeat the archive's rule of
//  what makes one), learns that a symbol is gone only from a withdrawal of
//  the whole document.
static s_outcome_t
s_document_withdrawn (archive_store_t *store, const pl_delivery_t *event,
                      char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    if (s_symbol (s_field (payload, "symbol"), "symbol", &symbol, reason, reason_size))
        return S_REJECTED;
    const char *language = s_field (payload, "language");
    int revision = s_int (payload, "revision", 0);
    if (!language != !revision) {
        snprintf (reason, reason_size, "give both language and revision to withdraw one "
                  "revision, or neither to withdraw the document %s", symbol.symbol);
        return S_REJECTED;
    }
    int found = archive_store_document_exists (store, symbol.symbol);
    if (found <= 0) {
        if (found == 0)
            snprintf (reason, reason_size, "no document %s in the archive", symbol.symbol);
        return found < 0 ? S_FAILED : S_REJECTED;
    }
    archive_distribution_t *seen = archive_store_distribution (store);
    int64_t standing = 0;
    if (archive_distribution_standing (seen, symbol.symbol, &standing))
        return S_FAILED;
    char date [16], stamp [32], key [S_KEY_MAX];
    s_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    const char *by = s_field (payload, "by"), *why = s_field (payload, "reason");
    if (language) {
        snprintf (key, sizeof key, "%s:%s", symbol.symbol, language);
        int withdrawn = 0;
        found = archive_distribution_revision (seen, key, revision, &withdrawn);
        if (found < 0)
            return S_FAILED;
        if (!found || withdrawn || standing <= 1) {
            if (!found)
                snprintf (reason, reason_size, "%s has no revision %d in %s", symbol.symbol,
                          revision, language);
            else
            if (withdrawn)
                snprintf (reason, reason_size, "%s (%s) revision %d is withdrawn already",
                          symbol.symbol, language, revision);
            else
                snprintf (reason, reason_size, "%s (%s) revision %d is the last revision of "
                          "%s that stands; withdraw the document itself (without language "
                          "and revision)", symbol.symbol, language, revision, symbol.symbol);
            return S_REJECTED;
        }
        if (archive_distribution_withdraw (seen, key, revision, event->seq, stamp, by, why))
            return S_FAILED;
        pl_info ("archive: withdrew %s (%s) revision %d seq=%llu", symbol.symbol, language,
                 revision, (unsigned long long) event->seq);
        return S_APPLIED;
    }
    if (standing == 0) {
        snprintf (reason, reason_size, "every revision of %s is withdrawn already",
                  symbol.symbol);
        return S_REJECTED;
    }
    json_t *keys = archive_distribution_keys_of (seen, symbol.symbol);
    size_t index;
    json_t *each;
    s_outcome_t outcome = keys ? S_APPLIED : S_FAILED;
    json_array_foreach (keys, index, each)
        if (outcome == S_APPLIED
        &&  archive_distribution_withdraw (seen, json_string_value (each), 0, event->seq,
                                           stamp, by, why))
            outcome = S_FAILED;
    json_decref (keys);
    if (outcome == S_APPLIED)
        pl_info ("archive: withdrew %s in every language seq=%llu", symbol.symbol,
                 (unsigned long long) event->seq);
    return outcome;
}

static const struct {
    const char *topic;
    s_event_fn *apply;
} s_events [] = {
    { "meeting.scheduled",   s_meeting_scheduled },
    { "document.released",   s_document_released },
    { "statement.delivered", s_statement_delivered },
    { "outcome.adopted",     s_outcome_adopted },
    { "document.declassified", s_document_declassified },
    { "document.withdrawn",  s_document_withdrawn },
};
#define S_EVENTS (sizeof s_events / sizeof s_events [0])

static s_outcome_t
s_apply_one (archive_store_t *store, const pl_delivery_t *event, char *reason, size_t size)
{
    for (size_t i = 0; i < S_EVENTS; i++)
        if (strcmp (s_events [i].topic, event->topic) == 0)
            return s_events [i].apply (store, event, reason, size);
    snprintf (reason, size, "the archive worker does not handle %s", event->topic);
    return S_REJECTED;
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
        s_outcome_t outcome = s_apply_one (store, event, verdict->reason,
                                           sizeof verdict->reason);
        if (outcome == S_FAILED)
            goto err;
        if (outcome == S_REJECTED ? archive_store_undo (store) : archive_store_release (store))
            goto err;
        verdict->applied = outcome == S_APPLIED;
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

//  --------------------------------------------------------------------------
//  Search words

//  Length of the white space at TEXT: ASCII blanks or U+3000; 0 when none.
static size_t
s_blank (const char *text)
{
    if (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
        return 1;
    return strncmp (text, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

//  Length of an opening quote at TEXT (" or “), 0 when none; its closing
//  form into *CLOSE.
static size_t
s_quote (const char *text, const char **close)
{
    if (*text == '"') {
        *close = "\"";
        return 1;
    }
    if (strncmp (text, "\xE2\x80\x9C", 3) == 0) {      //  “ … ”
        *close = "\xE2\x80\x9D";
        return 3;
    }
    return 0;
}

//  Append printf-style text to OUT at *USED; -1 when it does not fit.
static int
s_put (char *out, size_t size, size_t *used, const char *text, size_t length)
{
    if (*used + length + 1 > size)
        return -1;
    memcpy (out + *used, text, length);
    *used += length;
    out [*used] = 0;
    return 0;
}

//  Append TEXT (LENGTH bytes) as an FTS5 string, its quotes doubled and
//  the tokenizer's match-only marker, should a caller type it, blanked.
static int
s_put_string (char *out, size_t size, size_t *used, const char *text, size_t length)
{
    size_t marker = strlen (ARCHIVE_TOKENIZER_MATCH_ONLY);
    if (s_put (out, size, used, "\"", 1))
        return -1;
    for (size_t i = 0; i < length; i++) {
        if (length - i >= marker && memcmp (text + i, ARCHIVE_TOKENIZER_MATCH_ONLY, marker) == 0) {
            if (s_put (out, size, used, " ", 1))
                return -1;
            i += marker - 1;
        }
        else
        if (s_put (out, size, used, text + i, 1)
        ||  (text [i] == '"' && s_put (out, size, used, "\"", 1)))
            return -1;
    }
    return s_put (out, size, used, "\"", 1);
}

int
archive_worker_match (const char *q, char *out, size_t size, char *err, size_t errsize)
{
    //  Terms first: positives in groups of alternatives, negatives apart
    char positive [S_MATCH_MAX] = "", negative [S_MATCH_MAX] = "";
    size_t pos_used = 0, neg_used = 0;
    int terms = 0, or_pending = 0, group_open = 0, negatives = 0;
    const char *p = q;
    while (*p) {
        size_t blank = s_blank (p);
        if (blank) {
            p += blank;
            continue;
        }
        if (++terms > S_TERMS_MAX) {
            snprintf (err, errsize, "q: more than %d words and phrases", S_TERMS_MAX);
            return -1;
        }
        int exclude = *p == '-';
        if (exclude)
            p++;
        const char *close = NULL, *start = p;
        size_t length, quote = s_quote (p, &close);
        int prefix = 0;
        if (quote) {
            start = p + quote;
            const char *end = strstr (start, close);
            if (!end) {
                snprintf (err, errsize, "q: a quoted phrase is not closed");
                return -1;
            }
            length = (size_t) (end - start);
            p = end + strlen (close);
        }
        else {
            while (*p && !s_blank (p))
                p++;
            length = (size_t) (p - start);
            if (length && start [length - 1] == '*') {
                prefix = 1;
                length--;
            }
        }
        if (!exclude && !quote && length == 2 && memcmp (start, "OR", 2) == 0) {
            if (!group_open) {
                snprintf (err, errsize, "q: OR must stand between two words or phrases");
                return -1;
            }
            or_pending = 1;
            continue;
        }
        if (length == 0) {
            snprintf (err, errsize, "q: an empty word or phrase");
            return -1;
        }
        char *target = exclude ? negative : positive;
        size_t *used = exclude ? &neg_used : &pos_used;
        const char *joint = exclude ? (negatives ? " OR " : "")
                          : or_pending ? " OR " : group_open ? ") AND (" : "(";
        if (exclude && or_pending) {
            snprintf (err, errsize, "q: OR cannot join an excluded word");
            return -1;
        }
        if (s_put (target, sizeof positive, used, joint, strlen (joint))
        ||  s_put_string (target, sizeof positive, used, start, length)
        ||  (prefix && s_put (target, sizeof positive, used, " *", 2))) {
            snprintf (err, errsize, "q: too long");
            return -1;
        }
        negatives += exclude;
        if (!exclude)
            group_open = 1;
        or_pending = 0;
    }
    if (or_pending) {
        snprintf (err, errsize, "q: OR must stand between two words or phrases");
        return -1;
    }
    if (!group_open) {
        snprintf (err, errsize, negatives ? "q: every word is excluded; give at least one "
                                            "word to look for" : "q: no words to look for");
        return -1;
    }
    int written = snprintf (out, size, "%s)%s%s%s", positive, negatives ? " NOT (" : "",
                            negative, negatives ? ")" : "");
    if (written < 0 || (size_t) written >= size) {
        snprintf (err, errsize, "q: too long");
        return -1;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Queries


static json_t *
s_archive_search (archive_store_t *store, const json_t *args, const archive_view_t *view,
                  int *status, char *err, size_t errsize)
{
    char match [S_MATCH_MAX], glob [3 * 64 + 1], reason [256];
    const char *q = s_field (args, "q");
    if (q && archive_worker_match (q, match, sizeof match, reason, sizeof reason)) {
        *status = 400;
        snprintf (err, errsize, "archive.search: %s", reason);
        return NULL;
    }
    //  The symbol pattern as a GLOB on the upper-case symbol; only * is special
    const char *symbol = s_field (args, "symbol");
    if (symbol) {
        size_t used = 0;
        for (const char *c = symbol; *c; c++) {
            const char *piece = *c == '?' ? "[?]" : *c == '[' ? "[[]" : *c == ']' ? "[]]" : NULL;
            if (piece) {
                memcpy (glob + used, piece, 3);
                used += 3;
            }
            else
                glob [used++] = (char) (*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
        }
        glob [used] = 0;
    }
    archive_search_t search = {
        .match = q ? match : NULL, .convention = s_field (args, "convention"),
        .meeting = s_field (args, "meeting"), .symbol_glob = symbol ? glob : NULL,
        .language = s_field (args, "language"), .kind = s_field (args, "kind"),
        .from = s_field (args, "from"), .to = s_field (args, "to"),
        .distribution = s_field (args, "distribution"), .max_level = view->level,
        .all_revisions = view->withdrawn,
        .page = s_int (args, "page", 1), .page_size = s_int (args, "page_size", S_PAGE_SIZE)
    };
    return archive_store_search (store, &search, status, err, errsize);
}

static json_t *
s_document_show (archive_store_t *store, const json_t *args, const archive_view_t *view,
                 int *status, char *err, size_t errsize)
{
    pl_symbol_t symbol;
    char reason [192];
    if (pl_symbol_parse (s_field (args, "symbol"), &symbol, reason, sizeof reason)) {
        *status = 400;
        snprintf (err, errsize, "document.show: symbol: %s", reason);
        return NULL;
    }
    json_t *versions = NULL, *outcomes = NULL, *text = NULL, *reply = NULL;
    json_t *declassifications = NULL;
    if (archive_store_versions (store, symbol.symbol, view, &versions)
    ||  !(outcomes = archive_store_outcomes_of (store, symbol.base)))
        goto failed;
    //  Nothing the role may see: as if it had never been released
    if (json_array_size (versions) == 0) {
        *status = 404;
        snprintf (err, errsize, "no document %s in the archive", symbol.symbol);
        goto done;
    }
    archive_distribution_t *seen = archive_store_distribution (store);
    int in_force = PL_GENERAL;
    if (archive_distribution_family (seen, symbol.base, &in_force) < 0)
        goto failed;
    //  who declassified the family, when and why: the secretariat's record
    if (view->withdrawn
    &&  !(declassifications = archive_distribution_declassifications (seen, symbol.base)))
        goto failed;
    const char *language = s_field (args, "language");
    int revision = s_int (args, "revision", 0);
    if (language) {
        int found = archive_store_text (store, symbol.symbol, language, revision, view, &text);
        if (found < 0)
            goto failed;
        if (!found) {
            *status = 404;
            if (revision)
                snprintf (err, errsize, "%s has no revision %d in %s", symbol.symbol,
                          revision, language);
            else
                snprintf (err, errsize, "%s has no %s version", symbol.symbol, language);
            goto done;
        }
    }
    reply = json_pack ("{s:s, s:s, s:s, s:O, s:O}", "symbol", symbol.symbol, "base",
                       symbol.base, "distribution", pl_distribution_name (in_force),
                       "versions", versions, "outcomes", outcomes);
    if (reply && *symbol.suffixes)
        json_object_set_new (reply, "suffixes", json_string (symbol.suffixes));
    if (reply && symbol.convention)
        json_object_set_new (reply, "convention", json_string (symbol.convention));
    if (reply && text)
        json_object_set (reply, "text", text);
    if (reply && json_array_size (declassifications))
        json_object_set (reply, "declassifications", declassifications);
    if (!reply)
        goto failed;
    goto done;
failed:
    *status = 500;
    snprintf (err, errsize, "archive: storage failure reading %s", symbol.symbol);
done:
    json_decref (versions);
    json_decref (outcomes);
    json_decref (text);
    json_decref (declassifications);
    return reply;
}

//  pl_facet_rows_fn over the store
static int
s_facet_rows (void *store, const pl_facet_t *facet, const char *key,
              pl_facet_row_fn *row, void *arg)
{
    return archive_store_facet_rows (store, facet, key, row, arg);
}

//  archive.digest: the archive's side of plenary check (lib/pl_facet.h), as
//  the authority of documents and as a view of meetings and statements
static json_t *
s_digest (archive_store_t *store, const json_t *args, const archive_view_t *view,
          int *status, char *err, size_t errsize)
{
    return pl_facet_query (ARCHIVE_GROUP, s_facet_rows, store, args, status, err, errsize);
}

static const struct {
    const char *name;
    int min_rank;               //  pl_role_rank the caller needs
    s_query_fn *answer;
} s_queries [] = {
    //  Everyone may search; the role decides the distribution levels seen
    { "archive.search", 0, s_archive_search },
    { "document.show",  0, s_document_show },
    //  Digests come from every document, restricted ones too: the secretariat
    //  (rank 3) only
    { "archive.digest", 3, s_digest },
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
