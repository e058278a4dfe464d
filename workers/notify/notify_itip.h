/*  notify_itip — the iTIP message (RFC 5546) that tells a delegate's
    calendar a session moved or was cancelled.

    One VCALENDAR with METHOD:REQUEST (the session's new time, room and
    title) or METHOD:CANCEL, one VEVENT whose UID and SEQUENCE are the
    calendar feed's for the same session (lib/pl_ical: the shared rule), so
    a mail client applies it to the event it already holds, whether from an
    earlier message or from the meeting's feed imported once; with
    ORGANIZER the secretariat's address and ATTENDEE the recipient
    (RSVP=FALSE: nobody needs to answer), the VTIMEZONE of the meeting's
    zone, CRLF lines folded at 75 octets. */
#ifndef NOTIFY_ITIP_H_INCLUDED
#define NOTIFY_ITIP_H_INCLUDED

#include <stdint.h>

typedef struct {
    const char *method;             //  "REQUEST" or "CANCEL"
    const char *meeting;            //  meeting id
    const char *session;            //  session id
    const char *title;              //  SUMMARY
    const char *meeting_title;      //  DESCRIPTION's first line
    const char *venue;
    const char *room;               //  may be NULL
    const char *tz;
    const char *start;              //  schema local times
    const char *end;
    int64_t sequence;               //  the feed's SEQUENCE after the change
    int64_t stamp_ms;               //  DTSTAMP: when the change was logged
    const char *organizer;          //  mailto: address
    const char *attendee;           //  mailto: address
    const char *url;                //  the meeting's feed, or NULL
} notify_itip_t;

//  The VCALENDAR of ITIP, a new string (caller frees), or NULL on a
//  malformed time or unknown zone (logged).
char *notify_itip_render (const notify_itip_t *itip);

//  Self-test.  0 when it passes.
int notify_itip_test (int verbose);

#endif
