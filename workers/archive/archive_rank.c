/*  archive_rank — the archive's search in one pass over the matches.  See
    archive_rank.h.

    The scores are what FTS5's bm25 (item_fts, 0.0, 4.0, 1.0) computes, step for
    step (SQLite's fts5_aux.c, public domain): per query, each phrase's IDF
    from the number of items it occurs in and the average length; per
    match, the weighted hits of each phrase in the title (4.0) and the body
    (1.0) and the item's length, here from memory instead of a docsize
    statement.  Scores are thus those of bm25 to the last bit, and
    tests/test_archive.c holds them to FTS5's own.  A search by symbol's
    listing is archive_rank_symbols.c's, the phrase counts kept between
    searches archive_rank_counts.c's. */
#include "archive_rank_internal.h"
#include "archive_tokenizer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

//  The columns the equality filters test, in archive_rank_filter_t's order.
static const s_column_t s_equal_columns [S_EQUALS] = {
    S_CONVENTION, S_MEETING, S_LANGUAGE, S_KIND, S_DISTRIBUTION
};

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
    archive_rank_forget_counts (self);
    free (self->counts);
    for (int i = 0; i < self->walk_count; i++) {
        free (self->walks [i]->matches);
        free (self->walks [i]->freqs);
        free (self->walks [i]->hits);
        free (self->walks [i]->listed);
        free (self->walks [i]);
    }
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
        [S_DATE] = columns->date, [S_DISTRIBUTION] = columns->distribution,
        [S_SYMBOL] = columns->symbol
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


//  --------------------------------------------------------------------------
//  Collecting a search's matches

