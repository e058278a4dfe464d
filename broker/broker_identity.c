/*  broker_identity — who a peer is and what it may do (see broker_identity.h).

    The ZAP handler is a CZMQ actor: libzmq asks it about every CURVE
    handshake on inproc://zeromq.zap.01 from its I/O thread, so it must
    answer even while the engine's loop waits on a commit.  It keeps its own
    map of allowed keys by public key, read from DATA/keys/allowed and read
    again whenever that folder changes (a stat per handshake), so a key
    issued or revoked counts for the next connection.  The engine's thread
    keeps only the set of allowed names, to refuse the messages of a key
    revoked after it connected; roles and grants come with each message as
    the ZAP metadata of its connection. */
#include "broker_identity.h"
#include "broker_zap.h"
#include "pl_keys.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define S_ZAP_FRAMES   8            //  a request has 6 or 7
#define S_ZAP_META_MAX 2048

struct _broker_identity_t {
    int curve;
    char data [PL_ENDPOINT_MAX];
    char loopback_role [32];
    zactor_t *zap;
    zhashx_t *allowed;              //  name -> (void *) 1, keys neither revoked nor gone
    int64_t stamp;                  //  pl_keys_stamp when ALLOWED was read
    int revoked_unsaid;             //  a read between ticks found a key revoked
};

//  The roles, as constants that outlive any message.
static const char *s_roles [] = { "secretariat", "record-keeper", "delegate", "public", NULL };

static const char *
s_role_constant (const char *role)
{
    for (size_t i = 0; role && s_roles [i]; i++)
        if (strcmp (role, s_roles [i]) == 0)
            return s_roles [i];
    return NULL;
}

//  True when NAME is one entry of the comma-separated LIST.
static int
s_list_has (const char *list, const char *name, size_t length)
{
    for (const char *at = list; at && *at; ) {
        const char *comma = strchr (at, ',');
        size_t entry = comma ? (size_t) (comma - at) : strlen (at);
        if (entry == length && memcmp (at, name, length) == 0)
            return 1;
        at = comma ? comma + 1 : NULL;
    }
    return 0;
}

int
broker_identity_endpoint_local (const char *endpoint)
{
    if (strncmp (endpoint, "ipc://", 6) == 0 || strncmp (endpoint, "inproc://", 9) == 0)
        return 1;
    if (strncmp (endpoint, "tcp://", 6))
        return 0;
    const char *host = endpoint + 6, *colon = strrchr (host, ':');
    size_t length = colon ? (size_t) (colon - host) : strlen (host);
    if (length >= 2 && host [0] == '[' && host [length - 1] == ']') {
        host++;
        length -= 2;
    }
    return (length > 4 && strncmp (host, "127.", 4) == 0)
        || (length == 9 && strncmp (host, "localhost", 9) == 0)
        || (length == 3 && strncmp (host, "::1", 3) == 0);
}

//  --------------------------------------------------------------------------
//  The allowed keys, as read from DATA/keys

typedef struct {
    zhashx_t *by_key;               //  public key (Z85) -> pl_key_t (owned), or NULL
    zhashx_t *names;                //  name -> 1, or NULL
    zhashx_t *revoked;              //  name -> 1 (a key in both folders is revoked)
} s_keys_t;

static int
s_collect_key (void *arg, const pl_key_t *key)
{
    s_keys_t *keys = arg;
    if (*key->revoked) {
        zhashx_update (keys->revoked, key->name, (void *) 1);
        return 0;
    }
    if (keys->by_key) {
        pl_key_t *copy = malloc (sizeof *copy);
        if (!copy)
            return 1;
        *copy = *key;
        zhashx_update (keys->by_key, key->public_key, copy);
    }
    if (keys->names)
        zhashx_update (keys->names, key->name, (void *) 1);
    return 0;
}

