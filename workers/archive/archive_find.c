/*  archive_find — a search with words, over the archive store's connection.
    See archive_find.h.

    The statements of a search with words live here; the rest of the
    worker's SQL is in archive_store.c. */
#include "archive_find.h"
#include "archive_reader.h"
#include "archive_snippet.h"
#include "archive_tokenizer.h"
#include "pl_log.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

//  Tokens around the best match in a snippet (a CJK character is one).
#define ARCHIVE_SNIPPET_TOKENS  40
//  Items from which a search's walk is split in two, on two threads (where
//  the machine has two processors): below it, a walk is a few ms anyway.
#define ARCHIVE_PARALLEL_MIN    20000
//  An expression for matching only: the worker's (4 KB at most) with a
//  marker of 3 bytes in each string.
#define S_MATCH_ONLY_MAX        8192

typedef enum {
    S_RANK_TAIL, S_COLLECT, S_HIT_TEXT, S_HIT, S_FAMILY, S_COUNT
} s_stmt_t;

static const char *s_sql [S_COUNT] = {
    //  The indexed items above the rank table's last (archive_rank.h); an
    //  outcome's symbols are all those it cites; each symbol after the
    //  level it is seen at (a document's own, a statement's or an
    //  outcome's document's family's)
    [S_RANK_TAIL] =
        "SELECT d.id, d.sz, i.level, i.kind, i.language, i.meeting, i.convention, i.date,"
        " i.distribution, CASE i.kind WHEN 'outcome' THEN (SELECT group_concat ("
        ARCHIVE_STORE_FAMILY_LEVEL ("o.base") " || upper (o.symbol), '"
        ARCHIVE_RANK_SYMBOLS_SEP "') FROM outcome_document o WHERE o.outcome = i.id)"
        " WHEN 'statement' THEN " ARCHIVE_STORE_FAMILY_LEVEL ("i.family")
        " || upper (i.symbol) ELSE i.level || upper (i.symbol) END"
        " FROM item_fts_docsize d CROSS JOIN item i ON i.id = d.id WHERE d.id > ?1"
        " ORDER BY d.id",
    //  A search walks every match once, in archive_collect (archive_rank.h),
    //  with the expression for matching only (archive_tokenizer.h), the
    //  rowids below ?2 (the reader's thread walks the others); then each
    //  hit of the page is read, with the snippet archive_snippet made from
    //  its text: a page's ten, never every match.
    [S_COLLECT] =
        "SELECT 1 FROM item_fts WHERE item_fts MATCH ?1 AND item_fts.rowid < ?2"
        " AND archive_collect (item_fts)",
    [S_HIT_TEXT] = "SELECT title, body, language FROM item WHERE id = ?1",
    //  The current items of a family (?1, its base, which pl_symbol writes
    //  in upper case): documents and statements by their family, outcomes
    //  by the documents they cite; archive_rank_symbols then filters them
    //  as any search's matches
    [S_FAMILY] =
        "SELECT id FROM item INDEXED BY item_by_family WHERE family = ?1 AND current = 1"
        " UNION SELECT outcome FROM outcome_document WHERE base = ?1",
    [S_HIT] =
        "SELECT " ARCHIVE_STORE_HIT_COLUMNS ", ?3 AS snippet, ?2 AS bm25, ?4 AS relevance"
        " FROM item i WHERE i.id = ?1",
};

struct _archive_find_t {
    sqlite3 *db;                    //  the store's
    const char *path;               //  the store's
    sqlite3_stmt *stmt [S_COUNT];
    archive_rank_t *rank;           //  the store's
    archive_rank_walk_t *walk;      //  this connection's walk of a search
    archive_reader_t *reader;       //  the second walker, made when first needed
    archive_snippet_t *snippets;    //  the snippet maker, made when first needed
    int64_t parallel_min;           //  items from which a walk is split (-1 never)
};

