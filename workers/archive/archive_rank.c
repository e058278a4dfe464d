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
//  Entries added at a time when the table grows (32 bytes each).
#define S_GROWTH        65536
//  Interned strings' hash slots at first (doubled when half full).
#define S_SLOTS         1024
//  A filter's value that no item has: nothing passes.
#define S_ABSENT        UINT32_MAX

//  The filterable columns, in archive_rank_columns_t's order.
typedef enum {
    S_KIND, S_LANGUAGE, S_MEETING, S_CONVENTION, S_DATE, S_DISTRIBUTION, S_COLUMNS
} s_column_t;

typedef struct {
    int32_t tokens;                 //  title and body, in tokens
    int8_t  level;                  //  -1: not known
    uint32_t column [S_COLUMNS];    //  interned strings; 0: NULL
} s_entry_t;

struct _archive_rank_t {
    s_entry_t *entries;             //  by rowid
    int64_t size;                   //  entries allocated
    int64_t last;                   //  highest rowid put
    char **strings;                 //  interned, by id (0 unused)
    uint32_t strings_used;          //  ids given + 1
    uint32_t strings_size;          //  allocated
    uint32_t *slots;                //  hash of the strings: id, 0 empty
    uint32_t slots_size;            //  a power of two
};

//  archive_filter's arguments after item_fts, in order, and the column
//  each string one is compared with (level, from and to apart).
typedef enum {
    S_ARG_LEVEL, S_ARG_CONVENTION, S_ARG_MEETING, S_ARG_LANGUAGE, S_ARG_KIND,
    S_ARG_FROM, S_ARG_TO, S_ARG_DISTRIBUTION, S_ARGS
} s_arg_t;

static const struct {
    s_arg_t arg;
    s_column_t column;
} s_equal_args [] = {
    { S_ARG_CONVENTION,   S_CONVENTION },
    { S_ARG_MEETING,      S_MEETING },
    { S_ARG_LANGUAGE,     S_LANGUAGE },
    { S_ARG_KIND,         S_KIND },
    { S_ARG_DISTRIBUTION, S_DISTRIBUTION },
};
#define S_EQUAL_ARGS (sizeof s_equal_args / sizeof s_equal_args [0])

//  Per query: archive_filter's arguments, resolved once (xSetAuxdata).
typedef struct {
    int level;
    uint32_t equal [S_EQUAL_ARGS];  //  the wanted id; 0 no filter, S_ABSENT none
    char *from, *to;                //  NULL: no bound
} s_filter_t;

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
    archive_rank_t *self = *self_p;
    for (uint32_t i = 1; i < self->strings_used; i++)
        free (self->strings [i]);
    free (self->strings);
    free (self->slots);
    free (self->entries);
    free (self);
    *self_p = NULL;
}

//  FNV-1a: the hash slot of a string.
static uint32_t
s_hash (const char *string)
{
    uint32_t hash = 2166136261u;
    for (const unsigned char *c = (const unsigned char *) string; *c; c++)
        hash = (hash ^ *c) * 16777619u;
    return hash;
}

//  The id of STRING: 0 for NULL, S_ABSENT when not interned.  *SLOT_P, when
//  given, gets the slot where it is or would go.
static uint32_t
s_lookup (archive_rank_t *self, const char *string, uint32_t *slot_p)
{
    if (!string)
        return 0;
    if (!self->slots)
        return S_ABSENT;
    uint32_t mask = self->slots_size - 1, slot = s_hash (string) & mask;
    while (self->slots [slot] && strcmp (self->strings [self->slots [slot]], string))
        slot = (slot + 1) & mask;
    if (slot_p)
        *slot_p = slot;
    return self->slots [slot] ? self->slots [slot] : S_ABSENT;
}

//  Double the hash (or make the first).  0 or -1 out of memory.
static int
s_rehash (archive_rank_t *self)
{
    uint32_t size = self->slots_size ? self->slots_size * 2 : S_SLOTS;
    uint32_t *slots = calloc (size, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t id = 1; id < self->strings_used; id++) {
        uint32_t slot = s_hash (self->strings [id]) & (size - 1);
        while (slots [slot])
            slot = (slot + 1) & (size - 1);
        slots [slot] = id;
    }
    free (self->slots);
    self->slots = slots;
    self->slots_size = size;
    return 0;
}

//  The id of STRING, interned when new: 0 for NULL, S_ABSENT out of memory.
static uint32_t
s_intern (archive_rank_t *self, const char *string)
{
    uint32_t slot;
    uint32_t id = s_lookup (self, string, &slot);
    if (id != S_ABSENT)
        return id;
    if ((self->strings_used + 1) * 2 > self->slots_size) {
        if (s_rehash (self))
            return S_ABSENT;
        s_lookup (self, string, &slot);
    }
    if (self->strings_used + 1 >= self->strings_size) {
        uint32_t size = self->strings_size ? self->strings_size * 2 : S_SLOTS;
        char **strings = realloc (self->strings, size * sizeof *strings);
        if (!strings)
            return S_ABSENT;
        self->strings = strings;
        self->strings_size = size;
    }
    if (self->strings_used == 0)
        self->strings_used = 1;     //  id 0 is NULL
    id = self->strings_used;
    if (!(self->strings [id] = strdup (string)))
        return S_ABSENT;
    self->strings_used++;
    self->slots [slot] = id;
    return id;
}

