/*  pl_mailkey — the secret behind the links plenary-notify writes into mail.

    A message of plenary-notify may carry two bearer links: the one-click
    unsubscribe link (/unsubscribe/TOKEN) and a participant's private
    calendar feed (/ics/p/TOKEN.ics).  Neither token is stored anywhere,
    nor published: each is an HMAC-SHA-256 of what it opens, under a key of
    32 random bytes kept in DATA/secrets/mail.key (0600, its folder 0700),
    made by whichever process needs it first:

        unsubscribe token  HMAC (key, "unsubscribe" NUL address)   the address
                           lowercased and trimmed
        feed token         HMAC (key, "feed" NUL participant)       "p42"

    as 64 lowercase hex digits, the form of the tokens `plenary calendar
    url` draws.  The notify worker computes a token when it writes a
    message and forgets it; the calendar keeps the SHA-256 of each
    participant's feed token (what the gateway asks for, since it hashes
    every token before it leaves it), and the notify worker the SHA-256 of
    each address's unsubscribe token.  A rebuild from the log makes the
    same tokens, so links already mailed keep working; a new key (the file
    deleted) makes them all stop.  Both workers must read the same file:
    on two hosts, copy it as you copy a key. */
#ifndef PL_MAILKEY_H_INCLUDED
#define PL_MAILKEY_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define PL_MAILKEY_BYTES 32
#define PL_MAILKEY_HEX   65         //  64 hex digits and a NUL

//  Read DATA's mail key into KEY, making it (and DATA/secrets) first when
//  missing; two processes that race both end with the same key.  0, or -1
//  with ERR naming the file and the cause.
int pl_mailkey_load (const char *data, uint8_t key [PL_MAILKEY_BYTES],
                     char *err, size_t errsize);

//  The token of CONTEXT ("unsubscribe", "feed") for SUBJECT into HEX.
void pl_mailkey_token (const uint8_t key [PL_MAILKEY_BYTES], const char *context,
                       const char *subject, char hex [PL_MAILKEY_HEX]);

//  The SHA-256 of token TEXT, as 64 lowercase hex digits into HEX: what is
//  stored and published instead of a token.
void pl_mailkey_hash (const char *text, char hex [PL_MAILKEY_HEX]);

//  ADDRESS as the key of an address: trimmed, ASCII letters lowercased,
//  into BUF.  -1 when it does not fit.
int pl_mailkey_address (const char *address, char *buf, size_t size);

//  Self-test.  0 when it passes.
int pl_mailkey_test (int verbose);

#endif
