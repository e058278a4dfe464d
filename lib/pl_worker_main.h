/*  pl_worker_main — the one main of every worker daemon.

    plenary-records, plenary-calendar and plenary-archive differ only in
    their name, group, service, store and handler; everything else a worker
    process does (flags over environment over the configuration file over
    defaults, pl_settings; --help, --print-config, signals,
    the data folder, the pl_worker engine, exit codes) is here, once.  A
    worker's *_main.c fills a pl_worker_daemon_t and calls pl_worker_main:

        plenary-NAME [--config FILE] [--data DIR] [--backend ENDPOINT] [--credit N] [--help]
                     [--version] [--print-config]

    The database is DATA/NAME/NAME.db.  Exit 0 after a clean stop
    (SIGTERM, SIGINT), 1 when the store cannot open or fails for good, 2 on
    a usage error. */
#ifndef PL_WORKER_MAIN_H_INCLUDED
#define PL_WORKER_MAIN_H_INCLUDED

#include <stddef.h>
#include "pl_settings.h"
#include "pl_worker.h"

//  A flag of one worker beyond the common ones (the notify worker's relay),
//  for its --help: the setting itself is a row of pl_settings' table.
typedef struct {
    const char *name;           //  long option, "smtp"
    const char *value;          //  what it takes, "URL" (every extra flag takes a value)
    const char *help;           //  its --help text, lines of at most 58 columns joined by \n
} pl_worker_option_t;

typedef struct {
    const char *name;           //  "records": binary plenary-records, DATA/records/records.db
    const char *group;          //  worker group in READY
    const char *service;        //  query service in READY
    const char *about;          //  the --help paragraph: what it keeps, what it answers
    //  Open what the worker needs over the database at PATH and return the
    //  object the handler works on, or NULL (the cause logged).
    void *(*open) (const char *path);
    //  Destroy what open made.
    void (*close) (void *object);
    //  The comma-separated topics the worker takes, into BUF; 0 or -1.
    int (*topics) (char *buf, size_t size);
    //  The verdicts it follows ("leader:pattern,...", see pl_worker_follow),
    //  NULL for an authority that follows nobody.
    const char *follows;
    //  The handler for pl_worker_new.
    const pl_worker_handler_t *(*handler) (void);
    //  Optional: more flags (terminated by a NULL name) for --help; BIND
    //  binds them, settings of the worker's section in pl_settings' table,
    //  to fields of ARG holding their defaults; CHECK then judges them all
    //  once resolved (0, or -1 with ERR: exit 2); and OPEN_WITH replaces
    //  OPEN, given ARG and the common configuration.  ARG is the worker's
    //  settings, made by its main.
    const pl_worker_option_t *options;
    void (*bind) (void *arg, pl_settings_t *settings);
    int (*check) (void *arg, const pl_config_t *config, char *err, size_t errsize);
    void *(*open_with) (void *arg, const char *path, const pl_config_t *config);
    void *arg;
    //  The schema version the store migrates its database to (--version).
    int (*store_version) (void);
} pl_worker_daemon_t;

//  Run the worker DAEMON as a process with ARGC/ARGV; returns the exit code.
int pl_worker_main (int argc, char *argv [], const pl_worker_daemon_t *daemon);

#endif
