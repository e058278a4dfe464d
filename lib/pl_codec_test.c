/*  pl_codec_test — the codec's self-test (pl_codec_test in pl_codec.h).

    One realistic sample per message, round trips, every truncation, raw
    msgpack cases with their exact errors, and the agreement of
    pl_codec_check with pl_codec_decode on every sample and on thousands of
    mutations of them; every sample in other key orders and with nil
    fields canonicalised (pl_canon) to pl_codec_encode's bytes.  Uses the
    codec's public functions only. */
#include "pl_codec.h"
#include "pl_canon.h"

#include <msgpack.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_codec_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto fail; } } while (0)

//  One realistic payload per message (every event must have one)
static const struct {
    const char *name;
    const char *json;
} s_samples [] = {
    { "meeting.scheduled", "{\"id\":\"ccw-revcon7\",\"convention\":\"CCW\",\"kind\":\"revcon\","
      "\"title\":\"《特定常规武器公约》缔约方第七次审议会议\",\"venue\":\"Geneva, Palais des Nations\","
      "\"tz\":\"Europe/Zurich\",\"start\":\"2026-11-16\",\"end\":\"2026-11-20\","
      "\"url\":\"https://meetings.unoda.org/ccw-revcon/2026\",\"description\":\"第二次审议会议\\n议程项目 8(a)\"}" },
    { "meeting.updated", "{\"id\":\"ccw-revcon7\",\"venue\":\"Lausanne\",\"start\":\"2026-11-17\","
      "\"reason\":\"Conference room XIX unavailable\"}" },
    { "meeting.cancelled", "{\"id\":\"ccm-ws-2026\",\"reason\":\"Лишь три заявки на участие\"}" },
    { "meeting.closed", "{\"id\":\"ccw-revcon7\"}" },
    { "session.scheduled", "{\"meeting\":\"ccw-revcon7\",\"id\":\"day1-am\",\"title\":\"First plenary meeting\","
      "\"start\":\"2026-11-16T10:00\",\"end\":\"2026-11-16T13:00:00\",\"room\":\"Room XIX\","
      "\"agenda_items\":[\"1\",\"2\",\"8(a)\",\"9(h)(i)\"],\"kind\":\"plenary\"}" },
    { "session.moved", "{\"meeting\":\"ccw-revcon7\",\"id\":\"day1-am\",\"start\":\"2026-11-16T15:00\","
      "\"end\":\"2026-11-16T18:00\",\"room\":\"Room XVIII\",\"reason\":\"interpretation\"}" },
    { "session.cancelled", "{\"meeting\":\"ccw-revcon7\",\"id\":\"day1-am\"}" },
    { "participant.registered", "{\"meeting\":\"ccm-msp13\",\"family_name\":\"Łukasiewicz-Żółć\","
      "\"given_name\":\"Zofia\",\"delegation\":\"PL\",\"function\":\"head\",\"gender\":\"f\","
      "\"email\":\"zofia.lukasiewicz@msz.gov.pl\",\"sponsored\":false,\"title\":\"H.E. Ms.\","
      "\"position\":\"Ambassador, Permanent Representative\",\"organization\":\"Ministerstwo Spraw Zagranicznych\"}" },
    { "participant.updated", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p42\",\"family_name\":\"عبد الله\","
      "\"given_name\":\"محمد\",\"delegation\":\"LB\",\"sponsored\":true,\"reason\":\"spelling\"}" },
    { "participant.withdrawn", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p43\",\"reason\":\"visa refused\"}" },
    { "participant.approved", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p44\",\"focal_point\":\"p40\","
      "\"reason\":\"délégation complète\"}" },
    { "participant.confirmed", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p44\"}" },
    { "participant.rejected", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p45\","
      "\"reason\":\"不是代表团成员\"}" },
    { "convention.declared", "{\"code\":\"OSLO-PROTOCOL\",\"name\":\"Протокол об оружии\"}" },
    { "delegation.declared", "{\"convention\":\"CCM\",\"code\":\"ICRC\",\"status\":\"organization\","
      "\"name\":\"Comité international de la Croix-Rouge\",\"note\":\"observer since 2010\"}" },
    { "delegation.admitted", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"ICRC\","
      "\"reason\":\"rule 1(2) of the rules of procedure\"}" },
    { "credentials.submitted", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"CN\",\"form\":\"original\","
      "\"issued_by\":\"foreign-minister\",\"received\":\"2025-09-01\",\"note\":\"王毅外长签署\"}" },
    { "credentials.verified", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"CN\"}" },
    { "credentials.rejected", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"XX\","
      "\"reason\":\"signed by an official without authority\"}" },
    { "statement.delivered", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"RU\",\"speaker\":\"Иван Петров\","
      "\"language\":\"ru\",\"agenda_item\":\"8(a)\",\"session\":\"day1-am\",\"on_behalf_of\":\"\","
      "\"delivered_at\":\"2025-09-02T10:31:00+02:00\",\"text\":\"Уважаемый Председатель, ...\","
      "\"document\":\"CCM/MSP/2025/STATEMENT/RU\"}" },
    { "speaker.inscribed", "{\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\",\"delegation\":\"AT\","
      "\"speaker\":\"Alexander Kmentt\",\"on_behalf_of\":\"European Union\","
      "\"inscribed_at\":\"2025-09-02T09:05:00Z\"}" },
    { "speaker.withdrawn", "{\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\",\"delegation\":\"FR\","
      "\"reason\":\"aligns itself with the EU\"}" },
    { "speaker.swapped", "{\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\",\"delegation\":\"MX\","
      "\"with\":\"EG\"}" },
    { "participant.token.issued", "{\"participant\":\"p42\",\"token_hash\":"
      "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"replace\":true}" },
    { "subscription.added", "{\"email\":\"zofia@example.pl\",\"meeting\":\"ccm-msp13\","
      "\"language\":\"fr\",\"role\":\"delegate\"}" },
    { "subscription.removed", "{\"email\":\"zofia@example.pl\",\"convention\":\"CCM\"}" },
    { "mail.unsubscribed", "{\"token_hash\":"
      "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}" },
    { "notify.status.reply", "{\"queued\":2,\"sent\":40,\"failed\":1,\"suppressed\":0,"
      "\"replayed\":0,\"notices\":3,\"relay\":\"smtp://127.0.0.1:2525\",\"relay_state\":\"up\","
      "\"failures\":[{\"message_id\":\"<42.registered.1f2e@example.org>\",\"kind\":"
      "\"participant-registered\",\"recipient\":\"x@example.org\",\"seq\":42,"
      "\"at\":\"2025-09-15T10:00:00Z\",\"error\":\"550 no such user\"}]}" },
    { "participants.issued", "{\"meeting\":\"ccm-msp13\",\"issue\":2,"
      "\"symbol\":\"CCM/MSP/2025/INF.1/Add.1\",\"note\":\"addendum\"}" },
    { "credentials.report.reply", "{\"meeting\":\"ccm-msp13\",\"convention\":\"CCM\","
      "\"states_parties\":1,\"due_form\":1,\"provisional\":0,\"pending\":0,\"rejected\":0,"
      "\"none\":0,\"items\":[{\"delegation\":\"CN\",\"delegation_name\":\"China\","
      "\"participants\":3,\"standing\":\"due-form\",\"form\":\"original\",\"verified\":true}]}" },
    { "speaker.list.reply", "{\"items\":[{\"position\":1,\"delegation\":\"EG\",\"delegation_name\":\"مصر\","
      "\"inscribed_at\":\"2025-09-02T09:05:00.120Z\",\"status\":\"spoken\","
      "\"started_at\":\"2025-09-02T10:00:00Z\",\"duration_s\":240,\"statement\":\"s77\"}]}" },
    { "document.released", "{\"symbol\":\"CCW/CONF.VI/4/Rev.1\",\"language\":\"zh\","
      "\"title\":\"第二次审议会议最后文件\",\"meeting\":\"ccw-revcon7\",\"agenda_item\":\"12\","
      "\"distribution\":\"general\",\"status\":\"final\",\"dated\":\"2026-12-01\","
      "\"released\":\"2026-12-03T16:00:00.5Z\",\"original_language\":\"en\",\"job_number\":\"GE.26-12345(C)\","
      "\"text\":\"缔约方会议决定……\",\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}" },
    { "outcome.adopted", "{\"meeting\":\"ccm-msp13\",\"id\":\"final-report\",\"kind\":\"final-report\","
      "\"title\":\"Final Report of the Thirteenth Meeting of States Parties\",\"adopted\":\"2025-09-05\","
      "\"agenda_item\":\"14\",\"documents\":[\"CCM/MSP/2025/12\",\"CCM/MSP/2025/12/Add.1\"]}" },
    { "document.declassified", "{\"symbol\":\"CCW/CONF.VI/4/Corr.1\",\"distribution\":\"general\","
      "\"by\":\"Chef de l'Unité\",\"reason\":\"décision du Comité de coordination\"}" },
    { "document.withdrawn", "{\"symbol\":\"CCW/CONF.VI/4\",\"language\":\"zh\",\"revision\":2,"
      "\"by\":\"Documents Officer\",\"reason\":\"wrong annex\"}" },
    { "meeting.list", "{\"convention\":\"CCM\",\"status\":\"scheduled\"}" },
    { "meeting.list.reply", "{\"items\":[{\"id\":\"ccm-msp13\",\"convention\":\"CCM\",\"kind\":\"msp\","
      "\"title\":\"Thirteenth Meeting of States Parties\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
      "\"start\":\"2025-09-01\",\"end\":\"2025-09-05\",\"status\":\"scheduled\",\"participants\":421}]}" },
    { "meeting.show", "{\"id\":\"ccm-msp13\"}" },
    { "participant.list.reply", "{\"items\":[{\"id\":\"p42\",\"meeting\":\"ccm-msp13\",\"family_name\":\"王\","
      "\"given_name\":\"小明\",\"delegation\":\"CN\",\"status\":\"registered\","
      "\"registered_at\":\"2025-08-01T08:00:00Z\",\"seq\":42}]}" },
    { "broker.status.reply", "{\"last_seq\":1200,\"events\":1200,\"dead_letters\":1,\"groups\":"
      "[{\"group\":\"records\",\"topics\":\"*\",\"acked_through\":1199,\"workers\":1,\"in_flight\":1,\"lag\":1}]}" },
    { "dlq.list.reply", "{\"items\":[{\"seq\":17,\"topic\":\"participant.registered\",\"event_id\":\"csv-3f2a-row-17\","
      "\"group\":\"records\",\"attempts\":5,\"cause\":\"timeout\",\"parked_at\":\"2025-08-01T08:00:05.25Z\"}]}" },
};

