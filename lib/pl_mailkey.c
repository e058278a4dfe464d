/*  pl_mailkey — the key behind mailed links, and the tokens made with it
    (see pl_mailkey.h).  libsodium gives the random key, HMAC-SHA-256 and
    SHA-256; the file is written like every private file (pl_fs). */
#include "pl_mailkey.h"
#include "pl_fs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_PATH_MAX 1200

//  Read exactly PL_MAILKEY_BYTES from PATH.  1 read, 0 missing, -1 bad.
static int
s_read (const char *path, uint8_t *key, char *err, size_t errsize)
{
    FILE *file = fopen (path, "rb");
    if (!file) {
        if (errno == ENOENT)
            return 0;
        snprintf (err, errsize, "%s: %s", path, strerror (errno));
        return -1;
    }
    uint8_t extra;
    size_t got = fread (key, 1, PL_MAILKEY_BYTES, file);
    int longer = fread (&extra, 1, 1, file) == 1;
    fclose (file);
    if (got != PL_MAILKEY_BYTES || longer) {
        snprintf (err, errsize, "%s: not a key of %d bytes (delete it to make a new one; "
                  "links already mailed then stop working)", path, PL_MAILKEY_BYTES);
        return -1;
    }
    return 1;
}

int
pl_mailkey_load (const char *data, uint8_t key [PL_MAILKEY_BYTES], char *err, size_t errsize)
{
    if (sodium_init () < 0) {
        snprintf (err, errsize, "libsodium cannot start");
        return -1;
    }
    char folder [S_PATH_MAX], path [S_PATH_MAX + 16], temporary [S_PATH_MAX + 48];
    snprintf (folder, sizeof folder, "%s/secrets", data);
    snprintf (path, sizeof path, "%s/mail.key", folder);
    int found = s_read (path, key, err, errsize);
    if (found)
        return found > 0 ? 0 : -1;
    if (pl_fs_mkdirs (folder, err, errsize))
        return -1;
    //  Written beside it, then linked into place: link() never replaces,
    //  so of two processes making it at once, one key wins and both read it
    snprintf (temporary, sizeof temporary, "%s.%ld", path, (long) getpid ());
    uint8_t fresh [PL_MAILKEY_BYTES];
    randombytes_buf (fresh, sizeof fresh);
    int rc = pl_fs_write (temporary, fresh, sizeof fresh, err, errsize);
    sodium_memzero (fresh, sizeof fresh);
    if (rc == 0 && link (temporary, path) && errno != EEXIST) {
        snprintf (err, errsize, "%s: %s", path, strerror (errno));
        rc = -1;
    }
    unlink (temporary);
    if (rc)
        return -1;
    found = s_read (path, key, err, errsize);
    if (found == 0)
        snprintf (err, errsize, "%s: vanished as it was made", path);
    return found > 0 ? 0 : -1;
}

void
pl_mailkey_token (const uint8_t key [PL_MAILKEY_BYTES], const char *context,
                  const char *subject, char hex [PL_MAILKEY_HEX])
{
    crypto_auth_hmacsha256_state state;
    unsigned char mac [crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init (&state, key, PL_MAILKEY_BYTES);
    crypto_auth_hmacsha256_update (&state, (const unsigned char *) context, strlen (context) + 1);
    crypto_auth_hmacsha256_update (&state, (const unsigned char *) subject, strlen (subject));
    crypto_auth_hmacsha256_final (&state, mac);
    sodium_bin2hex (hex, PL_MAILKEY_HEX, mac, sizeof mac);
    sodium_memzero (&state, sizeof state);
}

void
pl_mailkey_hash (const char *text, char hex [PL_MAILKEY_HEX])
{
    unsigned char digest [crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (digest, (const unsigned char *) text, strlen (text));
    sodium_bin2hex (hex, PL_MAILKEY_HEX, digest, sizeof digest);
}

int
pl_mailkey_address (const char *address, char *buf, size_t size)
{
    while (*address == ' ' || *address == '\t')
        address++;
    size_t length = strlen (address);
    while (length && (address [length - 1] == ' ' || address [length - 1] == '\t'))
        length--;
    if (length >= size)
        return -1;
    for (size_t i = 0; i < length; i++)
        buf [i] = (char) ((unsigned char) address [i] < 0x80 ? tolower ((unsigned char) address [i])
                                                           : address [i]);
    buf [length] = 0;
    return 0;
}

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "pl_mailkey: FAIL %s\n", what); failed++; } } while (0)

int
pl_mailkey_test (int verbose)
{
    int failed = 0;
    char folder [] = "/tmp/pl_mailkey.XXXXXX", err [256];
    if (!mkdtemp (folder))
        return -1;
    uint8_t first [PL_MAILKEY_BYTES], again [PL_MAILKEY_BYTES];
    S_CHECK (pl_mailkey_load (folder, first, err, sizeof err) == 0, "made");
    S_CHECK (pl_mailkey_load (folder, again, err, sizeof err) == 0
             && memcmp (first, again, sizeof first) == 0, "read back the same");
    char path [S_PATH_MAX];
    snprintf (path, sizeof path, "%s/secrets/mail.key", folder);
    struct stat info;
    S_CHECK (stat (path, &info) == 0 && (info.st_mode & 0777) == 0600, "0600");
    char a [PL_MAILKEY_HEX], b [PL_MAILKEY_HEX], hash [PL_MAILKEY_HEX];
    pl_mailkey_token (first, "feed", "p42", a);
    pl_mailkey_token (first, "unsubscribe", "p42", b);
    S_CHECK (strlen (a) == 64 && strcmp (a, b), "contexts differ");
    pl_mailkey_token (again, "feed", "p42", b);
    S_CHECK (strcmp (a, b) == 0, "deterministic");
    pl_mailkey_hash ("test", hash);
    S_CHECK (strcmp (hash, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") == 0,
             "SHA-256");
    char key [64];
    S_CHECK (pl_mailkey_address ("  Zofia@Example.PL ", key, sizeof key) == 0
             && strcmp (key, "zofia@example.pl") == 0, "address key");
    FILE *file = fopen (path, "wb");
    if (file) {
        fputs ("short", file);
        fclose (file);
    }
    S_CHECK (pl_mailkey_load (folder, again, err, sizeof err) == -1 && strstr (err, "not a key"),
             "a damaged key refused");
    unlink (path);
    snprintf (path, sizeof path, "%s/secrets", folder);
    rmdir (path);
    rmdir (folder);
    if (verbose && !failed)
        fprintf (stderr, "pl_mailkey_test: ok\n");
    return failed ? -1 : 0;
}
