/*  test_archive — self-test of the archive worker's classes and rules.

    In-process, no sockets: the tokenizer's own self-test (the symbol
    parser's, lib/pl_symbol.c, runs in test_lib), the translation of search
    words into FTS5 expressions, and batches of deliveries through archive_worker_handler exactly as the
    pl_worker engine hands them over, on a store in a fresh folder.  Every
    payload is validated against the schema first, and every reply after,
    so the worker is also proven to answer in the shape the codec accepts.
    archive.search is checked against an oracle (test_archive_oracle.c).

    Usage: test_archive [-v] */
#include "archive_store.h"
#include "archive_query.h"
#include "archive_tokenizer.h"
#include "archive_words.h"
#include "archive_worker.h"
#include "pl_facet.h"
#include "pl_schema.h"
#include "test_archive_fixture.h"
#include "test_archive_oracle.h"
#include "pl_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define T0 ARCHIVE_FIXTURE_T0

//  The archive worker in process (test_archive_fixture.h), by this file's
//  older names.
typedef archive_fixture_t fixture_t;

static int
s_fixture (fixture_t *f)
{
    return archive_fixture_open (f);
}

static void
s_fixture_end (fixture_t *f)
{
    archive_fixture_close (f);
}

static int
s_event (fixture_t *f, uint64_t seq, const char *topic, json_t *payload, char *reason)
{
    return archive_fixture_event (f, seq, topic, payload, reason);
}

static json_t *
s_ask (fixture_t *f, const char *name, json_t *args, const char *role, int *status)
{
    return archive_fixture_ask (f, name, args, role, status);
}

//  Total of archive.search with ARGS (taken) as ROLE; -1 on failure.
static long long
s_total (fixture_t *f, json_t *args, const char *role)
{
    int status;
    json_t *reply = s_ask (f, "archive.search", args, role, &status);
    long long total = reply ? json_integer_value (json_object_get (reply, "total")) : -1;
    json_decref (reply);
    return total;
}

static json_t *
s_release (const char *symbol, const char *language, const char *text, const char *distribution)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s?}", "symbol", symbol, "language", language,
                      "title", "A document", "text", text, "distribution", distribution);
}

//  --------------------------------------------------------------------------

static int
test_match (void)
{
    return archive_query_test (0);
}

//  Revisions, identical releases, redelivery, rejection of bad symbols.
static int
test_revisions (void)
{
    fixture_t f;
    char reason [PL_REASON_MAX];
    int status;
    json_t *reply = NULL;
    CHECK (s_fixture (&f) == 0);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCW/CONF.VI/4", "en",
                    "first text", NULL), NULL) == 1);
    //  identical: applied, no new revision
    CHECK (s_event (&f, 0, "document.released", s_release ("ccw/conf.vi/4", "en",
                    "first text", NULL), NULL) == 1);
    //  different text: revision 2
    CHECK (s_event (&f, 0, "document.released", s_release ("CCW/CONF.VI/4", "en",
                    "second text", NULL), NULL) == 1);
    //  a redelivery of seq 3 is answered as before and changes nothing
    CHECK (s_event (&f, 3, "document.released", s_release ("CCW/CONF.VI/4", "en",
                    "third text", NULL), NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCW/CONF.VI/4", "fr",
                    "texte", NULL), NULL) == 1);
    reply = s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "ccw/conf.vi/4"),
                   "public", &status);
    CHECK (reply);
    json_t *versions = json_object_get (reply, "versions");
    CHECK (json_array_size (versions) == 3);
    CHECK (json_integer_value (json_object_get (json_array_get (versions, 1), "revision")) == 2);
    CHECK (json_is_true (json_object_get (json_array_get (versions, 1), "current")));
    CHECK (json_is_false (json_object_get (json_array_get (versions, 0), "current")));
    CHECK (strcmp (json_string_value (json_object_get (json_array_get (versions, 2),
                                                        "language")), "fr") == 0);
    json_decref (reply);
    reply = s_ask (&f, "document.show", json_pack ("{s:s, s:s, s:i}", "symbol", "CCW/CONF.VI/4",
                   "language", "en", "revision", 1), "public", &status);
    CHECK (reply && strcmp (json_string_value (json_object_get (reply, "text")),
                            "first text") == 0);
    json_decref (reply);
    reply = NULL;
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "second"), "public") == 1);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "first"), "public") == 0);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "third"), "public") == 0);
    //  refusals
    CHECK (s_event (&f, 0, "document.released", s_release ("CCW/CONF.VI", "en", "x", NULL),
                    reason) == 0);
    CHECK (strstr (reason, "names a series"));
    json_t *bad = s_release ("CCW/CONF.VI/5", "en", "x", NULL);
    json_object_set_new (bad, "sha256", json_string ("xyz"));
    CHECK (s_event (&f, 0, "document.released", bad, reason) == 0);
    CHECK (strstr (reason, "64 hexadecimal digits"));
    CHECK (!s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "CCW//4"), "public",
                   &status) && status == 400);
    CHECK (!s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "CCW/CONF.VI/5"),
                   "public", &status) && status == 404);
    CHECK (!s_ask (&f, "document.show", json_pack ("{s:s, s:s}", "symbol", "CCW/CONF.VI/4",
                   "language", "ru"), "public", &status) && status == 404);
    s_fixture_end (&f);
    return 0;
fail:
    json_decref (reply);
    s_fixture_end (&f);
    return -1;
}

//  The outcomes document.show of SYMBOL lists as ROLE, as one string
//  "a,b" (a new string; NULL when the query failed).
static char *
s_outcomes_of (fixture_t *f, const char *symbol, const char *role)
{
    int status;
    json_t *reply = s_ask (f, "document.show", json_pack ("{s:s}", "symbol", symbol), role,
                           &status);
    if (!reply)
        return NULL;
    char text [1024] = "";
    size_t i, used = 0;
    json_t *outcome;
    json_array_foreach (json_object_get (reply, "outcomes"), i, outcome)
        used += (size_t) snprintf (text + used, sizeof text - used, "%s%s", i ? "," : "",
                                   json_string_value (outcome));
    json_decref (reply);
    return strdup (text);
}