//  Raw msgpack cases: bytes and the exact error they must give
#define S_RAW(bytes) bytes, sizeof bytes - 1
static const struct {
    const char *name;
    const char *bytes;
    size_t size;
    const char *error;
} s_raw_cases [] = {
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xA2\xC3\x28"),
      "participant.registered: family_name: not valid UTF-8" },
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xC4\x01x"),
      "participant.registered: family_name: binary values are not allowed" },
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xD4\x01\x01"),
      "participant.registered: family_name: extension values are not allowed" },
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xA3   "),
      "participant.registered: family_name: must contain a visible character" },
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xA4" "A\xC2\x85" "B"),
      "participant.registered: family_name: contains control character U+0085" },
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xA3" "A\tB"),
      "participant.registered: family_name: contains control character 0x09" },
    { "participant.registered", S_RAW ("\x92\x01\x02"), "participant.registered: payload must be a map" },
    { "participant.registered", S_RAW ("\xA3" "abc"), "participant.registered: payload must be a map" },
    { "participant.registered", S_RAW ("\x80\x00"), "participant.registered: trailing bytes after the payload" },
    { "participant.registered", S_RAW ("\x81\x01\x02"), "participant.registered: map keys must be strings" },
    { "participant.registered", S_RAW ("\x82\xA1x\x01\xA1x\x02"), "participant.registered: x: duplicate key" },
    { "participant.registered", S_RAW ("\x81\xA2x\n\x01"),
      "participant.registered: map key is not valid UTF-8 or holds a control character" },
    { "participant.registered", S_RAW ("\x81\xA4note\xCF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"),
      "participant.registered: note: integer out of range" },
    { "participant.registered", S_RAW ("\x81\xA4note\x91\x91\x91\x91\x91\x91\x91\x90"),
      "participant.registered: note[0][0][0][0][0][0][0]: nesting deeper than 8 levels" },
    { "participant.registered", S_RAW ("\x81\xA4note\x91\x91\x91\x91\x91\x91\x90"),
      "participant.registered: note: must be a string" },        //  8 levels decode
    { "participant.registered", S_RAW ("\x81\xA4note\xC1"), "participant.registered: malformed msgpack" },
    { "participant.registered", S_RAW ("\xDF\xFF\xFF\xFF\xFF"), "participant.registered: truncated msgpack" },
    { "participant.list.reply", S_RAW ("\x81\xA5items\x91\x81\xAB" "family_name\xC4\x00"),
      "participant.list.reply: items[0]: family_name: binary values are not allowed" },
    { "no.such", S_RAW ("\x80"), "no.such: unknown message" },
};

