/*  gw_session — who is signed in to the /secretariat/ pages.

    A web user is a key (pl_keys) whose secret is sealed by a password
    (pl_seal, DATA/keys/web/NAME.sealed; `plenary keys web-user`).  Signing
    in opens the seal and connects to the broker with that key: one
    pl_client per live session, so the broker sees the person, and decides
    their role, for every query and event of theirs.  The gateway keeps the
    key in memory for the session's life only; nothing of it goes to disk.

    A session is named by 32 random bytes (64 hex digits) in a cookie,
    kept here only as their SHA-256; it carries a CSRF token (32 random
    bytes) that every form sends back.  A session ends at sign-out, after
    GW_SESSION_IDLE_S without a request, or GW_SESSION_LIFE_S after it
    began, whichever comes first; its broker connection is closed then.

    Lock-out: GW_LOCK_USER_FAILURES failed sign-ins for one name within
    GW_LOCK_WINDOW_S lock that name for GW_LOCK_S; GW_LOCK_ADDRESS_FAILURES
    from one client address lock the address as long.  A locked sign-in is
    refused before any password is tried (no Argon2id work), and says only
    that it is locked, not whether the password was right.

    Thread-safe: the server's threads share one gw_sessions_t (one lock
    over the tables, held for lookups only, never for a broker round
    trip); a session taken by a request is locked for it, so its
    pl_client (not thread-safe) serves one request at a time. */
#ifndef GW_SESSION_H_INCLUDED
#define GW_SESSION_H_INCLUDED

#include <stddef.h>
#include "pl_client.h"
#include "pl_config.h"
#include "pl_keys.h"

#define GW_SESSION_ID_HEX       64          //  a session id, hex
#define GW_SESSION_IDLE_S       (30 * 60)   //  idle expiry: half an hour
#define GW_SESSION_LIFE_S       (12 * 3600) //  absolute expiry: a working day
#define GW_SESSIONS_MAX         1024        //  live sessions at most (each a broker connection)
#define GW_LOCK_USER_FAILURES   5           //  failures of one name...
#define GW_LOCK_ADDRESS_FAILURES 20         //  ... or from one address...
#define GW_LOCK_WINDOW_S        (15 * 60)   //  ... within this long...
#define GW_LOCK_S               (15 * 60)   //  ... lock it this long
#define GW_LOCKS_MAX            4096        //  names and addresses followed at most

typedef struct _gw_sessions_t gw_sessions_t;
typedef struct _gw_session_t gw_session_t;

typedef enum {
    GW_SIGN_IN_OK = 0,
    GW_SIGN_IN_WRONG,           //  no such web user, revoked, or the wrong password
    GW_SIGN_IN_LOCKED,          //  too many failures for the name or the address
    GW_SIGN_IN_FULL,            //  GW_SESSIONS_MAX live sessions
    GW_SIGN_IN_ERROR            //  a sealed file that cannot be read, out of memory (logged)
} gw_sign_in_t;

//  The sessions of web users whose keys are in DATA/keys, connecting to the
//  broker per CONFIG (copied).  NULL when out of memory.
gw_sessions_t *gw_sessions_new (const pl_config_t *config);

//  Close every session's connection and free; NULL-safe, nulls *SELF_P.
void gw_sessions_destroy (gw_sessions_t **self_p);

//  Sign NAME in with PASSWORD (LENGTH bytes) from client ADDRESS; NOW in
//  seconds.  On GW_SIGN_IN_OK, ID (GW_SESSION_ID_HEX + 1 bytes) holds the
//  new session's id for the cookie.
gw_sign_in_t gw_sessions_sign_in (gw_sessions_t *self, const char *name, const char *password,
                                  size_t length, const char *address, int64_t now, char *id);

//  The session named ID (from the cookie), locked for the caller, or NULL
//  when none is live at NOW (unknown, ended, expired: an expired one is
//  ended here).  Give it back with gw_sessions_give.
gw_session_t *gw_sessions_take (gw_sessions_t *self, const char *id, int64_t now);

//  Unlock SESSION for other requests; with END, sign it out (its broker
//  connection closes).  Nulls *SESSION_P.
void gw_sessions_give (gw_sessions_t *self, gw_session_t **session_p, int end);

//  What a session is: the key's name, its role (secretariat, delegate), a
//  focal point's delegation ("" otherwise), the CSRF token (hex) its forms
//  carry, and its broker client.  Borrowed while the session is taken.
const char *gw_session_name (const gw_session_t *self);
const char *gw_session_role (const gw_session_t *self);
const char *gw_session_delegation (const gw_session_t *self);
const char *gw_session_csrf (const gw_session_t *self);
pl_client_t *gw_session_client (gw_session_t *self);

//  ---------------------------------------------------------------------------
//  Pure helpers (self-tested)

//  The value of cookie NAME in the Cookie header HEADER (RFC 6265: "a=1;
//  b=2") into VALUE (SIZE bytes).  0, or -1 when absent, empty or too long.
int gw_cookie_find (const char *header, const char *name, char *value, size_t size);

//  True when a POST comes from our own pages: its Origin, else its
//  Referer, is SCHEME://HOST (HOST the request's Host header) or begins
//  with it followed by "/".  Neither header: false (browsers send Origin
//  on every POST; a form without either is not ours to trust).
int gw_origin_same (const char *origin, const char *referer, const char *scheme,
                    const char *host);

//  True when TOKEN equals the CSRF token EXPECTED (constant time).
int gw_csrf_equal (const char *token, const char *expected);

//  Self-test.
int gw_session_test (int verbose);

#endif