//  Statements and outcomes: archived, searchable, linked; what refers to
//  nothing refused and found nowhere; duplicates refused.
static int
test_statements_outcomes (void)
{
    fixture_t f;
    char reason [PL_REASON_MAX], *outcomes = NULL;
    int status;
    json_t *reply = NULL;
    CHECK (s_fixture (&f) == 0);
    CHECK (s_event (&f, 0, "meeting.scheduled", json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, "
                    "s:s, s:s}", "id", "apmbc-msp22", "convention", "APMBC", "kind", "msp",
                    "title", "22MSP", "venue", "Geneva", "tz", "Europe/Zurich", "start",
                    "2025-12-01", "end", "2025-12-05"), NULL) == 1);
    CHECK (s_event (&f, 0, "statement.delivered", json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}",
                    "meeting", "apmbc-msp22", "delegation", "FR", "language", "fr",
                    "agenda_item", "9(h)", "delivered_at", "2025-12-02T10:00:00+01:00",
                    "text", "La France salue le travail de l'Unité d'appui à l'application"),
                    NULL) == 1);
    //  records applied it: archived, but its document, no symbol, is not linked
    CHECK (s_event (&f, 0, "statement.delivered", json_pack ("{s:s, s:s, s:s, s:s, s:s}",
                    "meeting", "apmbc-msp22", "delegation", "CN", "language", "zh",
                    "document", "APLC/MSP/2025/x", "text", "中国代表团的发言"), NULL) == 1);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "代表团"), "public") == 1);
    CHECK (s_total (&f, json_pack ("{s:s}", "symbol", "APLC/*"), "public") == 0);
    //  nothing refers to what does not exist
    CHECK (s_event (&f, 0, "outcome.adopted", json_pack ("{s:s, s:s, s:s, s:s, s:s, s:[s], "
                    "s:s}", "meeting", "apmbc-msp22", "id", "budget-2026", "kind", "decision",
                    "title", "Décision sur le budget 2026", "adopted", "2025-12-05",
                    "documents", "aplc/msp.22/2025/8", "text", "Le budget est approuvé"),
                    reason) == 0);
    CHECK (strcmp (reason, "outcome budget-2026 cites APLC/MSP.22/2025/8, which has not been "
                   "released; release it first") == 0);
    CHECK (s_event (&f, 0, "outcome.adopted", json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}",
                    "meeting", "apmbc-msp99", "id", "lost", "kind", "decision", "title",
                    "Lost decision", "adopted", "2025-12-05", "text", "zanzibar"), reason) == 0);
    CHECK (strcmp (reason, "meeting apmbc-msp99 does not exist") == 0);
    json_t *lost = s_release ("APLC/MSP.99/2025/1", "en", "zanzibar", NULL);
    json_object_set_new (lost, "meeting", json_string ("apmbc-msp99"));
    CHECK (s_event (&f, 0, "document.released", lost, reason) == 0);
    CHECK (strcmp (reason, "meeting apmbc-msp99 does not exist") == 0);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "zanzibar"), "secretariat") == 0);
    CHECK (!s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "APLC/MSP.99/2025/1"),
                   "secretariat", &status) && status == 404);
    //  released, then adopted by an outcome citing two documents
    json_t *release = s_release ("APLC/MSP.22/2025/8", "zh", "执行支助股 2026 年预算", NULL);
    json_object_set_new (release, "meeting", json_string ("apmbc-msp22"));
    CHECK (s_event (&f, 0, "document.released", release, NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("APLC/MSP.22/2025/9", "en",
                    "Estimated costs", "restricted"), NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("APLC/MSP.22/2025/8/Rev.1", "en",
                    "Revised budget", NULL), NULL) == 1);
    CHECK (s_event (&f, 0, "outcome.adopted", json_pack ("{s:s, s:s, s:s, s:s, s:s, s:[s, s], "
                    "s:s}", "meeting", "apmbc-msp22", "id", "budget-2026", "kind", "decision",
                    "title", "Décision sur le budget 2026", "adopted", "2025-12-05",
                    "documents", "APLC/MSP.22/2025/9", "aplc/msp.22/2025/8",
                    "text", "Le budget est approuvé"), NULL) == 1);
    CHECK (s_event (&f, 0, "outcome.adopted", json_pack ("{s:s, s:s, s:s, s:s, s:s}",
                    "meeting", "apmbc-msp22", "id", "budget-2026", "kind", "decision",
                    "title", "Again", "adopted", "2025-12-05"), reason) == 0);
    CHECK (strstr (reason, "already adopted"));
    //  found by each document it cites, and by the family of each
    static const char *s_cited [] = {
        "APLC/MSP.22/2025/8", "aplc/msp.22/2025/9", "APLC/MSP.22/2025/8/Rev.1"
    };
    for (size_t i = 0; i < sizeof s_cited / sizeof s_cited [0]; i++) {
        CHECK ((outcomes = s_outcomes_of (&f, s_cited [i], "secretariat")));
        CHECK (strcmp (outcomes, "apmbc-msp22/budget-2026") == 0);
        free (outcomes);
        outcomes = NULL;
    }
    //  ... but by a restricted one only for the secretariat: to a lower role
    //  the outcome cites only what it may see, and is found by nothing else
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "symbol", "APLC/MSP.22/2025/9", "kind",
                                   "outcome"), "secretariat") == 1);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "symbol", "APLC/MSP.22/2025/9", "kind",
                                   "outcome"), "public") == 0);
    CHECK (s_total (&f, json_pack ("{s:s, s:s, s:s}", "q", "budget", "symbol",
                                   "APLC/MSP.22/2025/9", "kind", "outcome"), "secretariat") == 1);
    CHECK (s_total (&f, json_pack ("{s:s, s:s, s:s}", "q", "budget", "symbol",
                                   "APLC/MSP.22/2025/9", "kind", "outcome"), "delegate") == 0);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "budget", "symbol", "*/9"), "secretariat")
           == 1);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "budget", "symbol", "*/9"), "public")
           == 0);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "budget", "symbol", "*/8"), "public")
           == 1);
    //  (the restricted one cited first: a lower role's hit begins with the
    //  first it may see)
    static const struct {
        const char *role, *cited, *first;
    } s_cites [] = {
        { "secretariat", "[\"APLC/MSP.22/2025/9\",\"APLC/MSP.22/2025/8\"]",
          "APLC/MSP.22/2025/9" },
        { "record-keeper", "[\"APLC/MSP.22/2025/8\"]", "APLC/MSP.22/2025/8" },
        { "public", "[\"APLC/MSP.22/2025/8\"]", "APLC/MSP.22/2025/8" },
    };
    for (size_t i = 0; i < sizeof s_cites / sizeof s_cites [0]; i++) {
        for (int words = 0; words < 2; words++) {
            json_t *args = json_pack ("{s:s}", "kind", "outcome");
            if (words)
                json_object_set_new (args, "q", json_string ("budget"));
            reply = s_ask (&f, "archive.search", args, s_cites [i].role, &status);
            json_t *hit = json_array_get (json_object_get (reply, "items"), 0);
            char *cited = json_dumps (json_object_get (hit, "documents"), JSON_COMPACT);
            int as_cited = cited && strcmp (cited, s_cites [i].cited) == 0
                        && strcmp (json_string_value (json_object_get (hit, "symbol")),
                                   s_cites [i].first) == 0;
            char *text = json_dumps (reply, JSON_COMPACT);
            int leaks = !text || (strcmp (s_cites [i].role, "secretariat")
                                  && strstr (text, "APLC/MSP.22/2025/9"));
            free (cited);
            free (text);
            json_decref (reply);
            reply = NULL;
            CHECK (as_cited && !leaks);
        }
    }
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "symbol", "APLC/MSP.22/2025/7", "kind",
                                   "outcome"), "public") == 0);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "unite", "kind", "statement"),
                    "public") == 1);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "unite", "convention", "APMBC"),
                    "public") == 1);
    CHECK (s_total (&f, json_pack ("{s:s, s:s, s:s}", "q", "unite", "from", "2025-12-03",
                                   "kind", "statement"), "public") == 0);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "decision budget", "kind", "outcome"),
                    "public") == 1);
    CHECK (s_total (&f, json_pack ("{s:s}", "symbol", "APLC/MSP.22/*"), "public") == 3);
    CHECK (s_total (&f, json_pack ("{s:s}", "meeting", "apmbc-msp22"), "public") == 4);
    reply = s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "APLC/MSP.22/2025/8"),
                   "public", &status);
    CHECK (reply);
    CHECK (strcmp (json_string_value (json_object_get (reply, "convention")), "APMBC") == 0);
    json_decref (reply);
    reply = NULL;
    s_fixture_end (&f);
    return 0;
fail:
    free (outcomes);
    json_decref (reply);
    s_fixture_end (&f);
    return -1;
}

//  Distribution levels by role, in search and in document.show.
static int
test_roles (void)
{
    fixture_t f;
    int status;
    CHECK (s_fixture (&f) == 0);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/MSP/2025/1", "en",
                    "zebra one", "general"), NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/MSP/2025/2", "en",
                    "zebra two", "limited"), NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/MSP/2025/3", "en",
                    "zebra three", "restricted"), NULL) == 1);
    static const struct {
        const char *role;
        int total;
    } sees [] = {
        { "secretariat", 3 }, { "record-keeper", 2 }, { "delegate", 2 }, { "public", 1 },
        { "nobody-known", 1 },
    };
    for (size_t i = 0; i < sizeof sees / sizeof sees [0]; i++)
        CHECK (s_total (&f, json_pack ("{s:s}", "q", "zebra"), sees [i].role) == sees [i].total);
    CHECK (s_total (&f, json_pack ("{s:s}", "distribution", "restricted"), "delegate") == 0);
    CHECK (!s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "CCM/MSP/2025/3"),
                   "record-keeper", &status) && status == 404);
    json_t *reply = s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "CCM/MSP/2025/3"),
                           "secretariat", &status);
    CHECK (reply);
    json_decref (reply);
    s_fixture_end (&f);
    return 0;
