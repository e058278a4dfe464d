/*  broker_frames — test_broker's raw frames and broker process (see
    broker_frames.h): plenaryd forked and exec'd from $PL_BUILD and waited
    for through its ready file, and PLC01/PLW01 messages put together and
    taken apart frame by frame with pl_proto's helpers. */
#include "broker_frames.h"
#include "pl_codec.h"
#include "pl_proto.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

//  --------------------------------------------------------------------------
//  Broker process

static int
s_read_ready (frames_broker_t *broker)
{
    char path [300], line [200];
    snprintf (path, sizeof path, "%s/plenaryd.ready", broker->data);
    FILE *file = fopen (path, "r");
    if (!file)
        return -1;
    int found = 0;
    while (fgets (line, sizeof line, file)) {
        line [strcspn (line, "\n")] = 0;
        if (strncmp (line, "frontend=", 9) == 0 && ++found)
            snprintf (broker->frontend, sizeof broker->frontend, "%s", line + 9);
        if (strncmp (line, "backend=", 8) == 0 && ++found)
            snprintf (broker->backend, sizeof broker->backend, "%s", line + 8);
        if (strncmp (line, "pub=", 4) == 0 && ++found)
            snprintf (broker->pub, sizeof broker->pub, "%s", line + 4);
    }
    fclose (file);
    return found == 3 ? 0 : -1;
}

int
frames_broker_start (frames_broker_t *broker)
{
    char ready [300], exe [512], log [300];
    snprintf (ready, sizeof ready, "%s/plenaryd.ready", broker->data);
    snprintf (exe, sizeof exe, "%s/plenaryd", getenv ("PL_BUILD") ? getenv ("PL_BUILD") : ".");
    snprintf (log, sizeof log, "%s/broker.log", broker->data);
    unlink (ready);
    const char *argv [24] = { exe, "--data", broker->data, "--endpoint", "tcp://127.0.0.1:*",
                              "--backend", "tcp://127.0.0.1:*", "--pub", "tcp://127.0.0.1:*" };
    size_t argc = 9;
    for (size_t i = 0; broker->flags [i] && argc < 23; i++)
        argv [argc++] = broker->flags [i];
    broker->pid = fork ();
    if (broker->pid == 0) {
        if (!freopen (log, "a", stderr))
            _exit (127);
        execv (exe, (char **) argv);
        _exit (127);
    }
    for (int tries = 0; tries < 100; tries++) {
        if (access (ready, F_OK) == 0 && s_read_ready (broker) == 0)
            return 0;
        if (waitpid (broker->pid, NULL, WNOHANG) == broker->pid) {
            broker->pid = 0;
            fprintf (stderr, "plenaryd exited at start; see %s\n", log);
            return -1;
        }
        zclock_sleep (100);             //  bounded poll for the ready file
    }
    fprintf (stderr, "plenaryd wrote no %s within 10 s\n", ready);
    return -1;
}

int
frames_broker_stop (frames_broker_t *broker, int signum)
{
    if (broker->pid <= 0)
        return -1;
    kill (broker->pid, signum);
    int status = 0;
    for (int tries = 0; tries < 100; tries++) {
        if (waitpid (broker->pid, &status, WNOHANG) == broker->pid) {
            broker->pid = 0;
            return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
        }
        zclock_sleep (100);
    }
    kill (broker->pid, SIGKILL);
    waitpid (broker->pid, NULL, 0);
    broker->pid = 0;
    return -1;
}

//  --------------------------------------------------------------------------
//  Raw client frames

zsock_t *
frames_dealer (const char *endpoint)
{
    zsock_t *sock = zsock_new_dealer (endpoint);
    if (sock) {
        zsock_set_linger (sock, 0);
        zsock_set_rcvtimeo (sock, FRAMES_WAIT_MS);
    }
    return sock;
}

zmsg_t *
frames_client_msg (uint8_t command, const char *corr)
{
    zmsg_t *msg = zmsg_new ();
    zmsg_addstr (msg, PL_PROTO_CLIENT);
    pl_frame_put_byte (msg, command);
    zmsg_addstr (msg, corr);
    return msg;
}

void
frames_publish_send (zsock_t *sock, const char *corr, const char *topic,
                     const char *event_id, const void *payload, size_t size)
{
    zmsg_t *msg = frames_client_msg (PL_C_PUBLISH, corr);
    zmsg_addstr (msg, topic);
    zmsg_addstr (msg, event_id);
    zmsg_addmem (msg, payload, size);
    zmsg_send (&msg, sock);
}

