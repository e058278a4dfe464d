/*  pl_settings — the configuration file (libinih), and flag over
    environment over file over default, for the settings of the table in
    pl_settings_table.c (see the header). */
#include "pl_settings_internal.h"
#include "pl_fs.h"
#include "pl_log.h"
#include "pl_schema.h"

#include <assert.h>
#include <stdarg.h>
#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define s_programs pl_settings_programs
#define S_PROGRAMS pl_settings_programs_count
#define s_table pl_settings_table
#define S_ROWS pl_settings_table_count
#define S_COMMON PL_SETTINGS_COMMON
#define S_PATH_MAX PL_SETTINGS_PATH_MAX
#define S_OF PL_SETTINGS_OF
typedef pl_settings_row_t s_row_t;

#define S_SOURCE_MAX (PATH_MAX + 64)
#define S_ERR_MAX 1024

//  One line of the file
typedef struct {
    char *section, *key, *value;
    int line;
} s_entry_t;

//  One setting of the program
typedef struct {
    void *field;                    //  bound, NULL while not
    size_t size;
    char *value;                    //  effective, as text
    char source [S_SOURCE_MAX];     //  "default", "FILE:LINE", "env PLENARY_X", "flag --x"
    int flagged;                    //  a flag set it: the file and environment do not
} s_value_t;

struct _pl_settings_t {
    const char *section;            //  the program's
    const char *binary;
    unsigned bit;
    char file [PATH_MAX];           //  the file read, "" for none
    s_value_t values [PL_SETTINGS_ROWS_MAX];    //  by table row; only the program's are used
    s_entry_t *entries;             //  the file's keys, in order
    size_t count, allocated;
    //  while reading the file
    const char *text;               //  what is left of it
    int line;                       //  the line libinih is on
    int error_line;                 //  the first error's line, 0 for none
    char error [S_ERR_MAX];
};

//  The row of KEY that PROGRAM (a bit) takes, or -1.
static int
s_row (const char *key, unsigned program)
{
    for (size_t i = 0; i < S_ROWS; i++)
        if (strcmp (s_table [i].key, key) == 0 && (s_table [i].programs & program))
            return (int) i;
    return -1;
}

//  The program bit of SECTION, 0 for [plenary], -1 for none.
static int
s_section_bit (const char *section)
{
    if (strcmp (section, S_COMMON) == 0)
        return 0;
    for (size_t i = 0; i < S_PROGRAMS; i++)
        if (strcmp (s_programs [i].section, section) == 0)
            return (int) s_programs [i].bit;
    return -1;
}

pl_settings_t *
pl_settings_new (const char *program)
{
    for (size_t i = 0; i < S_PROGRAMS; i++)
        if (strcmp (s_programs [i].section, program) == 0) {
            pl_settings_t *self = calloc (1, sizeof *self);
            if (!self)
                return NULL;
            self->section = s_programs [i].section;
            self->binary = s_programs [i].binary;
            self->bit = s_programs [i].bit;
            return self;
        }
    return NULL;
}

void
pl_settings_destroy (pl_settings_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pl_settings_t *self = *self_p;
    for (size_t i = 0; i < S_ROWS; i++)
        free (self->values [i].value);
    for (size_t i = 0; i < self->count; i++) {
        free (self->entries [i].section);
        free (self->entries [i].key);
        free (self->entries [i].value);
    }
    free (self->entries);
    free (self);
    *self_p = NULL;
}

void
pl_settings_bind (pl_settings_t *self, const char *key, void *field, size_t size)
{
    int row = s_row (key, self->bit);
    assert (row >= 0);              //  our own code names our own settings
    assert (s_table [row].kind == S_NUMBER ? size == 4 || size == 8
          : s_table [row].kind == S_SWITCH ? size == sizeof (int)
          : size > (size_t) s_table [row].max);
    self->values [row].field = field;
    self->values [row].size = size;
}

void
pl_settings_bind_config (pl_settings_t *self, pl_config_t *config)
{
    for (size_t i = 0; i < S_ROWS; i++) {
        const s_row_t *r = &s_table [i];
        if (!(r->programs & self->bit) || r->offset < 0)
            continue;
        size_t size = r->offset == S_OF (loopback_role) ? sizeof config->loopback_role
                    : r->kind == S_TEXT ? PL_ENDPOINT_MAX
                    : r->offset == S_OF (max_frame) || r->offset == S_OF (max_message)
                    ? sizeof (size_t) : sizeof (int);
        pl_settings_bind (self, r->key, (char *) config + r->offset, size);
    }
}

