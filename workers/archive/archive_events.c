/*  archive_events — the events the archive applies (archive_handlers.h):
    releases (revisions and changes of metadata), declassifications and
    withdrawals of documents, which the archive decides; outcomes, which it
    decides too; and statements and meetings, as records applied them.
    The rules and why are in archive_worker.c's header. */
#include "archive_handlers.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pl_outcome_t
archive_event_meeting_scheduled (void *store, const pl_delivery_t *event,
                                 char *reason, size_t reason_size)
{
    return archive_store_meeting (store, archive_field (event->payload, "id"),
                                  archive_field (event->payload, "convention")) ? PL_FAILED : PL_APPLIED;
}

//  Add VALUE (NULL: absent) to the SHA-256 STATE, its length first, so
//  that no two different releases hash alike.
static void
s_hash_value (crypto_hash_sha256_state *state, const char *value)
{
    unsigned char length [9] = { 0 };
    size_t size = value ? strlen (value) : 0;
    length [0] = value != NULL;
    for (int i = 0; i < 8; i++)
        length [1 + i] = (unsigned char) (size >> (8 * i));
    crypto_hash_sha256_update (state, length, sizeof length);
    if (value)
        crypto_hash_sha256_update (state, (const unsigned char *) value, size);
}

//  Field FIELD of PAYLOAD, a SHA-256 in hex of any case, into HEX (65
//  bytes) in lower case ("" when absent).  0, or -1 when it is not 64
//  hexadecimal digits (REASON filled).
static int
s_hex (const json_t *payload, const char *field, const char *symbol, char *hex, char *reason,
       size_t reason_size)
{
    const char *value = archive_field (payload, field);
    *hex = 0;
    if (!value)
        return 0;
    if (strlen (value) != 64 || strspn (value, "0123456789abcdefABCDEF") != 64) {
        snprintf (reason, reason_size, "%s: %s '%s' is not 64 hexadecimal digits", symbol,
                  field, value);
        return -1;
    }
    for (int i = 0; i <= 64; i++)
        hex [i] = (char) (value [i] >= 'A' && value [i] <= 'F' ? value [i] - 'A' + 'a'
                                                               : value [i]);
    return 0;
}

//  The metadata of a release, as archive_store_document_metadata names them.
static const char *const s_metadata [] = {
    "title", "meeting", "agenda_item", "distribution", "status", "dated",
    "original_language", "job_number", "file_sha256"
};
#define S_METADATA (sizeof s_metadata / sizeof s_metadata [0])

