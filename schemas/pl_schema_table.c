/*  pl_schema_table — the one definition of every event, query, reply and record.

    Static constant data only.  Each message is a pl_message_t with its kind,
    a documentation paragraph and a { 0 }-terminated array of pl_field_t
    (lib/pl_schema.h explains the columns); an event also names the group
    that decides it, the groups that follow it, and what each refuses beyond
    the fields, read from its handler (NULL, NULL, NULL for the other
    kinds).  Everything else reads this table: the codec validates against
    it, the CLI names its --json keys after it and pl-schema-doc prints
    docs/events.md from it.  To add a message: define its fields and the
    message below, add it to pl_schema_table at the end, run
    build/pl-schema-doc docs/events.md. */
#include "pl_schema.h"

//  Field constructors, so that each field reads as one line of a table
#define F_TEXT(n, req, max, doc)        { n, PL_T_TEXT, req, 0, max, NULL, NULL, doc, 0 }
#define F_NAME(n, req, max, doc)        { n, PL_T_NAME, req, 0, max, NULL, NULL, doc, 0 }
#define F_ID(n, req, doc)               { n, PL_T_ID, req, 0, S_ID_MAX, NULL, NULL, doc, 0 }
#define F_CODE(n, req, doc)             { n, PL_T_CODE, req, 0, S_CODE_MAX, NULL, NULL, doc, 0 }
#define F_ENUM(n, req, values, doc)     { n, PL_T_ENUM, req, 0, 0, values, NULL, doc, 0 }
#define F_BOOL(n, req, doc)             { n, PL_T_BOOL, req, 0, 0, NULL, NULL, doc, 0 }
#define F_INT(n, req, min, doc)         { n, PL_T_INT, req, min, INT64_MAX, NULL, NULL, doc, 0 }
#define F_DATE(n, req, doc)             { n, PL_T_DATE, req, 0, 0, NULL, NULL, doc, 0 }
#define F_LOCAL(n, req, doc)            { n, PL_T_LOCAL_TIME, req, 0, 0, NULL, NULL, doc, 0 }
#define F_STAMP(n, req, doc)            { n, PL_T_TIMESTAMP, req, 0, 0, NULL, NULL, doc, 0 }
#define F_TZ(n, req, doc)               { n, PL_T_TZ, req, 0, 0, NULL, NULL, doc, 0 }
#define F_TEXTS(n, req, items, max, doc) { n, PL_T_TEXTLIST, req, items, max, NULL, NULL, doc, 0 }
#define F_LIST(n, req, max, item, doc)  { n, PL_T_LIST, req, 0, max, NULL, item, doc, 0 }
//  A field of personal data (pl_field_t.personal): only the secretariat sees
//  it.  An e-mail address is always personal (the self-test checks it).
#define F_PERSONAL_EMAIL(n, req, max, doc) { n, PL_T_EMAIL, req, 0, max, NULL, NULL, doc, PL_PERSONAL }
#define F_PERSONAL_TEXT(n, req, max, doc)  { n, PL_T_TEXT, req, 0, max, NULL, NULL, doc, PL_PERSONAL }
#define F_END                           { 0 }

#define REQ PL_REQUIRED
#define OPT PL_OPTIONAL

#define S_ID_MAX        64              //  meeting, session, participant, outcome ids
#define S_PAGE_MAX      50000           //  entries of a page of a list at most
#define S_PAGE_DEFAULT_TEXT "10000"     //  PL_PAGE_DEFAULT (pl_schema.h), for the docs
#define S_PAGE_CURSOR_MAX 1024          //  a page's cursor (after, next)
#define S_CODE_MAX      16              //  convention and delegation codes
#define S_BODY_MAX      12582912        //  12 MiB: the full text of a document or statement

//  --------------------------------------------------------------------------
//  Enumerations

static const char *const s_meeting_kinds [] = {
    "msp", "revcon", "preparatory", "intersessional", "coordination", "committee",
    "gge", "workshop", "side-event", "pledging", "other", NULL };
static const char *const s_meeting_statuses [] = {
    "scheduled", "cancelled", "closed", NULL };
static const char *const s_session_kinds [] = {
    "plenary", "committee", "informal", "side-event", "other", NULL };
static const char *const s_functions [] = {
    "head", "alternate", "adviser", "expert", NULL };
static const char *const s_genders [] = {
    "f", "m", "x", NULL };
static const char *const s_participant_statuses [] = {
    "pending", "registered", "approved", "confirmed", "rejected", "withdrawn", NULL };
static const char *const s_session_statuses [] = {
    "scheduled", "cancelled", NULL };
static const char *const s_delegation_statuses [] = {
    "state-party", "signatory", "not-party", "organization", "civil-society", NULL };
//  A delegation's category at a meeting: its declared status, or undeclared
//  for a State whose status toward the convention was never declared.
static const char *const s_delegation_categories [] = {
    "state-party", "signatory", "not-party", "organization", "civil-society",
    "undeclared", NULL };
static const char *const s_participant_changes [] = {
    "registered", "updated", "admitted", "approved", "confirmed", "rejected", "withdrawn",
    "declared", NULL };
static const char *const s_genders_known [] = {
    "f", "m", "x", "unknown", NULL };
static const char *const s_credential_forms [] = {
    "original", "copy", "note-verbale", NULL };
static const char *const s_credential_issuers [] = {
    "head-of-state", "head-of-government", "foreign-minister", "other", NULL };
static const char *const s_un_languages [] = {
    "ar", "zh", "en", "fr", "ru", "es", NULL };
static const char *const s_speech_languages [] = {
    "ar", "zh", "en", "fr", "ru", "es", "other", NULL };
static const char *const s_distributions [] = {
    "general", "limited", "restricted", NULL };
static const char *const s_document_statuses [] = {
    "advance", "final", NULL };
static const char *const s_outcome_kinds [] = {
    "decision", "final-report", "action-plan", "declaration", "recommendation",
    "other", NULL };
static const char *const s_speaker_statuses [] = {
    "waiting", "spoken", "withdrawn", NULL };
//  Where a State Party stands in the Credentials Committee's report.
static const char *const s_credential_standings [] = {
    "due-form", "provisional", "pending", "rejected", "none", NULL };
//  Where the records worker's knowledge of a convention comes from.
static const char *const s_convention_sources [] = {
    "built-in", "declared", NULL };
//  What became of a list entry since an issue of the list of participants.
static const char *const s_list_changes [] = {
    "added", "changed", "removed", NULL };

//  --------------------------------------------------------------------------
//  Who decides each event, who follows it, and what each refuses beyond the
//  fields (pl_message_t's authority, followers and rules; one rule per
//  line, in the order the handler checks them, with the reason it gives).
//  A follower takes the event's topic and follows its authority for it
//  (CALENDAR_FOLLOWS, ARCHIVE_FOLLOWS in the workers' headers);
//  tests/docs_groups.sh checks both against the running workers.

static const pl_follower_t s_followed_by_none [] = { { 0 } };
static const pl_follower_t s_followed_by_archive [] = { { "archive", NULL }, { 0 } };
static const pl_follower_t s_followed_by_notify [] = { { "notify", NULL }, { 0 } };
static const pl_follower_t s_followed_by_calendar_notify [] = {
    { "calendar", NULL }, { "notify", NULL }, { 0 }
};
#define S_CALENDAR_ZONE(which) \
    which " time zone is one libical has no definition of (UTC aside), so no feed " \
    "could carry it: `meeting ccm-msp13: the calendar cannot render time zone " \
    "Mars/Olympus (libical has no definition of it)`"
static const pl_follower_t s_meeting_scheduled_followers [] = {
    { "calendar", S_CALENDAR_ZONE ("the meeting's") }, { "archive", NULL }, { "notify", NULL },
    { 0 }
};
static const pl_follower_t s_meeting_updated_followers [] = {
    { "calendar", S_CALENDAR_ZONE ("a new") }, { "notify", NULL }, { 0 }
};

//  Rules that several events share
#define S_NO_MEETING \
    "the meeting does not exist: `meeting ccm-msp13 does not exist`"
#define S_UNKNOWN_CONVENTION(subject) \
    "the convention is neither built in nor declared: `" subject ": convention XYZ is " \
    "not known (known: APMBC, ATT, …); add it with plenary convention add --code XYZ " \
    "--name NAME`"
#define S_UNKNOWN_ZONE(which) \
    which " has no file in the tz database ($TZDIR, by default " \
    "/usr/share/zoneinfo): `meeting ccm-msp13: unknown time zone Europe/Atlantis`"
#define S_PROGRAMME_CLOSED \
    "the meeting is cancelled or closed: `meeting ccm-msp13 is closed; its programme " \
    "cannot change`"
#define S_NO_SESSION \
    "the session does not exist: `session day1-am of meeting ccm-msp13 does not exist`"
//  A session's start and end, each in turn, then both (records_meetings.c)
#define S_SESSION_TIMES \
    "libical has no definition of the meeting's time zone, though the tz database has " \
    "a file of it: `session day1-am: time zone Mars/Olympus has no definition in the tz " \
    "database`\n" \
    "the start or the end is a time clocks skip in the meeting's time zone: `session " \
    "day1-am: start 2025-03-30T02:30 does not exist in Europe/Zurich: clocks go from " \
    "02:00 to 03:00 on 2025-03-30`\n" \
    "the start or the end is a time that happens twice, given without the UTC offset " \
    "that picks one: `session day1-am: start 2025-10-26T02:30 is ambiguous in " \
    "Europe/Zurich: it happens twice, at UTC+02:00 and at UTC+01:00 (clocks go back from " \
    "03:00 to 02:00 on 2025-10-26); give the offset: 2025-10-26T02:30+02:00 or " \
    "2025-10-26T02:30+01:00`\n" \
    "the start or the end carries a UTC offset the zone does not have then: `session " \
    "day1-am: start 2025-11-24T10:00+02:00: Europe/Zurich is at UTC+01:00 then, not " \
    "UTC+02:00`\n" \
    "the end is not after the start, as instants: `session day1-am: end " \
    "2025-11-24T10:00:00 is not after start 2025-11-24T13:00:00`\n" \
    "the start's or the end's date is not one of the meeting's days: `session day1-am: " \
    "2025-11-30 is outside meeting ccm-msp13 (2025-11-24 to 2025-11-28)`"
#define S_UNKNOWN_DELEGATION(which) \
    which " is neither a State (an ISO 3166-1 alpha-2 code) nor an organisation " \
    "declared for the meeting's convention: `delegation XZ: not an ISO 3166-1 alpha-2 " \
    "code of a State` for a code of two letters, else `delegation ICRC is not declared " \
    "for CCM; declare the organisation first (plenary delegation set --convention CCM " \
    "--code ICRC --status organization --name NAME)`"
//  The duplicate key of a person (RECORDS_NAME_KEY and email_key in the store)
#define S_SAME_PERSON \
    "the same e-mail address, its case and surrounding spaces aside, or the same family " \
    "and given names in the same delegation, surrounding spaces and the case of ASCII " \
    "letters aside"
#define S_NO_PARTICIPANT \
    "the participant is not one of the meeting's: `participant p42 of meeting ccm-msp13 " \
    "does not exist`"
//  What records refuses of a focal point's key (a delegate key granted the
//  topic, with a delegation), from the broker's stamp (docs/protocol.md)
#define S_STAMP(act) \
    "published by a key of a role below the secretariat (the broker's stamp) that is " \
    "no delegation's focal point: `key lucie (delegate) is no delegation's focal point; " \
    "it cannot " act "`\n" \
    "published by a focal point's key for another delegation than its own: `key lucie is " \
    "the focal point of FR; it cannot " act " for DE`\n"

#define S_FOCAL_POINT(change) \
    "the focal point given is the participant itself: `participant p42 cannot be " \
    change " by itself as focal point`\n" \
    "the focal point given is not a participant of the meeting: `focal point p7 is not " \
    "a participant of meeting ccm-msp13`\n" \
    "the focal point given is not marked focal_point: `p7 is not a focal point of " \
    "delegation FR`\n" \
    "the focal point given is of another delegation: `focal point p7 of delegation DE " \
    "cannot act on p42 of delegation FR`\n" \
    "the focal point given is neither registered, approved nor confirmed: `focal point " \
    "p7 is withdrawn`"
//  The checks all three credentials events begin with (records_credentials.c)
#define S_CREDENTIALS \
    S_NO_MEETING "\n" \
    "the meeting is not a formal one (msp, revcon): `meeting ccm-ws1 is a workshop " \
    "meeting; only formal meetings (msp, revcon) take credentials`\n" \
    "the meeting is cancelled (a closed one still takes them): `meeting ccm-msp13 is " \
    "cancelled`\n" \
    S_UNKNOWN_DELEGATION ("the delegation") "\n" \
    "the delegation is not a State Party to the meeting's convention: `delegation SE is " \
    "not a State Party to CCM (signatory); only States Parties submit credentials`"
#define S_NO_CREDENTIALS \
    "the delegation has submitted no credentials to the meeting: `delegation FR has " \
    "submitted no credentials to ccm-msp13`"
#define S_SPEAKERS_CLOSED \
    "the meeting is cancelled or closed: `meeting ccm-msp13 is closed; its lists of " \
    "speakers are closed`"
#define S_ARCHIVE_NO_MEETING(which) \
    which " is not in the archive's view of meetings (records did not apply its " \
    "meeting.scheduled): `meeting ccm-msp99 does not exist`"

//  --------------------------------------------------------------------------
//  Meetings

static const pl_field_t s_meeting_scheduled [] = {
    F_ID    ("id", REQ, "meeting id chosen by the secretariat, e.g. ccm-msp13"),
    F_CODE  ("convention", REQ, "a known convention: built in (see Conventions) or declared (convention.declared)"),
    F_ENUM  ("kind", REQ, s_meeting_kinds, "kind of meeting"),
    F_NAME  ("title", REQ, 512, "official title"),
    F_NAME  ("venue", REQ, 128, "venue, e.g. Geneva, Palais des Nations"),
    F_TZ    ("tz", REQ, "IANA time zone of the venue, e.g. Europe/Zurich"),
    F_DATE  ("start", REQ, "first day"),
    F_DATE  ("end", REQ, "last day"),
    F_TEXT  ("url", OPT, 512, "web page of the meeting"),
    F_TEXT  ("description", OPT, 4096, "free description"),
    F_END
};
static const pl_message_t s_meeting_scheduled_msg = {
    "meeting.scheduled", PL_KIND_EVENT, NULL, NULL, s_meeting_scheduled,
    "A meeting of a convention is put on the calendar: a Meeting of States Parties, "
    "a Review Conference, an intersessional meeting, a committee or a side event. "
    "Its id is chosen by the secretariat and names the meeting in every later event.",
    "records", s_meeting_scheduled_followers,
    "a meeting with that id exists, whatever its status: `meeting ccm-msp13 already exists`\n"
    S_UNKNOWN_CONVENTION ("meeting ccm-msp13") "\n"
    "the end is before the start: `meeting ccm-msp13: end 2025-11-20 is before start "
    "2025-11-24`\n"
    S_UNKNOWN_ZONE ("the time zone")
};