static int
s_expect (json_t *decoded, const char *err, const char *want)
{
    if (decoded || strcmp (err, want)) {
        fprintf (stderr, "pl_codec_test: want \"%s\", got \"%s\"\n", want, decoded? "success": err);
        json_decref (decoded);
        return -1;
    }
    return 0;
}

//  Every event of the table has a sample, and every sample round-trips:
//  encode, decode, compare, encode again to the same bytes.
static int
s_test_round_trips (void)
{
    char err [PL_ERR_MAX];
    for (size_t at = 0; pl_schema_at (at); at++) {
        const pl_message_t *message = pl_schema_at (at);
        size_t index = 0;
        while (index < sizeof s_samples / sizeof s_samples [0]
        &&     strcmp (s_samples [index].name, message->name))
            index++;
        if (message->kind == PL_KIND_EVENT && index == sizeof s_samples / sizeof s_samples [0]) {
            fprintf (stderr, "pl_codec_test: no sample for event %s\n", message->name);
            return -1;
        }
    }
    for (size_t index = 0; index < sizeof s_samples / sizeof s_samples [0]; index++) {
        json_t *object = json_loads (s_samples [index].json, 0, NULL);
        json_t *decoded = NULL;
        void *data = NULL, *again = NULL;
        size_t size = 0, again_size = 0;
        S_CHECK (object);
        if (pl_codec_encode (s_samples [index].name, object, &data, &size, err, sizeof err)) {
            fprintf (stderr, "pl_codec_test: sample %s: %s\n", s_samples [index].name, err);
            goto fail;
        }
        decoded = pl_codec_decode (s_samples [index].name, data, size, err, sizeof err);
        S_CHECK (decoded && json_equal (decoded, object));
        S_CHECK (pl_codec_encode (s_samples [index].name, decoded, &again, &again_size,
                                  err, sizeof err) == 0);
        S_CHECK (again_size == size && memcmp (again, data, size) == 0);
        //  Every proper prefix is truncated, never a crash or a success
        for (size_t prefix = 0; prefix < size; prefix++) {
            json_t *cut = pl_codec_decode (s_samples [index].name, data, prefix, err, sizeof err);
            char want [PL_ERR_MAX];
            snprintf (want, sizeof want, "%s: truncated msgpack", s_samples [index].name);
            S_CHECK (s_expect (cut, err, want) == 0);
        }
        json_decref (object);
        json_decref (decoded);
        free (data);
        free (again);
        continue;
fail:
        json_decref (object);
        json_decref (decoded);
        free (data);
        free (again);
        return -1;
    }
    return 0;
}

