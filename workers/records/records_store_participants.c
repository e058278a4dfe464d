/*  records_store_participants — the records store's SQL for delegations,
    observer admission, the participant lifecycle, its history and the
    attendance statistics.

    Part of the records_store class (records_store_internal.h).  Nothing
    about a participant is ever deleted: every change of details or status
    first appends a participant_history row holding the details as they
    were (before_json), then changes the participant row.  A participant is
    counted in statistics when registered, approved or confirmed. */
#include "records_store_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <string.h>

#define S_COUNTED "('registered', 'approved', 'confirmed')"

static const char *s_iso_name = "SELECT name FROM iso_state WHERE code = ?1";

static const char *s_delegation_get =
    "SELECT status, coalesce(name, '') FROM delegation WHERE convention = ?1 AND code = ?2";

//  Declaring again changes the status; a name or note not given is kept.
static const char *s_delegation_put =
    "INSERT INTO delegation (convention, code, seq, status, name, note)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (convention, code) DO UPDATE SET seq = excluded.seq,"
    "  status = excluded.status, name = coalesce(excluded.name, name),"
    "  note = coalesce(excluded.note, note)";

static const char *s_delegation_list =
    "SELECT d.convention, d.code, d.status, coalesce(d.name, i.name, d.code) AS name, d.note,"
    " CASE WHEN ?2 IS NULL THEN NULL ELSE EXISTS (SELECT 1 FROM admission a"
    "  WHERE a.meeting = ?2 AND a.delegation = d.code) END AS admitted, d.seq"
    " FROM delegation d LEFT JOIN iso_state i ON i.code = d.code"
    " WHERE d.convention = ?1 AND (?3 IS NULL OR d.status = ?3) ORDER BY d.code";

static const char *s_admitted =
    "SELECT 1 FROM admission WHERE meeting = ?1 AND delegation = ?2";

static const char *s_admission_insert =
    "INSERT INTO admission (meeting, delegation, seq, reason) VALUES (?1, ?2, ?3, ?4)";

static const char *s_admit_history =
    "INSERT INTO participant_history (participant, seq, at, change, status, reason)"
    " SELECT id, ?3, ?4, 'admitted', 'registered', ?5 FROM participant"
    " WHERE meeting = ?1 AND delegation = ?2 AND status = 'pending'";

static const char *s_admit_update =
    "UPDATE participant SET status = 'registered', status_reason = ?3"
    " WHERE meeting = ?1 AND delegation = ?2 AND status = 'pending'";

//  The earliest active registration of the person, participant ?6 (NULL:
//  none) aside, made before it or after it.
static const char *s_participant_same =
    //  two index look-ups; an OR here makes SQLite scan the meeting
    "SELECT id, family_name, coalesce(given_name, ''), delegation FROM participant"
    " WHERE seq = (SELECT min(seq) FROM ("
    "  SELECT seq FROM participant WHERE meeting = ?1 AND email_key = lower(trim(?5))"
    "   AND status NOT IN ('withdrawn', 'rejected') AND id IS NOT ?6"
    "  UNION ALL"
    "  SELECT seq FROM participant WHERE meeting = ?1"
    "   AND name_key = " RECORDS_NAME_KEY ("?2", "?3", "?4")
    "   AND status NOT IN ('withdrawn', 'rejected') AND id IS NOT ?6))";

static const char *s_participant_insert =
    "INSERT INTO participant (seq, id, meeting, family_name, given_name, delegation,"
    " function, gender, email, sponsored, title, position, organization, note,"
    " status, registered_at, name_key, email_key, focal_point, status_reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
    " ?16, ?15, " RECORDS_NAME_KEY ("?4", "?5", "?6") ", lower(trim(?9)), ?17, ?18)";

//  The first version of a participant (for --as-of), bound as
//  s_participant_insert is, as the trigger participant_version_update
//  writes the later ones: the JSON of the row as stored
static const char *s_version_insert =
    "INSERT INTO participant_version VALUES (?2, ?3, (SELECT time_ms FROM event_clock), NULL,"
    " json_object('id', ?2, 'meeting', ?3, 'family_name', ?4, 'given_name', ?5,"
    " 'delegation', ?6, 'function', ?7, 'gender', ?8, 'email', ?9, 'sponsored', ?10,"
    " 'title', ?11, 'position', ?12, 'organization', ?13, 'note', ?14, 'status', ?16,"
    " 'registered_at', ?15, 'seq', ?1, 'focal_point', ?17, 'status_reason', ?18))";

