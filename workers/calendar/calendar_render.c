/*  calendar_render — one iCalendar feed, written as text.

    See calendar_render.h for the rules a feed follows.  The events are
    written straight into one growing buffer as they come: each content line
    escaped (RFC 5545 3.3.11: backslash, semicolon, comma, line breaks) and
    folded at 75 octets without splitting a UTF-8 character as it is
    written, so that a feed is built in one pass with no component tree to
    build, walk and free.  On the 2-core machine a 500-session feed spent
    6 to 8 ms of CPU in libical's build and 7 to 17 in its writing and our
    folding again; written here, both take 2 to 4 (docs/PERFORMANCE.md,
    pl-bench-calendar).  libical still gives
    what it is the authority on: each zone's VTIMEZONE (pl_ical_vtimezone,
    from the system's tz data) and session times through lib/pl_ical's rule
    (pl_ical_session_text, shared with the notify worker's iTIP messages),
    and it checks what we write (calendar_render_check, the self-test, and
    the tests that feed it to five other parsers). */
#include "calendar_render.h"
#include "pl_log.h"
#include "pl_ical.h"

#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_PRODID        "-//plenary//plenary calendar 1.0//EN"
#define S_FOLD_OCTETS   75              //  RFC 5545 3.1: lines of at most 75 octets
#define S_TEXT_MAX      8192            //  room for one DESCRIPTION or SUMMARY
#define S_EVENT_BYTES   640             //  a session's event, about: the first guess of room

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

//  Text being written: content lines, folded as they are written.
typedef struct {
    char *data;
    size_t length;
    size_t room;
    size_t column;                  //  octets on the current line so far
    int failed;                     //  out of memory once: the text is lost
} s_text_t;

struct _calendar_render_t {
    s_text_t events;                //  the VEVENTs, in order
    char **zones;                   //  distinct TZIDs used, in order of first use
    size_t zone_count;
    size_t zone_room;
    size_t count;
    char known [64];                //  the zone last found known (sessions share one)
};

//  Room for SIZE more bytes (and a NUL) in TEXT.  0 or -1.
static int
s_room (s_text_t *text, size_t size)
{
    if (text->failed)
        return -1;
    if (text->length + size + 1 <= text->room)
        return 0;
    size_t room = text->room ? text->room : 4096;
    while (room < text->length + size + 1)
        room *= 2;
    char *data = realloc (text->data, room);
    if (!data) {
        text->failed = 1;
        return -1;
    }
    text->data = data;
    text->room = room;
    return 0;
}

//  Append SIZE bytes of BYTES to the current line as they are, folding
//  before a character that would pass 75 octets: whole runs are copied,
//  and a fold steps back to the start of the character it would split.
static void
s_put (s_text_t *text, const char *bytes, size_t size)
{
    //  At worst a fold (CRLF SP) every 74 octets
    if (s_room (text, size + 3 * (size / 74 + 2)))
        return;
    char *out = text->data + text->length;
    size_t column = text->column;
    while (size) {
        size_t run = S_FOLD_OCTETS - column;
        if (run >= size)
            run = size;
        else {
            //  Not within a UTF-8 character: back to its first octet (on a
            //  line of its own, bytes that are no UTF-8 go as they come)
            size_t cut = run;
            while (cut && ((unsigned char) bytes [cut] & 0xC0) == 0x80)
                cut--;
            if (cut || column > 1)
                run = cut;
        }
        memcpy (out, bytes, run);
        out += run;
        column += run;
        bytes += run;
        size -= run;
        if (size) {
            memcpy (out, "\r\n ", 3);
            out += 3;
            column = 1;
        }
    }
    text->length = (size_t) (out - text->data);
    text->column = column;
    text->data [text->length] = 0;
}

static void
s_puts (s_text_t *text, const char *string)
{
    s_put (text, string, strlen (string));
}

