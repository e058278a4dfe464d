/*  pl_seal — a web user's key sealed by a password (see pl_seal.h).

    Argon2id (crypto_pwhash_ALG_ARGON2ID13) stretches the password with a
    16-byte random salt into the key of a crypto_secretbox that holds the
    32 raw bytes of the CURVE secret key.  Every derived key, password
    copy and plaintext is wiped (sodium_memzero) before it leaves scope. */
#include "pl_seal.h"
#include "pl_fs.h"

#include <czmq.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_SECRET    32
#define S_BOX       (S_SECRET + crypto_secretbox_MACBYTES)
#define S_KDF       "argon2id13"
//  A file may ask for at most this much work: a bigger cost in a file is
//  refused, not spent (a changed file must not tie the gateway up)
#define S_OPSLIMIT_MAX  16
#define S_MEMLIMIT_MAX  (1024u << 20)

//  Derive the box key from PASSWORD and SALT into KEY.  0 or -1 (out of memory).
static int
s_derive (uint8_t *key, const char *password, size_t length, const uint8_t *salt,
          unsigned long long opslimit, size_t memlimit)
{
    return crypto_pwhash (key, crypto_secretbox_KEYBYTES, password, length, salt,
                          opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13);
}

int
pl_seal_save (const char *path, const pl_key_t *key, const char *password, size_t length,
              unsigned long long opslimit, size_t memlimit, char *err, size_t errsize)
{
    if (length < PL_SEAL_PASSWORD_MIN || length > PL_SEAL_PASSWORD_MAX) {
        snprintf (err, errsize, "the password must be %d to %d bytes long",
                  PL_SEAL_PASSWORD_MIN, PL_SEAL_PASSWORD_MAX);
        return -1;
    }
    uint8_t secret [S_SECRET], salt [crypto_pwhash_SALTBYTES];
    uint8_t nonce [crypto_secretbox_NONCEBYTES], box [S_BOX];
    uint8_t box_key [crypto_secretbox_KEYBYTES];
    if (strlen (key->secret_key) != PL_KEY_Z85 - 1 || !zmq_z85_decode (secret, key->secret_key)) {
        snprintf (err, errsize, "key %s has no secret half to seal", key->name);
        return -1;
    }
    randombytes_buf (salt, sizeof salt);
    randombytes_buf (nonce, sizeof nonce);
    int rc = -1;
    zconfig_t *root = NULL;
    zchunk_t *chunk = NULL;
    if (s_derive (box_key, password, length, salt, opslimit, memlimit)) {
        snprintf (err, errsize, "cannot derive the key from the password (out of memory?)");
        goto done;
    }
    crypto_secretbox_easy (box, secret, sizeof secret, nonce, box_key);
    char salt_hex [2 * sizeof salt + 1], nonce_hex [2 * sizeof nonce + 1], box_hex [2 * S_BOX + 1];
    sodium_bin2hex (salt_hex, sizeof salt_hex, salt, sizeof salt);
    sodium_bin2hex (nonce_hex, sizeof nonce_hex, nonce, sizeof nonce);
    sodium_bin2hex (box_hex, sizeof box_hex, box, sizeof box);
    root = pl_key_zpl (key, 0);
    if (!root) {
        snprintf (err, errsize, "out of memory");
        goto done;
    }
    zconfig_set_comment (root, NULL);
    zconfig_set_comment (root, "   plenary web user's key: the secret is sealed by a password "
                               "(Argon2id, XSalsa20-Poly1305). Keep it 0600.");
    if (*key->broker_key)
        zconfig_put (root, "metadata/broker-key", key->broker_key);
    zconfig_put (root, "sealed/kdf", S_KDF);
    zconfig_putf (root, "sealed/opslimit", "%llu", opslimit);
    zconfig_putf (root, "sealed/memlimit", "%zu", memlimit);
    zconfig_put (root, "sealed/salt", salt_hex);
    zconfig_put (root, "sealed/nonce", nonce_hex);
    zconfig_put (root, "sealed/box", box_hex);
    chunk = zconfig_chunk_save (root);
    if (!chunk) {
        snprintf (err, errsize, "cannot format key %s", key->name);
        goto done;
    }
    rc = pl_fs_write (path, zchunk_data (chunk), zchunk_size (chunk), err, errsize);
done:
    sodium_memzero (secret, sizeof secret);
    sodium_memzero (box_key, sizeof box_key);
    zchunk_destroy (&chunk);
    zconfig_destroy (&root);
    return rc;
}

