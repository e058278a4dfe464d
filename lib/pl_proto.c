/*  pl_proto — frame helpers and small validators of the PLC01/PLW01 protocol.

    Integers are big-endian in frames of exactly their size; a frame of any
    other size is an error the caller turns into a status, never an assert
    (the outside world sends what it likes). */
#include "pl_proto.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *
pl_status_str (int status)
{
    static const struct {
        int code;
        const char *name;
    } s_names [] = {
        { PL_OK,          "ok" },
        { PL_BAD_REQUEST, "bad request" },
        { PL_FORBIDDEN,   "forbidden" },
        { PL_NOT_FOUND,   "not found" },
        { PL_CONFLICT,    "conflict" },
        { PL_TOO_LARGE,   "too large" },
        { PL_BUSY,        "busy" },
        { PL_INTERNAL,    "internal error" },
        { PL_STORAGE_FULL, "storage full" },
        { PL_UNAVAILABLE, "unavailable" },
        { PL_TIMEOUT,     "timeout" },
    };
    for (size_t i = 0; i < sizeof s_names / sizeof s_names [0]; i++)
        if (s_names [i].code == status)
            return s_names [i].name;
    return "unknown status";
}

void
pl_frame_put_u64 (zmsg_t *msg, uint64_t value)
{
    uint8_t bytes [8];
    for (int i = 7; i >= 0; i--) {
        bytes [i] = (uint8_t) (value & 0xFF);
        value >>= 8;
    }
    zmsg_addmem (msg, bytes, sizeof bytes);
}

void
pl_frame_put_u32 (zmsg_t *msg, uint32_t value)
{
    uint8_t bytes [4] = {
        (uint8_t) (value >> 24), (uint8_t) (value >> 16),
        (uint8_t) (value >> 8), (uint8_t) value
    };
    zmsg_addmem (msg, bytes, sizeof bytes);
}

void
pl_frame_put_byte (zmsg_t *msg, uint8_t value)
{
    zmsg_addmem (msg, &value, 1);
}

int
pl_frame_get_u64 (zframe_t *frame, uint64_t *value)
{
    if (!frame || zframe_size (frame) != 8)
        return -1;
    const uint8_t *bytes = zframe_data (frame);
    uint64_t result = 0;
    for (int i = 0; i < 8; i++)
        result = (result << 8) | bytes [i];
    *value = result;
    return 0;
}

int
pl_frame_get_u32 (zframe_t *frame, uint32_t *value)
{
    if (!frame || zframe_size (frame) != 4)
        return -1;
    const uint8_t *bytes = zframe_data (frame);
    *value = ((uint32_t) bytes [0] << 24) | ((uint32_t) bytes [1] << 16)
           | ((uint32_t) bytes [2] << 8) | bytes [3];
    return 0;
}

int
pl_frame_get_byte (zframe_t *frame, uint8_t *value)
{
    if (!frame || zframe_size (frame) != 1)
        return -1;
    *value = *zframe_data (frame);
    return 0;
}

int
pl_frame_get_str (zframe_t *frame, char *buf, size_t bufsize)
{
    if (!frame || bufsize == 0)
        return -1;
    size_t size = zframe_size (frame);
    if (size >= bufsize || memchr (zframe_data (frame), 0, size))
        return -1;
    memcpy (buf, zframe_data (frame), size);
    buf [size] = 0;
    return 0;
}

size_t
pl_many_size (size_t topic_size, size_t event_id_size, size_t payload_size)
{
    return 1 + topic_size + 1 + event_id_size + 4 + payload_size;
}

size_t
pl_many_put (uint8_t *out, const char *topic, const char *event_id,
             const void *payload, size_t payload_size)
{
    size_t topic_size = strlen (topic), event_id_size = strlen (event_id);
    assert (topic_size <= 255 && event_id_size <= 255 && payload_size <= UINT32_MAX);
    uint8_t *at = out;
    *at++ = (uint8_t) topic_size;
    memcpy (at, topic, topic_size);
    at += topic_size;
    *at++ = (uint8_t) event_id_size;
    memcpy (at, event_id, event_id_size);
    at += event_id_size;
    for (int shift = 24; shift >= 0; shift -= 8)
        *at++ = (uint8_t) (payload_size >> shift);
    memcpy (at, payload, payload_size);
    return (size_t) (at - out) + payload_size;
}