//  Compare the metadata AFTER of a release with BEFORE, the current
//  revision's: into *CHANGES (a new object, field: [before, after]) each
//  that differs.  The number of changes, or -1 out of memory.
static int
s_changes (const json_t *before, const json_t *after, json_t **changes)
{
    *changes = json_object ();
    int count = 0;
    for (size_t i = 0; *changes && i < S_METADATA; i++) {
        json_t *old = json_object_get (before, s_metadata [i]);
        json_t *now = json_object_get (after, s_metadata [i]);
        if (json_equal (old ? old : json_null (), now ? now : json_null ()))
            continue;
        if (json_object_set_new (*changes, s_metadata [i],
                                 json_pack ("[OO]", old ? old : json_null (),
                                            now ? now : json_null ())))
            return -1;
        count++;
    }
    return *changes ? count : -1;
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

//  A release: a new revision when its text (without a text, the released
//  file's hash) differs from the current revision's, else a change of its
//  metadata when any differs (recorded with its time), else nothing.
pl_outcome_t
archive_event_document_released (void *store, const pl_delivery_t *event,
                                 char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    char sha256 [65], file_sha256 [65];
    if (archive_symbol (archive_field (payload, "symbol"), "symbol", &symbol, reason,
                        reason_size)
    ||  s_hex (payload, "sha256", symbol.symbol, sha256, reason, reason_size)
    ||  s_hex (payload, "file_sha256", symbol.symbol, file_sha256, reason, reason_size))
        return PL_REJECTED;
    const char *meeting = archive_field (payload, "meeting");
    int found = meeting ? s_need_meeting (store, meeting, reason, reason_size) : 1;
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    const char *language = archive_field (payload, "language");
    char key [ARCHIVE_KEY_MAX];
    snprintf (key, sizeof key, "%s:%s", symbol.symbol, language);

    //  The distribution in force of the family: this release raises it when
    //  more restrictive, identical or not (a declassification holds until
    //  a release more restrictive than it); every symbol of the family,
    //  every revision and language, is seen at it
    archive_distribution_t *seen = archive_store_distribution (store);
    const char *released_as = archive_field (payload, "distribution");
    int level = pl_distribution_level (released_as), in_force = PL_GENERAL;
    found = archive_distribution_family (seen, symbol.base, &in_force);
    if (found < 0)
        return PL_FAILED;
    if (!found || level > in_force) {
        in_force = level;
        if (archive_distribution_family_set (seen, symbol.base, in_force))
            return PL_FAILED;
    }

    //  The text is kept byte for byte, with the SHA-256 of those bytes; a
    //  sha256 given that is not the text's is the released file's (the PDF)
    const char *text = archive_field (payload, "text");
    unsigned char hash [crypto_hash_sha256_BYTES], current_hash [crypto_hash_sha256_BYTES];
    char text_sha256 [65] = "";
    if (text) {
        crypto_hash_sha256 (hash, (const unsigned char *) text, strlen (text));
        sodium_bin2hex (text_sha256, sizeof text_sha256, hash, sizeof hash);
    }
    if (*sha256 && strcmp (sha256, text_sha256) && !*file_sha256)
        memcpy (file_sha256, sha256, sizeof file_sha256);
    //  What makes a revision: the text (its hash), or without one the file's
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init (&state);
    s_hash_value (&state, text ? text_sha256 : NULL);
    s_hash_value (&state, text ? NULL : *file_sha256 ? file_sha256 : NULL);
    crypto_hash_sha256_final (&state, hash);
    char date [16], stamp [32];
    archive_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    const char *released = archive_field (payload, "released") ? archive_field (payload, "released")
                                                              : stamp;
    json_t *after = json_pack ("{s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}",
        "title", archive_field (payload, "title"), "meeting", meeting,
        "agenda_item", archive_field (payload, "agenda_item"),
        "distribution", pl_distribution_name (level), "status", archive_field (payload, "status"),
        "dated", archive_field (payload, "dated"),
        "original_language", archive_field (payload, "original_language"),
        "job_number", archive_field (payload, "job_number"),
        "file_sha256", *file_sha256 ? file_sha256 : NULL);
    json_t *before = NULL, *changes = NULL;
    pl_outcome_t outcome = PL_FAILED;
    int revision = 0, last = 0;
    int64_t item_id = 0;
    if (!after)
        goto done;
    found = archive_store_document_current (store, key, &revision, current_hash);
    if (found < 0 || archive_store_document_last (store, key, &last))
        goto done;
    if (found && memcmp (hash, current_hash, sizeof hash) == 0) {
        //  the same text: its metadata may have changed
        found = archive_store_document_metadata (store, key, &item_id, &before);
        int count = found == 1 ? s_changes (before, after, &changes) : -1;
        if (count < 0)
            goto done;
        outcome = PL_APPLIED;
        if (count == 0) {
            pl_debug ("archive: seq=%llu %s (%s) is identical to revision %d; unchanged",
                      (unsigned long long) event->seq, symbol.symbol, language, revision);
            goto done;
        }
        const char *dated = archive_field (payload, "dated"), *kept = archive_field (before,
                                                                                    "released");
        if (dated)
            snprintf (date, sizeof date, "%s", dated);
        else
            archive_date_of (kept ? kept : released, date);
        if (archive_store_document_change (store, item_id, event->seq, stamp, date,
                                           symbol.convention, after, changes))
            outcome = PL_FAILED;
        else
            pl_info ("archive: changed the metadata of %s (%s) revision %d seq=%llu", symbol.symbol,
                     language, revision, (unsigned long long) event->seq);
        goto done;
    }
    if (archive_field (payload, "dated"))
        snprintf (date, sizeof date, "%s", archive_field (payload, "dated"));
    else
        archive_date_of (released, date);
    //  a new revision follows the last, withdrawn or not
    archive_item_t item = {
        .seq = event->seq, .kind = "document", .key = key, .symbol = symbol.symbol,
        .language = language, .title = archive_field (payload, "title"),
        .meeting = meeting, .convention = symbol.convention,
        .agenda_item = archive_field (payload, "agenda_item"), .date = date,
        .distribution = pl_distribution_name (in_force), .family = symbol.base,
        .revision = last + 1, .body = text
    };
    archive_document_t document = {
        .symbol = symbol.symbol, .base = symbol.base, .suffixes = symbol.suffixes,
        .language = language, .status = archive_field (payload, "status"),
        .dated = archive_field (payload, "dated"), .released = released,
        .original_language = archive_field (payload, "original_language"),
        .job_number = archive_field (payload, "job_number"),
        .sha256 = text ? text_sha256 : NULL, .file_sha256 = *file_sha256 ? file_sha256 : NULL,
        .hash = hash, .bytes = text ? (int64_t) strlen (text) : 0,
        .released_as = pl_distribution_name (level)
    };
    if (archive_store_item_add (store, &item, &document))
        goto done;
    pl_info ("archive: released %s (%s) revision %d seq=%llu", symbol.symbol, language,
             last + 1, (unsigned long long) event->seq);
    outcome = PL_APPLIED;
done:
    json_decref (after);
    json_decref (before);
    json_decref (changes);
    return outcome;
}

pl_outcome_t
archive_event_statement_delivered (void *store, const pl_delivery_t *event,
                                   char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol = { .symbol = "" };
    const char *document = archive_field (payload, "document");
    char why [PL_REASON_MAX];
    if (document && archive_symbol (document, "document", &symbol, why, sizeof why)) {
        pl_warn ("archive: seq=%llu statement archived without its document: %s",
                 (unsigned long long) event->seq, why);
        document = NULL;
        symbol = (pl_symbol_t) { .symbol = "" };
    }
    const char *delegation = archive_field (payload, "delegation");
    const char *behalf = archive_field (payload, "on_behalf_of");
    const char *speaker = archive_field (payload, "speaker");
    const char *item_no = archive_field (payload, "agenda_item");
    char title [1024];
    snprintf (title, sizeof title, "Statement by %s%s%s%s%s%s%s%s", delegation,
              speaker ? " (" : "", speaker ? speaker : "", speaker ? ")" : "",
              behalf ? " on behalf of " : "", behalf ? behalf : "",
              item_no ? " under agenda item " : "", item_no ? item_no : "");
    char key [ARCHIVE_KEY_MAX], date [16], stamp [32];
    snprintf (key, sizeof key, "s%llu", (unsigned long long) event->seq);
    archive_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    if (archive_field (payload, "delivered_at"))
        archive_date_of (archive_field (payload, "delivered_at"), date);
    archive_item_t item = {
        .seq = event->seq, .kind = "statement", .key = key,
        .symbol = document ? symbol.symbol : NULL, .family = document ? symbol.base : NULL,
        .language = archive_field (payload, "language"), .title = title,
        .meeting = archive_field (payload, "meeting"), .convention = symbol.convention,
        .agenda_item = item_no, .date = date, .delegation = delegation,
        .body = archive_field (payload, "text")
    };
    return archive_store_item_add (store, &item, NULL) ? PL_FAILED : PL_APPLIED;
}

pl_outcome_t
archive_event_outcome_adopted (void *store, const pl_delivery_t *event,
                               char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting = archive_field (payload, "meeting");
    char key [ARCHIVE_KEY_MAX];
    snprintf (key, sizeof key, "%s/%s", meeting, archive_field (payload, "id"));
    const json_t *documents = json_object_get (payload, "documents");
    size_t count = json_array_size (documents);
    pl_symbol_t *symbols = calloc (count + 1, sizeof *symbols);
    if (!symbols)
        return PL_FAILED;
    pl_outcome_t outcome = PL_REJECTED;
    for (size_t i = 0; i < count; i++)
        if (archive_symbol (json_string_value (json_array_get (documents, i)), "document",
                      &symbols [i], reason, reason_size))
            goto done;
    int found = s_need_meeting (store, meeting, reason, reason_size);
    if (found <= 0) {
        outcome = found < 0 ? PL_FAILED : PL_REJECTED;
        goto done;
    }
    int exists = archive_store_item_exists (store, key);
    if (exists) {
        if (exists > 0)
            snprintf (reason, reason_size, "outcome %s of meeting %s is already adopted",
                      archive_field (payload, "id"), meeting);
        outcome = exists > 0 ? PL_REJECTED : PL_FAILED;
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        found = archive_store_document_exists (store, symbols [i].symbol);
        if (found <= 0) {
            if (found == 0)
                snprintf (reason, reason_size, "outcome %s cites %s, which has not been "
                          "released; release it first", archive_field (payload, "id"),
                          symbols [i].symbol);
            outcome = found < 0 ? PL_FAILED : PL_REJECTED;
            goto done;
        }
    }
    archive_item_t item = {
        .seq = event->seq, .kind = "outcome", .key = key,
        .symbol = count ? symbols [0].symbol : NULL, .title = archive_field (payload, "title"),
        .meeting = meeting, .convention = count ? symbols [0].convention : NULL,
        .language = archive_field (payload, "language"),
        .agenda_item = archive_field (payload, "agenda_item"), .date = archive_field (payload, "adopted"),
        .outcome_kind = archive_field (payload, "kind"), .body = archive_field (payload, "text")
    };
    outcome = archive_store_item_add (store, &item, NULL) ? PL_FAILED : PL_APPLIED;
    for (size_t i = 0; outcome == PL_APPLIED && i < count; i++)
        if (archive_store_outcome_link (store, symbols [i].symbol, symbols [i].base, (int) i))
            outcome = PL_FAILED;
done:
    free (symbols);
    return outcome;
}

pl_outcome_t
archive_event_document_declassified (void *store, const pl_delivery_t *event,
                                     char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    if (archive_symbol (archive_field (payload, "symbol"), "symbol", &symbol, reason, reason_size))
        return PL_REJECTED;
    archive_distribution_t *seen = archive_store_distribution (store);
    int in_force = PL_GENERAL;
    int found = archive_distribution_family (seen, symbol.base, &in_force);
    if (found <= 0) {
        if (found == 0)
            snprintf (reason, reason_size, "no document of the family %s has been released",
                      symbol.base);
        return found < 0 ? PL_FAILED : PL_REJECTED;
    }
    const char *distribution = archive_field (payload, "distribution");
    int level = pl_distribution_level (distribution);
    if (level >= in_force) {
        snprintf (reason, reason_size, "%s is %s already; a declassification only lowers the "
                  "distribution of a document (a more restrictive release raises it)",
                  symbol.base, pl_distribution_name (in_force));
        return PL_REJECTED;
    }
    char date [16], stamp [32];
    archive_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    if (archive_distribution_family_set (seen, symbol.base, level)
    ||  archive_distribution_declassified (seen, event->seq, symbol.base, distribution,
                                           stamp, archive_field (payload, "by"),
                                           archive_field (payload, "reason")))
        return PL_FAILED;
    pl_info ("archive: declassified the family %s from %s to %s seq=%llu", symbol.base,
             pl_distribution_name (in_force), distribution, (unsigned long long) event->seq);
    return PL_APPLIED;
}

//  Withdraw one revision of one language version (language and revision),
//  or every revision of the document that stands (neither).  A revision
//  withdrawn alone never makes the document disappear: the calendar, which
//  cannot count revisions (it would have to repeat the archive's rule of
//  what makes one), learns that a symbol is gone only from a withdrawal of
//  the whole document.
pl_outcome_t
archive_event_document_withdrawn (void *store, const pl_delivery_t *event,
                                  char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    if (archive_symbol (archive_field (payload, "symbol"), "symbol", &symbol, reason, reason_size))
        return PL_REJECTED;
    const char *language = archive_field (payload, "language");
    int revision = archive_int (payload, "revision", 0);
    if (!language != !revision) {
        snprintf (reason, reason_size, "give both language and revision to withdraw one "
                  "revision, or neither to withdraw the document %s", symbol.symbol);
        return PL_REJECTED;
    }
    int found = archive_store_document_exists (store, symbol.symbol);
    if (found <= 0) {
        if (found == 0)
            snprintf (reason, reason_size, "no document %s in the archive", symbol.symbol);
        return found < 0 ? PL_FAILED : PL_REJECTED;
    }
    archive_distribution_t *seen = archive_store_distribution (store);
    int64_t standing = 0;
    if (archive_distribution_standing (seen, symbol.symbol, &standing))
        return PL_FAILED;
    char date [16], stamp [32], key [ARCHIVE_KEY_MAX];
    archive_event_time (event->time_ms, date, sizeof date, stamp, sizeof stamp);
    const char *by = archive_field (payload, "by"), *why = archive_field (payload, "reason");
    if (language) {
        snprintf (key, sizeof key, "%s:%s", symbol.symbol, language);
        int withdrawn = 0;
        found = archive_distribution_revision (seen, key, revision, &withdrawn);
        if (found < 0)
            return PL_FAILED;
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
            return PL_REJECTED;
        }
        if (archive_distribution_withdraw (seen, key, revision, event->seq, stamp, by, why))
            return PL_FAILED;
        pl_info ("archive: withdrew %s (%s) revision %d seq=%llu", symbol.symbol, language,
                 revision, (unsigned long long) event->seq);
        return PL_APPLIED;
    }
    if (standing == 0) {
        snprintf (reason, reason_size, "every revision of %s is withdrawn already",
                  symbol.symbol);
        return PL_REJECTED;
    }
    json_t *keys = archive_distribution_keys_of (seen, symbol.symbol);
    size_t index;
    json_t *each;
    pl_outcome_t outcome = keys ? PL_APPLIED : PL_FAILED;
    json_array_foreach (keys, index, each)
        if (outcome == PL_APPLIED
        &&  archive_distribution_withdraw (seen, json_string_value (each), 0, event->seq,
                                           stamp, by, why))
            outcome = PL_FAILED;
    json_decref (keys);
    if (outcome == PL_APPLIED)
        pl_info ("archive: withdrew %s in every language seq=%llu", symbol.symbol,
                 (unsigned long long) event->seq);
    return outcome;
}

