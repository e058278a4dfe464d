/*  broker_store_check — what `plenary verify` reads of the broker's log
    (DATA/broker/log.db, whose schema is broker_store.c's): the extent of the
    log, missing sequence numbers, event ids held twice, the events
    themselves (for their payloads to be checked against the schema), and
    the groups' cursors.

    Read-only, on a connection the caller opened (pl_backup_open), while the
    broker runs or not: the CLI links this file, not the broker.  One
    exception, for `plenary backup` and only on the copy it has just made:
    broker_store_check_lower_cursor.  Each
    function reads in its own statement; errors come back as text in ERR
    (the CLI reports them), never logged.  Callbacks return 0 to go on,
    nonzero to stop. */
#ifndef BROKER_STORE_CHECK_H_INCLUDED
#define BROKER_STORE_CHECK_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

//  The log's extent: its lowest and highest seq (0 when empty) and how
//  many events it holds.  Contiguous from 1 when FIRST is 1 and COUNT
//  equals LAST.
typedef struct {
    uint64_t first;
    uint64_t last;
    uint64_t count;
} broker_check_extent_t;

//  Fill EXTENT.  0, or -1 with ERR.
int broker_store_check_extent (sqlite3 *db, broker_check_extent_t *extent,
                               char *err, size_t errsize);

//  Call FN with each run FROM..TO of seqs missing below the log's last
//  seq, in order, at most MAX runs.  0, or -1 with ERR.
int broker_store_check_gaps (sqlite3 *db, size_t max,
                             int (*fn) (void *arg, uint64_t from, uint64_t to), void *arg,
                             char *err, size_t errsize);

//  Call FN with each event id that more than one event holds (read from
//  the table itself, not from its unique index, which could be damaged
//  too), at most MAX of them.  0, or -1 with ERR.
int broker_store_check_duplicates (sqlite3 *db, size_t max,
                                   int (*fn) (void *arg, const char *event_id, uint64_t count),
                                   void *arg, char *err, size_t errsize);

//  Call FN with each event of seq FROM to TO, in order: its seq, topic and
//  payload (borrowed for the call).  0, or -1 with ERR.
int broker_store_check_events (sqlite3 *db, uint64_t from, uint64_t to,
                               int (*fn) (void *arg, uint64_t seq, const char *topic,
                                          const void *payload, size_t size),
                               void *arg, char *err, size_t errsize);

//  Call FN with each group's cursor: every seq up to ACKED_THROUGH has the
//  group's verdict.  0, or -1 with ERR.
int broker_store_check_cursors (sqlite3 *db,
                                int (*fn) (void *arg, const char *group, uint64_t acked_through),
                                void *arg, char *err, size_t errsize);

//  On a copy of the log only, never on a broker's own: lower group GROUP's
//  cursor to SEQ when the copy holds it above (the group's database was
//  copied before the log, and the group acknowledged more meanwhile).
//  Without this, a broker started on the copy would deliver the events
//  above SEQ to the restored group as replays (attempt 0, "you judged it
//  already"), which the group's copy has not: plenary-notify records a
//  replay's messages without sending them.  Lowered, they are delivered
//  as new events; a group's verdicts are kept once (INSERT OR IGNORE), so
//  judging them again changes nothing else.  Sets *FROM to the cursor the
//  copy held (0 when it held none for GROUP).  1 lowered, 0 not, -1 with
//  ERR.  DB is a read-write connection.
int broker_store_check_lower_cursor (sqlite3 *db, const char *group, uint64_t seq,
                                     uint64_t *from, char *err, size_t errsize);

#endif