//  What a registration waits for (participant record's waits_for): a
//  pending one, its delegation's admission as observer; a registered one
//  that is not a focal point, the approval of its delegation's first focal
//  point at the meeting, if it has one (found by index participant_focal,
//  migration 6).
#define S_WAITS_FOR \
    " CASE WHEN p.status = 'pending'" \
    "  THEN 'the admission of ' || p.delegation || ' as observer to ' || p.meeting" \
    " WHEN p.status = 'registered' AND coalesce(p.focal_point, 0) = 0" \
    "  THEN (SELECT 'approval by focal point ' || f.id || ' of ' || p.delegation" \
    "   FROM participant f WHERE f.meeting = p.meeting AND f.delegation = p.delegation" \
    "   AND f.focal_point = 1 AND f.status IN ('registered', 'approved', 'confirmed')" \
    "   ORDER BY f.seq LIMIT 1)" \
    " END AS waits_for"

#define S_PARTICIPANT_SELECT \
    "SELECT p.id, p.meeting, p.family_name, p.given_name, p.delegation, p.function," \
    " p.gender, p.email, p.sponsored, p.title, p.position, p.organization, p.note," \
    " p.status, p.registered_at, p.seq, p.focal_point, p.status_reason," \
    " coalesce(d.status, 'undeclared') AS category," \
    " coalesce(d.name, i.name) AS delegation_name," S_WAITS_FOR \
    " FROM participant p JOIN meeting m ON m.id = p.meeting" \
    " LEFT JOIN delegation d ON d.convention = m.convention AND d.code = p.delegation" \
    " LEFT JOIN iso_state i ON i.code = p.delegation"

//  A participant's key in the list (records_page_t): index
//  participant_in_list (migration 7) holds it, so a page is read from
//  where the last one ended, never sorted
#define S_LIST_KEY \
    "p.delegation, " RECORDS_RANK ("p.function") ", p.family_name," \
    " coalesce(p.given_name, ''), p.seq"

static const char *s_participant_list =
    S_PARTICIPANT_SELECT
    " WHERE p.meeting = ?1 AND (" S_LIST_KEY ") > (?2, ?3, ?4, ?5, ?6)"
    " ORDER BY " S_LIST_KEY " LIMIT ?7";

static const char *s_participant_show =
    S_PARTICIPANT_SELECT " WHERE p.meeting = ?1 AND p.id = ?2";

//  A declaration as State Party or signatory: the State's pending
//  registrations to the convention's scheduled meetings become registered.
#define S_PENDING_OF_STATE \
    " delegation = ?2 AND status = 'pending'" \
    " AND meeting IN (SELECT id FROM meeting WHERE convention = ?1 AND status = 'scheduled')"

static const char *s_declared_history =
    "INSERT INTO participant_history (participant, seq, at, change, status, reason)"
    " SELECT id, ?3, ?4, 'declared', 'registered', ?5 FROM participant"
    " WHERE" S_PENDING_OF_STATE;

static const char *s_declared_update =
    "UPDATE participant SET status = 'registered', status_reason = ?3"
    " WHERE" S_PENDING_OF_STATE;

static const char *s_participant_state =
    "SELECT delegation, status, coalesce(focal_point, 0) FROM participant"
    " WHERE meeting = ?1 AND id = ?2";

//  The details a participant.updated can change, as the record names them.
#define S_DETAILS \
    "'family_name', family_name, 'given_name', given_name, 'delegation', delegation," \
    " 'function', function, 'gender', gender, 'email', email," \
    " 'sponsored', CASE WHEN sponsored IS NULL THEN NULL" \
    "  ELSE json(CASE WHEN sponsored THEN 'true' ELSE 'false' END) END," \
    " 'title', title, 'position', position, 'organization', organization, 'note', note," \
    " 'focal_point', CASE WHEN focal_point IS NULL THEN NULL" \
    "  ELSE json(CASE WHEN focal_point THEN 'true' ELSE 'false' END) END," \
    " 'status', status"

static const char *s_participant_details =
    "SELECT json_object(" S_DETAILS ") FROM participant WHERE id = ?1";

static const char *s_history_add =
    "INSERT INTO participant_history (participant, seq, at, change, status, reason, changed,"
    " before_json)"
    " SELECT id, ?2, ?3, ?4, coalesce(?5, status), ?6, ?7,"
    "  CASE WHEN ?8 THEN json_object(" S_DETAILS ") END"
    " FROM participant WHERE id = ?1";

