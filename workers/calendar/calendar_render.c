/*  calendar_render — one iCalendar feed, built with libical.

    See calendar_render.h for the rules a feed follows.  libical builds the
    components and writes the text (escaping, CRLF, folding); this file
    decides what goes in, converts our values to libical's types, and
    re-folds the text with pl_ical_fold so that the 75-octet rule never
    depends on the libical version.  UIDs, SEQUENCE, session times, zones and
    folding are lib/pl_ical's, shared with the notify worker's iTIP messages.  libical strings returned by the
    non-_r functions live in its ring buffer: only the _r forms are kept. */
#include "calendar_render.h"
#include "pl_log.h"
#include "pl_ical.h"

#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_PRODID        "-//plenary//plenary calendar 1.0//EN"
#define S_FOLD_OCTETS   75              //  RFC 5545 3.1: lines of at most 75 octets
#define S_TEXT_MAX      8192            //  room for one DESCRIPTION or SUMMARY

//  How each meeting kind reads in CATEGORIES.
static const struct {
    const char *kind;
    const char *label;
} s_kind_labels [] = {
    { "msp",            "Meeting of States Parties" },
    { "revcon",         "Review Conference" },
    { "preparatory",    "Preparatory meeting" },
    { "intersessional", "Intersessional meeting" },
    { "coordination",   "Coordination Committee" },
    { "committee",      "Committee" },
    { "gge",            "Group of Governmental Experts" },
    { "workshop",       "Workshop" },
    { "side-event",     "Side event" },
    { "pledging",       "Pledging conference" },
    { "other",          "Meeting" },
};

struct _calendar_render_t {
    icalcomponent *events;          //  a VCALENDAR holding the VEVENTs in order
    char **zones;                   //  distinct TZIDs used, in order of first use
    size_t zone_count;
    size_t zone_room;
    size_t count;
};

calendar_render_t *
calendar_render_new (void)
{
    calendar_render_t *self = calloc (1, sizeof *self);
    if (self && !(self->events = icalcomponent_new_vcalendar ())) {
        free (self);
        self = NULL;
    }
    return self;
}

void
calendar_render_destroy (calendar_render_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    calendar_render_t *self = *self_p;
    if (self->events)
        icalcomponent_free (self->events);
    for (size_t i = 0; i < self->zone_count; i++)
        free (self->zones [i]);
    free (self->zones);
    free (self);
    *self_p = NULL;
}

size_t
calendar_render_count (calendar_render_t *self)
{
    return self->count;
}

//  The kind's label for CATEGORIES.
static const char *
s_kind_label (const char *kind)
{
    for (size_t i = 0; i < sizeof s_kind_labels / sizeof s_kind_labels [0]; i++)
        if (kind && strcmp (s_kind_labels [i].kind, kind) == 0)
            return s_kind_labels [i].label;
    return "Meeting";
}

int
calendar_render_zone_known (const char *tz)
{
    return pl_ical_zone_known (tz);
}

//  Remember that TZ is used.  0 or -1.
static int
s_use_zone (calendar_render_t *self, const char *tz)
{
    for (size_t i = 0; i < self->zone_count; i++)
        if (strcmp (self->zones [i], tz) == 0)
            return 0;
    if (self->zone_count == self->zone_room) {
        size_t room = self->zone_room ? self->zone_room * 2 : 4;
        char **zones = realloc (self->zones, room * sizeof *zones);
        if (!zones)
            return -1;
        self->zones = zones;
        self->zone_room = room;
    }
    if (!(self->zones [self->zone_count] = strdup (tz)))
        return -1;
    self->zone_count++;
    return 0;
}

//  Append "\n" (when TEXT is not empty) and LINE to TEXT of SIZE bytes.
static void
s_line (char *text, size_t size, const char *line)
{
    size_t used = strlen (text);
    snprintf (text + used, size - used, "%s%s", used ? "\n" : "", line);
}