archive_find_t *
archive_find_new (sqlite3 *db, const char *path, archive_rank_t *rank)
{
    archive_find_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->db = db;
    self->path = path;
    self->rank = rank;
    self->parallel_min = sysconf (_SC_NPROCESSORS_ONLN) >= 2 ? ARCHIVE_PARALLEL_MIN : -1;
    if (!(self->walk = archive_rank_register (rank, db))) {
        pl_error ("archive: this SQLite has no FTS5 db=%s", path);
        archive_find_destroy (&self);
        return NULL;
    }
    for (int i = 0; i < S_COUNT; i++)
        if (sqlite3_prepare_v3 (db, s_sql [i], -1, SQLITE_PREPARE_PERSISTENT, &self->stmt [i],
                                NULL) != SQLITE_OK) {
            pl_error ("archive: cannot prepare search statement %d db=%s cause=%s", i, path,
                      sqlite3_errmsg (db));
            archive_find_destroy (&self);
            return NULL;
        }
    return self;
}

void
archive_find_destroy (archive_find_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    archive_find_t *self = *self_p;
    archive_reader_destroy (&self->reader);
    archive_snippet_destroy (&self->snippets);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
    free (self);
    *self_p = NULL;
}

void
archive_find_parallel (archive_find_t *self, int64_t min_items)
{
    self->parallel_min = min_items;
}

//  Finish using statement WHICH after a step that returned RC; log unless
//  RC is one of the expected codes.  Returns RC.
static int
s_done (archive_find_t *self, s_stmt_t which, int rc)
{
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("archive: search statement %d failed db=%s cause=%s", (int) which,
                  self->path, sqlite3_errmsg (self->db));
    sqlite3_reset (self->stmt [which]);
    sqlite3_clear_bindings (self->stmt [which]);
    return rc;
}

//  Report a failed walk (CAUSE, SQLite's message): a bad FTS5 expression
//  is the caller's 400, anything else a storage failure (logged).
static void
s_search_failed (archive_find_t *self, const char *cause, int *status, char *err,
                 size_t errsize)
{
    if (strstr (cause, "fts5") || strstr (cause, "syntax")) {
        *status = 400;
        snprintf (err, errsize, "archive.search: q: the search words are not understood (%s)",
                  cause);
    }
    else {
        *status = 500;
        pl_error ("archive: search failed db=%s cause=%s", self->path, cause);
        snprintf (err, errsize, "archive: storage failure searching");
    }
}

//  Bring the rank table up to the index: put the items indexed since the
//  last search.  0 or -1 (logged).
static int
s_rank_update (archive_find_t *self)
{
    sqlite3_stmt *stmt = self->stmt [S_RANK_TAIL];
    sqlite3_bind_int64 (stmt, 1, archive_rank_last (self->rank));
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        archive_rank_columns_t columns = {
            .kind = (const char *) sqlite3_column_text (stmt, 3),
            .language = (const char *) sqlite3_column_text (stmt, 4),
            .meeting = (const char *) sqlite3_column_text (stmt, 5),
            .convention = (const char *) sqlite3_column_text (stmt, 6),
            .date = (const char *) sqlite3_column_text (stmt, 7),
            .distribution = (const char *) sqlite3_column_text (stmt, 8),
            .symbol = (const char *) sqlite3_column_text (stmt, 9)
        };
        if (archive_rank_put (self->rank, sqlite3_column_int64 (stmt, 0),
                              sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                              sqlite3_column_int (stmt, 2), &columns)) {
            pl_error ("archive: out of memory filling the rank table db=%s", self->path);
            archive_rank_forget (self->rank, 0);
            s_done (self, S_RANK_TAIL, SQLITE_DONE);
            return -1;
        }
    }
    return s_done (self, S_RANK_TAIL, rc) == SQLITE_DONE ? 0 : -1;
}