//  Encoding refuses invalid objects and allocates nothing then
static int
s_test_encode_errors (void)
{
    char err [PL_ERR_MAX];
    void *data = NULL;
    size_t size = 0;
    json_t *object = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "ccm-msp13",
                                "family_name", "X", "delegation", "PL", "colour", "red");
    int rc = pl_codec_encode ("participant.registered", object, &data, &size, err, sizeof err);
    json_decref (object);
    S_CHECK (rc == -1 && data == NULL);
    S_CHECK (strcmp (err, "participant.registered: colour: unknown field") == 0);
    S_CHECK (pl_codec_encode ("no.such", NULL, &data, &size, err, sizeof err) == -1);
    S_CHECK (strcmp (err, "no.such: unknown message") == 0);
    S_CHECK (pl_codec_pack_raw (NULL, &data, &size) == -1);
    return 0;
fail:
    return -1;
}

//  Decoding a raw packed object with an error
static json_t *
s_decode_json (const char *name, json_t *object, char *err, size_t errsize)
{
    void *data = NULL;
    size_t size = 0;
    json_t *decoded = NULL;
    if (pl_codec_pack_raw (object, &data, &size) == 0)
        decoded = pl_codec_decode (name, data, size, err, errsize);
    free (data);
    json_decref (object);
    return decoded;
}

