/*  pl_ical — UIDs, the SEQUENCE rule, session times, time zones and folding
    shared by every iCalendar plenary writes (see pl_ical.h).

    libical builds the properties and zones; the 75-octet folding is ours so
    that it never depends on the libical version.  libical strings returned
    by the non-_r functions live in its ring buffer: none is kept here. */
#include "pl_ical.h"
#include "pl_zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_UID_DOMAIN    "plenary"       //  part of every UID: never change it
#define S_FOLD_OCTETS   75              //  RFC 5545 3.1: lines of at most 75 octets
//  VTIMEZONEs start in 1970: no meeting of a convention is older, and the
//  observances of the 19th century (local mean time with second offsets)
//  only confuse some clients.
#define S_TZ_FROM       "19700101T000000Z"

void
pl_ical_uid_meeting (char *buf, size_t size, const char *meeting)
{
    snprintf (buf, size, "meeting/%s@" S_UID_DOMAIN, meeting);
}

void
pl_ical_uid_session (char *buf, size_t size, const char *meeting, const char *session)
{
    snprintf (buf, size, "session/%s/%s@" S_UID_DOMAIN, meeting, session);
}

//  The SEQUENCE rule as data: topic, the field of meeting.updated (NULL:
//  any), and what it bumps.
static const struct {
    const char *topic;
    const char *field;
    unsigned bump;
} s_rules [] = {
    { "session.moved",     NULL,    PL_ICAL_BUMP_SESSION },
    { "session.cancelled", NULL,    PL_ICAL_BUMP_SESSION },
    { "meeting.cancelled", NULL,    PL_ICAL_BUMP_MEETING | PL_ICAL_BUMP_SESSIONS },
    { "meeting.updated",   "title", PL_ICAL_BUMP_MEETING },
    { "meeting.updated",   "start", PL_ICAL_BUMP_MEETING },
    { "meeting.updated",   "end",   PL_ICAL_BUMP_MEETING },
    //  Sessions show the meeting's venue in LOCATION and its zone in TZID
    { "meeting.updated",   "venue", PL_ICAL_BUMP_MEETING | PL_ICAL_BUMP_SESSIONS },
    { "meeting.updated",   "tz",    PL_ICAL_BUMP_MEETING | PL_ICAL_BUMP_SESSIONS },
};

unsigned
pl_ical_sequence_rule (const char *topic, const char *field)
{
    for (size_t i = 0; i < sizeof s_rules / sizeof s_rules [0]; i++)
        if (strcmp (s_rules [i].topic, topic) == 0
        &&  (!s_rules [i].field || (field && strcmp (s_rules [i].field, field) == 0)))
            return s_rules [i].bump;
    return PL_ICAL_BUMP_NONE;
}

int
pl_ical_is_utc (const char *tz)
{
    return strcmp (tz, "UTC") == 0 || strcmp (tz, "Etc/UTC") == 0;
}

int
pl_ical_zone_known (const char *tz)
{
    return tz && (pl_ical_is_utc (tz) || icaltimezone_get_builtin_timezone (tz) != NULL);
}

int
pl_ical_parse_time (const char *text, int want_date, struct icaltimetype *time)
{
    int year, month, day, hour = 0, minute = 0, second = 0;
    int fields = sscanf (text, "%4d-%2d-%2dT%2d:%2d:%2d", &year, &month, &day,
                         &hour, &minute, &second);
    if (fields < 3 || (want_date && fields != 3) || (!want_date && fields < 5))
        return -1;
    *time = icaltime_null_time ();
    time->year = year;
    time->month = month;
    time->day = day;
    time->is_date = want_date;
    if (!want_date) {
        time->hour = hour;
        time->minute = minute;
        time->second = second;
    }
    return 0;
}

struct icaltimetype
pl_ical_utc (int64_t time_ms)
{
    return icaltime_from_timet_with_zone ((time_t) (time_ms / 1000), 0,
                                          icaltimezone_get_utc_timezone ());
}