//  ---------------------------------------------------------------------
//  Values: checked, read from and written to the bound fields

//  What row R takes, for an error message, into BUF.
static const char *
s_expected (const s_row_t *r, char *buf, size_t size)
{
    if (r->kind == S_NUMBER)
        snprintf (buf, size, "a whole number from %lld to %lld", r->min, r->max);
    else
    if (r->kind == S_SWITCH)
        snprintf (buf, size, "true or false");
    else
    if (r->kind == S_CHOICE)
        snprintf (buf, size, "one of %s", r->choices);
    else
        snprintf (buf, size, r->min ? "non-empty text of at most %lld bytes"
                                    : "text of at most %lld bytes", r->max);
    return buf;
}

//  1 when VALUE is one of CHOICES ("a, b, c").
static int
s_choice (const char *choices, const char *value)
{
    size_t length = strlen (value);
    for (const char *at = choices; *at; ) {
        size_t item = strcspn (at, ",");
        if (item == length && memcmp (at, value, length) == 0)
            return 1;
        at += item;
        at += strspn (at, ", ");
    }
    return 0;
}

//  A switch's VALUE: 1, 0, or -1 when it is not one.
static int
s_switch (const char *value)
{
    static const char *yes [] = { "true", "yes", "on", "1" };
    static const char *no [] = { "false", "no", "off", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp (value, yes [i]) == 0)
            return 1;
        if (strcasecmp (value, no [i]) == 0)
            return 0;
    }
    return -1;
}

//  Check VALUE for row R; 0, or -1 with WHY (what is wrong and what R takes).
static int
s_check (const s_row_t *r, const char *value, char *why, size_t size)
{
    char expected [200], rule [PL_ERR_MAX];
    s_expected (r, expected, sizeof expected);
    if (pl_schema_text_check (value, strlen (value), 0, rule, sizeof rule)) {
        snprintf (why, size, "expected %.200s, not text with %.200s", expected, rule);
        return -1;
    }
    int bad = 0;
    if (r->kind == S_NUMBER) {
        char *end = NULL;
        errno = 0;
        long long number = strtoll (value, &end, 10);
        bad = errno || end == value || *end || number < r->min || number > r->max;
    }
    else
    if (r->kind == S_SWITCH)
        bad = s_switch (value) < 0;
    else
    if (r->kind == S_CHOICE)
        bad = !s_choice (r->choices, value);
    else
        bad = (long long) strlen (value) > r->max || (r->min && !*value);
    if (bad)
        snprintf (why, size, "expected %.200s, not '%.300s'", expected, value);
    return bad ? -1 : 0;
}

//  Write checked VALUE of ROW to its bound field.
static void
s_write (s_value_t *v, const s_row_t *r, const char *value)
{
    if (r->kind == S_TEXT || r->kind == S_CHOICE)
        snprintf (v->field, v->size, "%s", value);
    else
    if (r->kind == S_SWITCH)
        *(int *) v->field = s_switch (value);
    else {
        long long number = strtoll (value, NULL, 10) * (r->scale ? r->scale : 1);
        if (v->size == 4)
            *(int *) v->field = (int) number;       //  an unsigned holds it alike
        else
            *(int64_t *) v->field = (int64_t) number;
    }
}

//  The bound field's value as text (the default) into BUF.
static void
s_read (const s_value_t *v, const s_row_t *r, char *buf, size_t size)
{
    if (r->kind == S_TEXT || r->kind == S_CHOICE)
        snprintf (buf, size, "%s", (const char *) v->field);
    else
    if (r->kind == S_SWITCH)
        snprintf (buf, size, "%s", *(int *) v->field ? "true" : "false");
    else {
        long long number = v->size == 4 ? (long long) *(int *) v->field
                                        : (long long) *(int64_t *) v->field;
        snprintf (buf, size, "%lld", number / (r->scale ? r->scale : 1));
    }
}