//  qsort's comparison of ids.
static int
s_compare_ids (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

//  Append hit ID of rank RANK to ITEMS with its snippet from SNIPPETS (NULL:
//  none), as VIEW (the search) sees it: when SCORED, with its BM25 as the
//  score and its relevance from BEST, the search's best; else (an item of
//  a search by symbol, listed before the ranked ones) relevance 100 and no
//  score.  0, -1 on a storage failure (logged), -2 out of memory.
static int
s_hit (archive_find_t *self, archive_snippet_t *snippets, const archive_search_t *view,
       int64_t id, int scored, double bm25, double best, json_t *items, json_int_t rank)
{
    sqlite3_stmt *stmt = self->stmt [S_HIT_TEXT];
    sqlite3_bind_int64 (stmt, 1, id);
    int rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            pl_error ("archive: item %lld is in the index but not in item db=%s",
                      (long long) id, self->path);
        s_done (self, S_HIT_TEXT, rc);
        return -1;
    }
    const char *texts [] = {
        (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1)
    };
    int failed = 0;
    char *snippet = snippets ? archive_snippet_make (snippets,
                                                     (const char *) sqlite3_column_text (stmt, 2),
                                                     texts, 2, "⟦", "⟧", "…",
                                                     ARCHIVE_SNIPPET_TOKENS, &failed) : NULL;
    s_done (self, S_HIT_TEXT, SQLITE_ROW);
    if (failed)
        return -2;
    stmt = self->stmt [S_HIT];
    archive_store_bind_view (stmt, view->max_level, view->all_revisions);
    sqlite3_bind_int64 (stmt, 1, id);
    if (scored)
        sqlite3_bind_double (stmt, 2, bm25);
    sqlite3_bind_int (stmt, 4, scored && best < 0.0 ? (int) (100.0 * bm25 / best + 0.5) : 100);
    if (snippet)
        sqlite3_bind_text (stmt, 3, snippet, -1, free);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW) {
        s_done (self, S_HIT, rc);
        return -1;
    }
    rc = archive_store_append_hit (items, stmt, rank) ? -2 : 0;
    s_done (self, S_HIT, SQLITE_ROW);
    return rc;
}

//  The second walker, made when first needed.  NULL when it cannot be
//  (logged once: searches then walk alone).
static archive_reader_t *
s_reader (archive_find_t *self)
{
    if (!self->reader && !(self->reader = archive_reader_new (self->path, self->rank)))
        self->parallel_min = -1;
    return self->reader;
}

//  Walk every match of EXPRESSION (for matching only) through
//  archive_collect under FILTER; an archive of parallel_min items or more
//  in two halves by rowid, the upper one by the reader's thread, merged
//  after.  0, -2 when its phrases were not those FILTER names, or -1
//  (*STATUS, ERR; a bad expression is the caller's 400).
static int
s_collect (archive_find_t *self, const char *expression, const archive_rank_filter_t *filter,
           size_t keep, int *status, char *err, size_t errsize)
{
    int64_t last = archive_rank_last (self->rank);
    int split = self->parallel_min >= 0 && last >= self->parallel_min && s_reader (self);
    int64_t middle = split ? last / 2 + 1 : INT64_MAX;
    archive_rank_collect (self->walk, filter, keep);
    if (split) {
        archive_rank_collect (archive_reader_walk (self->reader), filter, keep);
        archive_reader_start (self->reader, expression, middle);
    }
    sqlite3_stmt *stmt = self->stmt [S_COLLECT];
    sqlite3_bind_text (stmt, 1, expression, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, middle);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;                           //  archive_collect lets no row through
    char cause [256] = "", reader_cause [256] = "";
    if (rc != SQLITE_DONE)
        snprintf (cause, sizeof cause, "%s", sqlite3_errmsg (self->db));
    s_done (self, S_COLLECT, SQLITE_DONE);
    if (split) {
        //  always waited for: the job borrows EXPRESSION and FILTER's strings
        if (archive_reader_wait (self->reader, reader_cause, sizeof reader_cause)
        &&  rc == SQLITE_DONE) {
            rc = SQLITE_ERROR;
            snprintf (cause, sizeof cause, "%s", reader_cause);
        }
        archive_rank_merge (self->walk, archive_reader_walk (self->reader));
    }
    int failed = archive_rank_failed (self->walk);
    if (failed == -2 && (filter->groups || filter->holding))
        return -2;
    if (failed == -1) {
        *status = 500;
        snprintf (err, errsize, "archive: out of memory ranking");
        return -1;
    }
    if (rc == SQLITE_DONE)
        return 0;
    s_search_failed (self, cause, status, err, errsize);
    return -1;
}

