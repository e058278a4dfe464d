/*  pl_schema_table — the one definition of every event, query, reply and record.

    Static constant data only.  Each message is a pl_message_t with its kind,
    a documentation paragraph and a { 0 }-terminated array of pl_field_t
    (lib/pl_schema.h explains the columns).  Everything else reads this
    table: the codec validates against it, the CLI names its --json keys
    after it and pl-schema-doc prints docs/events.md from it.  To add a
    message: define its fields and the message below, add it to
    pl_schema_table at the end, run build/pl-schema-doc docs/events.md. */
#include "pl_schema.h"

//  Field constructors, so that each field reads as one line of a table
#define F_TEXT(n, req, max, doc)        { n, PL_T_TEXT, req, 0, max, NULL, NULL, doc }
#define F_ID(n, req, doc)               { n, PL_T_ID, req, 0, S_ID_MAX, NULL, NULL, doc }
#define F_CODE(n, req, doc)             { n, PL_T_CODE, req, 0, S_CODE_MAX, NULL, NULL, doc }
#define F_ENUM(n, req, values, doc)     { n, PL_T_ENUM, req, 0, 0, values, NULL, doc }
#define F_BOOL(n, req, doc)             { n, PL_T_BOOL, req, 0, 0, NULL, NULL, doc }
#define F_INT(n, req, min, doc)         { n, PL_T_INT, req, min, INT64_MAX, NULL, NULL, doc }
#define F_DATE(n, req, doc)             { n, PL_T_DATE, req, 0, 0, NULL, NULL, doc }
#define F_LOCAL(n, req, doc)            { n, PL_T_LOCAL_TIME, req, 0, 0, NULL, NULL, doc }
#define F_STAMP(n, req, doc)            { n, PL_T_TIMESTAMP, req, 0, 0, NULL, NULL, doc }
#define F_TZ(n, req, doc)               { n, PL_T_TZ, req, 0, 0, NULL, NULL, doc }
#define F_EMAIL(n, req, max, doc)       { n, PL_T_EMAIL, req, 0, max, NULL, NULL, doc }
#define F_TEXTS(n, req, items, max, doc) { n, PL_T_TEXTLIST, req, items, max, NULL, NULL, doc }
#define F_LIST(n, req, max, item, doc)  { n, PL_T_LIST, req, 0, max, NULL, item, doc }
#define F_END                           { 0 }

#define REQ PL_REQUIRED
#define OPT PL_OPTIONAL

#define S_ID_MAX        64              //  meeting, session, participant, outcome ids
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
    "registered", "approved", "withdrawn", NULL };
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

//  --------------------------------------------------------------------------
//  Meetings

static const pl_field_t s_meeting_scheduled [] = {
    F_ID    ("id", REQ, "meeting id chosen by the secretariat, e.g. ccm-msp13"),
    F_CODE  ("convention", REQ, "convention code: CCM, APMBC, CCW, BWC, ..."),
    F_ENUM  ("kind", REQ, s_meeting_kinds, "kind of meeting"),
    F_TEXT  ("title", REQ, 512, "official title"),
    F_TEXT  ("venue", REQ, 128, "venue, e.g. Geneva, Palais des Nations"),
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
    "Its id is chosen by the secretariat and names the meeting in every later event."
};

static const pl_field_t s_meeting_updated [] = {
    F_ID    ("id", REQ, "meeting to change"),
    F_ENUM  ("kind", OPT, s_meeting_kinds, "new kind of meeting"),
    F_TEXT  ("title", OPT, 512, "new title"),
    F_TEXT  ("venue", OPT, 128, "new venue"),
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
    "changed; the others keep their values."
};