//  Absent fields keep their value; the duplicate keys follow the new names.
static const char *s_participant_update =
    "UPDATE participant SET family_name = coalesce(?2, family_name),"
    " given_name = coalesce(?3, given_name), delegation = coalesce(?4, delegation),"
    " function = coalesce(?5, function), gender = coalesce(?6, gender),"
    " email = coalesce(?7, email), sponsored = coalesce(?8, sponsored),"
    " title = coalesce(?9, title), position = coalesce(?10, position),"
    " organization = coalesce(?11, organization), note = coalesce(?12, note),"
    " focal_point = coalesce(?13, focal_point),"
    " name_key = " RECORDS_NAME_KEY ("coalesce(?2, family_name)", "coalesce(?3, given_name)",
                                     "coalesce(?4, delegation)") ","
    " email_key = lower(trim(coalesce(?7, email)))"
    " WHERE id = ?1";

static const char *s_participant_set_status =
    "UPDATE participant SET status = ?2, status_reason = ?3 WHERE id = ?1";

static const char *s_history_list =
    "SELECT seq, at, change, status, reason, changed, before_json AS \"before\""
    " FROM participant_history WHERE participant = ?1 ORDER BY seq";

static const char *s_stats_totals =
    "SELECT count(*) FILTER (WHERE status IN " S_COUNTED "),"
    " count(DISTINCT delegation) FILTER (WHERE status IN " S_COUNTED "),"
    " count(*) FILTER (WHERE status IN " S_COUNTED " AND function = 'head'),"
    " count(*) FILTER (WHERE status IN " S_COUNTED " AND sponsored = 1),"
    " count(*) FILTER (WHERE status = 'pending'),"
    " count(*) FILTER (WHERE status = 'rejected'),"
    " count(*) FILTER (WHERE status = 'withdrawn')"
    " FROM participant WHERE meeting = ?1";

static const char *s_stats_categories =
    "SELECT coalesce(d.status, 'undeclared'), count(DISTINCT p.delegation), count(*)"
    " FROM participant p LEFT JOIN delegation d"
    "  ON d.convention = ?2 AND d.code = p.delegation"
    " WHERE p.meeting = ?1 AND p.status IN " S_COUNTED
    " GROUP BY 1";

static const char *s_stats_gender =
    "SELECT coalesce(gender, 'unknown'), count(*), count(*) FILTER (WHERE function = 'head')"
    " FROM participant WHERE meeting = ?1 AND status IN " S_COUNTED " GROUP BY 1";

static const char *s_stats_states_parties =
    "SELECT count(*), count(p.delegation) FROM delegation d"
    " LEFT JOIN (SELECT DISTINCT delegation FROM participant"
    "  WHERE meeting = ?1 AND status IN " S_COUNTED ") p ON p.delegation = d.code"
    " WHERE d.convention = ?2 AND d.status = 'state-party'";

//  Categories and genders in the order the statistics print them.
static const char *s_categories [] = {
    "state-party", "signatory", "not-party", "organization", "civil-society", "undeclared"
};
static const char *s_genders [] = { "f", "m", "x", "unknown" };
#define S_CATEGORIES (sizeof s_categories / sizeof s_categories [0])
#define S_GENDERS (sizeof s_genders / sizeof s_genders [0])

//  Run STMT (bound, ?1 and ?2 only) to a single text column into BUF.
//  1 a row, 0 none, -1.
static int
s_one_text (records_store_t *self, sqlite3_stmt *stmt, char *buf, size_t size)
{
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, buf, size);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_iso_name (records_store_t *self, const char *code, char *name, size_t name_size)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_iso_name);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, code);
    return s_one_text (self, stmt, name, name_size);
}

int
records_store_delegation_get (records_store_t *self, const char *convention,
                              const char *code, records_delegation_t *delegation)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_delegation_get);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, convention);
    records_store_bind_text (stmt, 2, code);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, delegation->status, sizeof delegation->status);
        records_store_column_copy (stmt, 1, delegation->name, sizeof delegation->name);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_delegation_put (records_store_t *self, uint64_t seq, const json_t *event)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_delegation_put);
    if (!stmt)
        return -1;
    records_store_bind_field (stmt, 1, event, "convention");
    records_store_bind_field (stmt, 2, event, "code");
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) seq);
    records_store_bind_field (stmt, 4, event, "status");
    records_store_bind_field (stmt, 5, event, "name");
    records_store_bind_field (stmt, 6, event, "note");
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_delegation_list (records_store_t *self, const char *convention,
                               const char *meeting, const char *status)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_delegation_list);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, convention);
    records_store_bind_text (stmt, 2, meeting);
    records_store_bind_text (stmt, 3, status);
    return records_store_items (self, stmt);
}

