/*  broker_store — the broker's durable log behind one small interface.

    The engine (broker.c) never sees SQL: it reaches the log, the group
    cursors, the stored verdicts and the dead letters through the table of
    function pointers below.  Today the one implementation is embedded SQLite
    (broker_store_sqlite, in broker_store.c: WAL, synchronous=FULL, one
    connection).  DESIGN.md "How it grows": dqlite (SQLite over Raft) can
    replace it by providing another broker_store_ops_t with the same SQL.

    Writes happen inside a transaction the engine opens with begin and ends
    with commit (durable on return) or rollback; a group commit is one
    begin, many append calls, the cursor and verdict updates, one commit.
    Reads may happen at any time.  Every function returns 0 / -1 (or a
    count); on -1 the implementation has logged the cause once. */
#ifndef BROKER_STORE_H_INCLUDED
#define BROKER_STORE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include "pl_config.h"
#include "pl_proto.h"

typedef struct _broker_store_t broker_store_t;

//  One event of the log.  For append, SEQ is filled by the store; all
//  pointers are borrowed from the caller.  For reads, the pointers are
//  borrowed from the store and valid only during the callback.
typedef struct {
    uint64_t seq;
    const char *event_id;
    const char *topic;
    const void *payload;        //  msgpack bytes, validated before append
    size_t payload_size;
    int64_t time_ms;            //  wall clock at append
    const char *role;           //  the publishing connection's role
    const char *by;             //  its key's name ("" without keys): the stamp
    const char *delegation;     //  that key's delegation (a focal point's), or ""
} broker_event_t;

#define BROKER_TOPICS_MAX 1024  //  bytes of a worker's comma-separated topic patterns (and follows)

//  A group's durable cursor: every seq <= acked_through has a verdict (or
//  does not match TOPICS, the patterns of the group's last consumer).
//  FOLLOWS is that consumer's "leader:pattern" list (docs/protocol.md,
//  "Authorities and followers"), empty for a group that follows nobody.
typedef struct {
    char group [PL_GROUP_MAX + 1];
    char topics [BROKER_TOPICS_MAX + 1];
    char follows [BROKER_TOPICS_MAX + 1];
    uint64_t acked_through;
} broker_cursor_t;

//  A dead letter, as stored and as listed by dlq.list.
typedef struct {
    uint64_t seq;
    const char *group;
    const char *topic;
    const char *event_id;
    uint32_t attempts;
    const char *cause;
    int64_t parked_at;          //  wall clock ms
} broker_dead_letter_t;

//  Read callbacks return 0 to go on, 1 to stop early.
typedef int (broker_event_fn) (void *arg, const broker_event_t *event);
typedef int (broker_cursor_fn) (void *arg, const broker_cursor_t *cursor);
typedef int (broker_dead_letter_fn) (void *arg, const broker_dead_letter_t *dead_letter);
typedef int (broker_attempts_fn) (void *arg, const char *group, uint64_t seq, uint32_t attempts);