static const pl_field_t s_meeting_updated [] = {
    F_ID    ("id", REQ, "meeting to change"),
    F_ENUM  ("kind", OPT, s_meeting_kinds, "new kind of meeting"),
    F_NAME  ("title", OPT, 512, "new title"),
    F_NAME  ("venue", OPT, 128, "new venue"),
    F_TZ    ("tz", OPT, "new time zone"),
    F_DATE  ("start", OPT, "new first day"),
    F_DATE  ("end", OPT, "new last day"),
    F_TEXT  ("url", OPT, 512, "new web page"),
    F_TEXT  ("description", OPT, 4096, "new description"),
    F_TEXT  ("reason", OPT, 512, "why it changed"),
    F_END
};
static const pl_message_t s_meeting_updated_msg = {
    "meeting.updated", PL_KIND_EVENT, NULL, NULL, s_meeting_updated,
    "Some details of a scheduled meeting change. Only the fields present are "
    "changed; the others keep their values. New dates must keep every session "
    "within them; a new time zone must give every session's times one instant each "
    "(see session.scheduled).",
    "records", s_meeting_updated_followers,
    S_NO_MEETING "\n"
    "the meeting is cancelled or closed: `meeting ccm-msp13 is closed; it cannot be updated`\n"
    "it gives nothing besides the id and the reason (a value equal to the current one "
    "counts as given): `meeting ccm-msp13: nothing to change`\n"
    S_UNKNOWN_ZONE ("a new time zone") "\n"
    "the end would be before the start, as given or as they stand: `meeting ccm-msp13: end "
    "2025-11-20 is before start 2025-11-24`\n"
    "a session not cancelled would fall outside the new dates: `meeting ccm-msp13: session "
    "day5-pm would fall outside 2025-11-24 to 2025-11-27; move or cancel it first`\n"
    "with another time zone, a session not cancelled would not run at single instants in "
    "it, by the rules of session.scheduled (a time clocks skip, a time they repeat "
    "without an offset, an offset the zone does not have then, an end not after its "
    "start): `meeting ccm-msp13: in America/New_York, session day1-am: start "
    "2025-03-09T02:30:00 does not exist in America/New_York: clocks go from 02:00 to "
    "03:00 on 2025-03-09; move or cancel the session first`"
};

