/*  notify_template — the message templates, checked at start and rendered
    (see notify_template.h for the format).

    s_kinds is the contract between the worker, which fills the values, and
    the templates, which may use them: each kind with the placeholders it
    takes.  A template is kept as its text and scanned again when rendered;
    the scan that renders is the scan that checked it at load. */
#include "notify_template.h"
#include "pl_log.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_FILE_MAX      65536           //  a template is a page of text, not more
#define S_FILES_MAX     256             //  kinds x six languages x text and HTML
#define S_NAME_MAX      48              //  a placeholder's name
#define S_PATH_MAX      1200

//  Placeholders every kind takes.
#define S_COMMON        "public_url"
//  A participant's registration: the person and the meeting.
#define S_REGISTRATION  S_COMMON " name participant meeting meeting_title venue start end " \
                        "delegation calendar_url feed_url reason focal_point_name"
//  A change of a session, to the meeting's registered participants.
#define S_SESSION       S_COMMON " name meeting meeting_title session session_title start end " \
                        "tz room venue reason feed_url unsubscribe_url"

static const struct {
    const char *kind;
    int transactional;          //  about the recipient's own registration
    const char *placeholders;   //  space-separated
} s_kinds [] = {
    { "registration-received",  1, S_REGISTRATION },
    { "registration-pending",   1, S_REGISTRATION },
    { "registration-approved",  1, S_REGISTRATION },
    { "registration-confirmed", 1, S_REGISTRATION },
    { "registration-rejected",  1, S_REGISTRATION },
    { "registration-withdrawn", 1, S_REGISTRATION },
    { "focal-point-approval",   1, S_COMMON " name focal_point participant registrant_name "
                                   "registrant_function meeting meeting_title delegation" },
    { "session-moved",          0, S_SESSION },
    { "session-cancelled",      0, S_SESSION },
    { "documents-released",     0, S_COMMON " documents count unsubscribe_url" },
    { "secretariat-digest",     0, S_COMMON " date waiting waiting_count credentials "
                                   "credentials_count unsubscribe_url" },
};
#define S_KINDS (sizeof s_kinds / sizeof s_kinds [0])

static const char *const s_languages [] = { "ar", "zh", "en", "fr", "ru", "es", NULL };

typedef struct {
    size_t kind;                //  index into s_kinds
    char language [8];          //  one of the UN languages (checked)
    int html;                   //  a .html file: the body only, values escaped
    char *subject;              //  .txt: the first line after "Subject: "
    char *body;
} s_template_t;

struct _notify_templates_t {
    s_template_t files [S_FILES_MAX];
    size_t count;
};

static int
s_kind_index (const char *kind, size_t *index)
{
    for (size_t i = 0; i < S_KINDS; i++)
        if (strcmp (s_kinds [i].kind, kind) == 0) {
            *index = i;
            return 0;
        }
    return -1;
}

int
notify_template_kind_known (const char *kind)
{
    size_t index;
    return kind && s_kind_index (kind, &index) == 0;
}

int
notify_template_transactional (const char *kind)
{
    size_t index;
    return s_kind_index (kind, &index) == 0 && s_kinds [index].transactional;
}

//  True when NAME is one of KIND's placeholders.
static int
s_takes (size_t kind, const char *name)
{
    const char *list = s_kinds [kind].placeholders;
    size_t length = strlen (name);
    for (const char *at = list; (at = strstr (at, name)); at += length)
        if ((at == list || at [-1] == ' ') && (at [length] == ' ' || at [length] == 0))
            return 1;
    return 0;
}

//  --------------------------------------------------------------------------
//  The scan: checks a template, or renders it into a growing buffer.

typedef struct {
    char *data;
    size_t used, room;
    int failed;
} s_buffer_t;

