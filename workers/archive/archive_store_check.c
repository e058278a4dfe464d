/*  archive_store_check — documents' texts against their SHA-256, for
    `plenary verify` (see the header).  The statement knows archive_store.c's
    schema (tables item and document); it changes with its migrations. */
#include "archive_store_check.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int
archive_store_check_documents (sqlite3 *db,
                               int (*fn) (void *arg, const archive_check_document_t *doc),
                               void *arg, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db,
            "SELECT i.seq, d.symbol, d.language, i.revision, i.body, d.bytes, d.sha256"
            " FROM document d JOIN item i ON i.id = d.item ORDER BY i.seq, d.language",
            -1, &stmt, NULL) != SQLITE_OK) {
        snprintf (err, errsize, "%s", sqlite3_errmsg (db));
        sqlite3_finalize (stmt);
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        archive_check_document_t doc = {
            .seq = (uint64_t) sqlite3_column_int64 (stmt, 0),
            .symbol = (const char *) sqlite3_column_text (stmt, 1),
            .language = (const char *) sqlite3_column_text (stmt, 2),
            .revision = sqlite3_column_int (stmt, 3),
            .has_text = sqlite3_column_type (stmt, 4) != SQLITE_NULL,
            .recorded_bytes = sqlite3_column_int64 (stmt, 5),
            .sha256 = (const char *) sqlite3_column_text (stmt, 6),
        };
        //  The text's bytes as stored, whatever they are (blob: no
        //  conversion of the encoding)
        const void *body = sqlite3_column_blob (stmt, 4);
        doc.bytes = sqlite3_column_bytes (stmt, 4);
        crypto_hash_sha256 (doc.digest, body ? body : (const void *) "",
                            (unsigned long long) doc.bytes);
        char hex [2 * sizeof doc.digest + 1];
        sodium_bin2hex (hex, sizeof hex, doc.digest, sizeof doc.digest);
        doc.matches = doc.sha256 && strcasecmp (hex, doc.sha256) == 0;
        if (fn (arg, &doc))
            break;
    }
    int result = 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        snprintf (err, errsize, "%s", sqlite3_errmsg (db));
        result = -1;
    }
    sqlite3_finalize (stmt);
    return result;
}
