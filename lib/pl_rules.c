/*  pl_rules — the batch loop and the query dispatch every worker runs over
    its tables (see pl_rules.h for the rules themselves).

    The cursor: a rejection is written at once (pl_cursor keeps its reason
    for a redelivery), an applied event only moves the batch's cursor in
    memory, and the cursor row is written once, with the batch's last seq,
    inside the same transaction as the events: "applied" and "cursor moved"
    stay one atomic step, for one write per batch instead of one per event.
    A reason may name a person: the log says which event at info level and
    why only at debug level (its receipt and plenary status say it too). */
#include "pl_rules.h"
#include "pl_cursor.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

//  Run OP on TXN, telling RULES->on_txn first.
static int
s_txn (const pl_rules_t *rules, void *self, pl_txn_t *txn, pl_txn_op_t op)
{
    if (rules->on_txn && op != PL_TXN_COMMIT && op != PL_TXN_SAVEPOINT && op != PL_TXN_RELEASE)
        rules->on_txn (self, op);
    return pl_txn_run (txn, op);
}

//  Apply one new EVENT: in a savepoint unless its handler checks first.
static pl_outcome_t
s_apply_one (const pl_rules_t *rules, void *self, pl_txn_t *txn, const pl_delivery_t *event,
             char *reason, size_t size)
{
    if (rules->before && rules->before (self, event))
        return PL_FAILED;
    const pl_event_rule_t *rule = NULL;
    for (size_t i = 0; i < rules->event_count && !rule; i++)
        if (strcmp (rules->events [i].topic, event->topic) == 0)
            rule = &rules->events [i];
    if (!rule) {
        //  The broker sends only the topics we asked for: this is a bug there
        snprintf (reason, size, "the %s worker does not handle %s", rules->name, event->topic);
        return PL_REJECTED;
    }
    void *target = rules->target ? rules->target (self) : self;
    if (rule->checks_first) {
        sqlite3 *db = pl_txn_db (txn);
        sqlite3_int64 changes = sqlite3_total_changes64 (db);
        pl_outcome_t outcome = rule->apply (target, event, reason, size);
        if (outcome == PL_REJECTED && sqlite3_total_changes64 (db) != changes) {
            pl_error ("%s: %s wrote before rejecting seq=%" PRIu64 ", without a savepoint; "
                      "failing the batch (a bug in its handler)", rules->name, event->topic,
                      event->seq);
            return PL_FAILED;
        }
        return outcome;
    }
    if (s_txn (rules, self, txn, PL_TXN_SAVEPOINT))
        return PL_FAILED;
    pl_outcome_t outcome = rule->apply (target, event, reason, size);
    if (outcome == PL_FAILED)
        return outcome;
    if (s_txn (rules, self, txn, outcome == PL_REJECTED ? PL_TXN_UNDO : PL_TXN_RELEASE))
        return PL_FAILED;
    return outcome;
}

