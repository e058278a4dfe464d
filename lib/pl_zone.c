/*  pl_zone — wall-clock times in a time zone (see pl_zone.h).

    libical answers one question: the UTC offset of a zone at an instant.
    A wall-clock time L (read as if it were UTC) happens at the instant
    L - offset for each offset the zone has near L that maps back to L: the
    candidates are the offsets a day before and a day after, each checked;
    none is a gap, two an overlap.  Between those two days the change of
    clocks is found by bisection to the second, to name it in messages. */
#include "pl_zone.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

//  Candidates for a wall-clock time's offset are read this far on either
//  side: no zone changes its clocks twice within two days.
#define S_NEAR_S 86400

//  The zone named TZ, or NULL.  Borrowed from libical's cache.
static icaltimezone *
s_zone (const char *tz)
{
    if (!tz)
        return NULL;
    if (strcmp (tz, "UTC") == 0 || strcmp (tz, "Etc/UTC") == 0)
        return icaltimezone_get_utc_timezone ();
    return icaltimezone_get_builtin_timezone (tz);
}

//  The offset (seconds east of UTC) of ZONE at instant UTC.
static int
s_offset_at (icaltimezone *zone, int64_t utc)
{
    struct icaltimetype time = icaltime_from_timet_with_zone ((time_t) utc, 0,
                                                              icaltimezone_get_utc_timezone ());
    int daylight;
    return icaltimezone_get_utc_offset_of_utc_time (zone, &time, &daylight);
}

//  COUNT decimal digits at TEXT into *NUMBER.  0 or -1.
static int
s_digits (const char *text, int count, int *number)
{
    int result = 0;
    for (int at = 0; at < count; at++) {
        if (text [at] < '0' || text [at] > '9')
            return -1;
        result = result * 10 + text [at] - '0';
    }
    *number = result;
    return 0;
}