//  Session time TEXT of zone TZ as the UTC instant its offset names, or
//  without one the instant the zone gives it (the first, were it to happen
//  twice), into *TIME.  0, or -1 when malformed or the zone skips it.
static int
s_utc_time (const char *text, const char *tz, struct icaltimetype *time)
{
    pl_zone_local_t local;
    pl_zone_answer_t answer;
    if (pl_zone_parse (text, &local) || pl_zone_resolve (tz, &local, &answer)
    ||  answer.fit == PL_ZONE_GAP)
        return -1;
    *time = pl_ical_utc (answer.utc * 1000);
    return 0;
}

//  Wall-clock time LOCAL as a floating libical time.
static struct icaltimetype
s_floating (const pl_zone_local_t *local)
{
    struct icaltimetype time = icaltime_null_time ();
    time.year = local->year;
    time.month = local->month;
    time.day = local->day;
    time.hour = local->hour;
    time.minute = local->minute;
    time.second = local->second;
    return time;
}

//  The two ends of a session from START to END in zone TZ, the rule of
//  pl_ical_session_span: *UTC 1 when both are written in UTC (an offset in
//  either, or the UTC zone), else both are wall-clock times of TZ and the
//  calendar needs its VTIMEZONE (*NEEDS_ZONE).  TZ is known to libical
//  (the caller checked).  0 or -1.
static int
s_span (const char *start, const char *end, const char *tz, struct icaltimetype *first,
        struct icaltimetype *last, int *utc, int *needs_zone)
{
    *needs_zone = 0;
    *utc = 0;
    pl_zone_local_t from, to;
    int parsed_from = pl_zone_parse (start, &from) == 0, parsed_to = pl_zone_parse (end, &to) == 0;
    if ((parsed_from && from.has_offset) || (parsed_to && to.has_offset)) {
        //  TZID cannot name the second 02:30 of a night when clocks go
        //  back: both ends in UTC, so that DTEND has DTSTART's form
        *utc = 1;
        return s_utc_time (start, tz, first) || s_utc_time (end, tz, last) ? -1 : 0;
    }
    if (parsed_from && parsed_to) {
        *first = s_floating (&from);
        *last = s_floating (&to);
    }
    else
    if (pl_ical_parse_time (start, 0, first) || pl_ical_parse_time (end, 0, last))
        return -1;
    if (pl_ical_is_utc (tz)) {
        *utc = 1;
        *first = icaltime_set_timezone (first, icaltimezone_get_utc_timezone ());
        *last = icaltime_set_timezone (last, icaltimezone_get_utc_timezone ());
    }
    else
        *needs_zone = 1;
    return 0;
}

//  A DTSTART or DTEND property made by MAKE for TIME: in UTC when UTC,
//  else with TZID=TZ (never floating).
static icalproperty *
s_time_property (icalproperty *(*make) (struct icaltimetype), struct icaltimetype time,
                 int utc, const char *tz)
{
    icalproperty *property = make (time);
    if (property && !utc)
        icalproperty_add_parameter (property, icalparameter_new_tzid (tz));
    return property;
}

int
pl_ical_session_span (icalcomponent *event, const char *start, const char *end,
                      const char *tz, int *needs_zone)
{
    struct icaltimetype first_time, last_time;
    int utc;
    *needs_zone = 0;
    if (!pl_ical_zone_known (tz)
    ||  s_span (start, end, tz, &first_time, &last_time, &utc, needs_zone))
        return -1;
    icalproperty *first = s_time_property (icalproperty_new_dtstart, first_time, utc, tz);
    icalproperty *last = s_time_property (icalproperty_new_dtend, last_time, utc, tz);
    if (!first || !last) {
        if (first)
            icalproperty_free (first);
        if (last)
            icalproperty_free (last);
        *needs_zone = 0;
        return -1;
    }
    icalcomponent_add_property (event, first);
    icalcomponent_add_property (event, last);
    return 0;
}

//  TIME as what follows DTSTART or DTEND in a content line, into BUF.
static void
s_time_text (char *buf, size_t size, struct icaltimetype time, int utc, const char *tz)
{
    snprintf (buf, size, "%s%s:%04d%02d%02dT%02d%02d%02d%s", utc ? "" : ";TZID=",
              utc ? "" : tz, time.year, time.month, time.day, time.hour, time.minute,
              time.second, utc ? "Z" : "");
}