typedef struct {
    const char *name;           //  "sqlite"

    //  Open (creating and migrating) the log under folder DIR; NULL on
    //  failure.  CONFIG is borrowed for the call.
    broker_store_t *(*open) (const char *dir, const pl_config_t *config);
    //  Close; NULL-safe, nulls *SELF_P.
    void (*close) (broker_store_t **self_p);

    //  Transactions around writes; commit returns only once durable.
    int (*begin) (broker_store_t *self);
    int (*commit) (broker_store_t *self);
    void (*rollback) (broker_store_t *self);

    //  Append EVENT (inside a transaction), filling event->seq: 0.  Returns
    //  1 and writes nothing when the log holds EVENT's event id already (the
    //  engine then looks it up with find: the unique index is searched once
    //  per new event, by the insert itself), -1 on error.
    int (*append) (broker_store_t *self, broker_event_t *event);
    //  Append the COUNT EVENTS (inside a transaction; their event ids are
    //  distinct) in order, as append would one by one but with fewer
    //  statements: LOGGED [i] is 1 for an event whose id the log held
    //  already (nothing written, seq left to find), else 0 with seq filled.
    //  0, or -1 on error (the caller rolls back).
    int (*append_many) (broker_store_t *self, broker_event_t *events, size_t count,
                        uint8_t *logged);
    //  Look EVENT_ID up: 1 found (EVENT filled, borrowed until the next call
    //  on SELF), 0 absent, -1 error.
    int (*find) (broker_store_t *self, const char *event_id, broker_event_t *event);
    //  Call FN for each event with seq >= FROM whose topic matches PATTERNS
    //  (pl_topic_match; NULL matches all), examining at most LIMIT rows.
    //  Sets *NEXT_P to the seq after the last row examined (FROM when none).
    int (*read) (broker_store_t *self, uint64_t from, size_t limit, const char *patterns,
                 broker_event_fn *fn, void *arg, uint64_t *next_p);
    //  Highest seq in the log (0 when empty) and the number of events.
    uint64_t (*last_seq) (broker_store_t *self);
    uint64_t (*count) (broker_store_t *self);

    //  Cursors: save (inside a transaction) and load them all.
    int (*cursor_save) (broker_store_t *self, const broker_cursor_t *cursor);
    int (*cursor_load) (broker_store_t *self, broker_cursor_fn *fn, void *arg);

    //  Verdicts other than "applied" (applied is implied by the cursor):
    //  rejected, parked, skipped.
    //  save is inside a transaction and keeps the first verdict of a
    //  (group, seq).  load: 1 found (VERDICT, REASON filled), 0 absent, -1.
    int (*verdict_save) (broker_store_t *self, const char *group, uint64_t seq,
                         const char *verdict, const char *reason);
    int (*verdict_load) (broker_store_t *self, const char *group, uint64_t seq,
                         char *verdict, size_t verdict_size, char *reason, size_t reason_size);
    //  The first stored verdict of GROUP with seq >= FROM (followers ask
    //  which of their leader's events were not applied): 1 found (*SEQ_P,
    //  VERDICT, REASON filled), 0 none, -1.
    int (*verdict_next) (broker_store_t *self, const char *group, uint64_t from,
                         uint64_t *seq_p, char *verdict, size_t verdict_size,
                         char *reason, size_t reason_size);

    //  Dead letters: save (inside a transaction; first one per group and seq
    //  kept) and list all, oldest first; GROUP NULL lists every group.
    int (*dead_letter_save) (broker_store_t *self, const broker_dead_letter_t *dead_letter);
    int (*dead_letter_list) (broker_store_t *self, const char *group,
                             broker_dead_letter_fn *fn, void *arg);

    //  Delivery attempts of a group's events still without a verdict (the
    //  dead-letter count, kept across restarts): clear all rows of GROUP and
    //  save one (both inside a transaction), load every row.
    int (*attempts_clear) (broker_store_t *self, const char *group);
    int (*attempts_save) (broker_store_t *self, const char *group, uint64_t seq,
                          uint32_t attempts);
    int (*attempts_load) (broker_store_t *self, broker_attempts_fn *fn, void *arg);

    //  Move WAL pages into the database without blocking (PASSIVE).  The
    //  SQLite implementation also does this in its own thread all the time;
    //  the engine calls it once more at stop.
    int (*checkpoint) (broker_store_t *self);

    //  True when the last failure was a full disk (the engine answers 507
    //  "storage full" then, instead of 500).
    int (*full) (broker_store_t *self);
} broker_store_ops_t;

//  The embedded SQLite implementation (DATA/broker/log.db).
extern const broker_store_ops_t broker_store_sqlite;

//  The schema version broker_store_sqlite migrates the log to (its user_version).
int broker_store_sqlite_version (void);

#endif