static void
s_put (s_buffer_t *buffer, const char *text, size_t length)
{
    if (buffer->failed)
        return;
    if (buffer->used + length + 1 > buffer->room) {
        size_t room = (buffer->room ? buffer->room : 256);
        while (room < buffer->used + length + 1)
            room *= 2;
        char *data = realloc (buffer->data, room);
        if (!data) {
            buffer->failed = 1;
            return;
        }
        buffer->data = data;
        buffer->room = room;
    }
    memcpy (buffer->data + buffer->used, text, length);
    buffer->used += length;
    buffer->data [buffer->used] = 0;
}

//  Put TEXT, HTML-escaped when ESCAPE.
static void
s_put_value (s_buffer_t *buffer, const char *text, int escape)
{
    for (const char *c = text; *c; c++) {
        const char *entity = NULL;
        if (escape)
            switch (*c) {
                case '&': entity = "&amp;";  break;
                case '<': entity = "&lt;";   break;
                case '>': entity = "&gt;";   break;
                case '"': entity = "&quot;"; break;
                case '\'': entity = "&#39;"; break;
                default: break;
            }
        if (entity)
            s_put (buffer, entity, strlen (entity));
        else
            s_put (buffer, c, 1);
    }
}

static const char *
s_value (const json_t *values, const char *name)
{
    const char *value = json_string_value (json_object_get (values, name));
    return value ? value : "";
}

//  Scan TEXT of template kind KIND.  With OUT NULL, only check: 0, or -1
//  with ERR ("line N: ...").  With OUT, render VALUES into it (ESCAPE: HTML).
static int
s_scan (const char *text, size_t kind, const json_t *values, int escape, s_buffer_t *out,
        char *err, size_t errsize)
{
    const char *c = text;
    char section [S_NAME_MAX] = "";
    int skipping = 0;
    while (*c) {
        const char *open = strstr (c, "{{");
        size_t plain = open ? (size_t) (open - c) : strlen (c);
        if (out && !skipping)
            s_put (out, c, plain);
        if (!open)
            break;
        int line = 1;
        for (const char *at = text; at < open; at++)
            line += *at == '\n';
        const char *close = strstr (open + 2, "}}");
        if (!close) {
            snprintf (err, errsize, "line %d: {{ without }}", line);
            return -1;
        }
        char name [S_NAME_MAX];
        size_t length = (size_t) (close - open - 2);
        if (length == 0 || length >= sizeof name) {
            snprintf (err, errsize, "line %d: a placeholder of %zu bytes", line, length);
            return -1;
        }
        memcpy (name, open + 2, length);
        name [length] = 0;
        char mark = strchr ("#^/", name [0]) ? name [0] : 0;
        const char *bare = mark ? name + 1 : name;
        if (!s_takes (kind, bare)) {
            snprintf (err, errsize, "line %d: unknown placeholder {{%s}} (%s takes: %s)", line,
                      name, s_kinds [kind].kind, s_kinds [kind].placeholders);
            return -1;
        }
        if (mark == '#' || mark == '^') {
            if (*section) {
                snprintf (err, errsize, "line %d: section {{%s}} inside section {{#%s}}: "
                          "sections do not nest", line, name, section);
                return -1;
            }
            snprintf (section, sizeof section, "%s", bare);
            int empty = *s_value (values, bare) == 0;
            skipping = mark == '#' ? empty : !empty;
        }
        else
        if (mark == '/') {
            if (strcmp (section, bare)) {
                snprintf (err, errsize, "line %d: {{/%s}} closes no open section", line, bare);
                return -1;
            }
            *section = 0;
            skipping = 0;
        }
        else
        if (out && !skipping)
            s_put_value (out, s_value (values, bare), escape);
        c = close + 2;
    }
    if (*section) {
        snprintf (err, errsize, "section {{#%s}} is never closed", section);
        return -1;
    }
    return out && out->failed ? -1 : 0;
}

//  --------------------------------------------------------------------------
//  Loading