//  "±HH:MM" at TEXT into *OFFSET_S.  0 or -1.
static int
s_offset (const char *text, int *offset_s)
{
    int hours, minutes;
    if ((text [0] != '+' && text [0] != '-') || s_digits (text + 1, 2, &hours)
    ||  text [3] != ':' || s_digits (text + 4, 2, &minutes) || text [6] || minutes > 59)
        return -1;
    *offset_s = (text [0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    return 0;
}

int
pl_zone_parse (const char *text, pl_zone_local_t *local)
{
    memset (local, 0, sizeof *local);
    size_t length = strlen (text);
    if (length < 16
    ||  s_digits (text, 4, &local->year) || text [4] != '-'
    ||  s_digits (text + 5, 2, &local->month) || text [7] != '-'
    ||  s_digits (text + 8, 2, &local->day) || text [10] != 'T'
    ||  s_digits (text + 11, 2, &local->hour) || text [13] != ':'
    ||  s_digits (text + 14, 2, &local->minute))
        return -1;
    const char *rest = text + 16;
    if (*rest == ':') {
        if (s_digits (rest + 1, 2, &local->second))
            return -1;
        rest += 3;
    }
    if (*rest) {
        if (s_offset (rest, &local->offset_s))
            return -1;
        local->has_offset = 1;
    }
    return 0;
}

//  LOCAL's fields as seconds since the epoch, read as if UTC.
static int64_t
s_wall (const pl_zone_local_t *local)
{
    struct tm tm = {
        .tm_year = local->year - 1900, .tm_mon = local->month - 1, .tm_mday = local->day,
        .tm_hour = local->hour, .tm_min = local->minute, .tm_sec = local->second
    };
    return (int64_t) timegm (&tm);
}

//  WALL (seconds, read as UTC) as DATE YYYY-MM-DD and CLOCK HH:MM.
static void
s_wall_text (int64_t wall, char *date, size_t date_size, char *clock, size_t clock_size)
{
    time_t seconds = (time_t) wall;
    struct tm tm;
    gmtime_r (&seconds, &tm);
    if (date && strftime (date, date_size, "%Y-%m-%d", &tm) == 0)
        date [0] = 0;
    if (clock && strftime (clock, clock_size, "%H:%M", &tm) == 0)
        clock [0] = 0;
}

//  The change of ZONE's clocks between instants LOW (offset BEFORE) and
//  HIGH (another offset, AFTER), in wall-clock time, into ANSWER.
static void
s_change (icaltimezone *zone, int64_t low, int64_t high, int before, int after,
          pl_zone_answer_t *answer)
{
    while (high - low > 1) {
        int64_t middle = low + (high - low) / 2;
        if (s_offset_at (zone, middle) == before)
            low = middle;
        else
            high = middle;
    }
    //  HIGH is the first second of the new offset
    s_wall_text (high + before, answer->change_day, sizeof answer->change_day,
                 answer->change_from, sizeof answer->change_from);
    s_wall_text (high + after, NULL, 0, answer->change_to, sizeof answer->change_to);
}

int
pl_zone_resolve (const char *tz, const pl_zone_local_t *local, pl_zone_answer_t *answer)
{
    memset (answer, 0, sizeof *answer);
    icaltimezone *zone = s_zone (tz);
    if (!zone)
        return -1;
    int64_t wall = s_wall (local);
    int before = s_offset_at (zone, wall - S_NEAR_S);
    int after = s_offset_at (zone, wall + S_NEAR_S);
    //  Each candidate offset, earlier instant first, that maps back to WALL
    int candidates [2] = { before, after };
    int count = before == after ? 1 : 2;
    if (count == 2 && wall - after < wall - before) {
        candidates [0] = after;
        candidates [1] = before;
    }
    for (int i = 0; i < count; i++)
        if (s_offset_at (zone, wall - candidates [i]) == candidates [i])
            answer->offsets [answer->count++] = candidates [i];
    if (before != after && answer->count != 1)
        s_change (zone, wall - S_NEAR_S, wall + S_NEAR_S, before, after, answer);
    if (answer->count == 0) {
        answer->fit = PL_ZONE_GAP;
        return 0;
    }
    if (local->has_offset) {
        int index = 0;
        while (index < answer->count && answer->offsets [index] != local->offset_s)
            index++;
        answer->fit = index < answer->count ? PL_ZONE_VALID : PL_ZONE_BAD_OFFSET;
        answer->utc = wall - local->offset_s;
        return 0;
    }
    answer->fit = answer->count == 1 ? PL_ZONE_VALID : PL_ZONE_TWICE;
    answer->utc = wall - answer->offsets [0];
    return 0;
}

int
pl_zone_timestamp (const char *text, int64_t *utc)
{
    pl_zone_local_t local;
    size_t length = strlen (text);
    if (length < 20 || text [16] != ':')
        return -1;
    //  The date and time with seconds, then the zone after any fraction
    char head [20];
    memcpy (head, text, 19);
    head [19] = 0;
    const char *zone = text + 19;
    if (*zone == '.')
        for (zone++; *zone >= '0' && *zone <= '9'; zone++)
            ;
    int offset_s = 0;
    if (pl_zone_parse (head, &local) || (strcmp (zone, "Z") && s_offset (zone, &offset_s)))
        return -1;
    *utc = s_wall (&local) - offset_s;
    return 0;
}

int
pl_zone_local_date (const char *tz, int64_t utc, char *date, size_t size)
{
    icaltimezone *zone = s_zone (tz);
    if (!zone)
        return -1;
    s_wall_text (utc + s_offset_at (zone, utc), date, size, NULL, 0);
    return 0;
}

void
pl_zone_offset_text (int offset_s, char *buf, size_t size)
{
    int magnitude = offset_s < 0 ? -offset_s : offset_s;
    snprintf (buf, size, "%c%02d:%02d", offset_s < 0 ? '-' : '+', magnitude / 3600,
              magnitude % 3600 / 60);
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_zone_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

//  One wall-clock time in a zone and what it must be.
static const struct {
    const char *tz;
    const char *local;
    pl_zone_fit_t fit;
    const char *offsets;            //  "+02:00" or "+02:00 +01:00"; "" for a gap
    const char *utc;                //  VALID: the instant
    const char *change;             //  GAP, TWICE: "DAY FROM TO"
} s_cases [] = {
    { "Europe/Zurich", "2025-09-15T10:00", PL_ZONE_VALID, "+02:00", "2025-09-15T08:00:00Z", NULL },
    { "Europe/Zurich", "2025-01-15T10:00:30", PL_ZONE_VALID, "+01:00", "2025-01-15T09:00:30Z", NULL },
    { "Europe/Zurich", "2025-03-30T02:30", PL_ZONE_GAP, "", NULL, "2025-03-30 02:00 03:00" },
    { "Europe/Zurich", "2025-03-30T02:00", PL_ZONE_GAP, "", NULL, "2025-03-30 02:00 03:00" },
    { "Europe/Zurich", "2025-03-30T03:00", PL_ZONE_VALID, "+02:00", "2025-03-30T01:00:00Z", NULL },
    { "Europe/Zurich", "2025-03-30T01:59:59", PL_ZONE_VALID, "+01:00", "2025-03-30T00:59:59Z", NULL },
    { "Europe/Zurich", "2025-03-30T02:30+01:00", PL_ZONE_GAP, "", NULL, "2025-03-30 02:00 03:00" },
    { "Europe/Zurich", "2025-10-26T02:30", PL_ZONE_TWICE, "+02:00 +01:00", NULL, "2025-10-26 03:00 02:00" },
    { "Europe/Zurich", "2025-10-26T02:00", PL_ZONE_TWICE, "+02:00 +01:00", NULL, "2025-10-26 03:00 02:00" },
    { "Europe/Zurich", "2025-10-26T03:00", PL_ZONE_VALID, "+01:00", "2025-10-26T02:00:00Z", NULL },
    { "Europe/Zurich", "2025-10-26T02:30+02:00", PL_ZONE_VALID, "+02:00 +01:00", "2025-10-26T00:30:00Z", NULL },
    { "Europe/Zurich", "2025-10-26T02:30+01:00", PL_ZONE_VALID, "+02:00 +01:00", "2025-10-26T01:30:00Z", NULL },
    { "Europe/Zurich", "2025-10-26T02:30+03:00", PL_ZONE_BAD_OFFSET, "+02:00 +01:00", NULL, NULL },
    { "Europe/Zurich", "2025-09-15T10:00+02:00", PL_ZONE_VALID, "+02:00", "2025-09-15T08:00:00Z", NULL },
    { "Europe/Zurich", "2025-09-15T10:00+01:00", PL_ZONE_BAD_OFFSET, "+02:00", NULL, NULL },
    { "Europe/Zurich", "2150-03-29T02:30", PL_ZONE_GAP, "", NULL, "2150-03-29 02:00 03:00" },
    { "America/New_York", "2025-03-09T02:30", PL_ZONE_GAP, "", NULL, "2025-03-09 02:00 03:00" },
    { "America/New_York", "2025-11-02T01:30-05:00", PL_ZONE_VALID, "-04:00 -05:00", "2025-11-02T06:30:00Z", NULL },
    { "Australia/Sydney", "2025-04-06T02:30", PL_ZONE_TWICE, "+11:00 +10:00", NULL, "2025-04-06 03:00 02:00" },
    { "Australia/Sydney", "2025-10-05T02:30", PL_ZONE_GAP, "", NULL, "2025-10-05 02:00 03:00" },
    { "Australia/Lord_Howe", "2025-10-05T02:15", PL_ZONE_GAP, "", NULL, "2025-10-05 02:00 02:30" },
    { "Asia/Tokyo", "2025-03-30T02:30", PL_ZONE_VALID, "+09:00", "2025-03-29T17:30:00Z", NULL },
    { "UTC", "2025-03-30T02:30", PL_ZONE_VALID, "+00:00", "2025-03-30T02:30:00Z", NULL },
    { "UTC", "2025-03-30T02:30+01:00", PL_ZONE_BAD_OFFSET, "+00:00", NULL, NULL },
};

//  ANSWER's offsets as text, space-separated.
static void
s_offsets_text (const pl_zone_answer_t *answer, char *buf, size_t size)
{
    buf [0] = 0;
    for (int i = 0; i < answer->count; i++) {
        char offset [16];
        pl_zone_offset_text (answer->offsets [i], offset, sizeof offset);
        size_t used = strlen (buf);
        snprintf (buf + used, size - used, "%s%s", i ? " " : "", offset);
    }
}

int
pl_zone_test (int verbose)
{
    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases [0]; i++) {
        pl_zone_local_t local;
        pl_zone_answer_t answer;
        char offsets [32], text [64];
        S_CHECK (pl_zone_parse (s_cases [i].local, &local) == 0);
        S_CHECK (pl_zone_resolve (s_cases [i].tz, &local, &answer) == 0);
        s_offsets_text (&answer, offsets, sizeof offsets);
        int right = answer.fit == s_cases [i].fit && strcmp (offsets, s_cases [i].offsets) == 0;
        if (right && s_cases [i].utc) {
            int64_t want;
            S_CHECK (pl_zone_timestamp (s_cases [i].utc, &want) == 0);
            right = answer.utc == want;
        }
        if (right && s_cases [i].change) {
            snprintf (text, sizeof text, "%s %s %s", answer.change_day, answer.change_from,
                      answer.change_to);
            right = strcmp (text, s_cases [i].change) == 0;
        }
        if (!right) {
            fprintf (stderr, "pl_zone_test: %s in %s: fit %d offsets \"%s\" change %s %s %s\n",
                     s_cases [i].local, s_cases [i].tz, (int) answer.fit, offsets,
                     answer.change_day, answer.change_from, answer.change_to);
            return -1;
        }
    }
    //  Malformed times, unknown zones
    pl_zone_local_t local;
    pl_zone_answer_t answer;
    S_CHECK (pl_zone_parse ("2025-09-15 10:00", &local) == -1);
    S_CHECK (pl_zone_parse ("2025-09-15T10:00+2:00", &local) == -1);
    S_CHECK (pl_zone_parse ("2025-09-15T10:00Z", &local) == -1);
    S_CHECK (pl_zone_parse ("2025-09-15T10:00:00-03:30", &local) == 0
             && local.has_offset && local.offset_s == -12600 && local.second == 0);
    S_CHECK (pl_zone_parse ("2025-09-15T10:00", &local) == 0);
    S_CHECK (pl_zone_resolve ("Mars/Olympus_Mons", &local, &answer) == -1);
    //  Timestamps and the dates they fall on in a zone
    int64_t utc;
    char date [16];
    S_CHECK (pl_zone_timestamp ("2030-09-14T22:30:00.250Z", &utc) == 0);
    S_CHECK (pl_zone_local_date ("Europe/Zurich", utc, date, sizeof date) == 0
             && strcmp (date, "2030-09-15") == 0);
    S_CHECK (pl_zone_local_date ("America/New_York", utc, date, sizeof date) == 0
             && strcmp (date, "2030-09-14") == 0);
    S_CHECK (pl_zone_timestamp ("2030-09-15T00:30:00+02:00", &utc) == 0);
    S_CHECK (pl_zone_local_date ("UTC", utc, date, sizeof date) == 0
             && strcmp (date, "2030-09-14") == 0);
    S_CHECK (pl_zone_timestamp ("2030-09-15T00:30:00", &utc) == -1);
    S_CHECK (pl_zone_local_date ("Nowhere/Land", utc, date, sizeof date) == -1);
    if (verbose)
        printf ("pl_zone_test: ok (%zu cases)\n", sizeof s_cases / sizeof s_cases [0]);
    return 0;
}