//  The matches of SEARCH's words that pass FILTER (BASE: its filters and
//  exclusions), the best KEEP ranked into *HITS (the walk's), their number
//  into *BEST and the number of all into *MATCHES.  A search of several
//  words without exclusions walks the union of its words, which counts
//  the items that hold each word in the same pass.  0, or -1 (*STATUS,
//  ERR; a bad expression is the caller's 400).
static int
s_words (archive_find_t *self, const archive_search_t *search,
         const archive_rank_filter_t *base, size_t keep, const archive_rank_hit_t **hits,
         int64_t *best, int64_t *matches, int *status, char *err, size_t errsize)
{
    //  The search's phrases, and what is known of the items holding each
    char any [S_MATCH_ONLY_MAX], walk [S_MATCH_ONLY_MAX];
    archive_phrase_t phrases [ARCHIVE_RANK_PHRASES_MAX];
    unsigned char groups [ARCHIVE_RANK_PHRASES_MAX];
    int64_t holding [ARCHIVE_RANK_PHRASES_MAX];
    int count = archive_tokenizer_match_any (search->match, any, sizeof any, phrases,
                                             ARCHIVE_RANK_PHRASES_MAX);
    int known = count > 0;
    for (int i = 0; i < count; i++) {
        groups [i] = (unsigned char) phrases [i].group;
        known &= archive_rank_recall (self->rank, any + phrases [i].offset,
                                      phrases [i].length, &holding [i]);
    }
    if (archive_tokenizer_match_only (search->match, walk, sizeof walk)) {
        *status = 400;
        snprintf (err, errsize, "archive.search: q: too long");
        return -1;
    }
    //  Several phrases not all counted before: walk their union, which
    //  counts them; else the search itself
    int union_walk = count >= 2 && !known;
    archive_rank_filter_t filter = *base;
    filter.groups = union_walk ? groups : NULL;
    filter.phrases = count;
    filter.holding = known ? holding : NULL;
    int rc = s_collect (self, union_walk ? any : walk, &filter, keep, status, err, errsize);
    if (rc == -2) {
        //  FTS5 read the phrases otherwise than they were built: walk the
        //  search itself, counting as it goes
        pl_warn ("archive: the phrases of '%s' are not as built; searching it as is",
                 search->match);
        filter.groups = NULL;
        filter.holding = NULL;
        count = 0;
        rc = s_collect (self, walk, &filter, keep, status, err, errsize);
    }
    if (rc)
        return -1;
    *best = archive_rank_collected (self->walk, matches, hits);
    if (*best < 0) {
        *status = 500;
        snprintf (err, errsize, "archive: out of memory ranking");
        return -1;
    }
    for (int i = 0; i < count; i++) {
        int64_t holders;
        if (archive_rank_holding (self->walk, i, &holders))
            archive_rank_remember (self->rank, any + phrases [i].offset, phrases [i].length,
                                   holders);
    }
    return 0;
}

//  The rowids of the current items of family BASE (upper case) into a new
//  array *IDS (caller frees), their number into *COUNT.  0, or -1 (logged).
static int
s_family (archive_find_t *self, const char *base, int64_t **ids, size_t *count)
{
    sqlite3_stmt *stmt = self->stmt [S_FAMILY];
    sqlite3_bind_text (stmt, 1, base, -1, SQLITE_STATIC);
    size_t size = 16;
    *count = 0;
    *ids = malloc (size * sizeof **ids);
    int rc = *ids ? SQLITE_ROW : SQLITE_NOMEM;
    while (*ids && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        if (*count == size) {
            int64_t *more = realloc (*ids, 2 * size * sizeof *more);
            if (!more) {
                rc = SQLITE_NOMEM;
                break;
            }
            *ids = more;
            size *= 2;
        }
        (*ids) [(*count)++] = sqlite3_column_int64 (stmt, 0);
    }
    if (rc == SQLITE_NOMEM)
        pl_error ("archive: out of memory finding a family db=%s", self->path);
    if (s_done (self, S_FAMILY, rc == SQLITE_NOMEM ? SQLITE_DONE : rc) != SQLITE_DONE
    ||  rc == SQLITE_NOMEM) {
        free (*ids);
        *ids = NULL;
        return -1;
    }
    return 0;
}

