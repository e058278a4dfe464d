/*  calendar_store_mail — the private feed addresses plenary-notify mails.

    The notify worker writes to a participant the address of their private
    feed without any token being issued, stored or published: the token is
    an HMAC of the participant id under the mail key both workers read
    (lib/pl_mailkey.h, DATA/secrets/mail.key).  The calendar keeps only its
    SHA-256 (participant.mail_hash, what the gateway asks for), made by the
    SQL function mail_feed_hash when a participant is inserted and made
    again for every participant at each start (so a new key takes effect
    everywhere).  A token issued by hand that replaces (`plenary calendar
    rotate`) revokes the mailed address too; the first one issued by
    `plenary calendar url` leaves it working beside it. */
#include "calendar_store_internal.h"
#include "pl_log.h"
#include "pl_mailkey.h"

#include <stdlib.h>
#include <string.h>

//  mail_feed_hash (id)
static void
s_mail_feed_hash (sqlite3_context *context, int argc, sqlite3_value **argv)
{
    (void) argc;
    const uint8_t *key = sqlite3_user_data (context);
    const char *id = (const char *) sqlite3_value_text (argv [0]);
    if (!key || !id) {
        sqlite3_result_null (context);
        return;
    }
    char token [PL_MAILKEY_HEX], hash [PL_MAILKEY_HEX];
    pl_mailkey_token (key, "feed", id, token);
    pl_mailkey_hash (token, hash);
    sqlite3_result_text (context, hash, -1, SQLITE_TRANSIENT);
}

int
calendar_store_mail_functions (sqlite3 *db, const uint8_t *key)
{
    uint8_t *copy = NULL;
    if (key && (copy = malloc (PL_MAILKEY_BYTES)))
        memcpy (copy, key, PL_MAILKEY_BYTES);
    if (key && !copy)
        return -1;
    //  SQLite frees the copy (free) when the function is replaced or the
    //  connection closes
    if (sqlite3_create_function_v2 (db, "mail_feed_hash", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                    copy, s_mail_feed_hash, NULL, NULL, free) != SQLITE_OK) {
        pl_error ("calendar: cannot make mail_feed_hash cause=%s", sqlite3_errmsg (db));
        return -1;
    }
    return 0;
}

int
calendar_store_mail_key (calendar_store_t *self, const char *data)
{
    uint8_t key [PL_MAILKEY_BYTES];
    char err [512];
    if (pl_mailkey_load (data, key, err, sizeof err)) {
        pl_warn ("calendar: %s: feed addresses mailed by plenary-notify will not open", err);
        return 0;
    }
    sqlite3 *db = calendar_store_connection (self);
    int rc = calendar_store_mail_functions (db, key);
    memset (key, 0, sizeof key);
    char *message = NULL;
    if (rc == 0 && sqlite3_exec (db, "UPDATE participant SET mail_hash = mail_feed_hash (id)"
                                     " WHERE mail_hash IS NOT mail_feed_hash (id)",
                                 NULL, NULL, &message) != SQLITE_OK) {
        pl_error ("calendar: cannot hash the mailed feed addresses cause=%s", message);
        rc = -1;
    }
    sqlite3_free (message);
    return rc;
}

int
calendar_store_mail_revoke (calendar_store_t *self, const char *participant)
{
    sqlite3 *db = calendar_store_connection (self);
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2 (db, "UPDATE participant SET mail_revoked = 1 WHERE id = ?1",
                                 -1, &stmt, NULL) == SQLITE_OK ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text (stmt, 1, participant, -1, SQLITE_STATIC);
        rc = sqlite3_step (stmt) == SQLITE_DONE ? 0 : -1;
    }
    if (rc)
        pl_error ("calendar: cannot revoke the mailed feed of participant=%s cause=%s",
                  participant, sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    return rc;
}