fail:
    s_fixture_end (&f);
    return -1;
}

//  document.show of SYMBOL as ROLE: "404", or its versions as a string of
//  "language:revision[*][w]" (* current, w withdrawn) separated by spaces,
//  then " | " and the distribution in force, into BUF.  0, or -1 when the
//  query failed otherwise.
static int
s_versions (fixture_t *f, const char *symbol, const char *role, char *buf, size_t size)
{
    int status;
    json_t *reply = s_ask (f, "document.show", json_pack ("{s:s}", "symbol", symbol), role,
                           &status);
    if (!reply) {
        snprintf (buf, size, "%d", status);
        return status == 404 ? 0 : -1;
    }
    size_t used = 0, index;
    json_t *version;
    buf [0] = 0;
    json_array_foreach (json_object_get (reply, "versions"), index, version)
        used += (size_t) snprintf (buf + used, size - used, "%s%s:%lld%s%s", index ? " " : "",
                                   json_string_value (json_object_get (version, "language")),
                                   (long long) json_integer_value (json_object_get (version,
                                                                                    "revision")),
                                   json_is_true (json_object_get (version, "current")) ? "*" : "",
                                   json_is_true (json_object_get (version, "withdrawn")) ? "w"
                                                                                         : "");
    snprintf (buf + used, size - used, " | %s",
              json_string_value (json_object_get (reply, "distribution")));
    json_decref (reply);
    return 0;
}

//  The text of SYMBOL in LANGUAGE at REVISION (0: current) as ROLE, into
//  BUF; "404" when there is none for it.  0, or -1.
static int
s_text (fixture_t *f, const char *symbol, const char *language, int revision,
        const char *role, char *buf, size_t size)
{
    int status;
    json_t *args = json_pack ("{s:s, s:s}", "symbol", symbol, "language", language);
    if (revision)
        json_object_set_new (args, "revision", json_integer (revision));
    json_t *reply = s_ask (f, "document.show", args, role, &status);
    snprintf (buf, size, "%s", reply ? json_string_value (json_object_get (reply, "text"))
                             : status == 404 ? "404" : "failed");
    json_decref (reply);
    return reply || status == 404 ? 0 : -1;
}

#define S_EXPECT_VERSIONS(symbol, role, want) do { \
    CHECK (s_versions (&f, symbol, role, got, sizeof got) == 0); \
    if (strcmp (got, want)) \
        fprintf (stderr, "test_archive: %s as %s: '%s', want '%s'\n", symbol, role, got, want); \
    CHECK (strcmp (got, want) == 0); } while (0)

#define S_EXPECT_TEXT(symbol, language, revision, role, want) do { \
    CHECK (s_text (&f, symbol, language, revision, role, got, sizeof got) == 0); \
    if (strcmp (got, want)) \
        fprintf (stderr, "test_archive: %s %s %d as %s: '%s', want '%s'\n", symbol, \
                 language, revision, role, got, want); \
    CHECK (strcmp (got, want) == 0); } while (0)

static json_t *
s_declassify (const char *symbol, const char *distribution)
{
    return json_pack ("{s:s, s:s, s:s, s:s}", "symbol", symbol, "distribution", distribution,
                      "by", "Chief of the ISU", "reason", "decision 5 of the Meeting");
}

static json_t *
s_withdraw (const char *symbol, const char *language, int revision)
{
    json_t *payload = json_pack ("{s:s, s:s, s:s}", "symbol", symbol, "by", "Documents Officer",
                                 "reason", "released by mistake");
    if (language)
        json_object_set_new (payload, "language", json_string (language));
    if (revision)
        json_object_set_new (payload, "revision", json_integer (revision));
    return payload;
}

//  The most restrictive distribution of a document's family applies to all
//  of it (every revision, language and Rev./Corr./Add.), on every path,
//  until the secretariat declassifies it; a later more restrictive release
//  raises it again.
static int
test_family_distribution (void)
{
    fixture_t f;
    char reason [PL_REASON_MAX], got [512];
    int status;
    json_t *reply = NULL;
    CHECK (s_fixture (&f) == 0);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/CONF/2030/1", "en",
                    "quagga first draft", "general"), NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/CONF/2030/1/Corr.1", "en",
                    "okapi correction", NULL), NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/CONF/2030/1", "fr",
                    "quagga premier projet", "general"), NULL) == 1);
    CHECK (s_event (&f, 0, "statement.delivered", json_pack ("{s:s, s:s, s:s, s:s, s:s}",
                    "meeting", "ccm-x", "delegation", "NO", "language", "en", "document",
                    "CCM/CONF/2030/1/Corr.1", "text", "Norway on the numbat question"),
                    NULL) == 1);
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "public", "en:1* fr:1* | general");
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "quagga"), "public") == 2);
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "symbol", "CCM/CONF/2030/*", "kind",
                                   "statement"), "public") == 1);
    //  a restricted revision 2 in English: nothing of the family for the
    //  public nor for a delegate, on any path; everything for the secretariat
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/CONF/2030/1", "en",
                    "quagga second draft with yak", "restricted"), NULL) == 1);
    static const char *s_below [] = { "public", "delegate", "record-keeper" };
    for (size_t i = 0; i < sizeof s_below / sizeof s_below [0]; i++) {
        const char *role = s_below [i];
        S_EXPECT_VERSIONS ("CCM/CONF/2030/1", role, "404");
        S_EXPECT_VERSIONS ("CCM/CONF/2030/1/Corr.1", role, "404");
        S_EXPECT_TEXT ("CCM/CONF/2030/1", "en", 1, role, "404");
        S_EXPECT_TEXT ("CCM/CONF/2030/1", "fr", 0, role, "404");
        CHECK (s_total (&f, json_pack ("{s:s}", "q", "quagga"), role) == 0);
        CHECK (s_total (&f, json_pack ("{s:s}", "q", "okapi"), role) == 0);
        CHECK (s_total (&f, json_pack ("{s:s}", "symbol", "CCM/CONF/2030/*"), role) == 0);
        CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "numbat", "symbol",
                                       "CCM/CONF/2030/*"), role) == 0);
        //  the statement is found by its words, without its document
        reply = s_ask (&f, "archive.search", json_pack ("{s:s}", "q", "numbat"), role, &status);
        CHECK (reply && json_integer_value (json_object_get (reply, "total")) == 1);
        char *text = json_dumps (reply, JSON_COMPACT);
        int leaks = !text || strstr (text, "CCM/CONF/2030");
        free (text);
        json_decref (reply);
        reply = NULL;
        CHECK (!leaks);
    }
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "secretariat", "en:1 en:2* fr:1* | restricted");
    S_EXPECT_TEXT ("CCM/CONF/2030/1", "en", 1, "secretariat", "quagga first draft");
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "quagga"), "secretariat") == 2);
    CHECK (s_total (&f, json_pack ("{s:s}", "distribution", "restricted"), "secretariat") == 3);
    //  declassification lowers it, only lowers it, and only for a family
    //  that exists
    CHECK (s_event (&f, 0, "document.declassified", s_declassify ("CCM/CONF/2030/1/Corr.1",
                    "limited"), NULL) == 1);
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "delegate", "en:1 en:2* fr:1* | limited");
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "public", "404");
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "quagga"), "record-keeper") == 2);
    CHECK (s_event (&f, 0, "document.declassified", s_declassify ("CCM/CONF/2030/1",
                    "limited"), reason) == 0);
    CHECK (strcmp (reason, "CCM/CONF/2030/1 is limited already; a declassification only "
                   "lowers the distribution of a document (a more restrictive release raises "
                   "it)") == 0);
    CHECK (s_event (&f, 0, "document.declassified", s_declassify ("CCM/CONF/2030/9",
                    "general"), reason) == 0);
    CHECK (strcmp (reason, "no document of the family CCM/CONF/2030/9 has been released") == 0);
    CHECK (s_event (&f, 0, "document.declassified", s_declassify ("CCM/CONF/2030/1",
                    "general"), NULL) == 1);
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "public", "en:1 en:2* fr:1* | general");
    S_EXPECT_TEXT ("CCM/CONF/2030/1", "en", 1, "public", "quagga first draft");
    CHECK (s_total (&f, json_pack ("{s:s, s:s}", "q", "numbat", "symbol",
                                   "CCM/CONF/2030/*"), "public") == 1);
    //  (three documents, and the statement, which a distribution filter
    //  counts as general)
    CHECK (s_total (&f, json_pack ("{s:s}", "distribution", "general"), "public") == 4);
    //  who declassified it and why: the secretariat's record alone
    reply = s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "CCM/CONF/2030/1"),
                   "secretariat", &status);
    json_t *last = json_array_get (json_object_get (reply, "declassifications"), 1);
    CHECK (json_array_size (json_object_get (reply, "declassifications")) == 2);
    CHECK (strcmp (json_string_value (json_object_get (last, "by")), "Chief of the ISU") == 0);
    CHECK (strcmp (json_string_value (json_object_get (last, "distribution")), "general") == 0);
    json_t *version = json_array_get (json_object_get (reply, "versions"), 1);
    CHECK (strcmp (json_string_value (json_object_get (version, "released_as")),
                   "restricted") == 0);
    json_decref (reply);
    reply = s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", "CCM/CONF/2030/1"),
                   "public", &status);
    CHECK (reply && !json_object_get (reply, "declassifications"));
    CHECK (!json_object_get (json_array_get (json_object_get (reply, "versions"), 1),
                             "released_as"));
    json_decref (reply);
    reply = NULL;
    //  a release more restrictive than the one in force raises it again,
    //  identical to the current revision or not
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/CONF/2030/1/Corr.1", "en",
                    "okapi correction", "limited"), NULL) == 1);
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "public", "404");
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "delegate", "en:1 en:2* fr:1* | limited");
    CHECK (s_event (&f, 0, "document.declassified", s_declassify ("CCM/CONF/2030/1",
                    "general"), NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/CONF/2030/1", "en",
                    "quagga second draft with yak", "restricted"), NULL) == 1);
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1", "secretariat", "en:1 en:2* fr:1* | restricted");
    S_EXPECT_VERSIONS ("CCM/CONF/2030/1/Corr.1", "delegate", "404");
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "yak"), "delegate") == 0);
    //  another family is not touched
    CHECK (s_event (&f, 0, "document.released", s_release ("CCM/CONF/2030/11", "en",
                    "quagga elsewhere", NULL), NULL) == 1);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "quagga"), "public") == 1);
    s_fixture_end (&f);
    return 0;
