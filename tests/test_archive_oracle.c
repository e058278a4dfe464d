/*  test_archive_oracle — archive.search checked against SQLite's own FTS5.
    See test_archive_oracle.h.

    The worker answers a search its own way (archive_rank: bm25 from
    lengths held in memory, filters tested in memory), and may change that
    way for speed; what it answers must not change: the matches of the
    FTS5 expression among the current items the role may see (an item's
    level is the one in force for its family; a symbol filter matches a
    statement's or an outcome's document only where the role may see it),
    filtered,
    ordered by bm25 (item_fts, 0.0, 4.0, 1.0) and then by id, each scored
    round (-bm25 * 1000), each with the snippet FTS5's snippet () makes
    of it (archive_snippet makes it without FTS5's cursor), cut as a reply
    cuts it.  The oracle says what that is with the plainest SQL: FTS5's
    own bm25 () and snippet () on a connection of its own, one condition on
    item per filter asked.  Only the tokenizer (without which the index
    cannot be read) and archive_query_parse (the search words as an FTS5
    expression, tested in test_archive.c) come from the worker.

    The archive it releases and the searches it asks are tables in
    test_archive_oracle_data.c. */
#include "test_archive_oracle.h"
#include "test_archive_oracle_data.h"
#include "archive_tokenizer.h"
#include "archive_query.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_HITS_MAX    128         //  more than the archive's items
#define S_MATCH_MAX   4096        //  an FTS5 expression, as the worker allows

//  The snippet of a hit as the worker makes it (archive_store.c: s_hit asks
//  archive_snippet for these marks and ARCHIVE_SNIPPET_TOKENS tokens), here
//  asked of FTS5's own snippet (); and the bytes of it a reply keeps
//  (s_row_object's ARCHIVE_SNIPPET_MAX), the mark of a cut after them.
#define S_SNIPPET     "snippet (item_fts, -1, '⟦', '⟧', '…', 40)"
#define S_SNIPPET_MAX 4000
#define S_CUT         "…"

struct _oracle_t {
    sqlite3 *db;
};

//  Who sees what: the distribution levels of the roles asked as.
static const struct {
    const char *role;
    int level;
} s_levels [] = {
    { "secretariat", 2 }, { "delegate", 1 }, { "public", 0 },
};

//  The level a document of family FAMILY is seen at: its family's, general
//  when none of it was released (?2 is the role's level).
#define S_SEEN(family) \
    " coalesce ((SELECT f.level FROM family f WHERE f.base = " family "), 0) <= ?2"

//  archive.search's filters as conditions on item, each ? bound to the
//  argument's value; the symbol pattern (only * is special, any case) as a
//  LIKE pattern, on the item's symbol or, for an outcome, any it cites,
//  where the role may see that document.
static const struct {
    const char *arg, *condition;
} s_conditions [] = {
    { "convention",   " AND i.convention = ?" },
    { "meeting",      " AND i.meeting = ?" },
    { "symbol",       " AND ((i.kind <> 'outcome' AND i.symbol LIKE ? ESCAPE '\\' AND"
                      S_SEEN ("i.family") ")"
                      " OR i.id IN (SELECT o.outcome FROM outcome_document o"
                      " WHERE o.symbol LIKE ? ESCAPE '\\' AND" S_SEEN ("o.base") "))" },
    { "language",     " AND i.language = ?" },
    { "kind",         " AND i.kind = ?" },
    { "from",         " AND i.date >= ?" },
    { "to",           " AND i.date <= ?" },
    { "distribution", " AND i.distribution = ?" },
};
#define S_CONDITIONS (sizeof s_conditions / sizeof s_conditions [0])

//  A hit as the oracle expects it.
typedef struct {
    char id [161];
    int scored;                     //  0: an item a search by symbol lists first
    double bm25;
    json_int_t score;
    char *snippet;                  //  as the reply carries it; NULL: none
    int cut;                        //  FTS5's was longer than a reply keeps
} s_hit_t;

//  Name, value PAIRS as a new object of strings; a name in LIST becomes a
//  list of its comma-separated values.
static json_t *
s_object (const char *const *pairs, size_t count, const char *list)
{
    json_t *object = json_object ();
    for (size_t i = 0; object && i + 1 < count && pairs [i]; i += 2) {
        json_t *value = json_string (pairs [i + 1]);
        if (list && strcmp (pairs [i], list) == 0) {
            json_decref (value);
            value = json_array ();
            for (const char *at = pairs [i + 1]; at; ) {
                const char *comma = strchr (at, ',');
                json_array_append_new (value, json_stringn (at, comma ? (size_t) (comma - at)
                                                                      : strlen (at)));
                at = comma ? comma + 1 : NULL;
            }
        }
        json_object_set_new (object, pairs [i], value);
    }
    return object;
}