//  HEX (exactly SIZE bytes once decoded) into BYTES; 0 or -1.
static int
s_hex (const char *hex, uint8_t *bytes, size_t size)
{
    size_t got = 0;
    return strlen (hex) == 2 * size
        && sodium_hex2bin (bytes, size, hex, strlen (hex), NULL, &got, NULL) == 0
        && got == size ? 0 : -1;
}

pl_seal_status_t
pl_seal_open (const char *path, const char *password, size_t length,
              pl_key_t *key, char *err, size_t errsize)
{
    if (pl_key_load (path, key, err, errsize))
        return PL_SEAL_ERROR;
    zconfig_t *root = zconfig_load (path);
    if (!root) {
        snprintf (err, errsize, "sealed key %s: cannot read it", path);
        return PL_SEAL_ERROR;
    }
    uint8_t salt [crypto_pwhash_SALTBYTES], nonce [crypto_secretbox_NONCEBYTES], box [S_BOX];
    uint8_t box_key [crypto_secretbox_KEYBYTES], secret [S_SECRET], public_key [32];
    uint8_t derived [32];
    char *end = NULL;
    unsigned long long opslimit = strtoull (zconfig_get (root, "sealed/opslimit", ""), &end, 10);
    int ops_bad = !end || *end;
    unsigned long long memlimit = strtoull (zconfig_get (root, "sealed/memlimit", ""), &end, 10);
    int mem_bad = !end || *end;
    const char *what = NULL;
    if (strcmp (zconfig_get (root, "sealed/kdf", ""), S_KDF))
        what = "sealed/kdf is not " S_KDF;
    else
    if (ops_bad || opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > S_OPSLIMIT_MAX)
        what = "sealed/opslimit is not a number of passes within bounds";
    else
    if (mem_bad || memlimit < crypto_pwhash_MEMLIMIT_MIN || memlimit > S_MEMLIMIT_MAX)
        what = "sealed/memlimit is not a number of bytes within bounds";
    else
    if (s_hex (zconfig_get (root, "sealed/salt", ""), salt, sizeof salt))
        what = "sealed/salt is not 16 bytes of hex";
    else
    if (s_hex (zconfig_get (root, "sealed/nonce", ""), nonce, sizeof nonce))
        what = "sealed/nonce is not 24 bytes of hex";
    else
    if (s_hex (zconfig_get (root, "sealed/box", ""), box, sizeof box))
        what = "sealed/box is not 48 bytes of hex";
    zconfig_destroy (&root);
    if (what) {
        snprintf (err, errsize, "sealed key %s: %s", path, what);
        return PL_SEAL_ERROR;
    }
    if (s_derive (box_key, password, length, salt, opslimit, (size_t) memlimit)) {
        snprintf (err, errsize, "sealed key %s: cannot derive the key from the password "
                  "(out of memory?)", path);
        return PL_SEAL_ERROR;
    }
    pl_seal_status_t status = PL_SEAL_WRONG;
    if (crypto_secretbox_open_easy (secret, box, sizeof box, nonce, box_key) == 0
    &&  zmq_z85_decode (public_key, key->public_key)
    &&  crypto_scalarmult_base (derived, secret) == 0
    &&  sodium_memcmp (derived, public_key, sizeof derived) == 0
    &&  zmq_z85_encode (key->secret_key, secret, sizeof secret))
        status = PL_SEAL_OK;
    else
        sodium_memzero (key->secret_key, sizeof key->secret_key);
    sodium_memzero (secret, sizeof secret);
    sodium_memzero (box_key, sizeof box_key);
    return status;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_seal_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto done; } } while (0)

//  Replace the value of the line of PATH that starts with PREFIX by VALUE.
static int
s_rewrite (const char *path, const char *prefix, const char *value)
{
    zchunk_t *chunk = zchunk_slurp (path, 0);
    if (!chunk)
        return -1;
    char *text = zchunk_strdup (chunk);
    zchunk_destroy (&chunk);
    char *at = text ? strstr (text, prefix) : NULL;
    char *eol = at ? strchr (at, '\n') : NULL;
    FILE *out = eol ? fopen (path, "w") : NULL;
    int rc = out ? 0 : -1;
    if (out) {
        fprintf (out, "%.*s%s%s", (int) (at - text) + (int) strlen (prefix), text, value, eol);
        fclose (out);
    }
    free (text);
    return rc;
}