int
pl_ical_session_text (const char *start, const char *end, const char *tz, char *first,
                      char *last, size_t size, int *needs_zone)
{
    struct icaltimetype first_time, last_time;
    int utc;
    if (s_span (start, end, tz, &first_time, &last_time, &utc, needs_zone))
        return -1;
    s_time_text (first, size, first_time, utc, tz);
    s_time_text (last, size, last_time, utc, tz);
    return 0;
}

icalcomponent *
pl_ical_vtimezone (const char *tz)
{
    icaltimezone *zone = icaltimezone_get_builtin_timezone (tz);
    icalcomponent *source = zone ? icaltimezone_get_component (zone) : NULL;
    if (!source)
        return NULL;
    icalcomponent *vtimezone = icalcomponent_new_clone (source);
    icaltimezone_truncate_vtimezone (vtimezone, icaltime_from_string (S_TZ_FROM),
                                     icaltime_null_time (), 1);
    //  libical names its zones "/freeassociation.sourceforge.net/Europe/Zurich";
    //  clients match the TZID parameter of our times, the plain name
    icalproperty *tzid = icalcomponent_get_first_property (vtimezone, ICAL_TZID_PROPERTY);
    if (tzid)
        icalproperty_set_tzid (tzid, tz);
    else
        icalcomponent_add_property (vtimezone, icalproperty_new_tzid (tz));
    return vtimezone;
}

//  Length of the UTF-8 sequence whose lead byte is C (1 for stray bytes,
//  which the schema keeps out anyway).
static size_t
s_utf8_length (unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

char *
pl_ical_fold (const char *ics)
{
    size_t length = strlen (ics);
    //  At worst every 74 octets gain CRLF SP, and a bare LF becomes CRLF
    char *out = malloc (length + length / 24 + length + 16);
    if (!out)
        return NULL;
    size_t used = 0, column = 0;
    const char *c = ics;
    while (*c) {
        if (c [0] == '\r' && c [1] == '\n' && c [2] == ' ') {
            c += 3;             //  unfold what libical folded
            continue;
        }
        if (*c == '\r' || *c == '\n') {
            c += c [0] == '\r' && c [1] == '\n' ? 2 : 1;
            if (*c == ' ')
                c++;            //  a bare-LF fold
            else {
                memcpy (out + used, "\r\n", 2);
                used += 2;
                column = 0;
            }
            continue;
        }
        size_t size = s_utf8_length ((unsigned char) *c);
        if (column + size > S_FOLD_OCTETS) {
            memcpy (out + used, "\r\n ", 3);
            used += 3;
            column = 1;
        }
        for (size_t i = 0; i < size && *c; i++)
            out [used++] = *c++;
        column += size;
    }
    out [used] = 0;
    return out;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "pl_ical: FAIL %s\n", what); failed++; } \
    else if (verbose > 1) fprintf (stderr, "pl_ical: ok %s\n", what); } while (0)