fail:
    json_decref (reply);
    s_fixture_end (&f);
    return -1;
}

//  A withdrawn revision is the secretariat's alone, shown with who withdrew
//  it and why; every other role sees the revisions that stand numbered as
//  if it had never been, and searches the newest of them.
static int
test_withdrawal (void)
{
    fixture_t f;
    char reason [PL_REASON_MAX], got [512];
    int status;
    json_t *reply = NULL;
    CHECK (s_fixture (&f) == 0);
    const char *S = "CCW/MSP/2030/2";
    static const char *s_texts [] = { "first wombat", "second wombat", "third wombat" };
    for (int i = 0; i < 3; i++)
        CHECK (s_event (&f, 0, "document.released", s_release (S, "en", s_texts [i], NULL),
                        NULL) == 1);
    CHECK (s_event (&f, 0, "document.released", s_release (S, "fr", "premier wombat", NULL),
                    NULL) == 1);
    //  revision 2 withdrawn: the public sees 1 and 2 (the third), the
    //  secretariat all three, the second marked
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, "en", 2), NULL) == 1);
    S_EXPECT_VERSIONS (S, "public", "en:1 en:2* fr:1* | general");
    S_EXPECT_VERSIONS (S, "delegate", "en:1 en:2* fr:1* | general");
    S_EXPECT_VERSIONS (S, "secretariat", "en:1 en:2w en:3* fr:1* | general");
    S_EXPECT_TEXT (S, "en", 2, "public", "third wombat");
    S_EXPECT_TEXT (S, "en", 3, "public", "404");
    S_EXPECT_TEXT (S, "en", 2, "secretariat", "second wombat");
    reply = s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", S), "secretariat",
                   &status);
    json_t *withdrawn = json_array_get (json_object_get (reply, "versions"), 1);
    CHECK (json_is_true (json_object_get (withdrawn, "withdrawn")));
    CHECK (strcmp (json_string_value (json_object_get (withdrawn, "withdrawn_by")),
                   "Documents Officer") == 0);
    CHECK (strcmp (json_string_value (json_object_get (withdrawn, "withdrawn_reason")),
                   "released by mistake") == 0);
    CHECK (json_object_get (withdrawn, "withdrawn_at"));
    json_decref (reply);
    reply = s_ask (&f, "document.show", json_pack ("{s:s}", "symbol", S), "public", &status);
    char *text = reply ? json_dumps (reply, JSON_COMPACT) : NULL;
    int hints = !text || strstr (text, "withdrawn") || strstr (text, "mistake");
    free (text);
    json_decref (reply);
    reply = NULL;
    CHECK (!hints);
    //  a hit says the revision as the role numbers it
    for (int secretariat = 0; secretariat < 2; secretariat++) {
        reply = s_ask (&f, "archive.search", json_pack ("{s:s, s:s}", "q", "wombat", "language",
                       "en"), secretariat ? "secretariat" : "public", &status);
        json_t *hit = json_array_get (json_object_get (reply, "items"), 0);
        int revision = (int) json_integer_value (json_object_get (hit, "revision"));
        json_int_t total = json_integer_value (json_object_get (reply, "total"));
        json_decref (reply);
        reply = NULL;
        CHECK (total == 1 && revision == (secretariat ? 3 : 2));
    }
    //  the current one withdrawn: the newest that stands is current, searched
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, "en", 3), NULL) == 1);
    S_EXPECT_VERSIONS (S, "public", "en:1* fr:1* | general");
    S_EXPECT_VERSIONS (S, "secretariat", "en:1* en:2w en:3w fr:1* | general");
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "first"), "public") == 1);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "third"), "secretariat") == 0);
    S_EXPECT_TEXT (S, "en", 0, "public", "first wombat");
    //  refusals
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, "en", 3), reason) == 0);
    CHECK (strcmp (reason, "CCW/MSP/2030/2 (en) revision 3 is withdrawn already") == 0);
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, "en", 9), reason) == 0);
    CHECK (strcmp (reason, "CCW/MSP/2030/2 has no revision 9 in en") == 0);
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, "en", 0), reason) == 0);
    CHECK (strstr (reason, "give both language and revision"));
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw ("CCW/MSP/2030/77", NULL, 0),
                    reason) == 0);
    CHECK (strcmp (reason, "no document CCW/MSP/2030/77 in the archive") == 0);
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, "fr", 1), NULL) == 1);
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, "en", 1), reason) == 0);
    CHECK (strcmp (reason, "CCW/MSP/2030/2 (en) revision 1 is the last revision of "
                   "CCW/MSP/2030/2 that stands; withdraw the document itself (without "
                   "language and revision)") == 0);
    //  the whole document: gone for all but the secretariat, which still
    //  reads every text
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, NULL, 0), NULL) == 1);
    S_EXPECT_VERSIONS (S, "public", "404");
    S_EXPECT_VERSIONS (S, "secretariat", "en:1w en:2w en:3w fr:1w | general");
    S_EXPECT_TEXT (S, "en", 0, "secretariat", "third wombat");
    S_EXPECT_TEXT (S, "fr", 1, "secretariat", "premier wombat");
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "wombat"), "secretariat") == 0);
    CHECK (s_event (&f, 0, "document.withdrawn", s_withdraw (S, NULL, 0), reason) == 0);
    CHECK (strcmp (reason, "every revision of CCW/MSP/2030/2 is withdrawn already") == 0);
    //  released again, even as before: a new revision, which stands
    CHECK (s_event (&f, 0, "document.released", s_release (S, "en", "third wombat", NULL),
                    NULL) == 1);
    S_EXPECT_VERSIONS (S, "public", "en:1* | general");
    S_EXPECT_VERSIONS (S, "secretariat", "en:1w en:2w en:3w en:4* fr:1w | general");
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "wombat"), "public") == 1);
    s_fixture_end (&f);
    return 0;