//  Append VALUE as an iCalendar TEXT value (RFC 5545 3.3.11): backslash,
//  semicolon and comma escaped, a line break (LF, CRLF or CR) as \n.  Or,
//  LOOKALIKE, as the value of X-WR-CALNAME, which ical.js (Thunderbird)
//  shows as written, without unescaping it: these characters as ones that
//  need no escape and look alike (a comma as U+201A, a semicolon as U+FF1B,
//  a backslash as U+FF3C), a line break as a space; NAME keeps the exact
//  name, escaped (RFC 7986).
static void
s_text_value (s_text_t *text, const char *value, int lookalike)
{
    const char *c = value;
    while (*c) {
        size_t plain = strcspn (c, "\\;,\r\n");
        s_put (text, c, plain);
        c += plain;
        if (!*c)
            break;
        if (lookalike)
            s_puts (text, *c == ',' ? "\u201A" : *c == ';' ? "\uFF1B"
                        : *c == '\\' ? "\uFF3C" : " ");
        else
        if (*c == '\r' || *c == '\n')
            s_put (text, "\\n", 2);
        else {
            char escape [2] = { '\\', *c };
            s_put (text, escape, 2);
        }
        c += c [0] == '\r' && c [1] == '\n' ? 2 : 1;
    }
}

//  Append VALUE as an iCalendar TEXT value, escaped.
static void
s_escaped (s_text_t *text, const char *value)
{
    s_text_value (text, value, 0);
}

//  End the current content line.
static void
s_end (s_text_t *text)
{
    if (s_room (text, 2))
        return;
    memcpy (text->data + text->length, "\r\n", 3);
    text->length += 2;
    text->column = 0;
}

//  A whole content line NAME (with its parameters, and the colon) VALUE,
//  VALUE written as it is (a URI, a number, a date, a zone name).
static void
s_line (s_text_t *text, const char *name, const char *value)
{
    s_puts (text, name);
    s_puts (text, value);
    s_end (text);
}

//  A whole content line NAME VALUE, VALUE a TEXT value, escaped.
static void
s_text_line (s_text_t *text, const char *name, const char *value)
{
    s_puts (text, name);
    s_escaped (text, value);
    s_end (text);
}

//  TIME_MS as an iCalendar UTC date-time (20300317T174640Z) into BUF.
static void
s_utc_stamp (int64_t time_ms, char *buf, size_t size)
{
    time_t seconds = (time_t) (time_ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    strftime (buf, size, "%Y%m%dT%H%M%SZ", &tm);
}

//  Date TEXT (YYYY-MM-DD) plus DAYS as an iCalendar DATE (20300330) into
//  BUF.  0, or -1 when TEXT is not a date.
static int
s_date (const char *text, int days, char *buf, size_t size)
{
    int year, month, day;
    char rest;
    if (!text || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &rest) != 3
    ||  month < 1 || month > 12 || day < 1 || day > 31)
        return -1;
    struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day + days,
                     .tm_hour = 12 };
    time_t noon = timegm (&tm);
    gmtime_r (&noon, &tm);
    snprintf (buf, size, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return 0;
}

//  SECONDS as an iCalendar DURATION (PT1H, P1D, P1DT2H30M) into BUF.
static void
s_duration (int seconds, char *buf, size_t size)
{
    int days = seconds / 86400, rest = seconds % 86400;
    int used = snprintf (buf, size, "P");
    if (days)
        used += snprintf (buf + used, size - (size_t) used, "%dD", days);
    if (rest || !days) {
        used += snprintf (buf + used, size - (size_t) used, "T");
        if (rest / 3600)
            used += snprintf (buf + used, size - (size_t) used, "%dH", rest / 3600);
        if (rest % 3600 / 60)
            used += snprintf (buf + used, size - (size_t) used, "%dM", rest % 3600 / 60);
        if (rest % 60 || !rest)
            snprintf (buf + used, size - (size_t) used, "%dS", rest % 60);
    }
}

calendar_render_t *
calendar_render_new (void)
{
    return calloc (1, sizeof (calendar_render_t));
}

void
calendar_render_destroy (calendar_render_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    calendar_render_t *self = *self_p;
    free (self->events.data);
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
s_append_line (char *text, size_t size, const char *line)
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
    s_append_line (text, size, item->meeting_title);
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
        s_append_line (text, size, line);
    }
    json_decref (items);
    if (item->documents && *item->documents) {
        s_append_line (text, size, "Documents:");
        s_append_line (text, size, item->documents);
    }
}

