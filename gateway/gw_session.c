/*  gw_session — who is signed in to the /secretariat/ pages (see
    gw_session.h).

    Two tables under one lock: the live sessions, by the SHA-256 of their
    id (the id itself, the cookie's bearer secret, is not kept), and the
    failures of sign-in, by "user NAME" and "address A".  Each table is
    bounded (GW_SESSIONS_MAX, GW_LOCKS_MAX); ended and expired entries are
    swept when a sign-in needs room.  The lock is never held across
    Argon2id or a broker round trip: a session taken by a request is
    marked and has a lock of its own. */
#include "gw_session.h"
#include "pl_log.h"
#include "pl_proto.h"
#include "pl_seal.h"

#include <czmq.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct _gw_session_t {
    char hash [65];                 //  SHA-256 of the id, hex: the table's key
    pl_key_t key;                   //  the person's key, secret included (wiped at the end)
    char csrf [GW_SESSION_ID_HEX + 1];
    pl_client_t *client;            //  connected as KEY
    int64_t started, seen;          //  seconds
    int users;                      //  requests holding it
    int ended;                      //  signed out or expired: freed when USERS is 0
    pthread_mutex_t lock;           //  held by the request using CLIENT
};

//  Failures of one name or one address.
typedef struct {
    int64_t first;                  //  the first failure of the window
    int count;
    int64_t locked_until;           //  0 when not locked
} s_failures_t;

struct _gw_sessions_t {
    pl_config_t config;
    pthread_mutex_t lock;           //  over both tables
    zhashx_t *sessions;             //  hash -> gw_session_t
    zhashx_t *failures;             //  "user NAME" / "address A" -> s_failures_t
};