//  A search with words, or by symbol: the items of a search by symbol
//  (archive_rank_symbols) first, in their order, then every match of the
//  words collected, filtered and ranked in one pass (archive_rank.h); the
//  page's hits read with their snippets into ITEMS; the number of all into
//  *TOTAL.  0, or -1 (*STATUS, ERR; a bad expression is the caller's 400).
int
archive_find_run (archive_find_t *self, const archive_search_t *search, json_t *items,
                  json_int_t *total, int *status, char *err, size_t errsize)
{
    if (s_rank_update (self))
        goto failed;
    size_t offset = (size_t) (search->page - 1) * (size_t) search->page_size;
    size_t keep = offset + (size_t) search->page_size;
    archive_rank_filter_t filter = {
        .max_level = search->max_level, .convention = search->convention,
        .meeting = search->meeting, .language = search->language, .kind = search->kind,
        .distribution = search->distribution, .from = search->from, .to = search->to,
        .symbol_glob = search->symbol_glob
    };
    //  A search by symbol: its family's items (or the pattern's), which its
    //  words' walk then leaves out
    const int64_t *listed = NULL;
    int64_t *exclude = NULL, first = 0;
    if (search->base || search->glob) {
        int64_t *candidates = NULL;
        size_t candidate_count = 0;
        if (search->base && s_family (self, search->base, &candidates, &candidate_count))
            goto failed;
        archive_rank_collect (self->walk, &filter, 0);
        first = archive_rank_symbols (self->walk, search->exact, search->base, search->glob,
                                      candidates, candidate_count, &listed);
        free (candidates);
        if (first < 0 || (first && !(exclude = malloc ((size_t) first * sizeof *exclude))))
            goto nomem;
        if (first) {            //  none listed: no buffers (memcpy, qsort take no NULL)
            memcpy (exclude, listed, (size_t) first * sizeof *exclude);
            qsort (exclude, (size_t) first, sizeof *exclude, s_compare_ids);
        }
        filter.exclude = exclude;
        filter.excluded = (size_t) first;
    }
    const archive_rank_hit_t *hits = NULL;
    int64_t matches = 0, best = 0;
    if (*search->match
    &&  s_words (self, search, &filter, keep > (size_t) first ? keep - (size_t) first : 0, &hits,
                 &best, &matches, status, err, errsize)) {
        free (exclude);
        return -1;
    }
    *total = (json_int_t) (first + matches);
    archive_snippet_t *snippets = NULL;
    if (*search->match && (int64_t) offset < first + best) {
        if (!self->snippets)
            self->snippets = archive_snippet_new (self->db);
        if (!self->snippets || archive_snippet_prepare (self->snippets, search->match)) {
            free (exclude);
            goto nomem;
        }
        snippets = self->snippets;
    }
    for (int64_t i = (int64_t) offset; i < (int64_t) keep && i < first + best; i++) {
        int hit = i < first
                ? s_hit (self, snippets, search, listed [i], 0, 0, 0, items, (json_int_t) i + 1)
                : s_hit (self, snippets, search, hits [i - first].id, 1, hits [i - first].bm25,
                         hits [0].bm25, items, (json_int_t) i + 1);
        if (hit) {
            free (exclude);
            if (hit == -2)
                goto nomem;
            goto failed;
        }
    }
    free (exclude);
    return 0;
nomem:
    *status = 500;
    snprintf (err, errsize, "archive: out of memory building a reply");
    return -1;
failed:
    *status = 500;
    snprintf (err, errsize, "archive: storage failure searching");
    return -1;
}
