/*  cli_calendar — `plenary calendar url|rotate|watch`: the addresses of the
    iCalendar feeds, private feed tokens, and live schedule changes.

    A private feed's token is drawn here (256 bits from libsodium's
    randombytes, which reads getrandom), printed once inside its URL, and
    only its SHA-256 travels: published as participant.token.issued, so it
    survives a rebuild of the calendar worker from the log, while the token
    itself is stored nowhere.  `rotate` issues a replacing token, which
    revokes the previous address. */
#include "cli_util.h"
#include "pl_codec.h"
#include "pl_keys.h"
#include "pl_proto.h"
#include "pl_zone.h"

#include <czmq.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define S_TOKEN_BYTES   32      //  256 bits of randomness (the issue asks for at least 128)
#define S_URL_MAX       (PL_ENDPOINT_MAX + 256)

static const cli_flag_t s_feed_flags [] = {
    { "meeting",     NULL, 1, 0 },
    { "convention",  NULL, 1, 0 },
    { "participant", NULL, 1, 0 },
    { "base",        NULL, 1, 0 },
    { "json",        NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_url_help =
    "usage: plenary calendar url (--meeting ID | --convention CODE | --participant P)\n"
    "                            [--base URL] [--json]\n"
    "\n"
    "Prints the address of an iCalendar feed twice: as http(s):// and as webcal://\n"
    "(which opens the calendar app).  For a participant it opens a private feed:\n"
    "a new random address, printed only this once, listing every meeting and\n"
    "session the person is registered for; give it to them.  Until the secretariat\n"
    "confirms a registration its meeting shows as tentative; a withdrawn or\n"
    "rejected one is not listed, and a person with no other registration gets no\n"
    "feed (exit 1).  A participant who already has one keeps it: 'plenary\n"
    "calendar rotate' replaces it.\n"
    "--base is the gateway's public address (default $PLENARY_PUBLIC_URL or the\n"
    "configuration file's public-url, else http://HTTP).\n"
    "\n"
    "examples:\n"
    "  plenary calendar url --meeting ccm-msp13\n"
    "  plenary calendar url --participant p42 --base https://meetings.example.org\n";

static const char *s_rotate_help =
    "usage: plenary calendar rotate --participant P [--base URL] [--json]\n"
    "\n"
    "Replaces a participant's private feed address with a new random one and\n"
    "prints it once; the previous address answers 404 from now on.  Use it when\n"
    "an address was shared too widely.\n"
    "\n"
    "example:\n"
    "  plenary calendar rotate --participant p42\n";

static const char *s_watch_help =
    "usage: plenary calendar watch --participant P [--json]\n"
    "\n"
    "Prints each change to that person's schedule as it happens, until Ctrl-C:\n"
    "meetings and sessions of the meetings they are registered for (scheduled,\n"
    "moved, cancelled, updated) and their own registrations.  Live, from the\n"
    "broker's notifications ($PLENARY_PUB), for those who want more than their\n"
    "calendar app's hourly refresh.  A session's times are given in its meeting's\n"
    "zone with the offset in force then, as RFC 9557 writes them:\n"
    "start=2030-04-01T10:00+02:00[Europe/Zurich].  With --json each change is one\n"
    "JSON line: the event as published (wall-clock times, as in the meeting's zone).\n"
    "\n"
    "example:\n"
    "  plenary calendar watch --participant p42\n";

//  The gateway's public base URL, without a trailing slash.
static void
s_base (cli_t *cli, const cli_args_t *args, char *base, size_t size)
{
    const char *value = cli_value (args, "base");
    if (!value)
        value = cli->public_url;        //  PLENARY_PUBLIC_URL, [plenary] public-url
    if (value && *value)
        snprintf (base, size, "%s", value);
    else
        snprintf (base, size, "http://%s", cli->config.http);
    size_t length = strlen (base);
    while (length > 0 && base [length - 1] == '/')
        base [--length] = 0;
}

//  Print the feed at PATH under the base URL, in both forms.
static int
s_print_urls (cli_t *cli, const cli_args_t *args, const char *path, const char *note)
{
    char base [S_URL_MAX], url [S_URL_MAX + 256], webcal [S_URL_MAX + 256 + 16];
    s_base (cli, args, base, sizeof base);
    snprintf (url, sizeof url, "%s%s", base, path);
    const char *rest = strstr (url, "://");
    snprintf (webcal, sizeof webcal, "webcal://%s", rest ? rest + 3 : url);
    if (cli_value (args, "json")) {
        json_t *out = json_pack ("{s:s, s:s}", "url", url, "webcal", webcal);
        cli_json (out);
        json_decref (out);
    }
    else {
        cli_print ("%s\n%s\n", url, webcal);
        if (note)
            cli_print ("%s\n", note);
    }
    return CLI_OK;
}

//  Issue a private feed token for PARTICIPANT (REPLACE: rotate) and print
//  its URLs.
static int
s_issue (cli_t *cli, const cli_args_t *args, const char *participant, int replace)
{
    if (sodium_init () < 0) {
        cli_error ("no source of randomness");
        return CLI_FAILED;
    }
    unsigned char token [S_TOKEN_BYTES], digest [crypto_hash_sha256_BYTES];
    char token_hex [2 * S_TOKEN_BYTES + 1], hash_hex [2 * crypto_hash_sha256_BYTES + 1];
    randombytes_buf (token, sizeof token);
    sodium_bin2hex (token_hex, sizeof token_hex, token, sizeof token);
    crypto_hash_sha256 (digest, (const unsigned char *) token_hex, strlen (token_hex));
    sodium_bin2hex (hash_hex, sizeof hash_hex, digest, sizeof digest);
    json_t *payload = json_pack ("{s:s, s:s}", "participant", participant, "token_hash", hash_hex);
    if (payload && replace)
        json_object_set_new (payload, "replace", json_true ());
    cli_receipt_t receipt;
    int rc = payload ? cli_publish (cli, args, "participant.token.issued", NULL, payload,
                                    "calendar", &receipt)
                     : CLI_FAILED;
    json_decref (payload);
    if (rc == CLI_OK && strcmp (receipt.verdict, "applied") != 0) {
        cli_error ("%s: %s", receipt.verdict, receipt.reason);
        rc = CLI_FAILED;
    }
    if (rc == CLI_OK) {
        char path [128];
        snprintf (path, sizeof path, "/ics/p/%s.ics", token_hex);
        rc = s_print_urls (cli, args, path, replace
            ? "This address is shown only once; the previous one no longer works."
            : "This address is shown only once: keep it, or rotate it to get a new one.");
    }
    sodium_memzero (token_hex, sizeof token_hex);
    return rc;
}

static int
s_url (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_feed_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_url_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    //  Which feed: exactly one of the three flags
    static const struct {
        const char *flag;
        const char *kind;
        const char *path;
    } feeds [] = {
        { "meeting",     "meeting",    "/ics/meetings/%s.ics" },
        { "convention",  "convention", "/ics/conventions/%s.ics" },
        { "participant", NULL,         NULL },
    };
    int chosen = -1;
    for (int i = 0; i < 3; i++)
        if (cli_value (&args, feeds [i].flag)) {
            if (chosen >= 0)
                return cli_usage (cli, "give one of --meeting, --convention, --participant");
            chosen = i;
        }
    if (chosen < 0)
        return cli_usage (cli, "which feed? give --meeting, --convention or --participant");
    const char *value = cli_value (&args, feeds [chosen].flag);
    if (!feeds [chosen].kind)
        return s_issue (cli, &args, value, 0);
    //  Ask the calendar worker, so that a typo is an error and not a dead address
    json_t *query = json_pack ("{s:s, s:s}", "kind", feeds [chosen].kind, "key", value);
    char err [PL_ERR_MAX];
    if (query && pl_schema_validate (pl_schema_find ("calendar.feed"), query, err, sizeof err)) {
        json_decref (query);
        return cli_usage (cli, "--%s: not a %s: '%s'", feeds [chosen].flag, feeds [chosen].kind,
                          value);
    }
    pl_client_t *client = cli_client (cli);
    int status = 0;
    json_t *reply = client && query ? pl_client_query (client, "calendar.feed", query, &status,
                                                       err, sizeof err) : NULL;
    json_decref (query);
    pl_client_destroy (&client);
    if (!reply) {
        if (status == 404)
            cli_error ("there is no %s %s", feeds [chosen].kind, value);
        else
            cli_error ("%s", status ? err : "cannot reach the broker");
        return CLI_FAILED;
    }
    json_decref (reply);
    char path [128];
    snprintf (path, sizeof path, feeds [chosen].path, value);
    return s_print_urls (cli, &args, path, NULL);
}

static int
s_rotate (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_feed_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_rotate_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    if (!cli_value (&args, "participant") || cli_value (&args, "meeting")
    ||  cli_value (&args, "convention"))
        return cli_usage (cli, "rotate takes --participant P (public feeds have no secret)");
    return s_issue (cli, &args, cli_value (&args, "participant"), 1);
}

//  ---------------------------------------------------------------------------
//  watch

typedef struct {
    cli_t *cli;
    pl_client_t *client;
    const char *participant;
    json_t *meetings;           //  the schedule: an array of meeting ids
    int json;
    json_t *zones;              //  meeting id -> its time zone, as learnt
} s_watch_t;

//  The time zone of MEETING: as a meeting event told it, else as the
//  records worker answers meeting.show (then kept).  NULL when unknown.
static const char *
s_zone (s_watch_t *self, const char *meeting)
{
    const char *tz = json_string_value (json_object_get (self->zones, meeting));
    if (tz)
        return tz;
    json_t *args = json_pack ("{s:s}", "id", meeting);
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = args ? pl_client_query (self->client, "meeting.show", args, &status,
                                            err, sizeof err) : NULL;
    json_decref (args);
    json_t *zone = json_object_get (reply, "tz");
    if (json_is_string (zone))
        json_object_set (self->zones, meeting, zone);
    json_decref (reply);
    return json_string_value (json_object_get (self->zones, meeting));
}

//  VALUE, a wall-clock time of a session (YYYY-MM-DDTHH:MM[±HH:MM]) in
//  zone TZ, as RFC 9557 writes a time with its zone, into BUF:
//  2030-04-01T10:00+02:00[Europe/Zurich], the offset in force then; a
//  date, or a time the zone cannot place, as it is with the zone.
static void
s_zoned (const char *value, const char *tz, char *buf, size_t size)
{
    pl_zone_local_t local;
    pl_zone_answer_t answer;
    char offset [8] = "";
    if (tz && strchr (value, 'T') && pl_zone_parse (value, &local) == 0) {
        if (local.has_offset)
            ;                   //  written with its offset already
        else
        if (pl_zone_resolve (tz, &local, &answer) == 0 && answer.fit == PL_ZONE_VALID)
            pl_zone_offset_text (answer.offsets [0], offset, sizeof offset);
    }
    if (tz)
        snprintf (buf, size, "%s%s[%s]", value, offset, tz);
    else
        snprintf (buf, size, "%s", value);
}

//  Refresh the schedule.  0, or -1 after printing why.
static int
s_schedule (s_watch_t *self)
{
    json_t *args = json_pack ("{s:s}", "participant", self->participant);
    int status = 0;
    char err [PL_ERR_MAX];
    json_t *reply = args ? pl_client_query (self->client, "calendar.schedule", args, &status,
                                            err, sizeof err) : NULL;
    json_decref (args);
    if (!reply) {
        cli_error ("%s", status ? err : "cannot reach the broker");
        return -1;
    }
    json_decref (self->meetings);
    self->meetings = json_incref (json_object_get (reply, "meetings"));
    json_decref (reply);
    return 0;
}

//  True when meeting ID is on the schedule.
static int
s_on_schedule (s_watch_t *self, const char *id)
{
    size_t index;
    json_t *value;
    json_array_foreach (self->meetings, index, value)
        if (id && strcmp (json_string_value (value), id) == 0)
            return 1;
    return 0;
}

//  One notification: print it when it touches the schedule.
static void
s_watch_event (s_watch_t *self, const char *topic, uint64_t seq, json_t *payload)
{
    int is_meeting = strncmp (topic, "meeting.", 8) == 0;
    const char *meeting = json_string_value (json_object_get (payload, is_meeting ? "id" : "meeting"));
    int relevant = s_on_schedule (self, meeting);
    if (strncmp (topic, "participant.", 12) == 0) {
        //  A registration may change the schedule: once the calendar worker
        //  has applied it, ask again
        char verdict [16], reason [PL_REASON_MAX + 1], err [PL_ERR_MAX];
        int status;
        pl_client_receipt (self->client, seq, "calendar", self->cli->timeout_ms, verdict,
                           sizeof verdict, reason, sizeof reason, &status, err, sizeof err);
        char *before = cli_json_text (self->meetings);
        if (s_schedule (self) == 0) {
            char *after = cli_json_text (self->meetings);
            relevant = before && after && strcmp (before, after) != 0;
            const char *who = json_string_value (json_object_get (payload, "participant"));
            relevant |= who && strcmp (who, self->participant) == 0;
            free (after);
        }
        free (before);
    }
    if (!relevant)
        return;
    if (self->json) {
        json_t *out = json_pack ("{s:I, s:s, s:O}", "seq", (json_int_t) seq, "topic", topic,
                                 "payload", payload);
        cli_json_line (out);
        json_decref (out);
        return;
    }
    //  One line a person reads: what happened, to what, and the new facts,
    //  a session's times with their zone
    static const char *facts [] = { "title", "start", "end", "room", "reason", NULL };
    const char *tz = !meeting ? NULL : is_meeting
                   ? json_string_value (json_object_get (payload, "tz")) : NULL;
    if (meeting && tz)
        json_object_set_new (self->zones, meeting, json_string (tz));
    char line [2048] = "";
    size_t used = 0;
    for (int i = 0; facts [i]; i++) {
        const char *value = json_string_value (json_object_get (payload, facts [i]));
        char zoned [256];
        if (value && !is_meeting && meeting && (i == 1 || i == 2)) {
            s_zoned (value, s_zone (self, meeting), zoned, sizeof zoned);
            value = zoned;
        }
        if (value && used < sizeof line)
            used += (size_t) snprintf (line + used, sizeof line - used, " %s=%s",
                                       facts [i], value);
    }
    const char *session = is_meeting ? NULL : json_string_value (json_object_get (payload, "id"));
    cli_print ("%llu %s %s%s%s%s\n", (unsigned long long) seq, topic, meeting ? meeting : "",
               session ? "/" : "", session ? session : "", line);
    fflush (stdout);
}

static int
s_watch (cli_t *cli, int argc, char **argv)
{
    static const cli_flag_t flags [] = {
        { "participant", NULL, 1, 1 },
        { "pub",         NULL, 1, 0 },
        { "json",        NULL, 0, 0 },
        { NULL, NULL, 0, 0 }
    };
    cli_args_t args;
    int rc = cli_parse (cli, flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_watch_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    s_watch_t self = { cli, cli_client (cli), cli_value (&args, "participant"), NULL,
                       cli_value (&args, "json") != NULL, json_object () };
    if (!self.client || !self.zones) {
        json_decref (self.zones);
        pl_client_destroy (&self.client);
        return CLI_FAILED;
    }
    const char *pub = cli_value (&args, "pub") ? cli_value (&args, "pub") : cli->config.pub;
    //  Subscribe first, then read the schedule: no change falls in between
    char sub_err [600];
    zsock_t *sub = pl_key_sub_new (pub, cli->config.cert, sub_err, sizeof sub_err);
    if (!sub) {
        pl_client_destroy (&self.client);
        cli_error ("%s", sub_err);
        return CLI_FAILED;
    }
    zsock_set_rcvhwm (sub, cli->config.hwm);
    zsock_set_maxmsgsize (sub, (int64_t) cli->config.max_message);
    static const char *prefixes [] = { "meeting.", "session.", "participant.", NULL };
    for (int i = 0; prefixes [i]; i++)
        zsock_set_subscribe (sub, prefixes [i]);
    rc = CLI_FAILED;
    if (s_schedule (&self))
        goto done;
    if (!self.json) {
        char *list = cli_json_text (self.meetings);
        cli_print ("watching the schedule of %s: %s (Ctrl-C stops)\n", self.participant,
                   list ? list : "[]");
        free (list);
        fflush (stdout);
    }
    cli_signals_init ();
    zpoller_t *poller = zpoller_new (sub, NULL);
    while (!cli_interrupted ()) {
        if (!zpoller_wait (poller, 250))
            continue;
        zmsg_t *msg = zmsg_recv (sub);
        char topic [PL_TOPIC_MAX + 1];
        uint64_t seq;
        if (msg && zmsg_size (msg) == 4
        &&  pl_frame_get_str (zmsg_first (msg), topic, sizeof topic) == 0
        &&  pl_frame_get_u64 (zmsg_next (msg), &seq) == 0) {
            zmsg_next (msg);
            zframe_t *body = zmsg_next (msg);
            char err [PL_ERR_MAX];
            json_t *payload = pl_codec_decode (topic, zframe_data (body), zframe_size (body),
                                               err, sizeof err);
            if (payload)
                s_watch_event (&self, topic, seq, payload);
            json_decref (payload);
        }
        zmsg_destroy (&msg);
    }
    zpoller_destroy (&poller);
    rc = CLI_OK;
done:
    json_decref (self.meetings);
    json_decref (self.zones);
    zsock_destroy (&sub);
    pl_client_destroy (&self.client);
    return rc;
}

static const cli_command_t s_calendar_commands [] = {
    { "url",    s_url,    "print the address of a feed (http and webcal)" },
    { "rotate", s_rotate, "replace a participant's private feed address" },
    { "watch",  s_watch,  "print changes to a participant's schedule as they happen" },
    { NULL, NULL, NULL }
};

int
cli_calendar (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (strcmp (argv [1], "--help") == 0 || strcmp (argv [1], "-h") == 0)) {
        cli_print ("usage: plenary calendar COMMAND [FLAGS]\n\n"
                   "The iCalendar feeds delegates subscribe to.  commands:\n");
        cli_print_commands (s_calendar_commands);
        cli_print ("\nexample:\n  plenary calendar url --meeting ccm-msp13\n"
                   "'plenary calendar COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    return cli_dispatch (cli, s_calendar_commands, "plenary calendar", argc - 1, argv + 1);
}