//  The DESCRIPTION of a session: the meeting, the agenda items and the
//  documents released under them.
static void
s_session_description (const calendar_item_t *item, char *text, size_t size)
{
    text [0] = 0;
    s_line (text, size, item->meeting_title);
    json_t *items = item->agenda_items ? json_loads (item->agenda_items, 0, NULL) : NULL;
    if (json_array_size (items)) {
        char line [S_TEXT_MAX] = "Agenda items: ";
        size_t index;
        json_t *value;
        json_array_foreach (items, index, value) {
            size_t used = strlen (line);
            snprintf (line + used, sizeof line - used, "%s%s", index ? ", " : "",
                      json_string_value (value));
        }
        s_line (text, size, line);
    }
    json_decref (items);
    if (item->documents && *item->documents) {
        s_line (text, size, "Documents:");
        s_line (text, size, item->documents);
    }
}

int
calendar_render_add (calendar_render_t *self, const calendar_item_t *item)
{
    int is_session = item->session != NULL;
    int cancelled = strcmp (item->status, "cancelled") == 0;
    char uid [PL_ICAL_UID_MAX], summary [S_TEXT_MAX], text [S_TEXT_MAX];
    if (is_session)
        pl_ical_uid_session (uid, sizeof uid, item->meeting, item->session);
    else
        pl_ical_uid_meeting (uid, sizeof uid, item->meeting);

    icalcomponent *event = icalcomponent_new_vevent ();
    if (!event)
        return -1;
    struct icaltimetype stamp = pl_ical_utc (item->modified_ms);
    icalcomponent_add_property (event, icalproperty_new_uid (uid));
    icalcomponent_add_property (event, icalproperty_new_dtstamp (stamp));
    icalcomponent_add_property (event, icalproperty_new_lastmodified (stamp));
    icalcomponent_add_property (event, icalproperty_new_sequence ((int) item->sequence));

    if (is_session) {
        if (!pl_ical_zone_known (item->tz)) {
            pl_error ("calendar: unknown time zone tz=%s meeting=%s", item->tz, item->meeting);
            goto err;
        }
        int needs_zone = 0;
        if (pl_ical_session_span (event, item->start, item->end, item->tz, &needs_zone)) {
            pl_error ("calendar: malformed time meeting=%s session=%s start=%s end=%s",
                      item->meeting, item->session, item->start, item->end);
            goto err;
        }
        if (needs_zone && s_use_zone (self, item->tz))
            goto err;
    }
    else {
        struct icaltimetype first, last;
        if (pl_ical_parse_time (item->start, 1, &first)
        ||  pl_ical_parse_time (item->end, 1, &last)) {
            pl_error ("calendar: malformed date meeting=%s start=%s end=%s", item->meeting,
                      item->start, item->end);
            goto err;
        }
        icaltime_adjust (&last, 1, 0, 0, 0);    //  DTEND is exclusive: the day after
        icalcomponent_add_property (event, icalproperty_new_dtstart (first));
        icalcomponent_add_property (event, icalproperty_new_dtend (last));
    }

    snprintf (summary, sizeof summary, "%s%s", cancelled ? "[CANCELLED] " : "",
              is_session ? item->title : item->meeting_title);
    icalcomponent_add_property (event, icalproperty_new_summary (summary));
    if (is_session && item->room && *item->room)
        snprintf (text, sizeof text, "%s, %s", item->venue, item->room);
    else
        snprintf (text, sizeof text, "%s", item->venue);
    icalcomponent_add_property (event, icalproperty_new_location (text));
    if (is_session)
        s_session_description (item, text, sizeof text);
    else
        snprintf (text, sizeof text, "%s", item->description ? item->description : "");
    if (*text)
        icalcomponent_add_property (event, icalproperty_new_description (text));
    if (item->url && *item->url)
        icalcomponent_add_property (event, icalproperty_new_url (item->url));
    snprintf (text, sizeof text, "%s,%s", item->convention, s_kind_label (item->kind));
    icalcomponent_add_property (event, icalproperty_new_categories (text));
    icalcomponent_add_property (event, icalproperty_new_status (
        cancelled ? ICAL_STATUS_CANCELLED
                  : item->tentative ? ICAL_STATUS_TENTATIVE : ICAL_STATUS_CONFIRMED));
    //  The meeting's bar spans whole days and must not mark them busy:
    //  its sessions say when the delegate is busy.
    icalcomponent_add_property (event, icalproperty_new_transp (
        is_session && !cancelled ? ICAL_TRANSP_OPAQUE : ICAL_TRANSP_TRANSPARENT));
    icalcomponent_add_component (self->events, event);
    self->count++;
    return 0;
err:
    icalcomponent_free (event);
    return -1;
}

