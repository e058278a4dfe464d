/*  pl_settings_table — the one table of every program's settings (see
    pl_settings.h): its key (the long flag's name), the programs that take
    it, whether [plenary] may hold it for all of them, its environment
    variable, what it takes (bounds from pl_config.h) and where it lives in
    pl_config_t when it does.  A program binds the rest to its own fields;
    their values when bound are the defaults.  A new setting is a row here
    (HACKING.md, "Add a setting"). */
#include "pl_settings_internal.h"
#include "pl_queries.h"

#include <stddef.h>

//  The programs, each a bit and a section of the file
const pl_settings_program_t pl_settings_programs [] = {
    { "broker",   "plenaryd",         B },
    { "records",  "plenary-records",  R },
    { "calendar", "plenary-calendar", C },
    { "archive",  "plenary-archive",  A },
    { "notify",   "plenary-notify",   N },
    { "gateway",  "plenary-gateway",  G },
    { "client",   "plenary",          L },
};

#define S_TEXT_MAX (PL_ENDPOINT_MAX - 1)
#define S_INT_MAX 2147483647LL
#define S_OF PL_SETTINGS_OF

const pl_settings_row_t pl_settings_table [] = {
    //  What every program shares ([plenary])
    { "data",       B | W | G | L, 1, "PLENARY_DATA",     S_TEXT, 1, S_TEXT_MAX, 0, NULL, S_OF (data) },
    { "endpoint",   B | G | L,     1, "PLENARY_ENDPOINT", S_TEXT, 1, S_TEXT_MAX, 0, NULL, S_OF (endpoint) },
    { "backend",    B | W | L,     1, "PLENARY_BACKEND",  S_TEXT, 1, S_TEXT_MAX, 0, NULL, S_OF (backend) },
    { "pub",        B | G | L,     1, "PLENARY_PUB",      S_TEXT, 1, S_TEXT_MAX, 0, NULL, S_OF (pub) },
    { "http",       G | N | L,     1, "PLENARY_HTTP",     S_TEXT, 1, S_TEXT_MAX, 0, NULL, S_OF (http) },
    { "public-url", G | N | L,     1, "PLENARY_PUBLIC_URL", S_TEXT, 0, S_TEXT_MAX, 0, NULL, -1 },
    //  Each program's key file, when the broker requires keys
    { "cert",       W | G | L,     0, "PLENARY_CERT",     S_TEXT, 0, S_TEXT_MAX, 0, NULL, S_OF (cert) },
    //  plenaryd
    { "heartbeat",      B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (heartbeat_ms) },
    { "ack-timeout",    B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (ack_timeout_ms) },
    { "max-deliveries", B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (max_deliveries) },
    { "query-timeout",  B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (query_timeout_ms) },
    { "max-receipt-wait", B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (max_receipt_wait_ms) },
    { "max-pending",    B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (max_pending) },
    { "max-batch",      B, 0, NULL, S_NUMBER, 1, PL_MAX_BATCH_MAX, 0, NULL, S_OF (max_batch) },
    { "max-frame",      B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (max_frame) },
    { "max-message",    B, 0, NULL, S_NUMBER, 1, S_INT_MAX, 0, NULL, S_OF (max_message) },
    { "loopback-role",  B, 0, NULL, S_CHOICE, 0, 31, 0, "secretariat, record-keeper, delegate, public",
      S_OF (loopback_role) },
    { "insecure",       B | G, 0, NULL, S_SWITCH, 0, 1, 0, NULL, -1 },
    //  The workers
    { "credit",         W, 0, NULL, S_NUMBER, 1, PL_WORKER_CREDIT_MAX, 0, NULL, S_OF (worker_credit) },
    { "query-threads",  W, 0, NULL, S_NUMBER, 0, PL_QUERY_THREADS_MAX, 0, NULL, S_OF (query_threads) },
    { "query-timeout",  W, 0, NULL, S_NUMBER, PL_WORKER_QUERY_TIMEOUT_MIN,
      PL_WORKER_QUERY_TIMEOUT_MAX, 0, NULL, S_OF (query_timeout_ms) },
    //  plenary-notify (its relay's login stays in the environment, a secret:
    //  PLENARY_SMTP_USER, PLENARY_SMTP_PASSWORD)
    { "smtp",           N, 0, "PLENARY_SMTP", S_TEXT, 0, 511, 0, NULL, -1 },
    { "from",           N, 0, "PLENARY_MAIL_FROM", S_TEXT, 0, S_TEXT_MAX, 0, NULL, -1 },
    { "templates",      N, 0, NULL, S_TEXT, 0, PL_SETTINGS_PATH_MAX, 0, NULL, -1 },
    { "secretariat",    N, 0, "PLENARY_SECRETARIAT_MAIL", S_TEXT, 0, S_TEXT_MAX, 0, NULL, -1 },
    { "digest-at",      N, 0, NULL, S_TEXT, 1, 7, 0, NULL, -1 },
    { "digest-tz",      N, 0, NULL, S_TEXT, 1, 63, 0, NULL, -1 },
    { "batch",          N, 0, NULL, S_NUMBER, 1, PL_NOTIFY_BATCH_MAX, 1000, NULL, -1 },
    { "rate",           N, 0, NULL, S_NUMBER, 1, PL_NOTIFY_RATE_MAX, 0, NULL, -1 },
    { "retry",          N, 0, NULL, S_NUMBER, PL_NOTIFY_RETRY_MIN, PL_NOTIFY_RETRY_MAX, 0, NULL, -1 },
    //  plenary-gateway
    { "tls-cert",       G, 0, NULL, S_TEXT, 0, PL_SETTINGS_PATH_MAX, 0, NULL, -1 },
    { "tls-key",        G, 0, NULL, S_TEXT, 0, PL_SETTINGS_PATH_MAX, 0, NULL, -1 },
    { "behind-proxy",   G, 0, NULL, S_SWITCH, 0, 1, 0, NULL, -1 },
    { "threads",        G, 0, NULL, S_NUMBER, 1, PL_GATEWAY_THREADS_MAX, 0, NULL, -1 },
    { "cache-ms",       G, 0, NULL, S_NUMBER, 0, PL_GATEWAY_CACHE_MS_MAX, 0, NULL, -1 },
    { "cache-mb",       G, 0, NULL, S_NUMBER, 1, PL_GATEWAY_CACHE_MB_MAX, 1 << 20, NULL, -1 },
    { "max-connections", G, 0, NULL, S_NUMBER, 1, PL_GATEWAY_CONNECTIONS_MAX, 0, NULL, -1 },
    { "per-ip-limit",   G, 0, NULL, S_NUMBER, 0, PL_GATEWAY_CONNECTIONS_MAX, 0, NULL, -1 },
    { "header-timeout", G, 0, NULL, S_NUMBER, 1, PL_GATEWAY_HEADER_TIMEOUT_MAX, 0, NULL, -1 },
    //  plenary, the CLI
    { "timeout",        L, 0, NULL, S_NUMBER, 1, PL_CLIENT_TIMEOUT_MAX, 0, NULL, -1 },
};

const size_t pl_settings_programs_count = sizeof pl_settings_programs / sizeof pl_settings_programs [0];
const size_t pl_settings_table_count = sizeof pl_settings_table / sizeof pl_settings_table [0];
_Static_assert (sizeof pl_settings_table / sizeof pl_settings_table [0] <= PL_SETTINGS_ROWS_MAX,
                "pl_settings: raise PL_SETTINGS_ROWS_MAX");
