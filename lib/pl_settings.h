/*  pl_settings — where every program's settings come from: the one table of
    them, the configuration file, and the order in which values win.

    Every program (plenaryd, plenary-records, -calendar, -archive, -notify,
    -gateway and the plenary CLI) resolves its settings here, the rows of
    one table (pl_settings_table.c), in one order:

        a flag  over  the environment (PLENARY_*)  over  the file  over  the default

    and records where each value came from (`plenary config`, a daemon's
    `--print-config`).  Defaults are what the program's fields hold when
    they are bound: pl_config_defaults (pl_config.h) and the program's own
    defaults (gw_config_defaults, notify_config_defaults); nothing here
    repeats them.  Bounds of numbers are pl_config.h's.

    The file is INI, read with libinih: `--config FILE`, else
    $PLENARY_CONFIG, else PL_SETTINGS_FILE (/etc/plenary/plenary.conf) when
    it exists.  A missing file that was named is an error; a missing default
    file is none.  [plenary] holds what the programs share (data, endpoint,
    backend, pub, http, public-url); [broker], [records], [calendar],
    [archive], [notify], [gateway] and [client] each one program's, keys
    named after its long flags (`--max-batch` is `max-batch = 128`); a key
    of [plenary] given again in a program's section is for that program
    alone.  `key = value` a line, comments on lines of their own starting
    with ; or # (or after " ;"), no quotes: the value is the text after '='.
    Every program checks the whole file before it starts: an unknown
    section or key (the nearest known one suggested), a value its setting
    does not take, a key given twice in a section, a line that is not
    `key = value`, `[section]` or a comment, or a line longer than
    PL_SETTINGS_LINE_MAX is an error naming FILE:LINE, and nothing starts.

    Use, in a daemon's main:

        pl_settings_t *settings = pl_settings_new ("broker");
        pl_settings_bind_config (settings, &config);          //  pl_config_t rows
        pl_settings_bind (settings, "threads", &threads, sizeof threads);
        switch (pl_settings_parse (settings, argc, argv, err, sizeof err)) ...
        pl_settings_destroy (&settings);

    and in the CLI, whose flags are its own: pl_settings_flag for each
    setting flag, then pl_settings_load.  Single-threaded: a program
    resolves its settings in main, before any thread starts. */
#ifndef PL_SETTINGS_H_INCLUDED
#define PL_SETTINGS_H_INCLUDED

#include <stddef.h>
#include <stdio.h>
#include "pl_config.h"

#ifndef PL_SETTINGS_FILE
#define PL_SETTINGS_FILE "/etc/plenary/plenary.conf"    //  CMake sets it from PL_CONFDIR
#endif

typedef struct _pl_settings_t pl_settings_t;

//  What pl_settings_parse found on the command line.
typedef enum {
    PL_SETTINGS_RUN,            //  settings resolved: start
    PL_SETTINGS_HELP,           //  -h, --help: print the usage, exit 0
    PL_SETTINGS_VERSION,        //  --version: exit 0
    PL_SETTINGS_PRINT,          //  --print-config: settings resolved; print them, exit 0
    PL_SETTINGS_PRINT_JSON,     //  --print-config=json
    PL_SETTINGS_CHECK,          //  --check-config: settings resolved; judge them as at
                                //  start, then exit 0 (or 2 with the reason)
    PL_SETTINGS_USAGE,          //  a bad flag, file, variable or value: ERR says which; exit 2
} pl_settings_action_t;

//  Settings of PROGRAM, a section name: "broker", "records", "calendar",
//  "archive", "notify", "gateway" or "client".  Returns NULL for another
//  name or when out of memory.  Destroy with pl_settings_destroy.
pl_settings_t *pl_settings_new (const char *program);

//  Destroy the settings and null *SELF_P; NULL-safe.
void pl_settings_destroy (pl_settings_t **self_p);

