/*  cli_up — `plenary up`: start and supervise the whole system on one machine.

    Starts plenaryd, waits (at most 10 s) for its DATA/plenaryd.ready, then
    starts plenary-records and whichever of plenary-calendar, plenary-archive
    and plenary-gateway exist beside the plenary executable (or on PATH),
    and plenary-notify too when PLENARY_SMTP or the configuration file's
    [notify] smtp names a mail relay, all pointed
    at the endpoints the broker actually bound.  A child that
    dies is restarted after a back-off (1 s doubling to 30 s, back to 1 s
    once it has stayed up 60 s); a restarted broker binds the same endpoints
    it bound first, so clients and workers simply reconnect.  On SIGTERM or
    SIGINT the gateway and the workers get SIGTERM first and the broker once
    they are gone (so that no worker sees its broker leave and warns), any
    straggler SIGKILL after a grace period, and up exits 0.

    Each child's stdout and stderr are a pipe up reads: every line goes to
    up's stderr prefixed with the program's name ("plenary-records  | ..."),
    in one write.  Children log warnings and errors only (PLENARY_LOG=warn),
    everything with --verbose. */
#include "cli_util.h"
#include "pl_fs.h"
#include "pl_keys.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

//  Supervision timings: the contract of `plenary up` (DESIGN.md, smoke.sh).
#define S_READY_WAIT_MS     10000   //  plenaryd must be serving within this
#define S_BACKOFF_FIRST_MS  1000    //  first restart delay
#define S_BACKOFF_MAX_MS    30000   //  restart delay ceiling
#define S_STABLE_MS         60000   //  up this long: the next crash restarts after 1 s
#define S_GRACE_MS          4000    //  SIGTERM to SIGKILL; smoke.sh allows 5 s in all
#define S_TICK_MS           100     //  supervision loop period
#define S_NAME_WIDTH        16      //  the prefix column: strlen ("plenary-calendar")
#define S_LINE_MAX          4096    //  a longer log line is cut into lines this long

typedef enum { S_BROKER, S_WORKER, S_GATEWAY } s_role_t;

//  The programs up knows, in start order.
static const struct {
    const char *name;
    s_role_t role;
    int required;
    int mail;                   //  started only when a mail relay is named
} s_programs [] = {
    { "plenaryd",         S_BROKER,  1, 0 },
    { "plenary-records",  S_WORKER,  1, 0 },
    { "plenary-calendar", S_WORKER,  0, 0 },
    { "plenary-archive",  S_WORKER,  0, 0 },
    { "plenary-notify",   S_WORKER,  0, 1 },    //  PLENARY_SMTP or [notify] smtp
    { "plenary-gateway",  S_GATEWAY, 0, 0 },
};
#define S_PROGRAMS (sizeof s_programs / sizeof s_programs [0])
#define S_ARGS_MAX 12

typedef struct {
    const char *name;
    char path [PATH_MAX];
    char *argv [S_ARGS_MAX];    //  points into the up_t strings
    pid_t pid;                  //  0 while not running
    int64_t started_ms;
    int64_t restart_at_ms;      //  when to start it again (pid 0)
    int backoff_ms;
    int present;                //  found on disk
    char cert [PATH_MAX];       //  its key (PLENARY_CERT) when the broker has keys, else ""
    int log;                    //  read end of its stdout and stderr, -1 when none
    size_t used;                //  bytes of a line not yet ended, in LINE
    char line [S_LINE_MAX];
} s_child_t;

typedef struct {
    char data [PL_ENDPOINT_MAX];
    char endpoint [PL_ENDPOINT_MAX];
    char backend [PL_ENDPOINT_MAX];
    char pub [PL_ENDPOINT_MAX];
    char http [PL_ENDPOINT_MAX];
    char ready [PATH_MAX];
    s_child_t children [S_PROGRAMS];
} s_up_t;

