/*  notify_mime — one e-mail message as the relay receives it (RFC 5322,
    MIME RFC 2045-2049).

    Headers: From, To, Subject (RFC 2047 encoded words when not ASCII),
    Date, Message-ID, MIME-Version, Content-Language, Auto-Submitted
    (RFC 3834: auto-generated, so that out-of-office replies stay away) and,
    on a message that is not transactional, List-Unsubscribe with
    List-Unsubscribe-Post (RFC 8058: one click).  The body is
    multipart/alternative: text/plain, text/html and, for an iTIP message,
    text/calendar with its METHOD (RFC 6047), which is how Outlook, Apple
    Mail and Thunderbird recognise an update to an invitation they hold.
    Every part is UTF-8 in base64, lines CRLF of at most 76 characters, so
    the message is 7-bit and needs no SMTPUTF8 from the relay.  The same
    mail gives the same bytes (the boundary comes from the Message-ID). */
#ifndef NOTIFY_MIME_H_INCLUDED
#define NOTIFY_MIME_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *from;               //  the sender's address (PLENARY_MAIL_FROM)
    const char *to;                 //  the recipient's address
    const char *subject;            //  UTF-8, one line
    const char *message_id;         //  "<...@domain>"
    const char *language;           //  Content-Language: "fr"
    int64_t date_ms;                //  Date
    const char *unsubscribe_url;    //  List-Unsubscribe, or NULL (transactional)
    const char *text;               //  text/plain
    const char *html;               //  text/html
    const char *ics;                //  text/calendar, or NULL
    const char *ics_method;         //  its METHOD: "REQUEST", "CANCEL"
} notify_mail_t;

//  The message MAIL as CRLF text, into a new string (caller frees), or NULL
//  when out of memory or when an address holds CR or LF.
char *notify_mime_build (const notify_mail_t *mail);

//  The Message-ID of the message of KIND for the event SEQ (or the batch
//  that starts at it) to RECIPIENT, from the domain of FROM:
//  "<SEQ.KIND.HASH@DOMAIN>", HASH 16 hex digits of the recipient's address
//  key.  The same event and recipient always give the same Message-ID.
void notify_mime_message_id (char *buf, size_t size, const char *tag, const char *kind,
                             const char *recipient, const char *from);

//  Self-test.  0 when it passes.
int notify_mime_test (int verbose);

#endif