int
pl_many_next (const uint8_t *data, size_t size, size_t *offset,
              pl_many_event_t *event, char *err, size_t errsize)
{
    size_t at = *offset;
    if (at >= size) {
        snprintf (err, errsize, "the events frame ends before the topic length at byte %zu", at);
        return -1;
    }
    event->topic_size = data [at++];
    event->topic = (const char *) data + at;
    if (event->topic_size == 0 || event->topic_size > PL_TOPIC_MAX) {
        snprintf (err, errsize, "topic length %zu at byte %zu: must be 1 to %d",
                  event->topic_size, at - 1, PL_TOPIC_MAX);
        return -1;
    }
    if (size - at < event->topic_size + 1) {
        snprintf (err, errsize, "the events frame ends inside the topic at byte %zu", at);
        return -1;
    }
    at += event->topic_size;
    event->event_id_size = data [at++];
    event->event_id = (const char *) data + at;
    if (event->event_id_size == 0 || event->event_id_size > PL_EVENT_ID_MAX) {
        snprintf (err, errsize, "event id length %zu at byte %zu: must be 1 to %d",
                  event->event_id_size, at - 1, PL_EVENT_ID_MAX);
        return -1;
    }
    if (size - at < event->event_id_size + 4) {
        snprintf (err, errsize, "the events frame ends inside the event id at byte %zu", at);
        return -1;
    }
    at += event->event_id_size;
    uint32_t length = (uint32_t) data [at] << 24 | (uint32_t) data [at + 1] << 16
                    | (uint32_t) data [at + 2] << 8 | data [at + 3];
    at += 4;
    if (size - at < length) {
        snprintf (err, errsize, "payload length %u at byte %zu runs past the end of the "
                  "events frame (%zu bytes)", length, at - 4, size);
        return -1;
    }
    event->payload = data + at;
    event->payload_size = length;
    *offset = at + length;
    return 0;
}

int
pl_event_id_valid (const char *s)
{
    size_t length = s ? strlen (s) : 0;
    if (length == 0 || length > PL_EVENT_ID_MAX)
        return 0;
    for (size_t i = 0; i < length; i++)
        if ((unsigned char) s [i] < 0x21 || (unsigned char) s [i] > 0x7E)
            return 0;
    return 1;
}