static int
s_test_decode_errors (void)
{
    char err [PL_ERR_MAX];
    for (size_t index = 0; index < sizeof s_raw_cases / sizeof s_raw_cases [0]; index++) {
        json_t *decoded = pl_codec_decode (s_raw_cases [index].name, s_raw_cases [index].bytes,
                                           s_raw_cases [index].size, err, sizeof err);
        if (s_expect (decoded, err, s_raw_cases [index].error)) {
            fprintf (stderr, "pl_codec_test: raw case %zu\n", index);
            return -1;
        }
    }
    char name [130];
    memset (name, 'a', 129);
    name [129] = 0;
    json_t *decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s, s:s}", "meeting", "m", "family_name", name, "delegation", "PL"),
        err, sizeof err);
    S_CHECK (s_expect (decoded, err, "participant.registered: family_name: longer than 128 bytes") == 0);
    decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "PL"), err, sizeof err);
    S_CHECK (s_expect (decoded, err, "participant.registered: family_name: required") == 0);
    decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m", "family_name", "Ng",
                   "delegation", "VN", "gender", "q"), err, sizeof err);
    S_CHECK (s_expect (decoded, err, "participant.registered: gender: must be one of f, m, x") == 0);
    decoded = s_decode_json ("meeting.list.reply", json_pack ("{s:[{s:f}]}", "items", "participants", 1.5),
                             err, sizeof err);
    S_CHECK (s_expect (decoded, err, "meeting.list.reply: items[0]: participants: must be an integer") == 0);
    //  nil is the same as absent
    decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s, s:s, s:n}", "meeting", "m", "family_name", "Ng",
                   "delegation", "VN", "email"), err, sizeof err);
    S_CHECK (decoded && json_is_null (json_object_get (decoded, "email")));
    json_decref (decoded);
    return 0;
fail:
    return -1;
}

//  One zone reused by every pl_codec_check_in below, as the broker does.
static msgpack_zone *s_zone;

//  pl_codec_check, and pl_codec_check_in with the reused zone, must agree
//  with pl_codec_decode: same verdict, same error
static int
s_agree (const char *name, const void *data, size_t size)
{
    char err [PL_ERR_MAX], check_err [PL_ERR_MAX], zone_err [PL_ERR_MAX];
    json_t *decoded = pl_codec_decode (name, data, size, err, sizeof err);
    int rc = pl_codec_check (name, data, size, check_err, sizeof check_err);
    if (!s_zone)
        s_zone = msgpack_zone_new (MSGPACK_ZONE_CHUNK_SIZE);
    int zone_rc = pl_codec_check_in (s_zone, name, data, size, zone_err, sizeof zone_err);
    int agree = decoded? rc == 0: rc == -1 && strcmp (err, check_err) == 0;
    agree = agree && zone_rc == rc && (rc == 0 || strcmp (zone_err, check_err) == 0);
    if (!agree)
        fprintf (stderr, "pl_codec_test: %s: decode says \"%s\", check says \"%s\"\n",
                 name, decoded? "valid": err, rc == 0? "valid": check_err);
    json_decref (decoded);
    return agree? 0: -1;
}

