/*  broker_zap — ZAP requests and metadata (RFC 27), pure functions. */
#include "broker_zap.h"

#include <stdio.h>
#include <string.h>

//  Copy FRAME into BUF (SIZE bytes with the NUL) when it is text that fits
//  and holds no NUL.  0 or -1.
static int
s_text (const broker_zap_frame_t *frame, char *buf, size_t size)
{
    if (frame->size >= size || (frame->size && memchr (frame->data, 0, frame->size)))
        return -1;
    if (frame->size)
        memcpy (buf, frame->data, frame->size);
    buf [frame->size] = 0;
    return 0;
}

int
broker_zap_parse (const broker_zap_frame_t *frames, size_t count,
                  broker_zap_request_t *request, char *err, size_t errsize)
{
    memset (request, 0, sizeof *request);
    char version [8];
    if (count < 6) {
        snprintf (err, errsize, "ZAP request of %zu frames, want 6 or more", count);
        return -1;
    }
    if (s_text (&frames [0], version, sizeof version) || strcmp (version, "1.0")) {
        snprintf (err, errsize, "ZAP version is not 1.0");
        return -1;
    }
    if (frames [1].size > BROKER_ZAP_ID_MAX) {
        snprintf (err, errsize, "ZAP request id longer than %d bytes", BROKER_ZAP_ID_MAX);
        return -1;
    }
    if (frames [1].size)
        memcpy (request->request_id, frames [1].data, frames [1].size);
    request->request_id_size = frames [1].size;
    if (s_text (&frames [2], request->domain, sizeof request->domain)
    ||  s_text (&frames [3], request->address, sizeof request->address)
    ||  s_text (&frames [5], request->mechanism, sizeof request->mechanism)) {
        snprintf (err, errsize, "ZAP domain, address or mechanism too long or not text");
        return -1;
    }
    //  frames [4] is the peer's routing id: the broker does not use it
    if (strcmp (request->mechanism, "CURVE") == 0) {
        if (count != 7 || frames [6].size != 32) {
            snprintf (err, errsize, "ZAP CURVE request without one 32-byte key");
            return -1;
        }
        memcpy (request->client_key, frames [6].data, 32);
        request->curve = 1;
    }
    return 0;
}

int
broker_zap_property (uint8_t *buf, size_t size, size_t *used, const char *name,
                     const char *value)
{
    size_t name_size = strlen (name), value_size = strlen (value);
    if (name_size == 0 || name_size > 255 || value_size > UINT32_MAX
    ||  *used + 1 + name_size + 4 + value_size > size)
        return -1;
    uint8_t *at = buf + *used;
    *at++ = (uint8_t) name_size;
    memcpy (at, name, name_size);
    at += name_size;
    *at++ = (uint8_t) (value_size >> 24);
    *at++ = (uint8_t) (value_size >> 16);
    *at++ = (uint8_t) (value_size >> 8);
    *at++ = (uint8_t) value_size;
    memcpy (at, value, value_size);
    *used += 1 + name_size + 4 + value_size;
    return 0;
}

int
broker_zap_properties (const uint8_t *data, size_t size, broker_zap_property_fn *fn, void *arg)
{
    size_t at = 0;
    while (at < size) {
        size_t name_size = data [at++];
        if (name_size == 0 || size - at < name_size + 4)
            return -1;
        const char *name = (const char *) data + at;
        at += name_size;
        size_t value_size = (size_t) data [at] << 24 | (size_t) data [at + 1] << 16
                          | (size_t) data [at + 2] << 8 | data [at + 3];
        at += 4;
        if (size - at < value_size)
            return -1;
        if (fn (arg, name, name_size, (const char *) data + at, value_size))
            return -1;
        at += value_size;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "broker_zap_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

static int
s_collect (void *arg, const char *name, size_t name_size, const char *value, size_t value_size)
{
    char *out = arg;
    size_t used = strlen (out);
    snprintf (out + used, 256 - used, "%.*s=%.*s;", (int) name_size, name, (int) value_size, value);
    return 0;
}

int
broker_zap_test (int verbose)
{
    static const uint8_t key [32] = { 1, 2, 3 };
    broker_zap_frame_t frames [7] = {
        { (const uint8_t *) "1.0", 3 }, { (const uint8_t *) "\0id", 3 },
        { (const uint8_t *) "frontend", 8 }, { (const uint8_t *) "10.0.0.2", 8 },
        { (const uint8_t *) "", 0 }, { (const uint8_t *) "CURVE", 5 }, { key, 32 },
    };
    broker_zap_request_t request;
    char err [128];
    S_CHECK (broker_zap_parse (frames, 7, &request, err, sizeof err) == 0);
    S_CHECK (request.curve && request.request_id_size == 3 && request.request_id [1] == 'i');
    S_CHECK (strcmp (request.domain, "frontend") == 0 && memcmp (request.client_key, key, 32) == 0);
    S_CHECK (broker_zap_parse (frames, 6, &request, err, sizeof err) == -1);
    frames [6].size = 31;
    S_CHECK (broker_zap_parse (frames, 7, &request, err, sizeof err) == -1);
    frames [0].data = (const uint8_t *) "2.0";
    S_CHECK (broker_zap_parse (frames, 7, &request, err, sizeof err) == -1);
    frames [0].data = (const uint8_t *) "1.0";
    frames [2].data = (const uint8_t *) "fr\0nt";
    frames [2].size = 5;
    S_CHECK (broker_zap_parse (frames, 6, &request, err, sizeof err) == -1);
    //  metadata round trip, and limits
    uint8_t buf [64];
    size_t used = 0;
    S_CHECK (broker_zap_property (buf, sizeof buf, &used, "Role", "delegate") == 0);
    S_CHECK (broker_zap_property (buf, sizeof buf, &used, "Credit", "") == 0);
    S_CHECK (broker_zap_property (buf, sizeof buf, &used, "", "x") == -1);
    S_CHECK (broker_zap_property (buf, sizeof buf, &used, "Big", "0123456789012345678901234567890123456789") == -1);
    char out [256] = "";
    S_CHECK (broker_zap_properties (buf, used, s_collect, out) == 0);
    S_CHECK (strcmp (out, "Role=delegate;Credit=;") == 0);
    S_CHECK (broker_zap_properties (buf, used - 1, s_collect, out) == -1);
    if (verbose)
        printf ("broker_zap_test: ok\n");
    return 0;
}
