/*  archive_store_read — what the archive store reads for queries: the
    listing of a search without words, a search's hits' columns, what
    document.show shows (a document's versions and text, its family, what
    cites it) and the rows of the facets plenary check compares.  Part of
    the store class (archive_store_internal.h); its writes are in
    archive_store.c, a search with words in archive_find.c. */
#include "archive_store_internal.h"
#include "archive_find.h"
#include "pl_log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Bytes of a snippet at most: the schema's search_hit.snippet allows 4096.
#define ARCHIVE_SNIPPET_MAX     4000

//  Result columns that are booleans in the schema (stored as 0/1).
static const char *s_bool_columns [] = { "current", "withdrawn", NULL };

//  The archive's side of the facets plenary check compares (lib/pl_facet.h):
//  the key, then the facet's fields as stored, ordered by key; ?1 is the key
//  asked for, or NULL for every key.  A statement is the item s<seq>.  A
//  document counts under the meeting and agenda item of its latest release
//  (any language) that named both and a meeting the archive knows: a release
//  that names neither does not move it, as in the calendar.
static const struct {
    const char *facet;
    const char *sql;
} s_facet_sql [] = {
    { "meetings",
      "SELECT '', id, convention FROM meeting WHERE coalesce (?1, '') = '' ORDER BY id" },
    { "statements",
      "SELECT meeting, key, delegation, language, agenda_item FROM item"
      " WHERE kind = 'statement' AND (?1 IS NULL OR meeting = ?1) ORDER BY meeting" },
    { "documents",
      "SELECT i.meeting, i.symbol, i.agenda_item FROM item i"
      " WHERE i.kind = 'document' AND (?1 IS NULL OR i.meeting = ?1)"
      " AND i.seq = (SELECT max (j.seq) FROM item j INDEXED BY item_by_symbol"
      "  WHERE j.symbol = i.symbol AND j.kind = 'document' AND j.agenda_item IS NOT NULL"
      "  AND j.meeting IN (SELECT id FROM meeting))"
      " ORDER BY i.meeting" },
};
#define S_FACETS (sizeof s_facet_sql / sizeof s_facet_sql [0])

//  The filters of a listing (a search without words; a search with words
//  filters its matches in memory, archive_rank.h, exactly as these would).
//  A symbol pattern matches a symbol only where the role may see it: a
//  document's at its level, a statement's document at its family's, an
//  outcome by the documents it cites at theirs (its own symbol column, the
//  first it cites, is not one to match).
#define S_FILTERS \
    " i.current = 1 AND i.level <= ?2" \
    " AND (?3 IS NULL OR i.convention = ?3) AND (?4 IS NULL OR i.meeting = ?4)" \
    " AND (?5 IS NULL OR (i.kind <> 'outcome' AND upper (i.symbol) GLOB ?5" \
    "  AND " ARCHIVE_STORE_FAMILY_LEVEL ("i.family") " <= ?2) OR (i.kind = 'outcome' AND EXISTS" \
    "  (SELECT 1 FROM outcome_document o WHERE o.outcome = i.id AND upper (o.symbol) GLOB ?5" \
    "   AND " ARCHIVE_STORE_FAMILY_LEVEL ("o.base") " <= ?2)))" \
    " AND (?6 IS NULL OR i.language = ?6)" \
    " AND (?7 IS NULL OR i.kind = ?7) AND (?8 IS NULL OR i.date >= ?8)" \
    " AND (?9 IS NULL OR i.date <= ?9) AND (?10 IS NULL OR i.distribution = ?10)"


//  The page first, then its hits' columns: these are read for the page's
//  items only, not for every item listed
static const char s_list_sql [] =
    "SELECT " ARCHIVE_STORE_HIT_COLUMNS ", NULL AS snippet, NULL AS bm25, p.total"
    " FROM (SELECT i.id, count (*) OVER () AS total FROM item i"
    "  WHERE ?1 IS NULL AND" S_FILTERS
    "  ORDER BY i.date DESC, i.id DESC LIMIT ?11 OFFSET ?12) p"
    " CROSS JOIN item i ON i.id = p.id ORDER BY i.date DESC, i.id DESC";