//  SHA-256 of TEXT into HEX (65 bytes).
static void
s_hash (const char *text, char *hex)
{
    uint8_t digest [crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (digest, (const uint8_t *) text, strlen (text));
    sodium_bin2hex (hex, 65, digest, sizeof digest);
}

//  32 random bytes as hex into HEX (65 bytes).
static void
s_random (char *hex)
{
    uint8_t bytes [32];
    randombytes_buf (bytes, sizeof bytes);
    sodium_bin2hex (hex, GW_SESSION_ID_HEX + 1, bytes, sizeof bytes);
    sodium_memzero (bytes, sizeof bytes);
}

static void
s_session_free (gw_session_t **self_p)
{
    gw_session_t *self = *self_p;
    if (self) {
        pl_client_destroy (&self->client);
        pthread_mutex_destroy (&self->lock);
        sodium_memzero (self, sizeof *self);
        free (self);
        *self_p = NULL;
    }
}

gw_sessions_t *
gw_sessions_new (const pl_config_t *config)
{
    gw_sessions_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    self->sessions = zhashx_new ();
    self->failures = zhashx_new ();
    if (!self->sessions || !self->failures) {
        zhashx_destroy (&self->sessions);
        zhashx_destroy (&self->failures);
        free (self);
        return NULL;
    }
    zhashx_set_destructor (self->failures, (zhashx_destructor_fn *) zstr_free);
    pthread_mutex_init (&self->lock, NULL);
    return self;
}

void
gw_sessions_destroy (gw_sessions_t **self_p)
{
    gw_sessions_t *self = *self_p;
    if (!self)
        return;
    //  The server's threads are joined: no session is taken
    for (gw_session_t *session = zhashx_first (self->sessions); session;
         session = zhashx_next (self->sessions))
        s_session_free (&session);
    zhashx_destroy (&self->sessions);
    zhashx_destroy (&self->failures);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  True when SESSION is past its idle or absolute expiry at NOW.
static int
s_expired (const gw_session_t *session, int64_t now)
{
    return now - session->seen >= GW_SESSION_IDLE_S || now - session->started >= GW_SESSION_LIFE_S;
}

//  Under the lock: drop ended and expired sessions that no request holds,
//  and failures whose window and lock have passed.
static void
s_sweep (gw_sessions_t *self, int64_t now)
{
    zlistx_t *keys = zhashx_keys (self->sessions);
    for (const char *hash = keys ? zlistx_first (keys) : NULL; hash; hash = zlistx_next (keys)) {
        gw_session_t *session = zhashx_lookup (self->sessions, hash);
        if ((session->ended || s_expired (session, now)) && session->users == 0) {
            zhashx_delete (self->sessions, hash);
            s_session_free (&session);
        }
    }
    zlistx_destroy (&keys);
    keys = zhashx_keys (self->failures);
    for (const char *name = keys ? zlistx_first (keys) : NULL; name; name = zlistx_next (keys)) {
        s_failures_t *failures = zhashx_lookup (self->failures, name);
        if (now - failures->first >= GW_LOCK_WINDOW_S && now >= failures->locked_until)
            zhashx_delete (self->failures, name);
    }
    zlistx_destroy (&keys);
}

//  Under the lock: true when WHO ("user NAME", "address A") is locked at NOW.
static int
s_locked (gw_sessions_t *self, const char *who, int64_t now)
{
    s_failures_t *failures = zhashx_lookup (self->failures, who);
    return failures && now < failures->locked_until;
}

//  Under the lock: count a failure of WHO at NOW; lock it at LIMIT.
static void
s_fail (gw_sessions_t *self, const char *who, int limit, int64_t now)
{
    s_failures_t *failures = zhashx_lookup (self->failures, who);
    if (!failures) {
        if (zhashx_size (self->failures) >= GW_LOCKS_MAX)
            s_sweep (self, now);
        if (zhashx_size (self->failures) >= GW_LOCKS_MAX)
            return;             //  logged by the caller's warning; nothing to follow it with
        failures = calloc (1, sizeof *failures);
        if (!failures)
            return;
        failures->first = now;
        zhashx_insert (self->failures, who, failures);
    }
    if (now - failures->first >= GW_LOCK_WINDOW_S) {
        failures->first = now;
        failures->count = 0;
    }
    if (++failures->count >= limit && now >= failures->locked_until) {
        failures->locked_until = now + GW_LOCK_S;
        failures->count = 0;
        failures->first = now;
        pl_warn ("gateway: sign-in locked for %d s: %s (%d failures)", GW_LOCK_S, who, limit);
    }
}

gw_sign_in_t
gw_sessions_sign_in (gw_sessions_t *self, const char *name, const char *password,
                     size_t length, const char *address, int64_t now, char *id)
{
    char user [PL_KEY_NAME_MAX + 8], from [96];
    snprintf (user, sizeof user, "user %.32s", name);
    snprintf (from, sizeof from, "address %.64s", address);
    pthread_mutex_lock (&self->lock);
    int locked = s_locked (self, user, now) || s_locked (self, from, now);
    pthread_mutex_unlock (&self->lock);
    if (locked)
        return GW_SIGN_IN_LOCKED;

    //  Allowed (not revoked), a web user's role, and the password opens the seal
    char sealed [PL_ENDPOINT_MAX + 64], allowed [PL_ENDPOINT_MAX + 64], err [PL_ERR_MAX];
    pl_key_t key, public_half;
    gw_sign_in_t status = GW_SIGN_IN_WRONG;
    memset (&key, 0, sizeof key);
    if (length <= PL_SEAL_PASSWORD_MAX && pl_group_valid (name)
    &&  pl_keys_web_path (self->config.data, name, sealed, sizeof sealed) == 0
    &&  (size_t) snprintf (allowed, sizeof allowed, "%s/keys/allowed/%s.pub",
                           self->config.data, name) < sizeof allowed
    &&  access (sealed, F_OK) == 0
    &&  pl_key_load (allowed, &public_half, err, sizeof err) == 0) {
        pl_seal_status_t opened = pl_seal_open (sealed, password, length, &key, err, sizeof err);
        if (opened == PL_SEAL_ERROR) {
            pl_error ("gateway: sign-in of %s: %s", name, err);
            status = GW_SIGN_IN_ERROR;
        }
        else
        if (opened == PL_SEAL_OK && strcmp (key.public_key, public_half.public_key) == 0
        &&  (strcmp (public_half.role, "secretariat") == 0
         ||  (strcmp (public_half.role, "delegate") == 0 && *public_half.delegation))) {
            //  What the key may do is what the broker allows: allowed/, not the seal
            memcpy (key.role, public_half.role, sizeof key.role);
            memcpy (key.delegation, public_half.delegation, sizeof key.delegation);
            status = GW_SIGN_IN_OK;
        }
    }
    if (status != GW_SIGN_IN_OK) {
        sodium_memzero (&key, sizeof key);
        if (status == GW_SIGN_IN_WRONG) {
            pthread_mutex_lock (&self->lock);
            s_fail (self, user, GW_LOCK_USER_FAILURES, now);
            s_fail (self, from, GW_LOCK_ADDRESS_FAILURES, now);
            pthread_mutex_unlock (&self->lock);
            pl_info ("gateway: sign-in refused: %s from %s", user, address);
        }
        return status;
    }
    gw_session_t *session = calloc (1, sizeof *session);
    if (!session || !(session->client = pl_client_new_keyed (&self->config, &key))) {
        pl_error ("gateway: cannot connect %s to the broker", name);
        sodium_memzero (&key, sizeof key);
        free (session);
        return GW_SIGN_IN_ERROR;
    }
    session->key = key;
    sodium_memzero (&key, sizeof key);
    s_random (session->csrf);
    s_random (id);
    s_hash (id, session->hash);
    session->started = session->seen = now;
    pthread_mutex_init (&session->lock, NULL);
    pthread_mutex_lock (&self->lock);
    zhashx_delete (self->failures, user);
    if (zhashx_size (self->sessions) >= GW_SESSIONS_MAX)
        s_sweep (self, now);
    if (zhashx_size (self->sessions) >= GW_SESSIONS_MAX)
        status = GW_SIGN_IN_FULL;
    else
        zhashx_insert (self->sessions, session->hash, session);
    pthread_mutex_unlock (&self->lock);
    if (status == GW_SIGN_IN_FULL) {
        s_session_free (&session);
        sodium_memzero (id, GW_SESSION_ID_HEX + 1);
        pl_warn ("gateway: sign-in of %s refused: %d sessions live", name, GW_SESSIONS_MAX);
        return status;
    }
    pl_info ("gateway: %s signed in (%s) from %s", name, session->key.role, address);
    return GW_SIGN_IN_OK;
}

gw_session_t *
gw_sessions_take (gw_sessions_t *self, const char *id, int64_t now)
{
    if (strlen (id) != GW_SESSION_ID_HEX)
        return NULL;
    char hash [65];
    s_hash (id, hash);
    pthread_mutex_lock (&self->lock);
    gw_session_t *session = zhashx_lookup (self->sessions, hash);
    if (session && !session->ended && s_expired (session, now)) {
        session->ended = 1;
        pl_info ("gateway: the session of %s expired", session->key.name);
    }
    if (session && session->ended)
        session = NULL;
    if (session) {
        session->users++;
        session->seen = now;
    }
    pthread_mutex_unlock (&self->lock);
    if (session)
        pthread_mutex_lock (&session->lock);
    return session;
}

void
gw_sessions_give (gw_sessions_t *self, gw_session_t **session_p, int end)
{
    gw_session_t *session = *session_p;
    if (!session)
        return;
    *session_p = NULL;
    pthread_mutex_unlock (&session->lock);
    pthread_mutex_lock (&self->lock);
    session->users--;
    if (end && !session->ended) {
        session->ended = 1;
        pl_info ("gateway: %s signed out", session->key.name);
    }
    if (session->ended && session->users == 0) {
        zhashx_delete (self->sessions, session->hash);
        s_session_free (&session);
    }
    pthread_mutex_unlock (&self->lock);
}

const char *
gw_session_name (const gw_session_t *self)
{
    return self->key.name;
}

const char *
gw_session_role (const gw_session_t *self)
{
    return self->key.role;
}

const char *
gw_session_delegation (const gw_session_t *self)
{
    return self->key.delegation;
}

const char *
gw_session_csrf (const gw_session_t *self)
{
    return self->csrf;
}

pl_client_t *
gw_session_client (gw_session_t *self)
{
    return self->client;
}

//  ---------------------------------------------------------------------------
//  Pure helpers

int
gw_cookie_find (const char *header, const char *name, char *value, size_t size)
{
    size_t name_size = strlen (name);
    const char *at = header;
    while (at && *at) {
        at += strspn (at, " \t;");
        const char *end = strchr (at, ';');
        size_t span = end ? (size_t) (end - at) : strlen (at);
        if (span > name_size && strncmp (at, name, name_size) == 0 && at [name_size] == '=') {
            const char *start = at + name_size + 1;
            size_t length = span - name_size - 1;
            while (length && (start [length - 1] == ' ' || start [length - 1] == '\t'))
                length--;
            if (length == 0 || length >= size)
                return -1;
            memcpy (value, start, length);
            value [length] = 0;
            return 0;
        }
        at = end;
    }
    return -1;
}

//  True when URL is SCHEME://HOST exactly, or followed by "/".
static int
s_same (const char *url, const char *scheme, const char *host)
{
    size_t scheme_size = strlen (scheme), host_size = strlen (host);
    return strncmp (url, scheme, scheme_size) == 0
        && strncmp (url + scheme_size, "://", 3) == 0
        && strncmp (url + scheme_size + 3, host, host_size) == 0
        && (url [scheme_size + 3 + host_size] == 0 || url [scheme_size + 3 + host_size] == '/');
}

int
gw_origin_same (const char *origin, const char *referer, const char *scheme, const char *host)
{
    if (!host || !*host)
        return 0;
    if (origin)
        return strcmp (origin, "null") && s_same (origin, scheme, host)
            && !strchr (origin + strlen (scheme) + 3 + strlen (host), '/');
    return referer && s_same (referer, scheme, host);
}

int
gw_csrf_equal (const char *token, const char *expected)
{
    size_t size = strlen (expected);
    return token && strlen (token) == size && size > 0
        && sodium_memcmp (token, expected, size) == 0;
}

//  ---------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "gw_session_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

int
gw_session_test (int verbose)
{
    char value [80];
    //  cookies: found by exact name among others, spaces trimmed
    S_CHECK (gw_cookie_find ("a=1; __Host-plenary=abc; b=2", "__Host-plenary", value,
                             sizeof value) == 0 && streq (value, "abc"));
    S_CHECK (gw_cookie_find ("plenary_session=x1 ", "plenary_session", value, sizeof value) == 0
             && streq (value, "x1"));
    S_CHECK (gw_cookie_find ("xplenary_session=evil; plenary_session=good", "plenary_session",
                             value, sizeof value) == 0 && streq (value, "good"));
    S_CHECK (gw_cookie_find ("plenary_sessionx=evil", "plenary_session", value,
                             sizeof value) == -1);
    S_CHECK (gw_cookie_find ("plenary_session=", "plenary_session", value, sizeof value) == -1);
    S_CHECK (gw_cookie_find ("", "plenary_session", value, sizeof value) == -1);
    S_CHECK (gw_cookie_find ("a=0123456789", "a", value, 4) == -1);
    //  origin: ours exactly; another host, scheme or port is not; Referer
    //  only when no Origin; neither is refused
    S_CHECK (gw_origin_same ("http://127.0.0.1:7180", NULL, "http", "127.0.0.1:7180"));
    S_CHECK (!gw_origin_same ("http://127.0.0.1:7181", NULL, "http", "127.0.0.1:7180"));
    S_CHECK (!gw_origin_same ("http://127.0.0.1:71800", NULL, "http", "127.0.0.1:7180"));
    S_CHECK (!gw_origin_same ("https://127.0.0.1:7180", NULL, "http", "127.0.0.1:7180"));
    S_CHECK (!gw_origin_same ("null", "http://127.0.0.1:7180/x", "http", "127.0.0.1:7180"));
    S_CHECK (!gw_origin_same ("http://evil.example", "http://127.0.0.1:7180/", "http",
                              "127.0.0.1:7180"));
    S_CHECK (gw_origin_same (NULL, "https://meet.example.org/secretariat/", "https",
                             "meet.example.org"));
    S_CHECK (!gw_origin_same (NULL, "https://meet.example.org.evil.com/", "https",
                              "meet.example.org"));
    S_CHECK (!gw_origin_same (NULL, NULL, "http", "127.0.0.1:7180"));
    S_CHECK (!gw_origin_same ("http://a", NULL, "http", ""));
    //  CSRF tokens: equal only when identical and not empty
    S_CHECK (gw_csrf_equal ("abcd", "abcd"));
    S_CHECK (!gw_csrf_equal ("abce", "abcd"));
    S_CHECK (!gw_csrf_equal ("abc", "abcd"));
    S_CHECK (!gw_csrf_equal (NULL, "abcd"));
    S_CHECK (!gw_csrf_equal ("", ""));
    //  lock-out: a name locks after GW_LOCK_USER_FAILURES, an address after
    //  GW_LOCK_ADDRESS_FAILURES, and unlocks GW_LOCK_S later (no keys here:
    //  every sign-in is wrong, and counted)
    pl_config_t config;
    pl_config_defaults (&config);
    snprintf (config.data, sizeof config.data, "/nonexistent-plenary-data");
    gw_sessions_t *sessions = gw_sessions_new (&config);
    S_CHECK (sessions);
    char id [GW_SESSION_ID_HEX + 1];
    int64_t now = 1000000;
    for (int i = 1; i < GW_LOCK_USER_FAILURES; i++)
        S_CHECK (gw_sessions_sign_in (sessions, "amina", "x", 1, "192.0.2.1", now, id)
                 == GW_SIGN_IN_WRONG);
    S_CHECK (gw_sessions_sign_in (sessions, "amina", "x", 1, "192.0.2.1", now, id)
             == GW_SIGN_IN_WRONG);
    S_CHECK (gw_sessions_sign_in (sessions, "amina", "x", 1, "192.0.2.2", now + 1, id)
             == GW_SIGN_IN_LOCKED);
    S_CHECK (gw_sessions_sign_in (sessions, "amina", "x", 1, "192.0.2.2", now + GW_LOCK_S, id)
             == GW_SIGN_IN_WRONG);
    for (int i = 0; i < GW_LOCK_ADDRESS_FAILURES; i++) {
        char name [16];
        snprintf (name, sizeof name, "user%d", i);
        S_CHECK (gw_sessions_sign_in (sessions, name, "x", 1, "198.51.100.7", now, id)
                 == GW_SIGN_IN_WRONG);
    }
    S_CHECK (gw_sessions_sign_in (sessions, "someone", "x", 1, "198.51.100.7", now, id)
             == GW_SIGN_IN_LOCKED);
    S_CHECK (gw_sessions_sign_in (sessions, "someone", "x", 1, "198.51.100.8", now, id)
             == GW_SIGN_IN_WRONG);
    //  no session: an unknown or malformed id is nobody
    S_CHECK (gw_sessions_take (sessions, "00", now) == NULL);
    memset (id, 'a', GW_SESSION_ID_HEX);
    id [GW_SESSION_ID_HEX] = 0;
    S_CHECK (gw_sessions_take (sessions, id, now) == NULL);
    gw_sessions_destroy (&sessions);
    S_CHECK (sessions == NULL);
    if (verbose)
        printf ("gw_session_test: ok\n");
    return 0;
}
