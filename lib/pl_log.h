/*  pl_log — the one logging facade of plenary.

    Every daemon logs through these calls, one line per record, to stderr:
        2026-11-23T11:47:19.123Z I broker: accepted seq=42 event_id=abc topic=participant.registered
    Form a message as "component: what key=value ...", naming the peer, the
    sequence number or event id, and the cause.
    The threshold comes from the environment variable PLENARY_LOG
    (error|warn|info|debug, default info), read on each call so that there is
    no mutable global state.  With PLENARY_LOG_AS=NAME a record reads
    "NAME: component: what" instead, without time and level: the CLI sets
    it to "plenary" for itself (its every message starts so), and plenary
    up clears it for the daemons it starts.  No printf outside the CLI's output layer. */
#ifndef PL_LOG_H_INCLUDED
#define PL_LOG_H_INCLUDED

#include <stdarg.h>

typedef enum {
    PL_LOG_ERROR = 0,
    PL_LOG_WARN  = 1,
    PL_LOG_INFO  = 2,
    PL_LOG_DEBUG = 3
} pl_log_level_t;

//  Write one log record at LEVEL; printf-style.
void pl_log (pl_log_level_t level, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));
void pl_log_v (pl_log_level_t level, const char *format, va_list args);

//  True when records at LEVEL would be written (to skip costly formatting).
int pl_log_enabled (pl_log_level_t level);

#define pl_error(...) pl_log (PL_LOG_ERROR, __VA_ARGS__)
#define pl_warn(...)  pl_log (PL_LOG_WARN,  __VA_ARGS__)
#define pl_info(...)  pl_log (PL_LOG_INFO,  __VA_ARGS__)
#define pl_debug(...) pl_log (PL_LOG_DEBUG, __VA_ARGS__)

#endif