//  Read DATA/keys into BY_KEY and/or NAMES (either may be NULL), leaving
//  out revoked keys.  0 or -1 (logged).
static int
s_keys_read (const char *data, zhashx_t *by_key, zhashx_t *names)
{
    s_keys_t keys = { by_key, names, zhashx_new () };
    if (by_key)
        zhashx_purge (by_key);
    if (names)
        zhashx_purge (names);
    char err [512];
    int rc = keys.revoked && pl_keys_list (data, s_collect_key, &keys, err, sizeof err) == 0 ? 0 : -1;
    if (rc)
        pl_error ("identity: cannot read the keys of %s/keys: %s", data, err);
    for (void *one = keys.revoked ? zhashx_first (keys.revoked) : NULL; one;
         one = zhashx_next (keys.revoked)) {
        const char *name = zhashx_cursor (keys.revoked);
        if (names)
            zhashx_delete (names, name);
        if (by_key) {
            zlistx_t *publics = zhashx_keys (by_key);
            for (char *public_key = zlistx_first (publics); public_key;
                 public_key = zlistx_next (publics)) {
                pl_key_t *key = zhashx_lookup (by_key, public_key);
                if (key && strcmp (key->name, name) == 0)
                    zhashx_delete (by_key, public_key);
            }
            zlistx_destroy (&publics);
        }
    }
    zhashx_destroy (&keys.revoked);
    return rc;
}

//  --------------------------------------------------------------------------
//  The ZAP handler

