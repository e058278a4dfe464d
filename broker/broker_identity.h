/*  broker_identity — who a peer is and what it may do: the one place.

    Two modes, decided at start:
      - without keys (no DATA/keys/broker.key), every connection has the
        role --loopback-role (default secretariat): one trusted machine.
        The broker then refuses to start on any address that is not
        loopback (127.0.0.0/8, ::1, localhost, ipc://), unless --insecure
        says the network is closed (logged loudly);
      - with keys, all three sockets are CurveZMQ servers (RFC 26) and a ZAP
        handler (RFC 27, a thread of its own) admits a connection only for a
        key in DATA/keys/allowed: on the frontend a client key (secretariat,
        record-keeper, delegate, public), on the backend a worker key, on
        the PUB socket a secretariat or worker key or one granted "live".
        The key's name, role and grants travel with every message as ZAP
        metadata; a key revoked while connected is refused from the next
        message (clients) or disconnected within a tick (workers), and the
        PUB socket is bound anew so that its subscribers must show their
        keys again.
    docs/SECURITY.md describes the model for operators. */
#ifndef BROKER_IDENTITY_H_INCLUDED
#define BROKER_IDENTITY_H_INCLUDED

#include <czmq.h>
#include "pl_config.h"
#include "pl_keys.h"

typedef struct _broker_identity_t broker_identity_t;

//  The sockets, as ZAP domains.
#define BROKER_DOMAIN_FRONTEND "frontend"
#define BROKER_DOMAIN_BACKEND  "backend"
#define BROKER_DOMAIN_PUB      "pub"

//  Decide the mode for CONFIG and INSECURE; start the ZAP handler when keys
//  are on.  NULL with ERR when the broker must not start (an address that
//  is not loopback without keys, an unreadable broker key).
broker_identity_t *broker_identity_new (const pl_config_t *config, int insecure,
                                        char *err, size_t errsize);

//  Free it.  NULL-safe; sets *SELF_P to NULL.
void broker_identity_destroy (broker_identity_t **self_p);

//  True when keys are on.
int broker_identity_curve (broker_identity_t *self);

//  Make SOCK (not yet bound) a CURVE server of DOMAIN when keys are on.
void broker_identity_secure (broker_identity_t *self, zsock_t *sock, const char *domain);

//  The role of the client whose message holds PART (a part the peer sent,
//  not the routing id the ROUTER adds, which carries no metadata): a
//  role name, or NULL with WHY when it is refused (its key was revoked).
const char *broker_identity_role (broker_identity_t *self, zmq_msg_t *part,
                                  char *why, size_t why_size);

//  May the client whose message holds PART, of ROLE, publish TOPIC (TOPIC_SIZE
//  bytes)?  The secretariat may publish anything; another role only the
//  topics its key was granted (metadata "Publish").
int broker_identity_may_publish (broker_identity_t *self, zmq_msg_t *part, const char *role,
                                 const char *topic, size_t topic_size);

//  The stamp of an event published in the message holding PART: its key's
//  name and delegation (a focal point's), each into a buffer of
//  PL_KEY_NAME_MAX + 1 bytes; "" and "" without keys.
void broker_identity_stamp (broker_identity_t *self, zmq_msg_t *part, char *name,
                            char *delegation);

//  The key name of the peer whose message holds FRAME ("" without keys).
const char *broker_identity_name (broker_identity_t *self, zframe_t *frame);

//  May the worker whose READY holds FRAME join GROUP offering SERVICES?
//  0, with *CREDIT capped by its key's grant; -1 with WHY.
int broker_identity_worker (broker_identity_t *self, zframe_t *frame, const char *group,
                            const char *services, uint32_t *credit, char *why, size_t why_size);

//  True when the key NAME may still connect ("" without keys: always).  A
//  name not known is looked for again in DATA/keys (a key issued since the
//  last refresh, which ZAP may have admitted already).
int broker_identity_allowed (broker_identity_t *self, const char *name);

//  Look at DATA/keys again (cheap when nothing changed): 1 when a key was
//  revoked since the last call (the caller drops its holders), else 0.
int broker_identity_refresh (broker_identity_t *self);

//  True when ENDPOINT (a ZeroMQ endpoint) is only reachable from this host.
int broker_identity_endpoint_local (const char *endpoint);

#endif