static const pl_field_t s_meeting_ended [] = {
    F_ID    ("id", REQ, "meeting"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_meeting_cancelled_msg = {
    "meeting.cancelled", PL_KIND_EVENT, NULL, NULL, s_meeting_ended,
    "A meeting will not take place. Its sessions and registrations stay on "
    "record; the meeting's status becomes cancelled."
};
static const pl_message_t s_meeting_closed_msg = {
    "meeting.closed", PL_KIND_EVENT, NULL, NULL, s_meeting_ended,
    "A meeting has ended and its records are complete; the meeting's status "
    "becomes closed."
};

//  --------------------------------------------------------------------------
//  Sessions (the programme of work)

static const pl_field_t s_session_scheduled [] = {
    F_ID    ("meeting", REQ, "meeting the session belongs to"),
    F_ID    ("id", REQ, "session id, unique within the meeting, e.g. day1-am"),
    F_TEXT  ("title", REQ, 512, "title, e.g. First plenary meeting"),
    F_LOCAL ("start", REQ, "start, wall-clock time in the meeting's time zone"),
    F_LOCAL ("end", REQ, "end, wall-clock time in the meeting's time zone"),
    F_TEXT  ("room", OPT, 128, "room, e.g. Room XIX"),
    F_TEXTS ("agenda_items", OPT, 16, 32, "agenda items taken up, e.g. 8(a), 9(h)(i)"),
    F_ENUM  ("kind", OPT, s_session_kinds, "kind of session"),
    F_END
};
static const pl_message_t s_session_scheduled_msg = {
    "session.scheduled", PL_KIND_EVENT, NULL, NULL, s_session_scheduled,
    "A session is added to a meeting's programme of work: a plenary or "
    "committee sitting in a room at a local time, with the agenda items it takes up."
};

static const pl_field_t s_session_moved [] = {
    F_ID    ("meeting", REQ, "meeting of the session"),
    F_ID    ("id", REQ, "session"),
    F_LOCAL ("start", REQ, "new start, wall-clock time in the meeting's time zone"),
    F_LOCAL ("end", REQ, "new end, wall-clock time in the meeting's time zone"),
    F_TEXT  ("room", OPT, 128, "new room"),
    F_TEXT  ("reason", OPT, 512, "why it moved"),
    F_END
};
static const pl_message_t s_session_moved_msg = {
    "session.moved", PL_KIND_EVENT, NULL, NULL, s_session_moved,
    "A session moves to another time, and possibly another room."
};

static const pl_field_t s_session_cancelled [] = {
    F_ID    ("meeting", REQ, "meeting of the session"),
    F_ID    ("id", REQ, "session"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_session_cancelled_msg = {
    "session.cancelled", PL_KIND_EVENT, NULL, NULL, s_session_cancelled,
    "A session is taken off the programme of work."
};

//  --------------------------------------------------------------------------
//  Participants

static const pl_field_t s_participant_registered [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_TEXT  ("family_name", REQ, 128, "family name, as in the passport"),
    F_TEXT  ("given_name", OPT, 128, "given names"),
    F_CODE  ("delegation", REQ, "delegation: ISO 3166-1 alpha-2 code of a State, or an organisation's code (ICRC, CMC)"),
    F_ENUM  ("function", OPT, s_functions, "function in the delegation"),
    F_ENUM  ("gender", OPT, s_genders, "gender, for the gender-balance report"),
    F_EMAIL ("email", OPT, 254, "e-mail address"),
    F_BOOL  ("sponsored", OPT, "attends with support of the sponsorship programme"),
    F_TEXT  ("title", OPT, 64, "courtesy title, e.g. H.E. Ms."),
    F_TEXT  ("position", OPT, 256, "position held, e.g. Ambassador, Permanent Representative"),
    F_TEXT  ("organization", OPT, 256, "ministry or organisation"),
    F_TEXT  ("note", OPT, 1024, "secretariat's note"),
    F_END
};
static const pl_message_t s_participant_registered_msg = {
    "participant.registered", PL_KIND_EVENT, NULL, NULL, s_participant_registered,
    "A person is registered as a member of a delegation to a meeting. The "
    "participant's id is \"p\" followed by the sequence number of this event "
    "(p42), so it is the same after a rebuild from the log."
};

static const pl_field_t s_participant_updated [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_TEXT  ("family_name", OPT, 128, "new family name"),
    F_TEXT  ("given_name", OPT, 128, "new given names"),
    F_CODE  ("delegation", OPT, "new delegation code"),
    F_ENUM  ("function", OPT, s_functions, "new function in the delegation"),
    F_ENUM  ("gender", OPT, s_genders, "new gender"),
    F_EMAIL ("email", OPT, 254, "new e-mail address"),
    F_BOOL  ("sponsored", OPT, "new sponsorship"),
    F_TEXT  ("title", OPT, 64, "new courtesy title"),
    F_TEXT  ("position", OPT, 256, "new position"),
    F_TEXT  ("organization", OPT, 256, "new ministry or organisation"),
    F_TEXT  ("note", OPT, 1024, "new note"),
    F_TEXT  ("reason", OPT, 512, "why it changed"),
    F_END
};
static const pl_message_t s_participant_updated_msg = {
    "participant.updated", PL_KIND_EVENT, NULL, NULL, s_participant_updated,
    "Details of a registered participant change. Only the fields present are "
    "changed; the others keep their values."
};

static const pl_field_t s_participant_withdrawn [] = {
    F_ID    ("meeting", REQ, "meeting attended"),
    F_ID    ("participant", REQ, "participant id, e.g. p42"),
    F_TEXT  ("reason", OPT, 512, "why, for the record"),
    F_END
};
static const pl_message_t s_participant_withdrawn_msg = {
    "participant.withdrawn", PL_KIND_EVENT, NULL, NULL, s_participant_withdrawn,
    "A registration is withdrawn. The participant stays on record with status withdrawn."
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
    "copy or note verbale, which counts as provisional."
};

static const pl_field_t s_credentials_verified [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation"),
    F_TEXT  ("note", OPT, 1024, "Credentials Committee's note"),
    F_END
};
static const pl_message_t s_credentials_verified_msg = {
    "credentials.verified", PL_KIND_EVENT, NULL, NULL, s_credentials_verified,
    "The Credentials Committee finds a delegation's credentials in order."
};

static const pl_field_t s_credentials_rejected [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation"),
    F_TEXT  ("reason", REQ, 512, "why they are not in order"),
    F_END
};
static const pl_message_t s_credentials_rejected_msg = {
    "credentials.rejected", PL_KIND_EVENT, NULL, NULL, s_credentials_rejected,
    "The Credentials Committee finds a delegation's credentials not in order."
};

//  --------------------------------------------------------------------------
//  Statements, documents, outcomes

static const pl_field_t s_statement_delivered [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_CODE  ("delegation", REQ, "delegation that spoke"),
    F_TEXT  ("speaker", OPT, 256, "name of the speaker"),
    F_ENUM  ("language", REQ, s_speech_languages, "language it was delivered in"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item, e.g. 8(a)"),
    F_ID    ("session", OPT, "session it was delivered in"),
    F_TEXT  ("on_behalf_of", OPT, 256, "group spoken for, e.g. the European Union"),
    F_STAMP ("delivered_at", OPT, "when it was delivered"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "full text"),
    F_TEXT  ("document", OPT, 64, "symbol of the document that carries it"),
    F_END
};
static const pl_message_t s_statement_delivered_msg = {
    "statement.delivered", PL_KIND_EVENT, NULL, NULL, s_statement_delivered,
    "A delegation delivers a statement under an agenda item, in a language; the "
    "secretariat collects and distributes it."
};

static const pl_field_t s_document_released [] = {
    F_TEXT  ("symbol", REQ, 64, "document symbol, e.g. CCM/MSP/2025/5 or CCW/CONF.VI/4/Rev.1"),
    F_ENUM  ("language", REQ, s_un_languages, "language of this version"),
    F_TEXT  ("title", REQ, 1024, "title in that language"),
    F_ID    ("meeting", OPT, "meeting it was issued for"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item, e.g. 9(h)(i)"),
    F_ENUM  ("distribution", OPT, s_distributions, "distribution"),
    F_ENUM  ("status", OPT, s_document_statuses, "advance (unedited) or final"),
    F_DATE  ("dated", OPT, "date printed on the document"),
    F_STAMP ("released", OPT, "when this version was released"),
    F_ENUM  ("original_language", OPT, s_un_languages, "language of the original"),
    F_TEXT  ("job_number", OPT, 32, "translation job number, e.g. GE.25-01234(E)"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "full text, for search"),
    F_TEXT  ("sha256", OPT, 64, "SHA-256 of the released file, hex"),
    F_END
};
static const pl_message_t s_document_released_msg = {
    "document.released", PL_KIND_EVENT, NULL, NULL, s_document_released,
    "One language version of a document is released. The six UN language "
    "versions of a symbol are released at different times; a new version of the "
    "same symbol and language replaces the previous one."
};

static const pl_field_t s_outcome_adopted [] = {
    F_ID    ("meeting", REQ, "meeting that adopted it"),
    F_ID    ("id", REQ, "outcome id, unique within the meeting"),
    F_ENUM  ("kind", REQ, s_outcome_kinds, "kind of outcome"),
    F_TEXT  ("title", REQ, 1024, "title"),
    F_DATE  ("adopted", REQ, "day of adoption"),
    F_TEXT  ("agenda_item", OPT, 32, "agenda item"),
    F_TEXTS ("documents", OPT, 64, 64, "symbols of the documents it adopts or refers to"),
    F_TEXT  ("text", OPT, S_BODY_MAX, "full text"),
    F_END
};
static const pl_message_t s_outcome_adopted_msg = {
    "outcome.adopted", PL_KIND_EVENT, NULL, NULL, s_outcome_adopted,
    "A meeting adopts an outcome: a decision, its final report, an action plan, "
    "a declaration or a recommendation, usually carried by documents."
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
    F_INT   ("participants", OPT, 0, "participants registered (not withdrawn)"),
    F_END
};
static const pl_message_t s_meeting_record_msg = {
    "meeting", PL_KIND_RECORD, NULL, NULL, s_meeting_record,
    "A meeting as the records worker knows it: the latest values of its "
    "details, its status and the number of participants registered."
};

static const pl_field_t s_meeting_list [] = {
    F_CODE  ("convention", OPT, "only meetings of this convention"),
    F_ENUM  ("status", OPT, s_meeting_statuses, "only meetings with this status"),
    F_END
};
static const pl_message_t s_meeting_list_msg = {
    "meeting.list", PL_KIND_QUERY, "records", "meeting.list.reply", s_meeting_list,
    "List meetings, by start date, optionally of one convention or status."
};
static const pl_field_t s_meeting_list_reply [] = {
    F_LIST  ("items", REQ, 100000, &s_meeting_record_msg, "the meetings"),
    F_END
};
static const pl_message_t s_meeting_list_reply_msg = {
    "meeting.list.reply", PL_KIND_REPLY, NULL, NULL, s_meeting_list_reply,
    "The meetings asked for by meeting.list."
};

static const pl_field_t s_meeting_show [] = {
    F_ID    ("id", REQ, "meeting id"),
    F_END
};
static const pl_message_t s_meeting_show_msg = {
    "meeting.show", PL_KIND_QUERY, "records", "meeting.show.reply", s_meeting_show,
    "Show one meeting; an id that names no meeting is an error saying so."
};
static const pl_message_t s_meeting_show_reply_msg = {
    "meeting.show.reply", PL_KIND_REPLY, NULL, NULL, s_meeting_record,
    "The meeting asked for by meeting.show, with the fields of record meeting."
};

static const pl_field_t s_participant_record [] = {
    F_ID    ("id", REQ, "participant id, e.g. p42"),
    F_ID    ("meeting", REQ, "meeting attended"),
    F_TEXT  ("family_name", REQ, 128, "family name"),
    F_TEXT  ("given_name", OPT, 128, "given names"),
    F_CODE  ("delegation", REQ, "delegation code"),
    F_ENUM  ("function", OPT, s_functions, "function in the delegation"),
    F_ENUM  ("gender", OPT, s_genders, "gender"),
    F_EMAIL ("email", OPT, 254, "e-mail address"),
    F_BOOL  ("sponsored", OPT, "sponsored"),
    F_TEXT  ("title", OPT, 64, "courtesy title"),
    F_TEXT  ("position", OPT, 256, "position held"),
    F_TEXT  ("organization", OPT, 256, "ministry or organisation"),
    F_TEXT  ("note", OPT, 1024, "secretariat's note"),
    F_ENUM  ("status", REQ, s_participant_statuses, "registration status"),
    F_STAMP ("registered_at", REQ, "when the registration was accepted by the broker"),
    F_INT   ("seq", REQ, 1, "sequence number of the participant.registered event"),
    F_END
};
static const pl_message_t s_participant_record_msg = {
    "participant", PL_KIND_RECORD, NULL, NULL, s_participant_record,
    "A participant as the records worker knows it: the latest details and the "
    "registration status."
};

static const pl_field_t s_participant_list [] = {
    F_ID    ("meeting", REQ, "meeting"),
    F_END
};
static const pl_message_t s_participant_list_msg = {
    "participant.list", PL_KIND_QUERY, "records", "participant.list.reply", s_participant_list,
    "List the participants of a meeting, by delegation and family name."
};
static const pl_field_t s_participant_list_reply [] = {
    F_LIST  ("items", REQ, 200000, &s_participant_record_msg, "the participants"),
    F_END
};
static const pl_message_t s_participant_list_reply_msg = {
    "participant.list.reply", PL_KIND_REPLY, NULL, NULL, s_participant_list_reply,
    "The participants asked for by participant.list."
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
    "deliveries; the group's cursor moved past it."
};

static const pl_field_t s_no_fields [] = {
    F_END
};
static const pl_message_t s_dlq_list_msg = {
    "dlq.list", PL_KIND_QUERY, "broker", "dlq.list.reply", s_no_fields,
    "List the dead letters (parked events) of every worker group."
};
static const pl_field_t s_dlq_list_reply [] = {
    F_LIST  ("items", REQ, 100000, &s_dead_letter_record_msg, "the dead letters"),
    F_END
};
static const pl_message_t s_dlq_list_reply_msg = {
    "dlq.list.reply", PL_KIND_REPLY, NULL, NULL, s_dlq_list_reply,
    "The dead letters asked for by dlq.list."
};

static const pl_field_t s_group_status_record [] = {
    F_TEXT  ("group", REQ, 32, "worker group"),
    F_TEXT  ("topics", REQ, 1024, "topics it subscribed to, comma-separated"),
    F_INT   ("acked_through", REQ, 0, "every event up to this sequence number is acknowledged"),
    F_INT   ("workers", REQ, 0, "workers connected"),
    F_INT   ("in_flight", REQ, 0, "events delivered and not yet acknowledged"),
    F_INT   ("lag", REQ, 0, "events of its topics behind the end of the log"),
    F_END
};
static const pl_message_t s_group_status_record_msg = {
    "group_status", PL_KIND_RECORD, NULL, NULL, s_group_status_record,
    "The state of one worker group as the broker sees it."
};

static const pl_message_t s_broker_status_msg = {
    "broker.status", PL_KIND_QUERY, "broker", "broker.status.reply", s_no_fields,
    "Ask the broker for the state of its log and of every worker group."
};
static const pl_field_t s_broker_status_reply [] = {
    F_INT   ("last_seq", REQ, 0, "sequence number of the last event in the log"),
    F_INT   ("events", REQ, 0, "events in the log"),
    F_INT   ("dead_letters", REQ, 0, "events parked"),
    F_LIST  ("groups", REQ, 1000, &s_group_status_record_msg, "worker groups"),
    F_END
};
static const pl_message_t s_broker_status_reply_msg = {
    "broker.status.reply", PL_KIND_REPLY, NULL, NULL, s_broker_status_reply,
    "The broker's state, answer to broker.status."
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
    &s_credentials_submitted_msg,
    &s_credentials_verified_msg,
    &s_credentials_rejected_msg,
    &s_statement_delivered_msg,
    &s_document_released_msg,
    &s_outcome_adopted_msg,
    &s_meeting_list_msg,
    &s_meeting_list_reply_msg,
    &s_meeting_show_msg,
    &s_meeting_show_reply_msg,
    &s_meeting_record_msg,
    &s_participant_list_msg,
    &s_participant_list_reply_msg,
    &s_participant_record_msg,
    &s_dlq_list_msg,
    &s_dlq_list_reply_msg,
    &s_dead_letter_record_msg,
    &s_broker_status_msg,
    &s_broker_status_reply_msg,
    &s_group_status_record_msg,
    NULL
};