int
records_store_admitted (records_store_t *self, const char *meeting, const char *delegation)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_admitted);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, delegation);
    int found = records_store_step_row (self, stmt);
    if (found == 1)
        records_store_done (self, stmt, SQLITE_ROW);
    return found;
}

int
records_store_admit (records_store_t *self, uint64_t seq, const char *at,
                     const char *meeting, const char *delegation, const char *reason)
{
    sqlite3_stmt *insert = records_store_stmt (self, s_admission_insert);
    sqlite3_stmt *history = records_store_stmt (self, s_admit_history);
    sqlite3_stmt *update = records_store_stmt (self, s_admit_update);
    if (!insert || !history || !update)
        return -1;
    records_store_bind_text (insert, 1, meeting);
    records_store_bind_text (insert, 2, delegation);
    sqlite3_bind_int64 (insert, 3, (sqlite3_int64) seq);
    records_store_bind_text (insert, 4, reason);
    if (records_store_exec_stmt (self, insert))
        return -1;
    records_store_bind_text (history, 1, meeting);
    records_store_bind_text (history, 2, delegation);
    sqlite3_bind_int64 (history, 3, (sqlite3_int64) seq);
    records_store_bind_text (history, 4, at);
    records_store_bind_text (history, 5, reason);
    if (records_store_exec_stmt (self, history))
        return -1;
    records_store_bind_text (update, 1, meeting);
    records_store_bind_text (update, 2, delegation);
    records_store_bind_text (update, 3, reason);
    return records_store_exec_stmt (self, update);
}

int
records_store_participant_same (records_store_t *self, const char *meeting,
                                const char *family, const char *given,
                                const char *delegation, const char *email,
                                const char *except, records_person_t *person)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_participant_same);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, family);
    records_store_bind_text (stmt, 3, given);
    records_store_bind_text (stmt, 4, delegation);
    records_store_bind_text (stmt, 5, email);
    records_store_bind_text (stmt, 6, except);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, person->id, sizeof person->id);
        records_store_column_copy (stmt, 1, person->family_name, sizeof person->family_name);
        records_store_column_copy (stmt, 2, person->given_name, sizeof person->given_name);
        records_store_column_copy (stmt, 3, person->delegation, sizeof person->delegation);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_participant_insert (records_store_t *self, uint64_t seq, const char *id,
                                  const char *registered_at, const char *status,
                                  const char *reason, const json_t *event)
{
    //  Text fields bound in order from parameter 3 (?10, sponsored, apart)
    static const struct {
        int index;
        const char *field;
    } texts [] = {
        { 3, "meeting" }, { 4, "family_name" }, { 5, "given_name" }, { 6, "delegation" },
        { 7, "function" }, { 8, "gender" }, { 9, "email" }, { 11, "title" },
        { 12, "position" }, { 13, "organization" }, { 14, "note" },
    };
    //  The participant, then its first version, with the same parameters
    sqlite3_stmt *stmts [2] = { records_store_stmt (self, s_participant_insert),
                                records_store_stmt (self, s_version_insert) };
    if (!stmts [0] || !stmts [1])
        return -1;
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *stmt = stmts [k];
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
        records_store_bind_text (stmt, 2, id);
        for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
            records_store_bind_field (stmt, texts [i].index, event, texts [i].field);
        const json_t *sponsored = json_object_get (event, "sponsored");
        if (json_is_boolean (sponsored))
            sqlite3_bind_int (stmt, 10, json_is_true (sponsored));
        else
            sqlite3_bind_null (stmt, 10);
        records_store_bind_text (stmt, 15, registered_at);
        records_store_bind_text (stmt, 16, status);
        records_store_bind_field (stmt, 17, event, "focal_point");
        records_store_bind_text (stmt, 18, reason);
        if (records_store_exec_stmt (self, stmt))
            return -1;
    }
    return 0;
}