//  OBJECT packed raw, checked both ways
static int
s_agree_json (const char *name, const json_t *object)
{
    void *data = NULL;
    size_t size = 0;
    int rc = pl_codec_pack_raw (object, &data, &size) || s_agree (name, data, size);
    free (data);
    return rc? -1: 0;
}

//  Both paths on every sample, on every sample with each field replaced by
//  a value of every kind or removed or joined by an unknown one, on every
//  byte of every sample replaced by bytes that change the msgpack type or
//  the text, on every truncation, and on the raw cases.
static int
s_test_check_agrees (size_t *checked_p)
{
    static const char *const values [] = {
        "null", "7", "-1", "0", "1.5", "true", "false", "\"\"", "\"x\"", "\"ccm-msp13\"",
        "\"CN\"", "\"2025-09-01\"", "\"2025-02-30\"", "\"2025-09-01T10:00\"",
        "\"2025-09-01T10:00:00Z\"", "\"2025-10-26T02:30+01:00\"", "\"Europe/Zurich\"", "\"a@b.org\"", "\"head\"",
        "[]", "[\"x\"]", "[\"\"]", "[7]", "[{}]", "[{\"x\":1}]", "{}", "{\"a\":[1]}",
        "\"9223372036854775807\"", "9223372036854775807", "-9223372036854775807",
        "\" \"", "\"\\u3000\\u200b\"", "\"a\\tb\"", "\"a\\u0085\"", "\"a\\u007f\""
    };
    static const unsigned char bytes [] = {
        0x00, 0x01, 0x7F, 0x80, 0x81, 0x90, 0x91, 0xA0, 0xA1, 0xC0, 0xC1, 0xC2, 0xC3,
        0xC4, 0xCA, 0xCB, 0xCC, 0xCF, 0xD3, 0xD4, 0xD9, 0xDC, 0xDE, 0xE0, 0xFF, 0x0A, 0x41
    };
    size_t checked = 0;
    for (size_t index = 0; index < sizeof s_raw_cases / sizeof s_raw_cases [0]; index++)
        if (s_agree (s_raw_cases [index].name, s_raw_cases [index].bytes, s_raw_cases [index].size))
            return -1;
    for (size_t index = 0; index < sizeof s_samples / sizeof s_samples [0]; index++) {
        const char *name = s_samples [index].name;
        json_t *object = json_loads (s_samples [index].json, 0, NULL);
        void *data = NULL;
        size_t size = 0;
        int rc = !object || pl_codec_pack_raw (object, &data, &size) || s_agree (name, data, size);
        //  Every field: each kind of value, then absent; an unknown field
        const char *key;
        json_t *value;
        json_t *keys = json_object ();
        json_object_foreach (object, key, value)
            json_object_set (keys, key, value);
        json_object_foreach (keys, key, value) {
            for (size_t at = 0; !rc && at < sizeof values / sizeof values [0]; at++) {
                json_t *copy = json_deep_copy (object);
                json_object_set_new (copy, key, json_loads (values [at], JSON_DECODE_ANY, NULL));
                rc = s_agree_json (name, copy);
                json_decref (copy);
                checked++;
            }
            json_t *copy = json_deep_copy (object);
            json_object_del (copy, key);
            json_object_set_new (copy, "zz-unknown", json_integer (1));
            rc = rc || s_agree_json (name, copy);
            json_object_del (copy, "zz-unknown");
            rc = rc || s_agree_json (name, copy);
            json_decref (copy);
        }
        json_decref (keys);
        //  Every byte replaced; every truncation
        unsigned char *mutated = data? malloc (size): NULL;
        for (size_t at = 0; !rc && mutated && at < size; at++) {
            for (size_t b = 0; !rc && b < sizeof bytes; b++) {
                memcpy (mutated, data, size);
                mutated [at] = bytes [b];
                rc = s_agree (name, mutated, size);
                checked++;
            }
            rc = rc || s_agree (name, data, at);
        }
        free (mutated);
        free (data);
        json_decref (object);
        if (rc)
            return -1;
    }
    *checked_p = checked;
    return checked > 10000? 0: -1;
}