//  An X- property NAME whose value is TEXT, which needs no escaping (zone
//  names, durations).
static icalproperty *
s_x_text (const char *name, const char *text)
{
    icalproperty *property = icalproperty_new_x (text);
    if (property)
        icalproperty_set_x_name (property, name);
    return property;
}

//  TEXT (libical's output) folded, with X-WR-CALNAME after NAME carrying
//  NAME's value as libical escaped it: libical writes X- values without
//  escaping commas and semicolons and doubles backslashes, so the TEXT
//  escaping of NAME is the one to copy.  A new string (caller frees) or NULL.
static char *
s_add_calname (const char *text)
{
    const char *name = strstr (text, "\r\nNAME:");
    if (!name)
        return NULL;
    name += 2;
    const char *end = name;
    while ((end = strstr (end, "\r\n")) && end [2] == ' ')
        end += 2;
    if (!end)
        return NULL;
    size_t head = (size_t) (end + 2 - text), value = (size_t) (end - name) - 5;
    size_t length = strlen (text);
    char *spliced = malloc (length + value + 32);
    if (!spliced)
        return NULL;
    memcpy (spliced, text, head);
    size_t used = head;
    used += (size_t) sprintf (spliced + used, "X-WR-CALNAME:%.*s\r\n", (int) value, name + 5);
    memcpy (spliced + used, text + head, length - head + 1);
    char *folded = pl_ical_fold (spliced);
    free (spliced);
    return folded;
}