//  Read PATH (at most S_FILE_MAX bytes) into a new string.  NULL with ERR.
static char *
s_slurp (const char *path, char *err, size_t errsize)
{
    FILE *file = fopen (path, "rb");
    if (!file) {
        snprintf (err, errsize, "%s: %s", path, strerror (errno));
        return NULL;
    }
    char *text = malloc (S_FILE_MAX + 1);
    size_t size = text ? fread (text, 1, S_FILE_MAX + 1, file) : 0;
    fclose (file);
    if (!text || size > S_FILE_MAX) {
        snprintf (err, errsize, "%s: %s", path, text ? "longer than 64 KiB" : "out of memory");
        free (text);
        return NULL;
    }
    text [size] = 0;
    if (strlen (text) != size) {
        snprintf (err, errsize, "%s: contains a NUL byte", path);
        free (text);
        return NULL;
    }
    return text;
}

//  Split a .txt template's TEXT into subject and body in FILE.  0 or -1.
static int
s_split (char *text, s_template_t *file, const char *name, char *err, size_t errsize)
{
    if (strncmp (text, "Subject: ", 9)) {
        snprintf (err, errsize, "%s:1: the first line must be 'Subject: ...'", name);
        return -1;
    }
    char *end = strchr (text, '\n');
    if (!end || (end [1] != '\n' && !(end [1] == '\r' && end [2] == '\n'))) {
        snprintf (err, errsize, "%s:2: an empty line must follow the subject", name);
        return -1;
    }
    size_t length = (size_t) (end - text) - 9;
    if (length && text [9 + length - 1] == '\r')
        length--;
    file->subject = strndup (text + 9, length);
    file->body = strdup (end + (end [1] == '\n' ? 2 : 3));
    return file->subject && file->body ? 0 : -1;
}