zmsg_t *
frames_expect (zsock_t *sock, uint8_t command, const char *corr)
{
    zmsg_t *msg = zmsg_recv (sock);
    if (!msg) {
        fprintf (stderr, "no reply to %s within %d ms\n", corr, FRAMES_WAIT_MS);
        return NULL;
    }
    uint8_t got = 0;
    zframe_t *header = zmsg_first (msg);
    pl_frame_get_byte (zmsg_next (msg), &got);
    zframe_t *corr_frame = zmsg_next (msg);
    if (!zframe_streq (header, PL_PROTO_CLIENT) || !zframe_streq (corr_frame, corr) || got != command) {
        char *text = zmsg_size (msg) >= 5 ? zframe_strdup (zmsg_last (msg)) : strdup ("");
        fprintf (stderr, "reply to %s: command 0x%02x, wanted 0x%02x (%s)\n", corr, got, command, text);
        free (text);
        zmsg_destroy (&msg);
    }
    return msg;
}

int
frames_expect_ack (zsock_t *sock, const char *corr, uint64_t *seq, uint8_t *duplicate)
{
    zmsg_t *msg = frames_expect (sock, PL_C_ACK, corr);
    if (!msg)
        return -1;
    int rc = pl_frame_get_u64 (zmsg_next (msg), seq) || pl_frame_get_byte (zmsg_next (msg), duplicate);
    zmsg_destroy (&msg);
    return rc ? -1 : 0;
}

int
frames_expect_error (zsock_t *sock, const char *corr, int code, const char *words)
{
    zmsg_t *msg = frames_expect (sock, PL_C_ERROR, corr);
    if (!msg)
        return -1;
    char digits [8] = "", text [512] = "";
    pl_frame_get_str (zmsg_next (msg), digits, sizeof digits);
    pl_frame_get_str (zmsg_next (msg), text, sizeof text);
    zmsg_destroy (&msg);
    if (atoi (digits) != code || !strstr (text, words)) {
        fprintf (stderr, "%s: got %s '%s', wanted %d '...%s...'\n", corr, digits, text, code, words);
        return -1;
    }
    return 0;
}

int
frames_ping (zsock_t *sock, const char *corr)
{
    zmsg_t *msg = frames_client_msg (PL_C_PING, corr);
    zmsg_send (&msg, sock);
    msg = frames_expect (sock, PL_C_PONG, corr);
    int rc = msg ? 0 : -1;
    zmsg_destroy (&msg);
    return rc;
}

void
frames_receipt_send (zsock_t *sock, const char *corr, uint64_t seq, const char *group,
                     uint32_t timeout)
{
    zmsg_t *msg = frames_client_msg (PL_C_RECEIPT, corr);
    pl_frame_put_u64 (msg, seq);
    zmsg_addstr (msg, group);
    pl_frame_put_u32 (msg, timeout);
    zmsg_send (&msg, sock);
}

int
frames_expect_verdict (zsock_t *sock, uint64_t seq, const char *group, const char *want,
                       const char *words)
{
    char corr [32];
    snprintf (corr, sizeof corr, "receipt-%llu", (unsigned long long) seq);
    frames_receipt_send (sock, corr, seq, group, 3000);
    zmsg_t *msg = frames_expect (sock, PL_C_VERDICT, corr);
    if (!msg)
        return -1;
    uint64_t got_seq = 0;
    char got_group [40] = "", verdict [16] = "", reason [600] = "";
    pl_frame_get_u64 (zmsg_next (msg), &got_seq);
    pl_frame_get_str (zmsg_next (msg), got_group, sizeof got_group);
    pl_frame_get_str (zmsg_next (msg), verdict, sizeof verdict);
    pl_frame_get_str (zmsg_next (msg), reason, sizeof reason);
    zmsg_destroy (&msg);
    if (got_seq != seq || strcmp (got_group, group) || strcmp (verdict, want) || !strstr (reason, words)) {
        fprintf (stderr, "receipt %llu: got %s '%s', wanted %s '...%s...'\n",
                 (unsigned long long) seq, verdict, reason, want, words);
        return -1;
    }
    return 0;
}