static const char s_list_count_sql [] =
    "SELECT count(*) FROM item i WHERE ?1 IS NULL AND" S_FILTERS;

//  A revision's changes of metadata (document_change: one row per event, a
//  JSON object of field: [before, after]), as an array of one object per
//  field changed, oldest first
#define S_CHANGES \
    "(SELECT json_group_array (json_object ('seq', c.seq, 'at', c.at, 'field', e.key," \
    "  'before', json_extract (e.value, '$[0]'), 'after', json_extract (e.value, '$[1]')))" \
    "  FROM (SELECT * FROM document_change WHERE item = i.id ORDER BY seq) c," \
    "  json_each (c.changes) e) AS changes"

//  The columns of a version, numbered among the revisions the role sees
//  (?3: the secretariat sees withdrawn ones): below the secretariat, those
//  that stand are 1, 2... as if the withdrawn had never been
#define S_VERSION_COLUMNS \
    "d.language, row_number () OVER (PARTITION BY d.symbol, d.language" \
    "  ORDER BY i.revision) AS revision," \
    " i.current, i.title, i.meeting, i.agenda_item, i.distribution," \
    " CASE WHEN ?3 THEN d.released_as END AS released_as," \
    " CASE WHEN d.withdrawn_seq IS NOT NULL THEN 1 END AS withdrawn," \
    " d.withdrawn_at, d.withdrawn_by, d.withdrawn_reason," \
    " d.status, d.dated, d.released, d.original_language," \
    " d.job_number, d.sha256, d.file_sha256, d.bytes, i.seq, " S_CHANGES

static const char s_versions_sql [] =
    "SELECT " S_VERSION_COLUMNS
    " FROM document d JOIN item i ON i.id = d.item"
    " WHERE d.symbol = ?1 AND i.level <= ?2 AND (?3 OR d.withdrawn_seq IS NULL)"
    " ORDER BY instr ('ar zh en fr ru es', d.language), i.revision";

//  Every version of every symbol of family ?1: the base first, then its
//  Rev., Corr., Add. by symbol, each by language and revision
static const char s_family_sql [] =
    "SELECT d.symbol, " S_VERSION_COLUMNS
    " FROM document d INDEXED BY document_by_base JOIN item i ON i.id = d.item"
    " WHERE d.base = ?1 AND i.level <= ?2 AND (?3 OR d.withdrawn_seq IS NULL)"
    " ORDER BY d.symbol <> d.base, d.symbol, instr ('ar zh en fr ru es', d.language),"
    " i.revision";

static const char s_outcomes_of_sql [] =
    "SELECT DISTINCT i.key, i.date FROM outcome_document o JOIN item i ON i.id = o.outcome"
    " WHERE o.base = ?1 ORDER BY i.date, i.key";

//  What cites a document of family ?1: outcomes (by the first of its
//  symbols they cite) and statements, by date; the role sees the family
//  (document.show answers nothing else), so every symbol of it
static const char s_cited_by_sql [] =
    "SELECT kind, id, symbol, title, date, meeting, language, outcome_kind, delegation"
    " FROM (SELECT i.kind, i.key AS id, (SELECT o2.symbol FROM outcome_document o2"
    "   WHERE o2.outcome = i.id AND o2.base = ?1 ORDER BY o2.position LIMIT 1) AS symbol,"
    "  i.title, i.date, i.meeting, i.language, i.outcome_kind, i.delegation, i.id AS row"
    "  FROM item i WHERE i.id IN (SELECT outcome FROM outcome_document WHERE base = ?1)"
    " UNION ALL"
    " SELECT i.kind, i.key, i.symbol, i.title, i.date, i.meeting, i.language,"
    "  i.outcome_kind, i.delegation, i.id"
    "  FROM item i INDEXED BY item_by_family WHERE i.family = ?1 AND i.kind = 'statement')"
    " ORDER BY date, row";