static void
s_free_key (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

//  May KEY connect to DOMAIN?  NULL, or why not.
static const char *
s_policy (const pl_key_t *key, const char *domain, char *why, size_t why_size)
{
    int worker = strcmp (key->role, "worker") == 0;
    if (strcmp (domain, BROKER_DOMAIN_FRONTEND) == 0 && !s_role_constant (key->role))
        snprintf (why, why_size, "key %s (%s) is not a client key", key->name, key->role);
    else
    if (strcmp (domain, BROKER_DOMAIN_BACKEND) == 0 && !worker)
        snprintf (why, why_size, "key %s (%s) is not a worker key", key->name, key->role);
    else
    if (strcmp (domain, BROKER_DOMAIN_PUB) == 0 && !worker && !key->live
    &&  strcmp (key->role, "secretariat"))
        snprintf (why, why_size, "key %s (%s) may not follow the live stream", key->name,
                  key->role);
    else
    if (strcmp (domain, BROKER_DOMAIN_FRONTEND) && strcmp (domain, BROKER_DOMAIN_BACKEND)
    &&  strcmp (domain, BROKER_DOMAIN_PUB))
        snprintf (why, why_size, "unknown ZAP domain %s", domain);
    else
        return NULL;
    return why;
}

//  Answer one ZAP request on HANDLER.
static void
s_zap_answer (zsock_t *handler, zmsg_t *request_msg, const char *data, zhashx_t *keys,
              int64_t *stamp)
{
    broker_zap_frame_t frames [S_ZAP_FRAMES];
    size_t count = 0;
    for (zframe_t *frame = zmsg_first (request_msg); frame && count < S_ZAP_FRAMES;
         frame = zmsg_next (request_msg), count++)
        frames [count] = (broker_zap_frame_t) { zframe_data (frame), zframe_size (frame) };
    broker_zap_request_t request;
    char why [256] = "", z85 [PL_KEY_Z85] = "";
    const pl_key_t *key = NULL;
    if (zmsg_size (request_msg) > S_ZAP_FRAMES
    ||  broker_zap_parse (frames, count, &request, why, sizeof why))
        ;
    else
    if (!request.curve)
        snprintf (why, sizeof why, "mechanism %s: a key is required", request.mechanism);
    else {
        int64_t now_stamp = pl_keys_stamp (data);
        if (now_stamp != *stamp) {
            s_keys_read (data, keys, NULL);
            *stamp = now_stamp;
        }
        zmq_z85_encode (z85, request.client_key, 32);
        key = zhashx_lookup (keys, z85);
        if (!key)
            snprintf (why, sizeof why, "unknown or revoked key %.8s...", z85);
        else
            s_policy (key, request.domain, why, sizeof why);
    }
    zmsg_t *reply = zmsg_new ();
    zmsg_addstr (reply, "1.0");
    zmsg_addmem (reply, request.request_id, request.request_id_size);
    if (*why) {
        zmsg_addstr (reply, "400");
        zmsg_addstr (reply, why);
        zmsg_addstr (reply, "");
        zmsg_addmem (reply, NULL, 0);
        pl_info ("identity: refused domain=%s address=%s cause=%s", request.domain,
                 request.address, why);
    }
    else {
        uint8_t meta [S_ZAP_META_MAX];
        size_t used = 0;
        char credit [16];
        snprintf (credit, sizeof credit, "%d", key->credit);
        broker_zap_property (meta, sizeof meta, &used, "Role", key->role);
        broker_zap_property (meta, sizeof meta, &used, "Groups", key->groups);
        broker_zap_property (meta, sizeof meta, &used, "Services", key->services);
        broker_zap_property (meta, sizeof meta, &used, "Credit", credit);
        broker_zap_property (meta, sizeof meta, &used, "Publish", key->publish);
        broker_zap_property (meta, sizeof meta, &used, "Delegation", key->delegation);
        zmsg_addstr (reply, "200");
        zmsg_addstr (reply, "OK");
        zmsg_addstr (reply, key->name);
        zmsg_addmem (reply, meta, used);
        pl_debug ("identity: admitted key=%s role=%s domain=%s address=%s", key->name,
                  key->role, request.domain, request.address);
    }
    zmsg_send (&reply, handler);
}

static void
s_zap_actor (zsock_t *pipe, void *args)
{
    const char *data = args;
    zsock_t *handler = zsock_new (ZMQ_REP);
    zhashx_t *keys = zhashx_new ();
    if (!handler || !keys || zsock_bind (handler, S_ZAP_ENDPOINT)) {
        pl_error ("identity: cannot bind the ZAP handler to %s", S_ZAP_ENDPOINT);
        zsock_destroy (&handler);
        zhashx_destroy (&keys);
        zsock_signal (pipe, 1);
        return;
    }
    zhashx_set_destructor (keys, s_free_key);
    int64_t stamp = pl_keys_stamp (data);
    s_keys_read (data, keys, NULL);
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, handler, NULL);
    while (poller) {
        void *which = zpoller_wait (poller, -1);
        if (which == handler) {
            zmsg_t *request = zmsg_recv (handler);
            if (request)
                s_zap_answer (handler, request, data, keys, &stamp);
            zmsg_destroy (&request);
        }
        else
            break;                      //  $TERM, or interrupted
    }
    zpoller_destroy (&poller);
    zsock_destroy (&handler);
    zhashx_destroy (&keys);
}

//  --------------------------------------------------------------------------
//  The engine's side