//  The text of PIECES as a new string value; NULL when out of memory.
static json_t *
s_long_text (const oracle_piece_t *pieces)
{
    size_t size = 0;
    for (const oracle_piece_t *piece = pieces; piece->text; piece++)
        size += strlen (piece->text) * (size_t) piece->times;
    char *text = malloc (size + 1), *end = text;
    for (const oracle_piece_t *piece = pieces; text && piece->text; piece++)
        for (int i = 0; i < piece->times; i++)
            end = stpcpy (end, piece->text);
    json_t *value = text ? json_stringn (text, size) : NULL;
    free (text);
    return value;
}

json_t *
oracle_event (int part, size_t index, const char **topic)
{
    for (size_t i = 0; i < oracle_data_event_count; i++) {
        if (oracle_data_events [i].part != part || index-- > 0)
            continue;
        *topic = oracle_data_events [i].topic;
        json_t *payload = s_object (oracle_data_events [i].fields, ORACLE_FIELDS, "documents");
        const char *symbol = json_string_value (json_object_get (payload, "symbol"));
        for (size_t t = 0; symbol && t < oracle_data_long_text_count; t++)
            if (strcmp (oracle_data_long_texts [t].symbol, symbol) == 0)
                json_object_set_new (payload, "text",
                                     s_long_text (oracle_data_long_texts [t].text));
        for (size_t d = 0; payload && oracle_data_defaults [d]; d += 3)
            if (strcmp (oracle_data_defaults [d], *topic) == 0
            &&  !json_object_get (payload, oracle_data_defaults [d + 1]))
                json_object_set_new (payload, oracle_data_defaults [d + 1],
                                     json_string (oracle_data_defaults [d + 2]));
        return payload;
    }
    return NULL;
}

size_t
oracle_searches (void)
{
    return oracle_data_search_count;
}

json_t *
oracle_args (size_t search, int page)
{
    json_t *args = s_object (oracle_data_searches [search].args, ORACLE_ARGS, NULL);
    json_object_set_new (args, "page", json_integer (page));
    json_object_set_new (args, "page_size", json_integer (ORACLE_PAGE_SIZE));
    return args;
}

oracle_t *
oracle_new (const char *path)
{
    oracle_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
    ||  archive_tokenizer_register (self->db)) {
        fprintf (stderr, "test_archive: oracle: cannot open %s: %s\n", path,
                 sqlite3_errmsg (self->db));
        oracle_destroy (&self);
    }
    return self;
}

void
oracle_destroy (oracle_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sqlite3_close ((*self_p)->db);
    free (*self_p);
    *self_p = NULL;
}

//  The symbol pattern PATTERN as a LIKE pattern (\ escapes) into OUT.
static void
s_like (const char *pattern, char *out, size_t size)
{
    size_t used = 0;
    for (const char *c = pattern; *c && used + 3 < size; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            out [used++] = '\\';
        out [used++] = *c == '*' ? '%' : *c;
    }
    out [used] = 0;
}

//  SNIPPET (FTS5's; NULL: none) as a reply carries it, into *OUT (a new
//  string, or NULL): s_row_object (archive_store.c) cuts a snippet longer
//  than S_SNIPPET_MAX bytes at a character boundary and marks the cut with
//  S_CUT, so that the reply stays in its schema.  1 when cut, 0 when not,
//  -1 out of memory.
static int
s_snippet_cut (const char *snippet, char **out)
{
    *out = NULL;
    if (!snippet)
        return 0;
    size_t size = strlen (snippet);
    int cut = size > S_SNIPPET_MAX;
    if (cut) {
        size = S_SNIPPET_MAX - strlen (S_CUT);
        while (size && ((unsigned char) snippet [size] & 0xC0) == 0x80)
            size--;
    }
    if (!(*out = malloc (size + strlen (S_CUT) + 1)))
        return -1;
    memcpy (*out, snippet, size);
    strcpy (*out + size, cut ? S_CUT : "");
    return cut;
}

//  Free the snippets of HITS [0 .. COUNT).
static void
s_hits_free (s_hit_t *hits, int count)
{
    for (int i = 0; i < count; i++) {
        free (hits [i].snippet);
        hits [i].snippet = NULL;
    }
}