int
calendar_render_add (calendar_render_t *self, const calendar_item_t *item)
{
    int is_session = item->session != NULL;
    int cancelled = strcmp (item->status, "cancelled") == 0;
    char uid [PL_ICAL_UID_MAX], stamp [32], text [S_TEXT_MAX];
    char first [PL_ICAL_TIME_MAX], last [PL_ICAL_TIME_MAX];
    if (is_session) {
        pl_ical_uid_session (uid, sizeof uid, item->meeting, item->session);
        if (!item->tz || strcmp (item->tz, self->known)) {
            if (!pl_ical_zone_known (item->tz)) {
                pl_error ("calendar: unknown time zone tz=%s meeting=%s", item->tz,
                          item->meeting);
                return -1;
            }
            snprintf (self->known, sizeof self->known, "%s", item->tz);
        }
        int needs_zone = 0;
        if (pl_ical_session_text (item->start, item->end, item->tz, first, last,
                                  sizeof first, &needs_zone)) {
            pl_error ("calendar: malformed time meeting=%s session=%s start=%s end=%s",
                      item->meeting, item->session, item->start, item->end);
            return -1;
        }
        if (needs_zone && s_use_zone (self, item->tz))
            return -1;
    }
    else {
        pl_ical_uid_meeting (uid, sizeof uid, item->meeting);
        //  DTEND is exclusive: the day after the last
        strcpy (first, ";VALUE=DATE:");
        strcpy (last, ";VALUE=DATE:");
        if (s_date (item->start, 0, first + 12, sizeof first - 12)
        ||  s_date (item->end, 1, last + 12, sizeof last - 12)) {
            pl_error ("calendar: malformed date meeting=%s start=%s end=%s", item->meeting,
                      item->start, item->end);
            return -1;
        }
    }
    s_text_t *out = &self->events;
    if (!out->data && s_room (out, 8 * S_EVENT_BYTES))
        return -1;
    s_utc_stamp (item->modified_ms, stamp, sizeof stamp);
    s_line (out, "BEGIN:", "VEVENT");
    s_line (out, "UID:", uid);
    s_line (out, "DTSTAMP:", stamp);
    s_line (out, "LAST-MODIFIED:", stamp);
    snprintf (text, sizeof text, "%lld", (long long) item->sequence);
    s_line (out, "SEQUENCE:", text);
    s_line (out, "DTSTART", first);
    s_line (out, "DTEND", last);
    s_puts (out, "SUMMARY:");
    if (cancelled)
        s_puts (out, "[CANCELLED] ");
    s_escaped (out, is_session ? item->title : item->meeting_title);
    s_end (out);
    s_puts (out, "LOCATION:");
    s_escaped (out, item->venue);
    if (is_session && item->room && *item->room) {
        s_puts (out, "\\, ");
        s_escaped (out, item->room);
    }
    s_end (out);
    if (is_session)
        s_session_description (item, text, sizeof text);
    else
        snprintf (text, sizeof text, "%s", item->description ? item->description : "");
    if (*text)
        s_text_line (out, "DESCRIPTION:", text);
    if (item->url && *item->url)
        s_line (out, "URL:", item->url);
    //  CATEGORIES is a list: each value escaped, commas between them
    s_puts (out, "CATEGORIES:");
    s_escaped (out, item->convention);
    s_puts (out, ",");
    s_escaped (out, s_kind_label (item->kind));
    s_end (out);
    s_line (out, "STATUS:", cancelled ? "CANCELLED" : item->tentative ? "TENTATIVE" : "CONFIRMED");
    //  The meeting's bar spans whole days and must not mark them busy:
    //  its sessions say when the delegate is busy.
    s_line (out, "TRANSP:", is_session && !cancelled ? "OPAQUE" : "TRANSPARENT");
    s_line (out, "END:", "VEVENT");
    if (out->failed)
        return -1;
    self->count++;
    return 0;
}