fail:
    json_decref (reply);
    s_fixture_end (&f);
    return -1;
}

//  The index is written once a batch (ARCHIVE_STORE_PENDING): an item
//  replaced, retitled or withdrawn in the very batch that added it must
//  leave the index as if each event had been a batch of its own.
static json_t *
s_titled (const char *symbol, const char *title, const char *text)
{
    return json_pack ("{s:s, s:s, s:s, s:s}", "symbol", symbol, "language", "en",
                      "title", title, "text", text);
}

static int
test_index_batches (void)
{
    fixture_t f;
    CHECK (s_fixture (&f) == 0);
    const char *R = "document.released", *W = "document.withdrawn";
    //  X replaced, Y retitled, Z's second revision withdrawn: all in one batch
    const char *topics [] = { R, R, R, R, R, R, W };
    json_t *payloads [] = {
        s_titled ("CCM/MSP/2031/1", "X", "alpha wombat"),
        s_titled ("CCM/MSP/2031/1", "X", "beta wombat"),
        s_titled ("CCM/MSP/2031/2", "Gamma report", "numbat"),
        s_titled ("CCM/MSP/2031/2", "Delta report", "numbat"),
        s_titled ("CCM/MSP/2031/3", "Z", "epsilon quokka"),
        s_titled ("CCM/MSP/2031/3", "Z", "zeta quokka"),
        s_withdraw ("CCM/MSP/2031/3", "en", 2),
    };
    int applied [7];
    CHECK (archive_fixture_batch (&f, 7, topics, payloads, applied) == 0);
    for (int i = 0; i < 7; i++)
        CHECK (applied [i]);
    CHECK (archive_fixture_index_check (&f) == 0);
    static const struct { const char *q; long long total; } s_first [] = {
        { "alpha", 0 }, { "beta", 1 }, { "wombat", 1 }, { "gamma", 0 }, { "delta", 1 },
        { "numbat", 1 }, { "epsilon", 1 }, { "zeta", 0 }, { "quokka", 1 },
    };
    for (size_t i = 0; i < sizeof s_first / sizeof s_first [0]; i++)
        if (s_total (&f, json_pack ("{s:s}", "q", s_first [i].q), "secretariat")
            != s_first [i].total) {
            fprintf (stderr, "test_archive: '%s' after the first batch\n", s_first [i].q);
            goto fail;
        }
    //  the next batch replaces what the first indexed: the 'delete' path,
    //  then a revision added and withdrawn again within the batch
    const char *next_topics [] = { R, R, R, W };
    json_t *next [] = {
        s_titled ("CCM/MSP/2031/1", "X", "omega wombat"),
        s_titled ("CCM/MSP/2031/2", "Kappa report", "numbat"),
        s_titled ("CCM/MSP/2031/3", "Z", "eta quokka"),
        s_withdraw ("CCM/MSP/2031/3", "en", 3),
    };
    CHECK (archive_fixture_batch (&f, 4, next_topics, next, applied) == 0);
    for (int i = 0; i < 4; i++)
        CHECK (applied [i]);
    CHECK (archive_fixture_index_check (&f) == 0);
    static const struct { const char *q; long long total; } s_second [] = {
        { "beta", 0 }, { "omega", 1 }, { "delta", 0 }, { "kappa", 1 }, { "eta", 0 },
        { "epsilon", 1 }, { "quokka", 1 },
    };
    for (size_t i = 0; i < sizeof s_second / sizeof s_second [0]; i++)
        if (s_total (&f, json_pack ("{s:s}", "q", s_second [i].q), "secretariat")
            != s_second [i].total) {
            fprintf (stderr, "test_archive: '%s' after the second batch\n", s_second [i].q);
            goto fail;
        }
    s_fixture_end (&f);
    return 0;
fail:
    s_fixture_end (&f);
    return -1;
}

//  Pagination: ranks continue across pages, pages do not overlap.
static int
test_pages (void)
{
    fixture_t f;
    int status;
    json_t *one = NULL, *two = NULL;
    CHECK (s_fixture (&f) == 0);
    for (int i = 1; i <= 25; i++) {
        char symbol [32];
        snprintf (symbol, sizeof symbol, "CCM/MSP/2025/%d", i);
        CHECK (s_event (&f, 0, "document.released", s_release (symbol, "ru",
                        "Совещание государств-участников", NULL), NULL) == 1);
    }
    one = s_ask (&f, "archive.search", json_pack ("{s:s, s:i}", "q", "совещание", "page_size",
                 20), "public", &status);
    two = s_ask (&f, "archive.search", json_pack ("{s:s, s:i, s:i}", "q", "совещание",
                 "page_size", 20, "page", 2), "public", &status);
    CHECK (one && two);
    CHECK (json_integer_value (json_object_get (one, "total")) == 25);
    CHECK (json_array_size (json_object_get (one, "items")) == 20);
    CHECK (json_array_size (json_object_get (two, "items")) == 5);
    CHECK (json_integer_value (json_object_get (json_array_get (json_object_get (two, "items"), 0),
                                                "rank")) == 21);
    CHECK (strcmp (json_string_value (json_object_get (json_array_get (json_object_get (two,
                   "items"), 0), "symbol")), json_string_value (json_object_get (json_array_get (
                   json_object_get (one, "items"), 19), "symbol"))) != 0);
    CHECK (!s_ask (&f, "archive.search", json_pack ("{s:s}", "q", "\"open"), "public", &status)
           && status == 400);
    //  a table of contents' dot leaders inside the snippet's window: the
    //  snippet is cut to fit its schema (s_ask validates the reply)
    char *leaders = malloc (20001);
    CHECK (leaders);
    memset (leaders, '.', 20000);
    leaders [20000] = 0;
    json_t *release = s_release ("CCM/MSP/2025/99", "en", "", NULL);
    json_object_set_new (release, "text", json_pack ("s++", "Contents ", leaders, " annex"));
    free (leaders);
    CHECK (s_event (&f, 0, "document.released", release, NULL) == 1);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "contents annex"), "public") == 1);
    //  punctuation alone is no word: nothing to look for, said
    CHECK (!s_ask (&f, "archive.search", json_pack ("{s:s}", "q", "。"), "public", &status)
           && status == 400);
    json_decref (one);
    json_decref (two);
    s_fixture_end (&f);
    return 0;
fail:
    json_decref (one);
    json_decref (two);
    s_fixture_end (&f);
    return -1;
}

