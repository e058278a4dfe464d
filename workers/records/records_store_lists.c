/*  records_store_lists — the records store's SQL for the list of
    participants as a document: its issues and the participants' versions.

    Part of the records_store class (records_store_internal.h).  Time travel
    reads history kept in the store, not the broker's log: the triggers of
    migration 3 write a row of participant_version for every insert and
    update of a participant, valid from the time of the event that made it
    (event_clock, set by records_store_clock (records_store.c) before each event) until the
    next one.  "As it stood at T" is then the versions with
    valid_from <= T < valid_to. */
#include "records_store_internal.h"
#include "pl_log.h"
#include "pl_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s_issue_last =
    "SELECT coalesce(max(issue), 0) FROM list_issue WHERE meeting = ?1";

static const char *s_issue_insert =
    "INSERT INTO list_issue (meeting, issue, seq, time_ms, symbol, note)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char *s_issue_get =
    "SELECT time_ms, symbol FROM list_issue WHERE meeting = ?1 AND issue = ?2";

#define S_DETAIL(key) "json_extract(v.details, '$." key "')"

//  A version's key in the list (records_page_t).
#define S_VERSION_KEY \
    S_DETAIL ("delegation") ", " RECORDS_RANK (S_DETAIL ("function")) ", " \
    S_DETAIL ("family_name") ", coalesce(" S_DETAIL ("given_name") ", ''), " S_DETAIL ("seq")

//  A page, ordered like participant.list: delegation, head first, family
//  name, given name, registration.
static const char *s_versions_at =
    "SELECT v.details, coalesce(d.status, 'undeclared'), coalesce(d.name, i.name)"
    " FROM participant_version v JOIN meeting m ON m.id = v.meeting"
    " LEFT JOIN delegation_version d ON d.convention = m.convention"
    "  AND d.code = " S_DETAIL ("delegation")
    "  AND d.valid_from <= ?2 AND (d.valid_to IS NULL OR d.valid_to > ?2)"
    " LEFT JOIN iso_state i ON i.code = " S_DETAIL ("delegation")
    " WHERE v.meeting = ?1 AND v.valid_from <= ?2 AND (v.valid_to IS NULL OR v.valid_to > ?2)"
    "  AND (" S_VERSION_KEY ") > (?3, ?4, ?5, ?6, ?7)"
    " ORDER BY " S_VERSION_KEY " LIMIT ?8";

//  One participant as it stood at ?2 (by index participant_version_current).
static const char *s_version_of =
    "SELECT details, 'undeclared', NULL FROM participant_version"
    " WHERE participant = ?1 AND valid_from <= ?2 AND (valid_to IS NULL OR valid_to > ?2)";

//  Keys of the details that are schema booleans (stored 0/1).
static const char *s_bool_keys [] = { "sponsored", "focal_point", NULL };

int
records_store_issue_last (records_store_t *self, const char *meeting, int64_t *issue)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_issue_last);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        *issue = sqlite3_column_int64 (stmt, 0);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found == 1 ? 0 : -1;
}

int
records_store_issue_insert (records_store_t *self, uint64_t seq, int64_t time_ms,
                            const json_t *event)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_issue_insert);
    if (!stmt)
        return -1;
    records_store_bind_field (stmt, 1, event, "meeting");
    sqlite3_bind_int64 (stmt, 2, json_integer_value (json_object_get (event, "issue")));
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) seq);
    sqlite3_bind_int64 (stmt, 4, time_ms);
    records_store_bind_field (stmt, 5, event, "symbol");
    records_store_bind_field (stmt, 6, event, "note");
    return records_store_exec_stmt (self, stmt);
}

int
records_store_issue_get (records_store_t *self, const char *meeting, int64_t issue,
                         int64_t *time_ms, char *symbol, size_t symbol_size)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_issue_get);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    sqlite3_bind_int64 (stmt, 2, issue);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        *time_ms = sqlite3_column_int64 (stmt, 0);
        records_store_column_copy (stmt, 1, symbol, symbol_size);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

//  The participant record of the current row of the versions statement:
//  its details without nulls, booleans as booleans, with category and
//  delegation_name.  NULL when the details do not parse or out of memory.
static json_t *
s_version_record (sqlite3_stmt *stmt)
{
    const char *text = (const char *) sqlite3_column_text (stmt, 0);
    json_t *record = text ? json_loads (text, 0, NULL) : NULL;
    if (!json_is_object (record)) {
        json_decref (record);
        return NULL;
    }
    const char *key;
    json_t *value;
    void *tmp;
    json_object_foreach_safe (record, tmp, key, value) {
        if (json_is_null (value))
            json_object_del (record, key);
    }
    for (int i = 0; s_bool_keys [i]; i++) {
        value = json_object_get (record, s_bool_keys [i]);
        if (json_is_integer (value))
            json_object_set_new (record, s_bool_keys [i],
                                 json_boolean (json_integer_value (value) != 0));
    }
    json_object_set_new (record, "category",
                         json_string ((const char *) sqlite3_column_text (stmt, 1)));
    if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        json_object_set_new (record, "delegation_name",
                             json_string ((const char *) sqlite3_column_text (stmt, 2)));
    return record;
}