int
pl_rules_apply (const pl_rules_t *rules, void *self, const pl_delivery_t *events,
                size_t count, pl_verdict_t *verdicts)
{
    pl_txn_t *txn = rules->txn (self);
    sqlite3 *db = pl_txn_db (txn);
    uint64_t cursor, stored;    //  the batch's cursor; the one in the cursor row
    int applied = 0;
    if (s_txn (rules, self, txn, PL_TXN_BEGIN))
        return -1;
    if (pl_cursor_get (db, &cursor))
        goto err;
    stored = cursor;
    for (size_t i = 0; i < count; i++) {
        const pl_delivery_t *event = &events [i];
        pl_verdict_t *verdict = &verdicts [i];
        verdict->reason [0] = 0;
        if (event->seq <= cursor) {
            //  A redelivery: answer as the first time, change nothing
            if (pl_cursor_verdict (db, event->seq, &verdict->applied, verdict->reason,
                                   sizeof verdict->reason))
                goto err;
            pl_debug ("%s: redelivered seq=%" PRIu64 " verdict=%s", rules->name, event->seq,
                      verdict->applied ? "applied" : "rejected");
            continue;
        }
        pl_outcome_t outcome = s_apply_one (rules, self, txn, event, verdict->reason,
                                            sizeof verdict->reason);
        if (outcome == PL_FAILED)
            goto err;
        verdict->applied = outcome == PL_APPLIED;
        applied |= verdict->applied;
        cursor = event->seq;
        if (verdict->applied) {
            pl_debug ("%s: applied seq=%" PRIu64 " topic=%s event_id=%s", rules->name,
                      event->seq, event->topic, event->event_id);
            continue;
        }
        //  A rejection is remembered now (and moves the cursor row with it)
        if (pl_cursor_advance (db, event->seq, verdict->reason))
            goto err;
        stored = event->seq;
        pl_info ("%s: rejected seq=%" PRIu64 " topic=%s event_id=%s", rules->name,
                 event->seq, event->topic, event->event_id);
        pl_debug ("%s: rejected seq=%" PRIu64 " reason=%s", rules->name, event->seq,
                  verdict->reason);
    }
    if ((cursor > stored && pl_cursor_advance (db, cursor, NULL))
    ||  (rules->before_commit && rules->before_commit (self))
    ||  s_txn (rules, self, txn, PL_TXN_COMMIT))
        goto err;
    if (rules->committed)
        rules->committed (self, applied);
    return 0;
err:
    s_txn (rules, self, txn, PL_TXN_ROLLBACK);
    return -1;
}

json_t *
pl_rules_query (const pl_rules_t *rules, void *self, const char *name, const json_t *args,
                const char *role, int *status, char *err, size_t errsize)
{
    for (size_t i = 0; i < rules->query_count; i++) {
        const pl_query_rule_t *rule = &rules->queries [i];
        if (strcmp (rule->name, name))
            continue;
        int rank = pl_role_rank (role);
        if ((rank < 0 ? 0 : rank) < rule->min_rank) {
            *status = 403;
            snprintf (err, errsize, "%s: the role %s may not ask this", name, role);
            return NULL;
        }
        json_t *reply = rule->answer (self, args, role, status, err, errsize);
        if (reply && rule->withhold && rank < pl_role_rank ("secretariat"))
            rule->withhold (reply);
        return reply;
    }
    *status = 404;
    snprintf (err, errsize, "the %s service has no query %s", rules->name, name);
    return NULL;
}

uint64_t
pl_rules_cursor (const pl_rules_t *rules, void *self)
{
    uint64_t seq = 0;
    if (pl_cursor_get (pl_txn_db (rules->txn (self)), &seq))
        //  Replaying from 0 is safe: seq <= the stored cursor is answered
        //  from pl_cursor without applying anything twice
        pl_warn ("%s: cannot read the cursor; asking for a replay from 0", rules->name);
    return seq;
}