//  The reply to archive.search ARGS (taken) as ROLE, as compact text with
//  sorted keys (a new string), NULL when the search failed.
static char *
s_search_text (fixture_t *f, json_t *args, const char *role)
{
    int status;
    json_t *reply = s_ask (f, "archive.search", args, role, &status);
    char *text = reply && status == 200
               ? json_dumps (reply, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref (reply);
    return text;
}

//  Each filter alone and with the symbol pattern "*", which every
//  document's symbol matches, so that adding it must change nothing: the
//  replies must be the same byte for byte, on every page, for present and
//  absent values, for a role that sees limited documents and one that does
//  not; and each filter keeps the number of documents it should.
static int
s_filter_paths (fixture_t *f)
{
    static const struct {
        const char *symbol, *language, *meeting, *dated, *distribution;
    } s_more [] = {
        { "CCM/MSP/2025/20", "en", "ccm-msp-2025", "2025-03-01", NULL },
        { "CCM/MSP/2025/21", "fr", "ccm-msp-2025", "2025-03-04", "limited" },
        { "CCW/MSP/2024/22", "en", NULL,           "2024-01-15", "limited" },
        { "CCW/MSP/2024/23", "es", "ccw-msp-2024", NULL,         NULL },
    };
    static const char *s_meetings [] = { "ccm-msp-2025", "CCM", "ccw-msp-2024", "CCW" };
    for (size_t i = 0; i < sizeof s_meetings / sizeof s_meetings [0]; i += 2)
        if (s_event (f, 0, "meeting.scheduled", json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, "
                     "s:s, s:s}", "id", s_meetings [i], "convention", s_meetings [i + 1],
                     "kind", "msp", "title", "MSP", "venue", "Geneva", "tz", "Europe/Zurich",
                     "start", "2025-03-01", "end", "2025-03-05"), NULL) != 1)
            return -1;
    for (size_t i = 0; i < sizeof s_more / sizeof s_more [0]; i++) {
        json_t *release = s_release (s_more [i].symbol, s_more [i].language,
                                     "budget lines and the budget", s_more [i].distribution);
        if (s_more [i].meeting)
            json_object_set_new (release, "meeting", json_string (s_more [i].meeting));
        if (s_more [i].dated)
            json_object_set_new (release, "dated", json_string (s_more [i].dated));
        if (s_event (f, 0, "document.released", release, NULL) != 1)
            return -1;
    }
    static const struct {
        const char *field, *value;
        int hits;                   //  as the secretariat
    } s_filters [] = {
        { "convention",   "CCM",          7 },
        { "convention",   "CCW",          2 },
        { "convention",   "APMBC",        0 },
        { "meeting",      "ccm-msp-2025", 2 },
        { "meeting",      "nowhere",      0 },
        { "language",     "en",           6 },
        { "language",     "fr",           2 },
        { "language",     "ru",           0 },
        { "kind",         "document",     9 },
        { "kind",         "statement",    0 },
        { "from",         "2025-01-01",  -1 },
        { "from",         "2099-01-01",   0 },
        { "to",           "2025-03-02",  -1 },
        { "to",           "2000-01-01",   0 },
        { "distribution", "limited",      2 },
        { "distribution", "general",      7 },
        { "distribution", "restricted",   0 },
    };
    static const char *s_roles [] = { "secretariat", "public" };
    for (size_t i = 0; i < sizeof s_filters / sizeof s_filters [0]; i++)
        for (size_t r = 0; r < 2; r++)
            for (int page = 1; page <= 4; page++) {
                json_t *args = json_pack ("{s:s, s:s, s:i, s:i}", "q", "budget",
                                          s_filters [i].field, s_filters [i].value,
                                          "page", page, "page_size", 3);
                json_t *glob = json_deep_copy (args);
                json_object_set_new (glob, "symbol", json_string ("*"));
                char *memory = s_search_text (f, args, s_roles [r]);
                char *joined = s_search_text (f, glob, s_roles [r]);
                int same = memory && joined && strcmp (memory, joined) == 0;
                if (!same)
                    fprintf (stderr, "test_archive: %s=%s as %s page %d:\n  memory %s\n"
                             "  joined %s\n", s_filters [i].field, s_filters [i].value,
                             s_roles [r], page, memory, joined);
                json_t *reply = memory ? json_loads (memory, 0, NULL) : NULL;
                json_int_t total = json_integer_value (json_object_get (reply, "total"));
                json_decref (reply);
                free (memory);
                free (joined);
                if (!same)
                    return -1;
                if (r == 0 && s_filters [i].hits >= 0 && total != s_filters [i].hits) {
                    fprintf (stderr, "test_archive: %s=%s: %d hits, want %d\n",
                             s_filters [i].field, s_filters [i].value, (int) total,
                             s_filters [i].hits);
                    return -1;
                }
                if (r == 0 && s_filters [i].hits < 0 && total <= 0)
                    return -1;
            }
    return 0;
}

//  The ranking: more occurrences in a shorter text rank higher (bm25), and
//  a filter only removes hits: an unfiltered search and one filtered by
//  language give the same order and the same scores for the same items.
//  A rejected release in the middle of a batch leaves no trace in either.
static int
test_ranking (void)
{
    fixture_t f;
    int status;
    json_t *plain = NULL, *filtered = NULL;
    CHECK (s_fixture (&f) == 0);
    static const struct {
        const char *symbol;
        const char *text;
    } s_docs [] = {
        { "CCM/MSP/2025/1", "budget budget budget" },
        { "CCM/MSP/2025/2", "budget of the unit, budget lines, and many other words besides" },
        { "CCM/MSP/2025/3", "a long report that mentions the budget once among a great many"
                            " other words about clearance, victim assistance, cooperation,"
                            " transparency measures, universalization and national reports" },
    };
    for (size_t i = 0; i < sizeof s_docs / sizeof s_docs [0]; i++)
        CHECK (s_event (&f, 0, "document.released",
                        s_release (s_docs [i].symbol, "en", s_docs [i].text, NULL), NULL) == 1);
    //  documents without the word, so that it is rare enough to weigh (idf > 0)
    for (int i = 10; i < 18; i++) {
        char symbol [32];
        snprintf (symbol, sizeof symbol, "CCW/MSP/2022/%d", i);
        CHECK (s_event (&f, 0, "document.released",
                        s_release (symbol, "en", "clearance of mined areas", NULL), NULL) == 1);
    }
    //  a batch whose middle event is refused (a malformed symbol)
    json_t *batch [3] = {
        s_release ("CCM/MSP/2025/4", "en", "budget and budget", NULL),
        s_release ("CCM//2025/5", "en", "budget budget budget budget", NULL),
        s_release ("CCM/MSP/2025/6", "fr", "le budget", NULL),
    };
    pl_delivery_t events [3];
    for (int i = 0; i < 3; i++)
        events [i] = (pl_delivery_t) { .seq = ++f.seq, .topic = "document.released",
                                       .event_id = "e", .payload = batch [i], .time_ms = T0,
                                       .attempt = 1 };
    pl_verdict_t verdicts [3];
    int rc = f.handler->apply (f.store, events, 3, verdicts);
    for (int i = 0; i < 3; i++)
        json_decref (batch [i]);
    CHECK (rc == 0 && verdicts [0].applied && !verdicts [1].applied && verdicts [2].applied);

    //  the exact form (a phrase): a language's own stems would count otherwise
    plain = s_ask (&f, "archive.search", json_pack ("{s:s}", "q", "\"budget\""), "public",
                   &status);
    filtered = s_ask (&f, "archive.search", json_pack ("{s:s, s:s}", "q", "\"budget\"",
                      "language", "en"), "public", &status);
    CHECK (plain && filtered);
    CHECK (json_integer_value (json_object_get (plain, "total")) == 5);
    CHECK (json_integer_value (json_object_get (filtered, "total")) == 4);
    json_t *items = json_object_get (plain, "items");
    const char *first = json_string_value (json_object_get (json_array_get (items, 0), "symbol"));
    CHECK (strcmp (first, "CCM/MSP/2025/1") == 0);
    //  scores fall with rank, and the long text with one mention is last of the English
    json_int_t previous = -1;
    size_t index;
    json_t *item;
    json_array_foreach (items, index, item) {
        json_int_t score = json_integer_value (json_object_get (item, "score"));
        CHECK (score > 0);
        CHECK (previous < 0 || score <= previous);
        previous = score;
        CHECK (strcmp (json_string_value (json_object_get (item, "symbol")), "CCM//2025/5"));
    }
    //  the filtered path ranks the English items exactly as the plain one
    json_t *english = json_array ();
    json_array_foreach (items, index, item)
        if (strcmp (json_string_value (json_object_get (item, "language")), "en") == 0)
            json_array_append (english, item);
    json_t *fitems = json_object_get (filtered, "items");
    CHECK (json_array_size (english) == json_array_size (fitems));
    json_array_foreach (fitems, index, item) {
        json_t *other = json_array_get (english, index);
        CHECK (strcmp (json_string_value (json_object_get (item, "symbol")),
                       json_string_value (json_object_get (other, "symbol"))) == 0);
        CHECK (json_integer_value (json_object_get (item, "score"))
               == json_integer_value (json_object_get (other, "score")));
    }
    const char *last = json_string_value (json_object_get (
        json_array_get (fitems, json_array_size (fitems) - 1), "symbol"));
    json_decref (english);
    CHECK (strcmp (last, "CCM/MSP/2025/3") == 0);
    CHECK (s_filter_paths (&f) == 0);
    json_decref (plain);
    json_decref (filtered);
    s_fixture_end (&f);
    return 0;
fail:
    json_decref (plain);
    json_decref (filtered);
    s_fixture_end (&f);
    return -1;
}