static int
s_compare_names (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

char *
calendar_render_finish (calendar_render_t *self, const calendar_head_t *head)
{
    icalcomponent *calendar = icalcomponent_new_vcalendar ();
    if (!calendar)
        return NULL;
    char *text = NULL, *folded = NULL;
    const char *tz = head->tz && *head->tz ? head->tz : "UTC";
    struct icaldurationtype refresh = icaldurationtype_from_int (head->refresh_s);
    icalcomponent_add_property (calendar, icalproperty_new_prodid (S_PRODID));
    icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
    icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
    icalcomponent_add_property (calendar, icalproperty_new_name (head->name));
    icalcomponent_add_property (calendar, s_x_text ("X-WR-TIMEZONE", tz));
    icalcomponent_add_property (calendar, icalproperty_new_refreshinterval (refresh));
    char *ttl = icaldurationtype_as_ical_string_r (refresh);
    icalcomponent_add_property (calendar, s_x_text ("X-PUBLISHED-TTL", ttl ? ttl : "PT1H"));
    free (ttl);
    if (head->source && *head->source) {
        icalcomponent_add_property (calendar, icalproperty_new_source (head->source));
        icalcomponent_add_property (calendar, icalproperty_new_url (head->source));
    }
    if (self->zone_count > 1)       //  (qsort of nothing may be given no array)
        qsort (self->zones, self->zone_count, sizeof self->zones [0], s_compare_names);
    for (size_t i = 0; i < self->zone_count; i++) {
        icalcomponent *vtimezone = pl_ical_vtimezone (self->zones [i]);
        if (!vtimezone) {
            pl_error ("calendar: no time zone definition for tz=%s", self->zones [i]);
            goto done;
        }
        icalcomponent_add_component (calendar, vtimezone);
    }
    icalcomponent *event;
    while ((event = icalcomponent_get_first_component (self->events, ICAL_VEVENT_COMPONENT))) {
        icalcomponent_remove_component (self->events, event);
        icalcomponent_add_component (calendar, event);
    }
    text = icalcomponent_as_ical_string_r (calendar);
    folded = text ? s_add_calname (text) : NULL;
    if (!folded)
        pl_error ("calendar: out of memory writing a feed of %zu events", self->count);
done:
    free (text);
    icalcomponent_free (calendar);
    return folded;
}

//  Check libical's view of COMPONENT and its children: no X-LIC-ERROR.
static int
s_no_errors (icalcomponent *component, char *err, size_t errsize)
{
    icalproperty *error = icalcomponent_get_first_property (component, ICAL_XLICERROR_PROPERTY);
    if (error) {
        snprintf (err, errsize, "libical: %s: %s",
                  icalcomponent_kind_to_string (icalcomponent_isa (component)),
                  icalproperty_get_xlicerror (error));
        return -1;
    }
    for (icalcomponent *child = icalcomponent_get_first_component (component, ICAL_ANY_COMPONENT);
         child; child = icalcomponent_get_next_component (component, ICAL_ANY_COMPONENT))
        if (s_no_errors (child, err, errsize))
            return -1;
    return 0;
}

//  The lexical checks: CRLF everywhere, lines of at most 75 octets, no
//  character split by a fold, no METHOD.  0 or -1.
static int
s_check_lines (const char *ics, char *err, size_t errsize)
{
    int line = 1;
    const char *start = ics;
    for (const char *c = ics; *c; c++) {
        if (*c == '\n') {
            if (c == ics || c [-1] != '\r') {
                snprintf (err, errsize, "line %d ends in LF without CR", line);
                return -1;
            }
            size_t octets = (size_t) (c - 1 - start);
            if (octets > S_FOLD_OCTETS) {
                snprintf (err, errsize, "line %d is %zu octets long", line, octets);
                return -1;
            }
            if (c [1] == ' ' && ((unsigned char) c [2] & 0xC0) == 0x80) {
                snprintf (err, errsize, "line %d: a fold splits a UTF-8 character", line);
                return -1;
            }
            if (strncmp (start, "METHOD", 6) == 0) {
                snprintf (err, errsize, "line %d: a feed has no METHOD", line);
                return -1;
            }
            start = c + 1;
            line++;
        }
    }
    if (start != ics + strlen (ics)) {
        snprintf (err, errsize, "the last line has no CRLF");
        return -1;
    }
    return 0;
}

int
calendar_render_check (const char *ics, char *err, size_t errsize)
{
    if (s_check_lines (ics, err, errsize))
        return -1;
    icalcomponent *calendar = icalparser_parse_string (ics);
    if (!calendar || icalcomponent_isa (calendar) != ICAL_VCALENDAR_COMPONENT) {
        snprintf (err, errsize, "libical cannot parse it as one VCALENDAR");
        if (calendar)
            icalcomponent_free (calendar);
        return -1;
    }
    int rc = -1;
    if (s_no_errors (calendar, err, errsize))
        goto done;
    if (!icalrestriction_check (calendar) || s_no_errors (calendar, err, errsize)) {
        if (!*err)
            snprintf (err, errsize, "libical's restriction check failed");
        goto done;
    }
    for (icalcomponent *event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
         event; event = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT)) {
        static const icalproperty_kind required [] = {
            ICAL_UID_PROPERTY, ICAL_DTSTAMP_PROPERTY, ICAL_DTSTART_PROPERTY,
            ICAL_SEQUENCE_PROPERTY, ICAL_LASTMODIFIED_PROPERTY
        };
        for (size_t i = 0; i < sizeof required / sizeof required [0]; i++)
            if (!icalcomponent_get_first_property (event, required [i])) {
                snprintf (err, errsize, "a VEVENT has no %s",
                          icalproperty_kind_to_string (required [i]));
                goto done;
            }
        for (icalproperty *property = icalcomponent_get_first_property (event, ICAL_ANY_PROPERTY);
             property; property = icalcomponent_get_next_property (event, ICAL_ANY_PROPERTY)) {
            icalparameter *tzid = icalproperty_get_first_parameter (property, ICAL_TZID_PARAMETER);
            if (!tzid)
                continue;
            const char *name = icalparameter_get_tzid (tzid);
            int found = 0;
            for (icalcomponent *zone = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
                 zone && !found;
                 zone = icalcomponent_get_next_component (calendar, ICAL_VTIMEZONE_COMPONENT)) {
                icalproperty *id = icalcomponent_get_first_property (zone, ICAL_TZID_PROPERTY);
                found = id && strcmp (icalproperty_get_tzid (id), name) == 0;
            }
            if (!found) {
                snprintf (err, errsize, "TZID %s is used without its VTIMEZONE", name);
                goto done;
            }
        }
    }
    rc = 0;
done:
    icalcomponent_free (calendar);
    return rc;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "calendar_render_test: %s (line %d)\n", what, __LINE__); \
    goto fail; } } while (0)