int
records_store_participant_list (records_store_t *self, const char *meeting,
                                const records_page_t *page, json_t **reply_p)
{
    char status [32];
    int found = records_store_meeting_status (self, meeting, status, sizeof status);
    if (found != 1)
        return found;
    sqlite3_stmt *stmt = records_store_stmt (self, s_participant_list);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_page (stmt, 2, page);
    *reply_p = records_store_items (self, stmt);
    if (*reply_p
    &&  records_store_page_end (*reply_p, json_object_get (*reply_p, "items"), page)) {
        json_decref (*reply_p);
        *reply_p = NULL;
    }
    return *reply_p ? 1 : -1;
}

int
records_store_participant_show (records_store_t *self, const char *meeting, const char *id,
                                json_t **reply_p)
{
    *reply_p = NULL;
    sqlite3_stmt *stmt = records_store_stmt (self, s_participant_show);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, id);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        *reply_p = records_store_row_object (stmt);
        records_store_done (self, stmt, SQLITE_ROW);
        if (!*reply_p) {
            pl_error ("records: out of memory building a reply participant=%s", id);
            return -1;
        }
    }
    return found;
}

int
records_store_release_pending (records_store_t *self, uint64_t seq, const char *at,
                               const char *convention, const char *delegation,
                               const char *reason)
{
    sqlite3_stmt *history = records_store_stmt (self, s_declared_history);
    sqlite3_stmt *update = records_store_stmt (self, s_declared_update);
    if (!history || !update)
        return -1;
    records_store_bind_text (history, 1, convention);
    records_store_bind_text (history, 2, delegation);
    sqlite3_bind_int64 (history, 3, (sqlite3_int64) seq);
    records_store_bind_text (history, 4, at);
    records_store_bind_text (history, 5, reason);
    if (records_store_exec_stmt (self, history))
        return -1;
    records_store_bind_text (update, 1, convention);
    records_store_bind_text (update, 2, delegation);
    records_store_bind_text (update, 3, reason);
    return records_store_exec_stmt (self, update);
}

int
records_store_participant_state (records_store_t *self, const char *meeting, const char *id,
                                 records_state_t *state)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_participant_state);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, meeting);
    records_store_bind_text (stmt, 2, id);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        records_store_column_copy (stmt, 0, state->delegation, sizeof state->delegation);
        records_store_column_copy (stmt, 1, state->status, sizeof state->status);
        state->focal_point = sqlite3_column_int (stmt, 2);
        records_store_done (self, stmt, SQLITE_ROW);
    }
    return found;
}

int
records_store_participant_details (records_store_t *self, const char *id, json_t **details_p)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_participant_details);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    int found = records_store_step_row (self, stmt);
    if (found == 1) {
        *details_p = json_loads ((const char *) sqlite3_column_text (stmt, 0), 0, NULL);
        records_store_done (self, stmt, SQLITE_ROW);
        if (!*details_p) {
            pl_error ("records: cannot read the details of participant %s", id);
            return -1;
        }
    }
    return found;
}

int
records_store_history_add (records_store_t *self, uint64_t seq, const char *id,
                           const char *at, const char *change, const char *status,
                           const char *reason, const char *changed, int with_before)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_history_add);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    records_store_bind_text (stmt, 3, at);
    records_store_bind_text (stmt, 4, change);
    records_store_bind_text (stmt, 5, status);
    records_store_bind_text (stmt, 6, reason);
    records_store_bind_text (stmt, 7, changed);
    sqlite3_bind_int (stmt, 8, with_before);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_participant_update (records_store_t *self, const char *id, const json_t *event)
{
    static const char *fields [] = {
        "family_name", "given_name", "delegation", "function", "gender", "email",
        "sponsored", "title", "position", "organization", "note", "focal_point"
    };
    sqlite3_stmt *stmt = records_store_stmt (self, s_participant_update);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        records_store_bind_field (stmt, 2 + i, event, fields [i]);
    return records_store_exec_stmt (self, stmt);
}

int
records_store_participant_set_status (records_store_t *self, const char *id,
                                      const char *status, const char *reason)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_participant_set_status);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, id);
    records_store_bind_text (stmt, 2, status);
    records_store_bind_text (stmt, 3, reason);
    return records_store_exec_stmt (self, stmt);
}

json_t *
records_store_participant_history (records_store_t *self, const char *id)
{
    sqlite3_stmt *stmt = records_store_stmt (self, s_history_list);
    if (!stmt)
        return NULL;
    records_store_bind_text (stmt, 1, id);
    return records_store_items (self, stmt);
}