int
pl_rules_topics (const pl_rules_t *rules, char *buf, size_t size)
{
    size_t used = 0;
    if (size)
        buf [0] = 0;
    for (size_t i = 0; i < rules->event_count; i++) {
        int written = snprintf (buf + used, size - used, "%s%s", i ? "," : "",
                                rules->events [i].topic);
        if (written < 0 || (size_t) written >= size - used)
            return -1;
        used += (size_t) written;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Self-test: a worker of one table, t (x), over an in-memory database

#define PL_TEST_ON_FAIL goto done
#include "pl_test.h"

typedef struct {
    sqlite3 *db;
    pl_txn_t *txn;
    int begun, committed, applied;
} s_test_t;

//  The integer result of SQL on DB, or -1.
static int
s_test_value (sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    int value = -1;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
    return value;
}

//  t.add: inserts x, then refuses a negative one (the savepoint undoes it)
static pl_outcome_t
s_test_add (void *target, const pl_delivery_t *event, char *reason, size_t size)
{
    s_test_t *self = target;
    json_int_t x = json_integer_value (json_object_get (event->payload, "x"));
    char sql [64];
    snprintf (sql, sizeof sql, "INSERT INTO t VALUES (%" JSON_INTEGER_FORMAT ")", x);
    if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return PL_FAILED;
    if (x < 0) {
        snprintf (reason, size, "x %" JSON_INTEGER_FORMAT " is negative", x);
        return PL_REJECTED;
    }
    return PL_APPLIED;
}

//  t.clear: checks first (refuses when x is 0), unless x is 2: then it
//  writes before refusing, the bug the loop must catch
static pl_outcome_t
s_test_clear (void *target, const pl_delivery_t *event, char *reason, size_t size)
{
    s_test_t *self = target;
    json_int_t x = json_integer_value (json_object_get (event->payload, "x"));
    if (x == 2)
        sqlite3_exec (self->db, "DELETE FROM t", NULL, NULL, NULL);
    if (x == 0 || x == 2) {
        snprintf (reason, size, "nothing to clear");
        return PL_REJECTED;
    }
    return sqlite3_exec (self->db, "DELETE FROM t", NULL, NULL, NULL) == SQLITE_OK
         ? PL_APPLIED : PL_FAILED;
}

static json_t *
s_test_count (void *self_, const json_t *args, const char *role, int *status, char *err,
              size_t errsize)
{
    s_test_t *self = self_;
    return json_pack ("{s:i, s:s}", "rows", s_test_value (self->db, "SELECT count(*) FROM t"),
                      "secret", "kept");
}

static void
s_test_withhold (json_t *reply)
{
    json_object_del (reply, "secret");
}

static pl_txn_t *
s_test_txn (void *self)
{
    return ((s_test_t *) self)->txn;
}

static void
s_test_on_txn (void *self, pl_txn_op_t op)
{
    ((s_test_t *) self)->begun += op == PL_TXN_BEGIN;
}

static void
s_test_committed (void *self, int applied)
{
    ((s_test_t *) self)->committed++;
    ((s_test_t *) self)->applied += applied;
}

static const pl_event_rule_t s_test_events [] = {
    { "t.add",   s_test_add, 0 },
    { "t.clear", s_test_clear, 1 },
};

static const pl_query_rule_t s_test_queries [] = {
    { "t.count",  0, s_test_count, s_test_withhold },
    { "t.secret", 3, s_test_count, NULL },
};

static const pl_rules_t s_test_rules = {
    "test", s_test_events, 2, s_test_queries, 2, .txn = s_test_txn,
    .on_txn = s_test_on_txn, .committed = s_test_committed
};

int
pl_rules_test (int verbose)
{
    int rc = -1;
    s_test_t self;
    memset (&self, 0, sizeof self);
    json_t *payload [4] = { NULL }, *reply = NULL;
    CHECK (sqlite3_open (":memory:", &self.db) == SQLITE_OK);
    CHECK (sqlite3_exec (self.db, "CREATE TABLE t (x)", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (pl_cursor_init (self.db) == 0);
    self.txn = pl_txn_new (self.db, "pl_rules_test", 0);
    CHECK (self.txn);

    char topics [32];
    CHECK (pl_rules_topics (&s_test_rules, topics, sizeof topics) == 0);
    CHECK (strcmp (topics, "t.add,t.clear") == 0);
    CHECK (pl_rules_topics (&s_test_rules, topics, 8) == -1);
    CHECK (pl_rules_cursor (&s_test_rules, &self) == 0);

    for (int i = 0; i < 4; i++)
        payload [i] = json_pack ("{s:i}", "x", i == 1 ? -1 : i == 3 ? 0 : 5);
    pl_delivery_t events [] = {
        //  applied
        { .seq = 1, .topic = "t.add", .event_id = "e1",
          .payload = payload [0], .attempt = 1 },
        //  rejected, its row undone
        { .seq = 2, .topic = "t.add", .event_id = "e2",
          .payload = payload [1], .attempt = 1 },
        //  not ours: rejected
        { .seq = 3, .topic = "t.other", .event_id = "e3",
          .payload = payload [2], .attempt = 1 },
        //  checks first: rejected
        { .seq = 4, .topic = "t.clear", .event_id = "e4",
          .payload = payload [3], .attempt = 1 },
    };
    pl_verdict_t verdicts [4];
    CHECK (pl_rules_apply (&s_test_rules, &self, events, 4, verdicts) == 0);
    CHECK (verdicts [0].applied && !*verdicts [0].reason);
    CHECK (!verdicts [1].applied && strcmp (verdicts [1].reason, "x -1 is negative") == 0);
    CHECK (!verdicts [2].applied
           && strcmp (verdicts [2].reason, "the test worker does not handle t.other") == 0);
    CHECK (!verdicts [3].applied && strcmp (verdicts [3].reason, "nothing to clear") == 0);
    CHECK (s_test_value (self.db, "SELECT count(*) FROM t") == 1);
    CHECK (pl_rules_cursor (&s_test_rules, &self) == 4);
    CHECK (self.begun == 1 && self.committed == 1 && self.applied == 1);

    //  A redelivery gets the first verdicts and changes nothing
    pl_verdict_t again [2];
    CHECK (pl_rules_apply (&s_test_rules, &self, events, 2, again) == 0);
    CHECK (again [0].applied && !again [1].applied
           && strcmp (again [1].reason, "x -1 is negative") == 0);
    CHECK (s_test_value (self.db, "SELECT count(*) FROM t") == 1);
    CHECK (self.committed == 2 && self.applied == 1);

    //  A handler that checks first but wrote before rejecting fails the
    //  batch: nothing of it stays, the cursor does not move
    json_decref (payload [3]);
    payload [3] = json_pack ("{s:i}", "x", 2);
    pl_delivery_t more [] = {
        { .seq = 5, .topic = "t.add", .event_id = "e5",
          .payload = payload [0], .attempt = 1 },
        { .seq = 6, .topic = "t.clear", .event_id = "e6",
          .payload = payload [3], .attempt = 1 },
    };
    CHECK (pl_rules_apply (&s_test_rules, &self, more, 2, verdicts) == -1);
    CHECK (sqlite3_get_autocommit (self.db));
    CHECK (s_test_value (self.db, "SELECT count(*) FROM t") == 1);
    CHECK (pl_rules_cursor (&s_test_rules, &self) == 4);
    CHECK (self.committed == 2);

    //  Queries: by name, by rank (an unknown role is the public), withheld
    int status = 0;
    char err [128];
    reply = pl_rules_query (&s_test_rules, &self, "t.count", NULL, "public", &status, err,
                            sizeof err);
    CHECK (reply && json_integer_value (json_object_get (reply, "rows")) == 1);
    CHECK (!json_object_get (reply, "secret"));
    json_decref (reply);
    reply = pl_rules_query (&s_test_rules, &self, "t.count", NULL, "secretariat", &status, err,
                            sizeof err);
    CHECK (reply && json_object_get (reply, "secret"));
    json_decref (reply);
    reply = pl_rules_query (&s_test_rules, &self, "t.secret", NULL, "nobody", &status, err,
                            sizeof err);
    CHECK (!reply && status == 403
           && strcmp (err, "t.secret: the role nobody may not ask this") == 0);
    reply = pl_rules_query (&s_test_rules, &self, "t.none", NULL, "secretariat", &status, err,
                            sizeof err);
    CHECK (!reply && status == 404 && strcmp (err, "the test service has no query t.none") == 0);
    rc = 0;
    if (verbose)
        printf ("pl_rules_test: OK\n");
done:
    json_decref (reply);
    for (int i = 0; i < 4; i++)
        json_decref (payload [i]);
    pl_txn_destroy (&self.txn);
    sqlite3_close (self.db);
    return rc;
}