int
pl_ical_test (int verbose)
{
    int failed = 0;
    char uid [PL_ICAL_UID_MAX];
    pl_ical_uid_session (uid, sizeof uid, "ccm-msp13", "day1-am");
    S_CHECK (strcmp (uid, "session/ccm-msp13/day1-am@plenary") == 0, "session UID");
    pl_ical_uid_meeting (uid, sizeof uid, "ccm-msp13");
    S_CHECK (strcmp (uid, "meeting/ccm-msp13@plenary") == 0, "meeting UID");

    S_CHECK (pl_ical_sequence_rule ("session.moved", NULL) == PL_ICAL_BUMP_SESSION, "move");
    S_CHECK (pl_ical_sequence_rule ("session.cancelled", NULL) == PL_ICAL_BUMP_SESSION,
             "cancel");
    S_CHECK (pl_ical_sequence_rule ("meeting.updated", "venue")
             == (PL_ICAL_BUMP_MEETING | PL_ICAL_BUMP_SESSIONS), "venue");
    S_CHECK (pl_ical_sequence_rule ("meeting.updated", "title") == PL_ICAL_BUMP_MEETING,
             "title");
    S_CHECK (pl_ical_sequence_rule ("meeting.updated", "description") == PL_ICAL_BUMP_NONE,
             "a description moves only DTSTAMP");
    S_CHECK (pl_ical_sequence_rule ("meeting.closed", NULL) == PL_ICAL_BUMP_NONE, "closed");
    S_CHECK (pl_ical_sequence_rule ("session.scheduled", NULL) == PL_ICAL_BUMP_NONE,
             "scheduled starts at 0");

    int zone = 0;
    icalcomponent *event = icalcomponent_new_vevent ();
    S_CHECK (pl_ical_session_span (event, "2025-11-24T10:00", "2025-11-24T13:00",
                                   "Europe/Zurich", &zone) == 0 && zone, "zoned span");
    char *text = icalcomponent_as_ical_string_r (event);
    S_CHECK (text && strstr (text, "DTSTART;TZID=Europe/Zurich:20251124T100000"), "TZID start");
    free (text);
    icalcomponent_free (event);
    event = icalcomponent_new_vevent ();
    S_CHECK (pl_ical_session_span (event, "2025-10-26T02:30+01:00", "2025-10-26T03:30",
                                   "Europe/Zurich", &zone) == 0 && !zone, "offset span");
    text = icalcomponent_as_ical_string_r (event);
    S_CHECK (text && strstr (text, "DTSTART:20251026T013000Z"), "second 02:30 in UTC");
    free (text);
    S_CHECK (pl_ical_session_span (event, "2025-03-30T02:30", "2025-03-30T04:00",
                                   "Europe/Zurich", &zone) == 0,
             "a skipped time with TZID is the feed's business (records refuses it)");
    icalcomponent_free (event);
    event = icalcomponent_new_vevent ();
    S_CHECK (pl_ical_session_span (event, "2025-11-24T10:00", "2025-11-24T13:00",
                                   "Mars/Olympus", &zone) == -1, "unknown zone refused");
    icalcomponent_free (event);

    char first [PL_ICAL_TIME_MAX], last [PL_ICAL_TIME_MAX];
    S_CHECK (pl_ical_session_text ("2025-11-24T10:00", "2025-11-24T13:00", "Europe/Zurich",
                                   first, last, sizeof first, &zone) == 0 && zone
             && strcmp (first, ";TZID=Europe/Zurich:20251124T100000") == 0
             && strcmp (last, ";TZID=Europe/Zurich:20251124T130000") == 0, "zoned span as text");
    S_CHECK (pl_ical_session_text ("2025-10-26T02:30+01:00", "2025-10-26T03:30",
                                   "Europe/Zurich", first, last, sizeof first, &zone) == 0
             && !zone && strcmp (first, ":20251026T013000Z") == 0
             && strcmp (last, ":20251026T023000Z") == 0, "offset span as text, in UTC");
    S_CHECK (pl_ical_session_text ("2025-11-24T10:00", "2025-11-24T13:00", "UTC",
                                   first, last, sizeof first, &zone) == 0 && !zone
             && strcmp (first, ":20251124T100000Z") == 0, "UTC span as text");
    S_CHECK (pl_ical_session_text ("2025-11-24T10", "2025-11-24T13:00", "Europe/Zurich",
                                   first, last, sizeof first, &zone) == -1, "malformed time");

    icalcomponent *vtimezone = pl_ical_vtimezone ("Europe/Zurich");
    text = vtimezone ? icalcomponent_as_ical_string_r (vtimezone) : NULL;
    S_CHECK (text && strstr (text, "TZID:Europe/Zurich\r\n"), "plain TZID");
    free (text);
    if (vtimezone)
        icalcomponent_free (vtimezone);

    //  80 three-octet characters: folds fall between characters
    char line [8 + 80 * 3 + 3] = "SUMMARY:";
    for (int i = 0; i < 80; i++)
        strcat (line, "会");
    strcat (line, "\r\n");
    char *folded = pl_ical_fold (line);
    int ok = folded != NULL;
    for (char *at = folded, *start = folded; ok && *at; at++)
        if (*at == '\n') {
            ok = at - 1 - start <= S_FOLD_OCTETS
              && !(at [1] == ' ' && ((unsigned char) at [2] & 0xC0) == 0x80);
            start = at + 1;
        }
    S_CHECK (ok, "folded at 75 octets between characters");
    free (folded);
    return failed ? -1 : 0;
}
