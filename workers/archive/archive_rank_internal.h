/*  archive_rank_internal — what the rank table's source files share.

    The rank table is one class over three files: archive_rank.c (the
    table, the walk of a search's matches, bm25), archive_rank_symbols.c
    (the items a search by symbol lists first) and archive_rank_counts.c
    (phrase counts kept between searches).  Not a public interface: only
    archive_rank*.c include this. */
#ifndef ARCHIVE_RANK_INTERNAL_H_INCLUDED
#define ARCHIVE_RANK_INTERNAL_H_INCLUDED

#include "archive_rank.h"
#include <stdint.h>

//  bm25's constants, as FTS5 has them, and the column weights of a search:
//  a word in the title counts four times one in the body.
#define S_K1            1.2
#define S_B             0.75
#define S_TITLE_WEIGHT  4.0
#define S_BODY_WEIGHT   1.0
//  The index's columns: lang (no token: archive_tokenizer.h), title, body.
#define S_TITLE_COLUMN  1
//  Entries added at a time when the table grows (32 bytes each).
#define S_GROWTH        65536
//  Interned strings' hash slots at first (doubled when half full).
#define S_SLOTS         1024
//  A filter's value that no item has: nothing passes.
#define S_ABSENT        UINT32_MAX

//  The filterable columns, in archive_rank_columns_t's order.
typedef enum {
    S_KIND, S_LANGUAGE, S_MEETING, S_CONVENTION, S_DATE, S_DISTRIBUTION, S_SYMBOL, S_COLUMNS
} s_column_t;

typedef struct {
    int32_t tokens;                 //  title and body, in tokens
    int8_t  level;                  //  -1: not known
    uint32_t column [S_COLUMNS];    //  interned strings; 0: NULL
} s_entry_t;

//  The filters compared for equality, with the column each tests.
#define S_EQUALS 5

//  A match that passed the filters: its weighted hits are in freqs, at
//  index * phrases.
typedef struct {
    int64_t id;
    int32_t tokens;
} s_match_t;

//  A walk: the collection of one search's matches on one connection
//  (archive_rank_collect .. _collected).
struct _archive_rank_walk_t {
    archive_rank_t *rank;           //  the table it reads
    int level;
    uint32_t equal [S_EQUALS];      //  the wanted id; 0 no filter, S_ABSENT none
    const char *from, *to, *glob;   //  NULL: no bound, no pattern
    const unsigned char *groups;    //  the walk is a union (archive_rank.h), or NULL
    int groups_count;               //  groups of the search
    size_t keep;
    int started;                    //  the per-query values below are known
    int preset;                     //  holding came with the filter
    int failed;                     //  -1 out of memory, -2 not the phrases meant
    int phrases;
    double avgdl, rows;
    double idf [ARCHIVE_RANK_PHRASES_MAX];
    int64_t holding [ARCHIVE_RANK_PHRASES_MAX];     //  items holding each phrase
    int known [ARCHIVE_RANK_PHRASES_MAX];           //  holding [i] is counted
    int64_t walked;                 //  matches seen, passed or not
    s_match_t *matches;             //  matches that passed
    double *freqs;                  //  their weighted hits per phrase
    size_t used, size;              //  matches used, allocated
    size_t freqs_size;              //  freqs allocated
    archive_rank_hit_t *hits;       //  the best, in order
    size_t hits_size;
    const int64_t *exclude;         //  ids that do not pass, ascending
    size_t excluded;
    int64_t *listed;                //  a search by symbol's items (archive_rank_symbols)
    size_t listed_size;
};
typedef struct _archive_rank_walk_t s_walk_t;

//  Walks at most: one per connection that searches.
#define S_WALKS 8

//  Phrase counts remembered, at most (a table of twice as many slots).
#define S_COUNTS_MAX 4096

//  A phrase count remembered: the phrase's string (NULL: an empty slot).
typedef struct {
    char *key;
    int length;
    int64_t items;
} s_count_t;

struct _archive_rank_t {
    s_entry_t *entries;             //  by rowid
    int64_t size;                   //  entries allocated
    int64_t last;                   //  highest rowid put
    char **strings;                 //  interned, by id (0 unused)
    uint32_t strings_used;          //  ids given + 1
    uint32_t strings_size;          //  allocated
    uint32_t *slots;                //  hash of the strings: id, 0 empty
    uint32_t slots_size;            //  a power of two
    s_walk_t *walks [S_WALKS];   //  one per connection registered
    int walk_count;
    s_count_t *counts;              //  2 * S_COUNTS_MAX slots, or NULL
    int count_used;
};

//  1 when ENTRY (item ID) passes the filters of COLLECT's collection, as
//  S_FILTERS (archive_store_read.c) would test its row of item (a NULL
//  column passes no filter on it).
int archive_rank_passes (const s_walk_t *collect, const s_entry_t *entry, int64_t id);

#endif