int
calendar_render_test (int verbose)
{
    calendar_item_t meeting = {
        .meeting = "ccm-msp13", .convention = "CCM", .kind = "msp",
        .meeting_title = "第十三次缔约国会议 — Тринадцатое совещание — الاجتماع الثالث عشر للدول الأطراف",
        .venue = "Geneva, Palais des Nations", .tz = "Europe/Zurich",
        .url = "https://example.org/msp13", .description = "Line one\nLine two; with, marks",
        .start = "2030-03-30", .end = "2030-04-02", .status = "scheduled",
        .sequence = 0, .modified_ms = 1900000000000
    };
    calendar_item_t session = meeting;
    session.session = "day1-am";
    session.title = "First plenary meeting";
    session.start = "2030-03-30T10:00";
    session.end = "2030-03-30T13:00";
    session.room = "Room XIX";
    session.agenda_items = "[\"8(a)\",\"9(h)(i)\"]";
    session.documents = "8(a) CCM/MSP/2030/5";
    session.status = "cancelled";
    session.sequence = 2;
    calendar_head_t head = { "CCM — 第十三次缔约国会议, Geneva", "Europe/Zurich",
                             "http://127.0.0.1:7180/ics/meetings/ccm-msp13.ics", 3600 };
    char *first = NULL, *second = NULL, err [256] = "";
    calendar_render_t *render = calendar_render_new ();
    S_CHECK (render && calendar_render_add (render, &meeting) == 0
             && calendar_render_add (render, &session) == 0, "add");
    first = calendar_render_finish (render, &head);
    calendar_render_destroy (&render);
    S_CHECK (first, "finish");
    if (verbose)
        fprintf (stderr, "%s", first);
    S_CHECK (calendar_render_check (first, err, sizeof err) == 0, err);
    S_CHECK (strstr (first, "TZID:Europe/Zurich\r\n"), "VTIMEZONE named by the plain zone name");
    S_CHECK (strstr (first, "DTSTART;TZID=Europe/Zurich:20300330T100000\r\n"), "session time in its zone");
    S_CHECK (strstr (first, "DTSTART;VALUE=DATE:20300330\r\n"), "meeting as all-day");
    S_CHECK (strstr (first, "DTEND;VALUE=DATE:20300403\r\n"), "DTEND is the day after the last");
    S_CHECK (strstr (first, "UID:session/ccm-msp13/day1-am@plenary\r\n"), "session UID");
    S_CHECK (strstr (first, "SUMMARY:[CANCELLED] First plenary meeting\r\n"), "cancelled title");
    S_CHECK (strstr (first, "STATUS:CANCELLED\r\n"), "cancelled status");
    S_CHECK (strstr (first, "DTSTAMP:20300317T174640Z\r\n"), "DTSTAMP is the change time");
    S_CHECK (strstr (first, "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"), "refresh interval");
    S_CHECK (strstr (first, "X-WR-CALNAME:CCM — 第十三次缔约国会议\\, Geneva\r\n"), "escaped X-WR-CALNAME");
    S_CHECK (!strstr (first, "freeassociation"), "no libical TZID prefix");
    render = calendar_render_new ();
    S_CHECK (render && calendar_render_add (render, &meeting) == 0
             && calendar_render_add (render, &session) == 0, "add again");
    second = calendar_render_finish (render, &head);
    calendar_render_destroy (&render);
    S_CHECK (second && strcmp (first, second) == 0, "byte-identical output for the same rows");

    //  A registration not confirmed yet: TENTATIVE, but a cancellation says more
    calendar_item_t tentative = meeting;
    tentative.tentative = 1;
    calendar_item_t dropped = session;
    dropped.tentative = 1;
    render = calendar_render_new ();
    S_CHECK (render && calendar_render_add (render, &tentative) == 0
             && calendar_render_add (render, &dropped) == 0, "add tentative events");
    free (second);
    second = calendar_render_finish (render, &head);
    calendar_render_destroy (&render);
    S_CHECK (second && calendar_render_check (second, err, sizeof err) == 0, err);
    S_CHECK (strstr (second, "STATUS:TENTATIVE\r\n") && strstr (second, "STATUS:CANCELLED\r\n")
             && !strstr (second, "STATUS:CONFIRMED"), "tentative, and cancelled over tentative");

    //  A time that happens twice, with the offset that picks it: UTC, both ends
    calendar_item_t twice = meeting;
    twice.session = "night";
    twice.title = "Night sitting";
    twice.start = "2030-10-27T02:30+01:00";
    twice.end = "2030-10-27T04:00";
    twice.status = "scheduled";
    render = calendar_render_new ();
    S_CHECK (render && calendar_render_add (render, &twice) == 0, "add a session with an offset");
    free (second);
    second = calendar_render_finish (render, &head);
    calendar_render_destroy (&render);
    S_CHECK (second && calendar_render_check (second, err, sizeof err) == 0, err);
    S_CHECK (strstr (second, "DTSTART:20301027T013000Z\r\n"), "the second 02:30 is 01:30 UTC");
    S_CHECK (strstr (second, "DTEND:20301027T030000Z\r\n"), "the end in UTC too");
    S_CHECK (!strstr (second, "BEGIN:VTIMEZONE"), "no VTIMEZONE for times in UTC");
    twice.start = "2030-10-27T02:30+02:00";
    twice.end = "2030-10-27T02:45+01:00";
    render = calendar_render_new ();
    S_CHECK (render && calendar_render_add (render, &twice) == 0, "both ends with offsets");
    free (second);
    second = calendar_render_finish (render, &head);
    calendar_render_destroy (&render);
    S_CHECK (second && strstr (second, "DTSTART:20301027T003000Z\r\n")
             && strstr (second, "DTEND:20301027T014500Z\r\n"), "the first 02:30 to the second 02:45");
    free (second);
    second = NULL;

    //  A broken feed is caught by the checks
    S_CHECK (calendar_render_check ("BEGIN:VCALENDAR\nEND:VCALENDAR\n", err, sizeof err) == -1,
             "bare LF refused");
    S_CHECK (calendar_render_check (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n"
        "DTSTAMP:20300101T000000Z\r\nSEQUENCE:0\r\nLAST-MODIFIED:20300101T000000Z\r\n"
        "DTSTART;TZID=Europe/Zurich:20300101T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        err, sizeof err) == -1 && strstr (err, "VTIMEZONE"), "missing VTIMEZONE found");
    calendar_item_t bad = session;
    bad.tz = "Mars/Olympus";
    render = calendar_render_new ();
    S_CHECK (render && calendar_render_add (render, &bad) == -1, "unknown zone refused");
    calendar_render_destroy (&render);

    //  Folding keeps characters whole
    char *folded = pl_ical_fold (
        "SUMMARY:中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文中文\r\n");
    S_CHECK (folded && s_check_lines (folded, err, sizeof err) == 0, "fold");
    free (folded);
    free (first);
    free (second);
    return 0;
fail:
    calendar_render_destroy (&render);
    free (first);
    free (second);
    return -1;
}