static int
s_compare_names (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

char *
calendar_render_finish (calendar_render_t *self, const calendar_head_t *head)
{
    s_text_t out = { 0 };
    const char *tz = head->tz && *head->tz ? head->tz : "UTC";
    char refresh [64];
    s_duration (head->refresh_s, refresh, sizeof refresh);
    if (s_room (&out, self->events.length + 4096))
        goto failed;
    s_line (&out, "BEGIN:", "VCALENDAR");
    s_line (&out, "PRODID:", S_PRODID);
    s_line (&out, "VERSION:", "2.0");
    s_line (&out, "CALSCALE:", "GREGORIAN");
    s_text_line (&out, "NAME:", head->name);
    s_puts (&out, "X-WR-CALNAME:");
    s_text_value (&out, head->name, 1);
    s_end (&out);
    s_line (&out, "X-WR-TIMEZONE:", tz);
    s_line (&out, "REFRESH-INTERVAL;VALUE=DURATION:", refresh);
    s_line (&out, "X-PUBLISHED-TTL:", refresh);
    if (head->source && *head->source) {
        s_line (&out, "SOURCE;VALUE=URI:", head->source);
        s_line (&out, "URL:", head->source);
    }
    if (self->zone_count > 1)       //  (qsort of nothing may be given no array)
        qsort (self->zones, self->zone_count, sizeof self->zones [0], s_compare_names);
    for (size_t i = 0; i < self->zone_count; i++) {
        icalcomponent *vtimezone = pl_ical_vtimezone (self->zones [i]);
        char *zone = vtimezone ? icalcomponent_as_ical_string_r (vtimezone) : NULL;
        char *folded = zone ? pl_ical_fold (zone) : NULL;
        if (folded && !s_room (&out, strlen (folded))) {
            memcpy (out.data + out.length, folded, strlen (folded) + 1);
            out.length += strlen (folded);
        }
        free (folded);
        free (zone);
        if (vtimezone)
            icalcomponent_free (vtimezone);
        if (!folded) {
            pl_error ("calendar: no time zone definition for tz=%s", self->zones [i]);
            free (out.data);
            return NULL;
        }
    }
    if (self->events.failed || s_room (&out, self->events.length))
        goto failed;
    if (self->events.length) {
        memcpy (out.data + out.length, self->events.data, self->events.length + 1);
        out.length += self->events.length;
    }
    s_line (&out, "END:", "VCALENDAR");
    if (out.failed)
        goto failed;
    return out.data;
failed:
    pl_error ("calendar: out of memory writing a feed of %zu events", self->count);
    free (out.data);
    return NULL;
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
    S_CHECK (strstr (first, "\r\nNAME:CCM — 第十三次缔约国会议\\, Geneva\r\n"), "escaped NAME");
    S_CHECK (strstr (first, "X-WR-CALNAME:CCM — 第十三次缔约国会议\u201A Geneva\r\n"),
             "X-WR-CALNAME without escapes, a comma as U+201A");
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

    //  What libical reads back is what went in: every character that
    //  needs escaping, line breaks of three kinds, a TAB, lines long
    //  enough to fold in the middle of multi-octet characters
    calendar_item_t tricky = session;
    tricky.title = "Semi; colon, comma \\ backslash\nLF\r\nCRLF\rCR\ttab — "
                   "全体会议全体会议全体会议全体会议全体会议全体会议全体会议全体会议 "
                   "пленарное заседание пленарное заседание";
    tricky.venue = "Geneva; \"Palais des Nations\"";
    tricky.room = "Room XIX, Building E";
    tricky.status = "scheduled";
    render = calendar_render_new ();
    S_CHECK (render && calendar_render_add (render, &tricky) == 0, "add tricky text");
    free (second);
    second = calendar_render_finish (render, &head);
    calendar_render_destroy (&render);
    S_CHECK (second && calendar_render_check (second, err, sizeof err) == 0, err);
    icalcomponent *parsed = icalparser_parse_string (second);
    icalcomponent *event = parsed ? icalcomponent_get_first_component (parsed,
                                                                       ICAL_VEVENT_COMPONENT)
                                  : NULL;
    const char *summary = event ? icalcomponent_get_summary (event) : NULL;
    const char *location = event ? icalcomponent_get_location (event) : NULL;
    const char *description = event ? icalcomponent_get_description (event) : NULL;
    const char *name = parsed ? icalproperty_get_name (icalcomponent_get_first_property (
                                    parsed, ICAL_NAME_PROPERTY)) : NULL;
    int same = summary && location && description && name
            && strcmp (summary, "Semi; colon, comma \\ backslash\nLF\nCRLF\nCR\ttab — "
                       "全体会议全体会议全体会议全体会议全体会议全体会议全体会议全体会议 "
                       "пленарное заседание пленарное заседание") == 0
            && strcmp (location, "Geneva; \"Palais des Nations\", Room XIX, Building E") == 0
            && strncmp (description, meeting.meeting_title, strlen (meeting.meeting_title)) == 0
            && strstr (description, "\nAgenda items: 8(a), 9(h)(i)\nDocuments:\n8(a) CCM/MSP/2030/5")
            && strcmp (name, head.name) == 0;
    if (parsed)
        icalcomponent_free (parsed);
    S_CHECK (same, "libical reads back every text as it went in");

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
