/*  gw_i18n — the web pages' own words in the six UN languages, and which
    language a request gets.

    Two tables in gw_i18n.c: the page chrome (headings, labels, buttons,
    messages), one row per gw_text_id_t, and the labels of the schema's
    enumerations (a meeting's kind and status, an outcome's kind, a
    document's status...), one row per field and value.  Each row has its
    words in Arabic, Chinese, English, French, Russian and Spanish (the UN's
    order); a missing one falls back to English.  What the workers answer
    (titles, names, snippets) is shown as it is, never translated.

    The language of a page: ?lang=xx when it names one of the six, else the
    best of Accept-Language (q-values honoured, zh-CN and zh-Hant are zh),
    else English.  Arabic is written right to left. */
#ifndef GW_I18N_H_INCLUDED
#define GW_I18N_H_INCLUDED

#include <stddef.h>

typedef enum {
    GW_LANG_AR, GW_LANG_ZH, GW_LANG_EN, GW_LANG_FR, GW_LANG_RU, GW_LANG_ES,
    GW_LANGS
} gw_lang_t;

//  The page chrome.  gw_i18n.c has one row per id, in this order.
typedef enum {
    GW_T_SITE, GW_T_SKIP, GW_T_NAV_MEETINGS, GW_T_NAV_SEARCH, GW_T_LANGUAGE, GW_T_JSON,
    GW_T_HOME_TITLE, GW_T_NO_MEETINGS, GW_T_UPCOMING, GW_T_PAST, GW_T_SUBSCRIBE_CONVENTION,
    GW_T_DATES, GW_T_VENUE, GW_T_TIME_ZONE, GW_T_STATUS, GW_T_KIND, GW_T_CONVENTION,
    GW_T_MEETING, GW_T_PROGRAMME, GW_T_NO_SESSIONS, GW_T_TIME, GW_T_SESSION, GW_T_ROOM,
    GW_T_AGENDA_ITEMS, GW_T_YOUR_TIME, GW_T_LOCAL_TIME, GW_T_CANCELLED, GW_T_MOVED,
    GW_T_SUBSCRIBE, GW_T_WEBCAL, GW_T_FEED_ADDRESS, GW_T_COPY, GW_T_COPIED,
    GW_T_ADD_GOOGLE, GW_T_ADD_OUTLOOK, GW_T_ADD_OFFICE, GW_T_DOCUMENTS, GW_T_NO_DOCUMENTS,
    GW_T_SYMBOL, GW_T_TITLE, GW_T_LANGUAGES, GW_T_MEETING_DOCUMENTS, GW_T_WORDS,
    GW_T_SEARCH_HELP, GW_T_FILTERS, GW_T_ANY, GW_T_TEXT_LANGUAGE, GW_T_FROM, GW_T_TO,
    GW_T_SEARCH, GW_T_FOUND, GW_T_NO_RESULTS, GW_T_PAGE, GW_T_NEXT, GW_T_PREVIOUS,
    GW_T_DELEGATION, GW_T_AGENDA_ITEM, GW_T_DATE, GW_T_RELEVANCE, GW_T_REVISION,
    GW_T_FAMILY, GW_T_VERSIONS, GW_T_CURRENT, GW_T_SUPERSEDED, GW_T_RELEASED, GW_T_DATED,
    GW_T_ORIGINAL, GW_T_JOB_NUMBER, GW_T_SIZE, GW_T_BYTES, GW_T_READ, GW_T_DOWNLOAD,
    GW_T_TEXT, GW_T_NO_TEXT, GW_T_OUTCOMES, GW_T_STATEMENTS, GW_T_NONE, GW_T_DISTRIBUTION,
    GW_T_NOT_FOUND, GW_T_BAD_REQUEST, GW_T_UNAVAILABLE, GW_T_MORE, GW_T_SYMBOL_HELP,
    //  the signed-in pages (gw_routes_secretariat.c)
    GW_T_SECRETARIAT, GW_T_SIGN_IN, GW_T_SIGN_OUT, GW_T_USER_NAME, GW_T_PASSWORD,
    GW_T_SIGN_IN_WRONG, GW_T_SIGN_IN_LOCKED, GW_T_SIGN_IN_AGAIN, GW_T_SIGNED_IN_AS,
    GW_T_FORBIDDEN, GW_T_FOCAL_POINT, GW_T_DASHBOARD, GW_T_REGISTRATIONS, GW_T_PARTICIPANTS,
    GW_T_DELEGATIONS, GW_T_HEADS, GW_T_SPONSORED, GW_T_PENDING, GW_T_REJECTED,
    GW_T_WITHDRAWN, GW_T_BY_CATEGORY, GW_T_CATEGORY, GW_T_GENDER_BALANCE, GW_T_GENDER,
    GW_T_ALL_PARTICIPANTS, GW_T_CREDENTIALS, GW_T_STATES_PARTIES, GW_T_NO_CREDENTIALS,
    GW_T_OPEN_DASHBOARD, GW_T_QUEUE, GW_T_OPEN_QUEUE, GW_T_QUEUE_EMPTY, GW_T_NAME,
    GW_T_FUNCTION, GW_T_ACTION, GW_T_APPROVE, GW_T_CONFIRM, GW_T_REJECT, GW_T_APPLIED,
    GW_T_REFUSED, GW_T_NO_VERDICT, GW_T_REGISTER, GW_T_FAMILY_NAME, GW_T_GIVEN_NAME,
    GW_T_EMAIL, GW_T_SPONSORED_ONE,
    GW_T_COUNT
} gw_text_id_t;

//  The words of ID in LANG (English when that row has none).  Static.
const char *gw_i18n_text (gw_lang_t lang, gw_text_id_t id);

//  The label of VALUE of enumeration FIELD ("meeting.kind", "meeting.status",
//  "session.status", "hit.kind", "outcome.kind", "document.status",
//  "distribution", "gender", "delegation.category", "credentials.standing",
//  "weekday" with values "0" (Sunday) to "6") in LANG;
//  VALUE itself when the table has no row for it.  Static or borrowed.
const char *gw_i18n_enum (gw_lang_t lang, const char *field, const char *value);

//  "ar", "zh", ... and the language's name in itself ("العربية", "中文"...).
const char *gw_i18n_code (gw_lang_t lang);
const char *gw_i18n_name (gw_lang_t lang);

//  1 for a language written right to left (Arabic).
int gw_i18n_rtl (gw_lang_t lang);

//  The language whose code is CODE ("fr"; also a document's language).
//  0, or -1 when it is none of the six.
int gw_i18n_find (const char *code, gw_lang_t *lang);

//  The language of a page: PARAM (?lang=) when it names one of the six,
//  else the best of ACCEPT (an Accept-Language header, may be NULL), else
//  English.
gw_lang_t gw_i18n_choose (const char *param, const char *accept);

//  Self-test: every row has English and valid UTF-8 in each language, no
//  row has a placeholder or markup, Accept-Language choices.  0 when every
//  case passes.
int gw_i18n_test (int verbose);

#endif