//  The conditions of ARGS's filters after SQL (into SQL, SIZE bytes, from
//  USED); their values bound to STMT from parameter *BOUND on by
//  s_bind_filters.  The new length.
static size_t
s_filters (const json_t *args, char *sql, size_t size, size_t used)
{
    for (size_t c = 0; c < S_CONDITIONS; c++)
        if (json_object_get (args, s_conditions [c].arg))
            used += (size_t) snprintf (sql + used, size - used, "%s", s_conditions [c].condition);
    return used;
}

//  Bind ARGS's filter values to STMT after parameter *BOUND.
static void
s_bind_filters (sqlite3_stmt *stmt, const json_t *args, int *bound)
{
    char like [200];
    for (size_t c = 0; c < S_CONDITIONS; c++) {
        const char *value = json_string_value (json_object_get (args, s_conditions [c].arg));
        if (value && strcmp (s_conditions [c].arg, "symbol") == 0) {
            s_like (value, like, sizeof like);
            value = like;
        }
        //  the value for every bare ? of its condition (?2 is the level)
        for (const char *mark = s_conditions [c].condition; value && (mark = strchr (mark, '?'));
             mark++)
            if (!(mark [1] >= '0' && mark [1] <= '9'))
                sqlite3_bind_text (stmt, ++*bound, value, -1, SQLITE_TRANSIENT);
    }
}

//  A search by symbol lists first the current items of the family ?3 (a
//  symbol's base) or whose symbol is like the pattern ?4, where the role
//  may see that document, in this order: the document ?5, other documents
//  by symbol, outcomes, statements; each by language (ar zh en fr ru es,
//  others last) and id.  archive_rank_symbols does it from memory.
#define S_FAMILY \
    " AND ((?3 IS NOT NULL AND ((i.kind <> 'outcome' AND i.family = ?3 AND" S_SEEN ("i.family") ")" \
    "  OR i.id IN (SELECT o.outcome FROM outcome_document o WHERE o.base = ?3 AND" \
    S_SEEN ("o.base") ")))" \
    " OR (?4 IS NOT NULL AND ((i.kind <> 'outcome' AND i.symbol LIKE ?4 ESCAPE '\\' AND" \
    S_SEEN ("i.family") ")" \
    "  OR i.id IN (SELECT o.outcome FROM outcome_document o WHERE o.symbol LIKE ?4 ESCAPE '\\'" \
    "   AND" S_SEEN ("o.base") "))))"
#define S_FAMILY_ORDER \
    " ORDER BY CASE WHEN i.kind = 'document' AND upper (i.symbol) = ?5 THEN 0" \
    "  WHEN i.kind = 'document' THEN 1 WHEN i.kind = 'outcome' THEN 2 ELSE 3 END," \
    " CASE WHEN i.kind = 'document' THEN upper (i.symbol) ELSE '' END," \
    " CASE i.language WHEN 'ar' THEN 0 WHEN 'zh' THEN 1 WHEN 'en' THEN 2 WHEN 'fr' THEN 3" \
    "  WHEN 'ru' THEN 4 WHEN 'es' THEN 5 ELSE 6 END, i.id"

//  SNIPPET (a column value, NULL: none) as HIT's, cut as a reply cuts it.
//  0, or -1 out of memory.
static int
s_hit_snippet (s_hit_t *hit, const unsigned char *snippet)
{
    hit->cut = s_snippet_cut ((const char *) snippet, &hit->snippet);
    return hit->cut < 0 ? -1 : 0;
}