int
pl_seal_test (int verbose)
{
    int rc = -1;
    char folder [] = "/tmp/pl_seal_test.XXXXXX", path [256], err [512];
    if (!mkdtemp (folder))
        return -1;
    snprintf (path, sizeof path, "%s/alice.sealed", folder);
    pl_key_t key, opened, other;
    memset (&key, 0, sizeof key);
    snprintf (key.name, sizeof key.name, "alice");
    snprintf (key.role, sizeof key.role, "delegate");
    snprintf (key.delegation, sizeof key.delegation, "fr");
    S_CHECK (pl_key_generate (&key) == 0 && pl_key_generate (&other) == 0);
    memcpy (key.broker_key, other.public_key, sizeof key.broker_key);
    const char *password = "correct horse battery staple";
    unsigned long long ops = crypto_pwhash_OPSLIMIT_MIN;
    size_t mem = crypto_pwhash_MEMLIMIT_MIN;
    //  a password too short is refused, and nothing is written
    S_CHECK (pl_seal_save (path, &key, "short", 5, ops, mem, err, sizeof err) == -1
             && strstr (err, "12 to 1024"));
    S_CHECK (access (path, F_OK) == -1);
    S_CHECK (pl_seal_save (path, &key, password, strlen (password), ops, mem,
                           err, sizeof err) == 0);
    struct stat st;
    S_CHECK (stat (path, &st) == 0 && (st.st_mode & 0777) == 0600);
    //  the secret is nowhere in the file, in any form pl_keys writes
    zchunk_t *chunk = zchunk_slurp (path, 0);
    S_CHECK (chunk);
    char *text = zchunk_strdup (chunk);
    zchunk_destroy (&chunk);
    int clear = text && strstr (text, key.secret_key) == NULL && strstr (text, "secret-key") == NULL;
    free (text);
    S_CHECK (clear);
    //  the right password opens it: the same key, its grants and broker
    S_CHECK (pl_seal_open (path, password, strlen (password), &opened, err, sizeof err)
             == PL_SEAL_OK);
    S_CHECK (streq (opened.secret_key, key.secret_key) && streq (opened.public_key, key.public_key)
             && streq (opened.delegation, "fr") && streq (opened.role, "delegate")
             && streq (opened.broker_key, key.broker_key));
    //  a wrong password (one byte off, or a prefix) does not, and leaves no secret
    S_CHECK (pl_seal_open (path, "correct horse battery stapl", 27, &opened, err, sizeof err)
             == PL_SEAL_WRONG && *opened.secret_key == 0);
    S_CHECK (pl_seal_open (path, "correct horse battery staplf", 28, &opened, err, sizeof err)
             == PL_SEAL_WRONG);
    //  another person's public key beside this secret: refused as wrong
    char quoted [PL_KEY_Z85 + 1];
    snprintf (quoted, sizeof quoted, "%s\"", other.public_key);
    S_CHECK (s_rewrite (path, "public-key = \"", quoted) == 0);
    S_CHECK (pl_seal_open (path, password, strlen (password), &opened, err, sizeof err)
             == PL_SEAL_WRONG);
    snprintf (quoted, sizeof quoted, "%s\"", key.public_key);
    S_CHECK (s_rewrite (path, "public-key = \"", quoted) == 0);
    S_CHECK (pl_seal_open (path, password, strlen (password), &opened, err, sizeof err)
             == PL_SEAL_OK);
    //  a cost beyond bounds is refused before any work, naming the field
    S_CHECK (s_rewrite (path, "opslimit = \"", "99\"") == 0);
    S_CHECK (pl_seal_open (path, password, strlen (password), &opened, err, sizeof err)
             == PL_SEAL_ERROR && strstr (err, "sealed/opslimit"));
    //  a changed box is wrong (its tag fails); one cut short is not a box
    S_CHECK (pl_seal_save (path, &key, password, strlen (password), ops, mem,
                           err, sizeof err) == 0);
    char zeros [2 * S_BOX + 2];
    memset (zeros, '0', 2 * S_BOX);
    zeros [2 * S_BOX] = '"';
    zeros [2 * S_BOX + 1] = 0;
    S_CHECK (s_rewrite (path, "box = \"", zeros) == 0);
    S_CHECK (pl_seal_open (path, password, strlen (password), &opened, err, sizeof err)
             == PL_SEAL_WRONG);
    S_CHECK (s_rewrite (path, "box = \"", "00\"") == 0);
    S_CHECK (pl_seal_open (path, password, strlen (password), &opened, err, sizeof err)
             == PL_SEAL_ERROR && strstr (err, "sealed/box"));
    rc = 0;
done:
    sodium_memzero (&key, sizeof key);
    sodium_memzero (&opened, sizeof opened);
    if (verbose && rc == 0)
        printf ("pl_seal_test: ok\n");
    char command [300];
    snprintf (command, sizeof command, "rm -rf '%s'", folder);
    if (system (command) != 0)
        fprintf (stderr, "pl_seal_test: could not remove %s\n", folder);
    return rc;
}