//  Set row ROW to VALUE from SOURCE, after checking it; 0, or -1 with ERR
//  naming WHERE.
static int
s_set (pl_settings_t *self, size_t row, const char *value, const char *source,
       const char *where, char *err, size_t errsize)
{
    char why [1024];
    if (s_check (&s_table [row], value, why, sizeof why)) {
        snprintf (err, errsize, "%s: %s", where, why);
        return -1;
    }
    s_value_t *v = &self->values [row];
    char *copy = strdup (value);
    if (!copy) {
        snprintf (err, errsize, "out of memory");
        return -1;
    }
    free (v->value);
    v->value = copy;
    snprintf (v->source, sizeof v->source, "%s", source);
    return 0;
}

int
pl_settings_flag (pl_settings_t *self, const char *key, const char *value,
                  char *err, size_t errsize)
{
    int row = s_row (key, self->bit);
    assert (row >= 0 && self->values [row].field);
    char flag [128];
    snprintf (flag, sizeof flag, "--%s", key);
    char source [160];
    snprintf (source, sizeof source, "flag %s", flag);
    if (s_set (self, (size_t) row, value, source, flag, err, errsize))
        return -1;
    self->values [row].flagged = 1;
    s_write (&self->values [row], &s_table [row], value);
    return 0;
}

//  ---------------------------------------------------------------------
//  The file

//  The distance between A and B in edits (Levenshtein), for "did you mean".
static size_t
s_distance (const char *a, const char *b)
{
    size_t la = strlen (a), lb = strlen (b);
    if (la > 63 || lb > 63)
        return SIZE_MAX;
    size_t row [64];
    for (size_t j = 0; j <= lb; j++)
        row [j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row [0];
        row [0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row [j];
            size_t best = diagonal + (a [i - 1] != b [j - 1]);
            if (above + 1 < best)
                best = above + 1;
            if (row [j - 1] + 1 < best)
                best = row [j - 1] + 1;
            row [j] = best;
            diagonal = above;
        }
    }
    return row [lb];
}

//  Record the first error, at the current line.
static void
s_fail (pl_settings_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static void
s_fail (pl_settings_t *self, const char *format, ...)
{
    if (self->error_line)
        return;
    self->error_line = self->line;
    int length = snprintf (self->error, sizeof self->error, "%s:%d: ", self->file, self->line);
    va_list args;
    va_start (args, format);
    vsnprintf (self->error + length, sizeof self->error - (size_t) length, format, args);
    va_end (args);
}

//  An unknown KEY in SECTION (a program's bit, 0 for [plenary]): the error,
//  with the nearest key, and where that one belongs when not here.
static void
s_unknown_key (pl_settings_t *self, const char *section, int bit, const char *key)
{
    const s_row_t *nearest = NULL;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < S_ROWS; i++) {
        size_t distance = s_distance (key, s_table [i].key);
        int here = bit ? (s_table [i].programs & (unsigned) bit) != 0 : s_table [i].common;
        //  among equals, the one this section takes
        if (distance < best || (distance == best && here)) {
            best = distance;
            nearest = &s_table [i];
        }
    }
    char hint [256] = "";
    if (nearest && (best == 0 || best <= strlen (key) / 3 + 1)) {
        int here = bit ? (nearest->programs & (unsigned) bit) != 0 : nearest->common;
        char sections [160] = "";
        for (size_t i = 0; !here && i < S_PROGRAMS; i++)
            if (s_row (nearest->key, s_programs [i].bit) >= 0) {
                size_t length = strlen (sections);
                snprintf (sections + length, sizeof sections - length, "%s[%s]",
                          length ? " " : "", s_programs [i].section);
            }
        if (best == 0)
            snprintf (hint, sizeof hint, " here; it is a setting of %s", sections);
        else
        if (here)
            snprintf (hint, sizeof hint, "; did you mean '%s'?", nearest->key);
        else
            snprintf (hint, sizeof hint, "; did you mean '%s' (a setting of %s)?",
                      nearest->key, sections);
    }
    s_fail (self, "[%s] %s: no such setting%s", section, key, hint);
}

