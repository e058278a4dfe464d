/*  records_store_meetings — the records store's SQL for meetings (their
    status, insertion, updates, list and show), the programme of work
    (sessions) and the conventions declared beyond the built-in ones.

    Part of the records_store class (records_store_internal.h).  Session
    times are local wall-clock times in the meeting's zone, stored with
    seconds (YYYY-MM-DDTHH:MM:SS) so that they order as strings, and the
    UTC offset when the event gave one (...T02:30:00+01:00, a time that
    happens twice); their first ten bytes are the local date compared with
    the meeting's dates. */
#include "records_store_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MEETING_COLUMNS \
    "m.id, m.convention, m.kind, m.title, m.venue, m.tz, m.start, m.\"end\", " \
    "m.url, m.description, m.status, " \
    "(SELECT count(*) FROM participant p " \
    "  WHERE p.meeting = m.id AND p.status IN ('registered', 'approved', 'confirmed'))" \
    " AS participants"

static const char *s_meeting_status = "SELECT status FROM meeting WHERE id = ?1";

static const char *s_meeting_insert =
    "INSERT INTO meeting (id, seq, convention, kind, title, venue, tz, start, \"end\","
    " url, description, status)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'scheduled')";

static const char *s_meeting_set_status = "UPDATE meeting SET status = ?2 WHERE id = ?1";

static const char *s_meeting_list =
    "SELECT " S_MEETING_COLUMNS " FROM meeting m"
    " WHERE (?1 IS NULL OR m.convention = ?1) AND (?2 IS NULL OR m.status = ?2)"
    " ORDER BY m.start, m.id";

static const char *s_meeting_show =
    "SELECT " S_MEETING_COLUMNS " FROM meeting m WHERE m.id = ?1";

static const char *s_meeting_get =
    "SELECT convention, status, start, \"end\", tz FROM meeting WHERE id = ?1";

//  Every field of meeting.updated is optional: absent keeps the old value.
static const char *s_meeting_update =
    "UPDATE meeting SET kind = coalesce(?2, kind), title = coalesce(?3, title),"
    " venue = coalesce(?4, venue), tz = coalesce(?5, tz), start = coalesce(?6, start),"
    " \"end\" = coalesce(?7, \"end\"), url = coalesce(?8, url),"
    " description = coalesce(?9, description)"
    " WHERE id = ?1";

static const char *s_session_outside =
    "SELECT id FROM session WHERE meeting = ?1 AND status <> 'cancelled'"
    " AND (substr(start, 1, 10) < ?2 OR substr(\"end\", 1, 10) > ?3)"
    " ORDER BY start, id LIMIT 1";

static const char *s_session_times =
    "SELECT id, start, \"end\" FROM session WHERE meeting = ?1 AND status <> 'cancelled'"
    " ORDER BY start, id";

static const char *s_session_status =
    "SELECT status FROM session WHERE meeting = ?1 AND id = ?2";

static const char *s_session_insert =
    "INSERT INTO session (meeting, id, seq, title, start, \"end\", room, agenda_items,"
    " kind, status)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'scheduled')";

static const char *s_session_move =
    "UPDATE session SET start = ?3, \"end\" = ?4, room = coalesce(?5, room), reason = ?6"
    " WHERE meeting = ?1 AND id = ?2";

static const char *s_session_cancel =
    "UPDATE session SET status = 'cancelled', reason = ?3 WHERE meeting = ?1 AND id = ?2";

static const char *s_session_list =
    "SELECT meeting, id, title, start, \"end\", room, agenda_items, kind, status, reason, seq"
    " FROM session WHERE meeting = ?1 AND (?2 IS NULL OR status = ?2)"
    " ORDER BY start, \"end\", id";

static const char *s_convention_get = "SELECT name FROM convention WHERE code = ?1";

static const char *s_convention_put =
    "INSERT INTO convention (code, seq, name) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (code) DO UPDATE SET seq = ?2, name = ?3";

static const char *s_convention_list =
    "SELECT code, name, 'declared' AS source, seq FROM convention ORDER BY code";

int
records_store_convention_get (records_store_t *self, const char *code,
                              char *name, size_t name_size)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_convention_get);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, code);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, name, name_size);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_convention_put (records_store_t *self, uint64_t seq, const json_t *event)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_convention_put);
    if (!stmt)
        return -1;
    records_store_bind_field (stmt, 1, event, "code");
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    records_store_bind_field (stmt, 3, event, "name");
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_convention_list (records_store_t *self)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_convention_list);
    return stmt ? records_store_items (self, stmt) : NULL;
}