//  --------------------------------------------------------------------------
//  The canonical form (pl_canon.h) on every sample

#define S_KEYS_MAX 64           //  members of an object s_reorder handles

//  VALUE with every object's members in another order, objects in arrays
//  included: ROTATE 0 reverses them, N > 0 rotates them by N.  A new
//  reference, or NULL.
static json_t *
s_reorder (json_t *value, size_t rotate)
{
    if (json_is_array (value)) {
        json_t *result = json_array ();
        size_t index;
        json_t *member;
        json_array_foreach (value, index, member)
            if (!result || json_array_append_new (result, s_reorder (member, rotate))) {
                json_decref (result);
                return NULL;
            }
        return result;
    }
    if (!json_is_object (value))
        return json_incref (value);
    const char *keys [S_KEYS_MAX];
    size_t count = 0;
    const char *key;
    json_t *member;
    json_object_foreach (value, key, member)
        if (count < S_KEYS_MAX)
            keys [count++] = key;
    json_t *result = count == json_object_size (value)? json_object (): NULL;
    for (size_t at = 0; result && at < count; at++) {
        const char *moved = keys [rotate? (at + rotate) % count: count - 1 - at];
        if (json_object_set_new (result, moved, s_reorder (json_object_get (value, moved), rotate))) {
            json_decref (result);
            return NULL;
        }
    }
    return result;
}

//  OBJECT, a MESSAGE, given a null for each of its absent fields, and so
//  the items of its list fields: 0 or -1
static int
s_add_nulls (const pl_message_t *message, json_t *object)
{
    for (const pl_field_t *field = message->fields; field->name; field++) {
        json_t *value = json_object_get (object, field->name);
        if (!value && json_object_set_new (object, field->name, json_null ()))
            return -1;
        size_t index;
        json_t *item;
        if (field->type == PL_T_LIST)
            json_array_foreach (value, index, item)
                if (s_add_nulls (field->item, item))
                    return -1;
    }
    return 0;
}