//  Load file NAME of folder DIR into SELF when it is a template.  0 or -1.
static int
s_load_file (notify_templates_t *self, const char *dir, const char *name,
             char *err, size_t errsize)
{
    const char *dot = strrchr (name, '.');
    int html = dot && strcmp (dot, ".html") == 0;
    if (!dot || (!html && strcmp (dot, ".txt")))
        return 0;               //  README.md and the like
    char kind [64] = "", language [8] = "";
    const char *first = strchr (name, '.');
    if (first && first < dot && (size_t) (first - name) < sizeof kind
    &&  (size_t) (dot - first - 1) < sizeof language) {
        memcpy (kind, name, (size_t) (first - name));
        kind [first - name] = 0;
        memcpy (language, first + 1, (size_t) (dot - first - 1));
        language [dot - first - 1] = 0;
    }
    size_t index;
    if (!*kind || !*language) {
        snprintf (err, errsize, "%s/%s: not named KIND.LANG.txt or KIND.LANG.html", dir, name);
        return -1;
    }
    if (s_kind_index (kind, &index)) {
        snprintf (err, errsize, "%s/%s: no message kind '%s'", dir, name, kind);
        return -1;
    }
    int known = 0;
    for (size_t i = 0; s_languages [i]; i++)
        known |= strcmp (s_languages [i], language) == 0;
    if (!known) {
        snprintf (err, errsize, "%s/%s: '%s' is not one of the UN languages "
                  "(ar zh en fr ru es)", dir, name, language);
        return -1;
    }
    if (self->count == S_FILES_MAX) {
        snprintf (err, errsize, "%s: more than %d templates", dir, S_FILES_MAX);
        return -1;
    }
    char path [S_PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    char *text = s_slurp (path, err, errsize);
    if (!text)
        return -1;
    s_template_t *file = &self->files [self->count++];
    file->kind = index;
    file->html = html;
    snprintf (file->language, sizeof file->language, "%s", language);
    int rc = 0;
    if (html)
        file->body = text;
    else {
        rc = s_split (text, file, path, err, errsize);
        free (text);
    }
    char why [512];
    //  The subject is one line: its placeholders are checked with the body's
    if (rc == 0 && file->subject && s_scan (file->subject, index, NULL, 0, NULL, why, sizeof why)) {
        snprintf (err, errsize, "%s:1: %s", path, why + (strncmp (why, "line 1: ", 8) ? 0 : 8));
        rc = -1;
    }
    if (rc == 0 && s_scan (file->body, index, NULL, 0, NULL, why, sizeof why)) {
        int line = 0;
        //  Body lines are numbered as in the file (subject and empty line)
        if (sscanf (why, "line %d:", &line) == 1 && !html) {
            const char *rest = strchr (why, ':');
            snprintf (err, errsize, "%s:%d:%s", path, line + 2, rest + 1);
        }
        else
            snprintf (err, errsize, "%s: %s", path, why);
        rc = -1;
    }
    return rc;
}

static s_template_t *
s_find (notify_templates_t *self, size_t kind, const char *language, int html)
{
    for (size_t i = 0; i < self->count; i++)
        if (self->files [i].kind == kind && self->files [i].html == html
        &&  strcmp (self->files [i].language, language) == 0)
            return &self->files [i];
    return NULL;
}

notify_templates_t *
notify_templates_load (const char *dir, char *err, size_t errsize)
{
    notify_templates_t *self = calloc (1, sizeof *self);
    DIR *folder = self ? opendir (dir) : NULL;
    if (!folder) {
        snprintf (err, errsize, "%s: %s", dir, self ? strerror (errno) : "out of memory");
        notify_templates_destroy (&self);
        return NULL;
    }
    //  Sorted, so that the first problem reported is always the same one
    struct dirent **names = NULL;
    closedir (folder);
    int count = scandir (dir, &names, NULL, alphasort);
    int rc = count < 0 ? -1 : 0;
    if (count < 0)
        snprintf (err, errsize, "%s: %s", dir, strerror (errno));
    for (int i = 0; i < count; i++) {
        if (rc == 0 && names [i]->d_name [0] != '.')
            rc = s_load_file (self, dir, names [i]->d_name, err, errsize);
        free (names [i]);
    }
    free (names);
    for (size_t kind = 0; rc == 0 && kind < S_KINDS; kind++)
        if (!s_find (self, kind, "en", 0)) {
            snprintf (err, errsize, "%s: %s.en.txt is missing: every kind of message needs its "
                      "English template", dir, s_kinds [kind].kind);
            rc = -1;
        }
    for (size_t i = 0; rc == 0 && i < self->count; i++)
        if (self->files [i].html
        &&  !s_find (self, self->files [i].kind, self->files [i].language, 0)) {
            snprintf (err, errsize, "%s: %s.%s.html has no %s.%s.txt (its subject and plain "
                      "text)", dir, s_kinds [self->files [i].kind].kind, self->files [i].language,
                      s_kinds [self->files [i].kind].kind, self->files [i].language);
            rc = -1;
        }
    if (rc)
        notify_templates_destroy (&self);
    return self;
}

void
notify_templates_destroy (notify_templates_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    notify_templates_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++) {
        free (self->files [i].subject);
        free (self->files [i].body);
    }
    free (self);
    *self_p = NULL;
}

size_t
notify_templates_count (notify_templates_t *self)
{
    return self ? self->count : 0;
}

//  --------------------------------------------------------------------------
//  Rendering

//  The HTML of plain TEXT: escaped, paragraphs at empty lines, lines
//  joined by <br>, http(s) addresses made links.
static char *
s_html_of (const char *text, const char *language)
{
    s_buffer_t out = { 0 };
    char head [128];
    snprintf (head, sizeof head, "<!DOCTYPE html>\n<html lang=\"%s\"%s><body>\n<p>", language,
              strcmp (language, "ar") == 0 ? " dir=\"rtl\"" : "");
    s_put (&out, head, strlen (head));
    const char *c = text;
    while (*c) {
        if (*c == '\n') {
            size_t blank = 0;
            while (c [blank] == '\n' || c [blank] == '\r')
                blank++;
            int paragraph = 0;
            for (size_t i = 0; i < blank; i++)
                paragraph += c [i] == '\n';
            if (c [blank] == 0)
                break;
            s_put (&out, paragraph > 1 ? "</p>\n<p>" : "<br>\n", paragraph > 1 ? 8 : 5);
            c += blank;
            continue;
        }
        if (strncmp (c, "https://", 8) == 0 || strncmp (c, "http://", 7) == 0) {
            size_t length = strcspn (c, " \t\r\n<>\"");
            char *url = strndup (c, length);
            if (url) {
                s_put (&out, "<a href=\"", 9);
                s_put_value (&out, url, 1);
                s_put (&out, "\">", 2);
                s_put_value (&out, url, 1);
                s_put (&out, "</a>", 4);
                free (url);
            }
            c += length;
            continue;
        }
        char one [2] = { *c, 0 };
        s_put_value (&out, one, 1);
        c++;
    }
    s_put (&out, "</p>\n</body></html>\n", 20);
    if (out.failed) {
        free (out.data);
        return NULL;
    }
    return out.data;
}