//  Revision ?3 as the role numbers them (s_versions_sql), or with 0 the
//  current one (the newest that stands; for the secretariat, the newest)
static const char s_text_sql [] =
    "SELECT coalesce (body, '') FROM (SELECT i.body, i.revision, d.withdrawn_seq,"
    "  row_number () OVER (ORDER BY i.revision) AS shown"
    "  FROM document d JOIN item i ON i.id = d.item"
    "  WHERE d.symbol = ?1 AND d.language = ?2 AND i.level <= ?4"
    "  AND (?5 OR d.withdrawn_seq IS NULL))"
    " WHERE ?3 = 0 OR shown = ?3 ORDER BY withdrawn_seq IS NULL DESC, revision DESC LIMIT 1";

json_t *
archive_store_row_object (sqlite3_stmt *stmt)
{
    json_t *object = json_object ();
    int columns = sqlite3_column_count (stmt);
    for (int i = 0; object && i < columns; i++) {
        const char *name = sqlite3_column_name (stmt, i);
        json_t *value = NULL;
        int type = sqlite3_column_type (stmt, i);
        if (type == SQLITE_NULL)
            continue;
        if (strcmp (name, "bm25") == 0) {
            //  bm25 () is negative, better matches more so
            double bm25 = -sqlite3_column_double (stmt, i) * 1000.0;
            name = "score";
            value = json_integer (bm25 > 0 ? (json_int_t) (bm25 + 0.5) : 0);
        }
        else
        if (type == SQLITE_INTEGER) {
            int is_bool = 0;
            for (int b = 0; s_bool_columns [b]; b++)
                is_bool |= strcmp (s_bool_columns [b], name) == 0;
            value = is_bool ? json_boolean (sqlite3_column_int (stmt, i))
                            : json_integer (sqlite3_column_int64 (stmt, i));
        }
        else {
            const char *text = (const char *) sqlite3_column_text (stmt, i);
            size_t size = (size_t) sqlite3_column_bytes (stmt, i);
            if (strcmp (name, "snippet") == 0 && size > ARCHIVE_SNIPPET_MAX) {
                //  dot leaders or long non-words inside the window: cut at a
                //  character boundary, so that the reply stays in its schema
                size = ARCHIVE_SNIPPET_MAX - 3;
                while (size && ((unsigned char) text [size] & 0xC0) == 0x80)
                    size--;
                char cut [ARCHIVE_SNIPPET_MAX + 1];
                memcpy (cut, text, size);
                memcpy (cut + size, "…", 3);
                value = json_stringn (cut, size + 3);
            }
            else
            if (strcmp (name, "documents") == 0 || strcmp (name, "changes") == 0) {
                //  an outcome's documents, a revision's changes, JSON arrays:
                //  none, none said; nulls inside left out, as in any reply
                value = json_loadb (text, size, 0, NULL);
                if (json_array_size (value) == 0) {
                    json_decref (value);
                    continue;
                }
                size_t index;
                json_t *element;
                json_array_foreach (value, index, element) {
                    const char *key;
                    json_t *member;
                    void *next;
                    json_object_foreach_safe (element, next, key, member)
                        if (json_is_null (member))
                            json_object_del (element, key);
                }
            }
            else
                value = json_stringn (text, size);
        }
        if (!value || json_object_set_new (object, name, value)) {
            json_decref (object);
            object = NULL;
        }
    }
    return object;
}

void
archive_store_bind_view (sqlite3_stmt *stmt, int level, int all_revisions)
{
    sqlite3_bind_int (stmt, 20, level);
    sqlite3_bind_int (stmt, 21, all_revisions);
}