//  libinih's handler: one key of SECTION.  Checks the section, the key and
//  the value, and keeps them; returns 0 (an error) after recording why.
static int
s_on_key (void *arg, const char *section, const char *key, const char *value)
{
    pl_settings_t *self = arg;
    if (!*section) {
        s_fail (self, "%s: a key before any [section] (e.g. [%s] or [plenary])", key,
                self->section);
        return 0;
    }
    int bit = s_section_bit (section);
    if (bit < 0)
        return 0;                   //  s_next_line said why
    int row = -1;
    for (size_t i = 0; i < S_ROWS && row < 0; i++)
        if (strcmp (s_table [i].key, key) == 0
        &&  (bit ? (s_table [i].programs & (unsigned) bit) != 0 : s_table [i].common))
            row = (int) i;
    if (row < 0) {
        s_unknown_key (self, section, bit, key);
        return 0;
    }
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->entries [i].section, section) == 0
        &&  strcmp (self->entries [i].key, key) == 0) {
            s_fail (self, "[%s] %s: given twice, here and at line %d", section, key,
                    self->entries [i].line);
            return 0;
        }
    char why [1024];
    if (s_check (&s_table [row], value, why, sizeof why)) {
        s_fail (self, "[%s] %s: %s", section, key, why);
        return 0;
    }
    if (self->count == self->allocated) {
        size_t allocated = self->allocated ? 2 * self->allocated : 16;
        s_entry_t *entries = realloc (self->entries, allocated * sizeof *entries);
        if (!entries) {
            s_fail (self, "out of memory");
            return 0;
        }
        self->entries = entries;
        self->allocated = allocated;
    }
    s_entry_t *entry = &self->entries [self->count];
    entry->section = strdup (section);
    entry->key = strdup (key);
    entry->value = strdup (value);
    entry->line = self->line;
    self->count++;
    if (!entry->section || !entry->key || !entry->value) {
        s_fail (self, "out of memory");
        return 0;
    }
    return 1;
}

//  The section named on a line "[NAME]" at START: an error unless it is known.
static void
s_check_section (pl_settings_t *self, const char *start, size_t length)
{
    const char *close = memchr (start, ']', length);
    if (!close)
        return;                     //  libinih's syntax error
    char section [64];
    snprintf (section, sizeof section, "%.*s", (int) (close - start - 1), start + 1);
    if (s_section_bit (section) >= 0)
        return;
    const char *nearest = S_COMMON;
    size_t best = s_distance (section, S_COMMON);
    for (size_t i = 0; i < S_PROGRAMS; i++)
        if (s_distance (section, s_programs [i].section) < best) {
            best = s_distance (section, s_programs [i].section);
            nearest = s_programs [i].section;
        }
    char hint [96] = "";
    if (best <= strlen (section) / 3 + 1)
        snprintf (hint, sizeof hint, "; did you mean [%s]?", nearest);
    s_fail (self, "[%s]: no such section%s (the sections: [plenary], [broker], [records], "
            "[calendar], [archive], [notify], [gateway], [client])", section, hint);
}

//  libinih's reader: the next line of the text, its leading blanks taken
//  away (so that no line continues the one before: a value is one line),
//  counted; a line too long is an error and read as empty.
static char *
s_next_line (char *buf, int size, void *arg)
{
    pl_settings_t *self = arg;
    if (!*self->text)
        return NULL;
    self->line++;
    const char *end = strchr (self->text, '\n');
    size_t length = end ? (size_t) (end - self->text) : strlen (self->text);
    const char *start = self->text;
    self->text += length + (end != NULL);
    while (length && (*start == ' ' || *start == '\t')) {
        start++;
        length--;
    }
    if (length > PL_SETTINGS_LINE_MAX || length + 3 > (size_t) size) {
        s_fail (self, "a line longer than %d bytes", PL_SETTINGS_LINE_MAX);
        length = 0;
    }
    if (length && *start == '[')
        s_check_section (self, start, length);
    memcpy (buf, start, length);
    buf [length] = '\n';
    buf [length + 1] = 0;
    return buf;
}

//  The text of line LINE of TEXT, for a syntax error, into BUF.
static void
s_line_text (const char *text, int line, char *buf, size_t size)
{
    for (int i = 1; i < line && text; i++) {
        text = strchr (text, '\n');
        text = text ? text + 1 : NULL;
    }
    if (!text) {
        *buf = 0;
        return;
    }
    size_t length = strcspn (text, "\r\n");
    snprintf (buf, size, "%.*s", (int) (length > 80 ? 80 : length), text);
}

