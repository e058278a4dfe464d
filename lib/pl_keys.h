/*  pl_keys — CurveZMQ keys and what each one may do (docs/SECURITY.md).

    A key is a CURVE key pair (RFC 26) with a name and grants.  On the
    broker's host they live in DATA/keys, mode 0700:

        broker.key          the broker's own key pair (secret, 0600)
        allowed/NAME.pub    the public half of every key the broker accepts,
                            with its grants: what the ZAP handler reads
        revoked/NAME.pub    keys taken back (`plenary keys revoke`), with
                            when; refused from that moment
        issued/NAME.key     secret keys made on this host (0600), to hand
                            over to their holder or for `plenary up`

    Files use CZMQ's certificate format (ZPL, zconfig): a "curve" section
    with public-key and, in a secret file, secret-key (Z85), and a
    "metadata" section:

        name        1..32 of [a-z0-9-]
        role        secretariat | record-keeper | delegate | public (a
                    client), or worker (a worker process)
        groups      a worker: the groups it may join, comma-separated
        services    a worker: the query services it may offer
        credit      a worker: the most events it may have in flight
        live        "yes": may subscribe to the live stream (PUB) though
                    its role is not secretariat (the gateway's key)
        publish     event topics the key may publish though its role is
                    not secretariat (the gateway's: mail.unsubscribed)
        delegation  a delegate key: the delegation whose focal point holds
                    it (a web user's, `plenary keys web-user`)
        broker-key  in a secret file: the broker's public key, so the
                    holder needs this one file to connect
        created, revoked   ISO 8601 UTC

    A client or worker names its secret file with PLENARY_CERT (or --cert);
    pl_key_client_apply makes a socket use it. */
#ifndef PL_KEYS_H_INCLUDED
#define PL_KEYS_H_INCLUDED

#include <czmq.h>
#include <stddef.h>

#define PL_KEY_Z85          41      //  a 32-byte key in Z85, with its NUL
#define PL_KEY_NAME_MAX     32
#define PL_KEY_LIST_MAX     256     //  groups, services
#define PL_KEY_STAMP_MAX    32

typedef struct {
    char name [PL_KEY_NAME_MAX + 1];
    char role [16];
    char groups [PL_KEY_LIST_MAX + 1];
    char services [PL_KEY_LIST_MAX + 1];
    int credit;                             //  0: the broker's max_credit
    int live;                               //  may subscribe to PUB
    char publish [PL_KEY_LIST_MAX + 1];     //  topics it may publish below secretariat
    char delegation [PL_KEY_NAME_MAX + 1];  //  a focal point's delegation, "" for none
    char public_key [PL_KEY_Z85];
    char secret_key [PL_KEY_Z85];           //  "" in a public file
    char broker_key [PL_KEY_Z85];           //  "" unless a secret file names it
    char created [PL_KEY_STAMP_MAX];
    char revoked [PL_KEY_STAMP_MAX];
} pl_key_t;

//  True when ROLE is one a key may hold (the four client roles or worker).
int pl_key_role_valid (const char *role);

//  Load the key file PATH into KEY.  0, or -1 with ERR naming the file and
//  what is wrong (missing, unreadable, a malformed key, an unknown role).
int pl_key_load (const char *path, pl_key_t *key, char *err, size_t errsize);

//  Write KEY to PATH, mode 0600, atomically (a temporary file renamed);
//  with SECRET its secret half too.  0 or -1 (ERR).
int pl_key_save (const char *path, const pl_key_t *key, int secret,
                 char *err, size_t errsize);

//  KEY as a key file's tree (zconfig, CZMQ's certificate layout): with
//  SECRET its secret half and the broker's key too.  Caller destroys it;
//  NULL when out of memory.
zconfig_t *pl_key_zpl (const pl_key_t *key, int secret);

//  A new key pair into KEY (its other fields untouched).  0 or -1.
int pl_key_generate (pl_key_t *key);

//  Make SOCK a CURVE client with KEY, talking to the broker whose public
//  key KEY names.  0, or -1 (ERR) when KEY has no secret or no broker key.
int pl_key_client_apply (const pl_key_t *key, zsock_t *sock, char *err, size_t errsize);

//  Load PATH and apply it to SOCK (the common case of both).  0 or -1 (ERR).
int pl_key_client_file (const char *path, zsock_t *sock, char *err, size_t errsize);

//  A SUB socket connected to the live stream at ENDPOINT, with the key file
//  CERT when it is not "" (the broker's PUB socket requires one when keys
//  are on).  Caller destroys it; NULL with ERR.
zsock_t *pl_key_sub_new (const char *endpoint, const char *cert, char *err, size_t errsize);

//  --------------------------------------------------------------------------
//  The key folder DATA/keys

//  Create DATA/keys and its folders (0700) and, unless it exists, the
//  broker's key.  With ISSUE_SERVICE_KEYS, also issue the keys `plenary up`
//  gives its own processes (a worker key per group of this repository and
//  the gateway's) unless they exist.  0 or -1 (ERR).
int pl_keys_init (const char *data, int issue_service_keys, char *err, size_t errsize);

//  True when DATA holds a broker key: the broker then requires CURVE.
int pl_keys_enabled (const char *data);

//  Load the broker's own key.  0 or -1 (ERR).
int pl_keys_broker (const char *data, pl_key_t *key, char *err, size_t errsize);

//  Issue a key for KEY's name, role and grants: a new pair, its public half
//  in allowed/, its secret half (naming the broker's key) at OUT, or at
//  issued/NAME.key when OUT is NULL; the path written goes to PATH.  A name
//  already allowed or revoked is refused.  0 or -1 (ERR).
int pl_keys_issue (const char *data, pl_key_t *key, const char *out,
                   char *path, size_t path_size, char *err, size_t errsize);

//  Issue a web user's key as pl_keys_issue does, its secret half sealed by
//  PASSWORD (LENGTH bytes) at DATA/keys/web/NAME.sealed (pl_seal.h), never
//  written in clear.  ROLE secretariat, or delegate with a delegation (a
//  focal point).  0 or -1 (ERR).
int pl_keys_issue_web (const char *data, pl_key_t *key, const char *password, size_t length,
                       char *path, size_t path_size, char *err, size_t errsize);

//  DATA/keys/web/NAME.sealed into PATH.  0, or -1 when NAME is not a key
//  name or the path is too long.
int pl_keys_web_path (const char *data, const char *name, char *path, size_t size);

//  Revoke the key NAME: its public half moves from allowed/ to revoked/
//  with the time.  0 or -1 (ERR: no such key, already revoked).
int pl_keys_revoke (const char *data, const char *name, char *err, size_t errsize);

//  Call FN for every allowed, then every revoked key, each group in name
//  order; FN returns 0 to go on.  0 or -1 (ERR).
typedef int (pl_keys_fn) (void *arg, const pl_key_t *key);
int pl_keys_list (const char *data, pl_keys_fn *fn, void *arg, char *err, size_t errsize);

//  The modification time of DATA/keys/allowed in ns (0 when absent): a key
//  issued or revoked changes it.
int64_t pl_keys_stamp (const char *data);

//  Self-test.
int pl_keys_test (int verbose);

#endif