//  Release parts FIRST..LAST of the oracle's archive (test_archive_oracle.h)
//  on a fresh store, and after each part ask every one of the oracle's
//  searches as each role, page by page to one past the last: the oracle
//  checks every answer.  Each part's searches are asked twice: walked on
//  one thread, then split in two walks on two (archive_reader.h), which
//  the store does only for large archives unless told; each time with the
//  phrase counts of earlier searches forgotten at first, so that searches
//  are asked both with their phrases to count and with them counted.
//  Ask every one of the oracle's searches of part PART as each role, page
//  by page to one past the last, walked in two halves or not (SPLIT), the
//  phrase counts of earlier searches forgotten first.  0, or -1 when the
//  oracle found a difference.
static int
s_oracle_ask (fixture_t *f, oracle_t *oracle, int part, int split)
{
    static const char *s_roles [] = { "secretariat", "delegate", "public" };
    archive_store_parallel (f->store, split ? 0 : -1);
    archive_store_forget_counts (f->store);
    for (size_t search = 0; search < oracle_searches (); search++)
        for (size_t r = 0; r < sizeof s_roles / sizeof s_roles [0]; r++) {
            int rc = 0, status;
            for (int page = 1; rc == 0; page++) {
                json_t *reply = s_ask (f, "archive.search", oracle_args (search, page),
                                       s_roles [r], &status);
                rc = oracle_check (oracle, part, search, s_roles [r], page, reply);
                json_decref (reply);
            }
            if (rc != 1) {
                fprintf (stderr, "test_archive: oracle search %zu walked %s\n", search,
                         split ? "in two halves" : "whole");
                return -1;
            }
        }
    return 0;
}

static int
s_oracle (int first, int last)
{
    fixture_t f;
    oracle_t *oracle = NULL;
    json_t *payload;
    const char *topic;
    CHECK (s_fixture (&f) == 0);
    CHECK ((oracle = oracle_new (f.path)));
    for (int part = first; part <= last; part++) {
        for (size_t i = 0; (payload = oracle_event (part, i, &topic)); i++)
            CHECK (s_event (&f, 0, topic, payload, NULL) == 1);
        CHECK (s_oracle_ask (&f, oracle, part, 0) == 0);
        CHECK (s_oracle_ask (&f, oracle, part, 1) == 0);
    }
    oracle_destroy (&oracle);
    s_fixture_end (&f);
    return 0;
fail:
    oracle_destroy (&oracle);
    s_fixture_end (&f);
    return -1;
}

//  archive.search answers as SQLite's FTS5 does, checked by an oracle that
//  shares no code with the worker's search path (test_archive_oracle.c).
static int
test_oracle (void)
{
    return s_oracle (1, ORACLE_NEAR_TIE - 1);
}

//  ... even where two hits' bm25 differ by rounding alone: the worker's
//  must be FTS5's to the bit, or such hits come in another order.
static int
test_oracle_near_tie (void)
{
    return s_oracle (ORACLE_NEAR_TIE, ORACLE_NEAR_TIE);
}

//  The entry of FACET and KEY in a digest REPLY has COUNT items whose
//  sorted LINES (each ending in a line feed) give its digest.
static int
s_facet_is (const json_t *reply, const char *facet, const char *key, int count,
            const char *lines)
{
    size_t index;
    json_t *entry;
    json_array_foreach (json_object_get (reply, "facets"), index, entry)
        if (strcmp (json_string_value (json_object_get (entry, "facet")), facet) == 0
        &&  strcmp (json_string_value (json_object_get (entry, "key")), key) == 0) {
            char hex [PL_FACET_DIGEST_HEX + 1];
            pl_facet_sha256 (lines, strlen (lines), hex);
            return json_integer_value (json_object_get (entry, "count")) == count
                && strcmp (json_string_value (json_object_get (entry, "digest")), hex) == 0;
        }
    return 0;
}

//  archive.digest: the archive's side of plenary check, as the authority of
//  documents (symbols parsed, each under its latest release that named a
//  known meeting and an agenda item) and as a view of meetings and statements
static int
test_digest (void)
{
    fixture_t f;
    int status;
    json_t *reply = NULL;
    CHECK (s_fixture (&f) == 0);
    static const char *meetings [] [2] = { { "ccm-msp13", "CCM" }, { "ccw-gge", "CCW" } };
    for (size_t i = 0; i < 2; i++)
        CHECK (s_event (&f, 0, "meeting.scheduled", json_pack (
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", meetings [i] [0],
            "convention", meetings [i] [1], "kind", "msp", "title", "Meeting", "venue", "Geneva",
            "tz", "Europe/Zurich", "start", "2030-03-28", "end", "2030-04-02"), NULL) == 1);
    CHECK (s_event (&f, 0, "statement.delivered", json_pack ("{s:s, s:s, s:s, s:s}",
           "meeting", "ccm-msp13", "delegation", "FR", "language", "fr", "agenda_item", "8(a)"),
           NULL) == 1);
    CHECK (s_event (&f, 0, "statement.delivered", json_pack ("{s:s, s:s, s:s}",
           "meeting", "ccm-msp13", "delegation", "CN", "language", "zh"), NULL) == 1);
    static const char *releases [] [4] = {          //  symbol, language, meeting, item
        { "ccm/msp/2030/4", "en", "ccm-msp13", "8(a)" },
        { "CCM/MSP/2030/5", "fr", "ccm-msp13", "8(a)" },
        { "CCM/MSP/2030/5", "en", "ccm-msp13", "9" },     //  the latest moves it
        { "CCM/MSP/2030/6", "en", "ccm-msp13", NULL },    //  under no agenda item
        { "CCM/MSP/2030/7", "en", "unknown", "1" },       //  of a meeting not known: refused
    };
    for (size_t i = 0; i < sizeof releases / sizeof releases [0]; i++) {
        json_t *payload = json_pack ("{s:s, s:s, s:s, s:s}", "symbol", releases [i] [0],
                                     "language", releases [i] [1], "title", "Document",
                                     "meeting", releases [i] [2]);
        if (releases [i] [3])
            json_object_set_new (payload, "agenda_item", json_string (releases [i] [3]));
        CHECK (s_event (&f, 0, "document.released", payload, NULL)
               == (strcmp (releases [i] [2], "unknown") != 0));
    }
    reply = s_ask (&f, "archive.digest", json_object (), "secretariat", &status);
    CHECK (reply && json_array_size (json_object_get (reply, "facets")) == 3);
    CHECK (s_facet_is (reply, "meetings", "", 2, "ccm-msp13 CCM\nccw-gge CCW\n"));
    CHECK (s_facet_is (reply, "statements", "ccm-msp13", 2, "s3 FR fr 8(a)\ns4 CN zh -\n"));
    CHECK (s_facet_is (reply, "documents", "ccm-msp13", 2,
                       "CCM/MSP/2030/4 8(a)\nCCM/MSP/2030/5 9\n"));
    json_decref (reply);
    reply = s_ask (&f, "archive.digest", json_pack ("{s:s, s:s}", "facet", "statements",
                   "key", "ccm-msp13"), "secretariat", &status);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 2);
    CHECK (strcmp (json_string_value (json_object_get (json_array_get (items, 1), "text")),
                   "s4 CN zh -") == 0);
    json_decref (reply);
    reply = s_ask (&f, "archive.digest", json_pack ("{s:s}", "facet", "sessions"),
                   "secretariat", &status);
    CHECK (!reply && status == 404);
    reply = s_ask (&f, "archive.digest", json_object (), "record-keeper", &status);
    CHECK (!reply && status == 403);
    s_fixture_end (&f);
    return 0;
