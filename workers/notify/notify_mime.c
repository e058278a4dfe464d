/*  notify_mime — one e-mail message, headers and MIME parts (see the header).

    Base64 comes from libsodium (the original variant, with padding); the
    rest is string building, deliberately small: plenary writes messages,
    it never reads them. */
#include "notify_mime.h"
#include "pl_mailkey.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_LINE          76          //  RFC 2045: base64 lines of at most 76 characters
#define S_WORD_BYTES    45          //  UTF-8 bytes per encoded word: 60 base64 characters

typedef struct {
    char *data;
    size_t used, room;
    int failed;
} s_text_t;

static void
s_add (s_text_t *text, const char *data, size_t length)
{
    if (text->failed)
        return;
    if (text->used + length + 1 > text->room) {
        size_t room = text->room ? text->room : 4096;
        while (room < text->used + length + 1)
            room *= 2;
        char *grown = realloc (text->data, room);
        if (!grown) {
            text->failed = 1;
            return;
        }
        text->data = grown;
        text->room = room;
    }
    memcpy (text->data + text->used, data, length);
    text->used += length;
    text->data [text->used] = 0;
}

static void
s_addf (s_text_t *text, const char *format, ...) __attribute__ ((format (printf, 2, 3)));
static void
s_addf (s_text_t *text, const char *format, ...)
{
    char line [1024];
    va_list args;
    va_start (args, format);
    int length = vsnprintf (line, sizeof line, format, args);
    va_end (args);
    if (length < 0 || (size_t) length >= sizeof line)
        text->failed = 1;
    else
        s_add (text, line, (size_t) length);
}

//  SIZE bytes at DATA in base64, lines of S_LINE characters, each CRLF.
static void
s_base64 (s_text_t *text, const char *data, size_t size)
{
    //  57 bytes make 76 characters
    for (size_t at = 0; at < size || (at == 0 && size == 0); at += 57) {
        size_t chunk = size - at < 57 ? size - at : 57;
        char line [S_LINE + 4];
        sodium_bin2base64 (line, sizeof line, (const unsigned char *) data + at, chunk,
                           sodium_base64_VARIANT_ORIGINAL);
        s_add (text, line, strlen (line));
        s_add (text, "\r\n", 2);
        if (size == 0)
            break;
    }
}

static int
s_ascii (const char *text)
{
    for (const unsigned char *c = (const unsigned char *) text; *c; c++)
        if (*c >= 0x80 || *c < 0x20)
            return 0;
    return 1;
}

//  "Subject: " and SUBJECT, as is when ASCII, else as RFC 2047 encoded
//  words of whole UTF-8 characters on folded lines.
static void
s_subject (s_text_t *text, const char *subject)
{
    s_add (text, "Subject: ", 9);
    if (s_ascii (subject) && strlen (subject) < 900) {
        s_add (text, subject, strlen (subject));
        s_add (text, "\r\n", 2);
        return;
    }
    size_t length = strlen (subject), at = 0;
    while (at < length) {
        size_t chunk = length - at < S_WORD_BYTES ? length - at : S_WORD_BYTES;
        //  Never split a character: back up to a lead byte
        while (chunk < length - at && chunk > 0
           &&  ((unsigned char) subject [at + chunk] & 0xC0) == 0x80)
            chunk--;
        char word [S_WORD_BYTES * 2];
        sodium_bin2base64 (word, sizeof word, (const unsigned char *) subject + at, chunk,
                           sodium_base64_VARIANT_ORIGINAL);
        s_addf (text, "%s=?UTF-8?B?%s?=", at ? "\r\n " : "", word);
        at += chunk;
    }
    s_add (text, "\r\n", 2);
}

//  One text part of TYPE with BODY.
static void
s_part (s_text_t *text, const char *boundary, const char *type, const char *body)
{
    s_addf (text, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\n\r\n",
            boundary, type);
    s_base64 (text, body, strlen (body));
}