broker_identity_t *
broker_identity_new (const pl_config_t *config, int insecure, char *err, size_t errsize)
{
    broker_identity_t *self = calloc (1, sizeof *self);
    if (!self) {
        snprintf (err, errsize, "out of memory");
        return NULL;
    }
    snprintf (self->data, sizeof self->data, "%s", config->data);
    snprintf (self->loopback_role, sizeof self->loopback_role, "%s", config->loopback_role);
    self->curve = pl_keys_enabled (config->data);
    const struct { const char *flag; const char *endpoint; } endpoints [] = {
        { "--endpoint", config->endpoint }, { "--backend", config->backend },
        { "--pub", config->pub },
    };
    if (!self->curve)
        for (size_t i = 0; i < sizeof endpoints / sizeof endpoints [0]; i++) {
            if (broker_identity_endpoint_local (endpoints [i].endpoint))
                continue;
            if (insecure) {
                pl_error ("identity: INSECURE: %s %s is not a loopback address and there are "
                          "no keys: anyone who reaches it acts as %s. Only for a closed test "
                          "network.", endpoints [i].flag, endpoints [i].endpoint,
                          self->loopback_role);
                continue;
            }
            snprintf (err, errsize,
                "%s %s is not a loopback address, and this broker has no keys: anyone who "
                "reaches it could act as %s. Make the keys first, then start again:\n"
                "    plenary keys init --data %s     (the broker's key, and keys for its "
                "workers and gateway)\n"
                "    plenary keys new --role secretariat --name NAME --data %s   (one for each "
                "person or program; its holder sets PLENARY_CERT to the file)\n"
                "docs/SECURITY.md explains the model.  On a closed test network, --insecure "
                "starts it anyway.", endpoints [i].flag, endpoints [i].endpoint,
                self->loopback_role, config->data, config->data);
            broker_identity_destroy (&self);
            return NULL;
        }
    if (self->curve) {
        pl_key_t broker;
        self->allowed = zhashx_new ();
        if (!self->allowed || pl_keys_broker (config->data, &broker, err, errsize)) {
            broker_identity_destroy (&self);
            return NULL;
        }
        self->stamp = pl_keys_stamp (config->data);
        s_keys_read (self->data, NULL, self->allowed);
        self->zap = zactor_new (s_zap_actor, self->data);
        if (!self->zap) {
            snprintf (err, errsize, "cannot start the ZAP handler");
            broker_identity_destroy (&self);
            return NULL;
        }
        pl_info ("identity: keys on (CurveZMQ); %zu keys allowed in %s/keys/allowed",
                 zhashx_size (self->allowed), config->data);
        if (zhashx_size (self->allowed) == 0)
            pl_warn ("identity: no key is allowed yet: nobody can connect until "
                     "'plenary keys new' issues one");
    }
    return self;
}

void
broker_identity_destroy (broker_identity_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    broker_identity_t *self = *self_p;
    zactor_destroy (&self->zap);
    zhashx_destroy (&self->allowed);
    free (self);
    *self_p = NULL;
}

int
broker_identity_curve (broker_identity_t *self)
{
    return self->curve;
}

void
broker_identity_secure (broker_identity_t *self, zsock_t *sock, const char *domain)
{
    if (!self->curve)
        return;
    pl_key_t broker;
    char err [256];
    if (pl_keys_broker (self->data, &broker, err, sizeof err)) {
        pl_error ("identity: %s", err);     //  read at start; gone since
        return;
    }
    zsock_set_curve_server (sock, 1);
    zsock_set_curve_publickey (sock, broker.public_key);
    zsock_set_curve_secretkey (sock, broker.secret_key);
    zsock_set_zap_domain (sock, domain);
    memset (broker.secret_key, 0, sizeof broker.secret_key);
}

const char *
broker_identity_name (broker_identity_t *self, zframe_t *frame)
{
    const char *name = self->curve && frame ? zframe_meta (frame, "User-Id") : NULL;
    return name ? name : "";
}

static int s_reread (broker_identity_t *self);

int
broker_identity_allowed (broker_identity_t *self, const char *name)
{
    if (!self->curve || zhashx_lookup (self->allowed, name))
        return 1;
    //  ZAP, which stats the folder at every handshake, may have admitted a
    //  key issued since the last tick: read the names again now (what that
    //  revokes, the next tick acts on)
    self->revoked_unsaid |= s_reread (self);
    return zhashx_lookup (self->allowed, name) != NULL;
}

const char *
broker_identity_role (broker_identity_t *self, zmq_msg_t *part, char *why, size_t why_size)
{
    if (!self->curve)
        return s_role_constant (self->loopback_role);
    if (!part) {
        snprintf (why, why_size, "an empty message");
        return NULL;
    }
    const char *name = zmq_msg_gets (part, "User-Id");
    const char *role = s_role_constant (zmq_msg_gets (part, "Role"));
    if (!name || !role) {
        snprintf (why, why_size, "this connection has no client key");
        return NULL;
    }
    if (!broker_identity_allowed (self, name)) {
        snprintf (why, why_size, "key %s was revoked", name);
        return NULL;
    }
    return role;
}

