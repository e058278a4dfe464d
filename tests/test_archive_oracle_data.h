/*  test_archive_oracle_data — the oracle's archive and searches, as tables.

    Private to the oracle: test_archive_oracle.c builds events and search
    arguments from these tables and checks the worker's answers; the data
    itself lives in test_archive_oracle_data.c.  test_archive.c sees none
    of it but through test_archive_oracle.h. */
#ifndef TEST_ARCHIVE_ORACLE_DATA_H_INCLUDED
#define TEST_ARCHIVE_ORACLE_DATA_H_INCLUDED

#include <stddef.h>

#define ORACLE_FIELDS   16          //  an event's names and values at most
#define ORACLE_ARGS     10          //  a search's

//  A long text, in pieces: each TEXT repeated TIMES times, up to { NULL }.
typedef struct {
    const char *text;
    int times;
} oracle_piece_t;

//  A document whose text is long: its symbol, its text.
typedef struct {
    const char *symbol;
    const oracle_piece_t *text;
} oracle_long_text_t;

//  An event: its part, its topic, and its payload's fields as name, value
//  pairs (documents, the one list, holds its symbols separated by commas).
typedef struct {
    int part;
    const char *topic;
    const char *fields [ORACLE_FIELDS];
} oracle_event_t;

//  A search: what the archive promises for it, so that it cannot silently
//  stop testing what the search is there for (part by part, whether the
//  secretariat finds anything, '+', or not, '0'; then '=' when some hits
//  have the very same bm25, a tie broken by id, '~' when two have the same
//  but for rounding, a tie in exact arithmetic; '>' when a hit's snippet is
//  longer than a reply keeps, and cut), and its arguments but the page, as
//  name, value pairs.
typedef struct {
    const char *promise;
    const char *args [ORACLE_ARGS];
} oracle_search_t;

//  What searches are there for in their snippets, so that a change to the
//  archive cannot silently stop testing it: every hit of the search of
//  words Q (or only hit ID) shows SHOWS, and hit ID's window has SHAPE:
//  "…*…" in the middle of its text, "…*" at the end, "*…" at the start, "*"
//  all of it.  The search of Q alone must find ID whenever it finds anything.
typedef struct {
    const char *q, *id, *shows, *shape;
} oracle_rule_t;

//  Fields a topic requires that the archive does not care about: topic,
//  name, value, up to NULL.
extern const char *const oracle_data_defaults [];

//  The documents whose text is long: their events' text is made from these.
extern const oracle_long_text_t oracle_data_long_texts [];
extern const size_t oracle_data_long_text_count;

//  The events of every part, in the order they are released.
extern const oracle_event_t oracle_data_events [];
extern const size_t oracle_data_event_count;

//  The searches asked after each part.
extern const oracle_search_t oracle_data_searches [];
extern const size_t oracle_data_search_count;

//  The snippets' rules, by the words of the search they are about.
extern const oracle_rule_t oracle_data_rules [];
extern const size_t oracle_data_rule_count;

#endif