//  Every hit of ARGS as LEVEL sees them, best first, with its snippet, into
//  HITS (S_HITS_MAX; free with s_hits_free).  The number of hits, or -1 on
//  failure (printed, nothing to free).
static int
s_expect (oracle_t *self, const json_t *args, int level, s_hit_t *hits)
{
    char err [256], sql [4096], like [200], upper [200];
    static archive_query_t query;
    const char *q = json_string_value (json_object_get (args, "q"));
    const char *language = json_string_value (json_object_get (args, "language"));
    if (!q || archive_query_parse (q, language, &query, err, sizeof err)) {
        fprintf (stderr, "test_archive: oracle: %s\n", q ? err : "a search without words");
        return -1;
    }
    int count = 0, rc = SQLITE_DONE;
    sqlite3_stmt *stmt = NULL;
    //  a search by symbol: its family or pattern first, with no score, and
    //  a snippet where its words are in its text
    if (query.kind != ARCHIVE_QUERY_WORDS) {
        size_t used = (size_t) snprintf (sql, sizeof sql,
            //  ?5 named first, so that the filters' bare ? come after it
            "SELECT i.key, i.id, ?5 FROM item i WHERE i.current = 1 AND i.level <= ?2" S_FAMILY);
        used = s_filters (args, sql, sizeof sql, used);
        snprintf (sql + used, sizeof sql - used, S_FAMILY_ORDER);
        if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
            fprintf (stderr, "test_archive: oracle: %s: %s\n", sql, sqlite3_errmsg (self->db));
            return -1;
        }
        s_like (query.symbol, like, sizeof like);
        snprintf (upper, sizeof upper, "%s", query.symbol);
        for (char *c = upper; *c; c++)
            *c = (char) (*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
        sqlite3_bind_int (stmt, 2, level);
        if (query.kind == ARCHIVE_QUERY_SYMBOL) {
            sqlite3_bind_text (stmt, 3, query.base, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 5, upper, -1, SQLITE_STATIC);
        }
        else
            sqlite3_bind_text (stmt, 4, like, -1, SQLITE_STATIC);
        int bound = 5;
        s_bind_filters (stmt, args, &bound);
        sqlite3_stmt *snippet = NULL;
        if (*query.match
        &&  sqlite3_prepare_v2 (self->db, "SELECT " S_SNIPPET " FROM item_fts"
                                " WHERE item_fts MATCH ?1 AND rowid = ?2", -1, &snippet, NULL)
            != SQLITE_OK) {
            fprintf (stderr, "test_archive: oracle: %s\n", sqlite3_errmsg (self->db));
            sqlite3_finalize (stmt);
            return -1;
        }
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && count < S_HITS_MAX) {
            s_hit_t *hit = &hits [count++];
            *hit = (s_hit_t) { .scored = 0 };
            snprintf (hit->id, sizeof hit->id, "%s", (const char *) sqlite3_column_text (stmt, 0));
            if (snippet) {
                sqlite3_bind_text (snippet, 1, query.match, -1, SQLITE_STATIC);
                sqlite3_bind_int64 (snippet, 2, sqlite3_column_int64 (stmt, 1));
                if (sqlite3_step (snippet) == SQLITE_ROW
                &&  s_hit_snippet (hit, sqlite3_column_text (snippet, 0))) {
                    rc = SQLITE_NOMEM;
                    break;
                }
                sqlite3_reset (snippet);
            }
        }
        sqlite3_finalize (snippet);
        sqlite3_finalize (stmt);
        if (rc != SQLITE_DONE) {
            fprintf (stderr, "test_archive: oracle: %s: %s\n", sql, sqlite3_errmsg (self->db));
            s_hits_free (hits, count);
            return -1;
        }
        if (!*query.match)
            return count;
    }
    const char *match = query.match;
    int first = count;
    size_t used = (size_t) snprintf (sql, sizeof sql,
        "SELECT i.key, bm25 (item_fts, 0.0, 4.0, 1.0) AS b, " S_SNIPPET
        " FROM item_fts JOIN item i ON i.id = item_fts.rowid"
        " WHERE item_fts MATCH ?1 AND i.current = 1 AND i.level <= ?2"
        " AND i.key NOT IN (SELECT value FROM json_each (?3))");
    used = s_filters (args, sql, sizeof sql, used);
    snprintf (sql + used, sizeof sql - used, " ORDER BY b, i.id");
    if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        fprintf (stderr, "test_archive: oracle: %s: %s\n", sql, sqlite3_errmsg (self->db));
        s_hits_free (hits, count);
        return -1;
    }
    //  the items listed first are not ranked again
    json_t *listed = json_array ();
    for (int i = 0; i < first; i++)
        json_array_append_new (listed, json_string (hits [i].id));
    char *listed_text = json_dumps (listed, JSON_COMPACT);
    json_decref (listed);
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
    sqlite3_bind_int (stmt, 2, level);
    sqlite3_bind_text (stmt, 3, listed_text ? listed_text : "[]", -1, SQLITE_TRANSIENT);
    free (listed_text);
    int bound = 3;
    s_bind_filters (stmt, args, &bound);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && count < S_HITS_MAX) {
        s_hit_t *hit = &hits [count++];
        *hit = (s_hit_t) { .scored = 1 };
        snprintf (hit->id, sizeof hit->id, "%s", (const char *) sqlite3_column_text (stmt, 0));
        hit->bm25 = sqlite3_column_double (stmt, 1);
        //  the score: bm25 () is negative, better matches more so
        double x = -hit->bm25 * 1000.0;
        hit->score = x > 0 ? (json_int_t) (x + 0.5) : 0;
        if (s_hit_snippet (hit, sqlite3_column_text (stmt, 2))) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        fprintf (stderr, "test_archive: oracle: %s: %s\n", sql,
                 rc == SQLITE_ROW ? "more hits than the oracle holds"
                 : rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg (self->db));
        s_hits_free (hits, count);
    }
    sqlite3_finalize (stmt);
    return rc == SQLITE_DONE ? count : -1;
}