void
broker_identity_stamp (broker_identity_t *self, zmq_msg_t *part, char *name, char *delegation)
{
    const char *user = self->curve && part ? zmq_msg_gets (part, "User-Id") : NULL;
    const char *of = self->curve && part ? zmq_msg_gets (part, "Delegation") : NULL;
    snprintf (name, PL_KEY_NAME_MAX + 1, "%s", user ? user : "");
    snprintf (delegation, PL_KEY_NAME_MAX + 1, "%s", of ? of : "");
}

int
broker_identity_may_publish (broker_identity_t *self, zmq_msg_t *part, const char *role,
                             const char *topic, size_t topic_size)
{
    if (strcmp (role, "secretariat") == 0)
        return 1;
    const char *granted = self->curve && part ? zmq_msg_gets (part, "Publish") : NULL;
    return granted && s_list_has (granted, topic, topic_size);
}

int
broker_identity_worker (broker_identity_t *self, zframe_t *frame, const char *group,
                        const char *services, uint32_t *credit, char *why, size_t why_size)
{
    if (!self->curve)
        return 0;
    if (!frame) {
        snprintf (why, why_size, "an empty message");
        return -1;
    }
    const char *name = zframe_meta (frame, "User-Id");
    const char *role = zframe_meta (frame, "Role");
    const char *groups = zframe_meta (frame, "Groups");
    const char *granted = zframe_meta (frame, "Services");
    const char *grant = zframe_meta (frame, "Credit");
    if (!name || !role || strcmp (role, "worker")) {
        snprintf (why, why_size, "this connection has no worker key");
        return -1;
    }
    if (!broker_identity_allowed (self, name)) {
        snprintf (why, why_size, "key %s was revoked", name);
        return -1;
    }
    if (!groups || !s_list_has (groups, group, strlen (group))) {
        snprintf (why, why_size, "key %s may not join group %s (it may join: %s)", name, group,
                  groups && *groups ? groups : "none");
        return -1;
    }
    for (const char *at = services; at && *at; ) {
        const char *comma = strchr (at, ',');
        size_t length = comma ? (size_t) (comma - at) : strlen (at);
        if (length && !s_list_has (granted, at, length)) {
            snprintf (why, why_size, "key %s may not offer service %.*s (it may offer: %s)",
                      name, (int) length, at, granted && *granted ? granted : "none");
            return -1;
        }
        at = comma ? comma + 1 : NULL;
    }
    long cap = grant ? strtol (grant, NULL, 10) : 0;
    if (cap > 0 && *credit > (uint32_t) cap)
        *credit = (uint32_t) cap;
    return 0;
}

//  Read the allowed names again if DATA/keys/allowed changed.  1 when a
//  name known before is gone (revoked), else 0.
static int
s_reread (broker_identity_t *self)
{
    int64_t stamp = pl_keys_stamp (self->data);
    if (stamp == self->stamp)
        return 0;
    self->stamp = stamp;
    zhashx_t *before = self->allowed;
    self->allowed = zhashx_new ();
    if (!self->allowed || s_keys_read (self->data, NULL, self->allowed)) {
        //  Keep what we knew rather than refuse everyone on a read error
        zhashx_destroy (&self->allowed);
        self->allowed = before;
        return 0;
    }
    int revoked = 0;
    for (void *one = zhashx_first (before); one; one = zhashx_next (before))
        if (!zhashx_lookup (self->allowed, zhashx_cursor (before))) {
            pl_warn ("identity: key %s is revoked; its connections are refused from now",
                     (const char *) zhashx_cursor (before));
            revoked = 1;
        }
    zhashx_destroy (&before);
    return revoked;
}

int
broker_identity_refresh (broker_identity_t *self)
{
    if (!self->curve)
        return 0;
    int revoked = s_reread (self) || self->revoked_unsaid;
    self->revoked_unsaid = 0;
    return revoked;
}