void
archive_rank_collect (archive_rank_walk_t *collect, const archive_rank_filter_t *filter,
                      size_t keep)
{
    archive_rank_t *self = collect->rank;
    const char *equals [S_EQUALS] = {
        filter->convention, filter->meeting, filter->language, filter->kind,
        filter->distribution
    };
    collect->level = filter->max_level;
    for (int i = 0; i < S_EQUALS; i++)
        collect->equal [i] = s_lookup (self, equals [i], NULL);
    collect->from = filter->from;
    collect->to = filter->to;
    collect->glob = filter->symbol_glob;
    collect->exclude = filter->exclude;
    collect->excluded = filter->exclude ? filter->excluded : 0;
    collect->groups = filter->groups;
    collect->phrases = filter->phrases;
    collect->groups_count = 0;
    for (int i = 0; filter->groups && i < filter->phrases; i++)
        if (filter->groups [i] >= collect->groups_count)
            collect->groups_count = filter->groups [i] + 1;
    collect->keep = keep;
    collect->started = 0;
    collect->failed = 0;
    collect->walked = 0;
    collect->used = 0;
    memset (collect->known, 0, sizeof collect->known);
    memset (collect->holding, 0, sizeof collect->holding);
    collect->preset = filter->holding != NULL;
    for (int i = 0; filter->holding && i < filter->phrases && i < ARCHIVE_RANK_PHRASES_MAX; i++) {
        collect->holding [i] = filter->holding [i];
        collect->known [i] = 1;
    }
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

//  bm25's IDF of a phrase in HITS of ROWS items, with its floor: a phrase
//  in more than half the items still counts a little.
static double
s_idf (double rows, int64_t hits)
{
    double idf = log ((rows - (double) hits + 0.5) / ((double) hits + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
}

//  The per-query values, on the first match: the phrases and the average
//  length.  An SQLite error code.
static int
s_start (const Fts5ExtensionApi *api, Fts5Context *fts, s_walk_t *collect)
{
    int phrases = api->xPhraseCount (fts);
    if (phrases > ARCHIVE_RANK_PHRASES_MAX
    ||  ((collect->groups || collect->preset) && phrases != collect->phrases)) {
        collect->failed = -2;
        return SQLITE_ERROR;
    }
    collect->phrases = phrases;
    sqlite3_int64 rows = 0, tokens = 0;
    int rc = api->xRowCount (fts, &rows);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize (fts, -1, &tokens);
    collect->rows = (double) rows;
    collect->avgdl = rows ? (double) tokens / (double) rows : 1.0;
    collect->started = rc == SQLITE_OK;
    return rc;
}

//  1 when GLOB matches one of SYMBOLS (ARCHIVE_RANK_SYMBOLS_SEP between
//  them, each after the digit of its level) that LEVEL may see, as GLOB on
//  each symbol's row would; 0 when none does (or out of memory for one
//  longer than a symbol can be).
static int
s_glob_any (const char *glob, const char *symbols, int level)
{
    char piece [128];
    for (const char *at = symbols, *sep; at; at = sep ? sep + 1 : NULL) {
        sep = strstr (at, ARCHIVE_RANK_SYMBOLS_SEP);
        size_t length = sep ? (size_t) (sep - at) : strlen (at);
        if (length < 2 || at [0] - '0' > level)
            continue;
        at++;
        length--;
        char *copy = length < sizeof piece ? piece : malloc (length + 1);
        if (!copy)
            return 0;
        memcpy (copy, at, length);
        copy [length] = 0;
        int match = sqlite3_strglob (glob, copy) == 0;
        if (copy != piece)
            free (copy);
        if (match)
            return 1;
    }
    return 0;
}

//  qsort and bsearch's comparison of ids.
static int
s_compare_ids (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

int
archive_rank_passes (const s_walk_t *collect, const s_entry_t *entry, int64_t id)
{
    const archive_rank_t *self = collect->rank;
    if (entry->level > collect->level)
        return 0;
    if (collect->excluded
    &&  bsearch (&id, collect->exclude, collect->excluded, sizeof id, s_compare_ids))
        return 0;
    for (int i = 0; i < S_EQUALS; i++)
        if (collect->equal [i] && entry->column [s_equal_columns [i]] != collect->equal [i])
            return 0;
    if (collect->from || collect->to) {
        uint32_t date = entry->column [S_DATE];
        if (!date
        ||  (collect->from && strcmp (self->strings [date], collect->from) < 0)
        ||  (collect->to && strcmp (self->strings [date], collect->to) > 0))
            return 0;
    }
    if (collect->glob) {
        uint32_t symbol = entry->column [S_SYMBOL];
        if (!symbol || !s_glob_any (collect->glob, self->strings [symbol], collect->level))
            return 0;
    }
    return 1;
}

//  Room for one more match of the query's phrases.  0, or -1 out of memory.
static int
s_room (s_walk_t *collect)
{
    size_t phrases = (size_t) collect->phrases;
    if (collect->used < collect->size && (collect->used + 1) * phrases <= collect->freqs_size)
        return 0;
    size_t size = collect->used < collect->size ? collect->size
                : collect->size ? collect->size * 2 : 1024;
    s_match_t *matches = realloc (collect->matches, size * sizeof *matches);
    if (!matches)
        return -1;
    collect->matches = matches;
    collect->size = size;
    double *freqs = realloc (collect->freqs, size * phrases * sizeof *freqs);
    if (!freqs)
        return -1;
    collect->freqs = freqs;
    collect->freqs_size = size * phrases;
    return 0;
}

//  archive_collect (item_fts): test the current match against the
//  collection's filters and keep its weighted hits when it passes.  Always
//  0, so that the statement that calls it returns no row.
static void
s_collect_match (const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *context,
                 int argc, sqlite3_value **argv)
{
    (void) argc;
    (void) argv;
    s_walk_t *collect = api->xUserData (fts);
    archive_rank_t *self = collect->rank;
    int rc = collect->started ? SQLITE_OK : s_start (api, fts, collect);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code (context, rc);
        return;
    }
    collect->walked++;
    int64_t id = api->xRowid (fts);
    if (id <= 0 || id >= self->size || self->entries [id].level < 0) {
        sqlite3_result_error (context, "archive: an indexed item missing from the rank table",
                              -1);
        return;
    }
    const s_entry_t *entry = &self->entries [id];
    sqlite3_result_int (context, 0);
    //  In a union walk, one look at each phrase: whether the item holds it
    //  (counted), its weighted hits, and whether it holds a phrase of every
    //  group (is a match)
    double own [ARCHIVE_RANK_PHRASES_MAX];
    if (collect->groups) {
        uint64_t groups = 0;
        for (int i = 0; i < collect->phrases; i++) {
            Fts5PhraseIter iter;
            int column = -1, offset;
            own [i] = 0.0;
            rc = api->xPhraseFirst (fts, i, &iter, &column, &offset);
            for (; rc == SQLITE_OK && column >= 0;
                 api->xPhraseNext (fts, &iter, &column, &offset))
                own [i] += column == S_TITLE_COLUMN ? S_TITLE_WEIGHT : S_BODY_WEIGHT;
            if (own [i] > 0.0) {
                collect->holding [i]++;
                groups |= 1ull << collect->groups [i];
            }
        }
        if (groups + 1 != 1ull << collect->groups_count)
            return;
    }
    if (!archive_rank_passes (collect, entry, id))
        return;
    if (s_room (collect)) {
        collect->failed = -1;
        sqlite3_result_error_nomem (context);
        return;
    }
    double *freq = collect->freqs + collect->used * (size_t) collect->phrases;
    memset (freq, 0, (size_t) collect->phrases * sizeof *freq);
    if (collect->groups)
        memcpy (freq, own, (size_t) collect->phrases * sizeof *freq);
    else
    if (collect->phrases == 1) {
        //  Instances come in order of column (the title's first): of one
        //  phrase, only the title's need a look, the rest are the body's (a
        //  common word has twenty in a text, and a look at each was half
        //  of its search)
        int instances = 0, title = 0, phrase, column = 0, offset;
        rc = api->xInstCount (fts, &instances);
        while (rc == SQLITE_OK && title < instances
           &&  (rc = api->xInst (fts, title, &phrase, &column, &offset)) == SQLITE_OK
           &&  column <= S_TITLE_COLUMN)
            title++;
        freq [0] = title * S_TITLE_WEIGHT + (instances - title) * S_BODY_WEIGHT;
    }
    else
    for (int i = 0; rc == SQLITE_OK && i < collect->phrases; i++) {
        //  each phrase's own instances: xInst's list would merge them first
        //  (a search walked as itself, not as a union)
        Fts5PhraseIter iter;
        int column, offset;
        rc = api->xPhraseFirst (fts, i, &iter, &column, &offset);
        for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext (fts, &iter, &column, &offset))
            freq [i] += column == S_TITLE_COLUMN ? S_TITLE_WEIGHT : S_BODY_WEIGHT;
    }
    //  A search of several phrases walked as itself: the items holding a
    //  phrase are counted on its own walk, once, when a match first has it
    //  (a phrase that no match has, as an excluded word, weighs nothing)
    for (int i = 0; rc == SQLITE_OK && !collect->groups && collect->phrases > 1
                    && i < collect->phrases; i++)
        if (freq [i] > 0.0 && !collect->known [i]) {
            rc = api->xQueryPhrase (fts, i, &collect->holding [i], s_count);
            collect->known [i] = 1;
        }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code (context, rc);
        return;
    }
    collect->matches [collect->used++] = (s_match_t) { id, entry->tokens };
}

//  1 when hit A ranks after hit B (ORDER BY bm25, id).
static int
s_after (const archive_rank_hit_t *a, const archive_rank_hit_t *b)
{
    return a->bm25 > b->bm25 || (a->bm25 == b->bm25 && a->id > b->id);
}

//  qsort's comparison of hits, best first.
static int
s_compare_hits (const void *a, const void *b)
{
    return s_after (a, b) ? 1 : s_after (b, a) ? -1 : 0;
}

//  Sift the hit at I of HEAP (COUNT, the worst on top) down to its place.
static void
s_sift_down (archive_rank_hit_t *heap, size_t count, size_t i)
{
    while (2 * i + 1 < count) {
        size_t child = 2 * i + 1;
        if (child + 1 < count && s_after (&heap [child + 1], &heap [child]))
            child++;
        if (!s_after (&heap [child], &heap [i]))
            break;
        archive_rank_hit_t swap = heap [i];
        heap [i] = heap [child];
        heap [child] = swap;
        i = child;
    }
}

int64_t
archive_rank_collected (archive_rank_walk_t *collect, int64_t *total,
                        const archive_rank_hit_t **hits)
{
    *total = (int64_t) collect->used;
    *hits = collect->hits;
    if (collect->failed)
        return collect->failed;
    if (collect->used == 0 || collect->keep == 0)
        return 0;
    //  of one phrase walked as itself, its items are the matches
    if (collect->phrases == 1 && !collect->groups) {
        collect->holding [0] = collect->walked;
        collect->known [0] = 1;
    }
    for (int i = 0; collect->groups && i < collect->phrases; i++)
        collect->known [i] = 1;
    for (int i = 0; i < collect->phrases; i++)
        collect->idf [i] = s_idf (collect->rows, collect->holding [i]);
    size_t keep = collect->keep < collect->used ? collect->keep : collect->used;
    if (keep > collect->hits_size) {
        archive_rank_hit_t *more = realloc (collect->hits, keep * sizeof *more);
        if (!more)
            return -1;
        collect->hits = more;
        collect->hits_size = keep;
    }
    archive_rank_hit_t *heap = collect->hits;
    size_t count = 0;
    for (size_t m = 0; m < collect->used; m++) {
        const double *freq = collect->freqs + m * (size_t) collect->phrases;
        double length = (double) collect->matches [m].tokens, score = 0.0;
        for (int i = 0; i < collect->phrases; i++)
            //  idf * (a / b), not (idf * a) / b: FTS5's order, to the last bit
            score += collect->idf [i] * ((freq [i] * (S_K1 + 1.0))
                   / (freq [i] + S_K1 * (1 - S_B + S_B * length / collect->avgdl)));
        archive_rank_hit_t hit = { collect->matches [m].id, -1.0 * score };
        if (count < keep) {
            //  filling: the worst goes on top once full
            heap [count++] = hit;
            if (count == keep)
                for (size_t i = keep / 2 + 1; i-- > 0;)
                    s_sift_down (heap, count, i);
        }
        else
        if (s_after (&heap [0], &hit)) {
            heap [0] = hit;
            s_sift_down (heap, count, 0);
        }
    }
    qsort (heap, count, sizeof *heap, s_compare_hits);
    *hits = heap;
    return (int64_t) count;
}

archive_rank_walk_t *
archive_rank_register (archive_rank_t *self, sqlite3 *db)
{
    fts5_api *api = self->walk_count < S_WALKS ? archive_tokenizer_fts5 (db) : NULL;
    s_walk_t *walk = api ? calloc (1, sizeof *walk) : NULL;
    if (!walk)
        return NULL;
    walk->rank = self;
    if (api->xCreateFunction (api, "archive_collect", walk, s_collect_match, NULL) != SQLITE_OK) {
        free (walk);
        return NULL;
    }
    self->walks [self->walk_count++] = walk;
    return walk;
}

int
archive_rank_merge (archive_rank_walk_t *walk, const archive_rank_walk_t *other)
{
    if (other->failed && !walk->failed)
        walk->failed = other->failed;
    if (!other->started || walk->failed)
        return walk->failed ? -1 : 0;
    if (!walk->started) {
        walk->phrases = other->phrases;
        walk->rows = other->rows;
        walk->avgdl = other->avgdl;
        walk->started = 1;
    }
    walk->walked += other->walked;
    for (int i = 0; i < walk->phrases && i < ARCHIVE_RANK_PHRASES_MAX; i++)
        if (walk->groups)
            walk->holding [i] += other->holding [i];     //  each counted its own range
        else
        if (!walk->known [i] && other->known [i]) {
            walk->holding [i] = other->holding [i];     //  counted over the whole index
            walk->known [i] = 1;
        }
    size_t phrases = (size_t) walk->phrases;
    for (size_t m = 0; m < other->used; m++) {
        if (s_room (walk)) {
            walk->failed = -1;
            return -1;
        }
        walk->matches [walk->used] = other->matches [m];
        memcpy (walk->freqs + walk->used * phrases, other->freqs + m * phrases,
                phrases * sizeof *walk->freqs);
        walk->used++;
    }
    return 0;
}

int
archive_rank_failed (const archive_rank_walk_t *walk)
{
    return walk->failed;
}

int
archive_rank_holding (archive_rank_walk_t *collect, int phrase, int64_t *items)
{
    if (phrase < 0 || phrase >= collect->phrases || phrase >= ARCHIVE_RANK_PHRASES_MAX
    ||  !collect->known [phrase] || collect->failed)
        return 0;
    *items = collect->holding [phrase];
    return 1;
}