//  Bind a listing's parameters (?1..?12, ?20, ?21) to STMT.
static void
s_bind_search (sqlite3_stmt *stmt, const archive_search_t *search)
{
    archive_store_bind_view (stmt, search->max_level, search->all_revisions);
    archive_store_bind_text (stmt, 1, search->match);
    sqlite3_bind_int (stmt, 2, search->max_level);
    const char *filters [] = {
        search->convention, search->meeting, search->symbol_glob, search->language,
        search->kind, search->from, search->to, search->distribution
    };
    for (int i = 0; i < 8; i++)
        archive_store_bind_text (stmt, 3 + i, filters [i]);
    sqlite3_bind_int (stmt, 11, search->page_size);
    sqlite3_bind_int64 (stmt, 12, (sqlite3_int64) (search->page - 1) * search->page_size);
}

int
archive_store_append_hit (json_t *items, sqlite3_stmt *stmt, json_int_t rank)
{
    json_t *hit = archive_store_row_object (stmt);
    if (hit) {
        json_object_del (hit, "total");
        json_object_set_new (hit, "rank", json_integer (rank));
    }
    return hit && json_array_append_new (items, hit) == 0 ? 0 : -1;
}

//  A search without words: the items that pass the filters, newest first,
//  into ITEMS; their number into *TOTAL.  0, or -1 (*STATUS, ERR).
static int
s_list (archive_store_t *self, const archive_search_t *search, json_t *items,
        json_int_t *total, int *status, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = archive_store_stmt (self, s_list_sql);
    if (!stmt)
        goto failed;
    s_bind_search (stmt, search);
    json_int_t rank = (json_int_t) (search->page - 1) * search->page_size;
    *total = -1;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        *total = sqlite3_column_int64 (stmt, sqlite3_column_count (stmt) - 1);
        if (archive_store_append_hit (items, stmt, ++rank)) {
            archive_store_done (self, stmt, SQLITE_DONE);
            goto nomem;
        }
    }
    if (archive_store_done (self, stmt, rc) != SQLITE_DONE)
        goto failed;
    if (*total < 0 && search->page > 1) {
        //  a page past the end: count apart
        if (!(stmt = archive_store_stmt (self, s_list_count_sql)))
            goto failed;
        s_bind_search (stmt, search);
        rc = sqlite3_step (stmt);
        *total = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
        if (archive_store_done (self, stmt, rc) != SQLITE_ROW) {
            *status = 500;
            snprintf (err, errsize, "archive: storage failure counting");
            return -1;
        }
    }
    if (*total < 0)
        *total = 0;
    return 0;
nomem:
    *status = 500;
    snprintf (err, errsize, "archive: out of memory building a reply");
    return -1;
failed:
    *status = 500;
    snprintf (err, errsize, "archive: storage failure listing");
    return -1;
}

json_t *
archive_store_search (archive_store_t *self, const archive_search_t *search,
                      int *status, char *err, size_t errsize)
{
    json_t *items = json_array ();
    json_int_t total = 0;
    if (!items) {
        *status = 500;
        snprintf (err, errsize, "archive: out of memory building a reply");
        return NULL;
    }
    if (search->match ? archive_find_run (archive_store_find (self), search, items, &total,
                                          status, err, errsize)
                      : s_list (self, search, items, &total, status, err, errsize)) {
        json_decref (items);
        return NULL;
    }
    return json_pack ("{s:I, s:i, s:i, s:o}", "total", total, "page", search->page,
                      "page_size", search->page_size, "items", items);
}

//  Run STMT (bound) and collect its rows as a new array: objects, or its
//  first column's strings.  NULL on failure (logged; STMT NULL: not prepared).
static json_t *
s_rows (archive_store_t *self, sqlite3_stmt *stmt, int first_column_only)
{
    if (!stmt)
        return NULL;
    json_t *rows = json_array ();
    int rc = SQLITE_DONE;
    while (rows && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        json_t *row = first_column_only
                    ? json_string ((const char *) sqlite3_column_text (stmt, 0))
                    : archive_store_row_object (stmt);
        if (json_array_append_new (rows, row)) {
            json_decref (rows);
            rows = NULL;
        }
    }
    if (!rows) {
        pl_error ("archive: out of memory building a reply db=%s", archive_store_path (self));
        archive_store_done (self, stmt, SQLITE_DONE);
        return NULL;
    }
    if (archive_store_done (self, stmt, rc) != SQLITE_DONE) {
        json_decref (rows);
        return NULL;
    }
    return rows;
}