fail:
    json_decref (reply);
    s_fixture_end (&f);
    return -1;
}

//  Run SQL on the database at PATH; its first column of the first row as
//  an integer, 0 when it returns no row, -1 on failure.
static long long
s_sql (const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    long long value = -1;
    if (sqlite3_open (path, &db) == SQLITE_OK && archive_tokenizer_register (db) == 0
    &&  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK) {
        int rc = sqlite3_step (stmt);
        value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : rc == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    return value;
}

//  An archive built under schema 1 (outcome_document without the family;
//  releases and outcomes of meetings it did not know; no distribution in
//  force per family) is emptied on upgrade and its cursor reset, so that
//  the worker replays the log from 0 under the new rules; the replay then
//  links the outcome again.
static int
test_migration (void)
{
    fixture_t f;
    char *outcomes = NULL;
    CHECK (s_fixture (&f) == 0);
    json_t *events [3] = {
        json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", "ccm-msp13", "convention",
                   "CCM", "kind", "msp", "title", "13MSP", "venue", "Geneva", "tz",
                   "Europe/Zurich", "start", "2025-09-15", "end", "2025-09-18"),
        s_release ("CCM/MSP/2025/1/Rev.1", "en", "the budget", NULL),
        json_pack ("{s:s, s:s, s:s, s:s, s:s, s:[s]}", "meeting", "ccm-msp13", "id", "budget",
                   "kind", "decision", "title", "Budget", "adopted", "2025-09-18",
                   "documents", "CCM/MSP/2025/1/Rev.1"),
    };
    static const char *topics [3] = { "meeting.scheduled", "document.released",
                                      "outcome.adopted" };
    for (int i = 0; i < 3; i++)
        CHECK (s_event (&f, 0, topics [i], json_incref (events [i]), NULL) == 1);
    archive_store_destroy (&f.store);
    //  schema 3's additions gone (distribution through time)...
    static const char *s_schema_2 [] = {
        "DROP INDEX item_by_family", "ALTER TABLE item DROP COLUMN family",
        "ALTER TABLE document DROP COLUMN released_as",
        "ALTER TABLE document DROP COLUMN withdrawn_seq",
        "ALTER TABLE document DROP COLUMN withdrawn_at",
        "ALTER TABLE document DROP COLUMN withdrawn_by",
        "ALTER TABLE document DROP COLUMN withdrawn_reason",
        "DROP TABLE family", "DROP TABLE declassification",
    };
    for (size_t i = 0; i < sizeof s_schema_2 / sizeof s_schema_2 [0]; i++)
        CHECK (s_sql (f.path, s_schema_2 [i]) == 0);
    //  schema 4's too (word forms: the index and its view, file hashes, changes)...
    static const char *s_schema_3 [] = {
        "DROP TABLE item_fts", "DROP VIEW item_text",
        "CREATE VIRTUAL TABLE item_fts USING fts5 (title, body, content = 'item',"
        " content_rowid = 'id', tokenize = 'plenary')",
        "DROP INDEX document_by_base", "ALTER TABLE document DROP COLUMN file_sha256",
        "DROP TABLE document_change",
    };
    for (size_t i = 0; i < sizeof s_schema_3 / sizeof s_schema_3 [0]; i++)
        CHECK (s_sql (f.path, s_schema_3 [i]) == 0);
    //  ...and schema 1's outcome_document, and its user_version
    CHECK (s_sql (f.path, "DROP TABLE outcome_document") == 0);
    CHECK (s_sql (f.path, "CREATE TABLE outcome_document (symbol TEXT NOT NULL,"
                  " outcome INTEGER NOT NULL REFERENCES item (id), PRIMARY KEY (symbol, outcome))")
           == 0);
    CHECK (s_sql (f.path, "INSERT INTO outcome_document SELECT 'CCM/MSP/2025/1/Rev.1', id"
                  " FROM item WHERE kind = 'outcome'") == 0);
    CHECK (s_sql (f.path, "PRAGMA user_version = 1") == 0);
    CHECK ((f.store = archive_store_new (f.path)));
    CHECK (s_sql (f.path, "PRAGMA user_version") == 4);
    CHECK (archive_worker_handler ()->cursor (f.store) == 0);
    CHECK (s_sql (f.path, "SELECT count(*) FROM item") == 0);
    CHECK (s_sql (f.path, "SELECT count(*) FROM meeting") == 0);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "budget"), "secretariat") == 0);
    //  the replay, as the broker gives it from seq 1
    f.seq = 0;
    for (int i = 0; i < 3; i++)
        CHECK (s_event (&f, 0, topics [i], json_incref (events [i]), NULL) == 1);
    CHECK ((outcomes = s_outcomes_of (&f, "ccm/msp/2025/1/rev.1", "public")));
    CHECK (strcmp (outcomes, "ccm-msp13/budget") == 0);
    CHECK (s_total (&f, json_pack ("{s:s}", "q", "budget"), "secretariat") == 2);
    free (outcomes);
    for (int i = 0; i < 3; i++)
        json_decref (events [i]);
    s_fixture_end (&f);
    return 0;
fail:
    free (outcomes);
    for (int i = 0; i < 3; i++)
        json_decref (events [i]);
    s_fixture_end (&f);
    return -1;
}

static const struct {
    const char *name;
    int (*run) (void);
} s_tests [] = {
    { "match",                test_match },
    { "revisions",            test_revisions },
    { "statements_outcomes",  test_statements_outcomes },
    { "roles",                test_roles },
    { "family_distribution",  test_family_distribution },
    { "withdrawal",           test_withdrawal },
    { "index_batches",        test_index_batches },
    { "pages",                test_pages },
    { "ranking",              test_ranking },
    { "digest",               test_digest },
    { "migration",            test_migration },
    { "oracle",               test_oracle },
    { "oracle_near_tie",      test_oracle_near_tie },
};

int
main (int argc, char *argv [])
{
    int verbose = argc > 1 && strcmp (argv [1], "-v") == 0;
    int failures = 0;
    if (archive_words_test (verbose)) {
        fprintf (stderr, "test_archive: archive_words_test failed\n");
        failures++;
    }
    if (archive_tokenizer_test (verbose)) {
        fprintf (stderr, "test_archive: archive_tokenizer_test failed\n");
        failures++;
    }
    for (size_t i = 0; i < sizeof s_tests / sizeof s_tests [0]; i++) {
        int rc = s_tests [i].run ();
        fprintf (stderr, "test_archive: %s %s\n", s_tests [i].name, rc ? "FAILED" : "ok");
        failures += rc != 0;
    }
    return failures ? 1 : 0;
}
