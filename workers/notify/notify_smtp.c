/*  notify_smtp — one message to the relay with libcurl (see the header).

    libcurl speaks SMTP (EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA with
    dot-stuffing) over GnuTLS, and reports the relay's last reply code; we
    only sort its outcomes into what the sender does next. */
#include "notify_smtp.h"
#include "pl_log.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _notify_smtp_t {
    CURL *curl;
    char url [512];
    char user [256];
    char password [256];
    int timeout_ms;
    int tls_required;
};

typedef struct {
    const char *data;
    size_t size, at;
} s_upload_t;

typedef struct {
    atomic_int *stop;
} s_progress_t;

static size_t
s_read (char *buffer, size_t size, size_t count, void *arg)
{
    s_upload_t *upload = arg;
    size_t room = size * count, left = upload->size - upload->at;
    size_t chunk = left < room ? left : room;
    memcpy (buffer, upload->data + upload->at, chunk);
    upload->at += chunk;
    return chunk;
}

//  libcurl's progress callback: non-zero aborts the transfer.
static int
s_progress (void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    s_progress_t *progress = arg;
    return progress->stop && atomic_load (progress->stop);
}

//  The host part of URL into BUF ("" when there is none).
static void
s_host (const char *url, char *buf, size_t size)
{
    const char *at = strstr (url, "://");
    at = at ? at + 3 : url;
    const char *user = strchr (at, '@');
    const char *slash = strchr (at, '/');
    if (user && (!slash || user < slash))
        at = user + 1;
    size_t length = strcspn (at, "/?#");
    if (*at == '[') {
        const char *close = strchr (at, ']');
        length = close ? (size_t) (close - at + 1) : length;
    }
    else
        length = strcspn (at, ":/?#");
    snprintf (buf, size, "%.*s", (int) length, at);
}

int
notify_smtp_url_valid (const char *url, char *err, size_t errsize)
{
    char host [256];
    if (strncmp (url, "smtp://", 7) && strncmp (url, "smtps://", 8)) {
        snprintf (err, errsize, "'%s' is not an smtp:// or smtps:// URL", url);
        return 0;
    }
    s_host (url, host, sizeof host);
    if (!*host) {
        snprintf (err, errsize, "'%s' names no host", url);
        return 0;
    }
    return 1;
}

void
notify_smtp_url_public (const char *url, char *buf, size_t size)
{
    const char *scheme = strstr (url, "://");
    const char *rest = scheme ? scheme + 3 : url;
    const char *user = strchr (rest, '@');
    const char *slash = strchr (rest, '/');
    if (scheme && user && (!slash || user < slash))
        snprintf (buf, size, "%.*s%s", (int) (rest - url), url, user + 1);
    else
        snprintf (buf, size, "%s", url);
}

notify_smtp_t *
notify_smtp_new (const char *url, const char *user, const char *password, int timeout_ms)
{
    notify_smtp_t *self = calloc (1, sizeof *self);
    if (!self || !(self->curl = curl_easy_init ())) {
        pl_error ("notify: libcurl cannot start");
        free (self);
        return NULL;
    }
    snprintf (self->url, sizeof self->url, "%s", url);
    snprintf (self->user, sizeof self->user, "%s", user ? user : "");
    snprintf (self->password, sizeof self->password, "%s", password ? password : "");
    self->timeout_ms = timeout_ms;
    char host [256];
    s_host (url, host, sizeof host);
    //  Without TLS a relay on this machine only; anywhere else STARTTLS is
    //  required (credentials and messages never cross a network in clear)
    self->tls_required = !(strcmp (host, "localhost") == 0 || strncmp (host, "127.", 4) == 0
                        || strcmp (host, "[::1]") == 0);
    return self;
}

void
notify_smtp_destroy (notify_smtp_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    notify_smtp_t *self = *self_p;
    curl_easy_cleanup (self->curl);
    memset (self->password, 0, sizeof self->password);
    free (self);
    *self_p = NULL;
}

notify_smtp_result_t
notify_smtp_send (notify_smtp_t *self, const char *from, const char *to, const char *message,
                  atomic_int *stop, char *err, size_t errsize)
{
    CURL *curl = self->curl;
    s_upload_t upload = { message, strlen (message), 0 };
    s_progress_t progress = { stop };
    char curl_error [CURL_ERROR_SIZE] = "";
    char mail_from [512];
    snprintf (mail_from, sizeof mail_from, "<%s>", from);
    struct curl_slist *recipients = curl_slist_append (NULL, to);
    if (!recipients) {
        snprintf (err, errsize, "out of memory");
        return NOTIFY_SMTP_RETRY;
    }
    curl_easy_reset (curl);
    curl_easy_setopt (curl, CURLOPT_URL, self->url);
    curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
    curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt (curl, CURLOPT_READFUNCTION, s_read);
    curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.size);
    curl_easy_setopt (curl, CURLOPT_USE_SSL, self->tls_required ? (long) CURLUSESSL_ALL
                                                                : (long) CURLUSESSL_TRY);
    curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long) self->timeout_ms);
    curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long) self->timeout_ms);
    curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, s_progress);
    curl_easy_setopt (curl, CURLOPT_XFERINFODATA, &progress);
    curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, curl_error);
    if (*self->user) {
        curl_easy_setopt (curl, CURLOPT_USERNAME, self->user);
        curl_easy_setopt (curl, CURLOPT_PASSWORD, self->password);
    }
    CURLcode code = curl_easy_perform (curl);
    long reply = 0;
    curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all (recipients);
    if (code == CURLE_OK)
        return NOTIFY_SMTP_SENT;
    const char *why = *curl_error ? curl_error : curl_easy_strerror (code);
    if (reply >= 400 && reply < 600)
        snprintf (err, errsize, "%ld: %s", reply, why);
    else
        snprintf (err, errsize, "%s", why);
    //  A refused login is the relay's configuration, not this message's
    if (code == CURLE_LOGIN_DENIED)
        return NOTIFY_SMTP_DOWN;
    if (reply >= 500 && reply < 600)
        return NOTIFY_SMTP_REFUSED;
    if (reply >= 400 && reply < 500)
        return NOTIFY_SMTP_RETRY;
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_USE_SSL_FAILED:
        case CURLE_LOGIN_DENIED:
        case CURLE_GOT_NOTHING:
            return NOTIFY_SMTP_DOWN;
        default:
            return NOTIFY_SMTP_RETRY;
    }
}