//  Read and check PATH.  0, or -1 with ERR.
static int
s_read_file (pl_settings_t *self, const char *path, char *err, size_t errsize)
{
    size_t got = 0;
    char *text = pl_fs_read (path, PL_SETTINGS_FILE_MAX, &got, err, errsize);
    if (!text)
        return -1;
    snprintf (self->file, sizeof self->file, "%s", path);
    int rc = 0;
    if (memchr (text, 0, got)) {
        snprintf (err, errsize, "%s: holds a NUL byte: not a text file", path);
        rc = -1;
    }
    else {
        self->text = text;
        self->line = 0;
        int first = ini_parse_stream (s_next_line, self, s_on_key, self);
        if (self->error_line && (first <= 0 || self->error_line <= first))
            snprintf (err, errsize, "%s", self->error);
        else
        if (first > 0) {
            char line [96];
            s_line_text (text, first, line, sizeof line);
            snprintf (err, errsize, "%s:%d: expected 'key = value', '[section]' or a comment "
                      "(; or #), not '%s'", path, first, line);
        }
        else
        if (first < 0)
            snprintf (err, errsize, "%s: cannot read it", path);
        rc = self->error_line || first ? -1 : 0;
        self->text = NULL;
    }
    free (text);
    return rc;
}

//  Where the file is: FLAG (--config), $PLENARY_CONFIG, the default when it
//  exists.  Its path into PATH ("" for none) and how it was named.
static int
s_locate (const char *flag, char *path, size_t size, char *err, size_t errsize)
{
    const char *env = getenv ("PLENARY_CONFIG");
    const char *named = flag ? flag : env && *env ? env : NULL;
    if (named) {
        if (!*named || strlen (named) >= size) {
            snprintf (err, errsize, "%s: not a file name", flag ? "--config" : "PLENARY_CONFIG");
            return -1;
        }
        if (access (named, F_OK)) {
            snprintf (err, errsize, "%s %s: %s", flag ? "--config" : "PLENARY_CONFIG", named,
                      strerror (errno));
            return -1;
        }
        snprintf (path, size, "%s", named);
        return 0;
    }
    //  The default: not there is no configuration; there but unreadable is an error
    if (access (PL_SETTINGS_FILE, F_OK) == 0)
        snprintf (path, size, "%s", PL_SETTINGS_FILE);
    else
        *path = 0;
    return 0;
}

int
pl_settings_load (pl_settings_t *self, const char *config, char *err, size_t errsize)
{
    char path [PATH_MAX];
    if (s_locate (config, path, sizeof path, err, errsize))
        return -1;
    if (*path && s_read_file (self, path, err, errsize))
        return -1;
    for (size_t i = 0; i < S_ROWS; i++) {
        const s_row_t *r = &s_table [i];
        s_value_t *v = &self->values [i];
        if (!(r->programs & self->bit))
            continue;
        if (v->flagged)
            continue;
        if (v->field) {
            char value [S_PATH_MAX + 1];
            s_read (v, r, value, sizeof value);
            if (s_set (self, i, value, "default", r->key, err, errsize))
                return -1;
        }
        //  [plenary], then the program's own section
        for (int pass = 0; pass < 2; pass++)
            for (size_t e = 0; e < self->count; e++) {
                const s_entry_t *entry = &self->entries [e];
                if (strcmp (entry->key, r->key)
                ||  strcmp (entry->section, pass ? self->section : S_COMMON)
                ||  (!pass && !r->common))
                    continue;
                char source [S_SOURCE_MAX];
                snprintf (source, sizeof source, "%s:%d", self->file, entry->line);
                if (s_set (self, i, entry->value, source, source, err, errsize))
                    return -1;
            }
        const char *env = r->env ? getenv (r->env) : NULL;
        if (env && *env) {
            char source [64];
            snprintf (source, sizeof source, "env %s", r->env);
            if (s_set (self, i, env, source, r->env, err, errsize))
                return -1;
        }
        if (v->field)
            s_write (v, r, v->value);
    }
    return 0;
}