json_t *
frames_broker_query (zsock_t *sock, const char *name)
{
    void *data = NULL;
    size_t size = 0;
    char err [PL_ERR_MAX];
    json_t *args = json_object ();
    pl_codec_encode (name, args, &data, &size, err, sizeof err);
    json_decref (args);
    zmsg_t *msg = frames_client_msg (PL_C_QUERY, name);
    zmsg_addstr (msg, "broker");
    zmsg_addstr (msg, name);
    zmsg_addmem (msg, data, size);
    free (data);
    zmsg_send (&msg, sock);
    msg = frames_expect (sock, PL_C_REPLY, name);
    if (!msg)
        return NULL;
    char reply_name [64];
    snprintf (reply_name, sizeof reply_name, "%s.reply", name);
    zframe_t *payload = zmsg_next (msg);
    json_t *reply = pl_codec_decode (reply_name, zframe_data (payload), zframe_size (payload),
                                     err, sizeof err);
    if (!reply)
        fprintf (stderr, "%s: %s\n", name, err);
    zmsg_destroy (&msg);
    return reply;
}

void
frames_query_send (zsock_t *sock, const char *corr, const char *service, const char *name,
                   const char *as_role)
{
    void *data = NULL;
    size_t size = 0;
    char err [PL_ERR_MAX];
    json_t *args = json_object ();
    if (pl_codec_encode (name, args, &data, &size, err, sizeof err))
        fprintf (stderr, "encode %s: %s\n", name, err);
    json_decref (args);
    zmsg_t *msg = frames_client_msg (PL_C_QUERY, corr);
    zmsg_addstr (msg, service);
    zmsg_addstr (msg, name);
    zmsg_addmem (msg, data, size);
    if (as_role)
        zmsg_addstr (msg, as_role);
    free (data);
    zmsg_send (&msg, sock);
}

long long
frames_status_int (zsock_t *sock, const char *field)
{
    json_t *status = frames_broker_query (sock, "broker.status");
    long long value = status ? json_integer_value (json_object_get (status, field)) : -1;
    json_decref (status);
    return value;
}

size_t
frames_participant (void **data_p, const char *family_name)
{
    json_t *object = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "ccm-msp11",
                                "family_name", family_name, "given_name", "Анна 安娜",
                                "delegation", "PL");
    size_t size = 0;
    char err [PL_ERR_MAX];
    if (pl_codec_encode ("participant.registered", object, data_p, &size, err, sizeof err))
        fprintf (stderr, "encode: %s\n", err);
    json_decref (object);
    return size;
}

uint64_t
frames_publish_new (zsock_t *sock, const char *event_id, const char *family_name)
{
    void *data = NULL;
    size_t size = frames_participant (&data, family_name);
    frames_publish_send (sock, event_id, "participant.registered", event_id, data, size);
    free (data);
    uint64_t seq = 0;
    uint8_t duplicate = 9;
    if (frames_expect_ack (sock, event_id, &seq, &duplicate) || duplicate != 0)
        return 0;
    return seq;
}

uint64_t
frames_publish_json (zsock_t *sock, const char *event_id, const char *topic, json_t *object)
{
    void *data = NULL;
    size_t size = 0;
    char err [PL_ERR_MAX];
    uint64_t seq = 0;
    uint8_t duplicate = 9;
    if (pl_codec_encode (topic, object, &data, &size, err, sizeof err))
        fprintf (stderr, "encode %s: %s\n", topic, err);
    else {
        frames_publish_send (sock, event_id, topic, event_id, data, size);
        if (frames_expect_ack (sock, event_id, &seq, &duplicate) || duplicate != 0)
            seq = 0;
    }
    free (data);
    json_decref (object);
    return seq;
}

//  --------------------------------------------------------------------------
//  Raw worker frames

void
frames_worker_send (zsock_t *sock, uint8_t command, zmsg_t *body)
{
    zmsg_t *msg = body ? body : zmsg_new ();
    zmsg_pushmem (msg, &command, 1);
    zmsg_pushstr (msg, PL_PROTO_WORKER);
    zmsg_send (&msg, sock);
}

void
frames_ready (zsock_t *sock, const char *group, const char *topics, const char *services,
              uint32_t credit, uint64_t from)
{
    frames_ready_follows (sock, group, topics, services, credit, from, NULL);
}

