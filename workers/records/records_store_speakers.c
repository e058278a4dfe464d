/*  records_store_speakers — the records store's SQL for statements and the
    lists of speakers.

    Part of the records_store class (records_store_internal.h).  A list of
    speakers is the rows of table speaker with the same meeting and agenda
    item, ordered by position; an inscription is never deleted (a withdrawn
    one stays, marked), and the statement that closes a turn is named on it. */
#include "records_store_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <string.h>

//  A delegation's name: declared (organisations) or ISO 3166-1 (States).
#define S_DELEGATION_NAME(table) \
    " coalesce((SELECT d.name FROM delegation d JOIN meeting m ON m.id = " table ".meeting" \
    "   WHERE d.convention = m.convention AND d.code = " table ".delegation)," \
    "  (SELECT i.name FROM iso_state i WHERE i.code = " table ".delegation))"

static const char *s_statement_insert =
    "INSERT INTO statement (seq, id, meeting, delegation, speaker, language, agenda_item,"
    " session, on_behalf_of, duration_s, document, text, delivered_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

static const char *s_statement_list =
    "SELECT s.id, s.meeting, s.delegation," S_DELEGATION_NAME ("s") " AS delegation_name,"
    " s.speaker, s.language, s.agenda_item, s.session, s.on_behalf_of, s.delivered_at,"
    " s.duration_s, s.document, s.text, s.seq"
    " FROM statement s WHERE s.meeting = ?1"
    " AND (?2 IS NULL OR s.agenda_item = ?2) AND (?3 IS NULL OR s.delegation = ?3)"
    " ORDER BY s.seq";

static const char *s_turn_waiting =
    "SELECT seq, position FROM speaker"
    " WHERE meeting = ?1 AND agenda_item = ?2 AND delegation = ?3 AND status = 'waiting'"
    " ORDER BY position LIMIT 1";

static const char *s_turn_insert =
    "INSERT INTO speaker (seq, meeting, agenda_item, delegation, speaker, on_behalf_of,"
    " inscribed_at, status, position)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'waiting',"
    "  coalesce((SELECT max(position) FROM speaker WHERE meeting = ?2 AND agenda_item = ?3), 0)"
    "  + 1)";

static const char *s_turn_withdraw =
    "UPDATE speaker SET status = 'withdrawn', reason = ?2 WHERE seq = ?1";

static const char *s_turn_position =
    "UPDATE speaker SET position = ?2 WHERE seq = ?1";

static const char *s_turn_close =
    "UPDATE speaker SET status = 'spoken', statement = ?2, started_at = ?3, duration_s = ?4"
    " WHERE seq = ?1";

static const char *s_turn_list =
    "SELECT s.position, s.delegation," S_DELEGATION_NAME ("s") " AS delegation_name,"
    " s.speaker, s.on_behalf_of, s.inscribed_at, s.status, s.started_at, s.duration_s,"
    " s.statement, s.reason"
    " FROM speaker s WHERE s.meeting = ?1 AND s.agenda_item = ?2 ORDER BY s.position";

int
records_store_statement_insert (records_store_t *self, uint64_t seq, const char *id,
                                const char *delivered_at, const json_t *event)
{
    static const char *fields [] = {
        "meeting", "delegation", "speaker", "language", "agenda_item", "session",
        "on_behalf_of"
    };
    sqlite3_stmt *stmt = records_store_stmt (self, s_statement_insert);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
    records_store_bind_text (stmt, 2, id);
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        records_store_bind_field (stmt, 3 + i, event, fields [i]);
    json_t *duration = json_object_get (event, "duration_s");
    if (json_is_integer (duration))
        sqlite3_bind_int64 (stmt, 10, json_integer_value (duration));
    records_store_bind_field (stmt, 11, event, "document");
    records_store_bind_field (stmt, 12, event, "text");
    records_store_bind_text (stmt, 13, delivered_at);
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_statement_list (records_store_t *self, const char *meeting,
                              const char *agenda_item, const char *delegation)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_statement_list);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, agenda_item);
    records_store_bind_text (stmt, 3, delegation);
    return records_store_items (self, stmt);
}

int
records_store_turn_waiting (records_store_t *self, const char *meeting,
                            const char *agenda_item, const char *delegation,
                            records_turn_t *turn)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_turn_waiting);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, agenda_item);
    records_store_bind_text (stmt, 3, delegation);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        turn->seq = sqlite3_column_int64 (stmt, 0);
        turn->position = sqlite3_column_int64 (stmt, 1);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_turn_insert (records_store_t *self, uint64_t seq, const char *inscribed_at,
                           const json_t *event)
{
    static const char *fields [] = {
        "meeting", "agenda_item", "delegation", "speaker", "on_behalf_of"
    };
    sqlite3_stmt *stmt = records_store_stmt (self, s_turn_insert);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        records_store_bind_field (stmt, 2 + i, event, fields [i]);
    records_store_bind_text (stmt, 7, inscribed_at);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_turn_withdraw (records_store_t *self, int64_t seq, const char *reason)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_turn_withdraw);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, seq);
    records_store_bind_text (stmt, 2, reason);
    return records_store_exec_stmt (self, stmt);
}

//  Move turn SEQ to POSITION.  0 or -1.
static int
s_turn_move (records_store_t *self, int64_t seq, int64_t position)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_turn_position);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, seq);
    sqlite3_bind_int64 (stmt, 2, position);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_turn_swap (records_store_t *self, const records_turn_t *a,
                         const records_turn_t *b)
{
    return s_turn_move (self, a->seq, b->position) || s_turn_move (self, b->seq, a->position)
         ? -1 : 0;
}

int
records_store_turn_close (records_store_t *self, int64_t seq, const char *statement,
                          const char *started_at, int64_t duration_s)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_turn_close);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, seq);
    records_store_bind_text (stmt, 2, statement);
    records_store_bind_text (stmt, 3, started_at);
    if (duration_s >= 0)
        sqlite3_bind_int64 (stmt, 4, duration_s);
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_turn_list (records_store_t *self, const char *meeting, const char *agenda_item)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_turn_list);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, agenda_item);
    return records_store_items (self, stmt);
}
