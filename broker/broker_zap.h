/*  broker_zap — the ZAP messages (RFC 27), as pure functions.

    The broker's ZAP handler (broker_identity.c) reads a request and writes
    a reply with these; they allocate nothing and never trust the request:
    every frame is checked for count and size, so a fuzz target
    (tests/fuzz_zap.c) can feed them anything.

    A request is: version "1.0", request id, domain, address, routing id,
    mechanism, then the mechanism's credentials (CURVE: the client's public
    key, 32 bytes).  A reply is: version, request id, status code, status
    text, user id, metadata (ZMTP property list: a name of 1..255 bytes
    preceded by its length in one byte, a value preceded by its length in
    four bytes, big-endian). */
#ifndef BROKER_ZAP_H_INCLUDED
#define BROKER_ZAP_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define BROKER_ZAP_ID_MAX       255     //  request id bytes we echo
#define BROKER_ZAP_DOMAIN_MAX   64
#define BROKER_ZAP_ADDRESS_MAX  128

//  One frame of a message: its bytes, borrowed.
typedef struct {
    const uint8_t *data;
    size_t size;
} broker_zap_frame_t;

typedef struct {
    char request_id [BROKER_ZAP_ID_MAX + 1];
    size_t request_id_size;             //  may hold any bytes; echoed as is
    char domain [BROKER_ZAP_DOMAIN_MAX + 1];
    char address [BROKER_ZAP_ADDRESS_MAX + 1];
    char mechanism [16];
    uint8_t client_key [32];            //  CURVE only
    int curve;                          //  1 when the mechanism is CURVE
} broker_zap_request_t;

//  Read COUNT frames into REQUEST.  0, or -1 with ERR saying what is wrong
//  (wrong version, frame count or size).
int broker_zap_parse (const broker_zap_frame_t *frames, size_t count,
                      broker_zap_request_t *request, char *err, size_t errsize);

//  Append one property NAME=VALUE to the metadata at BUF (SIZE bytes,
//  *USED of them taken).  0, or -1 when it does not fit or NAME is empty
//  or longer than 255 bytes.
int broker_zap_property (uint8_t *buf, size_t size, size_t *used,
                         const char *name, const char *value);

//  Read the metadata of SIZE bytes at DATA, calling FN for each property
//  (NAME and VALUE not NUL-terminated: lengths given).  0, or -1 when it is
//  malformed.  The broker never reads metadata it did not write; this is
//  for the tests and the fuzz target, which check that what
//  broker_zap_property writes reads back.
typedef int (broker_zap_property_fn) (void *arg, const char *name, size_t name_size,
                                      const char *value, size_t value_size);
int broker_zap_properties (const uint8_t *data, size_t size,
                           broker_zap_property_fn *fn, void *arg);

//  Self-test.
int broker_zap_test (int verbose);

#endif