int
archive_rank_put (archive_rank_t *self, int64_t id, const void *sizes, int bytes, int level,
                  const archive_rank_columns_t *columns)
{
    if (id <= 0)
        return -1;
    const char *strings [S_COLUMNS] = {
        [S_KIND] = columns->kind, [S_LANGUAGE] = columns->language,
        [S_MEETING] = columns->meeting, [S_CONVENTION] = columns->convention,
        [S_DATE] = columns->date, [S_DISTRIBUTION] = columns->distribution
    };
    uint32_t interned [S_COLUMNS];
    for (int i = 0; i < S_COLUMNS; i++)
        if ((interned [i] = s_intern (self, strings [i])) == S_ABSENT)
            return -1;
    if (id >= self->size) {
        int64_t size = id + S_GROWTH;
        s_entry_t *entries = realloc (self->entries, (size_t) size * sizeof *entries);
        if (!entries)
            return -1;
        for (int64_t i = self->size; i < size; i++)
            entries [i] = (s_entry_t) { 0, -1, { 0 } };
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
    s_entry_t *entry = &self->entries [id];
    *entry = (s_entry_t) { (int32_t) tokens, (int8_t) level, { 0 } };
    memcpy (entry->column, interned, sizeof interned);
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
        self->entries [i] = (s_entry_t) { 0, -1, { 0 } };
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

//  Free a per-query filter (xSetAuxdata's destructor).
static void
s_filter_free (void *data)
{
    s_filter_t *filter = data;
    free (filter->from);
    free (filter->to);
    sqlite3_free (filter);
}

//  archive_filter's arguments as ids, resolved on the first match.  NULL
//  on failure (*RC).
static s_filter_t *
s_filter (const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value **argv, int *rc)
{
    s_filter_t *filter = api->xGetAuxdata (fts, 0);
    if (filter)
        return filter;
    archive_rank_t *self = api->xUserData (fts);
    if (!(filter = sqlite3_malloc64 (sizeof *filter))) {
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    filter->level = sqlite3_value_int (argv [S_ARG_LEVEL]);
    for (size_t i = 0; i < S_EQUAL_ARGS; i++)
        filter->equal [i] = s_lookup (
            self, (const char *) sqlite3_value_text (argv [s_equal_args [i].arg]), NULL);
    const char *from = (const char *) sqlite3_value_text (argv [S_ARG_FROM]);
    const char *to = (const char *) sqlite3_value_text (argv [S_ARG_TO]);
    filter->from = from ? strdup (from) : NULL;
    filter->to = to ? strdup (to) : NULL;
    if ((from && !filter->from) || (to && !filter->to)) {
        s_filter_free (filter);
        *rc = SQLITE_NOMEM;
        return NULL;
    }
    *rc = api->xSetAuxdata (fts, filter, s_filter_free);
    return *rc == SQLITE_OK ? filter : NULL;
}

//  archive_filter (item_fts, level, convention, meeting, language, kind,
//  from, to, distribution): 1 when the current match passes, as the same
//  tests on its row of item would (a NULL column passes no filter on it).
static void
s_filter_match (const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context,
                int argc, sqlite3_value **argv)
{
    if (argc != S_ARGS) {
        sqlite3_result_error (context, "archive_filter: wrong number of arguments", -1);
        return;
    }
    int rc = SQLITE_OK;
    s_filter_t *filter = s_filter (api, fts, argv, &rc);
    if (!filter) {
        sqlite3_result_error_code (context, rc);
        return;
    }
    const s_entry_t *entry = s_entry (api, fts);
    if (!entry) {
        sqlite3_result_error (context, "archive: an indexed item missing from the rank table",
                              -1);
        return;
    }
    int pass = entry->level <= filter->level;
    for (size_t i = 0; pass && i < S_EQUAL_ARGS; i++)
        if (filter->equal [i])
            pass = entry->column [s_equal_args [i].column] == filter->equal [i];
    if (pass && (filter->from || filter->to)) {
        archive_rank_t *self = api->xUserData (fts);
        uint32_t date = entry->column [S_DATE];
        pass = date
            && (!filter->from || strcmp (self->strings [date], filter->from) >= 0)
            && (!filter->to || strcmp (self->strings [date], filter->to) <= 0);
    }
    sqlite3_result_int (context, pass);
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
        && api->xCreateFunction (api, "archive_filter", self, s_filter_match, NULL)
           == SQLITE_OK
           ? 0 : -1;
}
