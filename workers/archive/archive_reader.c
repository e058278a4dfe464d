/*  archive_reader — a second connection to the archive that walks part of
    a search's matches on a thread of its own.  See archive_reader.h.

    A thread waits on a condition for a job (an expression and the first
    rowid), runs S_WALK on its connection and signals it is done.  SQLite
    is thread-safe per connection; this connection is used by the thread
    alone, the rank table it reads is not written while a job runs. */
#include "archive_reader.h"
#include "archive_tokenizer.h"
#include "pl_log.h"

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The same as the store's walk, over the rowids from ?2 on.
#define S_WALK \
    "SELECT 1 FROM item_fts WHERE item_fts MATCH ?1 AND item_fts.rowid >= ?2" \
    " AND archive_collect (item_fts)"

struct _archive_reader_t {
    sqlite3 *db;
    sqlite3_stmt *walk_stmt;
    archive_rank_walk_t *walk;
    pthread_t thread;
    int thread_started;
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    //  the job, under the mutex
    const char *expression;
    int64_t first;
    int pending;                    //  a job waits for the thread
    int running;                    //  started and not waited for
    int stop;
    int rc;                         //  the job's SQLite result
    char err [256];
};

//  Run the job (the mutex not held).
static void
s_run (archive_reader_t *self)
{
    sqlite3_bind_text (self->walk_stmt, 1, self->expression, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (self->walk_stmt, 2, self->first);
    int rc;
    while ((rc = sqlite3_step (self->walk_stmt)) == SQLITE_ROW)
        ;                           //  archive_collect lets no row through
    self->rc = rc;
    if (rc != SQLITE_DONE)
        snprintf (self->err, sizeof self->err, "%s", sqlite3_errmsg (self->db));
    sqlite3_reset (self->walk_stmt);
    sqlite3_clear_bindings (self->walk_stmt);
}

static void *
s_thread (void *arg)
{
    archive_reader_t *self = arg;
    pthread_mutex_lock (&self->mutex);
    while (!self->stop) {
        if (!self->pending) {
            pthread_cond_wait (&self->cond, &self->mutex);
            continue;
        }
        self->pending = 0;
        pthread_mutex_unlock (&self->mutex);
        s_run (self);
        pthread_mutex_lock (&self->mutex);
        self->running = 0;
        pthread_cond_broadcast (&self->cond);
    }
    pthread_mutex_unlock (&self->mutex);
    return NULL;
}

archive_reader_t *
archive_reader_new (const char *path, archive_rank_t *rank)
{
    archive_reader_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    pthread_mutex_init (&self->mutex, NULL);
    pthread_cond_init (&self->cond, NULL);
    if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK
    ||  archive_tokenizer_register (self->db)
    ||  !(self->walk = archive_rank_register (rank, self->db))
    ||  sqlite3_exec (self->db, "PRAGMA busy_timeout = 5000; PRAGMA query_only = 1;"
                      "PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824",
                      NULL, NULL, NULL) != SQLITE_OK
    ||  sqlite3_prepare_v3 (self->db, S_WALK, -1, SQLITE_PREPARE_PERSISTENT,
                            &self->walk_stmt, NULL) != SQLITE_OK) {
        pl_error ("archive: cannot open the second reader db=%s cause=%s", path,
                  self->db ? sqlite3_errmsg (self->db) : "out of memory");
        archive_reader_destroy (&self);
        return NULL;
    }
    //  The thread starts with every signal blocked, so that SIGTERM and
    //  SIGINT reach the worker's main thread and interrupt its poll
    sigset_t all, before;
    sigfillset (&all);
    pthread_sigmask (SIG_SETMASK, &all, &before);
    int rc = pthread_create (&self->thread, NULL, s_thread, self);
    pthread_sigmask (SIG_SETMASK, &before, NULL);
    if (rc != 0) {
        pl_error ("archive: cannot start the reader's thread db=%s", path);
        archive_reader_destroy (&self);
        return NULL;
    }
    self->thread_started = 1;
    return self;
}

void
archive_reader_destroy (archive_reader_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    archive_reader_t *self = *self_p;
    if (self->thread_started) {
        pthread_mutex_lock (&self->mutex);
        self->stop = 1;
        pthread_cond_broadcast (&self->cond);
        pthread_mutex_unlock (&self->mutex);
        pthread_join (self->thread, NULL);
    }
    sqlite3_finalize (self->walk_stmt);
    sqlite3_close (self->db);
    pthread_cond_destroy (&self->cond);
    pthread_mutex_destroy (&self->mutex);
    free (self);
    *self_p = NULL;
}

archive_rank_walk_t *
archive_reader_walk (archive_reader_t *self)
{
    return self->walk;
}

void
archive_reader_start (archive_reader_t *self, const char *expression, int64_t first)
{
    pthread_mutex_lock (&self->mutex);
    self->expression = expression;
    self->first = first;
    self->pending = 1;
    self->running = 1;
    pthread_cond_broadcast (&self->cond);
    pthread_mutex_unlock (&self->mutex);
}

int
archive_reader_wait (archive_reader_t *self, char *err, size_t errsize)
{
    pthread_mutex_lock (&self->mutex);
    while (self->running)
        pthread_cond_wait (&self->cond, &self->mutex);
    pthread_mutex_unlock (&self->mutex);
    if (self->rc == SQLITE_DONE)
        return 0;
    snprintf (err, errsize, "%s", self->err);
    return -1;
}