json_t *
records_store_participants_at (records_store_t *self, const char *meeting, int64_t time_ms,
                               const records_page_t *page)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_versions_at);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, meeting);
    sqlite3_bind_int64 (stmt, 2, time_ms);
    records_store_bind_page (stmt, 3, page);
    json_t *items = json_array ();
    int rc;
    while (items && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        json_t *record = s_version_record (stmt);
        if (!record || json_array_append_new (items, record)) {
            json_decref (items);
            items = NULL;
        }
    }
    if (!items) {
        pl_error ("records: cannot build the participants of meeting=%s as of time_ms=%lld",
                  meeting, (long long) time_ms);
        records_store_done (self, stmt, SQLITE_DONE);
        return NULL;
    }
    if (records_store_done (self, stmt, rc) != SQLITE_DONE) {
        json_decref (items);
        return NULL;
    }
    json_t *reply = json_object ();
    if (!reply || records_store_page_end (reply, items, page)
    ||  json_object_set_new (reply, "items", items)) {
        json_decref (reply);
        return NULL;
    }
    return reply;
}

int
records_store_participant_at (records_store_t *self, const char *id, int64_t time_ms,
                              json_t **record_p)
{
    *record_p = NULL;
    sqlite3_stmt *stmt = records_store_stmt (self, s_version_of);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, time_ms);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        *record_p = s_version_record (stmt);
        records_store_done (self, stmt, SQLITE_ROW);
        if (!*record_p) {
            pl_error ("records: cannot read a version of participant=%s", id);
            return -1;
        }
        json_object_del (*record_p, "category");
    }
    return found;
}

//  --------------------------------------------------------------------------
//  Pages

json_t *
records_page_key (const json_t *item)
{
    static const char *ranks [] = { "head", "alternate", "adviser", "expert" };
    const char *function = json_string_value (json_object_get (item, "function"));
    json_int_t rank = 4;
    for (json_int_t i = 0; function && i < 4; i++)
        if (strcmp (function, ranks [i]) == 0)
            rank = i;
    const char *given = json_string_value (json_object_get (item, "given_name"));
    return json_pack ("[s?, I, s?, s, I]",
                      json_string_value (json_object_get (item, "delegation")), rank,
                      json_string_value (json_object_get (item, "family_name")),
                      given ? given : "",
                      json_integer_value (json_object_get (item, "seq")));
}

int
records_page_parse (const char *text, json_t **after_p)
{
    json_t *key = json_loads (text, JSON_REJECT_DUPLICATES, NULL);
    *after_p = NULL;
    if (!json_is_array (key) || json_array_size (key) != 5
    ||  !json_is_string (json_array_get (key, 0))
    ||  !json_is_integer (json_array_get (key, 1))
    ||  !json_is_string (json_array_get (key, 2))
    ||  !json_is_string (json_array_get (key, 3))
    ||  !json_is_integer (json_array_get (key, 4))) {
        json_decref (key);
        return -1;
    }
    *after_p = key;
    return 0;
}

void
records_store_bind_page (sqlite3_stmt *stmt, int first, const records_page_t *page)
{
    const json_t *after = page->after;
    if (after) {
        records_store_bind_text (stmt, first, json_string_value (json_array_get (after, 0)));
        sqlite3_bind_int64 (stmt, first + 1, json_integer_value (json_array_get (after, 1)));
        records_store_bind_text (stmt, first + 2, json_string_value (json_array_get (after, 2)));
        records_store_bind_text (stmt, first + 3, json_string_value (json_array_get (after, 3)));
        sqlite3_bind_int64 (stmt, first + 4, json_integer_value (json_array_get (after, 4)));
    }
    else {
        //  Before every entry: codes and names are never below "", ranks
        //  and seqs never below 0
        for (int i = 0; i < 5; i++)
            if (i == 1 || i == 4)
                sqlite3_bind_int64 (stmt, first + i, -1);
            else
                records_store_bind_text (stmt, first + i, "");
    }
    sqlite3_bind_int64 (stmt, first + 5, page->limit + 1);
}

size_t
records_page_bytes (const json_t *item)
{
    size_t bytes = 0;
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *) item, key, value)
        bytes += strlen (key) + 10 + (json_is_string (value) ? json_string_length (value) : 0);
    return bytes;
}

int
records_store_page_end (json_t *reply, json_t *items, const records_page_t *page)
{
    size_t keep = json_array_size (items), bytes = 0;
    if ((json_int_t) keep > page->limit)
        keep = (size_t) page->limit;
    for (size_t i = 0; i < keep; i++) {
        bytes += records_page_bytes (json_array_get (items, i));
        if (bytes > PL_PAGE_BYTES && i > 0)
            keep = i;
    }
    if (keep == json_array_size (items))
        return 0;
    while (json_array_size (items) > keep)
        json_array_remove (items, json_array_size (items) - 1);
    json_t *key = records_page_key (json_array_get (items, json_array_size (items) - 1));
    char *next = key ? json_dumps (key, JSON_COMPACT) : NULL;
    json_decref (key);
    int rc = next ? json_object_set_new (reply, "next", json_string (next)) : -1;
    free (next);
    return rc;
}