//  Index of NAME in NAMES (COUNT of them), or -1.
static int
s_index (const char **names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp (names [i], name) == 0)
            return (int) i;
    return -1;
}

json_t *
records_store_meeting_stats (records_store_t *self, const char *meeting, const char *convention)
{
    sqlite3_stmt *totals = records_store_stmt (self, s_stats_totals);
    sqlite3_stmt *categories = records_store_stmt (self, s_stats_categories);
    sqlite3_stmt *gender = records_store_stmt (self, s_stats_gender);
    sqlite3_stmt *parties = records_store_stmt (self, s_stats_states_parties);
    if (!totals || !categories || !gender || !parties)
        return NULL;
    static const char *total_names [] = {
        "participants", "delegations", "heads", "sponsored", "pending", "rejected", "withdrawn"
    };
    json_int_t by_category [S_CATEGORIES][2] = { { 0 } };
    json_int_t by_gender [S_GENDERS][2] = { { 0 } };
    json_int_t declared = 0, represented = 0;
    json_t *reply = json_pack ("{s:s, s:s}", "meeting", meeting, "convention", convention);
    if (!reply)
        return NULL;

    records_store_bind_text (totals, 1, meeting);
    int found = records_store_step_row (self, totals);
    if (found == 1) {
        for (int i = 0; i < (int) (sizeof total_names / sizeof total_names [0]); i++)
            json_object_set_new (reply, total_names [i],
                                 json_integer (sqlite3_column_int64 (totals, i)));
        records_store_done (self, totals, SQLITE_ROW);
    }
    int rc = found == 1 ? SQLITE_DONE : SQLITE_ERROR;

    records_store_bind_text (categories, 1, meeting);
    records_store_bind_text (categories, 2, convention);
    if (rc == SQLITE_DONE)
        while ((rc = sqlite3_step (categories)) == SQLITE_ROW) {
            int at = s_index (s_categories, S_CATEGORIES,
                              (const char *) sqlite3_column_text (categories, 0));
            if (at >= 0) {
                by_category [at][0] = sqlite3_column_int64 (categories, 1);
                by_category [at][1] = sqlite3_column_int64 (categories, 2);
            }
        }
    rc = records_store_done (self, categories, rc);

    records_store_bind_text (gender, 1, meeting);
    if (rc == SQLITE_DONE)
        while ((rc = sqlite3_step (gender)) == SQLITE_ROW) {
            int at = s_index (s_genders, S_GENDERS,
                              (const char *) sqlite3_column_text (gender, 0));
            if (at >= 0) {
                by_gender [at][0] = sqlite3_column_int64 (gender, 1);
                by_gender [at][1] = sqlite3_column_int64 (gender, 2);
            }
        }
    rc = records_store_done (self, gender, rc);

    records_store_bind_text (parties, 1, meeting);
    records_store_bind_text (parties, 2, convention);
    if (rc == SQLITE_DONE && (rc = sqlite3_step (parties)) == SQLITE_ROW) {
        declared = sqlite3_column_int64 (parties, 0);
        represented = sqlite3_column_int64 (parties, 1);
        rc = SQLITE_DONE;
    }
    rc = records_store_done (self, parties, rc);
    if (rc != SQLITE_DONE) {
        json_decref (reply);
        return NULL;
    }
    json_t *category_list = json_array ();
    for (size_t i = 0; i < S_CATEGORIES; i++)
        json_array_append_new (category_list, json_pack ("{s:s, s:I, s:I}",
                               "category", s_categories [i], "delegations", by_category [i][0],
                               "participants", by_category [i][1]));
    json_t *gender_list = json_array ();
    for (size_t i = 0; i < S_GENDERS; i++)
        json_array_append_new (gender_list, json_pack ("{s:s, s:I, s:I}",
                               "gender", s_genders [i], "participants", by_gender [i][0],
                               "heads", by_gender [i][1]));
    //  Per mille, rounded to the nearest
    json_int_t share = declared ? (represented * 1000 + declared / 2) / declared : 0;
    json_object_set_new (reply, "categories", category_list);
    json_object_set_new (reply, "gender", gender_list);
    json_object_set_new (reply, "states_parties_declared", json_integer (declared));
    json_object_set_new (reply, "states_parties_represented", json_integer (represented));
    json_object_set_new (reply, "states_parties_share", json_integer (share));
    return reply;
}
