/*  pl_ical — what every iCalendar plenary writes shares: UIDs, the SEQUENCE
    rule, session times, time zones and folding.

    The calendar worker's feeds and the notify worker's iTIP messages
    (RFC 5546: METHOD:REQUEST when a session moves, METHOD:CANCEL when it is
    cancelled) must name the same event by the same UID with the same
    SEQUENCE, or a calendar app that holds the event from one would not
    apply the other.  So the rule lives here, once:

      UID       meeting/MEETING@plenary             a meeting's all-day event
                session/MEETING/SESSION@plenary     a session
      SEQUENCE  0 when the event is scheduled, then one more for each
                change of what a calendar app shows as the event's identity
                (RFC 5546 3.2): time, place, title or status
                (pl_ical_sequence_rule says which event and field does what).
                A description or URL change moves only DTSTAMP.

    Session times are wall-clock times in the meeting's zone: DTSTART and
    DTEND carry TZID=<plain IANA name> and the calendar a VTIMEZONE of it
    (pl_ical_vtimezone, from 1970 on), except when a time carries its UTC
    offset (the second 02:30 of a night clocks go back, which TZID cannot
    name): then both ends are written in UTC.  The text is CRLF, folded at
    75 octets without splitting a UTF-8 character (pl_ical_fold).

    Linked by the calendar and notify workers (library plenary_zone). */
#ifndef PL_ICAL_H_INCLUDED
#define PL_ICAL_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <libical/ical.h>

#define PL_ICAL_UID_MAX 200         //  "session/" + two ids of 64 + "@plenary"

//  The UID of meeting MEETING's all-day event, into BUF.
void pl_ical_uid_meeting (char *buf, size_t size, const char *meeting);

//  The UID of session SESSION of MEETING, into BUF.
void pl_ical_uid_session (char *buf, size_t size, const char *meeting, const char *session);

//  What an event does to SEQUENCE: bits of pl_ical_bump_t.
typedef enum {
    PL_ICAL_BUMP_NONE     = 0,
    PL_ICAL_BUMP_MEETING  = 1,      //  the meeting's all-day event + 1
    PL_ICAL_BUMP_SESSIONS = 2,      //  each of its sessions not cancelled + 1
    PL_ICAL_BUMP_SESSION  = 4       //  the session the event names + 1
} pl_ical_bump_t;

//  The SEQUENCE rule: what event TOPIC does, for meeting.updated with
//  FIELD given and different from the value it replaces (NULL for the other
//  topics).  session.moved and session.cancelled bump the session;
//  meeting.cancelled the meeting and its sessions; meeting.updated the
//  meeting for a new title, start, end, venue or time zone, and its
//  sessions too for a new venue or zone (they show both); anything else
//  nothing.
unsigned pl_ical_sequence_rule (const char *topic, const char *field);

//  True when TZ is UTC itself (times with Z, no VTIMEZONE).
int pl_ical_is_utc (const char *tz);

//  True when libical has a definition of TZ (or it is UTC), so a calendar
//  can carry its VTIMEZONE.
int pl_ical_zone_known (const char *tz);

//  Parse YYYY-MM-DD (WANT_DATE) or YYYY-MM-DDTHH:MM[:SS] into a floating
//  libical time.  0 or -1.
int pl_ical_parse_time (const char *text, int want_date, struct icaltimetype *time);

//  A UTC libical time from milliseconds since the epoch.
struct icaltimetype pl_ical_utc (int64_t time_ms);

//  Add DTSTART and DTEND of a session from START to END (schema local
//  times) in zone TZ to EVENT: with TZID=TZ, or both in UTC when either
//  carries its offset, or with Z in the UTC zone.  *NEEDS_ZONE is set to 1
//  when the calendar must carry TZ's VTIMEZONE, else 0.  0, or -1 (a
//  malformed time, a time the zone skips, an unknown zone; EVENT unchanged).
int pl_ical_session_span (icalcomponent *event, const char *start, const char *end,
                          const char *tz, int *needs_zone);

#define PL_ICAL_TIME_MAX 128        //  ";TZID=" + a zone name + ":" + a time

//  The same span as text, what follows DTSTART and DTEND in their content
//  lines (";TZID=Europe/Zurich:20300330T100000" or ":20301027T013000Z"),
//  into FIRST and LAST of SIZE bytes each (PL_ICAL_TIME_MAX is room
//  enough): the same rule, *NEEDS_ZONE and return as pl_ical_session_span,
//  but TZ must be a zone pl_ical_zone_known accepts: the caller checks it
//  once per zone (libical finds a zone by a search through all of them,
//  which twice per session was a third of a feed's time).
int pl_ical_session_text (const char *start, const char *end, const char *tz, char *first,
                          char *last, size_t size, int *needs_zone);

//  The VTIMEZONE of TZ with TZID the plain name, from 1970 on; caller frees
//  (icalcomponent_free).  NULL when the zone is unknown.
icalcomponent *pl_ical_vtimezone (const char *tz);

//  ICS (CRLF lines, folded or not) folded at 75 octets without splitting a
//  UTF-8 sequence; bare LF becomes CRLF.  A new string (caller frees) or NULL.
char *pl_ical_fold (const char *ics);

//  Self-test.  0 when it passes.
int pl_ical_test (int verbose);

#endif