int
notify_templates_render (notify_templates_t *self, const char *kind, const char *language,
                         const json_t *values, notify_rendered_t *out, char *err, size_t errsize)
{
    memset (out, 0, sizeof *out);
    size_t index;
    if (s_kind_index (kind, &index)) {
        snprintf (err, errsize, "no message kind '%s'", kind);
        return -1;
    }
    if (!language || !s_find (self, index, language, 0))
        language = "en";
    s_template_t *text = s_find (self, index, language, 0);
    s_template_t *html = s_find (self, index, language, 1);
    assert (text);              //  notify_templates_load checked every English one
    snprintf (out->language, sizeof out->language, "%s", language);
    s_buffer_t subject = { 0 }, body = { 0 }, markup = { 0 };
    int rc = s_scan (text->subject, index, values, 0, &subject, err, errsize)
          || s_scan (text->body, index, values, 0, &body, err, errsize);
    if (rc == 0 && html)
        rc = s_scan (html->body, index, values, 1, &markup, err, errsize);
    else
    if (rc == 0)
        markup.data = s_html_of (body.data ? body.data : "", language);
    if (rc == 0 && !markup.data)
        rc = -1;
    //  A subject is one header line: a value's line breaks become spaces
    for (char *c = subject.data; c && *c; c++)
        if (*c == '\r' || *c == '\n' || *c == '\t')
            *c = ' ';
    out->subject = subject.data ? subject.data : strdup ("");
    out->text = body.data ? body.data : strdup ("");
    out->html = markup.data;
    if (rc == 0 && (!out->subject || !out->text)) {
        snprintf (err, errsize, "out of memory");
        rc = -1;
    }
    if (rc)
        notify_rendered_free (out);
    return rc ? -1 : 0;
}

void
notify_rendered_free (notify_rendered_t *rendered)
{
    free (rendered->subject);
    free (rendered->text);
    free (rendered->html);
    rendered->subject = rendered->text = rendered->html = NULL;
}

//  --------------------------------------------------------------------------
//  Self-test: a folder of templates made here, good and bad.

static int
s_write (const char *dir, const char *name, const char *text)
{
    char path [S_PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen (path, "w");
    if (!file)
        return -1;
    fputs (text, file);
    return fclose (file);
}

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "notify_template: FAIL %s (%s)\n", what, err); failed++; } } while (0)