static const pl_field_t s_meeting_ended [] = {
    F_ID    ("id", REQ, "meeting"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_meeting_cancelled_msg = {
    "meeting.cancelled", PL_KIND_EVENT, NULL, NULL, s_meeting_ended,
    "A meeting will not take place. Its sessions and registrations stay on "
    "record; the meeting's status becomes cancelled.",
    "records", s_followed_by_calendar_notify,
    S_NO_MEETING "\n"
    "the meeting is already cancelled: `meeting ccm-msp13 is already cancelled`\n"
    "the meeting is closed: `meeting ccm-msp13 is closed; it cannot be cancelled`"
};
static const pl_message_t s_meeting_closed_msg = {
    "meeting.closed", PL_KIND_EVENT, NULL, NULL, s_meeting_ended,
    "A meeting has ended and its records are complete; the meeting's status "
    "becomes closed.",
    "records", s_followed_by_calendar_notify,
    S_NO_MEETING "\n"
    "the meeting is already closed: `meeting ccm-msp13 is already closed`\n"
    "the meeting is cancelled: `meeting ccm-msp13 is cancelled; it cannot be closed`"
};

//  --------------------------------------------------------------------------
//  Sessions (the programme of work)

static const pl_field_t s_session_scheduled [] = {
    F_ID    ("meeting", REQ, "meeting the session belongs to"),
    F_ID    ("id", REQ, "session id, unique within the meeting, e.g. day1-am"),
    F_NAME  ("title", REQ, 512, "title, e.g. First plenary meeting"),
    F_LOCAL ("start", REQ, "start, wall-clock time in the meeting's time zone; with the UTC offset when it happens twice"),
    F_LOCAL ("end", REQ, "end, wall-clock time in the meeting's time zone; with the UTC offset when it happens twice"),
    F_NAME  ("room", OPT, 128, "room, e.g. Room XIX"),
    F_TEXTS ("agenda_items", OPT, 16, 32, "agenda items taken up, e.g. 8(a), 9(h)(i)"),
    F_ENUM  ("kind", OPT, s_session_kinds, "kind of session"),
    F_END
};
static const pl_message_t s_session_scheduled_msg = {
    "session.scheduled", PL_KIND_EVENT, NULL, NULL, s_session_scheduled,
    "A session is added to a meeting's programme of work: a plenary or "
    "committee sitting in a room at a local time, with the agenda items it takes up. "
    "Its start and end must each be one instant in the meeting's zone (tz database): "
    "a wall-clock time that does not exist because clocks go forward is refused, and "
    "one that happens twice because they go back is refused as ambiguous unless it "
    "carries the UTC offset in force then (2025-10-26T02:30+01:00 is the second "
    "02:30 in Geneva). An offset on any other time must be the zone's then. The end "
    "must come after the start, as instants, and both lie within the meeting's days.",
    "records", s_followed_by_calendar_notify,
    S_NO_MEETING "\n"
    S_PROGRAMME_CLOSED "\n"
    "a session with that id exists in the meeting, even a cancelled one: `session day1-am "
    "of meeting ccm-msp13 already exists`\n"
    S_SESSION_TIMES
};

static const pl_field_t s_session_moved [] = {
    F_ID    ("meeting", REQ, "meeting of the session"),
    F_ID    ("id", REQ, "session"),
    F_LOCAL ("start", REQ, "new start, wall-clock time in the meeting's time zone; with the UTC offset when it happens twice"),
    F_LOCAL ("end", REQ, "new end, wall-clock time in the meeting's time zone; with the UTC offset when it happens twice"),
    F_NAME  ("room", OPT, 128, "new room"),
    F_TEXT  ("reason", OPT, 512, "why it moved"),
    F_END
};
static const pl_message_t s_session_moved_msg = {
    "session.moved", PL_KIND_EVENT, NULL, NULL, s_session_moved,
    "A session moves to another time, and possibly another room; its times follow "
    "the rules of session.scheduled.",
    "records", s_followed_by_calendar_notify,
    S_NO_MEETING "\n"
    S_PROGRAMME_CLOSED "\n"
    S_NO_SESSION "\n"
    "the session is cancelled: `session day1-am of meeting ccm-msp13 is cancelled; it "
    "cannot move`\n"
    S_SESSION_TIMES
};

static const pl_field_t s_session_cancelled [] = {
    F_ID    ("meeting", REQ, "meeting of the session"),
    F_ID    ("id", REQ, "session"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_session_cancelled_msg = {
    "session.cancelled", PL_KIND_EVENT, NULL, NULL, s_session_cancelled,
    "A session is taken off the programme of work.",
    "records", s_followed_by_calendar_notify,
    S_NO_MEETING "\n"
    S_PROGRAMME_CLOSED "\n"
    S_NO_SESSION "\n"
    "the session is already cancelled: `session day1-am of meeting ccm-msp13 is already "
    "cancelled`"
};

//  --------------------------------------------------------------------------
//  Participants

static const pl_field_t s_participant_registered [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_NAME  ("family_name", REQ, 128, "family name, as in the passport"),
    F_NAME  ("given_name", OPT, 128, "given names"),
    F_CODE  ("delegation", REQ, "delegation: ISO 3166-1 alpha-2 code of a State, or an organisation's code (ICRC, CMC)"),
    F_ENUM  ("function", OPT, s_functions, "function in the delegation"),
    F_ENUM  ("gender", OPT, s_genders, "gender, for the gender-balance report"),
    F_PERSONAL_EMAIL ("email", OPT, 254, "e-mail address"),
    F_BOOL  ("sponsored", OPT, "attends with support of the sponsorship programme"),
    F_NAME  ("title", OPT, 64, "courtesy title, e.g. H.E. Ms."),
    F_NAME  ("position", OPT, 256, "position held, e.g. Ambassador, Permanent Representative"),
    F_NAME  ("organization", OPT, 256, "ministry or organisation"),
    F_PERSONAL_TEXT ("note", OPT, 1024, "secretariat's note on the person"),
    F_BOOL  ("focal_point", OPT, "the delegation's focal point, who approves its registrations"),
    F_ENUM  ("language", OPT, s_un_languages, "the UN language plenary-notify writes to the person in (English when absent); the notify worker keeps it, records does not"),
    F_END
};
static const pl_message_t s_participant_registered_msg = {
    "participant.registered", PL_KIND_EVENT, NULL, NULL, s_participant_registered,
    "A person is registered as a member of a delegation to a meeting. The "
    "participant's id is \"p\" followed by the sequence number of this event "
    "(p42), so it is the same after a rebuild from the log. The delegation must "
    "be an ISO 3166-1 alpha-2 code of a State or an organisation declared for the "
    "meeting's convention (delegation.declared). A State whose status was never "
    "declared is registered as undeclared; a State declared not party, an "
    "organisation or civil society not yet admitted to the meeting "
    "(delegation.admitted) is recorded as pending, \"awaiting admission of X as "
    "observer\", and becomes registered on admission. A delegation's focal point may "
    "publish it with its own key (`plenary keys web-user --delegation`), for its own "
    "delegation only.",
    "records", s_followed_by_calendar_notify,
    S_STAMP ("register") S_NO_MEETING "\n"
    "the meeting is cancelled or closed: `meeting ccm-msp13 is closed; registration is "
    "closed`\n"
    S_UNKNOWN_DELEGATION ("the delegation") "\n"
    "the same person holds a registration to the meeting that is neither withdrawn nor "
    "rejected: " S_SAME_PERSON ": `Dupont, Marie (FR) is already registered to ccm-msp13 "
    "as p42`"
};

static const pl_field_t s_participant_updated [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_NAME  ("family_name", OPT, 128, "new family name"),
    F_NAME  ("given_name", OPT, 128, "new given names"),
    F_CODE  ("delegation", OPT, "new delegation code"),
    F_ENUM  ("function", OPT, s_functions, "new function in the delegation"),
    F_ENUM  ("gender", OPT, s_genders, "new gender"),
    F_PERSONAL_EMAIL ("email", OPT, 254, "new e-mail address"),
    F_BOOL  ("sponsored", OPT, "new sponsorship"),
    F_NAME  ("title", OPT, 64, "new courtesy title"),
    F_NAME  ("position", OPT, 256, "new position"),
    F_NAME  ("organization", OPT, 256, "new ministry or organisation"),
    F_PERSONAL_TEXT ("note", OPT, 1024, "new note on the person"),
    F_BOOL  ("focal_point", OPT, "now is (true) or is no longer (false) the focal point"),
    F_TEXT  ("reason", OPT, 512, "why it changed"),
    F_END
};
static const pl_message_t s_participant_updated_msg = {
    "participant.updated", PL_KIND_EVENT, NULL, NULL, s_participant_updated,
    "Details of a registered participant change. Only the fields present are "
    "changed; the others keep their values, and the details as they were before "
    "are kept in the participant's history (participant.history). A new delegation "
    "makes a pending or registered participant what participant.registered would "
    "make it: pending, \"awaiting admission of X as observer\", when the delegation "
    "takes part as observer and is not admitted to the meeting, else registered (the "
    "history row of the change has the new status); an approved or confirmed "
    "participant keeps its status.",
    "records", s_followed_by_calendar_notify,
    S_NO_PARTICIPANT "\n"
    "the participant is rejected or withdrawn: `participant p42 is withdrawn; it cannot be "
    "updated`\n"
    "no field given differs from the participant's details (the reason aside): "
    "`participant p42: nothing to change`\n"
    S_UNKNOWN_DELEGATION ("a new delegation") "\n"
    "a new delegation takes part as observer only (a State not party, an organisation, "
    "civil society), is not admitted to the meeting, and the participant is approved or "
    "confirmed (a pending or registered one becomes pending): `participant p42: ICRC is "
    "not admitted to ccm-msp13 as observer; admit it first`\n"
    "the change gives the participant another family name, given name, delegation or "
    "e-mail address, and the details after it are those of another registration to the "
    "meeting, made before or after this one, that is neither withdrawn nor rejected: "
    S_SAME_PERSON ", as participant.registered refuses (the earliest such registration "
    "is named): `participant p42: Dupont, Marie (FR) is already registered to ccm-msp13 "
    "as p43`"
};

static const pl_field_t s_participant_withdrawn [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_participant_withdrawn_msg = {
    "participant.withdrawn", PL_KIND_EVENT, NULL, NULL, s_participant_withdrawn,
    "A registration is withdrawn. The participant stays on record with status withdrawn.",
    "records", s_followed_by_calendar_notify,
    S_NO_PARTICIPANT "\n"
    "the participant is already withdrawn: `participant p42 is already withdrawn`\n"
    "the participant is rejected: `participant p42 is rejected; it cannot be withdrawn`"
};

static const pl_field_t s_participant_approved [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_ID    ("focal_point", OPT, "participant id of the delegation's focal point who approves; absent when the secretariat approves"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_participant_approved_msg = {
    "participant.approved", PL_KIND_EVENT, NULL, NULL, s_participant_approved,
    "The first level of approval: the delegation's focal point (a participant of "
    "the same delegation and meeting marked focal_point) approves a registration "
    "of its delegation, or the secretariat does so itself, skipping that step. "
    "Only a registered participant can be approved. A focal point's own key may "
    "publish it for its delegation's participants only.",
    "records", s_followed_by_calendar_notify,
    S_NO_PARTICIPANT "\n" S_STAMP ("approve")
    "the participant is already approved: `participant p42 is already approved`\n"
    "the participant is not registered: `participant p42 is pending; it cannot be approved "
    "before its delegation is admitted`, `participant p42 is confirmed; it cannot be "
    "approved`\n"
    S_FOCAL_POINT ("approved")
};

static const pl_field_t s_participant_confirmed [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_participant_confirmed_msg = {
    "participant.confirmed", PL_KIND_EVENT, NULL, NULL, s_participant_confirmed,
    "The second level: the secretariat confirms an approved registration, or a "
    "registered one directly, skipping the focal point's approval.",
    "records", s_followed_by_calendar_notify,
    S_NO_PARTICIPANT "\n"
    "the participant is already confirmed: `participant p42 is already confirmed`\n"
    "the participant is neither registered nor approved: `participant p42 is pending; it "
    "cannot be confirmed before its delegation is admitted`, `participant p42 is "
    "withdrawn; it cannot be confirmed`"
};

static const pl_field_t s_participant_rejected [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_ID    ("focal_point", OPT, "participant id of the focal point who rejects; absent when the secretariat rejects"),
    F_TEXT  ("reason", REQ, 512, "why"),
    F_END
};
static const pl_message_t s_participant_rejected_msg = {
    "participant.rejected", PL_KIND_EVENT, NULL, NULL, s_participant_rejected,
    "A registration is refused, by the delegation's focal point (a registered "
    "participant only) or by the secretariat (pending, registered or approved). "
    "The participant stays on record with status rejected.",
    "records", s_followed_by_calendar_notify,
    S_NO_PARTICIPANT "\n"
    "the participant is already rejected: `participant p42 is already rejected`\n"
    "the participant is confirmed or withdrawn: `participant p42 is confirmed; it cannot be "
    "rejected`\n"
    S_FOCAL_POINT ("rejected") "\n"
    "with a focal point, the participant is not registered (pending or approved): "
    "`participant p42 is approved; only the secretariat can reject it now`"
};

//  --------------------------------------------------------------------------
//  Conventions

static const pl_field_t s_convention_declared [] = {
    F_CODE  ("code", REQ, "code of the convention, e.g. CPPNM; not one of the built-in ones"),
    F_NAME  ("name", REQ, 256, "its English name"),
    F_END
};
static const pl_message_t s_convention_declared_msg = {
    "convention.declared", PL_KIND_EVENT, NULL, NULL, s_convention_declared,
    "The secretariat adds a convention to those plenary knows, so that meetings "
    "and delegations of it are accepted. The built-in conventions (see Conventions "
    "below, from schemas/conventions.tsv) need no declaration and cannot be "
    "declared; declaring a declared one again changes its name.",
    "records", s_followed_by_none,
    "the convention is built in: `convention CCM (Convention on Cluster Munitions) is built "
    "in; it needs no declaration`"
};

//  --------------------------------------------------------------------------
//  Delegations

static const pl_field_t s_delegation_declared [] = {
    F_CODE  ("convention", REQ, "a known convention: built in (see Conventions) or declared (convention.declared)"),
    F_CODE  ("code", REQ, "ISO 3166-1 alpha-2 code of a State (FR), or an organisation's code (ICRC, CMC)"),
    F_ENUM  ("status", REQ, s_delegation_statuses, "status toward the convention"),
    F_NAME  ("name", OPT, 256, "name of an organisation (required for one); a State's name comes from ISO 3166-1"),
    F_TEXT  ("note", OPT, 1024, "secretariat's note, e.g. date of ratification"),
    F_END
};
static const pl_message_t s_delegation_declared_msg = {
    "delegation.declared", PL_KIND_EVENT, NULL, NULL, s_delegation_declared,
    "The secretariat declares a delegation's status toward a convention: a State "
    "(by its ISO 3166-1 alpha-2 code) is a State Party, a signatory or not party; "
    "an international organisation or a civil-society organisation gets a code "
    "and a name. Declaring again changes the status (a signatory ratifies) for "
    "later registrations and for the statistics; a State declared a State Party or "
    "a signatory needs no admission, so its registrations pending admission to the "
    "convention's scheduled meetings become registered (history change \"declared\").",
    "records", s_followed_by_notify,
    S_UNKNOWN_CONVENTION ("delegation FR") "\n"
    "a State's status (state-party, signatory, not-party) for a code that is not an ISO "
    "3166-1 alpha-2 code of a State: `XZ is not an ISO 3166-1 alpha-2 code of a State; only "
    "a State can be a State Party`\n"
    "a State's status with a name: `FR is a State (France): its name comes from ISO 3166-1; "
    "give no name`\n"
    "an organisation's status (organization, civil-society) for the code of a State: `FR is "
    "the ISO 3166-1 code of France; an international organisation needs a code of its "
    "own`\n"
    "an organisation not yet declared for the convention comes without a name: "
    "`organisation ICRC needs a name (--name)`"
};

static const pl_field_t s_delegation_admitted [] = {
    F_ID    ("meeting", REQ, "meeting that admits it"),
    F_CODE  ("delegation", REQ, "delegation admitted as observer"),
    F_TEXT  ("reason", OPT, 512, "the decision, for the record"),
    F_END
};
static const pl_message_t s_delegation_admitted_msg = {
    "delegation.admitted", PL_KIND_EVENT, NULL, NULL, s_delegation_admitted,
    "A meeting admits an organisation, civil society or a State not party as an "
    "observer. Its pending registrations to that meeting become registered.",
    "records", s_followed_by_none,
    S_NO_MEETING "\n"
    "the meeting is cancelled or closed: `meeting ccm-msp13 is closed; it admits no "
    "observers`\n"
    S_UNKNOWN_DELEGATION ("the delegation") "\n"
    "the delegation is a State whose status toward the convention is not declared: `the "
    "status of SE toward CCM is not declared; declare it not-party before admitting it as "
    "observer`\n"
    "the delegation is a State Party or a signatory: `FR is a State Party to CCM; it takes "
    "part without admission`\n"
    "the delegation is already admitted to the meeting: `ICRC is already admitted to "
    "ccm-msp13 as observer`"
};

//  --------------------------------------------------------------------------
//  Credentials

static const pl_field_t s_credentials_submitted [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation whose credentials these are"),
    F_ENUM  ("form", REQ, s_credential_forms, "original, or a copy or note verbale (provisional)"),
    F_ENUM  ("issued_by", OPT, s_credential_issuers, "authority that signed them"),
    F_DATE  ("received", REQ, "day the secretariat received them"),
    F_TEXT  ("note", OPT, 1024, "secretariat's note"),
    F_END
};
static const pl_message_t s_credentials_submitted_msg = {
    "credentials.submitted", PL_KIND_EVENT, NULL, NULL, s_credentials_submitted,
    "A delegation submits credentials for a formal meeting: an original signed "
    "by the Head of State or Government or the Minister for Foreign Affairs, or a "
    "copy or note verbale, which counts as provisional.",
    "records", s_followed_by_notify,
    S_CREDENTIALS "\n"
    "the form is a copy or a note verbale and the delegation's latest credentials are an "
    "original found in due form: `delegation FR already has credentials in due form for "
    "ccm-msp13`"
};

static const pl_field_t s_credentials_verified [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation"),
    F_TEXT  ("note", OPT, 1024, "Credentials Committee's note"),
    F_END
};
static const pl_message_t s_credentials_verified_msg = {
    "credentials.verified", PL_KIND_EVENT, NULL, NULL, s_credentials_verified,
    "The Credentials Committee finds a delegation's credentials in order.",
    "records", s_followed_by_none,
    S_CREDENTIALS "\n"
    S_NO_CREDENTIALS "\n"
    "its latest credentials are already verified or rejected: `the credentials of FR to "
    "ccm-msp13 are already verified`, `the credentials of FR to ccm-msp13 are already "
    "rejected; a new submission is needed`"
};

static const pl_field_t s_credentials_rejected [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation"),
    F_TEXT  ("reason", REQ, 512, "why they are not in order"),
    F_END
};
static const pl_message_t s_credentials_rejected_msg = {
    "credentials.rejected", PL_KIND_EVENT, NULL, NULL, s_credentials_rejected,
    "The Credentials Committee finds a delegation's credentials not in order.",
    "records", s_followed_by_none,
    S_CREDENTIALS "\n"
    S_NO_CREDENTIALS "\n"
    "its latest credentials are already rejected (verified ones may be): `the credentials "
    "of FR to ccm-msp13 are already rejected`"
};

//  --------------------------------------------------------------------------
//  Statements, documents, outcomes

static const pl_field_t s_statement_delivered [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation that spoke"),
    F_NAME  ("speaker", OPT, 256, "name of the speaker"),
    F_ENUM  ("language", REQ, s_speech_languages, "language it was delivered in"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item, e.g. 8(a)"),
    F_ID    ("session", OPT, "session it was delivered in"),
    F_NAME  ("on_behalf_of", OPT, 256, "group spoken for, e.g. the European Union"),
    F_STAMP ("delivered_at", OPT, "when it was delivered (default: when the broker logged the event)"),
    F_INT   ("duration_s", OPT, 0, "how long it lasted, in seconds"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "full text"),
    F_TEXT  ("document", OPT, 64, "symbol of the document that carries it; it need not be released yet"),
    F_END
};
static const pl_message_t s_statement_delivered_msg = {
    "statement.delivered", PL_KIND_EVENT, NULL, NULL, s_statement_delivered,
    "A delegation delivers a statement under an agenda item, in a language; the "
    "secretariat collects and distributes it. Its id is \"s\" followed by the "
    "event's sequence number. A delivered_at given must fall, in the meeting's time "
    "zone, on one of the meeting's days; without it the statement is dated when the "
    "broker logged the event, unchecked. When the delegation is waiting on the list of "
    "speakers of that agenda item, the statement closes its turn (start time "
    "delivered_at, duration_s).",
    "records", s_followed_by_archive,
    S_NO_MEETING "\n"
    "the meeting is cancelled (a closed one still takes statements): `meeting ccm-msp13 is "
    "cancelled`\n"
    S_UNKNOWN_DELEGATION ("the delegation") "\n"
    "a delivered_at given cannot be dated in the meeting's time zone (libical has no "
    "definition of it, though the tz database has a file of it): `statement of FR: cannot "
    "date 2025-11-24T10:15:00Z in time zone Mars/Olympus`\n"
    "a delivered_at given falls, in the meeting's time zone, on a day before or after the "
    "meeting's: `statement of FR: delivered_at 2025-11-30T09:00:00Z is 2025-11-30 in "
    "Europe/Zurich, after meeting ccm-msp13 (2025-11-24 to 2025-11-28)`\n"
    "a session given is not one of the meeting's (a cancelled one is): `session day9-am of "
    "meeting ccm-msp13 does not exist`"
};

//  --------------------------------------------------------------------------
//  The list of speakers and the issued list of participants

static const pl_field_t s_speaker_inscribed [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_TEXT  ("agenda_item", REQ, 32, "agenda item, e.g. 8(a)"),
    F_CODE  ("delegation", REQ, "delegation that asks for the floor"),
    F_NAME  ("speaker", OPT, 256, "name of the speaker"),
    F_NAME  ("on_behalf_of", OPT, 256, "group spoken for, e.g. the European Union"),
    F_STAMP ("inscribed_at", OPT, "time of inscription (default: when the broker logged the event)"),
    F_END
};
static const pl_message_t s_speaker_inscribed_msg = {
    "speaker.inscribed", PL_KIND_EVENT, NULL, NULL, s_speaker_inscribed,
    "A delegation is inscribed on the list of speakers of an agenda item, after "
    "those already waiting. A delegation waits at most once per agenda item.",
    "records", s_followed_by_none,
    S_NO_MEETING "\n"
    S_SPEAKERS_CLOSED "\n"
    S_UNKNOWN_DELEGATION ("the delegation") "\n"
    "the delegation is already waiting on that list: `delegation FR is already waiting on "
    "the list of speakers of item 8(a) of ccm-msp13 (position 3)`"
};

static const pl_field_t s_speaker_withdrawn [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_TEXT  ("agenda_item", REQ, 32, "agenda item"),
    F_CODE  ("delegation", REQ, "delegation that gives up its turn"),
    F_TEXT  ("reason", OPT, 512, "why"),
    F_END
};
static const pl_message_t s_speaker_withdrawn_msg = {
    "speaker.withdrawn", PL_KIND_EVENT, NULL, NULL, s_speaker_withdrawn,
    "A waiting delegation withdraws from the list of speakers of an agenda item; "
    "the list keeps the entry, marked withdrawn.",
    "records", s_followed_by_none,
    S_NO_MEETING "\n"
    "the delegation is not waiting on that list of speakers: `delegation FR is not "
    "waiting on the list of speakers of item 8(a) of ccm-msp13`"
};

static const pl_field_t s_speaker_swapped [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_TEXT  ("agenda_item", REQ, 32, "agenda item"),
    F_CODE  ("delegation", REQ, "one waiting delegation"),
    F_CODE  ("with", REQ, "the other waiting delegation"),
    F_END
};
static const pl_message_t s_speaker_swapped_msg = {
    "speaker.swapped", PL_KIND_EVENT, NULL, NULL, s_speaker_swapped,
    "Two delegations waiting on the list of speakers of an agenda item swap places.",
    "records", s_followed_by_none,
    "the two delegations are the same: `delegation FR cannot swap places with itself`\n"
    S_NO_MEETING "\n"
    S_SPEAKERS_CLOSED "\n"
    "the delegation, or else the other one (with), is not waiting on that list of "
    "speakers: `delegation DE is not waiting on the list of speakers of item 8(a) of "
    "ccm-msp13`"
};

static const pl_field_t s_participants_issued [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_INT   ("issue", REQ, 1, "issue number: 1 for the list, 2 for the first addendum or revision..."),
    F_TEXT  ("symbol", OPT, 64, "document symbol, e.g. CCM/MSP/2025/INF.1"),
    F_TEXT  ("note", OPT, 1024, "secretariat's note"),
    F_END
};
static const pl_message_t s_participants_issued_msg = {
    "participants.issued", PL_KIND_EVENT, NULL, NULL, s_participants_issued,
    "The secretariat issues the list of participants of a meeting as it stands at "
    "this event's time. Issues are numbered from 1 without gaps; participant.list "
    "with since_issue then gives what an addendum would hold.",
    "records", s_followed_by_none,
    S_NO_MEETING "\n"
    "the issue is not the next one (issues are numbered from 1 without gaps): `the list of "
    "participants of ccm-msp13 has 1 issue; the next is issue 2, not 3`"
};

static const pl_field_t s_document_released [] = {
    F_TEXT  ("symbol", REQ, 64, "document symbol, e.g. CCM/MSP/2025/5 or CCW/CONF.VI/4/Rev.1"),
    F_ENUM  ("language", REQ, s_un_languages, "language of this version"),
    F_NAME  ("title", REQ, 1024, "title in that language"),
    F_ID    ("meeting", OPT, "meeting it was issued for"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item, e.g. 9(h)(i)"),
    F_ENUM  ("distribution", OPT, s_distributions, "distribution of this release (general when not given); the most restrictive release of a document's family is in force for all of it"),
    F_ENUM  ("status", OPT, s_document_statuses, "advance (unedited) or final"),
    F_DATE  ("dated", OPT, "date printed on the document"),
    F_STAMP ("released", OPT, "when this version was released"),
    F_ENUM  ("original_language", OPT, s_un_languages, "language of the original"),
    F_TEXT  ("job_number", OPT, 32, "translation job number, e.g. GE.25-01234(E)"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "full text as released, kept and given back byte for byte (page breaks as form feeds); searched"),
    F_TEXT  ("sha256", OPT, 64, "SHA-256 of the text, hex, any case (the archive records the text's own; one given that is not the text's is kept as file_sha256)"),
    F_TEXT  ("file_sha256", OPT, 64, "SHA-256 of the released file when it is not the text (the PDF), hex, any case; without a text it is what makes a revision"),
    F_END
};
static const pl_message_t s_document_released_msg = {
    "document.released", PL_KIND_EVENT, NULL, NULL, s_document_released,
    "One language version of a document is released. The six UN language "
    "versions of a symbol are released at different times. Releasing the same "
    "symbol and language again with a different text (without a text, a different "
    "file_sha256) is a new revision and the earlier ones are kept; the same text "
    "with another title, distribution, status, date, meeting, agenda item, original "
    "language, job number or file hash is a change of the current revision's "
    "metadata, recorded with its time (document.show: changes); an identical "
    "release changes nothing. The text is kept byte for byte, with the SHA-256 of "
    "those bytes. "
    "The archive decides documents: it refuses a malformed symbol, and a release "
    "naming a meeting records never scheduled (\"meeting ccm-msp99 does not exist\"); "
    "the calendar shows only what the archive applied. The distribution in force of "
    "a document is that of its family (the symbol without its Rev./Corr./Add. "
    "suffixes, with every symbol of that base): the most restrictive of the family's "
    "releases since its last declassification (document.declassified), for every "
    "revision and language of every symbol of the family. A release more restrictive "
    "than the one in force raises it; a less restrictive one does not lower it.",
    "archive", s_followed_by_calendar_notify,
    "the symbol does not parse (the grammar is in lib/pl_symbol.h): "
    "`symbol 'CCM/CONF/2020/014' is not a document symbol: component 4 '014' is not an "
    "organ, document type, year, number or suffix`\n"
    "a sha256 or file_sha256 given is not 64 hexadecimal digits (of any case): "
    "`CCM/MSP/2025/5: sha256 'abc' is not 64 hexadecimal digits`\n"
    S_ARCHIVE_NO_MEETING ("a meeting given")
};

static const pl_field_t s_outcome_adopted [] = {
    F_ID    ("meeting", REQ, "meeting that adopted it"),
    F_ID    ("id", REQ, "outcome id, unique within the meeting"),
    F_ENUM  ("kind", REQ, s_outcome_kinds, "kind of outcome"),
    F_NAME  ("title", REQ, 1024, "title"),
    F_DATE  ("adopted", REQ, "day of adoption"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item"),
    F_TEXTS ("documents", OPT, 64, 64, "symbols of the documents it adopts or refers to"),
    F_ENUM  ("language", OPT, s_un_languages, "language of its text and title (its words are stemmed by it)"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "full text"),
    F_END
};
static const pl_message_t s_outcome_adopted_msg = {
    "outcome.adopted", PL_KIND_EVENT, NULL, NULL, s_outcome_adopted,
    "A meeting adopts an outcome: a decision, its final report, an action plan, "
    "a declaration or a recommendation, usually carried by documents. The archive "
    "refuses one whose meeting records never scheduled, or that cites a symbol "
    "never released (\"outcome budget cites CCM/MSP/2025/9, which has not been "
    "released; release it first\"). document.show of each document it cites, or "
    "of another document of the same family (the symbol without its suffixes), "
    "lists it, and a search by any of its documents' symbols finds it.",
    "archive", s_followed_by_none,
    "a document cited does not parse as a symbol: `document 'CCM/MSP' is not a document "
    "symbol: 'CCM/MSP' names a series, not a document: it must end with a document number, "
    "a document type such as WP.1, or a suffix`\n"
    S_ARCHIVE_NO_MEETING ("the meeting") "\n"
    "an outcome with that id is adopted at the meeting: `outcome budget of meeting "
    "ccm-msp13 is already adopted`\n"
    "a document cited has never been released, in any language (that very symbol, "
    "normalized: a document of its family does not count): `outcome budget cites "
    "CCM/MSP/2025/9, which has not been released; release it first`"
};

static const char *const s_lower_distributions [] = {
    "general", "limited", NULL };

#define S_SYMBOL_RULE \
    "the symbol does not parse (the grammar is in lib/pl_symbol.h): `symbol " \
    "'CCM/CONF/2020/014' is not a document symbol: component 4 '014' is not an organ, " \
    "document type, year, number or suffix`"

static const pl_field_t s_document_declassified [] = {
    F_TEXT  ("symbol", REQ, 64, "a symbol of the document's family: the family (the symbol without its Rev./Corr./Add. suffixes, and every symbol with them) is declassified"),
    F_ENUM  ("distribution", REQ, s_lower_distributions, "the distribution in force from now on: general or limited"),
    F_NAME  ("by", REQ, 128, "who in the secretariat decided it, for the record"),
    F_TEXT  ("reason", REQ, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_document_declassified_msg = {
    "document.declassified", PL_KIND_EVENT, NULL, NULL, s_document_declassified,
    "The secretariat lowers the distribution in force of a document's family: from "
    "this event on, every revision and language of every symbol of the family is "
    "seen by the roles the new distribution allows (general: everyone; limited: "
    "record-keepers, delegates and the secretariat). Only this event lowers a "
    "distribution; a later release more restrictive than it raises it again. Who "
    "decided it and why are shown to the secretariat alone (document.show).",
    "archive", s_followed_by_calendar_notify,
    S_SYMBOL_RULE "\n"
    "no document of the family has been released: `no document of the family "
    "CCM/CONF/2020/14 has been released`\n"
    "the distribution in force is not more restrictive than the one asked: "
    "`CCM/CONF/2020/14 is limited already; a declassification only lowers the "
    "distribution of a document (a more restrictive release raises it)`"
};

static const pl_field_t s_document_withdrawn [] = {
    F_TEXT  ("symbol", REQ, 64, "document symbol"),
    F_ENUM  ("language", OPT, s_un_languages, "with revision: the language version whose revision is withdrawn; without both, the document is withdrawn in every language"),
    F_INT   ("revision", OPT, 1, "with language: the revision withdrawn, numbered as the secretariat sees it (plenary doc SYMBOL)"),
    F_NAME  ("by", REQ, 128, "who in the secretariat withdrew it, for the record"),
    F_TEXT  ("reason", REQ, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_document_withdrawn_msg = {
    "document.withdrawn", PL_KIND_EVENT, NULL, NULL, s_document_withdrawn,
    "The secretariat withdraws one revision of one language version of a document "
    "(language and revision), or the whole document, every revision standing in "
    "every language (neither). A withdrawn revision is kept: the secretariat sees it "
    "in document.show, marked withdrawn, with who withdrew it, when and why, and its "
    "text; every other role sees it nowhere (not in search, not in document.show), "
    "and sees the revisions that stand numbered 1, 2, ... as if it had never been. "
    "The newest revision standing becomes the current one, the one searched. A "
    "revision withdrawn alone never makes a document disappear: to withdraw the last "
    "revision standing, withdraw the document. A later release of the document "
    "makes a new revision, which stands.",
    "archive", s_followed_by_calendar_notify,
    S_SYMBOL_RULE "\n"
    "one of language and revision is given without the other: `give both language and "
    "revision to withdraw one revision, or neither to withdraw the document "
    "CCM/CONF/2020/14`\n"
    "no version of the symbol has been released: `no document CCM/CONF/2020/14 in the "
    "archive`\n"
    "the language version has no such revision: `CCM/CONF/2020/14 has no revision 3 "
    "in en`\n"
    "the revision is withdrawn already: `CCM/CONF/2020/14 (en) revision 2 is withdrawn "
    "already`\n"
    "the revision is the last one of the document standing, in any language: "
    "`CCM/CONF/2020/14 (en) revision 1 is the last revision of CCM/CONF/2020/14 that "
    "stands; withdraw the document itself (without language and revision)`\n"
    "the whole document, when no revision of it stands: `every revision of "
    "CCM/CONF/2020/14 is withdrawn already`"
};

//  --------------------------------------------------------------------------
//  Queries to the records service

static const pl_field_t s_meeting_record [] = {
    F_ID    ("id", REQ, "meeting id"),
    F_CODE  ("convention", REQ, "convention code"),
    F_ENUM  ("kind", REQ, s_meeting_kinds, "kind of meeting"),
    F_TEXT  ("title", REQ, 512, "official title"),
    F_TEXT  ("venue", REQ, 128, "venue"),
    F_TZ    ("tz", REQ, "time zone of the venue"),
    F_DATE  ("start", REQ, "first day"),
    F_DATE  ("end", REQ, "last day"),
    F_TEXT  ("url", OPT, 512, "web page"),
    F_TEXT  ("description", OPT, 4096, "description"),
    F_ENUM  ("status", REQ, s_meeting_statuses, "status"),
    F_INT   ("participants", OPT, 0, "participants registered, approved or confirmed"),
    F_END
};
static const pl_message_t s_meeting_record_msg = {
    "meeting", PL_KIND_RECORD, NULL, NULL, s_meeting_record,
    "A meeting as the records worker knows it: the latest values of its "
    "details, its status and the number of participants registered.",
    NULL, NULL, NULL
};

static const pl_field_t s_meeting_list [] = {
    F_CODE  ("convention", OPT, "only meetings of this convention"),
    F_ENUM  ("status", OPT, s_meeting_statuses, "only meetings with this status"),
    F_END
};
static const pl_message_t s_meeting_list_msg = {
    "meeting.list", PL_KIND_QUERY, "records", "meeting.list.reply", s_meeting_list,
    "List meetings, by start date, optionally of one convention or status.",
    NULL, NULL, NULL
};
static const pl_field_t s_meeting_list_reply [] = {
    F_LIST  ("items", REQ, 100000, &s_meeting_record_msg, "the meetings"),
    F_END
};
static const pl_message_t s_meeting_list_reply_msg = {
    "meeting.list.reply", PL_KIND_REPLY, NULL, NULL, s_meeting_list_reply,
    "The meetings asked for by meeting.list.",
    NULL, NULL, NULL
};

static const pl_field_t s_meeting_show [] = {
    F_ID    ("id", REQ, "meeting id"),
    F_END
};
static const pl_message_t s_meeting_show_msg = {
    "meeting.show", PL_KIND_QUERY, "records", "meeting.show.reply", s_meeting_show,
    "Show one meeting; an id that names no meeting is an error saying so.",
    NULL, NULL, NULL
};
static const pl_message_t s_meeting_show_reply_msg = {
    "meeting.show.reply", PL_KIND_REPLY, NULL, NULL, s_meeting_record,
    "The meeting asked for by meeting.show, with the fields of record meeting.",
    NULL, NULL, NULL
};

static const pl_field_t s_participant_record [] = {
    F_ID    ("id", REQ, "participant id, e.g. p42"),
    F_ID    ("meeting", REQ, "meeting attended"),
    F_TEXT  ("family_name", REQ, 128, "family name"),
    F_TEXT  ("given_name", OPT, 128, "given names"),
    F_CODE  ("delegation", REQ, "delegation code"),
    F_ENUM  ("function", OPT, s_functions, "function in the delegation"),
    F_ENUM  ("gender", OPT, s_genders, "gender"),
    F_PERSONAL_EMAIL ("email", OPT, 254, "e-mail address"),
    F_BOOL  ("sponsored", OPT, "sponsored"),
    F_TEXT  ("title", OPT, 64, "courtesy title"),
    F_TEXT  ("position", OPT, 256, "position held"),
    F_TEXT  ("organization", OPT, 256, "ministry or organisation"),
    F_PERSONAL_TEXT ("note", OPT, 1024, "secretariat's note on the person"),
    F_ENUM  ("status", REQ, s_participant_statuses, "registration status"),
    F_STAMP ("registered_at", REQ, "when the registration was accepted by the broker"),
    F_INT   ("seq", REQ, 1, "sequence number of the participant.registered event"),
    F_BOOL  ("focal_point", OPT, "the delegation's focal point"),
    F_TEXT  ("status_reason", OPT, 512, "reason of the last change of status"),
    F_ENUM  ("category", OPT, s_delegation_categories, "the delegation's category toward the meeting's convention"),
    F_TEXT  ("delegation_name", OPT, 256, "the delegation's name: ISO 3166-1 for a State, declared for an organisation"),
    F_ENUM  ("change", OPT, s_list_changes, "with since_issue: added, changed or removed since that issue"),
    F_TEXT  ("waits_for", OPT, 512, "what the registration waits for: the admission of its delegation as observer (pending), or the approval of its delegation's focal point (registered); absent in lists as they stood"),
    F_END
};
static const pl_message_t s_participant_record_msg = {
    "participant", PL_KIND_RECORD, NULL, NULL, s_participant_record,
    "A participant as the records worker knows it: the latest details and the "
    "registration status. A registration waits (waits_for) while it is pending "
    "admission of its delegation as observer, or while it is registered, not itself "
    "a focal point, and its delegation has a focal point at the meeting, whose "
    "approval is the first level.",
    NULL, NULL, NULL
};

static const pl_field_t s_participant_show [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_END
};
static const pl_message_t s_participant_show_msg = {
    "participant.show", PL_KIND_QUERY, "records", "participant.show.reply", s_participant_show,
    "One participant as it stands, with what its registration waits for: how "
    "`plenary register` learns, after the records worker's verdict, whether a "
    "registration it published is registered or pending. An unknown participant is "
    "an error 404 saying so.",
    NULL, NULL, NULL
};
static const pl_message_t s_participant_show_reply_msg = {
    "participant.show.reply", PL_KIND_REPLY, NULL, NULL, s_participant_record,
    "The participant asked for by participant.show, with the fields of record participant.",
    NULL, NULL, NULL
};

static const pl_field_t s_participant_list [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_INT   ("as_of_ms", OPT, 0, "answer from the state as it stood at this time (milliseconds since the epoch)"),
    F_INT   ("since_issue", OPT, 1, "only entries added, changed or removed since this issue (an addendum)"),
    F_TEXT  ("after", OPT, S_PAGE_CURSOR_MAX, "the next page: the cursor the previous page's reply gave as next"),
    { "limit", PL_T_INT, OPT, 1, S_PAGE_MAX, NULL, NULL, "entries in a page at most (default " S_PAGE_DEFAULT_TEXT ")", 0 },
    F_END
};
static const pl_message_t s_participant_list_msg = {
    "participant.list", PL_KIND_QUERY, "records", "participant.list.reply", s_participant_list,
    "List the participants of a meeting, by delegation, head of delegation first, "
    "then family name; as it stood at as_of_ms, or what changed since an issue. "
    "A page at a time: a reply holds at most limit entries (fewer when they pass "
    "4 MiB of text, far under the frame limit) and, when more follow, next, to ask "
    "for the next page with as after (with the same other fields). "
    "Each page reads the list as it stands when asked (as_of_ms: as it stood then, "
    "so the pages of a list as of a past time never move); an entry whose "
    "delegation, function or names change between two pages may be listed twice "
    "or not at all.",
    NULL, NULL, NULL
};
static const pl_field_t s_participant_list_reply [] = {
    F_LIST  ("items", REQ, S_PAGE_MAX, &s_participant_record_msg, "the participants of this page"),
    F_TEXT  ("next", OPT, S_PAGE_CURSOR_MAX, "when more entries follow: the cursor of the next page (the query's after)"),
    F_INT   ("issue", OPT, 1, "with since_issue: that issue"),
    F_STAMP ("issued_at", OPT, "with since_issue: when that issue was made"),
    F_TEXT  ("symbol", OPT, 64, "with since_issue: that issue's symbol"),
    F_TEXTS ("withheld", OPT, 16, 32, "to a role below the secretariat: the personal fields left out of every participant (the secretariat's only), so that no column of them is shown as if empty"),
    F_END
};
static const pl_message_t s_participant_list_reply_msg = {
    "participant.list.reply", PL_KIND_REPLY, NULL, NULL, s_participant_list_reply,
    "The participants asked for by participant.list.",
    NULL, NULL, NULL
};

//  Sessions, delegations, history and statistics (records service)

static const pl_field_t s_session_record [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_ID    ("id", REQ, "session id"),
    F_TEXT  ("title", REQ, 512, "title"),
    F_LOCAL ("start", REQ, "start, wall-clock time in the meeting's time zone, with seconds, and its UTC offset when one was given"),
    F_LOCAL ("end", REQ, "end, wall-clock time in the meeting's time zone, with seconds, and its UTC offset when one was given"),
    F_TEXT  ("room", OPT, 128, "room"),
    F_TEXTS ("agenda_items", OPT, 16, 32, "agenda items taken up"),
    F_ENUM  ("kind", OPT, s_session_kinds, "kind of session"),
    F_ENUM  ("status", REQ, s_session_statuses, "scheduled or cancelled"),
    F_TEXT  ("reason", OPT, 512, "why it last moved or was cancelled"),
    F_INT   ("seq", REQ, 1, "sequence number of the session.scheduled event"),
    F_END
};
static const pl_message_t s_session_record_msg = {
    "session", PL_KIND_RECORD, NULL, NULL, s_session_record,
    "A session of a meeting's programme of work as the records worker knows it.",
    NULL, NULL, NULL
};

static const pl_field_t s_session_list [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_ENUM  ("status", OPT, s_session_statuses, "only sessions with this status"),
    F_END
};
static const pl_message_t s_session_list_msg = {
    "session.list", PL_KIND_QUERY, "records", "session.list.reply", s_session_list,
    "List the sessions of a meeting by start time; an unknown meeting is an error.",
    NULL, NULL, NULL
};
static const pl_field_t s_session_list_reply [] = {
    F_LIST  ("items", REQ, 10000, &s_session_record_msg, "the sessions"),
    F_END
};
static const pl_message_t s_session_list_reply_msg = {
    "session.list.reply", PL_KIND_REPLY, NULL, NULL, s_session_list_reply,
    "The sessions asked for by session.list.",
    NULL, NULL, NULL
};

static const pl_field_t s_delegation_record [] = {
    F_CODE  ("convention", REQ, "convention"),
    F_CODE  ("code", REQ, "delegation code"),
    F_ENUM  ("status", REQ, s_delegation_statuses, "status toward the convention"),
    F_TEXT  ("name", REQ, 256, "name: ISO 3166-1 for a State, declared for an organisation"),
    F_TEXT  ("note", OPT, 1024, "secretariat's note"),
    F_BOOL  ("admitted", OPT, "admitted as observer to the meeting asked about"),
    F_INT   ("seq", REQ, 1, "sequence number of the latest delegation.declared event"),
    F_END
};
static const pl_message_t s_delegation_record_msg = {
    "delegation", PL_KIND_RECORD, NULL, NULL, s_delegation_record,
    "A delegation's declared status toward a convention.",
    NULL, NULL, NULL
};

static const pl_field_t s_delegation_list [] = {
    F_CODE  ("convention", OPT, "delegations declared for this convention"),
    F_ID    ("meeting", OPT, "delegations declared for this meeting's convention, with admitted"),
    F_ENUM  ("status", OPT, s_delegation_statuses, "only delegations with this status"),
    F_END
};
static const pl_message_t s_delegation_list_msg = {
    "delegation.list", PL_KIND_QUERY, "records", "delegation.list.reply", s_delegation_list,
    "List the delegations declared for a convention (or for a meeting's "
    "convention, saying which the meeting admitted as observers), by code. "
    "One of convention and meeting is required.",
    NULL, NULL, NULL
};
static const pl_field_t s_delegation_list_reply [] = {
    F_LIST  ("items", REQ, 10000, &s_delegation_record_msg, "the delegations"),
    F_END
};
static const pl_message_t s_delegation_list_reply_msg = {
    "delegation.list.reply", PL_KIND_REPLY, NULL, NULL, s_delegation_list_reply,
    "The delegations asked for by delegation.list.",
    NULL, NULL, NULL
};

static const pl_field_t s_convention_record [] = {
    F_CODE  ("code", REQ, "convention code"),
    F_TEXT  ("name", REQ, 256, "its English name"),
    F_ENUM  ("source", REQ, s_convention_sources, "built-in (schemas/conventions.tsv) or declared (convention.declared)"),
    F_INT   ("seq", OPT, 1, "sequence number of the latest convention.declared event of a declared one"),
    F_END
};
static const pl_message_t s_convention_record_msg = {
    "convention", PL_KIND_RECORD, NULL, NULL, s_convention_record,
    "A convention the records worker knows.",
    NULL, NULL, NULL
};

static const pl_field_t s_convention_list [] = {
    F_END
};
static const pl_message_t s_convention_list_msg = {
    "convention.list", PL_KIND_QUERY, "records", "convention.list.reply", s_convention_list,
    "List the conventions whose meetings and delegations the records worker "
    "accepts, by code: the built-in ones and those declared.",
    NULL, NULL, NULL
};
static const pl_field_t s_convention_list_reply [] = {
    F_LIST  ("items", REQ, 10000, &s_convention_record_msg, "the conventions"),
    F_END
};
static const pl_message_t s_convention_list_reply_msg = {
    "convention.list.reply", PL_KIND_REPLY, NULL, NULL, s_convention_list_reply,
    "The conventions asked for by convention.list.",
    NULL, NULL, NULL
};

static const pl_field_t s_participant_change_record [] = {
    F_INT   ("seq", REQ, 1, "sequence number of the event that made the change"),
    F_STAMP ("at", REQ, "when the broker logged it"),
    F_ENUM  ("change", REQ, s_participant_changes, "what happened"),
    F_ENUM  ("status", REQ, s_participant_statuses, "status after the change"),
    F_TEXT  ("reason", OPT, 512, "the reason given, or the rule that applied"),
    F_TEXTS ("changed", OPT, 16, 32, "fields whose value changed (updated)"),
    F_TEXT  ("before", OPT, 8192, "the participant's details before the change, as a JSON object"),
    F_END
};
static const pl_message_t s_participant_change_record_msg = {
    "participant_change", PL_KIND_RECORD, NULL, NULL, s_participant_change_record,
    "One change in a participant's history; nothing is ever deleted.",
    NULL, NULL, NULL
};

static const pl_field_t s_participant_history [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_END
};
static const pl_message_t s_participant_history_msg = {
    "participant.history", PL_KIND_QUERY, "records", "participant.history.reply",
    s_participant_history,
    "The history of one participant, oldest first: registration, updates with "
    "the details as they were before, and every change of status with its reason.",
    NULL, NULL, NULL
};
static const pl_field_t s_participant_history_reply [] = {
    F_LIST  ("items", REQ, 100000, &s_participant_change_record_msg, "the changes"),
    F_END
};
static const pl_message_t s_participant_history_reply_msg = {
    "participant.history.reply", PL_KIND_REPLY, NULL, NULL, s_participant_history_reply,
    "The changes asked for by participant.history.",
    NULL, NULL, NULL
};

static const pl_field_t s_stats_category_record [] = {
    F_ENUM  ("category", REQ, s_delegation_categories, "category of delegation"),
    F_INT   ("delegations", REQ, 0, "delegations with at least one participant"),
    F_INT   ("participants", REQ, 0, "participants"),
    F_END
};
static const pl_message_t s_stats_category_record_msg = {
    "stats_category", PL_KIND_RECORD, NULL, NULL, s_stats_category_record,
    "Delegations and participants of one category.",
    NULL, NULL, NULL
};

static const pl_field_t s_stats_gender_record [] = {
    F_ENUM  ("gender", REQ, s_genders_known, "f, m, x, or unknown when not given"),
    F_INT   ("participants", REQ, 0, "participants"),
    F_INT   ("heads", REQ, 0, "heads of delegation"),
    F_END
};
static const pl_message_t s_stats_gender_record_msg = {
    "stats_gender", PL_KIND_RECORD, NULL, NULL, s_stats_gender_record,
    "Participants and heads of delegation of one gender.",
    NULL, NULL, NULL
};

static const pl_field_t s_meeting_stats [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_END
};
static const pl_message_t s_meeting_stats_msg = {
    "meeting.stats", PL_KIND_QUERY, "records", "meeting.stats.reply", s_meeting_stats,
    "Attendance statistics of a meeting. Participants counted are those "
    "registered, approved or confirmed (not pending, rejected or withdrawn).",
    NULL, NULL, NULL
};
static const pl_field_t s_meeting_stats_reply [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("convention", REQ, "its convention"),
    F_INT   ("participants", REQ, 0, "participants counted"),
    F_INT   ("delegations", REQ, 0, "delegations with at least one participant counted"),
    F_INT   ("heads", REQ, 0, "heads of delegation"),
    F_INT   ("sponsored", REQ, 0, "sponsored participants"),
    F_INT   ("pending", REQ, 0, "registrations awaiting admission of their delegation"),
    F_INT   ("rejected", REQ, 0, "registrations rejected"),
    F_INT   ("withdrawn", REQ, 0, "registrations withdrawn"),
    F_LIST  ("categories", REQ, 16, &s_stats_category_record_msg, "by category of delegation"),
    F_LIST  ("gender", REQ, 8, &s_stats_gender_record_msg, "gender balance, overall and among heads"),
    F_INT   ("states_parties_declared", REQ, 0, "States declared party to the convention"),
    F_INT   ("states_parties_represented", REQ, 0, "of those, States with at least one participant counted"),
    F_INT   ("states_parties_share", REQ, 0, "represented as a share of declared, in per mille (625 = 62.5 %)"),
    F_END
};
static const pl_message_t s_meeting_stats_reply_msg = {
    "meeting.stats.reply", PL_KIND_REPLY, NULL, NULL, s_meeting_stats_reply,
    "The statistics asked for by meeting.stats.",
    NULL, NULL, NULL
};

//  --------------------------------------------------------------------------
//  Queries the broker answers itself

static const pl_field_t s_dead_letter_record [] = {
    F_INT   ("seq", REQ, 1, "sequence number of the parked event"),
    F_TEXT  ("topic", REQ, 64, "its topic"),
    F_TEXT  ("event_id", REQ, 64, "its event id"),
    F_TEXT  ("group", REQ, 32, "worker group that could not apply it"),
    F_INT   ("attempts", REQ, 0, "deliveries tried"),
    F_TEXT  ("cause", REQ, 512, "last rejection reason or timeout"),
    F_STAMP ("parked_at", REQ, "when it was parked"),
    F_END
};
static const pl_message_t s_dead_letter_record_msg = {
    "dead_letter", PL_KIND_RECORD, NULL, NULL, s_dead_letter_record,
    "An event a worker group failed to apply after the maximum number of "
    "deliveries; the group's cursor moved past it.",
    NULL, NULL, NULL
};

static const pl_field_t s_no_fields [] = {
    F_END
};
static const pl_message_t s_dlq_list_msg = {
    "dlq.list", PL_KIND_QUERY, "broker", "dlq.list.reply", s_no_fields,
    "List the dead letters (parked events) of every worker group.",
    NULL, NULL, NULL
};
static const pl_field_t s_dlq_list_reply [] = {
    F_LIST  ("items", REQ, 100000, &s_dead_letter_record_msg, "the dead letters"),
    F_END
};
static const pl_message_t s_dlq_list_reply_msg = {
    "dlq.list.reply", PL_KIND_REPLY, NULL, NULL, s_dlq_list_reply,
    "The dead letters asked for by dlq.list.",
    NULL, NULL, NULL
};

static const pl_field_t s_group_status_record [] = {
    F_TEXT  ("group", REQ, 32, "worker group"),
    F_TEXT  ("topics", REQ, 1024, "topics it subscribed to, comma-separated"),
    F_INT   ("acked_through", REQ, 0, "every event up to this sequence number is acknowledged"),
    F_INT   ("workers", REQ, 0, "workers connected"),
    F_INT   ("in_flight", REQ, 0, "events delivered and not yet acknowledged"),
    F_INT   ("lag", REQ, 0, "its backlog: the log's sequence numbers past its cursor, events it has yet to judge or pass over"),
    F_TEXT  ("services", OPT, 512, "query services its consumer answers, comma-separated"),
    F_TEXT  ("follows", OPT, 1024, "the leader:pattern entries whose verdicts it follows"),
    F_TEXT  ("waiting_on", OPT, 32, "the leader whose verdict its next event waits for"),
    F_INT   ("waiting_seq", OPT, 1, "the event that waits for that leader"),
    F_INT   ("verdict_delay_ms", OPT, 0, "ms from append to its latest verdict"),
    F_INT   ("lag_ms", OPT, 0, "its cursor's lag in time: ms since the oldest event of its backlog was logged; 0 without a backlog"),
    F_INT   ("dead_letters", OPT, 0, "events of it parked"),
    F_END
};
static const pl_message_t s_group_status_record_msg = {
    "group_status", PL_KIND_RECORD, NULL, NULL, s_group_status_record,
    "The state of one worker group as the broker sees it.",
    NULL, NULL, NULL
};

static const pl_field_t s_bucket_record [] = {
    F_INT   ("le", REQ, 0, "the bucket's upper bound, in the histogram's unit"),
    F_INT   ("count", REQ, 0, "observations at most le (cumulative)"),
    F_END
};
static const pl_message_t s_bucket_record_msg = {
    "bucket", PL_KIND_RECORD, NULL, NULL, s_bucket_record,
    "One bucket of a histogram.",
    NULL, NULL, NULL
};

static const char *const s_histogram_names [] = {
    "commit_events", "commit_us", "query_us", NULL };

static const pl_field_t s_histogram_record [] = {
    F_ENUM  ("name", REQ, s_histogram_names, "commit_events: events per group commit; commit_us: a group commit's COMMIT (its fsync: the log is synchronous=FULL), microseconds; query_us: a query from the broker receiving it to its answer leaving, microseconds"),
    F_TEXT  ("service", OPT, 32, "query_us: the service queried"),
    F_INT   ("count", REQ, 0, "observations"),
    F_INT   ("sum", REQ, 0, "their sum, in the histogram's unit"),
    F_INT   ("errors", OPT, 0, "query_us: answers that were errors (the worker's, or the broker's 503 and 504)"),
    F_LIST  ("buckets", REQ, 24, &s_bucket_record_msg, "cumulative counts by upper bound, ascending; the count is the +Inf bucket"),
    F_END
};
static const pl_message_t s_histogram_record_msg = {
    "histogram", PL_KIND_RECORD, NULL, NULL, s_histogram_record,
    "A histogram the broker keeps since it started, in Prometheus's shape (lib/pl_histogram.h).",
    NULL, NULL, NULL
};

static const pl_message_t s_broker_status_msg = {
    "broker.status", PL_KIND_QUERY, "broker", "broker.status.reply", s_no_fields,
    "Ask the broker for the state of its log and of every worker group.",
    NULL, NULL, NULL
};
static const pl_field_t s_broker_status_reply [] = {
    F_INT   ("last_seq", REQ, 0, "sequence number of the last event in the log"),
    F_INT   ("events", REQ, 0, "events in the log"),
    F_INT   ("dead_letters", REQ, 0, "events parked"),
    F_LIST  ("groups", REQ, 1000, &s_group_status_record_msg, "worker groups"),
    F_INT   ("uptime_ms", OPT, 0, "ms since the broker started; the counters below count from then"),
    F_INT   ("published", OPT, 0, "events clients published (each event of a PUBLISH_MANY counts), accepted or not"),
    F_INT   ("acknowledged", OPT, 0, "events acknowledged: durable in the log (a duplicate too: it is there already)"),
    F_INT   ("refused", OPT, 0, "events refused: invalid, forbidden, conflicting, or not written (500, 507)"),
    F_LIST  ("histograms", OPT, 64, &s_histogram_record_msg, "commit sizes and times, and query times per service"),
    F_END
};
static const pl_message_t s_broker_status_reply_msg = {
    "broker.status.reply", PL_KIND_REPLY, NULL, NULL, s_broker_status_reply,
    "The broker's state, answer to broker.status.",
    NULL, NULL, NULL
};

//  --------------------------------------------------------------------------
//  Calendars (the calendar worker, issue 4)

static const char *const s_feed_kinds [] = {
    "meeting", "convention", "participant", "all", NULL };

static const pl_field_t s_participant_token_issued [] = {
    F_ID    ("participant", REQ, "participant id whose private calendar feed this token opens, e.g. p42"),
    F_TEXT  ("token_hash", REQ, 64, "SHA-256 of the token, 64 lowercase hex digits; the token itself is never stored"),
    F_BOOL  ("replace", OPT, "true: revoke the participant's current token (rotation); otherwise a second token is refused"),
    F_END
};
static const pl_message_t s_participant_token_issued_msg = {
    "participant.token.issued", PL_KIND_EVENT, NULL, NULL, s_participant_token_issued,
    "A private calendar feed is opened for a participant: `plenary calendar url "
    "--participant P` or `rotate` draws a random token of 256 bits, prints its URL "
    "once and publishes only its hash. The feed at /ics/p/TOKEN.ics lists every "
    "meeting and session of every meeting the same person (the participant, or a "
    "registration with the same e-mail, or the same names and delegation) is "
    "registered for: a registration that is neither withdrawn nor rejected. While "
    "none of the person's registrations to a meeting is confirmed (it is pending, "
    "registered or approved) the meeting's events are STATUS:TENTATIVE. A replacing "
    "token revokes the previous one, which then answers 404; a token whose person "
    "no longer holds any registration answers an empty feed. The calendar decides "
    "tokens: it refuses one for a participant whose person it holds no registration "
    "of that is neither withdrawn nor rejected, and a second one that does not "
    "replace.",
    "calendar", s_followed_by_notify,
    "the token hash is not 64 lowercase hexadecimal digits: `participant.token.issued: "
    "token_hash: not 64 lowercase hex digits`\n"
    "the calendar's view holds no registration of the participant's person (the "
    "participant, or one with the same e-mail, or the same names and delegation), to any "
    "meeting, that is neither withdrawn nor rejected (records refused it, there never was "
    "one, or every one was withdrawn or rejected): `participant p42 is not registered to "
    "any meeting; no private feed can be issued for it`\n"
    "the participant has a token and replace is not true: `participant p42 already has a "
    "calendar feed; 'plenary calendar rotate --participant p42' replaces its address`"
};

static const pl_field_t s_calendar_feed [] = {
    F_ENUM  ("kind", REQ, s_feed_kinds, "which feed: one meeting, one convention, one participant's, or all"),
    F_TEXT  ("key", OPT, 64, "meeting id, convention code, or the SHA-256 hex of a participant's token"),
    F_TEXT  ("source", OPT, 1024, "public URL of the feed, written into its SOURCE and URL properties"),
    F_TEXT  ("if_none_match", OPT, 80, "entity tag the caller holds; when it is current the reply has no ics"),
    F_END
};
static const pl_message_t s_calendar_feed_msg = {
    "calendar.feed", PL_KIND_QUERY, "calendar", "calendar.feed.reply", s_calendar_feed,
    "Render an iCalendar feed (RFC 5545 with the RFC 7986 calendar properties). "
    "The output is byte-identical while nothing in it changed, so its entity tag is "
    "stable. An unknown meeting, convention or token is an error 404 that says only "
    "\"not found\".",
    NULL, NULL, NULL
};
static const pl_field_t s_calendar_feed_reply [] = {
    F_TEXT  ("ics", OPT, S_BODY_MAX, "the feed, UTF-8, CRLF, folded at 75 octets; absent when not_modified"),
    F_TEXT  ("etag", REQ, 80, "strong entity tag of the feed, quoted"),
    F_STAMP ("last_modified", REQ, "time of the latest change shown in the feed; never moves backwards"),
    F_TEXT  ("name", REQ, 512, "the calendar's name"),
    F_BOOL  ("not_modified", OPT, "true when if_none_match is the current entity tag"),
    F_END
};
static const pl_message_t s_calendar_feed_reply_msg = {
    "calendar.feed.reply", PL_KIND_REPLY, NULL, NULL, s_calendar_feed_reply,
    "A rendered feed with the validators an HTTP server needs.",
    NULL, NULL, NULL
};

static const pl_field_t s_calendar_schedule [] = {
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_END
};
static const pl_message_t s_calendar_schedule_msg = {
    "calendar.schedule", PL_KIND_QUERY, "calendar", "calendar.schedule.reply", s_calendar_schedule,
    "The meetings on a participant's schedule: every meeting the same person "
    "(same e-mail, or same names and delegation) is registered for, with a "
    "registration neither withdrawn nor rejected. `plenary calendar watch` "
    "follows changes to them.",
    NULL, NULL, NULL
};
static const pl_field_t s_calendar_schedule_reply [] = {
    F_ID    ("participant", REQ, "participant id"),
    F_TEXTS ("meetings", REQ, 4096, 64, "ids of the meetings on the schedule"),
    F_END
};
static const pl_message_t s_calendar_schedule_reply_msg = {
    "calendar.schedule.reply", PL_KIND_REPLY, NULL, NULL, s_calendar_schedule_reply,
    "The meetings asked for by calendar.schedule.",
    NULL, NULL, NULL
};

//  --------------------------------------------------------------------------
//  The archive (the archive worker, issue 5)

static const char *const s_archive_kinds [] = {
    "document", "statement", "outcome", NULL };

static const pl_field_t s_archive_search [] = {
    F_TEXT  ("q", OPT, 1024, "the words (every one must occur, in any of its forms): \"quoted phrase\" (exact forms), word* prefix, OR between alternatives, AND, NOT or -word excluded, (parentheses); or one document symbol (CCM/MSP/2025/4) or pattern (CCM/MSP/2025/*), whose family comes first; absent lists by date"),
    F_TEXT  ("convention", OPT, 16, "only items of this convention, any case (CCM, ccm), or of its documents' symbol prefix (APLC for APMBC)"),
    F_ID    ("meeting", OPT, "only items of this meeting"),
    F_TEXT  ("symbol", OPT, 64, "only items whose symbol matches, * for any characters: CCM/CONF/2020/*; an outcome matches by any document it cites"),
    F_TEXT  ("language", OPT, 8, "only items in this language, any case: ar, zh, en, fr, ru, es or other (a statement's); also the stemmer of the words' Latin letters"),
    F_ENUM  ("kind", OPT, s_archive_kinds, "only documents, statements or outcomes"),
    F_DATE  ("from", OPT, "only items dated on or after this day"),
    F_DATE  ("to", OPT, "only items dated on or before this day (not before from)"),
    F_ENUM  ("distribution", OPT, s_distributions, "only documents of this distribution"),
    { "page", PL_T_INT, OPT, 1, 100000, NULL, NULL, "page of results, from 1 (default 1)", 0 },
    { "page_size", PL_T_INT, OPT, 1, 100, NULL, NULL, "hits per page, 1..100 (default 10)", 0 },
    F_END
};
static const pl_message_t s_archive_search_msg = {
    "archive.search", PL_KIND_QUERY, "archive", "archive.search.reply", s_archive_search,
    "Full-text search of the archive in the six UN languages: the current "
    "version of every document, statements and outcomes, ranked by bm25 (title "
    "words weigh more than body words), filtered and paginated. A word finds its "
    "other forms by Snowball's stemmer of its language (budgets finds budget, мины "
    "finds мина, ميزانية finds الميزانية), the very form typed ranking first; a quoted "
    "phrase matches exact forms only. Text is indexed in NFKC with case folding "
    "(full-width letters, ligatures), digits of every script as ASCII, accents "
    "folded (reunion finds réunion). Chinese and Japanese are matched by characters "
    "(any one- or two-character word is found), first where the query is a word of "
    "its own by ICU's dictionary. A q that is a document symbol or pattern lists its "
    "family first (the base, its Rev., Corr. and Add., the outcomes and statements "
    "that cite them). A document is returned only to "
    "the roles its distribution in force allows (restricted: the secretariat; "
    "limited: also record-keepers and delegates; general: everyone; the role is the "
    "broker's), a withdrawn revision to no one; a statement's or an outcome's document "
    "the role may not see is left out of its hit and matches no symbol filter, and "
    "totals count only what the role sees.",
    NULL, NULL, NULL
};

static const pl_field_t s_search_hit_record [] = {
    F_INT   ("rank", REQ, 1, "place in the whole result list, from 1"),
    F_ENUM  ("kind", REQ, s_archive_kinds, "document, statement or outcome"),
    F_TEXT  ("id", REQ, 160, "the item: symbol:language for a document, s<seq> for a statement, meeting/id for an outcome"),
    F_TEXT  ("symbol", OPT, 64, "document symbol (a statement's document, an outcome's first document cited), when the role may see it"),
    F_ENUM  ("language", OPT, s_speech_languages, "language"),
    F_TEXT  ("title", REQ, 1024, "title; for a statement, who spoke under which item"),
    F_ID    ("meeting", OPT, "meeting"),
    F_CODE  ("convention", OPT, "convention"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item"),
    F_DATE  ("date", OPT, "date printed on the document, of delivery or of adoption"),
    F_ENUM  ("distribution", OPT, s_distributions, "distribution in force of a document"),
    F_CODE  ("delegation", OPT, "delegation that delivered a statement"),
    F_ENUM  ("outcome_kind", OPT, s_outcome_kinds, "kind of an outcome"),
    F_TEXTS ("documents", OPT, 64, 64, "the documents an outcome cites that the role may see, in the order cited"),
    F_INT   ("revision", OPT, 1, "revision of a document's language version, counting only the revisions the role may see"),
    F_TEXT  ("snippet", OPT, 4096, "the best passage, each match between ⟦ and ⟧; the text's own ⟦ and ⟧ show as U+FFFD, so every marker is a match's"),
    F_INT   ("score", OPT, 0, "bm25 relevance times 1000, higher is better"),
    { "relevance", PL_T_INT, OPT, 0, 100, NULL, NULL,
      "the hit's bm25 in percent of the search's best hit (100 for it); unlike score "
      "it does not fall to 0 for words found in most of the archive", 0 },
    F_END
};
static const pl_message_t s_search_hit_record_msg = {
    "search_hit", PL_KIND_RECORD, NULL, NULL, s_search_hit_record,
    "One item found by archive.search.",
    NULL, NULL, NULL
};

static const pl_field_t s_archive_search_reply [] = {
    F_INT   ("total", REQ, 0, "items matching, over all pages"),
    F_INT   ("page", REQ, 1, "this page"),
    F_INT   ("page_size", REQ, 1, "hits per page"),
    F_LIST  ("items", REQ, 100, &s_search_hit_record_msg, "the hits of this page, best first"),
    F_END
};
static const pl_message_t s_archive_search_reply_msg = {
    "archive.search.reply", PL_KIND_REPLY, NULL, NULL, s_archive_search_reply,
    "One page of the items asked for by archive.search.",
    NULL, NULL, NULL
};

static const pl_field_t s_document_show [] = {
    F_TEXT  ("symbol", REQ, 64, "document symbol, any case: ccw/conf.vi/4/rev.1"),
    F_ENUM  ("language", OPT, s_un_languages, "also return the text of this language version"),
    F_INT   ("revision", OPT, 1, "with language: the text of this revision (default the current one)"),
    F_END
};
static const pl_message_t s_document_show_msg = {
    "document.show", PL_KIND_QUERY, "archive", "document.show.reply", s_document_show,
    "Every language version of a document symbol with its revision history, "
    "dates and changes of metadata; its family (the base with its Rev., Corr. and "
    "Add., every version of each) and the outcomes and statements that cite it; "
    "with language, that version's text, byte for byte as released. A malformed "
    "symbol is an error 400 with the reason; a symbol with no version the caller's "
    "role may see is an error 404, as one never released. A role below the secretariat sees no "
    "withdrawn revision, and the revisions that stand numbered 1, 2, ... (revision "
    "asks for the one so numbered).",
    NULL, NULL, NULL
};

static const pl_field_t s_document_change_record [] = {
    F_INT   ("seq", REQ, 1, "sequence number of the document.released event that changed it"),
    F_STAMP ("at", REQ, "when (the event's time)"),
    F_TEXT  ("field", REQ, 32, "title, meeting, agenda_item, distribution (as released), status, dated, original_language, job_number or file_sha256"),
    F_TEXT  ("before", OPT, 1024, "its value before (absent: none)"),
    F_TEXT  ("after", OPT, 1024, "its value after (absent: none)"),
    F_END
};
static const pl_message_t s_document_change_record_msg = {
    "document_change", PL_KIND_RECORD, NULL, NULL, s_document_change_record,
    "A change of a revision's metadata: a release of the same text with another value.",
    NULL, NULL, NULL
};

static const pl_field_t s_citation_record [] = {
    F_ENUM  ("kind", REQ, s_archive_kinds, "outcome or statement"),
    F_TEXT  ("id", REQ, 160, "meeting/id of an outcome, s<seq> of a statement"),
    F_TEXT  ("symbol", OPT, 64, "the document of the family it cites"),
    F_TEXT  ("title", REQ, 1024, "title; for a statement, who spoke under which item"),
    F_DATE  ("date", OPT, "of adoption or delivery"),
    F_ID    ("meeting", OPT, "meeting"),
    F_ENUM  ("language", OPT, s_speech_languages, "language"),
    F_ENUM  ("outcome_kind", OPT, s_outcome_kinds, "kind of an outcome"),
    F_CODE  ("delegation", OPT, "delegation that delivered a statement"),
    F_END
};
static const pl_message_t s_citation_record_msg = {
    "citation", PL_KIND_RECORD, NULL, NULL, s_citation_record,
    "An outcome or a statement that cites a document of a family.",
    NULL, NULL, NULL
};

static const pl_field_t s_document_version_record [] = {
    F_ENUM  ("language", REQ, s_un_languages, "language of this version"),
    F_INT   ("revision", REQ, 1, "1 for the first release of this language, +1 for each release with changed text; below the secretariat, counting only the revisions that stand"),
    F_BOOL  ("current", REQ, "true for the latest revision of its language that stands (is not withdrawn)"),
    F_TEXT  ("title", REQ, 1024, "title in that language"),
    F_ID    ("meeting", OPT, "meeting it was issued for"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item"),
    F_ENUM  ("distribution", REQ, s_distributions, "distribution in force (the document's family's)"),
    F_ENUM  ("released_as", OPT, s_distributions, "to the secretariat: the distribution this revision was released with"),
    F_BOOL  ("withdrawn", OPT, "to the secretariat: true when this revision is withdrawn"),
    F_STAMP ("withdrawn_at", OPT, "to the secretariat: when it was withdrawn"),
    F_NAME  ("withdrawn_by", OPT, 128, "to the secretariat: who withdrew it"),
    F_TEXT  ("withdrawn_reason", OPT, 512, "to the secretariat: why"),
    F_ENUM  ("status", OPT, s_document_statuses, "advance (unedited) or final"),
    F_DATE  ("dated", OPT, "date printed on the document"),
    F_STAMP ("released", REQ, "when this revision was released (the event's time when not given)"),
    F_ENUM  ("original_language", OPT, s_un_languages, "language of the original"),
    F_TEXT  ("job_number", OPT, 32, "translation job number"),
    F_TEXT  ("sha256", OPT, 64, "SHA-256 of the text as kept (text gives these very bytes back), hex in lower case"),
    F_TEXT  ("file_sha256", OPT, 64, "SHA-256 of the released file when it is not the text (the PDF), hex in lower case"),
    F_INT   ("bytes", REQ, 0, "size of the text in bytes"),
    F_INT   ("seq", REQ, 1, "sequence number of the document.released event"),
    F_TEXT  ("symbol", OPT, 64, "in a family's list: the symbol of this version"),
    F_LIST  ("changes", OPT, 10000, &s_document_change_record_msg, "the changes of this revision's metadata since its release, oldest first, a field each"),
    F_END
};
static const pl_message_t s_document_version_record_msg = {
    "document_version", PL_KIND_RECORD, NULL, NULL, s_document_version_record,
    "One revision of one language version of a document.",
    NULL, NULL, NULL
};

static const pl_field_t s_declassification_record [] = {
    F_ENUM  ("distribution", REQ, s_distributions, "the distribution in force from then on"),
    F_STAMP ("at", REQ, "when (the document.declassified event's time)"),
    F_NAME  ("by", REQ, 128, "who decided it"),
    F_TEXT  ("reason", REQ, 512, "why"),
    F_INT   ("seq", REQ, 1, "sequence number of the document.declassified event"),
    F_END
};
static const pl_message_t s_declassification_record_msg = {
    "declassification", PL_KIND_RECORD, NULL, NULL, s_declassification_record,
    "A declassification of a document's family, as the secretariat sees it.",
    NULL, NULL, NULL
};

static const pl_field_t s_document_show_reply [] = {
    F_TEXT  ("symbol", REQ, 64, "the symbol, normalized"),
    F_TEXT  ("base", REQ, 64, "the symbol without its suffixes: its family"),
    F_TEXT  ("suffixes", OPT, 64, "Rev.1, Corr.1, Add.1/Rev.1 ..."),
    F_CODE  ("convention", OPT, "convention"),
    F_ENUM  ("distribution", REQ, s_distributions, "distribution in force, the family's: the most restrictive of its releases since its last declassification"),
    F_LIST  ("declassifications", OPT, 1000, &s_declassification_record_msg, "to the secretariat: the family's declassifications, oldest first"),
    F_LIST  ("versions", REQ, 10000, &s_document_version_record_msg, "every revision of every language of this symbol, by language then revision"),
    F_LIST  ("family", OPT, 10000, &s_document_version_record_msg, "every revision of every language of every symbol of the family, with its symbol: the base first, then its Rev., Corr. and Add. by symbol"),
    F_LIST  ("cited_by", OPT, 10000, &s_citation_record_msg, "the outcomes and statements that cite a document of the family, by date"),
    F_TEXTS ("outcomes", OPT, 1000, 160, "outcomes that cite it or a document of its family (the same base), as meeting/id, by date of adoption"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "the text of the language (and revision) asked for"),
    F_END
};
static const pl_message_t s_document_show_reply_msg = {
    "document.show.reply", PL_KIND_REPLY, NULL, NULL, s_document_show_reply,
    "A document's versions, answer to document.show.",
    NULL, NULL, NULL
};

//  Credentials report, statements, list of speakers (records service)

static const pl_field_t s_credential_record [] = {
    F_CODE  ("delegation", REQ, "State Party"),
    F_TEXT  ("delegation_name", OPT, 256, "its ISO 3166-1 name"),
    F_INT   ("participants", REQ, 0, "its participants registered (not withdrawn nor rejected)"),
    F_ENUM  ("standing", REQ, s_credential_standings, "due-form (original, verified), provisional (copy or note verbale), pending (original not yet examined), rejected, none"),
    F_ENUM  ("form", OPT, s_credential_forms, "form of the latest credentials"),
    F_ENUM  ("issued_by", OPT, s_credential_issuers, "who signed them"),
    F_DATE  ("received", OPT, "day they were received"),
    F_BOOL  ("verified", OPT, "found in order by the Credentials Committee"),
    F_TEXT  ("note", OPT, 1024, "notes"),
    F_TEXT  ("reason", OPT, 512, "why they were rejected"),
    F_END
};
static const pl_message_t s_credential_record_msg = {
    "credential", PL_KIND_RECORD, NULL, NULL, s_credential_record,
    "One State Party in the Credentials Committee's report.",
    NULL, NULL, NULL
};
static const pl_field_t s_credentials_report [] = {
    F_ID    ("meeting", REQ, "a formal meeting (msp, revcon)"),
    F_END
};
static const pl_message_t s_credentials_report_msg = {
    "credentials.report", PL_KIND_QUERY, "records", "credentials.report.reply", s_credentials_report,
    "The Credentials Committee's report: every State Party registered to the "
    "meeting or having submitted credentials, and where its credentials stand.",
    NULL, NULL, NULL
};
static const pl_field_t s_credentials_report_reply [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("convention", REQ, "its convention"),
    F_INT   ("states_parties", REQ, 0, "States Parties in the report"),
    F_INT   ("due_form", REQ, 0, "with credentials in due form"),
    F_INT   ("provisional", REQ, 0, "with provisional credentials"),
    F_INT   ("pending", REQ, 0, "with original credentials not yet examined"),
    F_INT   ("rejected", REQ, 0, "whose credentials were found not in order"),
    F_INT   ("none", REQ, 0, "without credentials"),
    F_LIST  ("items", REQ, 1000, &s_credential_record_msg, "the States Parties, by code"),
    F_END
};
static const pl_message_t s_credentials_report_reply_msg = {
    "credentials.report.reply", PL_KIND_REPLY, NULL, NULL, s_credentials_report_reply,
    "The report asked for by credentials.report.",
    NULL, NULL, NULL
};

static const pl_field_t s_statement_record [] = {
    F_ID    ("id", REQ, "statement id, e.g. s42"),
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation that spoke"),
    F_TEXT  ("delegation_name", OPT, 256, "its name"),
    F_TEXT  ("speaker", OPT, 256, "speaker"),
    F_ENUM  ("language", REQ, s_speech_languages, "language"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item"),
    F_ID    ("session", OPT, "session"),
    F_TEXT  ("on_behalf_of", OPT, 256, "group spoken for"),
    F_STAMP ("delivered_at", REQ, "when"),
    F_INT   ("duration_s", OPT, 0, "seconds"),
    F_TEXT  ("document", OPT, 64, "document symbol"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "full text"),
    F_INT   ("seq", REQ, 1, "sequence number of the statement.delivered event"),
    F_END
};
static const pl_message_t s_statement_record_msg = {
    "statement", PL_KIND_RECORD, NULL, NULL, s_statement_record,
    "A statement as the records worker keeps it.",
    NULL, NULL, NULL
};
static const pl_field_t s_statement_list [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_TEXT  ("agenda_item", OPT, 32, "only this agenda item"),
    F_CODE  ("delegation", OPT, "only this delegation"),
    F_END
};
static const pl_message_t s_statement_list_msg = {
    "statement.list", PL_KIND_QUERY, "records", "statement.list.reply", s_statement_list,
    "List the statements of a meeting in the order delivered, by agenda item or "
    "delegation.",
    NULL, NULL, NULL
};
static const pl_field_t s_statement_list_reply [] = {
    F_LIST  ("items", REQ, 100000, &s_statement_record_msg, "the statements"),
    F_END
};
static const pl_message_t s_statement_list_reply_msg = {
    "statement.list.reply", PL_KIND_REPLY, NULL, NULL, s_statement_list_reply,
    "The statements asked for by statement.list.",
    NULL, NULL, NULL
};

static const pl_field_t s_speaker_record [] = {
    F_INT   ("position", REQ, 1, "place on the list"),
    F_CODE  ("delegation", REQ, "delegation"),
    F_TEXT  ("delegation_name", OPT, 256, "its name"),
    F_TEXT  ("speaker", OPT, 256, "speaker"),
    F_TEXT  ("on_behalf_of", OPT, 256, "group spoken for"),
    F_STAMP ("inscribed_at", REQ, "time of inscription"),
    F_ENUM  ("status", REQ, s_speaker_statuses, "waiting, spoken or withdrawn"),
    F_STAMP ("started_at", OPT, "when its statement began"),
    F_INT   ("duration_s", OPT, 0, "how long it spoke, in seconds"),
    F_ID    ("statement", OPT, "the statement that closed the turn"),
    F_TEXT  ("reason", OPT, 512, "why it withdrew"),
    F_END
};
static const pl_message_t s_speaker_record_msg = {
    "speaker", PL_KIND_RECORD, NULL, NULL, s_speaker_record,
    "One entry of a list of speakers.",
    NULL, NULL, NULL
};
static const pl_field_t s_speaker_list [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_TEXT  ("agenda_item", REQ, 32, "agenda item"),
    F_END
};
static const pl_message_t s_speaker_list_msg = {
    "speaker.list", PL_KIND_QUERY, "records", "speaker.list.reply", s_speaker_list,
    "The list of speakers of an agenda item in order, with who has spoken.",
    NULL, NULL, NULL
};
static const pl_field_t s_speaker_list_reply [] = {
    F_LIST  ("items", REQ, 10000, &s_speaker_record_msg, "the entries, by position"),
    F_END
};
static const pl_message_t s_speaker_list_reply_msg = {
    "speaker.list.reply", PL_KIND_REPLY, NULL, NULL, s_speaker_list_reply,
    "The list asked for by speaker.list.",
    NULL, NULL, NULL
};

//  --------------------------------------------------------------------------
//  Digests of the views, for plenary check (one truth; lib/pl_facet.c
//  defines the facets and their item lines)

static const pl_field_t s_digest [] = {
    F_TEXT  ("facet", OPT, 32, "only this facet (see Facets below)"),
    F_TEXT  ("key", OPT, 64, "with facet: only this key, a meeting id or \"\" for a facet of "
                             "the whole system, and its items"),
    F_END
};
#define S_DIGEST_DOC(group) \
    "The digests of the facets the " group " group holds (see Facets below), one per " \
    "facet and key, for plenary check to compare with the authority's; with facet " \
    "and key also that key's items, so that the check can say which ones differ. " \
    "Digests are made from personal data: the secretariat only (403 otherwise). A " \
    "facet the group does not hold is an error 404."
static const pl_message_t s_records_digest_msg = {
    "records.digest", PL_KIND_QUERY, "records", "records.digest.reply", s_digest,
    S_DIGEST_DOC ("records"),
    NULL, NULL, NULL
};
static const pl_message_t s_calendar_digest_msg = {
    "calendar.digest", PL_KIND_QUERY, "calendar", "calendar.digest.reply", s_digest,
    S_DIGEST_DOC ("calendar"),
    NULL, NULL, NULL
};
static const pl_message_t s_archive_digest_msg = {
    "archive.digest", PL_KIND_QUERY, "archive", "archive.digest.reply", s_digest,
    S_DIGEST_DOC ("archive"),
    NULL, NULL, NULL
};
static const pl_message_t s_notify_digest_msg = {
    "notify.digest", PL_KIND_QUERY, "notify", "notify.digest.reply", s_digest,
    S_DIGEST_DOC ("notify"),
    NULL, NULL, NULL
};

static const pl_field_t s_facet_record [] = {
    F_TEXT  ("facet", REQ, 32, "the facet"),
    F_TEXT  ("key", OPT, 64, "the meeting id, or \"\" for a facet of the whole system"),
    F_INT   ("count", REQ, 1, "items under the key"),
    F_TEXT  ("digest", REQ, 64, "SHA-256 (hex) of the items' lines, sorted, each followed by a line feed"),
    F_END
};
static const pl_message_t s_facet_record_msg = {
    "facet", PL_KIND_RECORD, NULL, NULL, s_facet_record,
    "One facet and key as a group holds it; a key without items is left out.",
    NULL, NULL, NULL
};

static const pl_field_t s_facet_item_record [] = {
    F_TEXT  ("id", REQ, 160, "the item: a meeting, session, participant or statement id, or a symbol"),
    F_TEXT  ("digest", REQ, 64, "SHA-256 (hex) of its line"),
    F_TEXT  ("text", REQ, 2048, "its line: the facet's fields, normalized, separated by spaces; "
                                "- when absent, a JSON string when empty or holding a space or quote"),
    F_END
};
static const pl_message_t s_facet_item_record_msg = {
    "facet_item", PL_KIND_RECORD, NULL, NULL, s_facet_item_record,
    "One item of a facet and key, in the form both sides can compare.",
    NULL, NULL, NULL
};

static const pl_field_t s_digest_reply [] = {
    F_LIST  ("facets", REQ, 100000, &s_facet_record_msg, "every facet and key asked for, by facet then key"),
    F_LIST  ("items", OPT, 200000, &s_facet_item_record_msg, "with facet and key: its items, by line"),
    F_END
};
static const pl_message_t s_records_digest_reply_msg = {
    "records.digest.reply", PL_KIND_REPLY, NULL, NULL, s_digest_reply,
    "The digests asked for by records.digest.",
    NULL, NULL, NULL
};
static const pl_message_t s_calendar_digest_reply_msg = {
    "calendar.digest.reply", PL_KIND_REPLY, NULL, NULL, s_digest_reply,
    "The digests asked for by calendar.digest.",
    NULL, NULL, NULL
};
static const pl_message_t s_archive_digest_reply_msg = {
    "archive.digest.reply", PL_KIND_REPLY, NULL, NULL, s_digest_reply,
    "The digests asked for by archive.digest.",
    NULL, NULL, NULL
};
static const pl_message_t s_notify_digest_reply_msg = {
    "notify.digest.reply", PL_KIND_REPLY, NULL, NULL, s_digest_reply,
    "The digests asked for by notify.digest.",
    NULL, NULL, NULL
};

//  --------------------------------------------------------------------------
//  Notifications (the notify worker, issue 16)

//  What the secretariat vouches a subscriber may read: the notices of a
//  subscription announce only documents whose distribution in force that
//  role may see.  Restricted documents (the secretariat's) are never mailed.
static const char *const s_subscriber_roles [] = {
    "public", "delegate", "record-keeper", NULL };

#define S_NOTIFY_TARGET \
    "neither or both of meeting and convention are given: `subscription.added: give " \
    "one of meeting and convention`\n" \
    "the meeting is not in the notify worker's view of meetings (records did not apply " \
    "its meeting.scheduled): `meeting ccm-msp99 does not exist`"

static const pl_field_t s_subscription_added [] = {
    F_PERSONAL_EMAIL ("email", REQ, 254, "the subscriber's e-mail address"),
    F_ID    ("meeting", OPT, "follow the documents released for this meeting"),
    F_CODE  ("convention", OPT, "or for every meeting of this convention"),
    F_ENUM  ("language", OPT, s_un_languages, "only releases in this language, and notices written in it; absent: every language, notices in English"),
    F_ENUM  ("role", OPT, s_subscriber_roles, "what the secretariat vouches the subscriber may read: public (the default: general documents), delegate or record-keeper (limited ones too)"),
    F_END
};
static const pl_message_t s_subscription_added_msg = {
    "subscription.added", PL_KIND_EVENT, NULL, NULL, s_subscription_added,
    "An e-mail address subscribes to the documents released for a meeting, or for "
    "every meeting of a convention, in one language or in all. plenary-notify sends "
    "each subscriber one message per interval listing the releases it has not been "
    "told of, and only documents whose distribution in force the subscription's role "
    "may read, at the time the message is written (restricted documents are never "
    "mailed). Subscribing clears an earlier one-click unsubscription of the address "
    "(mail.unsubscribed): the secretariat subscribes a person at their request.",
    "notify", s_followed_by_none,
    S_NOTIFY_TARGET "\n"
    "the address already follows the same meeting or convention in the same language "
    "(or in every language): `zofia@example.pl already follows ccm-msp13 (fr)`"
};

static const pl_field_t s_subscription_removed [] = {
    F_PERSONAL_EMAIL ("email", REQ, 254, "the subscriber's e-mail address"),
    F_ID    ("meeting", OPT, "the meeting it no longer follows"),
    F_CODE  ("convention", OPT, "or the convention"),
    F_ENUM  ("language", OPT, s_un_languages, "only the subscription in this language; absent: in every language"),
    F_END
};
static const pl_message_t s_subscription_removed_msg = {
    "subscription.removed", PL_KIND_EVENT, NULL, NULL, s_subscription_removed,
    "An e-mail address stops following a meeting or a convention (or, with neither, "
    "everything it follows). Notices already written are still sent; releases after "
    "this event are not announced to it.",
    "notify", s_followed_by_none,
    "both meeting and convention are given: `subscription.removed: give at most one of "
    "meeting and convention`\n"
    "the address follows nothing that matches: `zofia@example.pl follows nothing that "
    "matches`"
};

static const pl_field_t s_mail_unsubscribed [] = {
    F_TEXT  ("token_hash", REQ, 64, "SHA-256 (64 lowercase hex digits) of the token of the one-click link /unsubscribe/TOKEN; the token itself is never stored"),
    F_END
};
static const pl_message_t s_mail_unsubscribed_msg = {
    "mail.unsubscribed", PL_KIND_EVENT, NULL, NULL, s_mail_unsubscribed,
    "Someone followed the one-click unsubscribe link (RFC 8058) of a message of "
    "plenary-notify: the HTTP gateway publishes the SHA-256 of the link's token. The "
    "address the link was made for gets no message that is not transactional from "
    "then on (documents, session changes, digests) and its subscriptions end; "
    "messages about the person's own registration (to them, or to them as focal "
    "point) are still sent. The notify worker decides it: it refuses a token no "
    "address of its has.",
    "notify", s_followed_by_none,
    "the token hash is not 64 lowercase hexadecimal digits: `mail.unsubscribed: "
    "token_hash: not 64 lowercase hex digits`\n"
    "no address the notify worker has written to has that link: `no address has this "
    "unsubscribe link`"
};

static const pl_field_t s_notify_status [] = {
    F_INT   ("failures", OPT, 0, "how many of the latest permanent failures to list (default 20)"),
    F_END
};
static const pl_message_t s_notify_status_msg = {
    "notify.status", PL_KIND_QUERY, "notify", "notify.status.reply", s_notify_status,
    "The state of plenary-notify's outbox and mail relay: how many messages are "
    "queued, sent, failed for good, suppressed (the address unsubscribed) or "
    "recorded without sending (a replay of the log), whether the relay answers, and "
    "the latest permanent failures. The secretariat's only.",
    NULL, NULL, NULL
};
static const pl_field_t s_mail_failure_record [] = {
    F_TEXT  ("message_id", REQ, 255, "the Message-ID the message has"),
    F_TEXT  ("kind", REQ, 64, "which template"),
    F_PERSONAL_EMAIL ("recipient", OPT, 254, "to whom (the secretariat's only)"),
    F_INT   ("seq", OPT, 1, "the event it was written for"),
    F_STAMP ("at", REQ, "when the relay refused it"),
    F_TEXT  ("error", REQ, 512, "the relay's answer"),
    F_END
};
static const pl_message_t s_mail_failure_record_msg = {
    "mail_failure", PL_KIND_RECORD, NULL, NULL, s_mail_failure_record,
    "A message the relay refused for good (a 5xx answer).",
    NULL, NULL, NULL
};
static const pl_field_t s_notify_status_reply [] = {
    F_INT   ("queued", REQ, 0, "messages waiting to be sent (some may wait for a retry)"),
    F_INT   ("sent", REQ, 0, "messages the relay accepted"),
    F_INT   ("failed", REQ, 0, "messages the relay refused for good"),
    F_INT   ("suppressed", REQ, 0, "messages not sent because their address unsubscribed"),
    F_INT   ("replayed", REQ, 0, "messages of events older than the database, recorded as sent without sending (a rebuild from the log)"),
    F_INT   ("notices", REQ, 0, "document releases waiting for their subscribers' next message"),
    F_TEXT  ("relay", REQ, 512, "the relay's address (without credentials)"),
    F_TEXT  ("relay_state", REQ, 16, "up, down, or unknown before the first attempt"),
    F_TEXT  ("relay_error", OPT, 512, "the latest error talking to the relay"),
    F_STAMP ("retry_at", OPT, "while the relay is down: when it is tried again"),
    F_INT   ("oldest_queued_ms", OPT, 0, "how long the oldest queued message has waited"),
    F_LIST  ("failures", REQ, 1000, &s_mail_failure_record_msg, "the latest permanent failures, newest first"),
    F_END
};
static const pl_message_t s_notify_status_reply_msg = {
    "notify.status.reply", PL_KIND_REPLY, NULL, NULL, s_notify_status_reply,
    "The outbox and relay state asked for by notify.status.",
    NULL, NULL, NULL
};

//  --------------------------------------------------------------------------
//  The table, in documentation order; pl_schema.c reads it.

extern const pl_message_t *const pl_schema_table [];
const pl_message_t *const pl_schema_table [] = {
    &s_meeting_scheduled_msg,
    &s_meeting_updated_msg,
    &s_meeting_cancelled_msg,
    &s_meeting_closed_msg,
    &s_session_scheduled_msg,
    &s_session_moved_msg,
    &s_session_cancelled_msg,
    &s_participant_registered_msg,
    &s_participant_updated_msg,
    &s_participant_withdrawn_msg,
    &s_participant_approved_msg,
    &s_participant_confirmed_msg,
    &s_participant_rejected_msg,
    &s_convention_declared_msg,
    &s_delegation_declared_msg,
    &s_delegation_admitted_msg,
    &s_credentials_submitted_msg,
    &s_credentials_verified_msg,
    &s_credentials_rejected_msg,
    &s_statement_delivered_msg,
    &s_speaker_inscribed_msg,
    &s_speaker_withdrawn_msg,
    &s_speaker_swapped_msg,
    &s_participants_issued_msg,
    &s_document_released_msg,
    &s_outcome_adopted_msg,
    &s_document_declassified_msg,
    &s_document_withdrawn_msg,
    &s_meeting_list_msg,
    &s_meeting_list_reply_msg,
    &s_meeting_show_msg,
    &s_meeting_show_reply_msg,
    &s_meeting_record_msg,
    &s_participant_list_msg,
    &s_participant_list_reply_msg,
    &s_participant_record_msg,
    &s_participant_show_msg,
    &s_participant_show_reply_msg,
    &s_session_list_msg,
    &s_session_list_reply_msg,
    &s_session_record_msg,
    &s_delegation_list_msg,
    &s_delegation_list_reply_msg,
    &s_delegation_record_msg,
    &s_convention_list_msg,
    &s_convention_list_reply_msg,
    &s_convention_record_msg,
    &s_participant_history_msg,
    &s_participant_history_reply_msg,
    &s_participant_change_record_msg,
    &s_meeting_stats_msg,
    &s_meeting_stats_reply_msg,
    &s_stats_category_record_msg,
    &s_stats_gender_record_msg,
    &s_dlq_list_msg,
    &s_dlq_list_reply_msg,
    &s_dead_letter_record_msg,
    &s_broker_status_msg,
    &s_broker_status_reply_msg,
    &s_group_status_record_msg,
    &s_histogram_record_msg,
    &s_bucket_record_msg,
    &s_participant_token_issued_msg,
    &s_calendar_feed_msg,
    &s_calendar_feed_reply_msg,
    &s_calendar_schedule_msg,
    &s_calendar_schedule_reply_msg,
    &s_archive_search_msg,
    &s_archive_search_reply_msg,
    &s_search_hit_record_msg,
    &s_document_show_msg,
    &s_document_show_reply_msg,
    &s_document_version_record_msg,
    &s_document_change_record_msg,
    &s_citation_record_msg,
    &s_declassification_record_msg,
    &s_credentials_report_msg,
    &s_credentials_report_reply_msg,
    &s_credential_record_msg,
    &s_statement_list_msg,
    &s_statement_list_reply_msg,
    &s_statement_record_msg,
    &s_speaker_list_msg,
    &s_speaker_list_reply_msg,
    &s_speaker_record_msg,
    &s_records_digest_msg,
    &s_records_digest_reply_msg,
    &s_calendar_digest_msg,
    &s_calendar_digest_reply_msg,
    &s_archive_digest_msg,
    &s_archive_digest_reply_msg,
    &s_notify_digest_msg,
    &s_notify_digest_reply_msg,
    &s_facet_record_msg,
    &s_facet_item_record_msg,
    &s_subscription_added_msg,
    &s_subscription_removed_msg,
    &s_mail_unsubscribed_msg,
    &s_notify_status_msg,
    &s_notify_status_reply_msg,
    &s_mail_failure_record_msg,
    NULL
};