//  Bind every setting of the program that lives in CONFIG (the data folder,
//  the addresses, the broker's and the workers' limits).  CONFIG is
//  borrowed and must outlive SELF; its values now are the defaults.
void pl_settings_bind_config (pl_settings_t *self, pl_config_t *config);

//  Bind setting KEY of the program to FIELD of SIZE bytes: a char array for
//  text (at least the setting's length plus one), an int for a switch, an
//  int or unsigned (4 bytes) or a size_t (8) for a number.  Its value now
//  is the default.  A daemon binds every setting of its own before
//  pl_settings_parse (an assert: a bug of ours); another program asking
//  about a daemon's settings (plenary up: is a relay named?) may bind none
//  and read pl_settings_value after pl_settings_load.
void pl_settings_bind (pl_settings_t *self, const char *key, void *field, size_t size);

//  A daemon's command line: every setting's long flag, and --config FILE,
//  --print-config[=json], --check-config, -h/--help, --version.  Unless help or version,
//  reads the file and the environment and writes every bound field.
//  Returns the action; after PL_SETTINGS_USAGE, ERR says what is wrong.
pl_settings_action_t pl_settings_parse (pl_settings_t *self, int argc, char *argv [],
                                        char *err, size_t errsize);

//  What a daemon's main does with ACTION once it has answered --help and
//  --version itself: prints the settings (PRINT, PRINT_JSON) on stdout, or
//  ERR as "BINARY: ERR" and "Try 'BINARY --help'." on stderr (USAGE).
//  Returns the exit code when the program ends here (0; 2 after USAGE; 1
//  when stdout fails), or -1 when it goes on (RUN, CHECK); before a RUN, it
//  logs which file it read, when that file set anything.
int pl_settings_report (const pl_settings_t *self, pl_settings_action_t action, const char *err);

//  Flag --KEY given VALUE (the CLI, which parses its own flags): checked,
//  written to the bound field and recorded as the value's source; the file
//  and the environment no longer change it.  0, or -1 with ERR.
int pl_settings_flag (pl_settings_t *self, const char *key, const char *value,
                      char *err, size_t errsize);

//  Read the file (CONFIG, when not NULL, as --config gave it, else as
//  above), check all of it, then give each setting no flag set its value
//  from the file, else the environment, else its default, and write the
//  bound fields.  0, or -1 with ERR ("FILE:LINE: ...", "PLENARY_X: ...").
int pl_settings_load (pl_settings_t *self, const char *config, char *err, size_t errsize);

//  1 when KEY's value came from a flag, the environment or the file; 0 when
//  it is the default.
int pl_settings_given (const pl_settings_t *self, const char *key);

//  Record that the program chose KEY's value itself (a default that
//  depends on another setting): VALUE, with WHY as its source.
void pl_settings_derive (pl_settings_t *self, const char *key, const char *value,
                         const char *why);

//  KEY's value as text, or NULL when KEY is not bound and neither the file
//  nor the environment gives it; its source ("flag --x", "env PLENARY_X",
//  "FILE:LINE", "default", or what pl_settings_derive said), or NULL.
//  Borrowed, valid until the next call on SELF.
const char *pl_settings_value (const pl_settings_t *self, const char *key);
const char *pl_settings_source (const pl_settings_t *self, const char *key);

//  The file read, or "" when none.  Borrowed.
const char *pl_settings_file (const pl_settings_t *self);

//  Print every setting of the program, its value and its source: a table
//  for people, or with JSON one document {program, file, settings: [{key,
//  value, source, env}]}.  0, or -1 when OUT fails.
int pl_settings_print (const pl_settings_t *self, FILE *out, int json);

//  The --help lines every daemon shares: --config, --print-config,
//  --check-config and the order of precedence, for the program whose
//  section is SECTION ("broker"), the text at COLUMN as its other flags'.
void pl_settings_usage (FILE *out, const char *section, int column);

//  Self-test (lib/pl_settings_test.c): 0, or -1 after saying what failed.
int pl_settings_test (int verbose);

#endif