char *
notify_mime_build (const notify_mail_t *mail)
{
    if (strpbrk (mail->from, "\r\n") || strpbrk (mail->to, "\r\n")
    ||  strpbrk (mail->message_id, "\r\n")
    ||  (mail->unsubscribe_url && strpbrk (mail->unsubscribe_url, "\r\n<>")))
        return NULL;
    s_text_t text = { 0 };
    char date [64];
    time_t seconds = (time_t) (mail->date_ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    strftime (date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    //  The boundary: from the Message-ID, and never in base64's alphabet
    char hash [PL_MAILKEY_HEX], boundary [40];
    pl_mailkey_hash (mail->message_id, hash);
    snprintf (boundary, sizeof boundary, "=_plenary_%.24s", hash);
    s_addf (&text, "From: %s\r\nTo: %s\r\n", mail->from, mail->to);
    s_subject (&text, mail->subject);
    s_addf (&text, "Date: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n", date,
            mail->message_id);
    s_addf (&text, "Content-Language: %s\r\nAuto-Submitted: auto-generated\r\n", mail->language);
    if (mail->unsubscribe_url)
        s_addf (&text, "List-Unsubscribe: <%s>\r\n"
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", mail->unsubscribe_url);
    s_addf (&text, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
    s_add (&text, "This is a message in MIME format.\r\n", 35);
    s_part (&text, boundary, "text/plain; charset=UTF-8", mail->text);
    s_part (&text, boundary, "text/html; charset=UTF-8", mail->html);
    if (mail->ics) {
        char type [96];
        snprintf (type, sizeof type, "text/calendar; charset=UTF-8; method=%s", mail->ics_method);
        s_part (&text, boundary, type, mail->ics);
    }
    s_addf (&text, "--%s--\r\n", boundary);
    if (text.failed) {
        free (text.data);
        return NULL;
    }
    return text.data;
}

void
notify_mime_message_id (char *buf, size_t size, const char *tag, const char *kind,
                        const char *recipient, const char *from)
{
    char key [256], hash [PL_MAILKEY_HEX];
    if (pl_mailkey_address (recipient, key, sizeof key))
        snprintf (key, sizeof key, "%.255s", recipient);
    pl_mailkey_hash (key, hash);
    const char *at = strrchr (from, '@');
    char domain [256];
    snprintf (domain, sizeof domain, "%s", at ? at + 1 : "plenary.invalid");
    domain [strcspn (domain, ">\r\n \t")] = 0;
    snprintf (buf, size, "<%s.%s.%.16s@%s>", tag, kind, hash, domain);
}

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "notify_mime: FAIL %s\n", what); failed++; } } while (0)

int
notify_mime_test (int verbose)
{
    int failed = 0;
    char id [256], again [256];
    notify_mime_message_id (id, sizeof id, "42", "session-moved", " Zofia@Example.pl",
                            "ISU <isu@ccm.example.org>");
    notify_mime_message_id (again, sizeof again, "42", "session-moved", "zofia@example.pl",
                            "isu@ccm.example.org");
    S_CHECK (strcmp (id, again) == 0 && strncmp (id, "<42.session-moved.", 18) == 0
             && strstr (id, "@ccm.example.org>"), "Message-ID from seq and recipient");
    notify_mail_t mail = {
        .from = "isu@ccm.example.org", .to = "zofia@example.pl",
        .subject = "Séance déplacée : Première séance plénière de la Réunion des États parties",
        .message_id = id, .language = "fr", .date_ms = 1757930400000,
        .unsubscribe_url = "https://plenary.example.org/unsubscribe/ab",
        .text = "Bonjour", .html = "<p>Bonjour</p>",
        .ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", .ics_method = "REQUEST",
    };
    char *text = notify_mime_build (&mail);
    S_CHECK (text && strstr (text, "Subject: =?UTF-8?B?") && strstr (text, "?=\r\n =?UTF-8?B?"),
             "encoded words, folded");
    S_CHECK (text && strstr (text, "Date: Mon, 15 Sep 2025 10:00:00 +0000\r\n"), "Date");
    S_CHECK (text && strstr (text, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
             "one click");
    S_CHECK (text && strstr (text, "text/calendar; charset=UTF-8; method=REQUEST"), "iTIP part");
    int lines_ok = text != NULL;
    for (char *line = text; lines_ok && line && *line; ) {
        char *end = strstr (line, "\r\n");
        lines_ok = end && end - line <= 998 && !memchr (line, '\n', (size_t) (end - line));
        for (char *c = line; lines_ok && c < end; c++)
            lines_ok = (unsigned char) *c < 0x80;
        line = end ? end + 2 : NULL;
    }
    S_CHECK (lines_ok, "7-bit CRLF lines");
    free (text);
    mail.to = "zofia@example.pl\r\nBcc: everyone@example.org";
    S_CHECK (notify_mime_build (&mail) == NULL, "a header injection refused");
    if (verbose && !failed)
        fprintf (stderr, "notify_mime_test: ok\n");
    return failed ? -1 : 0;
}