void
pl_config_from_env (pl_config_t *config)
{
    for (size_t i = 0; i < S_ROWS; i++) {
        const s_row_t *r = &s_table [i];
        const char *value = r->env && r->offset >= 0 ? getenv (r->env) : NULL;
        char why [1024];
        if (!value || !*value)
            continue;
        if (s_check (r, value, why, sizeof why))
            pl_warn ("config: %s: %s; ignored", r->env, why);
        else
            snprintf ((char *) config + r->offset, PL_ENDPOINT_MAX, "%s", value);
    }
}

//  ---------------------------------------------------------------------
//  A daemon's command line

pl_settings_action_t
pl_settings_parse (pl_settings_t *self, int argc, char *argv [], char *err, size_t errsize)
{
    for (size_t i = 0; i < S_ROWS; i++)
        assert (!(s_table [i].programs & self->bit) || self->values [i].field);
    enum { O_HELP = 1, O_VERSION, O_CONFIG, O_PRINT, O_CHECK, O_ROW = 1000 };  //  above letters
    struct option options [PL_SETTINGS_ROWS_MAX + 6];
    size_t count = 0;
    for (size_t i = 0; i < S_ROWS; i++)
        if (s_table [i].programs & self->bit)
            options [count++] = (struct option) {
                s_table [i].key, s_table [i].kind == S_SWITCH ? no_argument : required_argument,
                NULL, O_ROW + (int) i };
    options [count++] = (struct option) { "help", no_argument, NULL, O_HELP };
    options [count++] = (struct option) { "version", no_argument, NULL, O_VERSION };
    options [count++] = (struct option) { "config", required_argument, NULL, O_CONFIG };
    options [count++] = (struct option) { "print-config", optional_argument, NULL, O_PRINT };
    options [count++] = (struct option) { "check-config", no_argument, NULL, O_CHECK };
    options [count] = (struct option) { NULL, 0, NULL, 0 };

    //  The flags first, kept to be applied over the file and the environment
    const char **given = calloc (S_ROWS, sizeof *given);
    if (!given) {
        snprintf (err, errsize, "out of memory");
        return PL_SETTINGS_USAGE;
    }
    const char *config = NULL;
    pl_settings_action_t action = PL_SETTINGS_RUN;
    optind = 0;                     //  glibc: start afresh
    opterr = 0;
    int option;
    while ((option = getopt_long (argc, argv, ":h", options, NULL)) != -1) {
        if (option == 'h' || option == O_HELP || option == O_VERSION) {
            free (given);
            return option == O_VERSION ? PL_SETTINGS_VERSION : PL_SETTINGS_HELP;
        }
        if (option == '?' || option == ':') {
            snprintf (err, errsize, option == '?' ? "unknown flag '%s'" : "%s needs a value",
                      argv [optind - 1]);
            free (given);
            return PL_SETTINGS_USAGE;
        }
        if (option == O_CONFIG)
            config = optarg;
        else
        if (option == O_CHECK)
            action = PL_SETTINGS_CHECK;
        else
        if (option == O_PRINT) {
            if (optarg && strcmp (optarg, "json")) {
                snprintf (err, errsize, "--print-config=%s: the only format is json", optarg);
                free (given);
                return PL_SETTINGS_USAGE;
            }
            action = optarg ? PL_SETTINGS_PRINT_JSON : PL_SETTINGS_PRINT;
        }
        else
            given [option - O_ROW] = s_table [option - O_ROW].kind == S_SWITCH ? "true" : optarg;
    }
    if (optind < argc) {
        snprintf (err, errsize, "unexpected argument '%s'", argv [optind]);
        free (given);
        return PL_SETTINGS_USAGE;
    }
    for (size_t i = 0; i < S_ROWS; i++)
        if (given [i] && pl_settings_flag (self, s_table [i].key, given [i], err, errsize)) {
            free (given);
            return PL_SETTINGS_USAGE;
        }
    free (given);
    return pl_settings_load (self, config, err, errsize) ? PL_SETTINGS_USAGE : action;
}

//  ---------------------------------------------------------------------
//  What was resolved

int
pl_settings_given (const pl_settings_t *self, const char *key)
{
    int row = s_row (key, self->bit);
    assert (row >= 0);
    return self->values [row].value && strcmp (self->values [row].source, "default") != 0;
}

void
pl_settings_derive (pl_settings_t *self, const char *key, const char *value, const char *why)
{
    int row = s_row (key, self->bit);
    assert (row >= 0);
    char *copy = strdup (value);
    if (!copy)
        return;                     //  only what is printed stays as it was
    free (self->values [row].value);
    self->values [row].value = copy;
    snprintf (self->values [row].source, sizeof self->values [row].source, "%s", why);
}

