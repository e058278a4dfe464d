/*  notify_smtp — hand one message to the mail relay, with libcurl's SMTP.

    The relay is named by a URL: smtp://host:port (STARTTLS: required, or
    tried when the host is on loopback) or smtps://host:port (TLS from the
    first byte), with authentication when a user is given.  One connection
    is kept between messages (libcurl reuses it).  A send is bounded in
    time, and aborted as soon as *STOP becomes non-zero, so the sender
    thread can always be stopped.  The outcome says what to do next:

        NOTIFY_SMTP_SENT       the relay accepted the message (250 after DATA)
        NOTIFY_SMTP_RETRY      4xx, or the connection broke mid-message: the
                               message waits and is sent again
        NOTIFY_SMTP_DOWN       the relay cannot be reached (connection
                               refused, timeout, TLS failure): every message
                               waits for the relay to come back
        NOTIFY_SMTP_REFUSED    5xx: the relay refused it for good */
#ifndef NOTIFY_SMTP_H_INCLUDED
#define NOTIFY_SMTP_H_INCLUDED

#include <stdatomic.h>
#include <stddef.h>

typedef enum {
    NOTIFY_SMTP_SENT,
    NOTIFY_SMTP_RETRY,
    NOTIFY_SMTP_DOWN,
    NOTIFY_SMTP_REFUSED
} notify_smtp_result_t;

typedef struct _notify_smtp_t notify_smtp_t;

//  A client for relay URL (smtp:// or smtps://), with USER and PASSWORD
//  (both NULL or "" for none), each send bounded by TIMEOUT_MS.  NULL when
//  libcurl cannot start (logged).
notify_smtp_t *notify_smtp_new (const char *url, const char *user, const char *password,
                                int timeout_ms);

//  Close the connection and free; NULL-safe, nulls *SELF_P.
void notify_smtp_destroy (notify_smtp_t **self_p);

//  Send MESSAGE (CRLF text) from FROM to TO.  ERR says what the relay
//  answered or why it failed ("550 5.1.1 no such user", "connection
//  refused").  STOP may abort it.
notify_smtp_result_t notify_smtp_send (notify_smtp_t *self, const char *from, const char *to,
                                       const char *message, atomic_int *stop,
                                       char *err, size_t errsize);

//  True when URL is a relay URL notify_smtp takes: smtp:// or smtps:// with
//  a host.  ERR says what is wrong otherwise.
int notify_smtp_url_valid (const char *url, char *err, size_t errsize);

//  URL without its user information, for logs and status ("smtp://host:25").
void notify_smtp_url_public (const char *url, char *buf, size_t size);

#endif
