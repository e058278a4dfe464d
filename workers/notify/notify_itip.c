/*  notify_itip — an iTIP REQUEST or CANCEL of one session, with libical
    (see the header).  UIDs, SEQUENCE, session times, zones and folding are
    lib/pl_ical's, the calendar feed's own. */
#include "notify_itip.h"
#include "pl_ical.h"
#include "pl_log.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_PRODID "-//plenary//plenary notify 1.0//EN"

char *
notify_itip_render (const notify_itip_t *itip)
{
    int cancel = strcmp (itip->method, "CANCEL") == 0;
    icalcomponent *calendar = icalcomponent_new_vcalendar ();
    icalcomponent *event = icalcomponent_new_vevent ();
    if (!calendar || !event) {
        if (calendar)
            icalcomponent_free (calendar);
        if (event)
            icalcomponent_free (event);
        return NULL;
    }
    icalcomponent_add_property (calendar, icalproperty_new_prodid (S_PRODID));
    icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
    icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
    icalcomponent_add_property (calendar, icalproperty_new_method (
        cancel ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST));

    char uid [PL_ICAL_UID_MAX], text [2048], *ics = NULL;
    pl_ical_uid_session (uid, sizeof uid, itip->meeting, itip->session);
    icalcomponent_add_property (event, icalproperty_new_uid (uid));
    struct icaltimetype stamp = pl_ical_utc (itip->stamp_ms);
    icalcomponent_add_property (event, icalproperty_new_dtstamp (stamp));
    icalcomponent_add_property (event, icalproperty_new_lastmodified (stamp));
    icalcomponent_add_property (event, icalproperty_new_sequence ((int) itip->sequence));
    int needs_zone = 0;
    if (pl_ical_session_span (event, itip->start, itip->end, itip->tz, &needs_zone)) {
        pl_error ("notify: cannot write the times of session=%s meeting=%s tz=%s",
                  itip->session, itip->meeting, itip->tz);
        icalcomponent_free (event);
        goto done;
    }
    snprintf (text, sizeof text, "%s%s", cancel ? "[CANCELLED] " : "", itip->title);
    icalcomponent_add_property (event, icalproperty_new_summary (text));
    if (itip->room && *itip->room)
        snprintf (text, sizeof text, "%s, %s", itip->venue, itip->room);
    else
        snprintf (text, sizeof text, "%s", itip->venue);
    icalcomponent_add_property (event, icalproperty_new_location (text));
    icalcomponent_add_property (event, icalproperty_new_description (itip->meeting_title));
    if (itip->url && *itip->url)
        icalcomponent_add_property (event, icalproperty_new_url (itip->url));
    icalcomponent_add_property (event, icalproperty_new_status (
        cancel ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    snprintf (text, sizeof text, "mailto:%s", itip->organizer);
    icalcomponent_add_property (event, icalproperty_new_organizer (text));
    snprintf (text, sizeof text, "mailto:%s", itip->attendee);
    icalproperty *attendee = icalproperty_new_attendee (text);
    icalproperty_add_parameter (attendee, icalparameter_new_role (ICAL_ROLE_REQPARTICIPANT));
    icalproperty_add_parameter (attendee, icalparameter_new_partstat (ICAL_PARTSTAT_NEEDSACTION));
    icalproperty_add_parameter (attendee, icalparameter_new_rsvp (ICAL_RSVP_FALSE));
    icalcomponent_add_property (event, attendee);
    if (needs_zone) {
        icalcomponent *zone = pl_ical_vtimezone (itip->tz);
        if (!zone) {
            icalcomponent_free (event);
            goto done;
        }
        icalcomponent_add_component (calendar, zone);
    }
    icalcomponent_add_component (calendar, event);
    char *raw = icalcomponent_as_ical_string_r (calendar);
    ics = raw ? pl_ical_fold (raw) : NULL;
    free (raw);
done:
    icalcomponent_free (calendar);
    return ics;
}

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "notify_itip: FAIL %s\n", what); failed++; } } while (0)

int
notify_itip_test (int verbose)
{
    int failed = 0;
    notify_itip_t itip = {
        .method = "REQUEST", .meeting = "ccm-msp13", .session = "day1-am",
        .title = "Première séance plénière", .meeting_title = "Thirteenth Meeting",
        .venue = "Geneva", .room = "Room XIX", .tz = "Europe/Zurich",
        .start = "2025-09-15T15:00", .end = "2025-09-15T18:00", .sequence = 2,
        .stamp_ms = 1757930400000, .organizer = "isu@example.org",
        .attendee = "zofia@example.pl",
    };
    char *ics = notify_itip_render (&itip);
    S_CHECK (ics && strstr (ics, "METHOD:REQUEST\r\n"), "method");
    S_CHECK (ics && strstr (ics, "UID:session/ccm-msp13/day1-am@plenary\r\n"), "feed UID");
    S_CHECK (ics && strstr (ics, "SEQUENCE:2\r\n"), "sequence");
    S_CHECK (ics && strstr (ics, "DTSTART;TZID=Europe/Zurich:20250915T150000\r\n")
             && strstr (ics, "BEGIN:VTIMEZONE"), "zoned time and its VTIMEZONE");
    S_CHECK (ics && strstr (ics, "ORGANIZER:mailto:isu@example.org\r\n"), "organizer");
    icalcomponent *parsed = ics ? icalparser_parse_string (ics) : NULL;
    S_CHECK (parsed && icalcomponent_get_method (parsed) == ICAL_METHOD_REQUEST, "parses");
    if (parsed)
        icalcomponent_free (parsed);
    free (ics);
    itip.method = "CANCEL";
    ics = notify_itip_render (&itip);
    S_CHECK (ics && strstr (ics, "METHOD:CANCEL\r\n") && strstr (ics, "STATUS:CANCELLED\r\n"),
             "cancel");
    free (ics);
    itip.tz = "Mars/Olympus";
    S_CHECK (notify_itip_render (&itip) == NULL, "unknown zone refused");
    if (verbose && !failed)
        fprintf (stderr, "notify_itip_test: ok\n");
    return failed ? -1 : 0;
}