static const cli_flag_t s_up_flags [] = {
    { "data",    NULL, 1, 0 },
    { "verbose", NULL, 0, 0 },
    { "backend", NULL, 1, 0 },
    { "pub",     NULL, 1, 0 },
    { "http",    NULL, 1, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_up_help =
    "usage: plenary up [--data DIR] [--endpoint EP] [--backend EP] [--pub EP] [--http HOST:PORT]\n"
    "                  [--verbose] [--quiet]\n"
    "\n"
    "Starts the whole system on this machine and keeps it running: the broker\n"
    "(plenaryd) with its log under DIR/broker, the records worker (DIR/records),\n"
    "and the calendar, archive and gateway programs when they are installed beside\n"
    "plenary, and the mail worker (plenary-notify) when $PLENARY_SMTP or smtp in\n"
    "the configuration file's [notify] names a mail relay (with $PLENARY_MAIL_FROM\n"
    "or from, the sender's address).  Every program reads the same configuration\n"
    "file ('plenary --config FILE up' passes it on as $PLENARY_CONFIG).  Prints\n"
    "where everything listens.  A program that dies is restarted after 1 s, then\n"
    "2, 4 ... up to 30 s while it keeps dying.  Ctrl-C or SIGTERM stops everything\n"
    "(within 5 s: the workers and the gateway, then the broker) and exits 0.\n"
    "\n"
    "The programs' logs come out on stderr, each line after the program's name\n"
    "(\"plenary-records  | 2026-...Z W records: ...\"): warnings and errors only,\n"
    "and with --verbose everything (info, and debug with PLENARY_LOG=debug;\n"
    "PLENARY_LOG=error shows errors only).  --quiet leaves out the summary of\n"
    "where everything listens.\n"
    "\n"
    "DIR defaults to $PLENARY_DATA, else the file's data, else ./var; the addresses\n"
    "to $PLENARY_ENDPOINT, $PLENARY_BACKEND, $PLENARY_PUB and $PLENARY_HTTP, else\n"
    "the file's endpoint, backend, pub and http (or 127.0.0.1 ports 7100, 7101,\n"
    "7102 and 7180).  A port '*' takes a free one.\n"
    "\n"
    "With keys (plenary keys init --data DIR), the broker requires one of every\n"
    "connection: up gives each program its own (DIR/keys/issued/NAME.key), and you\n"
    "use yours through PLENARY_CERT.  Without keys everything stays on loopback.\n"
    "\n"
    "example:\n"
    "  plenary up --data ./var &\n"
    "  plenary meeting list\n";

//  Fill CHILD's argv for its role from the current addresses.
static void
s_child_args (s_up_t *self, s_child_t *child, s_role_t role)
{
    int n = 0;
    child->argv [n++] = child->path;
    child->argv [n++] = "--data";
    child->argv [n++] = self->data;
    if (role == S_BROKER) {
        child->argv [n++] = "--endpoint";
        child->argv [n++] = self->endpoint;
        child->argv [n++] = "--backend";
        child->argv [n++] = self->backend;
        child->argv [n++] = "--pub";
        child->argv [n++] = self->pub;
    }
    else
    if (role == S_WORKER) {
        child->argv [n++] = "--backend";
        child->argv [n++] = self->backend;
    }
    else {
        child->argv [n++] = "--endpoint";
        child->argv [n++] = self->endpoint;
    }
    child->argv [n] = NULL;
    assert (n < S_ARGS_MAX);
}

//  Write CHILD's line TEXT (LENGTH bytes, without its newline) to our stderr
//  after the program's name, in one write so that lines do not interleave.
static void
s_log_line (const s_child_t *child, const char *text, size_t length)
{
    char line [S_NAME_WIDTH + 4 + S_LINE_MAX + 1];
    int used = snprintf (line, sizeof line, "%-*s | ", S_NAME_WIDTH, child->name);
    memcpy (line + used, text, length);
    line [used + length] = '\n';
    ssize_t written = write (STDERR_FILENO, line, (size_t) used + length + 1);
    (void) written;             //  nowhere left to report a failing stderr
}

//  Read what CHILD's pipe holds and write its complete lines; at the end of
//  the pipe (the child is gone) write what is left and close it.
static void
s_log_read (s_child_t *child)
{
    while (child->log >= 0) {
        ssize_t got = read (child->log, child->line + child->used,
                            sizeof child->line - child->used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (got <= 0) {
            if (child->used)
                s_log_line (child, child->line, child->used);
            child->used = 0;
            close (child->log);
            child->log = -1;
            return;
        }
        child->used += (size_t) got;
        char *start = child->line, *end = child->line + child->used, *newline;
        while ((newline = memchr (start, '\n', (size_t) (end - start)))) {
            s_log_line (child, start, (size_t) (newline - start));
            start = newline + 1;
        }
        child->used = (size_t) (end - start);
        if (child->used == sizeof child->line) {
            s_log_line (child, child->line, child->used);   //  a line too long: cut
            child->used = 0;
        }
        else
            memmove (child->line, start, child->used);
    }
}

static int
s_spawn (s_child_t *child)
{
    s_log_read (child);         //  what is left of its previous run
    if (child->log >= 0) {
        close (child->log);
        child->log = -1;
    }
    child->used = 0;
    int pipes [2];
    if (pipe (pipes)) {
        pl_error ("up: cannot start %s: no pipe for its log: %s", child->name, strerror (errno));
        return -1;
    }
    //  Not inherited by the other children (a pipe's end stays open while
    //  any process holds it); dup2 below gives this child its own
    fcntl (pipes [0], F_SETFD, FD_CLOEXEC);
    fcntl (pipes [1], F_SETFD, FD_CLOEXEC);
    pid_t parent = getpid ();
    pid_t pid = fork ();
    if (pid < 0) {
        pl_error ("up: cannot start %s: %s", child->name, strerror (errno));
        close (pipes [0]);
        close (pipes [1]);
        return -1;
    }
    if (pid == 0) {
        //  Its stdout and stderr into the pipe (dup2 clears FD_CLOEXEC)
        if (dup2 (pipes [1], STDOUT_FILENO) < 0 || dup2 (pipes [1], STDERR_FILENO) < 0)
            _exit (127);
        //  Die with up, even when up itself is killed with SIGKILL.
        prctl (PR_SET_PDEATHSIG, SIGTERM);
        if (getppid () != parent)
            _exit (1);
        signal (SIGINT, SIG_DFL);
        signal (SIGTERM, SIG_DFL);
        //  Its log lines as a daemon's, with time and level (PLENARY_LOG_AS is ours)
        unsetenv ("PLENARY_LOG_AS");
        //  Its own key, never the operator's that up may have been given
        if (*child->cert)
            setenv ("PLENARY_CERT", child->cert, 1);
        else
            unsetenv ("PLENARY_CERT");
        execv (child->path, child->argv);
        pl_error ("up: cannot run %s: %s", child->path, strerror (errno));
        _exit (127);
    }
    close (pipes [1]);
    fcntl (pipes [0], F_SETFL, fcntl (pipes [0], F_GETFL) | O_NONBLOCK);
    child->log = pipes [0];
    child->pid = pid;
    child->started_ms = pl_mono_ms ();
    pl_info ("up: started %s pid=%d", child->name, (int) pid);
    return 0;
}

//  Read DATA/plenaryd.ready into the actual endpoints.  0 when complete.
static int
s_read_ready (s_up_t *self)
{
    FILE *file = fopen (self->ready, "r");
    if (!file)
        return -1;
    char line [PL_ENDPOINT_MAX + 16];
    int found = 0;
    static const struct { const char *key; size_t offset; } keys [] = {
        { "frontend=", offsetof (s_up_t, endpoint) },
        { "backend=",  offsetof (s_up_t, backend) },
        { "pub=",      offsetof (s_up_t, pub) },
    };
    while (fgets (line, sizeof line, file)) {
        line [strcspn (line, "\r\n")] = 0;
        for (size_t i = 0; i < sizeof keys / sizeof keys [0]; i++) {
            size_t length = strlen (keys [i].key);
            if (strncmp (line, keys [i].key, length) == 0
            &&  pl_config_set ((char *) self + keys [i].offset, line + length) == 0)
                found |= 1 << i;
        }
    }
    fclose (file);
    return found == 7 ? 0 : -1;
}

//  Reap children that exited and schedule their restarts.
static void
s_reap (s_up_t *self, int stopping)
{
    int status;
    pid_t pid;
    while ((pid = waitpid (-1, &status, WNOHANG)) > 0) {
        for (size_t i = 0; i < S_PROGRAMS; i++) {
            s_child_t *child = &self->children [i];
            if (child->pid != pid)
                continue;
            child->pid = 0;
            s_log_read (child);     //  its last lines, then the end of its pipe
            if (stopping)
                break;
            int64_t now = pl_mono_ms ();
            if (now - child->started_ms >= S_STABLE_MS)
                child->backoff_ms = S_BACKOFF_FIRST_MS;
            child->restart_at_ms = now + child->backoff_ms;
            char how [64];
            if (WIFSIGNALED (status))
                snprintf (how, sizeof how, "was killed by signal %d", WTERMSIG (status));
            else
                snprintf (how, sizeof how, "exited with status %d", WEXITSTATUS (status));
            pl_warn ("up: %s pid=%d %s; restarting in %d ms", child->name, (int) pid, how,
                     child->backoff_ms);
            child->backoff_ms = child->backoff_ms * 2 > S_BACKOFF_MAX_MS
                              ? S_BACKOFF_MAX_MS : child->backoff_ms * 2;
            break;
        }
    }
}

//  Wait one tick, writing the children's log lines as they come; a signal
//  cuts it short, which is what we want.
static void
s_sleep_tick (s_up_t *self)
{
    struct pollfd fds [S_PROGRAMS];
    s_child_t *owners [S_PROGRAMS];
    nfds_t count = 0;
    for (size_t i = 0; i < S_PROGRAMS; i++)
        if (self->children [i].log >= 0) {
            fds [count] = (struct pollfd) { self->children [i].log, POLLIN, 0 };
            owners [count++] = &self->children [i];
        }
    if (poll (fds, count, S_TICK_MS) <= 0)
        return;
    for (nfds_t i = 0; i < count; i++)
        if (fds [i].revents)
            s_log_read (owners [i]);
}

//  SIGTERM to the children from FIRST on; wait for them until DEADLINE.
//  True when they are all gone.
static int
s_stop_from (s_up_t *self, size_t first, int64_t deadline)
{
    for (size_t i = first; i < S_PROGRAMS; i++)
        if (self->children [i].pid > 0)
            kill (self->children [i].pid, SIGTERM);
    while (true) {
        s_reap (self, 1);
        size_t alive = 0;
        for (size_t i = first; i < S_PROGRAMS; i++)
            alive += self->children [i].pid > 0;
        if (alive == 0)
            return 1;
        if (pl_mono_ms () >= deadline)
            return 0;
        s_sleep_tick (self);
    }
}

//  Stop the gateway and the workers, then the broker (a worker that saw its
//  broker stop first would warn and try to reconnect); SIGKILL to those
//  still there after the grace.
static void
s_stop_all (s_up_t *self)
{
    int64_t deadline = pl_mono_ms () + S_GRACE_MS;
    //  The workers' share of the grace; the broker has the rest
    s_stop_from (self, 1, deadline - S_GRACE_MS / 3);
    if (s_stop_from (self, 0, deadline))
        return;
    for (size_t i = 0; i < S_PROGRAMS; i++) {
        s_child_t *child = &self->children [i];
        if (child->pid > 0) {
            pl_warn ("up: %s pid=%d did not stop within %d ms; killing it",
                     child->name, (int) child->pid, S_GRACE_MS);
            kill (child->pid, SIGKILL);
            waitpid (child->pid, NULL, 0);
            child->pid = 0;
            s_log_read (child);
        }
    }
}

//  Start the broker and wait for its ready file.  0 when it serves.
static int
s_start_broker (s_up_t *self)
{
    s_child_t *broker = &self->children [0];
    unlink (self->ready);       //  a stale file from a killed broker says nothing
    if (s_spawn (broker))
        return -1;
    int64_t deadline = pl_mono_ms () + S_READY_WAIT_MS;
    while (!cli_interrupted ()) {
        if (s_read_ready (self) == 0)
            return 0;
        int status;
        if (waitpid (broker->pid, &status, WNOHANG) == broker->pid) {
            broker->pid = 0;
            s_log_read (broker);
            cli_error ("plenaryd exited at start (status %d); see its log above",
                       WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
            return -1;
        }
        if (pl_mono_ms () >= deadline) {
            cli_error ("plenaryd wrote no %s within %d s", self->ready, S_READY_WAIT_MS / 1000);
            return -1;
        }
        s_sleep_tick (self);
    }
    return -1;
}

int
cli_up (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_up_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_up_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    s_up_t *self = calloc (1, sizeof *self);
    if (!self)
        return CLI_FAILED;
    static const struct { const char *flag; size_t up; size_t config; } addresses [] = {
        { "data",    offsetof (s_up_t, data),    offsetof (pl_config_t, data) },
        { NULL,      offsetof (s_up_t, endpoint), offsetof (pl_config_t, endpoint) },
        { "backend", offsetof (s_up_t, backend), offsetof (pl_config_t, backend) },
        { "pub",     offsetof (s_up_t, pub),     offsetof (pl_config_t, pub) },
        { "http",    offsetof (s_up_t, http),    offsetof (pl_config_t, http) },
    };
    for (size_t i = 0; i < sizeof addresses / sizeof addresses [0]; i++) {
        const char *value = addresses [i].flag ? cli_value (&args, addresses [i].flag) : NULL;
        if (pl_config_set ((char *) self + addresses [i].up,
                           value ? value : (char *) &cli->config + addresses [i].config)) {
            free (self);
            return cli_usage (cli, "--%s: longer than %d bytes",
                              addresses [i].flag ? addresses [i].flag : "endpoint",
                              PL_ENDPOINT_MAX - 1);
        }
    }
    snprintf (self->ready, sizeof self->ready, "%s/plenaryd.ready", self->data);
    pl_fs_private ();
    char err [512];
    if (pl_fs_mkdirs (self->data, err, sizeof err)) {
        cli_error ("%s", err);
        free (self);
        return CLI_FAILED;
    }
    int keys = pl_keys_enabled (self->data);
    //  The mail worker runs when a relay is named, in the environment or
    //  the file's [notify] (read as plenary-notify will read it)
    pl_settings_t *notify = pl_settings_new ("notify");
    if (!notify || pl_settings_load (notify, cli->config_file, err, sizeof err)) {
        cli_error ("%s", notify ? err : "out of memory");
        pl_settings_destroy (&notify);
        free (self);
        return CLI_FAILED;
    }
    const char *smtp = pl_settings_value (notify, "smtp"), *from = pl_settings_value (notify, "from");
    int relay = smtp && *smtp;
    if (relay && !(from && *from)) {
        cli_error ("a mail relay is named (smtp, %s) but PLENARY_MAIL_FROM is not set, nor from "
                   "in [notify]: plenary-notify needs the address its messages come from",
                   pl_settings_source (notify, "smtp"));
        pl_settings_destroy (&notify);
        free (self);
        return CLI_FAILED;
    }
    pl_settings_destroy (&notify);
    //  Every program up starts reads the same file
    if (cli->config_file)
        setenv ("PLENARY_CONFIG", cli->config_file, 1);
    for (size_t i = 0; i < S_PROGRAMS; i++) {
        s_child_t *child = &self->children [i];
        child->name = s_programs [i].name;
        child->backoff_ms = S_BACKOFF_FIRST_MS;
        child->log = -1;
        child->present = (!s_programs [i].mail || relay)
                      && cli_locate (child->name, child->path, sizeof child->path) == 0;
        //  With keys, each of our programs shows the key 'keys init' issued it
        if (keys && s_programs [i].role != S_BROKER)
            snprintf (child->cert, sizeof child->cert, "%s/keys/issued/%s.key", self->data,
                      child->name + strlen ("plenary-"));
        if (*child->cert && child->present && access (child->cert, R_OK)) {
            cli_error ("the broker has keys but %s has none (%s); "
                       "'plenary keys init --data %s' issues the missing ones", child->name,
                       child->cert, self->data);
            free (self);
            return CLI_FAILED;
        }
        if (!child->present && s_programs [i].required) {
            cli_error ("%s not found beside plenary nor on PATH", child->name);
            free (self);
            return CLI_FAILED;
        }
    }
    //  The children's and our own log: warnings and errors, all with --verbose
    const char *level = getenv ("PLENARY_LOG");
    if (cli_value (&args, "verbose")) {
        if (!(level && strcasecmp (level, "debug") == 0))
            setenv ("PLENARY_LOG", "info", 1);
    }
    else
    if (!(level && strcasecmp (level, "error") == 0))
        setenv ("PLENARY_LOG", "warn", 1);
    cli_signals_init ();
    s_child_args (self, &self->children [0], S_BROKER);
    rc = CLI_FAILED;
    if (s_start_broker (self))
        goto done;
    //  From now on the broker, restarted or not, binds what it bound first.
    s_child_args (self, &self->children [0], S_BROKER);
    setenv ("PLENARY_ENDPOINT", self->endpoint, 1);
    setenv ("PLENARY_BACKEND", self->backend, 1);
    setenv ("PLENARY_PUB", self->pub, 1);
    setenv ("PLENARY_HTTP", self->http, 1);
    setenv ("PLENARY_DATA", self->data, 1);
    for (size_t i = 1; i < S_PROGRAMS; i++)
        if (self->children [i].present) {
            s_child_args (self, &self->children [i], s_programs [i].role);
            if (s_spawn (&self->children [i]))
                self->children [i].restart_at_ms = pl_mono_ms () + S_BACKOFF_FIRST_MS;
        }
    if (!cli->quiet) {
        cli_print ("plenary up: data %s\n"
                   "  clients   %s   (PLENARY_ENDPOINT)\n"
                   "  workers   %s   (PLENARY_BACKEND)\n"
                   "  live      %s   (PLENARY_PUB)\n",
                   self->data, self->endpoint, self->backend, self->pub);
        for (size_t i = 0; i < S_PROGRAMS; i++)
            if (self->children [i].present)
                cli_print ("  %-17s pid %d\n", self->children [i].name, (int) self->children [i].pid);
        if (self->children [S_PROGRAMS - 1].present)
            cli_print ("  http      %s   (PLENARY_HTTP)\n", self->http);
        cli_print ("Ctrl-C stops everything.\n");
        fflush (stdout);
    }
    while (!cli_interrupted ()) {
        s_reap (self, 0);
        int64_t now = pl_mono_ms ();
        for (size_t i = 0; i < S_PROGRAMS; i++) {
            s_child_t *child = &self->children [i];
            if (child->present && child->pid == 0 && now >= child->restart_at_ms) {
                if (i == 0)
                    unlink (self->ready);
                if (s_spawn (child))
                    child->restart_at_ms = now + child->backoff_ms;
            }
        }
        s_sleep_tick (self);
    }
    pl_info ("up: stopping");
    rc = CLI_OK;
done:
    s_stop_all (self);
    for (size_t i = 0; i < S_PROGRAMS; i++)
        if (self->children [i].log >= 0)
            close (self->children [i].log);
    free (self);
    return rc;
}