void
frames_ready_follows (zsock_t *sock, const char *group, const char *topics,
                      const char *services, uint32_t credit, uint64_t from,
                      const char *follows)
{
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, group);
    zmsg_addstr (body, topics);
    zmsg_addstr (body, services);
    pl_frame_put_u32 (body, credit);
    pl_frame_put_u64 (body, from);
    if (follows)
        zmsg_addstr (body, follows);
    frames_worker_send (sock, PL_W_READY, body);
}

void
frames_verdict (zsock_t *sock, uint64_t seq, const char *verdict, const char *reason)
{
    zmsg_t *body = zmsg_new ();
    pl_frame_put_u64 (body, seq);
    zmsg_addstr (body, verdict);
    zmsg_addstr (body, reason);
    frames_worker_send (sock, PL_W_VERDICT, body);
}

int
frames_worker_next (zsock_t *sock, int ms, int heartbeat, frames_got_t *got)
{
    int64_t deadline = zclock_mono () + ms;
    zpoller_t *poller = zpoller_new (sock, NULL);
    int rc = -1;
    while (rc && zclock_mono () < deadline) {
        if (heartbeat)
            frames_worker_send (sock, PL_W_HEARTBEAT, NULL);
        if (!zpoller_wait (poller, 100))
            continue;
        zmsg_t *msg = zmsg_recv (sock);
        if (!msg)
            break;
        zmsg_first (msg);
        pl_frame_get_byte (zmsg_next (msg), &got->command);
        if (got->command == PL_W_EVENT) {
            pl_frame_get_u64 (zmsg_next (msg), &got->seq);
            zmsg_next (msg);
            zmsg_next (msg);
            zmsg_next (msg);
            pl_frame_get_u32 (zmsg_next (msg), &got->attempt);
        }
        if (got->command != PL_W_HEARTBEAT)
            rc = 0;
        zmsg_destroy (&msg);
    }
    zpoller_destroy (&poller);
    return rc;
}

int
frames_expect_event (zsock_t *sock, uint64_t seq, uint32_t attempt)
{
    frames_got_t got = { 0 };
    if (frames_worker_next (sock, FRAMES_WAIT_MS, 1, &got) || got.command != PL_W_EVENT
    ||  got.seq != seq || (attempt && got.attempt != attempt)) {
        fprintf (stderr, "wanted EVENT seq=%llu attempt=%u, got command 0x%02x seq=%llu attempt=%u\n",
                 (unsigned long long) seq, attempt, got.command,
                 (unsigned long long) got.seq, got.attempt);
        return -1;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  The runner

static int
s_run (const frames_test_t *test)
{
    frames_broker_t broker = { .pid = 0 };
    snprintf (broker.data, sizeof broker.data, "%s/plenary-broker-test.XXXXXX",
              getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp");
    if (!mkdtemp (broker.data))
        return -1;
    memcpy (broker.flags, test->flags, sizeof broker.flags);
    int rc = frames_broker_start (&broker);
    if (rc == 0)
        rc = test->run (&broker);
    int status = frames_broker_stop (&broker, SIGTERM);
    if (rc == 0 && status != 0) {
        fprintf (stderr, "FAIL %s: plenaryd exited %d after SIGTERM\n", test->name, status);
        rc = -1;
    }
    char ready [300];
    snprintf (ready, sizeof ready, "%s/plenaryd.ready", broker.data);
    if (rc == 0 && access (ready, F_OK) == 0) {
        fprintf (stderr, "FAIL %s: plenaryd left %s after a clean stop\n", test->name, ready);
        rc = -1;
    }
    if (rc) {
        char command [600];
        snprintf (command, sizeof command, "tail -20 %s/broker.log >&2", broker.data);
        if (system (command) == -1)
            fprintf (stderr, "(could not show the broker log)\n");
    }
    char command [600];
    snprintf (command, sizeof command, "rm -rf '%s'", broker.data);
    if (!getenv ("PL_KEEP") && system (command) != 0)
        fprintf (stderr, "could not remove %s\n", broker.data);
    printf ("%s %s\n", rc ? "FAIL" : "PASS", test->name);
    return rc;
}

int
frames_main (int argc, char *argv [], const frames_test_t *tests, size_t count)
{
    zsys_handler_set (NULL);
    int failed = 0;
    for (size_t i = 0; i < count; i++) {
        int wanted = argc < 2;
        for (int arg = 1; arg < argc; arg++)
            wanted |= strcmp (argv [arg], tests [i].name) == 0;
        if (wanted)
            failed |= s_run (&tests [i]) != 0;
    }
    return failed;
}