int
notify_template_test (int verbose)
{
    int failed = 0;
    char dir [] = "/tmp/notify_template.XXXXXX", err [1024] = "";
    if (!mkdtemp (dir))
        return -1;
    for (size_t i = 0; i < S_KINDS; i++) {
        char name [96];
        snprintf (name, sizeof name, "%s.en.txt", s_kinds [i].kind);
        s_write (dir, name, "Subject: About {{public_url}}\n\nHello.\n");
    }
    s_write (dir, "registration-received.fr.txt",
             "Subject: Inscription à {{meeting_title}}\n\nBonjour {{name}},\n\n"
             "{{#calendar_url}}Votre calendrier : {{calendar_url}}\n{{/calendar_url}}"
             "{{^calendar_url}}Pas de calendrier.\n{{/calendar_url}}Fin <b>.\n");
    s_write (dir, "README.md", "ignored");
    notify_templates_t *self = notify_templates_load (dir, err, sizeof err);
    S_CHECK (self && notify_templates_count (self) == S_KINDS + 1, "load");
    json_t *values = json_pack ("{s:s, s:s, s:s}", "name", "Zofia <Z>",
                                "meeting_title", "MSP\r\nBcc: x@y", "calendar_url",
                                "https://h/ics/p/ab.ics");
    notify_rendered_t out;
    S_CHECK (self && notify_templates_render (self, "registration-received", "fr", values, &out,
                                              err, sizeof err) == 0, "render");
    if (self && out.text) {
        S_CHECK (strcmp (out.subject, "Inscription à MSP  Bcc: x@y") == 0, "one-line subject");
        S_CHECK (strstr (out.text, "Votre calendrier : https://h/ics/p/ab.ics")
                 && !strstr (out.text, "Pas de"), "section shown, inverted one hidden");
        S_CHECK (strstr (out.html, "Zofia &lt;Z&gt;") && strstr (out.html, "<a href=\"https://h/")
                 && strstr (out.html, "Fin &lt;b&gt;."), "HTML escaped, links");
        notify_rendered_free (&out);
    }
    json_object_del (values, "calendar_url");
    S_CHECK (self && notify_templates_render (self, "registration-received", "zh", values, &out,
                                              err, sizeof err) == 0
             && strcmp (out.language, "en") == 0, "English when the language has no file");
    if (self && out.text)
        notify_rendered_free (&out);
    notify_templates_destroy (&self);
    json_decref (values);

    static const struct {
        const char *name;
        const char *text;
        const char *error;
    } bad [] = {
        { "registration-received.fr.txt", "Subject: x\n\nHi {{nmae}}\n",
          "registration-received.fr.txt:3: unknown placeholder {{nmae}}" },
        { "registration-received.fr.txt", "Subject: x {{documents}}\n\nHi\n",
          "registration-received.fr.txt:1: unknown placeholder {{documents}}" },
        { "registration-received.fr.txt", "Subject: x\n\n{{#reason}}open\n", "never closed" },
        { "registration-received.fr.txt", "Subject: x\n\n{{#reason}}{{#name}}{{/name}}",
          "sections do not nest" },
        { "registration-received.fr.txt", "Hi\n", "the first line must be 'Subject: ...'" },
        { "registration-recieved.fr.txt", "Subject: x\n\nHi\n", "no message kind" },
        { "registration-received.de.txt", "Subject: x\n\nHi\n", "not one of the UN languages" },
        { "session-moved.ru.html", "<p>{{room}}</p>", "has no session-moved.ru.txt" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++) {
        unlink (strcat (strcat (strcpy (err, dir), "/"), "registration-received.fr.txt"));
        s_write (dir, bad [i].name, bad [i].text);
        *err = 0;
        self = notify_templates_load (dir, err, sizeof err);
        S_CHECK (!self && strstr (err, bad [i].error), bad [i].error);
        notify_templates_destroy (&self);
        char path [S_PATH_MAX];
        snprintf (path, sizeof path, "%s/%s", dir, bad [i].name);
        unlink (path);
    }
    snprintf (err, sizeof err, "%s/documents-released.en.txt", dir);
    unlink (err);
    self = notify_templates_load (dir, err, sizeof err);
    S_CHECK (!self && strstr (err, "documents-released.en.txt is missing"), "English required");
    DIR *folder = opendir (dir);
    struct dirent *entry;
    while (folder && (entry = readdir (folder)))
        if (entry->d_name [0] != '.') {
            char path [S_PATH_MAX];
            snprintf (path, sizeof path, "%s/%s", dir, entry->d_name);
            unlink (path);
        }
    if (folder)
        closedir (folder);
    rmdir (dir);
    if (verbose && !failed)
        fprintf (stderr, "notify_template_test: ok\n");
    return failed ? -1 : 0;
}