//  The rows of SQL for ?1 TEXT as VIEW sees them (?2 its level, ?3 the
//  secretariat), a new array into *ROWS_P.  0 or -1.
static int
s_rows_for (archive_store_t *self, const char *sql, const char *text,
            const archive_view_t *view, json_t **rows_p)
{
    sqlite3_stmt *stmt = archive_store_stmt (self, sql);
    if (stmt) {
        archive_store_bind_text (stmt, 1, text);
        sqlite3_bind_int (stmt, 2, view->level);
        sqlite3_bind_int (stmt, 3, view->withdrawn);
    }
    *rows_p = s_rows (self, stmt, 0);
    return *rows_p ? 0 : -1;
}

int
archive_store_versions (archive_store_t *self, const char *symbol, const archive_view_t *view,
                        json_t **versions_p)
{
    return s_rows_for (self, s_versions_sql, symbol, view, versions_p);
}

int
archive_store_family (archive_store_t *self, const char *base, const archive_view_t *view,
                      json_t **versions_p)
{
    return s_rows_for (self, s_family_sql, base, view, versions_p);
}

int
archive_store_cited_by (archive_store_t *self, const char *base, json_t **items_p)
{
    sqlite3_stmt *stmt = archive_store_stmt (self, s_cited_by_sql);
    if (stmt)
        archive_store_bind_text (stmt, 1, base);
    *items_p = s_rows (self, stmt, 0);
    return *items_p ? 0 : -1;
}

json_t *
archive_store_outcomes_of (archive_store_t *self, const char *base)
{
    sqlite3_stmt *stmt = archive_store_stmt (self, s_outcomes_of_sql);
    if (stmt)
        archive_store_bind_text (stmt, 1, base);
    return s_rows (self, stmt, 1);
}

int
archive_store_text (archive_store_t *self, const char *symbol, const char *language,
                    int revision, const archive_view_t *view, json_t **text_p)
{
    sqlite3_stmt *stmt = archive_store_stmt (self, s_text_sql);
    *text_p = NULL;
    if (!stmt)
        return -1;
    archive_store_bind_text (stmt, 1, symbol);
    archive_store_bind_text (stmt, 2, language);
    sqlite3_bind_int (stmt, 3, revision);
    sqlite3_bind_int (stmt, 4, view->level);
    sqlite3_bind_int (stmt, 5, view->withdrawn);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW
    &&  !(*text_p = json_stringn ((const char *) sqlite3_column_text (stmt, 0),
                                  (size_t) sqlite3_column_bytes (stmt, 0)))) {
        pl_error ("archive: out of memory reading a text db=%s", archive_store_path (self));
        rc = SQLITE_NOMEM;
    }
    rc = archive_store_done (self, stmt, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_facet_rows (archive_store_t *self, const pl_facet_t *facet, const char *key,
                          pl_facet_row_fn *row, void *arg)
{
    size_t i = 0;
    while (i < S_FACETS && strcmp (s_facet_sql [i].facet, facet->name) != 0)
        i++;
    if (i == S_FACETS) {
        //  pl_facet's table says the archive holds it: s_facet_sql must select it
        pl_error ("archive: the store has no rows for facet %s", facet->name);
        return -1;
    }
    sqlite3_stmt *stmt = archive_store_stmt (self, s_facet_sql [i].sql);
    if (!stmt)
        return -1;
    archive_store_bind_text (stmt, 1, key);
    int rc = pl_facet_step (stmt, facet, row, arg);
    //  a row that stopped the walk was logged by pl_facet
    if (rc != SQLITE_DONE && rc != SQLITE_ABORT)
        pl_error ("archive: facet %s failed db=%s cause=%s", facet->name,
                  archive_store_path (self), sqlite3_errmsg (sqlite3_db_handle (stmt)));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}
