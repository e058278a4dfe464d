/*  records_store_credentials — the records store's SQL for credentials.

    Part of the records_store class (records_store_internal.h).  Every
    credentials.submitted event is a row of table credential, never
    overwritten: a later original replaces an earlier copy by being newer,
    and the Credentials Committee's verdict (verified, rejected) is set on
    the submission it examined.  The report reads the latest row of each
    delegation. */
#include "records_store_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <string.h>

static const char *s_meeting_kind =
    "SELECT kind FROM meeting WHERE id = ?1";

static const char *s_latest =
    "SELECT seq, form, status FROM credential WHERE meeting = ?1 AND delegation = ?2"
    " ORDER BY seq DESC LIMIT 1";

static const char *s_insert =
    "INSERT INTO credential (seq, meeting, delegation, form, issued_by, received, note, status)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'submitted')";

static const char *s_set =
    "UPDATE credential SET status = ?2, note = coalesce(?3, note), reason = coalesce(?4, reason)"
    " WHERE seq = ?1";

//  Who is in the report: the States Parties (declared for the convention)
//  with a participant still taking part, or with credentials submitted.
static const char *s_rows =
    "WITH who (code) AS ("
    "  SELECT delegation FROM participant"
    "   WHERE meeting = ?1 AND status NOT IN ('withdrawn', 'rejected')"
    "  UNION SELECT delegation FROM credential WHERE meeting = ?1)"
    " SELECT w.code AS delegation, i.name AS delegation_name,"
    "  (SELECT count(*) FROM participant p WHERE p.meeting = ?1 AND p.delegation = w.code"
    "    AND p.status NOT IN ('withdrawn', 'rejected')) AS participants,"
    "  c.status, c.form, c.issued_by, c.received, c.note, c.reason"
    " FROM who w"
    " JOIN delegation d ON d.convention = ?2 AND d.code = w.code AND d.status = 'state-party'"
    " LEFT JOIN iso_state i ON i.code = w.code"
    " LEFT JOIN credential c ON c.seq = (SELECT max(seq) FROM credential"
    "   WHERE meeting = ?1 AND delegation = w.code)"
    " ORDER BY w.code";

int
records_store_meeting_kind (records_store_t *self, const char *id, char *kind, size_t kind_size)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_kind);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, kind, kind_size);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_credential_latest (records_store_t *self, const char *meeting,
                                 const char *delegation, records_credential_t *credential)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_latest);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, delegation);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        credential->seq = sqlite3_column_int64 (stmt, 0);
        records_store_column_copy (stmt, 1, credential->form, sizeof credential->form);
        records_store_column_copy (stmt, 2, credential->status, sizeof credential->status);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_credential_insert (records_store_t *self, uint64_t seq, const json_t *event)
{
    static const char *fields [] = {
        "meeting", "delegation", "form", "issued_by", "received", "note"
    };
    sqlite3_stmt *stmt = records_store_stmt (self, s_insert);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        records_store_bind_field (stmt, 2 + i, event, fields [i]);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_credential_set (records_store_t *self, int64_t seq, const char *status,
                              const char *note, const char *reason)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_set);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, seq);
    records_store_bind_text (stmt, 2, status);
    records_store_bind_text (stmt, 3, note);
    records_store_bind_text (stmt, 4, reason);
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_credential_rows (records_store_t *self, const char *meeting,
                               const char *convention)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_rows);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, convention);
    return records_store_items (self, stmt);
}