//  Print the search, the role and the page that differ, then the hits of
//  the page expected (HITS, COUNT in all) and those of REPLY.
static void
s_print (size_t search, const char *role, int page, const s_hit_t *hits, int count,
         const json_t *reply, const char *what)
{
    json_t *args = oracle_args (search, page);
    char *text = json_dumps (args, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fprintf (stderr, "test_archive: oracle: %s: %s as %s:\n  expected total %d:", what,
             text, role, count);
    free (text);
    json_decref (args);
    for (int i = (page - 1) * ORACLE_PAGE_SIZE; i < count && i < page * ORACLE_PAGE_SIZE; i++)
        fprintf (stderr, " %s %lld (%.17g)", hits [i].id, (long long) hits [i].score,
                 hits [i].bm25);
    fprintf (stderr, "\n  actual   total %lld:",
             (long long) json_integer_value (json_object_get (reply, "total")));
    size_t index;
    json_t *item;
    json_array_foreach (json_object_get (reply, "items"), index, item)
        fprintf (stderr, " %s %lld", json_string_value (json_object_get (item, "id")),
                 (long long) json_integer_value (json_object_get (item, "score")));
    fprintf (stderr, "\n");
}

//  Whether TEXT begins (AT_END 0) or ends (1) with an ellipsis.
static int
s_ellipsis (const char *text, int at_end)
{
    size_t length = strlen (text), mark = strlen ("…");
    return length >= mark && memcmp (text + (at_end ? length - mark : 0), "…", mark) == 0;
}

//  Whether SNIPPET (NULL: none) is as RULE says.
static int
s_snippet_kept (const oracle_rule_t *rule, const char *snippet)
{
    const char *shape = rule->shape;
    return snippet && (!rule->shows || strstr (snippet, rule->shows))
        && (!shape || (s_ellipsis (shape, 0) == s_ellipsis (snippet, 0)
                       && s_ellipsis (shape, 1) == s_ellipsis (snippet, 1)));
}

//  Whether the archive keeps its promises for SEARCH after PART: it finds
//  something or not, ties when it should, cuts a snippet when it should,
//  and its snippets are as oracle_data_rules says.  0 or -1 (printed).
static int
s_promises (size_t search, int part, const s_hit_t *hits, int count)
{
    const oracle_search_t *promise = &oracle_data_searches [search];
    const char *flags = promise->promise + ORACLE_PARTS;
    char tie = strchr (flags, '=') ? '=' : strchr (flags, '~') ? '~' : 0;
    int ties = 0, cuts = 0, cut_promised = strchr (flags, '>') != NULL;
    for (int i = 0; i < count; i++) {
        cuts |= hits [i].cut;
        double apart = i ? fabs (hits [i].bm25 - hits [i - 1].bm25) : INFINITY;
        ties |= tie == '=' ? apart == 0 : apart <= 1e-12 * fabs (hits [i].bm25);
    }
    if ((count > 0) != (promise->promise [part - 1] == '+')
    ||  (count && tie && !ties) || (count && cut_promised && !cuts)) {
        fprintf (stderr, "test_archive: oracle: the archive lost what search %zu (%s) needs"
                 " after part %d: %d hits%s%s\n", search, promise->args [1], part, count,
                 tie && !ties ? ", none tied" : "", cut_promised && !cuts ? ", none cut" : "");
        return -1;
    }
    for (size_t r = 0; r < oracle_data_rule_count; r++) {
        const oracle_rule_t *rule = &oracle_data_rules [r];
        if (strcmp (rule->q, promise->args [1]) != 0)
            continue;
        int found = 0;
        for (int i = 0; i < count; i++) {
            if (rule->id && strcmp (rule->id, hits [i].id) != 0)
                continue;
            found = 1;
            if (!s_snippet_kept (rule, hits [i].snippet)) {
                fprintf (stderr, "test_archive: oracle: search %zu (%s): the snippet of %s"
                         " is not shaped %s showing %s: %s\n", search, rule->q, hits [i].id,
                         rule->shape ? rule->shape : "any", rule->shows ? rule->shows : "any",
                         hits [i].snippet ? hits [i].snippet : "(none)");
                return -1;
            }
        }
        //  the search of the words alone finds the hit a rule is about
        if (rule->id && !found && count && !promise->args [2]) {
            fprintf (stderr, "test_archive: oracle: search %zu (%s) no longer finds %s\n",
                     search, rule->q, rule->id);
            return -1;
        }
    }
    return 0;
}

//  Compare the snippet of each hit of REPLY's page (ITEMS, ROWS of them,
//  from hit FIRST) with HITS', printing every one that differs.  0 or -1.
static int
s_snippets (size_t search, const char *role, int page, const s_hit_t *hits, int first,
            const json_t *items, int rows)
{
    int differ = 0;
    for (int i = 0; i < rows; i++) {
        const json_t *item = json_array_get (items, (size_t) i);
        const json_t *value = json_object_get (item, "snippet");
        const char *snippet = json_string_value (value);
        const char *expected = hits [first + i].snippet;
        if (!snippet && !expected)
            continue;
        if (snippet && expected && json_string_length (value) == strlen (expected)
        &&  memcmp (snippet, expected, strlen (expected)) == 0)
            continue;
        json_t *args = oracle_args (search, page);
        char *text = json_dumps (args, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fprintf (stderr, "test_archive: oracle: a different snippet: %s as %s, hit %s:\n"
                 "  expected (FTS5): %s\n  actual:          %s\n", text, role,
                 hits [first + i].id, expected ? expected : "(none)",
                 snippet ? snippet : "(none)");
        free (text);
        json_decref (args);
        differ = 1;
    }
    return differ ? -1 : 0;
}

int
oracle_check (oracle_t *self, int part, size_t search, const char *role, int page,
              const json_t *reply)
{
    int level = -1;
    for (size_t i = 0; i < sizeof s_levels / sizeof s_levels [0]; i++)
        if (strcmp (s_levels [i].role, role) == 0)
            level = s_levels [i].level;
    s_hit_t hits [S_HITS_MAX];
    json_t *args = oracle_args (search, page);
    int count = level < 0 ? -1 : s_expect (self, args, level, hits);
    json_decref (args);
    if (count < 0)
        return -1;
    int rc = -1;
    if (level == 2 && page == 1 && s_promises (search, part, hits, count))
        goto done;
    if (!reply) {
        s_print (search, role, page, hits, count, reply, "no reply");
        goto done;
    }
    const json_t *items = json_object_get (reply, "items");
    int first = (page - 1) * ORACLE_PAGE_SIZE;
    int rows = count - first < 0 ? 0 : count - first > ORACLE_PAGE_SIZE ? ORACLE_PAGE_SIZE
             : count - first;
    if (json_integer_value (json_object_get (reply, "total")) != count
    ||  json_array_size (items) != (size_t) rows) {
        s_print (search, role, page, hits, count, reply, "a different total or page");
        goto done;
    }
    //  relevance is of the best ranked hit (after those a search by symbol lists)
    int ranked = 0;
    while (ranked < count && !hits [ranked].scored)
        ranked++;
    double best = ranked < count ? hits [ranked].bm25 : 0.0;
    for (int i = 0; i < rows; i++) {
        const json_t *item = json_array_get (items, (size_t) i);
        const char *id = json_string_value (json_object_get (item, "id"));
        const s_hit_t *hit = &hits [first + i];
        if (json_integer_value (json_object_get (item, "rank")) != first + i + 1
        ||  !id || strcmp (id, hit->id)
        ||  (hit->scored ? !json_is_integer (json_object_get (item, "score"))
                           || json_integer_value (json_object_get (item, "score")) != hit->score
                         : json_object_get (item, "score") != NULL)
        ||  json_integer_value (json_object_get (item, "relevance"))
            != (hit->scored && best < 0.0 ? (int) (100.0 * hit->bm25 / best + 0.5) : 100)) {
            s_print (search, role, page, hits, count, reply, "different hits");
            goto done;
        }
    }
    if (s_snippets (search, role, page, hits, first, items, rows) == 0)
        rc = first >= count ? 1 : 0;
done:
    s_hits_free (hits, count);
    return rc;
}
