/*  pl_zone — wall-clock times in a time zone, from the system's tz
    database (tzdata) through libical.

    A session's start and end are wall-clock times in its meeting's zone,
    YYYY-MM-DDTHH:MM[:SS], with optionally the UTC offset in force then,
    ±HH:MM, which tells apart the two occurrences of a time that happens
    twice when clocks go back.  pl_zone_resolve says whether such a time
    exists in a zone (clocks skip the times of a gap), happens once or
    twice, and at which instant; the records worker refuses a time that does
    not exist, one that happens twice without the offset that picks one, and
    an offset the zone does not have then.  No table of ours: libical reads
    each zone from the system's tz database, as for the calendar's feeds.

        pl_zone_local_t local;
        pl_zone_answer_t answer;
        if (pl_zone_parse ("2025-10-26T02:30", &local) == 0
        &&  pl_zone_resolve ("Europe/Zurich", &local, &answer) == 0
        &&  answer.fit == PL_ZONE_TWICE)
            ... answer.offsets [0] is 7200, answer.offsets [1] 3600

    libical keeps the zones it read in a process-wide cache that is not
    thread-safe: call pl_zone from one thread (a worker's loop). */
#ifndef PL_ZONE_H_INCLUDED
#define PL_ZONE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

//  A wall-clock time as written, with the offset when one was given.
typedef struct {
    int year, month, day, hour, minute, second;
    int has_offset;                 //  ±HH:MM was given
    int offset_s;                   //  then: seconds east of UTC
} pl_zone_local_t;

typedef enum {
    PL_ZONE_VALID,                  //  it happens once, or twice and the offset picks one
    PL_ZONE_GAP,                    //  clocks skip it: it does not exist
    PL_ZONE_TWICE,                  //  it happens twice and no offset says which
    PL_ZONE_BAD_OFFSET              //  the offset given is not one the zone has then
} pl_zone_fit_t;

//  What a wall-clock time is in a zone.
typedef struct {
    pl_zone_fit_t fit;
    int64_t utc;                    //  VALID: the instant, seconds since the epoch
    int count;                      //  how often the time happens: 0 (gap), 1 or 2
    int offsets [2];                //  the offsets of those occurrences, earlier first
    //  GAP and TWICE: the change of clocks, in wall-clock time of the zone
    char change_day [16];           //  YYYY-MM-DD
    char change_from [16];          //  HH:MM: the clocks go from this...
    char change_to [16];            //  ...to this
} pl_zone_answer_t;

//  Parse TEXT, YYYY-MM-DDTHH:MM[:SS][±HH:MM] (the schema's local-time
//  type), into *LOCAL.  0, or -1 when it has another form.
int pl_zone_parse (const char *text, pl_zone_local_t *local);

//  What LOCAL is in zone TZ (an IANA name, or UTC), into *ANSWER.  0, or
//  -1 when the tz database has no such zone.
int pl_zone_resolve (const char *tz, const pl_zone_local_t *local, pl_zone_answer_t *answer);

//  The instant of TEXT, an RFC 3339 timestamp (Z or ±HH:MM, fractions of
//  seconds dropped), into *UTC, seconds since the epoch.  0 or -1.
int pl_zone_timestamp (const char *text, int64_t *utc);

//  The wall-clock date (YYYY-MM-DD) in zone TZ at instant UTC into DATE
//  (at least 11 bytes).  0, or -1 when the zone is unknown.
int pl_zone_local_date (const char *tz, int64_t utc, char *date, size_t size);

//  OFFSET_S (seconds east of UTC) as ±HH:MM into BUF (at least 7 bytes).
void pl_zone_offset_text (int offset_s, char *buf, size_t size);

//  Self-test: gaps and overlaps in both hemispheres, a half-hour change,
//  a zone without changes, offsets that pick and offsets that do not.  0
//  when all pass.
int pl_zone_test (int verbose);

#endif