int
pl_group_valid (const char *s)
{
    size_t length = s ? strlen (s) : 0;
    if (length == 0 || length > PL_GROUP_MAX)
        return 0;
    for (size_t i = 0; i < length; i++) {
        char c = s [i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

//  True when the pattern of LENGTH bytes at PATTERN matches TOPIC.
static int
s_pattern_match (const char *pattern, size_t length, const char *topic)
{
    if (length == 1 && pattern [0] == '*')
        return 1;
    if (length >= 2 && pattern [length - 2] == '.' && pattern [length - 1] == '*')
        //  "meeting.*" matches "meeting.scheduled": compare through the dot
        return strncmp (pattern, topic, length - 1) == 0 && topic [length - 1] != 0;
    return strlen (topic) == length && strncmp (pattern, topic, length) == 0;
}

int
pl_topic_match (const char *patterns, const char *topic)
{
    if (!patterns || !topic)
        return 0;
    const char *start = patterns;
    while (*start) {
        const char *end = strchr (start, ',');
        size_t length = end ? (size_t) (end - start) : strlen (start);
        if (length > 0 && s_pattern_match (start, length, topic))
            return 1;
        if (!end)
            break;
        start = end + 1;
    }
    return 0;
}

static const char *s_roles [] = { "public", "delegate", "record-keeper", "secretariat" };

int
pl_role_rank (const char *role)
{
    for (int rank = 0; role && rank < (int) (sizeof s_roles / sizeof s_roles [0]); rank++)
        if (strcmp (role, s_roles [rank]) == 0)
            return rank;
    return -1;
}

const char *
pl_role_lower (const char *a, const char *b)
{
    int rank_a = pl_role_rank (a), rank_b = pl_role_rank (b);
    return s_roles [rank_a < rank_b ? (rank_a < 0 ? 0 : rank_a) : (rank_b < 0 ? 0 : rank_b)];
}

static const char *s_distributions [] = { "general", "limited", "restricted" };

int
pl_distribution_level (const char *distribution)
{
    if (!distribution)
        return PL_GENERAL;
    for (int level = PL_GENERAL; level <= PL_RESTRICTED; level++)
        if (strcmp (distribution, s_distributions [level]) == 0)
            return level;
    return -1;
}

const char *
pl_distribution_name (int level)
{
    assert (level >= PL_GENERAL && level <= PL_RESTRICTED);
    return s_distributions [level];
}

int
pl_role_distribution (const char *role)
{
    int rank = pl_role_rank (role);
    return rank >= pl_role_rank ("secretariat") ? PL_RESTRICTED
         : rank >= pl_role_rank ("delegate") ? PL_LIMITED : PL_GENERAL;
}

int64_t
pl_time_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    return (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int64_t
pl_mono_ms (void)
{
    return pl_mono_us () / 1000;
}

int64_t
pl_mono_us (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

//  --------------------------------------------------------------------------
//  Self-test

#define PL_TEST_ON_FAIL return -1
#include "pl_test.h"

int
pl_proto_test (int verbose)
{
    zmsg_t *msg = zmsg_new ();
    pl_frame_put_u64 (msg, 0x0102030405060708ULL);
    pl_frame_put_u32 (msg, 0xA0B0C0D0u);
    pl_frame_put_byte (msg, 0x81);
    zmsg_addstr (msg, "participant.registered");
    zmsg_addmem (msg, "a\0b", 3);
    uint64_t u64 = 0;
    uint32_t u32 = 0;
    uint8_t byte = 0;
    zframe_t *frame = zmsg_first (msg);
    CHECK (pl_frame_get_u64 (frame, &u64) == 0 && u64 == 0x0102030405060708ULL);
    CHECK (pl_frame_get_u32 (frame, &u32) == -1);        //  wrong size refused
    frame = zmsg_next (msg);
    CHECK (pl_frame_get_u32 (frame, &u32) == 0 && u32 == 0xA0B0C0D0u);
    frame = zmsg_next (msg);
    CHECK (pl_frame_get_byte (frame, &byte) == 0 && byte == 0x81);
    frame = zmsg_next (msg);
    char small [8], big [64];
    CHECK (pl_frame_get_str (frame, small, sizeof small) == -1);     //  too long
    CHECK (pl_frame_get_str (frame, big, sizeof big) == 0
           && strcmp (big, "participant.registered") == 0);
    frame = zmsg_next (msg);
    CHECK (pl_frame_get_str (frame, big, sizeof big) == -1);         //  embedded NUL
    CHECK (pl_frame_get_u64 (NULL, &u64) == -1);
    zmsg_destroy (&msg);

    CHECK (pl_event_id_valid ("csv-3f2a-row-17"));
    CHECK (!pl_event_id_valid (""));
    CHECK (!pl_event_id_valid ("with space"));
    CHECK (!pl_event_id_valid ("\xC5\x81ukasiewicz"));
    char long_id [PL_EVENT_ID_MAX + 2];
    memset (long_id, 'x', sizeof long_id - 1);
    long_id [sizeof long_id - 1] = 0;
    CHECK (!pl_event_id_valid (long_id));
    long_id [PL_EVENT_ID_MAX] = 0;
    CHECK (pl_event_id_valid (long_id));

    CHECK (pl_group_valid ("records"));
    CHECK (!pl_group_valid ("Records"));
    CHECK (!pl_group_valid ("a_b"));

    CHECK (pl_topic_match ("*", "meeting.scheduled"));
    CHECK (pl_topic_match ("meeting.*", "meeting.scheduled"));
    CHECK (!pl_topic_match ("meeting.*", "meetings.scheduled"));
    CHECK (!pl_topic_match ("meeting.*", "meeting."));
    CHECK (pl_topic_match ("session.moved,participant.registered", "participant.registered"));
    CHECK (!pl_topic_match ("participant.registered", "participant.registere"));
    CHECK (!pl_topic_match ("participant.register", "participant.registered"));
    CHECK (!pl_topic_match ("", "meeting.scheduled"));
    CHECK (pl_topic_match (",meeting.*,", "meeting.closed"));

    CHECK (pl_role_rank ("secretariat") == 3 && pl_role_rank ("public") == 0);
    CHECK (pl_role_rank ("admin") == -1 && pl_role_rank (NULL) == -1);
    CHECK (strcmp (pl_role_lower ("secretariat", "delegate"), "delegate") == 0);
    CHECK (strcmp (pl_role_lower ("public", "secretariat"), "public") == 0);
    CHECK (strcmp (pl_role_lower ("record-keeper", "nonsense"), "public") == 0);
    CHECK (pl_distribution_level (NULL) == PL_GENERAL);
    CHECK (pl_distribution_level ("limited") == PL_LIMITED);
    CHECK (pl_distribution_level ("secret") == -1);
    CHECK (strcmp (pl_distribution_name (PL_RESTRICTED), "restricted") == 0);
    CHECK (pl_role_distribution ("secretariat") == PL_RESTRICTED);
    CHECK (pl_role_distribution ("record-keeper") == PL_LIMITED);
    CHECK (pl_role_distribution ("delegate") == PL_LIMITED);
    CHECK (pl_role_distribution ("public") == PL_GENERAL);
    CHECK (pl_role_distribution ("chairman") == PL_GENERAL);
    CHECK (pl_time_ms () > 1700000000000LL);
    int64_t mono = pl_mono_ms ();
    CHECK (pl_mono_ms () >= mono);
    int64_t micros = pl_mono_us ();
    CHECK (pl_mono_us () >= micros && micros / 1000 >= mono);
    CHECK (strcmp (pl_status_str (504), "timeout") == 0);
    if (verbose)
        printf ("pl_proto_test: ok\n");
    return 0;
}