const char *
pl_settings_value (const pl_settings_t *self, const char *key)
{
    int row = s_row (key, self->bit);
    assert (row >= 0);
    return self->values [row].value;
}

const char *
pl_settings_source (const pl_settings_t *self, const char *key)
{
    int row = s_row (key, self->bit);
    assert (row >= 0);
    return self->values [row].value ? self->values [row].source : NULL;
}

const char *
pl_settings_file (const pl_settings_t *self)
{
    return self->file;
}

int
pl_settings_print (const pl_settings_t *self, FILE *out, int json)
{
    if (json) {
        json_t *settings = json_array ();
        for (size_t i = 0; i < S_ROWS; i++) {
            const s_row_t *r = &s_table [i];
            const s_value_t *v = &self->values [i];
            if (!(r->programs & self->bit) || !v->value)
                continue;
            json_t *value = r->kind == S_NUMBER ? json_integer (strtoll (v->value, NULL, 10))
                          : r->kind == S_SWITCH ? json_boolean (s_switch (v->value) == 1)
                          : json_string (v->value);
            json_array_append_new (settings, json_pack ("{s:s, s:o, s:s, s:s?}", "key", r->key,
                                                        "value", value, "source", v->source,
                                                        "env", r->env));
        }
        json_t *document = json_pack ("{s:s, s:s, s:s?, s:o}", "program", self->section,
                                      "binary", self->binary,
                                      "file", *self->file ? self->file : NULL,
                                      "settings", settings);
        int rc = json_dumpf (document, out, JSON_INDENT (2)) || fputc ('\n', out) == EOF;
        json_decref (document);
        return rc ? -1 : 0;
    }
    int rc = fprintf (out, "# %s [%s]: file %s\n", self->binary, self->section,
                      *self->file ? self->file : "(none)") < 0;
    for (size_t i = 0; i < S_ROWS; i++) {
        const s_row_t *r = &s_table [i];
        const s_value_t *v = &self->values [i];
        if ((r->programs & self->bit) && v->value)
            rc |= fprintf (out, "%-17s = %-30s ; %s\n", r->key, v->value, v->source) < 0;
    }
    return rc ? -1 : 0;
}

int
pl_settings_report (const pl_settings_t *self, pl_settings_action_t action, const char *err)
{
    if (action == PL_SETTINGS_RUN && self->count)     //  a file that set something
        pl_info ("%s: settings from %s (plenary config --program %s shows them)",
                 self->section, self->file, self->section);
    if (action == PL_SETTINGS_RUN || action == PL_SETTINGS_CHECK)
        return -1;
    if (action == PL_SETTINGS_USAGE) {
        fprintf (stderr, "%s: %s\nTry '%s --help'.\n", self->binary, err, self->binary);
        return 2;
    }
    if (action == PL_SETTINGS_PRINT || action == PL_SETTINGS_PRINT_JSON)
        return pl_settings_print (self, stdout, action == PL_SETTINGS_PRINT_JSON) ? 1 : 0;
    return 0;                       //  help, version: the program answered
}

void
pl_settings_usage (FILE *out, const char *section, int column)
{
    char file [160], sections [96];
    snprintf (file, sizeof file, "%s when it exists): keys named after", PL_SETTINGS_FILE);
    snprintf (sections, sizeof sections, "[%s]; a flag wins over the environment, which", section);
    const char *lines [] = {
        "--config FILE", "the configuration file (default $PLENARY_CONFIG, else",
        "", file,
        "", "the long flags, in [plenary] (for every program) and in",
        "", sections,
        "", "wins over the file, which wins over the default",
        "--print-config[=json]", "print each setting's value and where it came",
        "", "from (flag, env NAME, FILE:LINE or default), then exit",
        "--check-config", "judge the settings as at start, then exit: 0 when",
        "", "they are good, 2 with the reason",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines [0]; i += 2) {
        int width = fprintf (out, "  %s", lines [i]);
        if (width + 1 > column) {
            fputc ('\n', out);
            width = 0;
        }
        fprintf (out, "%*s%s\n", column - width, "", lines [i + 1]);
    }
}
