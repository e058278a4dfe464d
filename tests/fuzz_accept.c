/*  fuzz_accept — libFuzzer target for the gateway's reading of
    Accept-Encoding (gw_feed_accepts_gzip), against an independent reading
    of RFC 9110 12.5.3 written here another way.

    The input is a header value as a client could send it (cut at a NUL, as
    libmicrohttpd hands it over).  Whatever it is, the gateway's answer is
    0 or 1, never a crash or a hang, and it is the reference's: split at
    commas; an element's coding is its text after spaces and tabs up to a
    space, tab or semicolon; what follows is pieces between semicolons,
    each read after its spaces and tabs, and the last "q=" one says the q,
    zero when no digit 1 to 9 stands in its value (up to a space or tab);
    gzip (or x-gzip) is accepted when any element naming it has a q above
    0, else when no element names it and "*" has a q above 0 (the last "*"
    said).
    Build with clang and -DPL_FUZZ=ON; the seeds are in tests/fuzz/accept:
        build/fuzz_accept -max_total_time=60 tests/fuzz/accept */
#include "gw_feed.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

//  The length of TEXT's first LENGTH bytes before any of STOP.
static size_t
s_before (const char *text, size_t length, const char *stop)
{
    size_t i = 0;
    while (i < length && !strchr (stop, text [i]))
        i++;
    return i;
}

//  The reference reading: 1 when gzip is accepted.
static int
s_reference (const char *header)
{
    int gzip = -1, star = -1;
    const char *element = header;
    while (1) {
        const char *comma = strchr (element, ',');
        size_t length = comma ? (size_t) (comma - element) : strlen (element);
        //  The coding: after spaces and tabs, up to a space, tab or semicolon
        size_t skip = 0;
        while (skip < length && (element [skip] == ' ' || element [skip] == '\t'))
            skip++;
        const char *name = element + skip;
        size_t name_length = s_before (name, length - skip, " \t;");
        //  Then pieces between semicolons, each after its spaces and tabs;
        //  the last "q=" says (a value runs to a space or tab)
        int positive = 1;
        const char *piece = name + name_length, *end = element + length;
        while (piece < end) {
            size_t piece_length = s_before (piece, (size_t) (end - piece), ";");
            const char *p = piece;
            size_t left = piece_length;
            while (left && (*p == ' ' || *p == '\t')) {
                p++;
                left--;
            }
            if (left >= 2 && (p [0] == 'q' || p [0] == 'Q') && p [1] == '=') {
                positive = 0;
                for (size_t i = 2; i < left && p [i] != ' ' && p [i] != '\t'; i++)
                    if (p [i] >= '1' && p [i] <= '9')
                        positive = 1;
            }
            piece += piece_length + 1;
        }
        if ((name_length == 4 && strncasecmp (name, "gzip", 4) == 0)
        ||  (name_length == 6 && strncasecmp (name, "x-gzip", 6) == 0))
            gzip = gzip == 1 ? 1 : positive;
        else
        if (name_length == 1 && *name == '*')
            star = positive;
        if (!comma)
            break;
        element = comma + 1;
    }
    return gzip >= 0 ? gzip : star == 1;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *header = malloc (size + 1);
    if (!header)
        return 0;
    memcpy (header, data, size);
    header [size] = 0;
    int answer = gw_feed_accepts_gzip (header);
    assert (answer == 0 || answer == 1);
    assert (answer == s_reference (header));
    free (header);
    return 0;
}
