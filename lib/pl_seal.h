/*  pl_seal — a web user's key, its secret sealed by a password.

    A person who signs in to the gateway's /secretariat/ pages is a key
    (pl_keys: a name, a role, grants) whose secret half is kept only
    sealed: the password is stretched by Argon2id (libsodium's
    crypto_pwhash, memory-hard) with a random salt into a 32-byte key,
    which seals the CURVE secret key with XSalsa20-Poly1305
    (crypto_secretbox).  The file, DATA/keys/web/NAME.sealed (0600), is a
    key file in CZMQ's layout (its metadata and public key as in
    allowed/NAME.pub) with a "sealed" section:

        sealed
            kdf = argon2id13
            opslimit = 2            Argon2id passes
            memlimit = 67108864     bytes of memory each derivation needs
            salt = HEX (16 bytes)
            nonce = HEX (24 bytes)
            box = HEX (the 32-byte secret key and its 16-byte tag)

    Unsealing checks the tag (a wrong password or a changed byte fails the
    same way) and that the secret key is the public key's own, so the file
    cannot pair one person's public key with another's secret.  What the
    key may do is read by the broker from allowed/NAME.pub, never from this
    file (revoking the key there is enough).  docs/SECURITY.md, "Web
    users". */
#ifndef PL_SEAL_H_INCLUDED
#define PL_SEAL_H_INCLUDED

#include <stddef.h>
#include "pl_keys.h"

//  Argon2id's cost for the files `plenary keys web-user` writes:
//  libsodium's "interactive" level, 2 passes over 64 MiB (about a tenth
//  of a second a sign-in on one core; OWASP's floor is 19 MiB, 2 passes).
#define PL_SEAL_OPSLIMIT    2
#define PL_SEAL_MEMLIMIT    (64u << 20)

//  A password's length in bytes: at least 12 (a passphrase), at most 1024.
#define PL_SEAL_PASSWORD_MIN    12
#define PL_SEAL_PASSWORD_MAX    1024

//  What pl_seal_open found.
typedef enum {
    PL_SEAL_OK = 0,
    PL_SEAL_WRONG = 1,          //  the password does not open it (or the box was changed)
    PL_SEAL_ERROR = -1          //  no such file, not a sealed key, out of memory: ERR says
} pl_seal_status_t;

//  Write KEY (with its secret half) to PATH, mode 0600, atomically, its
//  secret sealed by PASSWORD (LENGTH bytes) at cost OPSLIMIT and MEMLIMIT
//  (PL_SEAL_OPSLIMIT, PL_SEAL_MEMLIMIT; tests pass libsodium's minimum).
//  0, or -1 with ERR (a password too short or too long, a file that
//  cannot be written).
int pl_seal_save (const char *path, const pl_key_t *key, const char *password, size_t length,
                  unsigned long long opslimit, size_t memlimit, char *err, size_t errsize);

//  Open the sealed key at PATH with PASSWORD (LENGTH bytes) into KEY, its
//  secret half filled.  PL_SEAL_OK; PL_SEAL_WRONG (KEY holds the public
//  half only); PL_SEAL_ERROR with ERR naming the file and what is wrong.
//  The caller wipes KEY->secret_key when done.
pl_seal_status_t pl_seal_open (const char *path, const char *password, size_t length,
                               pl_key_t *key, char *err, size_t errsize);

//  Self-test.
int pl_seal_test (int verbose);

#endif