//  Every sample, packed raw with its members in several orders and with a
//  null for every absent field (in list items too): valid, not canonical
//  unless it is byte for byte what pl_codec_encode gives, canonicalised to
//  exactly those bytes, which decode to the sample; pl_codec_encode gives
//  them from every variant; and they are canonical, and left as they are.
static int
s_test_canonical (pl_canon_t *canon, size_t *variants_p)
{
    char err [PL_ERR_MAX];
    size_t variants = 0;
    for (size_t index = 0; index < sizeof s_samples / sizeof s_samples [0]; index++) {
        const char *name = s_samples [index].name;
        json_t *object = json_loads (s_samples [index].json, 0, NULL);
        json_t *variant [5] = { NULL };
        void *data = NULL;
        size_t size = 0;
        const void *form;
        size_t form_size;
        S_CHECK (object && pl_codec_encode (name, object, &data, &size, err, sizeof err) == 0);
        S_CHECK (pl_canon_is_canonical (data, size));
        S_CHECK (pl_canon_write (canon, data, size, &form, &form_size) == PL_CANON_OK);
        S_CHECK (form_size == size && memcmp (form, data, size) == 0);
        variant [0] = s_reorder (object, 0);
        variant [1] = s_reorder (object, 1);
        variant [2] = s_reorder (object, 2);
        variant [3] = json_deep_copy (object);
        variant [4] = s_reorder (object, 0);
        S_CHECK (variant [3] && s_add_nulls (pl_schema_find (name), variant [3]) == 0);
        S_CHECK (variant [4] && s_add_nulls (pl_schema_find (name), variant [4]) == 0);
        for (size_t at = 0; at < 5; at++) {
            void *raw = NULL, *encoded = NULL;
            size_t raw_size = 0, encoded_size = 0;
            json_t *decoded = NULL;
            int rc = !variant [at] || pl_codec_pack_raw (variant [at], &raw, &raw_size);
            bool same = !rc && raw_size == size && memcmp (raw, data, size) == 0;
            rc = rc || pl_codec_check (name, raw, raw_size, err, sizeof err)
              || pl_canon_is_canonical (raw, raw_size) != same
              || pl_canon_write (canon, raw, raw_size, &form, &form_size) != PL_CANON_OK
              || form_size != size || memcmp (form, data, size)
              || !(decoded = pl_codec_decode (name, form, form_size, err, sizeof err))
              || !json_equal (decoded, object)
              || pl_codec_encode (name, variant [at], &encoded, &encoded_size, err, sizeof err)
              || encoded_size != size || memcmp (encoded, data, size);
            variants += !same;
            json_decref (decoded);
            free (raw);
            free (encoded);
            if (rc) {
                fprintf (stderr, "pl_codec_test: sample %s, variant %zu: not canonicalised\n",
                         name, at);
                goto fail;
            }
        }
        for (size_t at = 0; at < 5; at++)
            json_decref (variant [at]);
        json_decref (object);
        free (data);
        continue;
fail:
        for (size_t at = 0; at < 5; at++)
            json_decref (variant [at]);
        json_decref (object);
        free (data);
        return -1;
    }
    *variants_p = variants;
    //  most variants differ from the form: the test is not vacuous
    return variants >= 3 * sizeof s_samples / sizeof s_samples [0]? 0: -1;
}

//  Decode + validate time of a typical registration, reported when verbose
static void
s_measure (void)
{
    json_t *object = json_loads (s_samples [7].json, 0, NULL);
    void *data = NULL;
    size_t size = 0;
    char err [PL_ERR_MAX];
    if (object && pl_codec_encode ("participant.registered", object, &data, &size, err, sizeof err) == 0) {
        const int rounds = 100000;
        struct timespec start, end;
        clock_gettime (CLOCK_MONOTONIC, &start);
        for (int round = 0; round < rounds; round++)
            json_decref (pl_codec_decode ("participant.registered", data, size, err, sizeof err));
        clock_gettime (CLOCK_MONOTONIC, &end);
        double ns = ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / rounds;
        clock_gettime (CLOCK_MONOTONIC, &start);
        for (int round = 0; round < rounds; round++)
            pl_codec_check ("participant.registered", data, size, err, sizeof err);
        clock_gettime (CLOCK_MONOTONIC, &end);
        double check_ns = ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec))
                        / rounds;
        printf ("pl_codec_test: participant.registered (%zu bytes): decode+validate %.0f ns,"
                " check %.0f ns\n", size, ns, check_ns);
    }
    free (data);
    json_decref (object);
}

int
pl_codec_test (int verbose)
{
    size_t agreed = 0, variants = 0;
    pl_canon_t *canon = pl_canon_new ();
    int rc = !canon || s_test_round_trips () || s_test_encode_errors () || s_test_decode_errors ()
          || s_test_check_agrees (&agreed) || s_test_canonical (canon, &variants);
    pl_canon_destroy (&canon);
    if (s_zone)
        msgpack_zone_free (s_zone);
    s_zone = NULL;
    if (rc)
        return -1;
    if (verbose) {
        s_measure ();
        printf ("pl_codec_test: pl_codec_check (and pl_codec_check_in, one zone reused) agreed"
                " with pl_codec_decode on %zu mutated payloads\n",
                agreed);
        printf ("pl_codec_test: %zu reordered or nil-padded samples canonicalised to"
                " pl_codec_encode's bytes\n", variants);
        printf ("pl_codec_test: ok (%zu samples, %zu raw cases)\n",
                sizeof s_samples / sizeof s_samples [0], sizeof s_raw_cases / sizeof s_raw_cases [0]);
    }
    return 0;
}