int
records_store_meeting_status (records_store_t *self, const char *id,
                              char *status, size_t status_size)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_status);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, status, status_size);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_meeting_insert (records_store_t *self, uint64_t seq, const json_t *event)
{
    static const char *fields [] = {
        "convention", "kind", "title", "venue", "tz", "start", "end", "url", "description"
    };
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_insert);
    if (!stmt)
        return -1;
    records_store_bind_field (stmt, 1, event, "id");
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        records_store_bind_field (stmt, 3 + i, event, fields [i]);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_meeting_set_status (records_store_t *self, const char *id, const char *status)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_set_status);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    records_store_bind_text (stmt, 2, status);
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_meeting_list (records_store_t *self, const char *convention, const char *status)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_list);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, convention);
    records_store_bind_text (stmt, 2, status);
    return records_store_items (self, stmt);
}

int
records_store_meeting_show (records_store_t *self, const char *id, json_t **reply_p)
{
    *reply_p = NULL;
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_show);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    int found = records_store_step_row (self, stmt);
    json_t *reply = NULL;
    if (found == 1) {
        reply = records_store_row_object (stmt);
        records_store_done (self, stmt, SQLITE_ROW);
        if (!reply) {
            pl_error ("records: out of memory building a reply meeting=%s", id);
            return -1;
        }
    }
    *reply_p = reply;
    return found;
}

int
records_store_meeting_get (records_store_t *self, const char *id, records_meeting_t *meeting)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_get);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, meeting->convention, sizeof meeting->convention);
        records_store_column_copy (stmt, 1, meeting->status, sizeof meeting->status);
        records_store_column_copy (stmt, 2, meeting->start, sizeof meeting->start);
        records_store_column_copy (stmt, 3, meeting->end, sizeof meeting->end);
        records_store_column_copy (stmt, 4, meeting->tz, sizeof meeting->tz);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_meeting_update (records_store_t *self, const json_t *event)
{
    static const char *fields [] = {
        "id", "kind", "title", "venue", "tz", "start", "end", "url", "description"
    };
    sqlite3_stmt *stmt = records_store_stmt (self, s_meeting_update);
    if (!stmt)
        return -1;
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        records_store_bind_field (stmt, 1 + i, event, fields [i]);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_session_outside (records_store_t *self, const char *meeting,
                               const char *start, const char *end,
                               char *session, size_t session_size)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_session_outside);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, start);
    records_store_bind_text (stmt, 3, end);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, session, session_size);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

json_t *
records_store_session_times (records_store_t *self, const char *meeting)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_session_times);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, meeting);
    return records_store_items (self, stmt);
}

int
records_store_session_status (records_store_t *self, const char *meeting, const char *id,
                              char *status, size_t status_size)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_session_status);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, id);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, status, status_size);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_session_insert (records_store_t *self, uint64_t seq, const json_t *event,
                              const char *start, const char *end)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_session_insert);
    if (!stmt)
        return -1;
    char *items = NULL;
    const json_t *agenda = json_object_get (event, "agenda_items");
    if (json_is_array (agenda) && !(items = json_dumps (agenda, JSON_COMPACT))) {
        pl_error ("records: out of memory storing a session");
        return -1;
    }
    records_store_bind_field (stmt, 1, event, "meeting");
    records_store_bind_field (stmt, 2, event, "id");
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) seq);
    records_store_bind_field (stmt, 4, event, "title");
    records_store_bind_text (stmt, 5, start);
    records_store_bind_text (stmt, 6, end);
    records_store_bind_field (stmt, 7, event, "room");
    records_store_bind_text (stmt, 8, items);
    records_store_bind_field (stmt, 9, event, "kind");
    int rc = records_store_exec_stmt (self, stmt);
    free (items);
    return rc;
}

int
records_store_session_move (records_store_t *self, const char *meeting, const char *id,
                            const char *start, const char *end, const char *room,
                            const char *reason)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_session_move);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, id);
    records_store_bind_text (stmt, 3, start);
    records_store_bind_text (stmt, 4, end);
    records_store_bind_text (stmt, 5, room);
    records_store_bind_text (stmt, 6, reason);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_session_cancel (records_store_t *self, const char *meeting, const char *id,
                              const char *reason)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_session_cancel);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, id);
    records_store_bind_text (stmt, 3, reason);
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_session_list (records_store_t *self, const char *meeting, const char *status)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_session_list);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, status);
    return records_store_items (self, stmt);
}
