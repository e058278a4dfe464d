/*  pl_log — the one logging facade: one line per record on stderr.

    The threshold comes from PLENARY_LOG (error|warn|info|debug) on every
    call; getenv is cheap next to a write(2), and this keeps the module free
    of mutable global state.  Each record is formatted into one buffer and
    written with a single write so that lines of concurrent processes that
    share a stderr (plenary up) do not interleave. */
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static pl_log_level_t
s_threshold (void)
{
    const char *level = getenv ("PLENARY_LOG");
    if (!level || !*level)
        return PL_LOG_INFO;
    if (strcasecmp (level, "error") == 0) return PL_LOG_ERROR;
    if (strcasecmp (level, "warn") == 0)  return PL_LOG_WARN;
    if (strcasecmp (level, "debug") == 0) return PL_LOG_DEBUG;
    return PL_LOG_INFO;
}

int
pl_log_enabled (pl_log_level_t level)
{
    return level <= s_threshold ();
}

void
pl_log_v (pl_log_level_t level, const char *format, va_list args)
{
    if (!pl_log_enabled (level))
        return;
    static const char letters [] = "EWID";
    char line [2048];
    int used;
    const char *as = getenv ("PLENARY_LOG_AS");
    if (as && *as)
        //  A command's line, as its other messages: "plenary: client: ..."
        used = snprintf (line, sizeof line, "%.64s: ", as);
    else {
        struct timespec now;
        clock_gettime (CLOCK_REALTIME, &now);
        struct tm tm;
        gmtime_r (&now.tv_sec, &tm);
        used = snprintf (line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %c ",
                         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                         tm.tm_hour, tm.tm_min, tm.tm_sec, now.tv_nsec / 1000000,
                         letters [level]);
    }
    int rest = vsnprintf (line + used, sizeof line - used - 1, format, args);
    size_t length = (size_t) used
                  + (rest < 0 ? 0 : (size_t) rest >= sizeof line - used - 1
                                    ? sizeof line - used - 2 : (size_t) rest);
    line [length++] = '\n';
    ssize_t written = write (STDERR_FILENO, line, length);
    (void) written;             //  nowhere left to report a failing stderr
}

void
pl_log (pl_log_level_t level, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    pl_log_v (level, format, args);
    va_end (args);
}
