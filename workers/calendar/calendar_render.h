/*  calendar_render — one iCalendar feed, written as text.

    The calendar worker hands the rows of a feed to a calendar_render_t in
    order (a meeting's all-day event, then its sessions) and takes back the
    text of the VCALENDAR.  Everything that makes calendar apps trust a
    feed is decided here: UIDs from database keys (lib/pl_ical's rule, which
    the notify worker's iTIP messages share), DTSTAMP equal to
    LAST-MODIFIED (the time of the change), SEQUENCE, STATUS:CANCELLED with
    "[CANCELLED]" in the title, STATUS:TENTATIVE for an event that a
    private feed shows for a registration not confirmed yet, all-day meetings with VALUE=DATE and DTEND
    the day after, sessions in TZID=<plain IANA name> with one VTIMEZONE per
    zone used (from the system's tz database through libical, truncated to
    1970 onwards) or, when a session time carries its UTC offset (a time
    that happens twice when clocks go back, which TZID cannot name), both
    its ends in UTC, the RFC 7986 calendar properties and their X-WR-*
    counterparts, no METHOD.  The text is CRLF, folded at 75 octets without
    splitting a UTF-8 character, and byte-identical for the same rows. */
#ifndef CALENDAR_RENDER_H_INCLUDED
#define CALENDAR_RENDER_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

//  One event of a feed: a meeting (SESSION NULL) or one of its sessions.
//  Strings are borrowed for the duration of calendar_render_add; optional
//  ones may be NULL.
typedef struct {
    const char *meeting;            //  meeting id
    const char *convention;         //  convention code
    const char *kind;               //  meeting kind (schema enumeration)
    const char *meeting_title;
    const char *venue;
    const char *tz;                 //  the meeting's IANA time zone
    const char *url;                //  the meeting's web page
    const char *description;        //  the meeting's description
    const char *session;            //  session id; NULL for the meeting itself
    const char *title;              //  the session's title
    const char *start;              //  YYYY-MM-DD (meeting) or YYYY-MM-DDTHH:MM[:SS][±HH:MM] (session)
    const char *end;                //  the same form: the last day, or the end time
    const char *room;
    const char *agenda_items;       //  JSON array of agenda items, e.g. ["8(a)","9"]
    const char *documents;          //  lines "ITEM SYMBOL" released under those items
    const char *status;             //  scheduled, closed or cancelled
    int64_t sequence;               //  SEQUENCE
    int64_t modified_ms;            //  time of the last change: DTSTAMP and LAST-MODIFIED
    int tentative;                  //  in a private feed, the person's registration to the
                                    //  meeting is not confirmed yet: STATUS:TENTATIVE
                                    //  (unless cancelled)
} calendar_item_t;

//  What the calendar as a whole says about itself.
typedef struct {
    const char *name;               //  NAME (escaped) and X-WR-CALNAME (without escapes)
    const char *tz;                 //  X-WR-TIMEZONE ("UTC" when NULL)
    const char *source;             //  SOURCE and URL (the feed's public URL); may be NULL
    int refresh_s;                  //  REFRESH-INTERVAL and X-PUBLISHED-TTL, seconds
} calendar_head_t;

typedef struct _calendar_render_t calendar_render_t;

//  True when libical has a definition of time zone TZ (from the system's
//  tz database), so that a feed can carry its VTIMEZONE.
int calendar_render_zone_known (const char *tz);

//  Start a feed.  NULL when out of memory.
calendar_render_t *calendar_render_new (void);

//  Free; NULL-safe, nulls *SELF_P.
void calendar_render_destroy (calendar_render_t **self_p);

//  Add ITEM's event.  0, or -1 with a reason logged (an unknown time zone,
//  a malformed time: the feed is then not served rather than served wrong).
int calendar_render_add (calendar_render_t *self, const calendar_item_t *item);

//  Events added so far.
size_t calendar_render_count (calendar_render_t *self);

//  The VCALENDAR text with HEAD's properties and every event added, in
//  order, after their VTIMEZONEs (sorted by name).  Caller frees.  NULL on
//  failure (logged).  SELF may not be used again except to destroy it.
char *calendar_render_finish (calendar_render_t *self, const calendar_head_t *head);

//  Check ICS as a calendar app would need it: libical parses it without
//  error properties and its restriction check (RFC 5545, no METHOD) passes;
//  and what libical does not check: every VEVENT has UID, DTSTAMP, DTSTART
//  and SEQUENCE, every TZID used has its VTIMEZONE, lines end in CRLF and
//  are at most 75 octets, no METHOD.  0, or -1 with ERR saying what failed.
int calendar_render_check (const char *ics, char *err, size_t errsize);

//  Self-test: renders sample feeds and checks them with libical's
//  restriction checker and the checks libical does not make.  0 when all pass.
int calendar_render_test (int verbose);

#endif
