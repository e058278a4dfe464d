/*  archive_rank — the archive's ranking function, bm25 without a look-up
    per match.  See archive_rank.h.

    archive_rank computes what FTS5's bm25 (item_fts, 4.0, 1.0) computes,
    step for step (SQLite's fts5_aux.c, public domain): per query, each
    phrase's IDF from the number of items it occurs in and the average
    length; per match, the weighted hits of each phrase in the title (4.0)
    and the body (1.0) and the item's length, here from memory instead of
    a docsize statement.  Scores are thus those of bm25 to the last bit. */
#include "archive_rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

//  bm25's constants, as FTS5 has them, and the column weights of a search:
//  a word in the title counts four times one in the body.
#define S_K1            1.2
#define S_B             0.75
#define S_TITLE_WEIGHT  4.0
#define S_BODY_WEIGHT   1.0
//  Entries added at a time when the table grows (8 bytes each).
#define S_GROWTH        65536

typedef struct {
    int32_t tokens;                 //  title and body, in tokens
    int8_t  level;                  //  -1: not known
} s_entry_t;

struct _archive_rank_t {
    s_entry_t *entries;             //  by rowid
    int64_t size;                   //  entries allocated
    int64_t last;                   //  highest rowid put
};

//  Per query: what bm25 computes once (kept with xSetAuxdata).
typedef struct {
    int phrases;
    double avgdl;
    double *idf;                    //  per phrase
    double *freq;                   //  per phrase, for the current match
} s_query_t;

archive_rank_t *
archive_rank_new (void)
{
    return calloc (1, sizeof (archive_rank_t));
}

void
archive_rank_destroy (archive_rank_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->entries);
    free (*self_p);
    *self_p = NULL;
}

int
archive_rank_put (archive_rank_t *self, int64_t id, const void *sizes, int bytes, int level)
{
    if (id <= 0)
        return -1;
    if (id >= self->size) {
        int64_t size = id + S_GROWTH;
        s_entry_t *entries = realloc (self->entries, (size_t) size * sizeof *entries);
        if (!entries)
            return -1;
        for (int64_t i = self->size; i < size; i++)
            entries [i] = (s_entry_t) { 0, -1 };
        self->entries = entries;
        self->size = size;
    }
    //  The docsize record: a varint (SQLite's, big-endian groups of 7 bits)
    //  per column
    const unsigned char *byte = sizes;
    int64_t tokens = 0, value = 0;
    for (int i = 0; i < bytes; i++) {
        value = (value << 7) | (byte [i] & 0x7F);
        if (!(byte [i] & 0x80)) {
            tokens += value;
            value = 0;
        }
    }
    self->entries [id] = (s_entry_t) { (int32_t) tokens, (int8_t) level };
    if (id > self->last)
        self->last = id;
    return 0;
}

int64_t
archive_rank_last (archive_rank_t *self)
{
    return self->last;
}

void
archive_rank_forget (archive_rank_t *self, int64_t last)
{
    if (last < 0)
        last = 0;
    for (int64_t i = last + 1; i < self->size; i++)
        self->entries [i] = (s_entry_t) { 0, -1 };
    if (self->last > last)
        self->last = last;
}

//  The entry of the current match, NULL when it is not known.
static const s_entry_t *
s_entry (const Fts5ExtensionApi *api, Fts5Context *fts)
{
    archive_rank_t *self = api->xUserData (fts);
    int64_t id = api->xRowid (fts);
    if (id <= 0 || id >= self->size || self->entries [id].level < 0)
        return NULL;
    return &self->entries [id];
}

//  xQueryPhrase callback: one more item holds the phrase.
static int
s_count (const Fts5ExtensionApi *api, Fts5Context *fts, void *count)
{
    (void) api;
    (void) fts;
    (*(int64_t *) count)++;
    return SQLITE_OK;
}

//  The per-query values, computed on the first match.  NULL on failure (*RC).
static s_query_t *
s_query (const Fts5ExtensionApi *api, Fts5Context *fts, int *rc)
{
    s_query_t *query = api->xGetAuxdata (fts, 0);
    if (query)
        return query;
    int phrases = api->xPhraseCount (fts);
    query = sqlite3_malloc64 (sizeof *query + (size_t) phrases * 2 * sizeof (double));
    if (!query) {
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    query->phrases = phrases;
    query->idf = (double *) (query + 1);
    query->freq = query->idf + phrases;
    sqlite3_int64 rows = 0, tokens = 0;
    *rc = api->xRowCount (fts, &rows);
    if (*rc == SQLITE_OK)
        *rc = api->xColumnTotalSize (fts, -1, &tokens);
    query->avgdl = rows ? (double) tokens / (double) rows : 1.0;
    for (int i = 0; *rc == SQLITE_OK && i < phrases; i++) {
        int64_t hits = 0;
        *rc = api->xQueryPhrase (fts, i, &hits, s_count);
        //  bm25's floor: a phrase in more than half the items still counts
        double idf = log (((double) rows - (double) hits + 0.5) / ((double) hits + 0.5));
        query->idf [i] = idf <= 0.0 ? 1e-6 : idf;
    }
    if (*rc == SQLITE_OK)
        *rc = api->xSetAuxdata (fts, query, sqlite3_free);
    else
        sqlite3_free (query);
    return *rc == SQLITE_OK ? query : NULL;
}

//  archive_rank (item_fts): bm25 (item_fts, 4.0, 1.0) of the current match.
static void
s_rank (const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context,
        int argc, sqlite3_value **argv)
{
    (void) argc;
    (void) argv;
    int rc = SQLITE_OK;
    s_query_t *query = s_query (api, fts, &rc);
    int instances = 0;
    if (query) {
        memset (query->freq, 0, (size_t) query->phrases * sizeof (double));
        rc = api->xInstCount (fts, &instances);
    }
    for (int i = 0; rc == SQLITE_OK && i < instances; i++) {
        int phrase, column, offset;
        rc = api->xInst (fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK)
            query->freq [phrase] += column == 0 ? S_TITLE_WEIGHT : S_BODY_WEIGHT;
    }
    double length = 0.0;
    if (rc == SQLITE_OK) {
        const s_entry_t *entry = s_entry (api, fts);
        int tokens = 0;
        if (entry)
            tokens = entry->tokens;
        else
            rc = api->xColumnSize (fts, -1, &tokens);
        length = (double) tokens;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code (context, rc);
        return;
    }
    double score = 0.0;
    for (int i = 0; i < query->phrases; i++)
        score += query->idf [i] * (query->freq [i] * (S_K1 + 1.0))
               / (query->freq [i] + S_K1 * (1 - S_B + S_B * length / query->avgdl));
    sqlite3_result_double (context, -1.0 * score);
}

//  archive_level (item_fts): the level of the current match.
static void
s_level (const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context,
         int argc, sqlite3_value **argv)
{
    (void) argc;
    (void) argv;
    const s_entry_t *entry = s_entry (api, fts);
    if (entry)
        sqlite3_result_int (context, entry->level);
    else
        sqlite3_result_error (context, "archive: an indexed item missing from the rank table",
                              -1);
}

int
archive_rank_register (archive_rank_t *self, sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
    sqlite3_step (stmt);
    sqlite3_finalize (stmt);
    if (!api)
        return -1;
    return api->xCreateFunction (api, "archive_rank", self, s_rank, NULL) == SQLITE_OK
        && api->xCreateFunction (api, "archive_level", self, s_level, NULL) == SQLITE_OK
           ? 0 : -1;
}
