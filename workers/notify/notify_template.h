/*  notify_template — the message templates the secretariat edits.

    One file per kind of message and language, KIND.LANG.txt, in a folder
    (the repository's workers/notify/templates, installed beside the binary,
    or --templates DIR):

        Subject: Your registration to {{meeting_title}} was received

        Dear {{name}},
        ...

    The first line is the subject, then an empty line, then the plain-text
    body.  A KIND.LANG.html beside it, when present, is the HTML
    alternative; without one, the HTML is made from the text (escaped,
    paragraphs, links).  LANG is one of the six UN languages (ar zh en fr
    ru es); every kind has its English file, the fallback of a language
    without one.

    Placeholders: {{name}} is replaced by the value (HTML-escaped in the
    HTML); {{#name}}...{{/name}} shows its content only when the value is
    not empty, {{^name}}...{{/name}} only when it is; sections do not nest.
    Each kind takes the placeholders the table in notify_template.c lists
    (workers/notify/templates/README.md too); anything else, a section
    left open, a file of an unknown kind or language, or a kind without
    its English file is an error when the worker starts
    (notify_templates_load), never a broken message. */
#ifndef NOTIFY_TEMPLATE_H_INCLUDED
#define NOTIFY_TEMPLATE_H_INCLUDED

#include <stddef.h>
#include <jansson.h>

typedef struct _notify_templates_t notify_templates_t;

//  A rendered message: each string owned by it (notify_rendered_free).
typedef struct {
    char *subject;
    char *text;
    char *html;
    char language [4];          //  the language of the template used
} notify_rendered_t;

//  Load and check every template in folder DIR.  NULL with ERR ("FILE:LINE:
//  unknown placeholder {{x}} (registration-received takes: name, ...)") on
//  the first problem.
notify_templates_t *notify_templates_load (const char *dir, char *err, size_t errsize);

//  Free; NULL-safe, nulls *SELF_P.
void notify_templates_destroy (notify_templates_t **self_p);

//  How many template files were loaded.
size_t notify_templates_count (notify_templates_t *self);

//  Render KIND in LANGUAGE (English when it has no such file) with VALUES,
//  a JSON object of strings (absent ones are empty).  0, or -1 with ERR.
int notify_templates_render (notify_templates_t *self, const char *kind, const char *language,
                             const json_t *values, notify_rendered_t *out,
                             char *err, size_t errsize);

//  Free what a render made.
void notify_rendered_free (notify_rendered_t *rendered);

//  True when KIND is a kind of message (the table of notify_template.c).
int notify_template_kind_known (const char *kind);

//  True when messages of KIND are transactional (about the recipient's own
//  registration): they carry no List-Unsubscribe and are sent to an
//  address that unsubscribed.
int notify_template_transactional (const char *kind);

//  Self-test.  0 when it passes.
int notify_template_test (int verbose);

#endif
